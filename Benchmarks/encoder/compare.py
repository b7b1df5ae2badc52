#!/usr/bin/env python3
"""Peers for `hybridrank bench encoder`: the same cross-encoder on PyTorch and on onnxruntime.

Scores the same workload as the Swift benchmark — the first 20 cases of
../shared/models/fixtures/cross_encoder_pairs.json whose encoding has 30–40 tokens — with
  1. sentence-transformers' CrossEncoder on PyTorch CPU (what a Python user would pick), and
  2. onnxruntime on an ONNX export of the same model made here with torch.onnx.export,
at each requested thread count, and prints the median latency and pairs/s (tokenization included,
as in the Swift benchmark). The model loads from the local models/retail-reranker (no hub).

    python3 -m venv .venv && .venv/bin/pip install -r Benchmarks/encoder/requirements.txt
    .venv/bin/python Benchmarks/encoder/compare.py --threads 1 2 --runs 30

On a shared, noisy machine compare in short interleaved rounds instead: with `--swift BIN` the
Swift encoder runs in the same loop (`BIN bench encoder --stdin-driven`, model loaded once), and
each of `--rounds` rounds times every runtime for `--runs` calls back to back at each thread
count; the table gives the median of the round medians and the median of the per-round ratios
(Swift's pairs/s over each peer's), so a slow minute hits all runtimes alike.

    .venv/bin/python Benchmarks/encoder/compare.py --swift .build/release/hybridrank --rounds 10 --runs 10

Not part of the product; nothing here runs in the service.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def workload(shared: Path):
    cases = json.loads((shared / "models/fixtures/cross_encoder_pairs.json").read_text())["cases"]
    chosen = [c for c in cases if 30 <= len(c["input_ids"]) <= 40][:20]
    return [(c["query"], c["document"]) for c in chosen], [c["logit"] for c in chosen]


def timed(fn, runs):
    for _ in range(3):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load_sentence_transformers(model, torch, CrossEncoder):
    """sentence-transformers' CrossEncoder computing in fp32 (the weights are stored as fp16), as
    the Swift encoder and the fixtures do; raw logits (identity activation)."""
    try:
        return CrossEncoder(model, device="cpu", max_length=128, activation_fn=torch.nn.Identity(),
                            model_kwargs={"dtype": torch.float32})
    except TypeError:
        return CrossEncoder(model, device="cpu", max_length=128, default_activation_function=torch.nn.Identity(),
                            automodel_args={"torch_dtype": torch.float32})


def onnx_runner(ort, np, onnx_path, threads, tokenizer, pairs, names):
    """A callable scoring `pairs` with onnxruntime on `threads` threads (tokenization included)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def run():
        batch = tokenizer([q for q, _ in pairs], [d for _, d in pairs], padding=True,
                          truncation="longest_first", max_length=128, return_tensors="np")
        feeds = {n: batch[n].astype(np.int64) for n in names}
        return session.run(["logits"], feeds)[0].reshape(-1)

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models/retail-reranker"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--runtimes", nargs="+", choices=["torch", "onnxruntime"], default=["torch", "onnxruntime"])
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--swift", help="hybridrank binary: interleave the Swift encoder in rounds")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (with --swift)")
    args = parser.parse_args()

    import numpy as np
    import torch
    import onnxruntime as ort
    from sentence_transformers import CrossEncoder
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    pairs, reference = workload(Path(args.shared))
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    tokens = sum(len(tokenizer(q, d, truncation="longest_first", max_length=128)["input_ids"]) for q, d in pairs)

    # ONNX export of the same model (fp16 weights upcast to fp32, as the Swift encoder computes).
    hf = AutoModelForSequenceClassification.from_pretrained(args.model, dtype=torch.float32).eval()
    onnx_path = Path(tempfile.mkdtemp()) / "retail-reranker.onnx"
    sample = tokenizer([q for q, _ in pairs[:2]], [d for _, d in pairs[:2]], padding=True, truncation="longest_first",
                       max_length=128, return_tensors="pt")
    inputs = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    if "onnxruntime" in args.runtimes:
        export = dict(input_names=names, output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "sequence"} for n in names}, opset_version=17)
        with torch.no_grad():
            try:
                torch.onnx.export(hf, inputs, str(onnx_path), dynamo=False, **export)
            except TypeError:
                torch.onnx.export(hf, inputs, str(onnx_path), **export)

    if args.swift:
        return interleaved(args, pairs, reference, tokens, tokenizer, names, onnx_path, torch, ort, np, CrossEncoder)

    results = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        measured = []
        if "torch" in args.runtimes:
            st = load_sentence_transformers(args.model, torch, CrossEncoder)
            st_logits = np.asarray(st.predict(pairs, batch_size=32)).reshape(-1)
            st_median = timed(lambda: st.predict(pairs, batch_size=32), args.runs)
            measured.append(("sentence-transformers (PyTorch CPU)", st_median, st_logits))

        if "onnxruntime" in args.runtimes:
            run_onnx = onnx_runner(ort, np, onnx_path, threads, tokenizer, pairs, names)
            ort_logits = run_onnx()
            ort_median = timed(run_onnx, args.runs)
            measured.append(("onnxruntime (torch.onnx.export)", ort_median, ort_logits))

        for name, median, logits in measured:
            results.append({
                "runtime": name, "threads": threads, "pairs": len(pairs), "tokens": tokens,
                "median_ms": median * 1000, "pairs_per_second": len(pairs) / median,
                "tokens_per_second": tokens / median,
                "max_abs_logit_error": float(np.max(np.abs(np.asarray(logits) - np.asarray(reference)))),
            })

    if args.json:
        for r in results:
            print(json.dumps(r))
        return
    print(f"torch {torch.__version__}, onnxruntime {ort.__version__}, {os.cpu_count()} CPUs; "
          f"{len(pairs)} pairs, {tokens} tokens, {args.runs} runs (median)")
    print(f"{'runtime':38} {'threads':>7} {'median ms':>10} {'pairs/s':>9} {'tokens/s':>9} {'max |Δlogit|':>13}")
    for r in results:
        print(f"{r['runtime']:38} {r['threads']:>7} {r['median_ms']:>10.2f} {r['pairs_per_second']:>9.1f} "
              f"{r['tokens_per_second']:>9.0f} {r['max_abs_logit_error']:>13.2e}")


def interleaved(args, pairs, reference, tokens, tokenizer, names, onnx_path, torch, ort, np, CrossEncoder):
    """Rounds of Swift, PyTorch and onnxruntime back to back at each thread count."""
    import subprocess

    swift = subprocess.Popen([args.swift, "bench", "encoder", "--stdin-driven", "--model", args.model,
                              "--shared", args.shared], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run_swift(threads):
        swift.stdin.write(f"{threads} {args.runs}\n")
        swift.stdin.flush()
        return json.loads(swift.stdout.readline())["median_ms"] / 1000

    st = load_sentence_transformers(args.model, torch, CrossEncoder)
    onnx_runners = {t: onnx_runner(ort, np, onnx_path, t, tokenizer, pairs, names) for t in args.threads}

    def run_onnx(threads):
        return onnx_runners[threads]()

    def run_torch(threads):
        torch.set_num_threads(threads)
        return st.predict(pairs, batch_size=32)

    runtimes = [("swift", run_swift), ("torch", run_torch), ("onnxruntime", run_onnx)]
    medians = {(name, t): [] for name, _ in runtimes for t in args.threads}
    for round_index in range(args.rounds):
        for threads in args.threads:
            for name, fn in runtimes:
                if name == "swift":
                    medians[(name, threads)].append(fn(threads))
                else:
                    medians[(name, threads)].append(timed(lambda: fn(threads), args.runs))
        load = os.getloadavg()[0]
        print(f"round {round_index + 1}/{args.rounds}: load {load:.2f}", file=sys.stderr)
    swift.stdin.close()
    swift.wait()

    rows = []
    for threads in args.threads:
        swift_times = medians[("swift", threads)]
        for name, _ in runtimes:
            times = medians[(name, threads)]
            ratios = [peer / mine for mine, peer in zip(swift_times, times)]
            rows.append({
                "runtime": name, "threads": threads, "rounds": args.rounds, "runs_per_round": args.runs,
                "median_ms": statistics.median(times) * 1000,
                "pairs_per_second": len(pairs) / statistics.median(times),
                "swift_speedup_median": statistics.median(ratios),
                "swift_speedup_min": min(ratios), "swift_speedup_max": max(ratios),
            })
    if args.json:
        for r in rows:
            print(json.dumps(r))
        return
    print(f"torch {torch.__version__}, onnxruntime {ort.__version__}, {os.cpu_count()} CPUs; {len(pairs)} pairs, "
          f"{tokens} tokens; {args.rounds} interleaved rounds of {args.runs} runs")
    print(f"{'runtime':12} {'threads':>7} {'median ms':>10} {'pairs/s':>9} {'Swift speed-up: median (min–max of rounds)':>44}")
    for r in rows:
        print(f"{r['runtime']:12} {r['threads']:>7} {r['median_ms']:>10.1f} {r['pairs_per_second']:>9.1f} "
              f"{r['swift_speedup_median']:>10.2f}× ({r['swift_speedup_min']:.2f}–{r['swift_speedup_max']:.2f})")


if __name__ == "__main__":
    sys.exit(main())
