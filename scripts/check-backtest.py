#!/usr/bin/env python3
"""Re-score the lists `hybridrank backtest --write-lists DIR --json FILE` wrote with the protocol's
own scorer (../shared/eval/evaluate.py, `--split <window>`) and compare with the backtest's JSON.

  python3 scripts/check-backtest.py --json /tmp/bt.json --lists /tmp/bt-lists [--eval ../shared/eval]

Prints one line per (window, run, task, metric) that differs by more than --tolerance and a summary;
exits 1 on any difference. Only meaningful for runs without --max-users (evaluate.py scores every
user of the window; a user without a list scores 0). Needs numpy and pandas, as evaluate.py does.
"""
import argparse
import json
import os
import sys

METRICS = {"A": {"NDCG@10": "ndcg@10", "Recall@10": "recall@10", "HitRate@10": "hitrate@10"},
           "C": {"HitRate@10": "hitrate@10", "MRR@10": "mrr@10"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", required=True, help="the backtest's --json output")
    ap.add_argument("--lists", required=True, help="the backtest's --write-lists folder")
    ap.add_argument("--eval", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "eval"))
    ap.add_argument("--tolerance", type=float, default=5e-5)
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(a.eval))
    import evaluate  # noqa: E402
    import protocol  # noqa: E402

    report = json.load(open(a.json))
    sampled = [s for task in report["samples"].values() for s in task if s["scored"] != s["available"]]
    if sampled:
        sys.exit("the backtest scored a sample (--max-users): evaluate.py scores every user, nothing to compare")
    rows = {(r["window"], r["run"], r["task"]): r["metrics"] for r in report["rows"]}
    windows = sorted({w for w, _, _ in rows if w != "mean"})
    compared = differing = 0
    for window in windows:
        data = protocol.load_split(window)
        for run in report["runs"]:
            for task, names in METRICS.items():
                path = os.path.join(a.lists, window, f"{run}_task{task}.csv")
                ours = rows[(window, run, task)]
                theirs = evaluate.evaluate(task, path, window, data=data)
                for name, key in names.items():
                    compared += 1
                    if abs(ours[name] - theirs[key]) > a.tolerance:
                        differing += 1
                        print(f"{window} {run} {task} {name}: backtest {ours[name]:.6f}, evaluate.py {theirs[key]:.6f}")
    print(f"{compared} values compared, {differing} differ by more than {a.tolerance}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
