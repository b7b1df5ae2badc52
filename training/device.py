"""The recipe's full training run on a lent GPU machine, in one call (training/README.md, "On a GPU").

    .venv-training/bin/python -m training.device pack      # here: lists + base model -> .device/
    (device)  python3 -m training.device train --out $OUT  # there: train, evaluate, return the layers
    .venv-training/bin/python -m training.device unpack DIR # here: merge, check, export

Why three steps. A lent machine gets this checkout and at most 64 MiB in all, has no Swift toolchain
and no model hub, and its time is short (minutes a session). So the candidate lists are dumped here
by `hybridrank recommend-batch` (as train.py does), and the starting model travels packed:
all-MiniLM-L6-v2 is 88 MB in float32 and the checkout is already most of the 64 MiB (the shipped
v0), so its matrices go as int8 with a float32 scale per row, and of its word embeddings only the
rows of tokens the lists use. The embeddings are never trained (train.py keeps them frozen), so
the machine returns every other tensor in float16 and `unpack` puts the original embeddings back:
the exported model is exactly what the machine trained, for every token of the vocabulary.

No leakage: the lists are those of the training windows before `val` (history before 2010-06-01
and before 2010-12-01, each labelled by the three months after, as training/experiments.py) and
the held-out lists are `val`'s, scored once by the trained model: the model may be scored on
`val` and `bt-2011-spring`, not on `bt-2010-autumn`.
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys

import numpy as np

from . import data

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACK = f"{REPO}/.device"
TRAINING_WINDOWS = (("2010-06-01", "2010-09-01"), ("2010-12-01", "2011-03-01"))
HELDOUT = ("val", "2011-06-01")
# The returned tensors are split into files of at most this many bytes (the tool returns files of
# at most 16 MiB each).
SHARD_BYTES = 15 * 1024 * 1024
# What the checkout and the pack may hold together on the lent machine.
TRAVEL_LIMIT = 64 * 1024 * 1024
MODEL_FILES = ("config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json")


def log(msg):
    print(f"[device] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- lists
def lists_to_json(lists):
    return [{"task": l.task, "query_id": l.query_id, "query": l.query, "products": l.products,
             "documents": l.documents, "blended": l.blended, "positions": l.positions, "labels": l.labels}
            for l in lists]


def lists_from_json(items):
    out = []
    for d in items:
        lst = data.CandidateList(d["task"], d["query_id"], d["query"])
        lst.products, lst.documents, lst.blended = d["products"], d["documents"], d["blended"]
        lst.positions, lst.labels = d["positions"], d["labels"]
        out.append(lst)
    return out


def dump_lists(args):
    """The training windows' and the held-out window's labelled lists, dumped when missing."""
    interactions = None
    train_lists = []
    for cut, end in TRAINING_WINDOWS:
        window = f"{args.work}/window-{cut}"
        if not os.path.exists(f"{window}/truth_taskC.csv"):
            interactions = interactions or data.read_interactions(f"{args.data}/interactions.csv.gz")
            data.write_window(interactions, cut, end, window)
        train_lists.extend(window_lists(args, window, cut))
    heldout = window_lists(args, f"{args.eval_dir}/{HELDOUT[0]}", HELDOUT[1])
    return train_lists, heldout


def window_lists(args, window, cut):
    data.dump_candidates(args.hybridrank, args.data, window, cut, f"{args.work}/candidates-{cut}", 20, args.bi_encoder, log)
    return data.read_window_lists(f"{args.work}/candidates-{cut}", window)


# --------------------------------------------------------------------------- base model
def quantize_rows(matrix):
    """int8 rows and a float32 scale per row (symmetric): matrix ≈ q * scale[:, None]."""
    scale = np.abs(matrix).max(axis=1).astype(np.float32) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def pack_base(base_dir, used_ids, out_path):
    """all-MiniLM-L6-v2 for the trip: 2-D weights int8 per row, the rest float16, and of the word
    embeddings only the rows `used_ids` (float16) with the ids beside them."""
    from safetensors.numpy import load_file, save_file

    tensors = load_file(f"{base_dir}/model.safetensors")
    packed = {}
    for name, value in tensors.items():
        value = value.astype(np.float32)
        if name.endswith("word_embeddings.weight"):
            ids = np.array(sorted(used_ids), dtype=np.int32)
            packed[f"{name}.rows"] = value[ids].astype(np.float16)
            packed[f"{name}.ids"] = ids
            packed[f"{name}.shape"] = np.array(value.shape, dtype=np.int64)
        elif value.ndim == 2 and "embeddings" not in name:
            packed[f"{name}.q"], packed[f"{name}.scale"] = quantize_rows(value)
        else:
            packed[name] = value.astype(np.float16)
    save_file(packed, out_path)


def unpack_base(packed_path, out_path):
    """The packed base as a float32 safetensors file train.py loads (unused vocabulary rows zero)."""
    from safetensors.numpy import load_file, save_file

    packed = load_file(packed_path)
    tensors = {}
    for name, value in packed.items():
        if name.endswith(".rows"):
            base = name[: -len(".rows")]
            full = np.zeros(tuple(packed[f"{base}.shape"]), dtype=np.float32)
            full[packed[f"{base}.ids"]] = value.astype(np.float32)
            tensors[base] = full
        elif name.endswith(".q"):
            base = name[: -len(".q")]
            tensors[base] = value.astype(np.float32) * packed[f"{base}.scale"][:, None]
        elif not name.endswith((".ids", ".shape", ".scale")):
            tensors[name] = value.astype(np.float32)
    save_file(tensors, out_path)


def travelling_bytes():
    """What a call would send: the files git tracks or does not ignore, plus the pack."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                           check=True, capture_output=True).stdout.split(b"\0")
    total = sum(os.path.getsize(os.path.join(REPO, f.decode())) for f in files
                if f and os.path.isfile(os.path.join(REPO, f.decode())))
    return total + sum(os.path.getsize(os.path.join(PACK, f)) for f in os.listdir(PACK))


def pack(args):
    from .tokenize import PairTokenizer

    os.makedirs(PACK, exist_ok=True)
    # Only lists with a bought product and another candidate make a training group or an AUC.
    train_lists, heldout = ([l for l in part if l.positives and l.negatives] for part in dump_lists(args))
    with gzip.open(f"{PACK}/lists.json.gz", "wt") as f:
        json.dump({"train": lists_to_json(train_lists), "heldout": lists_to_json(heldout)}, f)
    tokenizer = PairTokenizer(f"{args.base}/vocab.txt", max_length=512)
    used = {0, 100, 101, 102, 103}  # [PAD] [UNK] [CLS] [SEP] [MASK]
    for lst in train_lists + heldout:
        for ids, _ in tokenizer.encode([(lst.query, d) for d in lst.documents]):
            used.update(ids)
    pack_base(args.base, used, f"{PACK}/base.safetensors")
    for name in MODEL_FILES:
        if os.path.exists(f"{args.base}/{name}"):
            shutil.copyfile(f"{args.base}/{name}", f"{PACK}/{name}")
    size = travelling_bytes()
    log(f"{len(train_lists)} training lists, {len(heldout)} held-out lists, {len(used)} token ids; "
        f"a call would send {size / 1048576:.1f} MiB of {TRAVEL_LIMIT / 1048576:.0f}")
    if size > TRAVEL_LIMIT:
        sys.exit("over the limit: the call would be refused")


# --------------------------------------------------------------------------- on the machine
def train_there(args, extra):
    import torch
    from safetensors.torch import load_file, save_file

    from . import train

    base = f"{args.scratch}/base"
    os.makedirs(base, exist_ok=True)
    unpack_base(f"{PACK}/base.safetensors", f"{base}/model.safetensors")
    for name in MODEL_FILES:
        if os.path.exists(f"{PACK}/{name}"):
            shutil.copyfile(f"{PACK}/{name}", f"{base}/{name}")
    with gzip.open(f"{PACK}/lists.json.gz", "rt") as f:
        lists = json.load(f)
    train_args = train.parse(["--base", base, "--work", f"{args.scratch}/work", "--hybridrank", "-",
                              "--train-cut", TRAINING_WINDOWS[0][0], "--train-end", TRAINING_WINDOWS[-1][1]]
                             + extra)
    report = train.run(train_args, lists_from_json(lists["train"]), lists_from_json(lists["heldout"]))
    report["train_window"] = [{"history_before": cut, "labels": [cut, end]} for cut, end in TRAINING_WINDOWS]
    report["torch"] = torch.__version__
    if torch.cuda.is_available():
        report["gpu"] = torch.cuda.get_device_name(0)

    trained = load_file(f"{train_args.export_dir}/model.safetensors")
    started = load_file(f"{base}/model.safetensors")
    for name, value in trained.items():
        if name.startswith("bert.embeddings."):
            key = name[len("bert."):] if name[len("bert."):] in started else name
            assert torch.equal(value.float(), started[key].half().float()), f"{name} changed in training"
    kept = {k: v for k, v in trained.items() if not k.startswith("bert.embeddings.")}
    os.makedirs(args.out, exist_ok=True)
    shard, size, index = {}, 0, 0
    for name in sorted(kept):
        nbytes = kept[name].numel() * kept[name].element_size()
        if shard and size + nbytes > SHARD_BYTES:
            save_file(shard, f"{args.out}/trained-{index:02d}.safetensors")
            shard, size, index = {}, 0, index + 1
        shard[name] = kept[name]
        size += nbytes
    save_file(shard, f"{args.out}/trained-{index:02d}.safetensors")
    for name in ("config.json", "reference_pairs.json"):
        shutil.copyfile(f"{train_args.export_dir}/{name}", f"{args.out}/{name}")
    with open(f"{args.out}/report.json", "w") as f:
        json.dump(report, f, indent=2)
    log(f"held-out AUC {json.dumps(report['heldout_auc'].get('all'))}; wrote {index + 1} shard(s) to {args.out}")


# --------------------------------------------------------------------------- back here
def unpack(args):
    """Merges the returned tensors with the base's embeddings into a model directory Sources/MiniLM
    loads, and checks it against the machine's own logits of its reference pairs."""
    import torch
    from safetensors.torch import load_file, save_file

    from . import train

    returned = args.returned
    tensors = {}
    for name in sorted(os.listdir(returned)):
        if name.startswith("trained-") and name.endswith(".safetensors"):
            tensors.update(load_file(f"{returned}/{name}"))
    for name, value in load_file(f"{args.base}/model.safetensors").items():
        if name.startswith("embeddings.") or name.startswith("bert.embeddings."):
            key = name if name.startswith("bert.") else "bert." + name
            tensors[key] = value.to(torch.float16).contiguous()
    os.makedirs(args.export_dir, exist_ok=True)
    save_file(tensors, f"{args.export_dir}/model.safetensors", metadata={"format": "pt"})
    shutil.copyfile(f"{returned}/config.json", f"{args.export_dir}/config.json")
    for name in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        source = f"{args.base}/{name}"
        if os.path.exists(source):
            shutil.copyfile(source, f"{args.export_dir}/{name}")
    with open(f"{returned}/reference_pairs.json") as f:
        there = json.load(f)["cases"]
    pairs = [(c["query"], c["document"]) for c in there]
    here = train.write_reference(args.export_dir, pairs, f"{args.export_dir}/reference_pairs.json",
                                 "held-out candidate pairs, scored here by training/device.py unpack")
    gap = max(abs(a["logit"] - b["logit"]) for a, b in zip(there, here)) if here else float("nan")
    swift_gap = swift_reference_gap(args.hybridrank, args.export_dir, here)
    with open(f"{returned}/report.json") as f:
        report = json.load(f)
    report["reference_logit_gap_swift_vs_pytorch"] = swift_gap
    report["sha256"] = train.sha256(f"{args.export_dir}/model.safetensors")
    report["export_dir"] = args.export_dir
    report["reference_logit_gap_device_vs_here"] = gap
    with open(f"{args.export_dir}/../report.json", "w") as f:
        json.dump(report, f, indent=2)
    log(f"exported {args.export_dir}: sha256 {report['sha256']}, reference logits within {gap:.2e} of the "
        f"machine's; the Swift encoder within {swift_gap:.2e} of PyTorch")
    if not gap <= 1e-3:
        sys.exit("the merged model does not reproduce the machine's logits")
    if not swift_gap <= 1e-3:
        sys.exit("the Swift encoder does not reproduce PyTorch's logits of the merged model")


def swift_reference_gap(hybridrank, model_dir, cases):
    """Largest |Swift logit − PyTorch logit| over the reference cases (`hybridrank score`)."""

    lines = "".join(json.dumps({"query": c["query"], "document": c["document"]}) + "\n" for c in cases)
    result = subprocess.run([hybridrank, "score", "--model", model_dir, "--pairs", "-"], input=lines, text=True,
                            capture_output=True, check=True)
    logits = [float(x) for x in result.stdout.split()]
    if len(logits) != len(cases):
        sys.exit(f"hybridrank score printed {len(logits)} logits for {len(cases)} pairs")
    return max(abs(a - c["logit"]) for a, c in zip(logits, cases))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack", help="dump the lists and pack them with the base model into .device/")
    p.add_argument("--work", default=f"{REPO}/training/.work", help="windows and candidate dumps (as train.py)")
    p.add_argument("--data", default=os.path.normpath(f"{REPO}/../shared/data/online-retail"))
    p.add_argument("--eval-dir", default=os.path.normpath(f"{REPO}/../shared/eval"))
    p.add_argument("--hybridrank", default=f"{REPO}/.build/release/hybridrank")
    p.add_argument("--bi-encoder", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    p.add_argument("--base", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    t = sub.add_parser("train", help="on the machine: train.py's run on the packed lists, tensors to --out",
                       epilog="Any other option goes to training.train (e.g. --epochs 3 --frozen-layers 0).")
    t.add_argument("--out", required=True)
    t.add_argument("--scratch", default="/tmp/hybridrank-training")
    u = sub.add_parser("unpack", help="merge the returned tensors with the base embeddings and check them")
    u.add_argument("returned", help="the folder the machine's --out came back to")
    u.add_argument("--base", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    u.add_argument("--export-dir", default=f"{REPO}/training/.work-device/export/retail-reranker")
    u.add_argument("--hybridrank", default=f"{REPO}/.build/release/hybridrank")
    args, extra = ap.parse_known_args(argv)
    if args.command == "pack":
        pack(args)
    elif args.command == "train":
        train_there(args, extra)
    else:
        unpack(args)


if __name__ == "__main__":
    main()
