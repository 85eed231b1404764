#!/usr/bin/python3
"""Scores fx-ocr device against the truth of generated About pages, and
the baseline it is measured with: the plain tesseract CLI's text and a
regular expression per field.

    scripts/ocr-bench.py baseline TEXTDIR > baseline.jsonl
    scripts/ocr-bench.py score truth.jsonl fx.jsonl baseline.jsonl

baseline: each TEXTDIR/NAME.txt (tesseract IMG NAME -l eng+chi_sim) into
one line {"file": NAME, "fields": {...}}: the first value of the field's
form within a short distance after one of its labels, as a script would
take it; numbers are not checked.

score: per field, the share of images that have it whose value is found
exactly; IMEIs reported that are not the image's (wrong IMEIs); for each
of fx-ocr and the baseline. fx.jsonl is fx-ocr's output (device records).
"""
import json
import os
import re
import sys

FIELDS = ["imei", "imei2", "meid", "serial", "model", "brand", "android_version", "phone",
          "wifi_mac", "bt_mac"]

# Labels as a script would spell them, English and Chinese; the value is
# looked for in the 60 characters after the label.
LABELS = {
    "imei": r"IMEI\s*(?:1|\(SIM slot 1\)|\(slot 1\))?(?!\s*(?:SV|2|\(SIM slot 2\)|\(slot 2\)))",
    "imei2": r"IMEI\s*(?:2|\(SIM slot 2\)|\(slot 2\))",
    "meid": r"MEID",
    "serial": r"(?:Serial number|序\s*列\s*号)",
    "model": r"(?:Model(?: number)?|设\s*备\s*型\s*号|型\s*号)",
    "brand": r"(?:Brand|品\s*牌)",
    "android_version": r"(?:Android version|Android\s*版\s*本|安\s*卓\s*版\s*本)",
    "phone": r"(?:(?:My )?[Pp]hone number|本\s*机\s*号\s*码|手\s*机\s*号\s*码)",
    "wifi_mac": r"(?:Wi-?Fi MAC address|WLAN MAC address|WLAN\s*MAC\s*地\s*址|Wi-?Fi\s*MAC\s*地\s*址)",
    "bt_mac": r"(?:Bluetooth address|蓝\s*牙\s*地\s*址)",
}
VALUES = {
    "imei": r"\b(\d{15})\b",
    "imei2": r"\b(\d{15})\b",
    "meid": r"\b([0-9A-F]{14})\b",
    "serial": r"\b([0-9A-Za-z]{6,20})\b",
    "model": r"([^\n]+)",
    "brand": r"([^\n]+)",
    "android_version": r"\b(\d{1,2}(?:\.\d+)*)\b",
    "phone": r"(\+?[\d][\d \-]{6,18}\d)",
    "wifi_mac": r"\b((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2})\b",
    "bt_mac": r"\b((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2})\b",
}


def baseline_fields(text):
    out = {}
    for f in FIELDS:
        for m in re.finditer(LABELS[f], text):
            after = text[m.end():m.end() + 60].lstrip(" :：\n")
            # the value on the label's line, else on the next non-empty line
            lines = [l.strip() for l in after.split("\n") if l.strip()]
            if not lines:
                continue
            v = re.match(VALUES[f], lines[0])
            if not v:
                continue
            val = v.group(1).strip()
            if f == "phone":
                val = ("+" if val.startswith("+") else "") + re.sub(r"\D", "", val)
            if f in ("wifi_mac", "bt_mac"):
                val = val.lower()
            out[f] = val
            break
    return out


def cmd_baseline(textdir):
    for name in sorted(os.listdir(textdir)):
        if not name.endswith(".txt"):
            continue
        with open(os.path.join(textdir, name), encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        print(json.dumps({"file": name[:-4], "fields": baseline_fields(text)},
                         ensure_ascii=False, sort_keys=True))


def load_fx(path):
    got = {}
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        if rec.get("type") != "device":
            continue
        name = os.path.basename(rec["src"]["path"])
        got[name] = {f: rec["data"][f] for f in FIELDS if f in rec["data"]}
    return got


def load_baseline(path):
    got = {}
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        got[rec["file"]] = rec["fields"]
    return got


def score(truth, got):
    rows = {}
    wrong_imei = 0
    for name, t in truth.items():
        g = got.get(name, {})
        for f in FIELDS:
            if f in t:
                right, total = rows.get(f, (0, 0))
                rows[f] = (right + (g.get(f) == t[f]), total + 1)
        for f in ("imei", "imei2"):
            v = g.get(f)
            if v is not None and v not in (t.get("imei"), t.get("imei2")):
                wrong_imei += 1
            elif v is not None and v != t.get(f):
                # the phone's other IMEI in the wrong slot: an IMEI of this phone, still
                pass
    return rows, wrong_imei


def cmd_score(truth_path, fx_path, base_path):
    truth = {}
    kinds = {}
    for line in open(truth_path, encoding="utf-8"):
        t = json.loads(line)
        truth[t["file"]] = t["fields"]
        kinds[t["file"]] = t.get("info", {}).get("kind", "?")
    fx = load_fx(fx_path)
    base = load_baseline(base_path)
    for label, sel in (("all", None), ("clean", "clean"), ("photo", "photo")):
        sub = {k: v for k, v in truth.items() if sel is None or kinds[k] == sel}
        if not sub:
            continue
        fr, fw = score(sub, fx)
        br, bw = score(sub, base)
        print("  %s images (%d):" % (label, len(sub)))
        print("    %-16s %18s %18s" % ("field", "fx-ocr device", "tesseract + regex"))
        for f in FIELDS:
            if f not in fr:
                continue
            print("    %-16s %7.1f%% %4d/%-4d %7.1f%% %4d/%-4d" % (
                f, 100.0 * fr[f][0] / fr[f][1], fr[f][0], fr[f][1],
                100.0 * br[f][0] / br[f][1], br[f][0], br[f][1]))
        print("    %-16s %18d %18d" % ("wrong IMEIs", fw, bw))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "baseline":
        cmd_baseline(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "score":
        cmd_score(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
