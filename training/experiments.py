"""Experiments beside the recipe (not the recipe itself), each trained only on data before `val`:

    .venv-training/bin/python -m training.experiments cart-query
    .venv-training/bin/python -m training.experiments homepage-two-windows
    .venv-training/bin/python -m training.experiments rank-in-document

Both train the recipe's cross-encoder (train.py: all-MiniLM-L6-v2 with a new head, listwise loss
over one bought product and 7 other candidates of its list, one epoch) on the lists of two windows
before `val` — history before 2010-06-01 and before 2010-12-01, each labelled by the three months
after (the dumps `training.signal_transfer --train-cut …` writes) — and score it on 300 `val` lists
with train.py's held-out AUC and combinations. docs/QUALITY.md has the results.

  cart-query            the cart lists, with the query replaced by the names of the cart's
                        products, up to 5: the model card's contract gives a known buyer's cart
                        their purchase history instead. The only place where a query text is built
                        outside RerankQueryBuilder, since it tests a contract that does not exist.
  homepage-two-windows  the homepage lists with the contract's queries: does a model trained on
                        two seasons (summer and winter) know something the blend does not?
  rank-in-document      the homepage and cart lists with each document prefixed by its stage-2
                        position ("rank 3 | ..."), as rerankers given their first stage's score as
                        text are trained (Askari et al., ECIR 2023, BM25 injected into a
                        cross-encoder): the blend's order is what the text models lacked, and a
                        position carries across seasons where raw signal values do not
                        (training.signal_transfer). Also outside the contract.
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
TRAINING_CUTS = ("2010-06-01", "2010-12-01")


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


def homepage_lists(candidates_dir, window_dir, _names):
    return data.read_lists(f"{candidates_dir}/candidates_homepage.csv", f"{window_dir}/truth_taskA.csv")


def ranked_lists(candidates_dir, window_dir, _names):
    """Both tasks' lists, each document prefixed by its stage-2 position."""
    out = data.read_window_lists(candidates_dir, window_dir)
    for lst in out:
        lst.documents = [f"rank {position} | {document}" for position, document in zip(lst.positions, lst.documents)]
    return out


EXPERIMENTS = {"cart-query": (cart_lists, ".work-cart"), "homepage-two-windows": (homepage_lists, ".work-home"),
               "rank-in-document": (ranked_lists, ".work-rank")}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in EXPERIMENTS:
        sys.exit(f"usage: python -m training.experiments {{{'|'.join(EXPERIMENTS)}}} [train.py options]")
    read, work = EXPERIMENTS[sys.argv[1]]
    names = product_names()
    training = []
    for cut in TRAINING_CUTS:
        if not os.path.exists(f"{WORK}/candidates-{cut}/candidates_homepage.csv"):
            sys.exit(f"no dump for {cut}: run `python -m training.signal_transfer --train-cut {cut}` first")
        training += read(f"{WORK}/candidates-{cut}", f"{WORK}/window-{cut}", names)
    heldout = read(f"{WORK}/candidates-2011-06-01", f"{SHARED}/eval/val", names)
    args = train.parse(["--work", f"{REPO}/training/{work}", "--eval-lists", "300", "--frozen-layers", "2",
                        "--group-size", "8", "--groups-per-step", "4", "--epochs", "1", "--lr", "5e-5",
                        "--checkpoint-every", "50"] + sys.argv[2:])
    report = train.run(args, training, heldout)
    print(json.dumps({k: report[k] for k in ("heldout_auc_blended_score", "heldout_auc", "heldout_combinations",
                                             "training")}, indent=1))


if __name__ == "__main__":
    main()
