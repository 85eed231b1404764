// Reads a WARC (gzip or not) with warcio, an independent reader, and prints
// one JSON line per record: its type, target, ids, and whether its block and
// payload digests (sha256:<hex>) match the bytes. Usage: node check.mjs FILE
import { createReadStream } from "node:fs";
import { createHash } from "node:crypto";
import { WARCParser } from "warcio";

function sha(buf) {
  return "sha256:" + createHash("sha256").update(buf).digest("hex");
}

const parser = new WARCParser(createReadStream(process.argv[2]), { parseHttp: false });
for await (const rec of parser) {
  const block = Buffer.from(await rec.readFully(false));
  const out = {
    version: rec.warcHeaders.protocol,
    type: rec.warcType,
    id: rec.warcHeader("WARC-Record-ID"),
    uri: rec.warcTargetURI || null,
    date: rec.warcDate,
    ip: rec.warcHeader("WARC-IP-Address") || null,
    ctype: rec.warcContentType,
    length: block.length,
    block_ok: rec.warcBlockDigest === sha(block),
    truncated: rec.warcHeader("WARC-Truncated") || null,
  };
  if (rec.warcType === "response") {
    const sep = block.indexOf("\r\n\r\n");
    const head = block.subarray(0, sep).toString("latin1");
    out.status = Number(head.split(" ")[1]);
    out.payload_ok = rec.warcPayloadDigest === sha(block.subarray(sep + 4));
  }
  if (rec.warcType === "metadata" || (rec.warcType === "resource" && rec.warcContentType === "application/json")) {
    out.json = JSON.parse(block.toString("utf8"));
  }
  console.log(JSON.stringify(out));
}
