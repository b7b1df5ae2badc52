"""Would last year's same weeks help the homepage? Two seasonal signals, checked on every window.

    .venv-training/bin/python -m training.seasonal_signals [--shared ../shared]

The later period the owner holds back is a gift wholesaler's autumn and Christmas, and the history
then reaches a whole year back: the weeks ahead of it were seen once already. Two ways to use that,
each scored on task A (NDCG@10, products new to the user, as ../shared/eval/protocol.py) of the
three windows, against the signal the engine serves today:

  * popularity: the engine's homepage popularity (first purchases, decayed with τ = 14 days at the
    window's start, `PopularityIndex`) against the first purchases of the same H days one year
    earlier, alone and mixed (`(1 − m)·recent/max + m·seasonal/max`);
  * seeds: item-kNN over customer co-occurrence (cosine, 8 neighbours per product, the engine's
    homepage co-purchase shape) seeded by the shopper's purchases with a 30-day half-life (the
    serving default), against the same seeds plus a weight s for every purchase made in the same
    H days of the year before (ages 365 − H .. 380 days).

The 2010 autumn window has no year before it in the data (it starts 2009-12-01), so there the
seasonal signals are empty and only `val` and spring can speak. For the season itself, three
windows inside the 2010 Christmas run are cut the same way (task A's truth: products new to each
user with a history), whose last year is the December 2009 the data does hold; popularity only.
A third, non-seasonal way to catch a season's ramp is checked beside it on every window: the served
popularity times its growth, `(recent_14 / (recent_60 · 14/60))^β`, clipped to [0.1, 10].
docs/QUALITY.md quotes the output.
"""
import argparse

import numpy as np
import pandas as pd

WINDOWS = {"val": "2011-06-01", "bt-2011-spring": "2011-03-01", "bt-2010-autumn": "2010-09-01"}
DISCOUNTS = 1 / np.log2(np.arange(2, 12))


def ndcg(ranked_hits, truth_size):
    return float((np.asarray(ranked_hits, dtype=float) * DISCOUNTS[: len(ranked_hits)]).sum()
                 / DISCOUNTS[: min(10, truth_size)].sum())


def popularity_ndcg(score, truth, bought):
    order = list(score.sort_values(ascending=False).index[:400])
    values = []
    for user, products in truth.items():
        seen = bought.get(user, set())
        top = [p for p in order if p not in seen][:10]
        values.append(ndcg([p in products for p in top], len(products)))
    return float(np.mean(values))


def mixed_popularity(recent, seasonal, mix):
    index = recent.index.union(seasonal.index)
    return ((1 - mix) * recent / recent.max()).reindex(index).fillna(0) \
        + (mix * seasonal / seasonal.max()).reindex(index).fillna(0)


def christmas_windows(events):
    """Popularity, recent against last year's same days, on windows inside the 2010 season."""
    for start, end in (("2010-10-01", "2010-12-10"), ("2010-11-01", "2010-12-10"), ("2010-12-01", "2010-12-24")):
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        history = events[events.timestamp < start]
        window = events[(events.timestamp >= start) & (events.timestamp < end)]
        bought = history.groupby("customer_id").product_id.apply(set)
        truth = {}
        for user, rows in window.groupby("customer_id"):
            if user in bought.index and set(rows.product_id) - bought[user]:
                truth[user] = set(rows.product_id) - bought[user]
        first = history.sort_values("timestamp").drop_duplicates(["customer_id", "product_id"])
        age_days = (start - first.timestamp).dt.total_seconds() / 86400
        recent = first.assign(w=np.exp(-age_days / 14)).groupby("product_id").w.sum()
        lo = start - pd.Timedelta(days=364)
        seasonal = first[(first.timestamp >= lo) & (first.timestamp < lo + (end - start))]
        seasonal = seasonal.groupby("product_id").size().astype(float)
        truth = pd.Series(truth)
        print(f"## {start.date()} .. {end.date()} (history before it, {len(truth)} users; last year: "
              f"{len(seasonal)} products bought first in {lo.date()} .. {(lo + (end - start)).date()})")
        rows = {"popularity, recent (served)": popularity_ndcg(recent, truth, bought),
                "popularity, last year's same days": popularity_ndcg(seasonal, truth, bought)}
        for mix in (0.3, 0.5, 0.7):
            rows[f"popularity, mixed {mix} with last year's"] = popularity_ndcg(
                mixed_popularity(recent, seasonal, mix), truth, bought)
        for name, value in rows.items():
            print(f"  {name:55s} NDCG@10 {value:.4f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default="../shared")
    args = parser.parse_args()
    events = pd.read_csv(f"{args.shared}/data/online-retail/interactions.csv.gz",
                         dtype={"customer_id": str, "product_id": str, "basket_id": str}, parse_dates=["timestamp"])
    events = events[events.event == "purchase"]
    for window, start in WINDOWS.items():
        start = pd.Timestamp(start)
        history = events[events.timestamp < start]
        truth = pd.read_csv(f"{args.shared}/eval/{window}/truth_taskA.csv", dtype=str).groupby("user_id").product_id.apply(set)
        bought = history.groupby("customer_id").product_id.apply(set)
        first = history.sort_values("timestamp").drop_duplicates(["customer_id", "product_id"])
        age_days = (start - first.timestamp).dt.total_seconds() / 86400
        recent = first.assign(w=np.exp(-age_days / 14)).groupby("product_id").w.sum()

        rows = {"popularity, recent (served)": popularity_ndcg(recent, truth, bought)}
        slow = first.assign(w=np.exp(-age_days / 60)).groupby("product_id").w.sum()
        growth = (recent / (slow * 14 / 60).reindex(recent.index)).fillna(1).clip(0.1, 10)
        for beta in (0.25, 0.5, 1.0):
            rows[f"popularity x growth^{beta}"] = popularity_ndcg(recent * growth ** beta, truth, bought)
        for days in (30, 60, 90):
            lo = start - pd.Timedelta(days=365)
            seasonal = first[(first.timestamp >= lo) & (first.timestamp < lo + pd.Timedelta(days=days))]
            seasonal = seasonal.groupby("product_id").size().astype(float)
            if seasonal.empty:
                continue
            rows[f"popularity, last year's next {days} days"] = popularity_ndcg(seasonal, truth, bought)
            for mix in (0.3, 0.5):
                rows[f"popularity, mixed {mix} with last year's {days} days"] = popularity_ndcg(
                    mixed_popularity(recent, seasonal, mix), truth, bought)

        products = sorted(history.product_id.unique())
        product_index = {p: i for i, p in enumerate(products)}
        users = {u: i for i, u in enumerate(sorted(history.customer_id.unique()))}
        matrix = np.zeros((len(users), len(products)), np.float32)
        matrix[history.customer_id.map(users).values, history.product_id.map(product_index).values] = 1
        similarity = matrix.T @ matrix
        norms = np.sqrt(np.diag(similarity))
        similarity /= np.outer(norms, norms).clip(1e-9)
        np.fill_diagonal(similarity, 0)
        keep = np.argpartition(-similarity, 8, axis=1)[:, :8]
        neighbours = np.zeros_like(similarity)
        rows_index = np.arange(len(products))[:, None]
        neighbours[rows_index, keep] = similarity[rows_index, keep]
        history = history.assign(age=(start - history.timestamp).dt.total_seconds().values / 86400)
        by_user = {u: (g.product_id.map(product_index).values, g.age.values) for u, g in history.groupby("customer_id")}

        def seeded_ndcg(weight):
            values = []
            for user, truth_products in truth.items():
                if user not in by_user:
                    values.append(0.0)
                    continue
                ids, ages = by_user[user]
                seeds = np.zeros(len(products), np.float32)
                np.add.at(seeds, ids, weight(ages).astype(np.float32))
                scores = seeds @ neighbours
                scores[ids] = -1
                top = np.argpartition(-scores, 10)[:10]
                top = top[np.argsort(-scores[top])]
                values.append(ndcg([products[i] in truth_products and scores[i] > 0 for i in top], len(truth_products)))
            return float(np.mean(values))

        half_life = np.log(2) / 30
        rows["item-kNN seeds, 30-day half-life (served)"] = seeded_ndcg(lambda a: np.exp(-a * half_life))
        if history.timestamp.min() <= start - pd.Timedelta(days=365):
            for weight in (0.3, 1.0):
                for days in (60, 120):
                    rows[f"item-kNN seeds + {weight} x last year's next {days} days"] = seeded_ndcg(
                        lambda a, w=weight, d=days: np.exp(-a * half_life) + w * ((a >= 365 - d) & (a <= 380)))
        print(f"## {window} (history before {start.date()}, {len(truth)} users)")
        for name, value in rows.items():
            print(f"  {name:55s} NDCG@10 {value:.4f}")
    christmas_windows(events)


if __name__ == "__main__":
    main()
