#!/usr/bin/env python3
"""Markdown tables from `hybridrank bench candidates --json` files (one per run): per ef, Swift and
hnswlib recall and QPS and the ratios (wall time; CPU time where the run recorded it); then build
times, parallel build, memory and snapshot timings."""
import json, sys


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "–"


for path in sys.argv[1:]:
    r = json.load(open(path))
    peer = r.get("hnswlib", {})
    print(f"**{r['n']:,} products, {r['vectors']} vectors** ({r['vector_source']}; M {r['m']}, efConstruction {r['ef_construction']}, "
          f"k {r['k']}, {r['queries']} queries, kernel {r['kernel_path']}, {r['date']})\n")
    print("| ef | recall@10 Swift / hnswlib | QPS Swift / hnswlib per call (wall) | ratio | ratio, CPU time | "
          "hnswlib one batch call (wall) | ratio, CPU time, against the batch call |")
    print("|---|---|---|---|---|---|---|")
    for mine, theirs in zip(r["swift_sweep"], peer.get("sweep", [])):
        head = (f"| {mine['ef']} | {mine['recall']:.4f} / {theirs['recall']:.4f} ({mine['recall'] - theirs['recall']:+.4f}) | "
                f"{mine['qps']:,.0f} / {theirs['qps']:,.0f} | **{ratio(mine['qps'], theirs['qps'])}** | ")
        if "qps_batch" in theirs:
            tail = (f"{ratio(mine.get('qps_cpu'), theirs.get('qps_cpu'))} | {theirs['qps_batch']:,.0f} | "
                    f"{ratio(mine.get('qps_cpu'), theirs.get('qps_batch_cpu'))} |")
        else:
            tail = "– | – | – |"
        print(head + tail)
    print()
    line = (f"Build, one thread: Swift {r['swift_build_seconds']:.1f} s, hnswlib {peer.get('build_seconds', float('nan')):.1f} s "
            f"→ **{r.get('build_speed_ratio', float('nan')):.2f}×** hnswlib's speed")
    if "build_speed_ratio_cpu" in r:
        line += f" ({r['build_speed_ratio_cpu']:.2f}× in CPU time: {r['swift_build_cpu_seconds']:.1f} s against {peer['build_cpu_seconds']:.1f} s)"
    line += "."
    if "swift_parallel_build_seconds" in r:
        line += (f" Parallel build on {r['swift_parallel_build_threads']} threads: {r['swift_parallel_build_seconds']:.1f} s "
                 f"(**{r['swift_parallel_speedup']:.2f}×** the one-thread build; recall@10 at the largest ef {r['swift_parallel_recall_at_max_ef']:.4f}).")
    line += f" Memory: RSS growth {r['swift_rss_bytes_per_product']:,.0f} B/product (layout {r['swift_layout_bytes_per_product']:,} B)."
    if "snapshot_load_seconds" in r:
        line += (f" Snapshot: {r['snapshot_bytes'] / 1e6:,.0f} MB saved in {r['snapshot_save_seconds']:.1f} s, "
                 f"loaded in {r['snapshot_load_seconds']:.1f} s.")
    print(line + "\n")
