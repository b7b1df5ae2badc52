"""Experiment (not the recipe): would the cart's own contents make a better rerank query?

    .venv-training/bin/python -m training.cart_query_experiment

The model card's query contract gives a known buyer's cart their purchase history as the query
(models/retail-reranker/README.md). This trains the recipe's cross-encoder on the cart lists of
two windows before `val` (history before 2010-06-01 and 2010-12-01, each labelled by the three
months after; the dumps `training.signal_transfer` and `train.py` write) with the query replaced
by the names of the cart's products, up to 5 — the only place where this module builds a query
text itself, since it tests a contract that does not exist yet — and scores it on `val`'s cart
lists with the same held-out AUC and combinations as `train.py`. docs/QUALITY.md has the result.
"""
import csv
import gzip
import json
import os
import sys

from . import data, train

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = f"{REPO}/training/.work"
SHARED = os.path.normpath(f"{REPO}/../shared")


def product_names():
    with gzip.open(f"{SHARED}/data/online-retail/products.csv.gz", "rt", newline="") as f:
        return {r["product_id"]: r["name"] for r in csv.DictReader(f)}


def cart_lists(candidates_dir, window_dir, names):
    """The window's cart lists with the query replaced by the cart's product names."""
    carts = {}
    with open(f"{window_dir}/taskC_queries.csv", newline="") as f:
        for r in csv.DictReader(f):
            carts[r["basket_id"]] = [p for p in r["cart"].split() if names.get(p)]
    out = []
    for lst in data.read_lists(f"{candidates_dir}/candidates_cart.csv", f"{window_dir}/truth_taskC.csv"):
        items = carts.get(lst.query_id, [])
        if items:
            lst.query = " ; ".join(names[p] for p in items[:5])
            out.append(lst)
    return out


def main():
    names = product_names()
    training = []
    for cut in ("2010-06-01", "2010-12-01"):
        if not os.path.exists(f"{WORK}/candidates-{cut}/candidates_cart.csv"):
            sys.exit(f"no dump for {cut}: run `python -m training.signal_transfer --train-cut {cut}` first")
        training += cart_lists(f"{WORK}/candidates-{cut}", f"{WORK}/window-{cut}", names)
    heldout = cart_lists(f"{WORK}/candidates-2011-06-01", f"{SHARED}/eval/val", names)
    args = train.parse(["--work", f"{REPO}/training/.work-cart", "--eval-lists", "300", "--frozen-layers", "2",
                        "--group-size", "8", "--groups-per-step", "4", "--epochs", "1", "--lr", "5e-5",
                        "--checkpoint-every", "50"] + sys.argv[1:])
    report = train.run(args, training, heldout)
    print(json.dumps({k: report[k] for k in ("heldout_auc_blended_score", "heldout_auc", "heldout_combinations",
                                             "training")}, indent=1))


if __name__ == "__main__":
    main()
