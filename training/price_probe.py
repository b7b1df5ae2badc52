"""Does a shopper's price level say which candidate they buy next, beyond the blend?

    .venv-training/bin/python -m training.price_probe

The product texts gave the cross-encoder nothing the blend lacks at the scale two cores train
(docs/QUALITY.md). The catalog's one other attribute is the unit price, which no stage reads. This
probe asks, before any model is trained on it, whether it carries that evidence: per list of the
rerank windows `signal_transfer` and `train.py` dump (the two training windows and `val`), the
per-list AUC of

  * price match: −|log price − the shopper's median log price| / (their spread + 0.3), from the
    purchases before the window's cut;
  * cheapness: −log price;
  * blended + w · price match, w 0.02 / 0.05 / 0.1 / 0.2.

It reads the dumps in --work (see signal_transfer for how they are made) and writes nothing.
"""
import argparse
import csv
import gzip
import math
import os
from collections import defaultdict

import numpy as np

from . import data
from .signal_transfer import auc

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WEIGHTS = (0.02, 0.05, 0.1, 0.2)


def read_prices(path):
    """product id → log unit price (prices below a penny count as a penny)."""
    prices = {}
    with gzip.open(path, "rt") as f:
        for r in csv.DictReader(f):
            try:
                prices[r["product_id"]] = math.log(max(float(r["unit_price"]), 0.01))
            except ValueError:
                pass
    return prices


def read_purchases(path):
    """[(day, customer, product)] of every purchase."""
    with gzip.open(path, "rt") as f:
        return [(r["timestamp"][:10], r["customer_id"], r["product_id"]) for r in csv.DictReader(f) if r["event"] == "purchase"]


def price_profiles(purchases, prices, cut):
    """customer → (median log price, spread) of what they bought before `cut`."""
    paid = defaultdict(list)
    for day, customer, product in purchases:
        if day < cut and product in prices:
            paid[customer].append(prices[product])
    return {c: (float(np.median(v)), float(np.std(v)) + 0.3) for c, v in paid.items()}


def lists(candidates_dir, truth_dir, profiles, prices):
    """[(task, blended, price match, log price, labels)] for the lists with a bought product and
    another candidate, whose shopper has a purchase before the cut."""
    out = []
    for task, truth_file in (("homepage", "truth_taskA.csv"), ("cart", "truth_taskC.csv")):
        _, truth = data.read_truth(f"{truth_dir}/{truth_file}")
        rows = defaultdict(list)
        with open(f"{candidates_dir}/candidates_{task}.csv", newline="") as f:
            for r in csv.DictReader(f):
                if r["query"]:
                    rows[(r["query_id"], r["user_id"])].append(r)
        for (query_id, user), items in rows.items():
            labels = np.array([r["product_id"] in truth.get(query_id, ()) for r in items])
            if not 0 < labels.sum() < len(labels) or user not in profiles:
                continue
            median, spread = profiles[user]
            logs = np.array([prices.get(r["product_id"], median) for r in items])
            blended = np.array([float(r["blended"]) for r in items])
            out.append((task, blended, -np.abs(logs - median) / spread, logs, labels))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=f"{REPO}/training/.work")
    ap.add_argument("--eval-dir", default=os.path.normpath(f"{REPO}/../shared/eval"))
    ap.add_argument("--data", default=os.path.normpath(f"{REPO}/../shared/data/online-retail"))
    args = ap.parse_args()
    prices = read_prices(f"{args.data}/products.csv.gz")
    purchases = read_purchases(f"{args.data}/interactions.csv.gz")
    windows = (("history < 2010-06-01", "2010-06-01", f"{args.work}/window-2010-06-01"),
               ("history < 2010-12-01", "2010-12-01", f"{args.work}/window-2010-12-01"),
               ("val", "2011-06-01", f"{args.eval_dir}/val"))
    for name, cut, truth_dir in windows:
        found = lists(f"{args.work}/candidates-{cut}", truth_dir, price_profiles(purchases, prices, cut), prices)
        for task in ("homepage", "cart"):
            part = [item[1:] for item in found if item[0] == task]
            blended = np.mean([auc(b, y) for b, m, p, y in part])
            match = np.mean([auc(m, y) for b, m, p, y in part])
            cheap = np.mean([auc(-p, y) for b, m, p, y in part])
            combined = [np.mean([auc(b + w * m, y) for b, m, p, y in part]) for w in WEIGHTS]
            print(f"{name}, {task} ({len(part)} lists): blended {blended:.3f}, price match {match:.3f}, "
                  f"cheapness {cheap:.3f}, blended + w·match (w {' / '.join(map(str, WEIGHTS))}) "
                  + " / ".join(f"{c:.3f}" for c in combined))


if __name__ == "__main__":
    main()
