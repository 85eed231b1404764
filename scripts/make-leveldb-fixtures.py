#!/usr/bin/python3
"""Regenerate the LevelDB fixtures under tests/fixtures/leveldb/.

Uses the real LevelDB library through Debian's python3-plyvel (LevelDB
1.23): `apt-get install python3-plyvel`. Run it from anywhere:

    scripts/make-leveldb-fixtures.py

It is not part of the build or of the tests: the generated folders are
committed, and the unit tests (tests/unit/test_leveldb.c) read them with
fx's own reader, which never needs libleveldb. Each database is written in
"sessions": closing and reopening the database makes LevelDB turn the
previous .log into a level-0 .ldb table, so that the older values and the
deletion tombstones stay on disk in tables while the newest writes are in
the .log. LOCK and LOG files are left out (LOG holds timestamps).

The expected entries are listed in tests/fixtures/leveldb/README.md and
asserted in tests/unit/test_leveldb.c: change all three together.
"""
import os
import shutil
import sys
import tempfile

import plyvel

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                    "tests", "fixtures", "leveldb")


def session(path, ops, **opts):
    """Opens the database, applies ops in order, closes it.

    An op is ("put", key, value), ("del", key), ("batch", [ops...]) or
    ("compact",).
    """
    db = plyvel.DB(path, create_if_missing=True, **opts)
    for op in ops:
        if op[0] == "put":
            db.put(op[1], op[2])
        elif op[0] == "del":
            db.delete(op[1])
        elif op[0] == "batch":
            with db.write_batch() as wb:
                for sub in op[1]:
                    if sub[0] == "put":
                        wb.put(sub[1], sub[2])
                    else:
                        wb.delete(sub[1])
        elif op[0] == "compact":
            db.compact_range(start=b"\x00", stop=b"\xff")
    db.close()


def build(name, sessions, **opts):
    tmp = tempfile.mkdtemp(prefix="fx-leveldb-")
    path = os.path.join(tmp, "db")
    try:
        for ops in sessions:
            session(path, ops, **opts)
        out = os.path.join(ROOT, name)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        for f in sorted(os.listdir(path)):
            if f == "LOCK" or f.startswith("LOG"):
                continue
            shutil.copyfile(os.path.join(path, f), os.path.join(out, f))
            print("%s/%s: %d bytes" % (name, f, os.path.getsize(os.path.join(out, f))))
    finally:
        shutil.rmtree(tmp)


def u16(s):
    return s.encode("utf-16-le")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def main():
    # plain: no compression; overwrites and deletes across three sessions.
    build("plain", [
        [("put", b"a", b"1"), ("put", b"b", b"2"), ("put", b"c", b"3"),
         ("batch", [("put", b"d", b"4"), ("put", b"e", b"5")])],
        [("put", b"a", b"1b"), ("del", b"b")],
        [("put", b"c", b"3c"), ("batch", [("del", b"d"), ("put", b"f", b"6")])],
    ], compression=None)

    # snappy: compressed tables with several small blocks (prefix-compressed
    # keys, restarts every 4 entries, a bloom filter meta block), a forced
    # compaction, then a .log with a value longer than one 32 KiB log block.
    keys = [b"key%02d" % i for i in range(40)]
    build("snappy", [
        [("put", k, b"value-" + k + b"-" + b"x" * 100) for k in keys],
        [("put", b"key05", b"new-" + b"y" * 100), ("del", b"key07"), ("compact",)],
        [("put", b"key10", b"z" * 33000), ("del", b"key11"), ("put", b"key05", b"newest")],
    ], compression="snappy", block_size=256, block_restart_interval=4,
        bloom_filter_bits=10)

    # localstorage: the layout of Chromium's "Local Storage/leveldb".
    origin = b"https://example.com"
    meta = b"\x08" + varint(13350000000000000) + b"\x10" + varint(42)
    access = b"\x08" + varint(13350000001000000)
    build("localstorage", [
        [("put", b"VERSION", b"1"),
         ("batch", [("put", b"META:" + origin, meta),
                    ("put", b"_" + origin + b"\x00\x01token", b"\x01abc123"),
                    ("put", b"_" + origin + b"\x00\x00" + u16("名字"),
                     b"\x00" + u16("张伟")),
                    ("put", b"_" + origin + b"\x00\x01caf\xe9", b"\x01cr\xe8me")])],
        [("put", b"METAACCESS:" + origin, access),
         ("batch", [("del", b"_" + origin + b"\x00\x01token"),
                    ("put", b"_" + origin + b"\x00\x01bad", b"\x00\x00\xd8")])],
    ], compression="snappy")

    # sessionstorage: the layout of Chromium's "Session Storage".
    build("sessionstorage", [
        [("put", b"version", b"1"),
         ("put", b"next-map-id", b"1"),
         ("put", b"namespace-dabc53e1_8291_4de5_824f_dab8aa69c846-https://example.com/", b"0"),
         ("put", b"map-0-greeting", u16("hello €"))],
    ], compression="snappy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
