#!/usr/bin/python3
"""Score fx-carve's output against the truth of a test database.

    scripts/carve-score.py TRUTH.jsonl CARVED.jsonl [--scenario NAME]
    scripts/carve-score.py --all DIR [--carved CDIR]

TRUTH.jsonl and NAME.live.jsonl beside it are written by
scripts/make-carve-fixtures.py; CARVED.jsonl is fx-carve's output, of which
only the records of type "carved" are read. --all scores every
DIR/NAME.truth.jsonl against CDIR/NAME.carved.jsonl (CDIR defaults to DIR)
and adds a total line.

A carved record matches a truth row when its table is the row's (or is not
known) and its values equal the row's, column by column: by name when every
carved column name is one of the table's, else by position. Floats compare
exactly; a value of a REAL column may come back as an integer. The rowid,
and the INTEGER PRIMARY KEY column that stores it, are compared only when
the carved record gives them. Columns an ALTER TABLE added after the row
was written may be missing, null, or the default.

recall     surviving truth rows (deleted, updated old versions, dropped;
           not "short") that some carved record gives in full, every value
           equal, over all surviving truth rows.
precision  carved records that match a truth row (partial records, or
           records with a column not intact, on their intact columns
           only; others on every column) over carved records. Records that
           only match a row of an uncommitted transaction count neither way.
live-reported  carved records that match no truth row but a live one.

Prints one line per scenario; --verbose also lists the rows missed and the
records that matched nothing. Exit status: 0; 1 when --min-recall,
--min-precision or --max-carved is not met (n/a meets any); 2 when an
input cannot be read.
"""
import argparse
import glob
import json
import os
import sys

UNKNOWN_TABLES = (None, "", "?", "unknown")
ROWID_NAMES = ("rowid", "_rowid_", "oid")
ROWID = -1  # the column index align() gives a column holding the rowid


class Row:
    """A truth or live row: table, rowid, columns and decoded values."""

    def __init__(self, obj, columns=None, ipk=None):
        self.table = norm_table(obj.get("table"))
        self.rowid = obj.get("rowid")
        self.columns, self.index = shape(obj.get("columns") or columns or [])
        self.ipk = obj.get("ipk", ipk) if "columns" in obj else ipk
        self.values = [truth_value(v) for v in obj.get("values", [])]
        self.kind = obj.get("kind", "live")
        self.survives = bool(obj.get("survives"))
        self.short = bool(obj.get("short"))
        self.fields = obj.get("fields")
        self.found = obj.get("found")
        self.ipk_i = self.index.get(self.ipk)

    def counted(self):
        """Counts toward recall."""
        return self.kind != "uncommitted" and self.survives and not self.short

    def label(self):
        return "%s rowid %s (%s%s)" % (self.table, self.rowid, self.kind,
                                       ", in " + " ".join(self.found)
                                       if self.found else "")


class Carved:
    """One carved record: table, rowid, [(name, value, intact)], partial."""

    def __init__(self, rec, line):
        d = rec.get("data") or {}
        src = rec.get("src") or {}
        self.line = line
        self.table = norm_table(d.get("table", src.get("table")))
        self.rowid = d.get("rowid", src.get("rowid"))
        cols = d.get("columns") or d.get("values") or []
        if isinstance(cols, dict):
            cols = [{"name": k, "value": v} for k, v in cols.items()]
        self.cols = []
        for i, c in enumerate(cols):
            if not isinstance(c, dict):
                c = {"value": c}
            self.cols.append((c.get("name"), carved_value(c),
                              c.get("intact", True) is not False))
        # An index entry holds only the indexed columns and the rowid.
        self.partial = bool(d.get("partial")) or bool(d.get("index")) or \
            not all(c[2] for c in self.cols)
        self.where = ", ".join("%s %s" % (k, v) for k, v in (
            ("file", d.get("file", src.get("file"))),
            ("region", d.get("region", src.get("region"))),
            ("page", d.get("page", src.get("page"))),
            ("offset", d.get("offset", src.get("offset")))) if v is not None)

    def label(self):
        vals = ", ".join(short_repr(v) for _, v, ok in self.cols[:6])
        return "line %d: %s rowid %s [%s%s] %s" % (
            self.line, self.table or "?", self.rowid, vals,
            ", ..." if len(self.cols) > 6 else "", self.where)


_SHAPES = {}


def shape(columns):
    """The column list and {name: index}, shared by rows of one table."""
    key = tuple(columns)
    if key not in _SHAPES:
        _SHAPES[key] = (list(key), {c: i for i, c in enumerate(key)})
    return _SHAPES[key]


def norm_table(t):
    return "sqlite_schema" if t == "sqlite_master" else t


def truth_value(v):
    if isinstance(v, dict) and "blob" in v:
        return bytes.fromhex(v["blob"])
    return v


def carved_value(c):
    """A carved column's value: bytes for a blob, else the JSON value."""
    v, t = c.get("value"), str(c.get("type") or "").lower()
    if isinstance(v, dict):
        h = v.get("hex", v.get("blob"))
        return bytes.fromhex(h) if isinstance(h, str) else v
    if t == "blob" and isinstance(v, str):
        try:
            return bytes.fromhex(v)
        except ValueError:
            return v
    return v


def short_repr(v):
    if isinstance(v, bytes):
        v = "x'" + v[:8].hex() + ("…" if len(v) > 8 else "") + "'"
    s = v if isinstance(v, str) else json.dumps(v)
    return s if len(s) <= 24 else s[:23] + "…"


def same(a, b):
    """Value equality: exact, numbers across int and float."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def value_key(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ("n", v)
    if isinstance(v, (str, bytes)):
        return (type(v).__name__, v)
    return None


# ----------------------------------------------------------------- matching


def align(rec, row):
    """{truth column index or ROWID: (value, intact)} and the carved
    columns left over. By name when every carved name is one of the
    row's columns (or names the rowid), else by position."""
    names = [n for n, _, _ in rec.cols]
    known = dict(row.index)
    for n in ROWID_NAMES:
        known.setdefault(n, ROWID)
    if names and all(n in known for n in names):
        return {known[n]: (v, ok) for n, v, ok in rec.cols}, []
    m = {i: (v, ok) for i, (_, v, ok) in enumerate(rec.cols)
         if i < len(row.columns)}
    extra = [(v, ok) for _, v, ok in rec.cols[len(row.columns):]]
    return m, extra


def rowid_ok(rec, row):
    return rec.rowid is None or row.rowid is None or rec.rowid == row.rowid


def table_ok(rec, row):
    return rec.table in UNKNOWN_TABLES or rec.table == row.table


def full_match(rec, row):
    """Every value of the row is in the record, intact and equal."""
    if not table_ok(rec, row) or not rowid_ok(rec, row):
        return False
    m, extra = align(rec, row)
    if any(v is not None for v, _ in extra):
        return False
    got = m.get(ROWID)
    if got and got[1] and got[0] is not None and row.rowid is not None and \
            not same(got[0], row.rowid):
        return False
    for i, want in enumerate(row.values):
        got = m.get(i)
        if i == row.ipk_i:
            if got and got[0] is not None and got[1] and \
                    not same(got[0], row.rowid):
                return False
        elif row.fields is not None and i >= row.fields:
            if got and got[0] is not None and not same(got[0], want):
                return False
        elif not got or not got[1] or not same(got[0], want):
            return False
    return True


def partial_match(rec, row):
    """Every intact value of the record equals the row's (one at least)."""
    if not table_ok(rec, row) or not rowid_ok(rec, row):
        return False
    m, extra = align(rec, row)
    if any(ok and v is not None for v, ok in extra):
        return False
    compared = 0
    for i, (v, ok) in m.items():
        rowid = i in (ROWID, row.ipk_i)
        if not ok or (rowid and (v is None or row.rowid is None)):
            continue
        if not same(v, row.rowid if rowid else row.values[i]):
            return False
        compared += not rowid
    return compared > 0


class Index:
    """Rows found by any one of their values."""

    def __init__(self, rows):
        self.by = {}
        for r in rows:
            keys = {value_key(v) for v in r.values} | {value_key(r.rowid)}
            for k in keys:
                if k is not None:
                    self.by.setdefault(k, []).append(r)

    def candidates(self, rec):
        best = None
        for _, v, ok in rec.cols:
            k = value_key(v)
            if ok and k is not None:
                c = self.by.get(k, [])
                if best is None or len(c) < len(best):
                    best = c
        return best or []


# -------------------------------------------------------------------- input


class Unreadable(Exception):
    pass


def read_jsonl(path):
    """(line number, object) of each line; bad lines are warned about."""
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise Unreadable("cannot open '%s': %s" % (path, e.strerror))
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                warn("'%s' line %d: not JSON, skipped" % (path, n))
                continue
            if isinstance(obj, dict):
                yield n, obj


def read_truth(path):
    return [Row(o) for _, o in read_jsonl(path) if "values" in o]


def read_live(path):
    """Live rows; each table's columns come from its first line."""
    rows, schema = [], {}
    for _, o in read_jsonl(path):
        if "values" not in o:
            schema[o.get("table")] = (o.get("columns"), o.get("ipk"))
            continue
        cols, ipk = schema.get(o.get("table"), (None, None))
        rows.append(Row(o, cols, ipk))
    return rows


def read_carved(path):
    return [Carved(o, n) for n, o in read_jsonl(path)
            if o.get("type") == "carved"]


def warn(msg):
    print("carve-score: warning: " + msg, file=sys.stderr)


# -------------------------------------------------------------------- score


class Score:
    def __init__(self, name):
        self.name = name
        self.truth = self.surviving = self.carved = 0
        self.recalled = self.true = self.neutral = self.live = 0
        self.live_known = True
        self.missed, self.false = [], []

    def add(self, o):
        for k in ("truth", "surviving", "carved", "recalled", "true",
                  "neutral", "live"):
            setattr(self, k, getattr(self, k) + getattr(o, k))
        self.live_known = self.live_known and o.live_known

    def recall(self):
        return self.recalled / self.surviving if self.surviving else None

    def precision(self):
        n = self.carved - self.neutral
        return self.true / n if n else None

    def line(self):
        def pct(x):
            return "n/a" if x is None else "%.1f%%" % (100 * x)
        s = "%-24s truth %4d  surviving %4d  carved %4d  recall %6s  " \
            "precision %6s  live-reported %s" % (
                self.name, self.truth, self.surviving, self.carved,
                pct(self.recall()), pct(self.precision()),
                self.live if self.live_known else "-")
        if self.neutral:
            s += "  uncommitted %d" % self.neutral
        return s


def score(name, truth, live, carved):
    s = Score(name)
    counted = [r for r in truth if r.kind != "uncommitted"]
    s.truth = len(counted)
    s.surviving = sum(r.counted() for r in truth)
    s.carved = len(carved)
    s.live_known = live is not None
    tindex, lindex = Index(truth), Index(live or [])
    got = set()
    for rec in carved:
        hit = neutral = False
        for row in tindex.candidates(rec):
            full = full_match(rec, row)
            if full:
                got.add(id(row))
            if full or (rec.partial and partial_match(rec, row)):
                if row.kind == "uncommitted":
                    neutral = True
                else:
                    hit = True
        if hit:
            s.true += 1
        elif neutral:
            s.neutral += 1
        elif any(full_match(rec, r) or partial_match(rec, r)
                 for r in lindex.candidates(rec)):
            s.live += 1
            s.false.append("live  " + rec.label())
        else:
            s.false.append("false " + rec.label())
    s.recalled = sum(1 for r in truth if r.counted() and id(r) in got)
    s.missed = [r.label() for r in truth if r.counted() and id(r) not in got]
    return s


def score_files(name, truth_path, carved_path, live_path=None):
    if live_path is None:
        guess = truth_path.replace(".truth.jsonl", ".live.jsonl")
        live_path = guess if guess != truth_path and \
            os.path.exists(guess) else ""
    truth = read_truth(truth_path)
    live = read_live(live_path) if live_path else None
    return score(name, truth, live, read_carved(carved_path))


def report(s, verbose):
    print(s.line())
    if verbose:
        for m in s.missed:
            print("  missed " + m)
        for f in s.false:
            print("  " + f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("truth", nargs="?", help="NAME.truth.jsonl")
    ap.add_argument("carved", nargs="?", help="fx-carve's output")
    ap.add_argument("--scenario", help="name printed (default: from TRUTH)")
    ap.add_argument("--live", help="live rows (default: NAME.live.jsonl)")
    ap.add_argument("--all", metavar="DIR", help="every DIR/*.truth.jsonl")
    ap.add_argument("--carved", dest="carved_dir", metavar="CDIR",
                    help="with --all: where NAME.carved.jsonl are")
    ap.add_argument("--min-recall", type=float, metavar="P")
    ap.add_argument("--min-precision", type=float, metavar="P")
    ap.add_argument("--max-carved", type=int, metavar="N",
                    help="at most N carved records (0 for secure-delete)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    if not a.all and not (a.truth and a.carved):
        ap.error("TRUTH and CARVED, or --all DIR, are required")
    scores, status = [], 0
    if a.all:
        paths = sorted(glob.glob(os.path.join(a.all, "*.truth.jsonl")))
        if not paths:
            print("carve-score: error: no '*.truth.jsonl' in '%s'" % a.all,
                  file=sys.stderr)
            return 2
        cdir = a.carved_dir or a.all
        jobs = [(os.path.basename(p)[:-len(".truth.jsonl")], p) for p in paths]
        jobs = [(n, p, os.path.join(cdir, n + ".carved.jsonl"), None)
                for n, p in jobs]
    else:
        name = a.scenario or os.path.basename(a.truth).split(".truth")[0]
        jobs = [(name, a.truth, a.carved, a.live)]
    for name, tpath, cpath, lpath in jobs:
        try:
            s = score_files(name, tpath, cpath, lpath)
        except Unreadable as e:
            print("carve-score: error: %s" % e, file=sys.stderr)
            status = 2
            continue
        report(s, a.verbose)
        scores.append(s)
    if a.all and scores:
        total = Score("all")
        for s in scores:
            total.add(s)
        print(total.line())
    for s in scores:
        r, p = s.recall(), s.precision()
        if (a.min_recall is not None and r is not None and
                100 * r < a.min_recall) or \
                (a.min_precision is not None and p is not None and
                 100 * p < a.min_precision):
            status = status or 1
        if a.max_carved is not None and s.carved > a.max_carved:
            status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
