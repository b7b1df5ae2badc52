"""Windows, candidate dumps and labels.

A *window* is (cut, end): the engine sees purchases before `cut` only (`recommend-batch --now
cut`), and what shoppers bought in [cut, end) labels the candidates. The query files follow
../shared/eval/protocol.py (task A: users in the history who bought something new in the window,
truth = those new products; task C: baskets with >= 2 distinct products, one hidden by a hash of
the basket id, cart = the rest), so a training window is cut exactly as the evaluation windows are.
"""
import csv
import gzip
import hashlib
import os
import subprocess
import sys
from collections import defaultdict

C_SEED = "online-retail-taskC-v1"


def read_interactions(path):
    """[(customer, product, timestamp, basket)] of purchases, file order."""
    opener = gzip.open if path.endswith(".gz") else open
    rows = []
    with opener(path, "rt", newline="") as f:
        for r in csv.DictReader(f):
            if r["event"] == "purchase":
                rows.append((r["customer_id"], r["product_id"], r["timestamp"], r["basket_id"]))
    return rows


def _h(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def write_window(interactions, cut, end, out_dir, max_baskets=5000):
    """Writes users_taskA.csv, truth_taskA.csv, taskC_queries.csv, truth_taskC.csv for one window."""
    os.makedirs(out_dir, exist_ok=True)
    before = defaultdict(set)
    during = defaultdict(set)
    baskets = {}
    for customer, product, ts, basket in interactions:
        if ts < cut:
            before[customer].add(product)
        elif ts < end:
            during[customer].add(product)
            b = baskets.setdefault(basket, [customer, ts, set()])
            b[1] = min(b[1], ts)
            b[2].add(product)
    truth_a = {}
    for u in sorted(set(before) & set(during)):
        new = during[u] - before[u]
        if new:
            truth_a[u] = new
    with open(f"{out_dir}/users_taskA.csv", "w") as f:
        f.write("user_id\n" + "".join(f"{u}\n" for u in truth_a))
    with open(f"{out_dir}/truth_taskA.csv", "w") as f:
        f.write("user_id,product_id\n" + "".join(f"{u},{p}\n" for u in truth_a for p in sorted(truth_a[u])))
    eligible = [b for b, v in baskets.items() if len(v[2]) >= 2]
    chosen = sorted(sorted(eligible, key=lambda b: _h(f"{C_SEED}|sample|{b}"))[:max_baskets])
    with open(f"{out_dir}/taskC_queries.csv", "w") as q, open(f"{out_dir}/truth_taskC.csv", "w") as t:
        q.write("basket_id,customer_id,timestamp,cart\n")
        t.write("basket_id,product_id\n")
        for b in chosen:
            customer, ts, products = baskets[b]
            products = sorted(products)
            i = int(_h(f"{C_SEED}|hide|{b}"), 16) % len(products)
            q.write(f"{b},{customer},{ts},{' '.join(products[:i] + products[i + 1:])}\n")
            t.write(f"{b},{products[i]}\n")
    return len(truth_a), len(chosen)


def dump_candidates(hybridrank, data_dir, window_dir, cut, out_dir, window=20, bi_encoder=".models/all-MiniLM-L6-v2",
                    log=print):
    """Runs `hybridrank recommend-batch --write-candidates` for the window's users (homepage,
    already-bought products excluded, as task A) and carts. Returns the two candidate CSV paths."""
    os.makedirs(out_dir, exist_ok=True)
    common = [hybridrank, "recommend-batch", "--catalog", f"{data_dir}/products.csv.gz",
              "--events", f"{data_dir}/interactions.csv.gz", "--now", cut, "--rerank-window", str(window),
              "--bi-encoder", bi_encoder]
    paths = []
    for task, args in (("homepage", ["--users", f"{window_dir}/users_taskA.csv", "--exclude-purchased"]),
                       ("cart", ["--carts", f"{window_dir}/taskC_queries.csv"])):
        path = f"{out_dir}/candidates_{task}.csv"
        if not os.path.exists(path):
            log(f"dump: {task} lists of {window_dir} (history before {cut}) -> {path}")
            subprocess.run(common + args + ["--out", f"{out_dir}/recs_{task}.csv", "--write-candidates", path + ".tmp"],
                           check=True, stdout=sys.stderr)
            os.replace(path + ".tmp", path)
        paths.append(path)
    return paths


def read_truth(path):
    key = None
    truth = defaultdict(set)
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        key = header[0]
        for row in reader:
            truth[row[0]].add(row[1])
    return key, truth


# Stage 2's signals beside `blended` in a candidate dump (RerankCandidateFile's columns).
SIGNALS = ("content", "co_purchase", "similar_users", "popularity")


class CandidateList:
    """One list as stage 3 saw it, labelled. Per item: `signals` are stage 2's other normalised
    scores (content, co_purchase, similar_users, popularity), `positions` the place in blended order."""

    __slots__ = ("task", "query_id", "query", "products", "documents", "blended", "signals", "positions", "labels")

    def __init__(self, task, query_id, query):
        self.task, self.query_id, self.query = task, query_id, query
        self.products, self.documents, self.blended, self.labels = [], [], [], []
        self.signals, self.positions = [], []

    @property
    def positives(self):
        return [i for i, y in enumerate(self.labels) if y]

    @property
    def negatives(self):
        return [i for i, y in enumerate(self.labels) if not y]


def read_lists(candidates_path, truth_path):
    """Candidate lists with labels: 1 = bought in the window (task truth), 0 = the other candidates
    of the same list (hard negatives). Lists with an empty query (no rerank in service) are dropped."""
    _, truth = read_truth(truth_path)
    lists = {}
    with open(candidates_path, newline="") as f:
        for r in csv.DictReader(f):
            if not r["query"]:
                continue
            lst = lists.get(r["query_id"])
            if lst is None:
                lst = lists[r["query_id"]] = CandidateList(r["task"], r["query_id"], r["query"])
            lst.products.append(r["product_id"])
            lst.documents.append(r["document"])
            lst.blended.append(float(r["blended"]))
            lst.signals.append([float(r[k]) for k in SIGNALS])
            lst.positions.append(int(r["position"]))
            lst.labels.append(1 if r["product_id"] in truth.get(r["query_id"], ()) else 0)
    return list(lists.values())


def read_window_lists(candidates_dir, truth_dir):
    """A window's homepage lists (labelled by task A's truth), then its cart lists (task C's), from
    the dumps `dump_candidates` wrote to `candidates_dir`."""
    return (read_lists(f"{candidates_dir}/candidates_homepage.csv", f"{truth_dir}/truth_taskA.csv")
            + read_lists(f"{candidates_dir}/candidates_cart.csv", f"{truth_dir}/truth_taskC.csv"))
