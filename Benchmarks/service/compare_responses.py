#!/usr/bin/env python3
"""Same requests, two server binaries: are the answers the same? (issue #19, "behaviour unchanged")

Three steps, stdlib Python only (plus `psql` for the first), loopback only, bounded:

  requests  picks a fixed request set from PostgreSQL: product pages (live, in-stock products, each
            with a buyer as user_id), homepages of users with purchase history, carts (POST with
            three of a buyer's purchased products as explicit items) and searches (two words of a
            product name). Deterministic: ids are ordered by md5(id || seed).
  fetch     sends every request once, sequentially, with explain=true, and keeps what is behaviour:
            per item product_id, position, score and the explain block (signals, blended score,
            cross-encoder logit, rules fired); the response's notes with milliseconds masked;
            experiment and degraded. Dropped: request_id, generated_at, timings_ms (and any "N ms"
            inside a note).
  compare   reports, request by request, whether two fetches agree: the same products in the same
            order, the same positions, rules fired and notes, and the largest difference of each
            number (scores, signals); exit 1 if anything but a number differs. Compare that spread
            with two runs of the same binary: time-decayed popularity and co-purchase weights move
            with the clock, and BLAS sums in an order that depends on its threads.

Usage (repository root; a migrated, imported and embedded database; server on $URL):
  python3 Benchmarks/service/compare_responses.py requests --database-url "$DATABASE_URL" \
      --products 50 --homepages 50 --carts 20 --searches 20 --seed 19 --out .local/compare/requests.json
  python3 Benchmarks/service/compare_responses.py fetch --url http://127.0.0.1:18080 \
      --requests .local/compare/requests.json --out .local/compare/old-1.json
  python3 Benchmarks/service/compare_responses.py compare .local/compare/old-1.json .local/compare/new-1.json

Runs are only comparable when they start from the same state: restart the server and delete the
cross-encoder score keys in Redis (`redis-cli --scan --pattern 'hr:ce*' | xargs redis-cli del`)
before each fetch, so every run starts with a cold score cache (otherwise the notes' "cached"
counts differ). Exposures written by a run do not feed ranking; events would, so send none in
between. Benchmarks/service/compare_binaries.sh does all of it for an old, new, old order.
"""

import argparse
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

MS = re.compile(r"\d+(?:\.\d+)? ?ms\b")


def psql(url, sql):
    out = subprocess.run(["psql", url, "-Atc", sql], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


def cmd_requests(args):
    s = str(args.seed)
    safe = "'^[A-Za-z0-9_-]+$'"
    products = [r[0] for r in psql(args.database_url, f"""
        SELECT id FROM products WHERE deleted_at IS NULL AND in_stock AND id ~ {safe}
        ORDER BY md5(id || '{s}') LIMIT {args.products}""")]
    buyers = [r[0] for r in psql(args.database_url, f"""
        SELECT user_id FROM (SELECT DISTINCT user_id FROM interactions WHERE type = 'purchase') b
        WHERE user_id ~ {safe} ORDER BY md5(user_id || '{s}') LIMIT {args.homepages + args.products + args.carts}""")]
    requests = []
    for i, pid in enumerate(products):
        user = buyers[(args.homepages + i) % len(buyers)]
        requests.append({"method": "GET", "path": f"/v1/recommendations/product/{pid}?user_id={user}&limit=10"})
    for user in buyers[: args.homepages]:
        requests.append({"method": "GET", "path": f"/v1/recommendations/homepage?user_id={user}&limit=10"})
    for user in buyers[args.homepages + args.products:][: args.carts]:
        items = [r[0] for r in psql(args.database_url, f"""
            SELECT product_id FROM interactions WHERE type = 'purchase' AND user_id = '{user}'
            GROUP BY product_id ORDER BY md5(product_id || '{s}') LIMIT 3""")]
        requests.append({"method": "POST", "path": "/v1/recommendations/cart?limit=10",
                         "body": {"user_id": user, "items": items}})
    names = [r[0] for r in psql(args.database_url, f"""
        SELECT name FROM products WHERE deleted_at IS NULL ORDER BY md5(id || '{s}x') LIMIT {args.searches}""")]
    for name in names:
        words = re.findall(r"[A-Za-z]+", name)[:2] or ["gift"]
        q = urllib.parse.quote(" ".join(words).lower())
        requests.append({"method": "GET", "path": f"/v1/search?q={q}&limit=10"})
    with open(args.out, "w") as f:
        json.dump(requests, f, indent=1)
    print(f"{len(requests)} requests -> {args.out}")


def normalise(answer):
    items = []
    for item in answer.get("items", []):
        kept = {k: item.get(k) for k in ("product_id", "position", "score")}
        if item.get("explain") is not None:
            kept["explain"] = item["explain"]
        items.append(kept)
    return {
        "items": items,
        "notes": [MS.sub("<ms>", n) for n in (answer.get("notes") or [])],
        "experiment": answer.get("experiment"),
        "degraded": answer.get("degraded"),
    }


def cmd_fetch(args):
    with open(args.requests) as f:
        requests = json.load(f)
    results = []
    for r in requests:
        sep = "&" if "?" in r["path"] else "?"
        url = args.url + r["path"] + sep + "explain=true"
        data = json.dumps(r["body"]).encode() if "body" in r else None
        req = urllib.request.Request(url, data=data, method=r["method"])
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if args.api_key:
            req.add_header("Authorization", "Bearer " + args.api_key)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                status, body = resp.status, json.load(resp)
        except urllib.error.HTTPError as e:
            status, body = e.code, json.loads(e.read() or b"{}")
        results.append({"request": r, "status": status,
                         "answer": normalise(body) if status == 200 else body})
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    bad = sum(1 for r in results if r["status"] != 200)
    print(f"{len(results)} answers ({bad} not 200) -> {args.out}")


def strip_numbers(x):
    """The answer with every float replaced by None: what must match exactly."""
    if isinstance(x, dict):
        return {k: strip_numbers(v) for k, v in x.items()}
    if isinstance(x, list):
        return [strip_numbers(v) for v in x]
    return None if isinstance(x, float) else x


def numeric_diffs(x, y, path, out):
    """Largest absolute difference per field path (items' fields share one path)."""
    if isinstance(x, dict) and isinstance(y, dict):
        for k in set(x) | set(y):
            numeric_diffs(x.get(k), y.get(k), f"{path}.{k}", out)
    elif isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for p, q in zip(x, y):
            numeric_diffs(p, q, path + "[]", out)
    elif isinstance(x, (int, float)) and isinstance(y, (int, float)) and not isinstance(x, bool):
        out[path] = max(out.get(path, 0.0), abs(x - y))


def cmd_compare(args):
    """Products, order, positions, rules fired, notes, experiment and degraded must be equal;
    numbers (scores and signals) are reported as the largest difference per field, to set against
    the same binary's run-to-run spread (time-decayed popularity and co-purchase weights move
    with the clock; BLAS sums in thread-dependent order)."""
    with open(args.a) as f:
        a = json.load(f)
    with open(args.b) as f:
        b = json.load(f)
    if [x["request"] for x in a] != [x["request"] for x in b]:
        sys.exit("the two files answer different request sets")
    same_lists = same_structure = 0
    differing = []
    fields = {}
    for x, y in zip(a, b):
        path = x["request"]["path"]
        if x["status"] != y["status"]:
            differing.append(f"{path}: status {x['status']} vs {y['status']}")
            continue
        if x["status"] != 200:
            same_lists += 1
            same_structure += x["answer"] == y["answer"]
            continue
        ids_a = [i["product_id"] for i in x["answer"]["items"]]
        ids_b = [i["product_id"] for i in y["answer"]["items"]]
        if ids_a != ids_b:
            differing.append(f"{path}: products differ\n    {ids_a}\n    {ids_b}")
        else:
            same_lists += 1
        numeric_diffs(x["answer"], y["answer"], "", fields)
        if strip_numbers(x["answer"]) == strip_numbers(y["answer"]):
            same_structure += 1
        elif ids_a == ids_b:
            for key in ("notes", "experiment", "degraded", "items"):
                if strip_numbers(x["answer"][key]) != strip_numbers(y["answer"][key]):
                    differing.append(f"{path}: {key} differ\n    {x['answer'][key]}\n    {y['answer'][key]}"
                                     if args.verbose or key != "items" else f"{path}: item details differ (rules fired?)")
    n = len(a)
    print(f"{args.a} vs {args.b}: {n} requests; same products in the same order: {same_lists}/{n}; "
          f"same everything but numbers (positions, rules fired, notes): {same_structure}/{n}")
    print("  largest numeric difference per field: " + ", ".join(
        f"{k.lstrip('.')} {v:.2g}" for k, v in sorted(fields.items()) if v > 0) or "none")
    for line in differing:
        print("  " + line)
    sys.exit(0 if same_lists == n and same_structure == n else 1)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("requests")
    r.add_argument("--database-url", required=True)
    r.add_argument("--products", type=int, default=50)
    r.add_argument("--homepages", type=int, default=50)
    r.add_argument("--carts", type=int, default=20)
    r.add_argument("--searches", type=int, default=20)
    r.add_argument("--seed", type=int, default=19)
    r.add_argument("--out", required=True)
    f = sub.add_parser("fetch")
    f.add_argument("--url", default="http://127.0.0.1:18080")
    f.add_argument("--requests", required=True)
    f.add_argument("--out", required=True)
    f.add_argument("--api-key")
    c = sub.add_parser("compare")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args()
    {"requests": cmd_requests, "fetch": cmd_fetch, "compare": cmd_compare}[args.cmd](args)


if __name__ == "__main__":
    main()
