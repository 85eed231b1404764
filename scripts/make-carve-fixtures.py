#!/usr/bin/python3
"""Make SQLite databases with deleted rows, and their truth, for fx-carve.

    scripts/make-carve-fixtures.py OUTDIR [--only NAME,NAME]
    scripts/make-carve-fixtures.py --big PATH --size-mib N [--no-truth]

The first form writes every scenario into OUTDIR (the committed copies are
in tests/fixtures/carve/, with a README.md this script also writes): for
each scenario NAME.db, NAME.db-wal or NAME.db-journal where the scenario
keeps one, NAME.truth.jsonl and NAME.live.jsonl. The second writes one large
app database (about N MiB, a few percent of its rows deleted) for the
throughput bench, with PATH's truth beside it unless --no-truth.

The databases are written by the real SQLite, through Python's sqlite3
module (Debian's libsqlite3). Every scenario sets PRAGMA secure_delete
explicitly (Debian builds SQLite with it on). The output is the same byte
for byte on every run with the same SQLite: the values come from a seeded
random generator, no clock is read, and SQLite's own random generator (the
WAL salts, the journal nonce) is seeded through sqlite3_test_control().

WAL files are captured un-checkpointed by copying the database and its -wal
while the writing connection is still open (a copy at that moment is what a
power cut or a kill -9 leaves). The hot journal is captured the same way in
the middle of an open transaction whose changed pages have already spilled
into the database file.

Truth. The script records each row version as it goes: before every DELETE,
UPDATE, DROP TABLE and ALTER TABLE it reads the rows about to change. Each
line of NAME.truth.jsonl is one such version:

    {"table": "sms", "rowid": 12, "kind": "deleted", "survives": true,
     "columns": ["_id", ...], "values": [12, 3, "+41...", ...],
     "ipk": "_id", "found": ["db@40960", "wal@8232"]}

kind is "deleted", "updated" (the version an UPDATE replaced), "dropped" (a
row of a dropped table, or of sqlite_schema) or "uncommitted" (a row only
the open transaction of a hot journal wrote: neither deleted nor live, the
scorer does not count it either way). values hold the IPK column's value
(the rowid) although a record stores NULL there; blobs are {"blob": hex};
"fields" is given when the record physically holds fewer columns than the
table (rows written before an ALTER TABLE ADD COLUMN). Uncommitted rows
are listed only when their bytes are in the files.

NAME.live.jsonl lists every row that SQLite itself shows when it opens a
copy of the files (WAL applied, hot journal rolled back): fx-carve must
never report one of them. To keep it small, each table's first line gives
its columns, {"table": "sms", "columns": [...], "ipk": "_id"}, and each row
line only {"table": "sms", "rowid": 3, "values": [...]}.

survives is decided from the bytes alone. The script encodes the row's
cell as SQLite does (record format, the database's text encoding, REAL
values stored as integers, local payload and overflow chunks for the
page's usable size) and searches the raw bytes of the db, WAL and journal
for the cell's in-page part without its first 4 bytes (a freeblock header
goes there when a cell is freed) and for each overflow chunk (a last
chunk under 16 bytes only after a zero next-page pointer). found lists where the cell would start
("db@N": byte N of NAME.db; wal, journal likewise; at most 4). A row
survives when its in-page part and every chunk are found, and no serial
type a value needs was in those 4 bytes, or the whole cell is found
intact (as in a WAL frame or a journal page). "types_lost" marks rows
whose bytes are there but lost such a serial type (a table without an
INTEGER PRIMARY KEY, or WITHOUT ROWID, with small cells): not surviving,
a carver may still give them as partial records. Every row carries a
unique value (a millisecond time, a 64-bit id or a unique text), so a
match is this row's bytes; the script checks that every live row's whole
cell is found and that no two row versions share a cell. Rows whose
searched part is under 8 bytes are marked "short": their survival is a
guess and the scorer leaves them out of recall.
"""
import argparse
import contextlib
import ctypes
import json
import os
import random
import re
import shutil
import sqlite3
import struct
import sys
import tempfile

SEED = 4  # the number
T0 = 1617873247692  # 2021-04-08T09:14:07.692Z in ms: the time rows start at

# ---------------------------------------------------------------- libsqlite3

_LIB = None


def lib():
    """The libsqlite3 that Python's sqlite3 module is linked to."""
    global _LIB
    if _LIB is None:
        _LIB = ctypes.CDLL("libsqlite3.so.0")
        _LIB.sqlite3_test_control.argtypes = [ctypes.c_int, ctypes.c_int,
                                              ctypes.c_void_p]
        _LIB.sqlite3_open.argtypes = [ctypes.c_char_p,
                                      ctypes.POINTER(ctypes.c_void_p)]
        _LIB.sqlite3_file_control.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                              ctypes.c_int, ctypes.c_void_p]
        _LIB.sqlite3_exec.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                      ctypes.c_void_p, ctypes.c_void_p,
                                      ctypes.c_void_p]
        _LIB.sqlite3_close.argtypes = [ctypes.c_void_p]
    return _LIB


def seed_sqlite(seed):
    """Seeds SQLite's random generator (WAL salts, journal nonce)."""
    SQLITE_TESTCTRL_PRNG_SEED = 28
    if lib().sqlite3_test_control(SQLITE_TESTCTRL_PRNG_SEED, seed, None) != 0:
        sys.exit("make-carve-fixtures: error: cannot seed SQLite's random "
                 "generator")


def create_with_reserve(path, page_size, reserve):
    """Creates an empty database whose pages keep `reserve` bytes unused.

    There is no pragma for it: this is what the shell's `.filectrl
    reserve_bytes` does, SQLITE_FCNTL_RESERVE_BYTES before page 1 exists.
    """
    SQLITE_FCNTL_RESERVE_BYTES = 38
    db = ctypes.c_void_p()
    L = lib()
    ok = L.sqlite3_open(path.encode(), ctypes.byref(db)) == 0
    ok = ok and L.sqlite3_exec(db, b"PRAGMA page_size=%d" % page_size,
                               None, None, None) == 0
    n = ctypes.c_int(reserve)
    ok = ok and L.sqlite3_file_control(db, b"main", SQLITE_FCNTL_RESERVE_BYTES,
                                       ctypes.byref(n)) == 0
    ok = ok and L.sqlite3_exec(db, b"PRAGMA user_version=0",
                               None, None, None) == 0
    L.sqlite3_close(db)
    with open(path, "rb") as f:
        hdr = f.read(100)
    if not ok or hdr[20] != reserve:
        sys.exit("make-carve-fixtures: error: cannot reserve bytes in '%s'"
                 % path)


# ------------------------------------------------------------ record format


def varint(v):
    """SQLite's big-endian varint of a 64-bit value."""
    v &= 0xFFFFFFFFFFFFFFFF
    if v >> 56:
        out = [v & 0xFF]
        v >>= 8
        for _ in range(8):
            out.append((v & 0x7F) | 0x80)
            v >>= 7
        return bytes(reversed(out))
    out = [v & 0x7F]
    v >>= 7
    while v:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    return bytes(reversed(out))


def int_serial(i):
    """Serial type and bytes of an integer (schema format 4)."""
    if i == 0:
        return 8, b""
    if i == 1:
        return 9, b""
    u = ~i if i < 0 else i
    for st, n, lim in ((1, 1, 127), (2, 2, 32767), (3, 3, 8388607),
                       (4, 4, 2147483647), (5, 6, 0x7FFFFFFFFFFF)):
        if u <= lim:
            return st, (i & ((1 << (8 * n)) - 1)).to_bytes(n, "big")
    return 6, (i & 0xFFFFFFFFFFFFFFFF).to_bytes(8, "big")


def serial(value, affinity, encoding):
    """Serial type and bytes of one value as SQLite writes it."""
    if value is None:
        return 0, b""
    if isinstance(value, float):
        # A REAL column stores an integral value as an integer on disk,
        # unless the integer would take 8 bytes.
        if affinity == "REAL" and value.is_integer() and \
                -2.0**63 < value < 2.0**63:
            st, b = int_serial(int(value))
            if st != 6:
                return st, b
        return 7, struct.pack(">d", value)
    if isinstance(value, int):
        return int_serial(value)
    if isinstance(value, str):
        b = value.encode(encoding)
        return 2 * len(b) + 13, b
    return 2 * len(value) + 12, bytes(value)


def record(table, values, encoding, fields=None):
    """The record of one row of `table`, and for each column the offset of
    its serial type in the record, or None for the IPK column (NULL, so
    a reader can tell it without reading it)."""
    types, body, where = [], [], []
    order = table.order[:fields] if fields else table.order
    for i in order:
        st, b = (0, b"") if i == table.ipk else \
            serial(values[i], table.affinity[i], encoding)
        where.append(None if i == table.ipk else sum(map(len, types)))
        types.append(varint(st))
        body.append(b)
    head = b"".join(types)
    n = len(head) + 1
    while len(varint(n)) + len(head) != n:
        n = len(varint(n)) + len(head)
    hs = len(varint(n))
    return varint(n) + head + b"".join(body), \
        [None if w is None else hs + w for w in where]


class Cell:
    """A row's cell as SQLite writes it in a leaf page.

    whole: its in-page part; tail: the same without the first 4 bytes (a
    freeblock header goes there when the cell is freed); chunks: the
    overflow pages' contents; lost: how many serial types (of columns
    other than the IPK) are in those 4 bytes, so gone from a freed cell.
    """

    def __init__(self, table, rowid, values, encoding, usable, fields=None):
        rec, types = record(table, values, encoding, fields)
        P = len(rec)
        index = table.without_rowid
        X = ((usable - 12) * 64 // 255 - 23) if index else usable - 35
        local = P
        if P > X:
            M = (usable - 12) * 32 // 255 - 23
            K = M + (P - M) % (usable - 4)
            local = K if K <= X else M
        prefix = varint(P) + (b"" if index else varint(rowid))
        self.whole = prefix + rec[:local]
        self.tail = self.whole[4:]
        step = usable - 4
        self.chunks = [rec[i:i + step] for i in range(local, P, step)]
        self.lost = sum(1 for t in types
                        if t is not None and len(prefix) + t < 4)


# ------------------------------------------------------------------- tables


class Table:
    """A table's shape: names, affinities, the IPK column, record order."""

    def __init__(self, con, name):
        self.name = name
        info = list(con.execute('PRAGMA table_info("%s")' % name))
        self.columns = [r[1] for r in info]
        self.affinity = [affinity(r[2]) for r in info]
        wr = [r[4] for r in con.execute("PRAGMA table_list")
              if r[0] == "main" and r[1] == name]
        self.without_rowid = bool(wr and wr[0])
        pks = sorted((r[5], r[0]) for r in info if r[5])
        self.ipk = None
        if not self.without_rowid and len(pks) == 1 and \
                info[pks[0][1]][2].upper() == "INTEGER":
            self.ipk = pks[0][1]
        self.order = list(range(len(info)))
        if self.without_rowid:
            first = [c for _, c in pks]
            self.order = first + [c for c in self.order if c not in first]

    def select(self):
        """SELECT list giving (rowid, every column)."""
        return ("NULL, *" if self.without_rowid else "rowid, *")


def affinity(decl):
    """Column affinity from a declared type (SQLite's rules, in order)."""
    d = (decl or "").upper()
    if "INT" in d:
        return "INTEGER"
    if "CHAR" in d or "CLOB" in d or "TEXT" in d:
        return "TEXT"
    if "BLOB" in d or not d:
        return "BLOB"
    if "REAL" in d or "FLOA" in d or "DOUB" in d:
        return "REAL"
    return "NUMERIC"


def user_tables(con):
    """Names of the tables a carver reports rows of, sqlite_schema first."""
    names = [r[1] for r in con.execute("PRAGMA table_list")
             if r[0] == "main" and r[2] == "table"]
    return ["sqlite_schema"] + sorted(
        n for n in names if not n.startswith("sqlite_"))


# ------------------------------------------------------------ realistic data

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "Anna Müller",
         "Luca Rossi", "黄晓明"]
PLACES = ["国贸", "西湖边", "人民广场", "中关村", "春熙路", "Bahnhofstrasse",
          "Piazza Grande"]
BRANDS = ["支付宝", "微信支付", "招商银行", "京东", "美团", "淘宝", "UBS"]
WORDS = ("the meeting moved to Friday please bring the documents and the "
         "signed contract 我们 明天 下午 开会 合同 已经 签好 了 请 带上 身份证 "
         "转账 收到 谢谢 好的 没问题 🚗 😀 🙏").split()


class Gen:
    """Values for phone-app rows; each row gets a unique millisecond time."""

    def __init__(self, rng):
        self.rng = rng
        self.n = 0

    def tick(self):
        """A unique, increasing time in ms since 1970 (a 48-bit integer)."""
        self.n += 1
        return T0 + self.n * 100000 + self.rng.randrange(100000)

    def phone(self):
        r = self.rng
        return r.choice([
            lambda: "+86138%08d" % r.randrange(10**8),
            lambda: "+4178%07d" % r.randrange(10**7),
            lambda: "1069%08d" % r.randrange(10**8),
            lambda: "10086",
            lambda: "95555",
            lambda: "+1 (415) 555-%04d" % r.randrange(10**4),
        ])()

    def body(self):
        r = self.rng
        code = "%06d" % r.randrange(10**6)
        return r.choice([
            lambda: "【%s】您的验证码是%s，5分钟内有效，请勿泄露。" % (
                r.choice(BRANDS), code),
            lambda: "【顺丰速运】您的快件SF%d已由快递员%s派送，请保持电话畅通。" % (
                r.randrange(10**12, 10**13), r.choice(NAMES)),
            lambda: "Your verification code is %s. Don't share it." % code,
            lambda: "%s：明天下午%d点在%s见，别迟到😀" % (
                r.choice(NAMES), r.randrange(1, 6), r.choice(PLACES)),
            lambda: "Transfer of CHF %d.%02d to CH93 0076 2011 6238 5295 7 "
                    "confirmed, ref %d" % (r.randrange(1, 5000),
                                           r.randrange(100),
                                           r.randrange(10**9)),
            lambda: "您尾号%04d的账户%d月%d日支出人民币%d.%02d元，余额%d元。" % (
                r.randrange(10**4), r.randrange(1, 13), r.randrange(1, 29),
                r.randrange(1, 9999), r.randrange(100), r.randrange(10**6)),
            lambda: "ok",
            lambda: "",
            lambda: "Running late, there in %d min" % r.randrange(2, 40),
        ])()

    def long_text(self, nbytes):
        """Chat text of at least nbytes UTF-8 bytes."""
        out, size = [], 0
        while size < nbytes:
            w = self.rng.choice(WORDS)
            out.append(w)
            size += len(w.encode()) + 1
        return " ".join(out)

    def blob(self, lo, hi):
        n = self.rng.randrange(lo, hi)
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    def svr_id(self):
        """A 64-bit server message id: large positive, sometimes negative."""
        r = self.rng
        return r.choice([r.randrange(2**62, 2**63),
                         r.randrange(2**62, 2**63),
                         -r.randrange(2**40, 2**63),
                         r.randrange(2**31, 2**47)])


SMS = """CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER,
address TEXT, person INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0,
protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1,
type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT,
service_center TEXT, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1,
error_code INTEGER DEFAULT 0, creator TEXT, seen INTEGER DEFAULT 0)"""


def sms(g, _id, body=None, thread=None):
    """An Android mmssms.db `sms` row."""
    r = g.rng
    date = g.tick()
    inbox = r.random() < 0.6
    return (_id, thread or r.randrange(1, 40), g.phone(),
            r.choice([None, None, r.randrange(1, 300)]), date,
            date - r.randrange(1000, 90000) if inbox else 0,
            0 if inbox else None, r.choice([0, 1, 1, 1]),
            -1 if inbox else r.choice([-1, 0, 32, 64]), 1 if inbox else 2,
            0 if inbox else None, None, g.body() if body is None else body,
            "+8613800100500" if inbox else None, 0, r.choice([1, 2, -1]),
            r.choice([0, 0, 0, -2147483648, 2147483647]),
            None if inbox else "com.android.mms", 1)


MESSAGE = """CREATE TABLE message (msgId INTEGER PRIMARY KEY, msgSvrId INTEGER,
type INT, status INT, isSend INT, isShowTimer INTEGER, createTime INTEGER,
talker TEXT, content TEXT, imgPath TEXT, reserved TEXT, lvbuffer BLOB,
transContent TEXT, talkerId INTEGER, bizChatId INTEGER DEFAULT -1,
msgSeq INTEGER, flag INT)"""


def message(g, msg_id, content=None, blob=None):
    """A WeChat-like chat `message` row: 64-bit ids, a BLOB, Chinese text."""
    r = g.rng
    send = r.randrange(2)
    kind = r.choice([1, 1, 1, 3, 34, 49, 10000])
    talker = r.choice(["wxid_%010d" % r.randrange(10**10),
                       "%d@chatroom" % r.randrange(10**10, 10**11)])
    if content is None:
        content = g.long_text(r.randrange(4, 120)) if kind != 3 else \
            '<msg><img length="%d" md5="%032x"/></msg>' % (
                r.randrange(10**6), r.getrandbits(128))
    return (msg_id, g.svr_id(), kind, r.choice([2, 3, 4]), send,
            r.randrange(2), g.tick(), talker, content,
            "THUMBNAIL_DIRPATH://th_%032x" % r.getrandbits(128)
            if kind == 3 else None,
            None, g.blob(8, 40) if blob is None else blob, None,
            r.randrange(1, 5000), -1, r.randrange(2**31, 2**40),
            r.choice([0, 1, 2, 256]))


CALLS = """CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT,
presentation INTEGER NOT NULL DEFAULT 1, date INTEGER, duration INTEGER,
data_usage INTEGER, type INTEGER, features INTEGER NOT NULL DEFAULT 0,
subscription_id TEXT, new INTEGER, name TEXT, numbertype INTEGER,
numberlabel TEXT, countryiso TEXT, is_read INTEGER, geocoded_location TEXT,
normalized_number TEXT, photo_id INTEGER NOT NULL DEFAULT 0,
formatted_number TEXT, last_modified INTEGER DEFAULT 0)"""


def call(g, _id):
    """An Android calllog.db `calls` row."""
    r = g.rng
    num = g.phone()
    date = g.tick()
    kind = r.choice([1, 2, 3, 5])
    return (_id, num, 1, date, 0 if kind == 3 else r.randrange(1, 90000),
            r.choice([None, r.randrange(2**20, 2**36)]), kind,
            r.choice([0, 1, 32]), "89860318%012d" % r.randrange(10**12),
            r.randrange(2), r.choice([None, r.choice(NAMES)]),
            r.choice([0, 1, 2, 7]), None, r.choice(["CN", "CH", "US"]),
            r.randrange(2), r.choice(["北京", "上海", "Zürich", None]),
            num.replace(" ", ""), 0, num, date + r.randrange(0, 10**6))


LOCATION = """CREATE TABLE location (_id INTEGER PRIMARY KEY, time INTEGER,
latitude REAL, longitude REAL, accuracy REAL, altitude REAL, speed REAL,
provider TEXT)"""


def location(g, _id):
    """A location fix: REAL values, some integral (stored as integers)."""
    r = g.rng
    return (_id, g.tick(), 39.9042 + r.uniform(-0.5, 0.5),
            116.4074 + r.uniform(-0.5, 0.5),
            r.choice([20.0, 5.0, r.uniform(3, 60)]),
            r.choice([0.0, 43.5, r.uniform(-10, 3000), 1e15]),
            r.choice([None, 0.0, r.uniform(0, 40)]),
            r.choice(["gps", "network", "fused"]))


THREADS = """CREATE TABLE threads (_id INTEGER PRIMARY KEY,
date INTEGER DEFAULT 0, message_count INTEGER DEFAULT 0, recipient_ids TEXT,
snippet TEXT, snippet_cs INTEGER DEFAULT 0, read INTEGER DEFAULT 1,
archived INTEGER DEFAULT 0, type INTEGER DEFAULT 0, error INTEGER DEFAULT 0,
has_attachment INTEGER DEFAULT 0)"""

RCONTACT = """CREATE TABLE rcontact (username TEXT PRIMARY KEY, alias TEXT,
conRemark TEXT, nickname TEXT, type INTEGER, verifyFlag INTEGER DEFAULT 0,
lvbuff BLOB)"""


def rcontact(g):
    """A WeChat-like contact: TEXT PRIMARY KEY, so an implicit rowid."""
    r = g.rng
    return ("wxid_%014d" % g.tick(),
            r.choice([None, "a%d" % r.randrange(10**6)]),
            r.choice(["", r.choice(NAMES) + "（同事）"]), r.choice(NAMES),
            r.choice([1, 3, 33, 2051]), r.choice([0, 8, 24]), g.blob(4, 30))


PAYMENT = """CREATE TABLE payment (_id INTEGER PRIMARY KEY,
trade_no TEXT UNIQUE, amount REAL, currency TEXT, counterpart TEXT,
create_time INTEGER, memo TEXT, raw BLOB)"""


def payment(g, _id):
    """A payment: REAL amounts (integral ones stored as integers)."""
    r = g.rng
    t = g.tick()
    return (_id, "2021%020d" % t, r.choice([100.0, 12.5, -300.0, 0.01,
                                            r.randrange(1, 10**5) / 100]),
            r.choice(["CNY", "CHF"]), r.choice(NAMES), t // 1000,
            r.choice([None, "房租", "dinner 🍜", ""]), g.blob(16, 48))


# ---------------------------------------------------------------- scenarios


class Scenario:
    """A database being written, and every row version it loses."""

    def __init__(self, name, work, seed):
        self.name = name
        self.path = os.path.join(work, name + ".db")
        self.rng = random.Random(seed)
        self.gen = Gen(self.rng)
        self.versions = []  # (kind, Table, rowid, values, fields)
        self.fields = {}    # (table, rowid) -> field count before an ALTER
        self.kept = []      # file suffixes kept: "", "-wal", "-journal"
        self.snapdir = os.path.join(work, name + ".snap")
        self.con = None
        seed_sqlite(seed)

    def open(self, page_size=4096, encoding=None, reserve=0, auto_vacuum=None,
             journal_mode="DELETE", secure_delete=False, cache_size=None,
             wal_autocheckpoint=None):
        if reserve:
            create_with_reserve(self.path, page_size, reserve)
        con = sqlite3.connect(self.path, isolation_level=None)
        self.con = con
        on = "ON" if secure_delete else "OFF"
        if con.execute("PRAGMA secure_delete=%s" % on).fetchone()[0] != \
                int(secure_delete):
            sys.exit("make-carve-fixtures: error: secure_delete not set")
        con.execute("PRAGMA page_size=%d" % page_size)
        if auto_vacuum:
            con.execute("PRAGMA auto_vacuum=%s" % auto_vacuum)
        if encoding:
            con.execute("PRAGMA encoding='%s'" % encoding)
        con.execute("PRAGMA journal_mode=%s" % journal_mode)
        if cache_size:
            con.execute("PRAGMA cache_size=%d" % cache_size)
        if wal_autocheckpoint is not None:
            con.execute("PRAGMA wal_autocheckpoint=%d" % wal_autocheckpoint)
        return con

    @contextlib.contextmanager
    def tx(self):
        """One transaction."""
        self.con.execute("BEGIN")
        yield self.con
        self.con.execute("COMMIT")

    def sql(self, text, params=()):
        return self.con.execute(text, params)

    def create(self, *statements):
        with self.tx():
            for s in statements:
                self.sql(s)
        self.sql("CREATE TABLE IF NOT EXISTS android_metadata (locale TEXT)")
        if not self.sql("SELECT count(*) FROM android_metadata").fetchone()[0]:
            self.sql("INSERT INTO android_metadata VALUES ('zh_CN')")

    def insert(self, table, rows):
        rows = list(rows)
        if rows:
            self.con.executemany('INSERT INTO "%s" VALUES (%s)' % (
                table, ",".join("?" * len(rows[0]))), rows)
        return rows

    def rows(self, table, where="1", params=()):
        """(Table, [(rowid, values)]) of the rows matching where."""
        t = Table(self.con, table)
        q = 'SELECT %s FROM "%s" WHERE %s' % (t.select(), table, where)
        if not t.without_rowid:
            q += " ORDER BY rowid"
        return t, [(r[0], list(r[1:])) for r in self.sql(q, params)]

    def keep(self, kind, table, where, params=()):
        t, rows = self.rows(table, where, params)
        for rowid, values in rows:
            self.versions.append((kind, t, rowid, values,
                                  self.fields.get((table, rowid))))
        return rows

    def delete(self, table, where, params=()):
        """DELETE, recording the rows it deletes."""
        n = len(self.keep("deleted", table, where, params))
        self.sql('DELETE FROM "%s" WHERE %s' % (table, where), params)
        return n

    def delete_ids(self, table, ids, key="_id"):
        for i in ids:
            self.delete(table, "%s=?" % key, (i,))

    def update(self, table, assign, where, params=(), values=()):
        """UPDATE, recording the versions it replaces; values are the
        parameters of assign, params those of where."""
        old = self.keep("updated", table, where, params)
        self.sql('UPDATE "%s" SET %s WHERE %s' % (table, assign, where),
                 tuple(values) + tuple(params))
        for rowid, before in old:
            self.fields.pop((table, rowid), None)
            _, after = self.rows(table, "rowid=?", (rowid,))
            if after and after[0][1] == before:
                sys.exit("make-carve-fixtures: error: %s: an update of %s "
                         "changed nothing" % (self.name, table))

    def drop(self, table):
        """DROP TABLE, recording its rows and its schema rows."""
        self.keep("dropped", table, "1")
        self.keep("dropped", "sqlite_schema", "tbl_name=?", (table,))
        self.sql('DROP TABLE "%s"' % table)

    def add_column(self, table, coldef):
        """ALTER TABLE ADD COLUMN: older records keep fewer fields."""
        t, rows = self.rows(table)
        for rowid, _ in rows:
            self.fields.setdefault((table, rowid), len(t.columns))
        self.keep("updated", "sqlite_schema", "name=?", (table,))
        self.sql('ALTER TABLE "%s" ADD COLUMN %s' % (table, coldef))

    def snapshot(self, *suffixes):
        """Copies the files as they are now (the connection may be open)."""
        shutil.rmtree(self.snapdir, ignore_errors=True)
        os.makedirs(self.snapdir)
        self.kept = [""] + list(suffixes)
        for suf in self.kept:
            src = self.path + suf
            if not os.path.exists(src):
                sys.exit("make-carve-fixtures: error: %s: no '%s'" % (
                    self.name, os.path.basename(src)))
            shutil.copyfile(src, os.path.join(self.snapdir, self.name + ".db" +
                                              suf))

    def close(self):
        if not self.kept:
            self.snapshot()
        if self.con:
            self.con.close()
            self.con = None


def insert_sms(s, ids, **kw):
    return s.insert("sms", [sms(s.gen, i, **kw) for i in ids])


def scattered(s):
    """sms, 200 rows; 30 single rows deleted far apart, in 3 transactions."""
    s.open()
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    ids = sorted(s.rng.sample(range(1, 201, 6), 30))
    for part in (ids[0::3], ids[1::3], ids[2::3]):
        with s.tx():
            s.delete_ids("sms", part)
    s.close()


def adjacent(s):
    """sms, 200 rows; runs of 2 to 9 adjacent rows deleted, one
    transaction per run."""
    s.open()
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    start = 5
    while start < 190:
        n = s.rng.randrange(2, 10)
        with s.tx():
            s.delete("sms", "_id BETWEEN ? AND ?", (start, start + n - 1))
        start += n + s.rng.randrange(10, 30)
    s.close()


def empty_pages(s):
    """sms, 260 rows; two ranges deleted that empty whole pages, then 20 new
    rows take some of the freed pages back."""
    s.open()
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 261))
    with s.tx():
        s.delete("sms", "_id BETWEEN 40 AND 110")
    with s.tx():
        s.delete("sms", "_id BETWEEN 150 AND 215")
    with s.tx():
        insert_sms(s, range(261, 281))
    s.close()


def overwritten(s):
    """sms, 200 rows; 36 rows deleted, then 24 of their ids written again
    with other rows, most of them shorter, that take the tail of a freed
    cell (the longer ones make SQLite defragment the page)."""
    s.open()
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    ids = sorted(s.rng.sample(range(1, 201), 36))
    with s.tx():
        s.delete_ids("sms", ids)
    with s.tx():
        s.insert("sms", [sms(s.gen, i, body=s.rng.choice(
            ["ok", "好的", "收到", None])) for i in sorted(s.rng.sample(ids, 24))])
    s.close()


def utf16(encoding):
    def scenario(s):
        s.open(encoding=encoding)
        s.create(SMS, MESSAGE)
        with s.tx():
            insert_sms(s, range(1, 121))
            s.insert("message", [message(s.gen, i) for i in range(1, 61)])
        with s.tx():
            s.delete_ids("sms", sorted(s.rng.sample(range(1, 121), 12)))
            s.delete("sms", "_id BETWEEN 80 AND 85")
            s.delete_ids("message", sorted(s.rng.sample(range(1, 61), 8),
                                           reverse=True), "msgId")
        with s.tx():
            s.update("sms", "body = body || ' (已读)', read = 1",
                     "_id % 23 = 0")
        s.close()
    scenario.__doc__ = ("%s database: sms and message with Chinese text and "
                        "emoji; scattered and adjacent deletes, updates"
                        % encoding)
    return scenario


def overflow(s):
    """message, 60 rows, one in 6 with a 2 to 8 KB text and one in 6 with
    a 1.2 to 3 KB BLOB, spilling into overflow pages; 14 deleted (8 of
    them long), then a new long row reuses some freed pages."""
    s.open()
    s.create(MESSAGE)
    g = s.gen
    rows = []
    for i in range(1, 61):
        if i % 6 == 0:
            rows.append(message(g, i, content=g.long_text(
                s.rng.randrange(2000, 8000))))
        elif i % 6 == 1:
            rows.append(message(g, i, blob=g.blob(1200, 3000)))
        else:
            rows.append(message(g, i))
    with s.tx():
        s.insert("message", rows)
    long_ids = [i for i in range(1, 61) if i % 6 in (0, 1)]
    with s.tx():
        s.delete_ids("message", sorted(
            s.rng.sample(long_ids, 8) +
            s.rng.sample([i for i in range(1, 61) if i % 6 > 1], 6)), "msgId")
    with s.tx():
        s.insert("message", [message(g, 61, content=g.long_text(5000))])
    s.close()


def bigrowid(s):
    """chat table keyed by 64-bit server ids (rowids past 2^31, 2^48 and
    negative ones); 30 deleted."""
    s.open()
    s.create("""CREATE TABLE msg (svr_id INTEGER PRIMARY KEY, talker TEXT,
        create_time INTEGER, content TEXT, flags INTEGER, thumb BLOB)""")
    g, r = s.gen, s.rng
    ids = set()
    while len(ids) < 240:
        ids.add(r.choice([r.randrange(2**31, 2**32), r.randrange(2**47, 2**48),
                          r.randrange(2**62, 2**63), -r.randrange(1, 2**63),
                          r.randrange(2**31)]))
    ids = sorted(ids)
    with s.tx():
        s.insert("msg", [(i, "wxid_%010d" % r.randrange(10**10), g.tick(),
                          g.long_text(r.randrange(5, 200)), r.randrange(2**16),
                          r.choice([None, g.blob(4, 24)])) for i in ids])
    with s.tx():
        s.delete_ids("msg", sorted(r.sample(ids, 30)), "svr_id")
    s.close()


def page512(s):
    """512-byte pages: sms rows, long bodies overflow; scattered and
    adjacent deletes."""
    s.open(page_size=512)
    s.create(SMS)
    g = s.gen
    with s.tx():
        s.insert("sms", [sms(g, i, body=g.long_text(700) if i % 10 == 0
                             else None) for i in range(1, 201)])
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 201), 20)))
        s.delete("sms", "_id BETWEEN 150 AND 160")
    s.close()


def page65536(s):
    """64 KiB pages: message rows, one of 66 KB overflowing; scattered
    and adjacent deletes (the long row among them)."""
    s.open(page_size=65536)
    s.create(MESSAGE)
    g = s.gen
    rows = [message(g, i, content=g.long_text(66000) if i == 90 else
                    g.long_text(s.rng.randrange(100, 900)))
            for i in range(1, 131)]
    with s.tx():
        s.insert("message", rows)
    with s.tx():
        s.delete_ids("message", sorted(set(s.rng.sample(range(1, 131), 14)) |
                                       {90}), "msgId")
        s.delete("message", "msgId BETWEEN 100 AND 107")
    s.close()


def reserved(s):
    """4096-byte pages with 32 reserved bytes at each page's end (as in
    encrypted or checksummed databases); sms and calls, deletes."""
    s.open(reserve=32)
    s.create(SMS, CALLS)
    with s.tx():
        insert_sms(s, range(1, 161))
        s.insert("calls", [call(s.gen, i) for i in range(1, 61)])
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 161), 16)))
        s.delete("sms", "_id BETWEEN 130 AND 136")
        s.delete_ids("calls", sorted(s.rng.sample(range(1, 61), 8)))
    s.close()


def autovacuum(mode):
    def scenario(s):
        s.open(auto_vacuum=mode)
        s.create(SMS, CALLS)
        with s.tx():
            insert_sms(s, range(1, 201))
            s.insert("calls", [call(s.gen, i) for i in range(1, 81)])
        with s.tx():
            s.delete_ids("sms", sorted(s.rng.sample(range(1, 201), 16)))
            s.delete("sms", "_id BETWEEN 70 AND 140")
            s.delete_ids("calls", sorted(s.rng.sample(range(1, 81), 8)))
        if mode == "INCREMENTAL":
            s.sql("PRAGMA incremental_vacuum(2)")
        s.close()
    scenario.__doc__ = ("auto_vacuum=%s: sms and calls, scattered deletes and "
                        "a range that empties pages%s" % (
                            mode, ", then incremental_vacuum(2) frees 2 of "
                            "the free pages" if mode == "INCREMENTAL" else
                            " (the file shrinks at commit)"))
    return scenario


def wal(s):
    """WAL mode, the rows checkpointed into the db; then deletes and updates
    in 4 transactions still in the un-checkpointed WAL."""
    s.open(journal_mode="WAL", wal_autocheckpoint=0)
    s.create(SMS, CALLS)
    with s.tx():
        insert_sms(s, range(1, 161))
        s.insert("calls", [call(s.gen, i) for i in range(1, 61)])
    s.sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 161), 12)))
    with s.tx():
        s.delete("sms", "_id BETWEEN 60 AND 68")
        s.delete_ids("calls", sorted(s.rng.sample(range(1, 61), 6)))
    with s.tx():
        s.update("sms", "read = 1, seen = 1, body = body || ' ✓'",
                 "read = 0 AND _id > 100")
    with s.tx():
        insert_sms(s, range(161, 171))
        s.delete("sms", "_id BETWEEN 161 AND 164")
    s.snapshot("-wal")
    s.close()


def wal_restart(s):
    """WAL mode: deletes checkpointed (PASSIVE), then a new transaction
    restarts the WAL from its start, so older frames stay behind it."""
    s.open(journal_mode="WAL", wal_autocheckpoint=0)
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 161))
    s.sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for _ in range(3):
        with s.tx():
            s.delete_ids("sms", sorted(s.rng.sample(
                [r[0] for r in s.sql("SELECT _id FROM sms")], 8)))
    s.sql("PRAGMA wal_checkpoint(PASSIVE)")
    with s.tx():
        s.delete("sms", "_id IN (SELECT _id FROM sms WHERE _id > 140 "
                 "LIMIT 3)")
    s.snapshot("-wal")
    s.close()


def journal(s):
    """hot rollback journal: deletes committed; then an open transaction
    writes 20 new rows over the freed ids and 30 long ones after them, so
    its pages spill into the db (cache_size=10); db and -journal copied
    before COMMIT. Uncommitted rows are listed when their bytes are in
    the files."""
    s.open(journal_mode="DELETE", cache_size=10)
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    ids = sorted(s.rng.sample(range(1, 201), 30))
    with s.tx():
        s.delete_ids("sms", ids)
    s.sql("BEGIN")
    new = insert_sms(s, sorted(s.rng.sample(ids, 20)), body="ok")
    new += [insert_sms(s, [i], body=s.gen.long_text(
        s.rng.randrange(1200, 1800)))[0] for i in range(201, 231)]
    t = Table(s.con, "sms")
    for row in new:
        s.versions.append(("uncommitted", t, row[0], list(row), None))
    s.snapshot("-journal")
    s.sql("ROLLBACK")
    s.close()


def journal_persist(s):
    """journal_mode=PERSIST, all committed: the last transaction's journal
    (header zeroed) still holds the pages before it, with rows it deleted
    and the space of earlier deletes it wrote over."""
    s.open(journal_mode="PERSIST")
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    ids = sorted(s.rng.sample(range(1, 201), 30))
    with s.tx():
        s.delete_ids("sms", ids)
    with s.tx():
        insert_sms(s, sorted(s.rng.sample(ids, 18)), body="ok")
        s.delete_ids("sms", sorted(s.rng.sample(
            [i for i in range(1, 201) if i not in ids], 10)))
    s.snapshot("-journal")
    s.close()


def dropped(s):
    """sms, calls (with an index) and location; calls dropped (its rows,
    index and schema rows freed), then new sms rows reuse some freed
    pages."""
    s.open()
    s.create(SMS, CALLS, LOCATION, "CREATE INDEX calls_date ON calls(date)")
    with s.tx():
        insert_sms(s, range(1, 81))
        s.insert("calls", [call(s.gen, i) for i in range(1, 121)])
        s.insert("location", [location(s.gen, i) for i in range(1, 61)])
    with s.tx():
        s.delete_ids("location", sorted(s.rng.sample(range(1, 61), 8)))
    with s.tx():
        s.drop("calls")
    with s.tx():
        insert_sms(s, range(81, 121))
    s.close()


RAW_CONTACTS = ["_id INTEGER PRIMARY KEY", "account_id INTEGER",
                "sourceid TEXT", "backup_id TEXT",
                "raw_contact_is_read_only INTEGER",
                "version INTEGER", "dirty INTEGER", "deleted INTEGER",
                "metadata_dirty INTEGER", "contact_id INTEGER",
                "aggregation_mode INTEGER", "aggregation_needed INTEGER",
                "custom_ringtone TEXT", "send_to_voicemail INTEGER",
                "times_contacted INTEGER", "last_time_contacted INTEGER",
                "starred INTEGER", "pinned INTEGER", "display_name TEXT",
                "display_name_alt TEXT", "display_name_source INTEGER",
                "phonetic_name TEXT", "phonetic_name_style TEXT",
                "sort_key TEXT", "phonebook_label TEXT",
                "phonebook_bucket INTEGER", "sort_key_alt TEXT",
                "phonebook_label_alt TEXT", "phonebook_bucket_alt INTEGER",
                "name_verified INTEGER", "sync1 TEXT", "sync2 TEXT",
                "sync3 TEXT", "sync4 TEXT"]


def raw_contact(g, _id):
    """A 34-column Android raw_contacts row."""
    r = g.rng
    name = r.choice(NAMES) + " %d" % _id
    return (_id, 1, "c%d" % r.getrandbits(40), None, 0, r.randrange(1, 9), 0,
            0, 0, _id, 0, 0, None, 0, r.randrange(50), g.tick(),
            r.randrange(2), 0, name, name, 40, None, "0", name, "Z", 26, name,
            "Z", 26, 0, None, None, None, r.choice([None, "%x" %
                                                    r.getrandbits(64)]))


def shapes(s):
    """several shapes: sms; a 34-column raw_contacts; rcontact (TEXT key,
    implicit rowid); search_history (no key at all); prefs WITHOUT ROWID;
    read_receipt (2 columns, short rows); threads with columns added by
    ALTER TABLE (older records hold fewer fields); deletes in each."""
    s.open()
    s.create(SMS, "CREATE TABLE raw_contacts (%s)" % ", ".join(RAW_CONTACTS),
             RCONTACT, "CREATE TABLE search_history (query TEXT, time INTEGER,"
             " source INTEGER)",
             "CREATE TABLE prefs (key TEXT PRIMARY KEY, value BLOB,"
             " updated INTEGER) WITHOUT ROWID",
             "CREATE TABLE read_receipt (msg_id INTEGER PRIMARY KEY,"
             " read_time INTEGER)", THREADS)
    g, r = s.gen, s.rng
    with s.tx():
        insert_sms(s, range(1, 61))
        s.insert("raw_contacts", [raw_contact(g, i) for i in range(1, 41)])
        s.insert("rcontact", [rcontact(g) for _ in range(50)])
        s.insert("search_history", [(r.choice(["天气", "地铁 线路", "Zürich HB",
                                               "附近 火锅"]) + " %d" % i,
                                     g.tick(), r.randrange(3))
                                    for i in range(80)])
        s.insert("prefs", [("pref.%d.%s" % (i, r.choice(["sync", "theme",
                                                         "last_login"])),
                            g.blob(2, 40), g.tick()) for i in range(80)])
        s.insert("read_receipt", [(i, g.tick()) for i in range(1, 121)])
        s.insert("threads", [(i, g.tick(), r.randrange(1, 40), str(i),
                              g.body(), 0, 1, 0, 0, 0, 0)
                             for i in range(1, 41)])
    s.add_column("threads", "pinned INTEGER DEFAULT 0")
    s.add_column("threads", "draft TEXT DEFAULT ''")
    with s.tx():
        s.insert("threads", [(i, g.tick(), 1, str(i), g.body(), 0, 1, 0, 0, 0,
                              0, r.randrange(2), "草稿 %d" % i)
                             for i in range(41, 51)])
        s.update("threads", "pinned = 1, date = date + 1", "_id % 7 = 0")
    with s.tx():
        s.delete_ids("sms", sorted(r.sample(range(1, 61), 8)))
        s.delete_ids("raw_contacts", sorted(r.sample(range(1, 41), 6)))
        s.delete("rcontact", "rowid % 9 = 4")
        s.delete("search_history", "rowid % 8 = 3")
        s.delete("prefs", "updated % 7 = 1")
        s.delete("read_receipt", "msg_id % 10 = 5")
        s.delete("threads", "_id % 6 = 2")
    s.close()


def updates(s):
    """sms and threads: updates that grow or shrink rows (the old version
    freed), same-size updates (overwritten in place), rows updated twice."""
    s.open()
    s.create(SMS, THREADS)
    g, r = s.gen, s.rng
    with s.tx():
        insert_sms(s, range(1, 201))
        s.insert("threads", [(i, g.tick(), 5, str(i), g.body(), 0, 1, 0, 0, 0,
                              0) for i in range(1, 41)])
    with s.tx():
        s.update("sms", "body = body || ' [edited]'", "_id % 9 = 0")
        s.update("sms", "body = substr(body, 1, 3) || '…'", "_id % 11 = 0")
        s.update("sms", "read = 1 - read, seen = 0", "_id % 13 = 0")
    for i in range(1, 41, 3):
        with s.tx():
            s.update("threads", "date = ?, snippet = ?, message_count = "
                     "message_count + 1", "_id = ?", (i,),
                     (g.tick(), g.body()))
    with s.tx():
        s.update("threads", "snippet = ?, date = ?", "_id = 4", (),
                 ("收到，谢谢", g.tick()))
    s.close()


def index(s):
    """sms with three indexes (address, thread_id+date, unique date); rows
    deleted scattered and in a run: their keys stay in index pages too."""
    s.open()
    s.create(SMS, "CREATE INDEX sms_address ON sms(address)",
             "CREATE INDEX sms_thread_date ON sms(thread_id, date)",
             "CREATE UNIQUE INDEX sms_date ON sms(date)")
    with s.tx():
        insert_sms(s, range(1, 201))
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 201), 20)))
        s.delete("sms", "_id BETWEEN 150 AND 170")
    s.close()


def secure_delete(s):
    """secure_delete=ON, rollback journal (deleted at commit): scattered,
    adjacent and whole-page deletes, overflow rows, updates; nothing of a
    deleted row may survive."""
    s.open(secure_delete=True)
    s.create(SMS, MESSAGE)
    g = s.gen
    with s.tx():
        insert_sms(s, range(1, 201))
        s.insert("message", [message(g, i, content=g.long_text(6000)
                                     if i % 5 == 0 else None)
                             for i in range(1, 31)])
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 201), 20)))
        s.delete("sms", "_id BETWEEN 80 AND 140")
        s.delete_ids("message", [5, 10, 11, 12, 30], "msgId")
    with s.tx():
        s.update("sms", "body = body || ' [edited]'", "_id % 17 = 0")
    s.close()


def secure_delete_wal(s):
    """secure_delete=ON in WAL mode, not checkpointed: the WAL pages are
    wiped, but the db still holds the deleted rows' last committed pages."""
    s.open(secure_delete=True, journal_mode="WAL", wal_autocheckpoint=0)
    s.create(SMS)
    with s.tx():
        insert_sms(s, range(1, 201))
    s.sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with s.tx():
        s.delete_ids("sms", sorted(s.rng.sample(range(1, 201), 20)))
    with s.tx():
        insert_sms(s, range(201, 221))
        s.delete("sms", "_id BETWEEN 203 AND 206")
    s.snapshot("-wal")
    s.close()


def mixed_real_app(s):
    """an SMS/chat app in WAL mode (wal_autocheckpoint=50): sms, threads,
    calls, message, rcontact, payment, location, 6 indexes; 640
    interleaved inserts, deletes and thread updates in 160 transactions;
    the WAL copied while the app still has it open."""
    s.open(journal_mode="WAL", wal_autocheckpoint=50)
    s.create(SMS, THREADS, CALLS, MESSAGE, RCONTACT, PAYMENT, LOCATION,
             "CREATE INDEX sms_thread ON sms(thread_id, date)",
             "CREATE INDEX sms_address ON sms(address)",
             "CREATE INDEX message_talker ON message(talker, createTime)",
             "CREATE INDEX message_svr ON message(msgSvrId)",
             "CREATE INDEX calls_number ON calls(normalized_number)",
             "CREATE INDEX payment_time ON payment(create_time)")
    g, r = s.gen, s.rng
    nxt = {"sms": 1, "calls": 1, "message": 1, "payment": 1, "location": 1}
    with s.tx():
        s.insert("threads", [(i, g.tick(), 0, str(i), "", 0, 1, 0, 0, 0, 0)
                             for i in range(1, 21)])
        s.insert("rcontact", [rcontact(g) for _ in range(40)])
    makers = {"sms": lambda i: sms(g, i, thread=r.randrange(1, 21)),
              "calls": lambda i: call(g, i),
              "message": lambda i: message(g, i, content=g.long_text(5000)
                                           if r.random() < 0.02 else None),
              "payment": lambda i: payment(g, i),
              "location": lambda i: location(g, i)}
    keys = {"message": "msgId"}
    for _ in range(160):
        with s.tx():
            for _ in range(4):
                table = r.choice(["sms", "sms", "message", "message", "calls",
                                  "payment", "location"])
                key = keys.get(table, "_id")
                if r.random() < 0.8 or nxt[table] < 10:
                    row = makers[table](nxt[table])
                    nxt[table] += 1
                    s.insert(table, [row])
                    if table == "sms":
                        s.update("threads", "date = ?, snippet = ?, "
                                 "message_count = message_count + 1",
                                 "_id = ?", (row[1],), (row[4], row[12]))
                else:
                    lo = r.randrange(1, nxt[table])
                    s.delete(table, "%s BETWEEN ? AND ?" % key,
                             (lo, lo + r.choice([0, 0, 0, 1, 4])))
            if r.random() < 0.05:
                s.delete("rcontact", "rowid = (SELECT max(rowid) FROM "
                         "rcontact)")
                s.insert("rcontact", [rcontact(g)])
    s.snapshot("-wal")
    s.close()


SCENARIOS = [
    ("scattered", scattered),
    ("adjacent", adjacent),
    ("empty-pages", empty_pages),
    ("overwritten", overwritten),
    ("utf16le", utf16("UTF-16le")),
    ("utf16be", utf16("UTF-16be")),
    ("overflow", overflow),
    ("bigrowid", bigrowid),
    ("page512", page512),
    ("page65536", page65536),
    ("reserved", reserved),
    ("autovacuum-full", autovacuum("FULL")),
    ("autovacuum-incremental", autovacuum("INCREMENTAL")),
    ("wal", wal),
    ("wal-restart", wal_restart),
    ("journal", journal),
    ("journal-persist", journal_persist),
    ("dropped", dropped),
    ("shapes", shapes),
    ("updates", updates),
    ("index", index),
    ("secure-delete", secure_delete),
    ("secure-delete-wal", secure_delete_wal),
    ("mixed-real-app", mixed_real_app),
]

# ------------------------------------------------------------------- truth


class Files:
    """The raw bytes of a scenario's files and the database's layout."""

    def __init__(self, snapdir, name, kept):
        self.data = {}
        for suf in kept:
            with open(os.path.join(snapdir, name + ".db" + suf), "rb") as f:
                self.data[suf.lstrip("-") or "db"] = f.read()
        hdr = self.data["db"][:100]
        ps = struct.unpack(">H", hdr[16:18])[0]
        self.page_size = 65536 if ps == 1 else ps
        self.usable = self.page_size - hdr[20]
        self.encoding = {1: "utf-8", 2: "utf-16-le",
                         3: "utf-16-be"}[struct.unpack(">I", hdr[56:60])[0]]

    def find(self, needle, limit=4):
        """Where needle occurs: ["db@123", ...]."""
        out = []
        for kind, data in self.data.items():
            pos = data.find(needle)
            while pos >= 0 and len(out) < limit:
                out.append("%s@%d" % (kind, pos))
                pos = data.find(needle, pos + 1)
        return out

    def survives(self, cell):
        """(places of the cell's tail, survives, tail found but serial types
        lost). A row survives when its whole cell is found, or its tail
        with every serial type it needs, and each overflow chunk is found
        (the last at a page start, after a zero next-page pointer)."""
        where = [w.rsplit("@", 1)[0] + "@%d" % (int(w.rsplit("@", 1)[1]) - 4)
                 for w in self.find(cell.tail)]
        n = len(cell.chunks)
        chunks = all(self.find(c if i + 1 < n or len(c) >= 16 else
                               b"\0\0\0\0" + c, 1)
                     for i, c in enumerate(cell.chunks))
        intact = bool(where) and (not cell.lost or
                                  bool(self.find(cell.whole, 1)))
        return where, chunks and intact, chunks and bool(where) and \
            not intact


def jvalue(v):
    return {"blob": bytes(v).hex()} if isinstance(v, (bytes, bytearray)) else v


def row_json(table, rowid, values, columns=True, **extra):
    """One line of truth (or, without columns, of live rows)."""
    out = {"table": table.name, "rowid": rowid}
    out.update({k: v for k, v in extra.items() if k in ("kind", "survives")})
    if columns:
        out["columns"] = table.columns
    out["values"] = [rowid if i == table.ipk else jvalue(v)
                     for i, v in enumerate(values)]
    if columns:
        out["ipk"] = ipk_name(table)
    out.update({k: v for k, v in extra.items()
                if k not in ("kind", "survives") and v is not None})
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def ipk_name(table):
    return None if table.ipk is None else table.columns[table.ipk]


def live_rows(snapdir, name, kept):
    """Every row SQLite shows on a copy of the files, as
    [(Table, rowid, values)]."""
    tmp = tempfile.mkdtemp(prefix="fx-carve-live-")
    try:
        for suf in kept:
            shutil.copyfile(os.path.join(snapdir, name + ".db" + suf),
                            os.path.join(tmp, "x.db" + suf))
        con = sqlite3.connect(os.path.join(tmp, "x.db"))
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            sys.exit("make-carve-fixtures: error: %s: integrity_check "
                     "failed" % name)
        out = []
        for tname in user_tables(con):
            t = Table(con, tname)
            q = 'SELECT %s FROM "%s"' % (t.select(), tname)
            out += [(t, r[0], list(r[1:])) for r in con.execute(q)]
        con.close()
        return out
    finally:
        shutil.rmtree(tmp)


def write_truth(s, outdir):
    """Copies the scenario's files to outdir and writes its truth and live
    rows; returns the counts of the README's table."""
    for suf in s.kept:
        shutil.copyfile(os.path.join(s.snapdir, s.name + ".db" + suf),
                        os.path.join(outdir, s.name + ".db" + suf))
    files = Files(s.snapdir, s.name, s.kept)
    seen, tables = {}, set()
    with open(os.path.join(outdir, s.name + ".live.jsonl"), "w") as f:
        for t, rowid, values in live_rows(s.snapdir, s.name, s.kept):
            if t.name not in tables:
                tables.add(t.name)
                f.write(json.dumps({"table": t.name, "columns": t.columns,
                                    "ipk": ipk_name(t)}, ensure_ascii=False,
                                   separators=(",", ":")) + "\n")
            fields = s.fields.get((t.name, rowid))
            cell = claim(seen, files, t, rowid, values, fields, s.name)
            if not files.find(cell.whole, 1) or not files.survives(cell)[1]:
                sys.exit("make-carve-fixtures: error: %s: live row %s/%s not "
                         "found in the files" % (s.name, t.name, rowid))
            f.write(row_json(t, rowid, values, columns=False, fields=fields) +
                    "\n")
    counts = {"truth": 0, "surviving": 0, "short": 0, "types_lost": 0}
    with open(os.path.join(outdir, s.name + ".truth.jsonl"), "w") as f:
        for kind, t, rowid, values, fields in s.versions:
            cell = claim(seen, files, t, rowid, values, fields, s.name)
            where, alive, lost = files.survives(cell)
            short = len(cell.tail) < 8
            if kind == "uncommitted" and not alive:
                continue
            f.write(row_json(t, rowid, values, kind=kind, survives=alive,
                             fields=fields, short=short or None,
                             types_lost=lost or None,
                             found=where or None) + "\n")
            if kind != "uncommitted":
                counts["truth"] += 1
                counts["surviving"] += alive and not short
                counts["short"] += short
                counts["types_lost"] += lost
    shutil.rmtree(s.snapdir)
    return counts


def claim(seen, files, t, rowid, values, fields, name):
    """The row's Cell; checks that no two row versions share one."""
    cell = Cell(t, rowid, values, files.encoding, files.usable, fields)
    key = (t.name, cell.tail, tuple(cell.chunks))
    if len(cell.tail) >= 8 and key in seen:
        sys.exit("make-carve-fixtures: error: %s: %s/%s has the same bytes as "
                 "%s" % (name, t.name, rowid, seen[key]))
    seen[key] = rowid
    return cell


# --------------------------------------------------------------- the big one


def big(path, size_mib, truth):
    """A large sms/chat database, ~size_mib MiB, ~3 % of its rows deleted."""
    for suf in ("", "-journal", "-wal"):
        if os.path.exists(path + suf):
            os.remove(path + suf)
    seed_sqlite(SEED)
    rng = random.Random(SEED)
    g = Gen(rng)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA secure_delete=OFF")
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    con.execute(SMS)
    con.execute(MESSAGE)
    con.execute("CREATE INDEX sms_thread ON sms(thread_id, date)")
    # Pools of values keep generation fast; the serial in each text keeps
    # every row unique ("#" and 10 digits, found again by survives_big).
    bodies = [g.body() for _ in range(4000)]
    texts = [g.long_text(rng.randrange(4, 300)) for _ in range(4000)]
    phones = [g.phone() for _ in range(3000)]
    blobs = [g.blob(8, 40) for _ in range(1000)]
    per_mib = 5100  # rows per MiB of the two tables, about
    n = size_mib * per_mib // 2

    def sms_rows():
        for i in range(1, n + 1):
            t = T0 + i * 1000 + (i * 7919) % 1000
            inbox = i % 5 < 3
            yield (i, i % 97 + 1, phones[i % 2999], None if i % 3 else i % 300,
                   t, t - 4000 if inbox else 0, 0 if inbox else None,
                   int(i % 4 > 0),
                   -1 if inbox else 0, 1 if inbox else 2, 0 if inbox else None,
                   None, "%s #%010d" % (bodies[(i * 31) % 3989], i),
                   "+8613800100500" if inbox else None, 0, i % 3 - 1, 0,
                   None if inbox else "com.android.mms", 1)

    def message_rows():
        for i in range(1, n + 1):
            yield (i, (i * 0x9E3779B97F4A7C15) % 2**63 - 2**62, 1, 3, i % 2,
                   i % 2, T0 + i * 1000 + 17, "wxid_%010d" % (i % 4099),
                   "%s #%010d" % (texts[(i * 17) % 3989], n + i), None, None,
                   blobs[i % 997], None, i % 5000, -1, 2**31 + i, 0)

    con.execute("BEGIN")
    con.executemany("INSERT INTO sms VALUES (%s)" % ",".join("?" * 19),
                    sms_rows())
    con.executemany("INSERT INTO message VALUES (%s)" % ",".join("?" * 17),
                    message_rows())
    con.execute("COMMIT")
    doomed = sorted(set(rng.randrange(1, n + 1) for _ in range(n // 50)) |
                    set(i for s in range(1, n, n // 40 or 1)
                        for i in range(s, min(s + 200, n + 1))))
    con.execute("CREATE TEMP TABLE doomed (id INTEGER PRIMARY KEY)")
    con.executemany("INSERT INTO doomed VALUES (?)", ((i,) for i in doomed))
    versions = []
    for table, key in (("sms", "_id"), ("message", "msgId")):
        t = Table(con, table)
        where = "%s IN (SELECT id FROM doomed)" % key
        if truth:
            versions += [(t, r[0], list(r[1:])) for r in con.execute(
                "SELECT rowid, * FROM %s WHERE %s" % (table, where))]
        con.execute("BEGIN")
        con.execute("DELETE FROM %s WHERE %s" % (table, where))
        con.execute("COMMIT")
    con.close()
    print("%s: %d MiB, %d rows per table, %d deleted per table" % (
        path, os.path.getsize(path) >> 20, n, len(doomed)))
    out = re.sub(r"\.db$", "", path) + ".truth.jsonl"
    if truth:
        survives_big(path, versions, out)
    elif os.path.exists(out):
        os.remove(out)


def survives_big(path, versions, out):
    """Truth of the big database, found through each row's unique serial."""
    with open(path, "rb") as f:
        hdr = f.read(100)
    usable = struct.unpack(">H", hdr[16:18])[0] - hdr[20]
    want = {}
    for t, rowid, values in versions:
        cell = Cell(t, rowid, values, "utf-8", usable)
        text = values[12] if t.name == "sms" else values[8]
        token = text[-11:].encode()
        want[token] = (cell.tail, cell.tail.find(token), cell.chunks)
    found = set()
    tail = b""  # the end of the last chunk, for a cell across two chunks
    with open(path, "rb") as f:
        while True:
            chunk = f.read(64 << 20)
            if not chunk:
                break
            buf = tail + chunk
            for hit in re.finditer(rb"#\d{10}", buf):
                w = want.get(hit.group())
                if w and not w[2]:
                    start = hit.start() - w[1]
                    if start >= 0 and buf[start:start + len(w[0])] == w[0]:
                        found.add(hit.group())
            tail = buf[-16384:]
    with open(out, "w") as f:
        for t, rowid, values in versions:
            text = values[12] if t.name == "sms" else values[8]
            f.write(row_json(t, rowid, values, kind="deleted",
                             survives=text[-11:].encode() in found) + "\n")
    print("%s: %d deleted rows, %d survive" % (out, len(versions), len(found)))


# ------------------------------------------------------------------- README

README_HEAD = """# fx-carve fixtures

SQLite databases with deleted rows and their truth, for `fx-carve` and
`scripts/carve-score.py`. They were written by SQLite %s (Debian's
libsqlite3, through Python's `sqlite3` module) with
`scripts/make-carve-fixtures.py`; regenerate them with

    scripts/make-carve-fixtures.py tests/fixtures/carve

The output is the same byte for byte with the same SQLite (seeded values,
SQLite's random generator seeded for the WAL salts and journal nonce); a
newer SQLite may lay pages out differently, which is why the files are
committed. Each scenario sets `PRAGMA secure_delete` explicitly.

Per scenario: `NAME.db` (with `NAME.db-wal` or `NAME.db-journal` when
kept), `NAME.truth.jsonl` (every deleted row and replaced row version, with
`survives`: whether its bytes are still in the files) and `NAME.live.jsonl`
(every row SQLite shows on a copy: fx-carve must not report one). The
script's docstring says how `survives` is decided and what each field
means. Never open these files in place with sqlite3: it would checkpoint
the WAL or roll the hot journal back. Work on a copy.

Scoring a carve of one scenario, or of all (`NAME.carved.jsonl` each):

    scripts/carve-score.py tests/fixtures/carve/wal.truth.jsonl out.jsonl \\
        --min-recall 99 --min-precision 99
    scripts/carve-score.py --all tests/fixtures/carve --carved OUTDIR

How the WAL and journal files were captured: `wal*`, `secure-delete-wal`
and `mixed-real-app` copy the db and its -wal while the writing connection
is still open (un-checkpointed, as a kill -9 leaves them; `wal-restart`
also keeps stale frames of an older salt after the restarted ones).
`journal` copies the db and its -journal inside an open transaction whose
pages have already spilled into the db (a hot journal: SQLite would roll
it back); `journal-persist` keeps the journal a committed transaction
leaves in PERSIST mode (header zeroed). Journal page records start after
a 512-byte header.

| scenario | truth | surviving | short | types lost | what |
| --- | ---: | ---: | ---: | ---: | --- |
"""

README_TAIL = """
truth: deleted rows, replaced versions and dropped rows (uncommitted rows
of the hot journal not counted). surviving: those whose bytes are all in
the files, not counting short ones. short: rows whose searched bytes are
under 8, so their survival is a guess; the scorer leaves them out of
recall. types lost: rows whose cell is there but a freeblock header
overwrote serial types the values need (tables without an INTEGER
PRIMARY KEY, WITHOUT ROWID); they are not surviving, a carver may still
give them as partial records.
"""


def write_readme(outdir, rows):
    with open(os.path.join(outdir, "README.md"), "w") as f:
        f.write(README_HEAD % sqlite3.sqlite_version)
        for name, doc, c in rows:
            f.write("| `%s` | %d | %d | %d | %d | %s |\n" % (
                name, c["truth"], c["surviving"], c["short"],
                c["types_lost"], " ".join(doc.split())))
        f.write(README_TAIL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--only", help="comma-separated scenario names")
    ap.add_argument("--big", metavar="PATH")
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--no-truth", action="store_true")
    a = ap.parse_args()
    if a.big:
        big(a.big, a.size_mib, not a.no_truth)
        return
    if not a.outdir:
        ap.error("OUTDIR or --big PATH is required")
    names = [n for n, _ in SCENARIOS]
    only = a.only.split(",") if a.only else names
    for n in only:
        if n not in names:
            ap.error("no scenario '%s'" % n)
    os.makedirs(a.outdir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="fx-carve-fix-")
    rows = []
    try:
        for i, (name, fn) in enumerate(SCENARIOS):
            if name not in only:
                continue
            for f in os.listdir(a.outdir):
                if f.startswith(name + ".") and f.split(".")[1] in (
                        "db", "truth", "live"):
                    os.remove(os.path.join(a.outdir, f))
            s = Scenario(name, work, SEED * 1000 + i)
            fn(s)
            c = write_truth(s, a.outdir)
            rows.append((name, fn.__doc__, c))
            print("%-24s truth %4d  surviving %4d  short %d  types lost %d" %
                  (name, c["truth"], c["surviving"], c["short"],
                   c["types_lost"]))
    finally:
        shutil.rmtree(work)
    if not a.only:
        write_readme(a.outdir, rows)


if __name__ == "__main__":
    main()
