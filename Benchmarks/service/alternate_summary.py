#!/usr/bin/env python3
"""Summarises alternate.sh's runs.jsonl: for each run of the second binary, the ratio of each
figure to the mean of its neighbouring runs of the first binary (the one before and the one
after, where both exist), then the median and range of those ratios. A ratio near 1 with a
range that straddles 1 is "within noise". Usage: alternate_summary.py OUT/runs.jsonl"""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
binaries = list(dict.fromkeys(r["binary"] for r in runs))
old, new = binaries[0], binaries[1]
keys = ["a_rps", "a_p99_ms", "a_cpu_us_per_request", "b_rps", "b_p50_ms", "b_p95_ms", "b_cpu_ms_per_request"]
print(f"old = {old}\nnew = {new}\n")
print("run  binary  load   " + "  ".join(f"{k:>21}" for k in keys))
for i, r in enumerate(runs):
    tag = "old" if r["binary"] == old else "new" if r["binary"] == new else r["binary"]
    print(f"{i:>3}  {tag:>6}  {r['load'][0]:>5.1f}  " + "  ".join(f"{r[k]:>21.2f}" for k in keys))
ratios = {k: [] for k in keys}
for i, r in enumerate(runs):
    if r["binary"] != new:
        continue
    neighbours = [runs[j] for j in (i - 1, i + 1) if 0 <= j < len(runs) and runs[j]["binary"] == old]
    if not neighbours:
        continue
    for k in keys:
        base = statistics.mean(n[k] for n in neighbours)
        ratios[k].append(r[k] / base)
print("\nnew / old (each new run against the mean of its neighbouring old runs):")
for k in keys:
    v = ratios[k]
    if v:
        print(f"  {k:>22}: median {statistics.median(v):.3f}  range {min(v):.3f}–{max(v):.3f}  (n={len(v)})")
print("windows (b):", sorted({r['b_window'] for r in runs}))
