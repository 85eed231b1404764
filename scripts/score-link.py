#!/usr/bin/env python3
"""Score fx-link's extraction against a labelled corpus.

    scripts/score-link.py TRUTH.jsonl EXTRACTED.jsonl

TRUTH is what scripts/make-link-corpus.py wrote; EXTRACTED the indicator
records of `fx-link extract` over the corpus. Prints precision and recall
per indicator kind (a find is the record id, the kind and the normalised
value) and exits 1 when URL, e-mail, IP or phone fall under 99 %.
"""
import json
import sys
from collections import Counter

truth, found = set(), set()
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        t = json.loads(line)
        for i in t["indicators"]:
            truth.add((t["id"], i["kind"], i["value"]))
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        r = json.loads(line)
        for rid in r["src"]["records"]:
            found.add((rid, r["data"]["kind"], r["data"]["value"]))

tp, fp, fn = Counter(), Counter(), Counter()
for x in found:
    (tp if x in truth else fp)[x[1]] += 1
for x in truth - found:
    fn[x[1]] += 1
kinds = ["url", "domain", "ip", "email", "phone", "card", "crypto", "account", "payqr"]
print("  %-8s %7s %5s %5s %10s %8s" % ("kind", "planted", "fp", "fn", "precision", "recall"))
short = []
for k in kinds:
    p = tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 1.0
    r = tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 1.0
    print("  %-8s %7d %5d %5d %9.2f%% %7.2f%%" % (k, tp[k] + fn[k], fp[k], fn[k], 100 * p, 100 * r))
    if k in ("url", "email", "ip", "phone") and (p < 0.99 or r < 0.99):
        short.append(k)
if len(sys.argv) > 3:
    for x in sorted(found - truth)[:int(sys.argv[3])]:
        print("  fp:", x)
    for x in sorted(truth - found)[:int(sys.argv[3])]:
        print("  fn:", x)
if short:
    print("  under 99 %: " + ", ".join(short))
    sys.exit(1)
