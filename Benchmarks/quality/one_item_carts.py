"""Task C's HitRate@10 on the baskets whose visible cart is one product: the nearest the backtest
comes to the product page and "frequently bought together", whose only seed is the anchor.

    python3 Benchmarks/quality/one_item_carts.py LISTS BASE RUN [--eval ../shared/eval]

LISTS is a `hybridrank backtest --write-lists` folder (LISTS/<window>/<run>_taskC.csv); BASE and
RUN are two of its runs. Per window: the number of one-product carts, each run's HitRate@10 on
them, and RUN ÷ BASE with a 95% paired bootstrap interval (1,000 replicates, seed 0).
"""
import argparse
import csv
import os
import random
from collections import defaultdict

WINDOWS = ("val", "bt-2011-spring", "bt-2010-autumn")


def hits(path, truth, baskets):
    """basket → 1.0 when its hidden product is in the run's top 10, else 0.0."""
    top = defaultdict(list)
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if int(r["rank"]) <= 10:
                top[r["basket_id"]].append(r["product_id"])
    return [float(truth[b] in top.get(b, ())) for b in baskets]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lists")
    ap.add_argument("base")
    ap.add_argument("run")
    ap.add_argument("--eval", default=os.path.normpath(f"{here}/../../../shared/eval"))
    args = ap.parse_args()
    for window in WINDOWS:
        with open(f"{args.eval}/{window}/taskC_queries.csv", newline="") as f:
            baskets = [r["basket_id"] for r in csv.DictReader(f) if len(r["cart"].split()) == 1]
        with open(f"{args.eval}/{window}/truth_taskC.csv", newline="") as f:
            truth = {r["basket_id"]: r["product_id"] for r in csv.DictReader(f)}
        base = hits(f"{args.lists}/{window}/{args.base}_taskC.csv", truth, baskets)
        run = hits(f"{args.lists}/{window}/{args.run}_taskC.csv", truth, baskets)
        rng = random.Random(0)
        ratios = []
        for _ in range(1000):
            sample = [rng.randrange(len(baskets)) for _ in baskets]
            b = sum(base[i] for i in sample)
            ratios.append(sum(run[i] for i in sample) / b if b else 1.0)
        ratios.sort()
        print(f"{window}: {len(baskets)} one-product carts, HitRate@10 {args.base} {sum(base) / len(base):.4f}, "
              f"{args.run} {sum(run) / len(run):.4f}, ÷ {sum(run) / sum(base):.3f} [{ratios[25]:.3f}, {ratios[974]:.3f}]")


if __name__ == "__main__":
    main()
