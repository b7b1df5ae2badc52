#!/usr/bin/env python3
"""Markdown tables from `hybridrank bench candidates --json` files (one per run): per ef, Swift and
hnswlib recall and QPS and the ratio; then build times, parallel build and memory."""
import json, sys

for path in sys.argv[1:]:
    r = json.load(open(path))
    peer = r.get("hnswlib", {})
    print(f"**{r['n']:,} products, {r['vectors']} vectors** ({r['vector_source']}; M {r['m']}, efConstruction {r['ef_construction']}, "
          f"k {r['k']}, {r['queries']} queries, kernel {r['kernel_path']}, {r['date']})\n")
    print("| ef | Swift recall@10 | hnswlib recall@10 | Swift QPS | hnswlib QPS (per call) | ratio | hnswlib QPS (one batch call) | ratio | recall difference |")
    print("|---|---|---|---|---|---|---|---|---|")
    for mine, theirs in zip(r["swift_sweep"], peer.get("sweep", [])):
        batch = theirs.get("qps_batch")
        batch_cells = f"{batch:,.0f} | {mine['qps'] / batch:.2f}×" if batch else "– | –"
        print(f"| {mine['ef']} | {mine['recall']:.4f} | {theirs['recall']:.4f} | {mine['qps']:,.0f} | {theirs['qps']:,.0f} | "
              f"**{mine['qps'] / theirs['qps']:.2f}×** | {batch_cells} | {mine['recall'] - theirs['recall']:+.4f} |")
    print()
    line = f"Build, one thread: Swift {r['swift_build_seconds']:.1f} s, hnswlib {peer.get('build_seconds', float('nan')):.1f} s → **{r.get('build_speed_ratio', float('nan')):.2f}×** hnswlib's speed."
    if "swift_parallel_build_seconds" in r:
        line += (f" Parallel build on {r['swift_parallel_build_threads']} threads: {r['swift_parallel_build_seconds']:.1f} s "
                 f"(**{r['swift_parallel_speedup']:.2f}×** the one-thread build; recall@10 at the largest ef {r['swift_parallel_recall_at_max_ef']:.4f}).")
    line += f" Memory: RSS growth {r['swift_rss_bytes_per_product']:,.0f} B/product (layout {r['swift_layout_bytes_per_product']:,} B)."
    if "snapshot_load_seconds" in r:
        line += (f" Snapshot: {r['snapshot_bytes'] / 1e6:,.0f} MB saved in {r['snapshot_save_seconds']:.1f} s, "
                 f"loaded in {r['snapshot_load_seconds']:.1f} s.")
    print(line + "\n")
