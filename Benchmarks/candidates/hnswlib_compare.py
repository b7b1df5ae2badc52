#!/usr/bin/env python3
"""Peer measurement for `hybridrank bench candidates`: hnswlib (PyPI) on the same vectors.

Reads raw float32 files written by the Swift bench (base: n x d, queries: q x d, truth: q x k int32
of exact top-k row indices), builds an inner-product HNSW index with the same M / efConstruction,
sweeps ef and prints one JSON object: build seconds and, per ef, recall@k and single-thread QPS
(queries one at a time, like a request: `qps`; and all in one call, hnswlib's C++ loop without
the per-call Python overhead: `qps_batch`); each also in process CPU time (`*_cpu`), which a
machine shared with other work disturbs far less than wall time.

With --serve the sweep is driven from outside, so that the two libraries' queries interleave in
time: after the build it prints one JSON line (the build), then answers each line `sweep EF` on
standard input with one JSON line (that ef's row, as above) until `quit`; the parallel build, if
asked for, follows and its JSON line is the last.
"""
import argparse, json, sys, time
import numpy as np
import hnswlib

ap = argparse.ArgumentParser()
ap.add_argument("--base", required=True)
ap.add_argument("--queries", required=True)
ap.add_argument("--truth", required=True)
ap.add_argument("--dim", type=int, required=True)
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--m", type=int, default=16)
ap.add_argument("--ef-construction", type=int, default=200)
ap.add_argument("--ef", default="16,32,64,128,256")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seed", type=int, default=100, help="hnswlib's random_seed (its level draws)")
ap.add_argument("--parallel-threads", type=int, default=1,
                help="also time a second build on this many threads (its own scaling, the peer for a parallel build)")
ap.add_argument("--serve", action="store_true", help="answer `sweep EF` lines on stdin (see above)")
a = ap.parse_args()

base = np.fromfile(a.base, dtype=np.float32).reshape(-1, a.dim)
queries = np.fromfile(a.queries, dtype=np.float32).reshape(-1, a.dim)
truth = np.fromfile(a.truth, dtype=np.int32).reshape(len(queries), a.k)
index = hnswlib.Index(space="ip", dim=a.dim)
index.init_index(max_elements=len(base), ef_construction=a.ef_construction, M=a.m, random_seed=a.seed)
index.set_num_threads(a.threads)
t, c = time.perf_counter(), time.process_time()
index.add_items(base, np.arange(len(base)))
build, build_cpu = time.perf_counter() - t, time.process_time() - c
index.set_num_threads(1)


def sweep(ef):
    """One pass over the queries at `ef`: per query from Python, then as one batch call."""
    index.set_ef(max(ef, a.k))
    found = 0
    t, c = time.perf_counter(), time.process_time()
    for i, q in enumerate(queries):
        labels, _ = index.knn_query(q, k=a.k)
        found += len(set(labels[0].tolist()) & set(truth[i].tolist()))
    elapsed, elapsed_cpu = time.perf_counter() - t, time.process_time() - c
    # The same queries as one batch call on one thread: hnswlib's C++ loop without the per-call
    # Python and numpy overhead, the library's own speed.
    t, c = time.perf_counter(), time.process_time()
    index.knn_query(queries, k=a.k, num_threads=1)
    batch, batch_cpu = time.perf_counter() - t, time.process_time() - c
    return {"ef": ef, "recall": found / (len(queries) * a.k), "qps": len(queries) / elapsed,
            "qps_batch": len(queries) / batch, "qps_cpu": len(queries) / elapsed_cpu,
            "qps_batch_cpu": len(queries) / batch_cpu}


rows = []
if a.serve:
    print(json.dumps({"n": len(base), "build_seconds": build, "build_cpu_seconds": build_cpu, "build_threads": a.threads}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "sweep":
            print(json.dumps(sweep(int(words[1]))), flush=True)
else:
    rows = [sweep(int(x)) for x in a.ef.split(",")]
result = {"n": len(base), "build_seconds": build, "build_cpu_seconds": build_cpu, "build_threads": a.threads, "sweep": rows}
if a.parallel_threads > 1:
    del index
    parallel = hnswlib.Index(space="ip", dim=a.dim)
    parallel.init_index(max_elements=len(base), ef_construction=a.ef_construction, M=a.m, random_seed=a.seed)
    parallel.set_num_threads(a.parallel_threads)
    t, c = time.perf_counter(), time.process_time()
    parallel.add_items(base, np.arange(len(base)))
    result.update(parallel_build_seconds=time.perf_counter() - t, parallel_build_cpu_seconds=time.process_time() - c,
                  parallel_build_threads=a.parallel_threads)
print(json.dumps(result))
