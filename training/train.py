"""Train HybridRank's cross-encoder reranker on the engine's own candidate lists.

    training/train.sh                      # the documented recipe (README.md)
    python -m training.train --help        # every stage and option

Stages, each skipped when its output already exists in --work (so a stopped run resumes):
  1. windows  cut the training window's query files (data.write_window);
  2. dump     `hybridrank recommend-batch --write-candidates` on the training window and on the
              held-out window: the rerank windows exactly as stage 3 sees them (query and
              document texts built by the engine, never here);
  3. train    listwise softmax loss over groups (one bought product + hard negatives from the
              same list), AdamW with linear warm-up/decay; the bottom layers can stay frozen;
              checkpoints every --checkpoint-every steps and resumes from the last;
  4. evaluate held-out AUC on the later window's lists: each bought product against the other
              candidates of its list, per list, averaged (95% bootstrap interval over lists);
  5. export   float16 safetensors in the layout Sources/MiniLM loads, config.json, vocab.txt,
              reference_pairs.json (fp32 logits of the exported weights) and a model card.
"""
import argparse
import hashlib
import json
import math
import os
import random
import shutil
import sys
import time

import numpy as np
import torch

from . import bert, data
from .tokenize import PairTokenizer, pad

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- groups
def make_groups(lists, group_size, max_positives_per_list, seed):
    """[(query, [doc_pos, doc_neg...])]: each bought product with group_size-1 negatives of its list."""
    rng = random.Random(seed)
    groups = []
    for lst in lists:
        pos, neg = lst.positives, lst.negatives
        if not pos or not neg:
            continue
        for p in rng.sample(pos, min(len(pos), max_positives_per_list)):
            negs = rng.sample(neg, min(len(neg), group_size - 1))
            groups.append((lst.query, [lst.documents[p]] + [lst.documents[n] for n in negs]))
    rng.shuffle(groups)
    return groups


def measure_lengths(tokenizer, groups, cap=128):
    pairs = [(q, d) for q, docs in groups for d in docs]
    lengths = tokenizer.untruncated_lengths(pairs) if pairs else np.array([3])
    p = {k: int(np.percentile(lengths, k)) for k in (50, 90, 99)}
    chosen = min(cap, int(math.ceil(max(p[99], 8) / 8.0) * 8))
    return {"pairs": len(pairs), "p50": p[50], "p90": p[90], "p99": p[99], "max": int(lengths.max()),
            "max_length": chosen, "truncated_share": float((lengths > chosen).mean())}


# --------------------------------------------------------------------------- model pieces
def forward(model, ids, types, attention, frozen_layers):
    """Logits, with the embeddings and the bottom `frozen_layers` layers run without gradients."""
    mask = (1.0 - attention[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
    with torch.no_grad():
        x = model.bert.embeddings(ids, types)
        for layer in model.bert.encoder.layer[:frozen_layers]:
            x = layer(x, mask)
    for layer in model.bert.encoder.layer[frozen_layers:]:
        x = layer(x, mask)
    pooled = torch.tanh(model.bert.pooler.dense(x[:, 0]))
    return model.classifier(model.dropout(pooled)).squeeze(-1)


def score_lists(model, tokenizer, lists, device, batch=64, progress=None):
    """Logits for every candidate of every list (eval mode, no gradients)."""
    model.eval()
    out = []
    with torch.no_grad():
        for lst in lists:
            enc = tokenizer.encode([(lst.query, d) for d in lst.documents])
            scores = []
            for s in range(0, len(enc), batch):
                scores.extend(model(*pad(enc[s:s + batch], device)).float().cpu().tolist())
            out.append(scores)
            if progress:
                progress.update(1)
    return out


# --------------------------------------------------------------------------- metrics
def list_auc(scores, labels):
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def auc_summary(per_list, seed=0, n_boot=1000):
    values = np.array([v for v in per_list if v is not None])
    if len(values) == 0:
        return {"lists": 0}
    rng = np.random.default_rng(seed)
    boots = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(1)
    return {"lists": int(len(values)), "auc": float(values.mean()),
            "ci95": [float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))]}


def eval_sample(lists, per_task, seed):
    """Up to `per_task` lists of each task with a bought product and a negative, chosen by seed."""
    rng = random.Random(seed)
    out = []
    for task in sorted({lst.task for lst in lists}):
        usable = [lst for lst in lists if lst.task == task and lst.positives and lst.negatives]
        out.extend(rng.sample(usable, min(per_task, len(usable))))
    return out


def evaluate(model, tokenizer, lists, device, label, scores_out=None):
    from tqdm import tqdm

    with tqdm(total=len(lists), desc=f"evaluate {label}", unit="list", file=sys.stderr) as bar:
        scores = score_lists(model, tokenizer, lists, device, progress=bar)
    if scores_out is not None:
        scores_out[label] = scores
    return summarize(lists, scores)


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def combinations(lists, logits):
    """Held-out AUC of stage 3's ways to combine a logit with the blended score (RerankCombination):
    additive `blended + w * sigmoid(logit)` for several w, reciprocal-rank fusion (k = 60) and
    replace (logit order). Within a window, replace is the logit's own AUC."""
    result = {}
    for w in (0.05, 0.1, 0.2, 0.5, 1.0):
        combined = [[b + w * sigmoid(l) for b, l in zip(lst.blended, s)] for lst, s in zip(lists, logits)]
        result[f"additive w={w}"] = summarize(lists, combined)
    fused = []
    for lst, s in zip(lists, logits):
        by_logit = sorted(range(len(s)), key=lambda i: (-s[i], i))
        rank = {i: r + 1 for r, i in enumerate(by_logit)}
        fused.append([1 / (60 + i + 1) + 1 / (60 + rank[i]) for i in range(len(s))])
    result["rrf k=60"] = summarize(lists, fused)
    result["replace"] = summarize(lists, logits)
    return result


def summarize(lists, scores):
    result = {}
    for task in sorted({lst.task for lst in lists}):
        result[task] = auc_summary([list_auc(s, lst.labels) for s, lst in zip(scores, lists) if lst.task == task])
    result["all"] = auc_summary([list_auc(s, lst.labels) for s, lst in zip(scores, lists)])
    return result


# --------------------------------------------------------------------------- training
def train(model, tokenizer, groups, args, device, checkpoint_path):
    from tqdm import tqdm

    frozen = min(args.frozen_layers, model.config.num_hidden_layers)
    trainable = [p for n, p in model.named_parameters()
                 if not n.startswith("bert.embeddings.")
                 and not any(n.startswith(f"bert.encoder.layer.{i}.") for i in range(frozen))]
    for p in model.parameters():
        p.requires_grad_(False)
    for p in trainable:
        p.requires_grad_(True)
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    per_step = args.groups_per_step
    total = min(args.max_steps, math.ceil(len(groups) * args.epochs / per_step)) if groups else 0
    warmup = max(1, int(0.1 * total))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
    start = 0
    if os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=device, weights_only=False)
        if state.get("fingerprint") == args.fingerprint:
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            schedule.load_state_dict(state["schedule"])
            start = state["step"]
            log(f"resumed at step {start}/{total} from {checkpoint_path}")
        else:
            log(f"{checkpoint_path} is from another configuration: starting over")

    order = [groups[i % len(groups)] for i in range(total * per_step)] if groups else []
    model.train()
    losses, accuracy = [], []
    with tqdm(total=total, initial=start, desc="train", unit="step", file=sys.stderr) as bar:
        for step in range(start, total):
            batch = order[step * per_step:(step + 1) * per_step]
            sizes = [len(docs) for _, docs in batch]
            enc = tokenizer.encode([(q, d) for q, docs in batch for d in docs])
            logits = forward(model, *pad(enc, device), frozen)
            loss = 0
            offset = 0
            for size in sizes:
                group = logits[offset:offset + size]
                loss = loss - torch.log_softmax(group, 0)[0]
                accuracy.append(float((group[0] > group[1:]).float().mean()))
                offset += size
            loss = loss / len(sizes)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            losses.append(float(loss))
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-50:]):.3f}", pairwise_acc=f"{np.mean(accuracy[-200:]):.3f}")
            if (step + 1) % args.checkpoint_every == 0 or step + 1 == total:
                torch.save({"fingerprint": args.fingerprint, "model": model.state_dict(),
                            "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
                            "step": step + 1}, checkpoint_path + ".tmp")
                os.replace(checkpoint_path + ".tmp", checkpoint_path)
    model.eval()
    return {"steps": total, "groups_per_step": per_step, "frozen_layers": frozen,
            "final_loss": float(np.mean(losses[-50:])) if losses else None,
            "train_pairwise_accuracy_last": float(np.mean(accuracy[-200:])) if accuracy else None}


# --------------------------------------------------------------------------- export
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def reference_cases(model_dir, pairs, device="cpu"):
    """Fixture cases for `pairs` scored by the model in model_dir as the Swift encoder loads it
    (float16 weights upcast to float32; max length 128, the serving default)."""
    model, _ = bert.load(model_dir, device)
    model.eval()
    tok = PairTokenizer(f"{model_dir}/vocab.txt", max_length=128)
    enc = tok.encode(pairs)
    cases = []
    with torch.no_grad():
        for s in range(0, len(enc), 32):
            logits = model(*pad(enc[s:s + 32], device)).float().cpu().tolist()
            for (q, d), (ids, types), logit in zip(pairs[s:s + 32], enc[s:s + 32], logits):
                cases.append({"query": q, "document": d, "input_ids": ids, "token_type_ids": types,
                              "logit": float(f"{logit:.7g}")})
    return cases


def write_reference(model_dir, pairs, path, note):
    cases = reference_cases(model_dir, pairs)
    meta = {"model_sha256": sha256(f"{model_dir}/model.safetensors"), "note": note,
            "encoding": "[CLS] query [SEP] document [SEP]; token types 0 then 1; max_length 128; "
                        "truncation longest_first; logits fp32 from the float16 weights upcast to fp32",
            "n": len(cases)}
    with open(path, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=0)
        f.write("\n")
    return cases


def export(model, base_dir, out_dir, reference_pairs):
    from safetensors.torch import save_file

    os.makedirs(out_dir, exist_ok=True)
    save_file(model.export_tensors(torch.float16), f"{out_dir}/model.safetensors", metadata={"format": "pt"})
    config = dict(model.config.raw)
    config.update({"architectures": ["BertForSequenceClassification"], "num_labels": 1,
                   "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}})
    with open(f"{out_dir}/config.json", "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    for name in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        source = f"{base_dir}/{name}"
        if not os.path.exists(source):
            source = f"{REPO}/models/retail-reranker/{name}"
        shutil.copyfile(source, f"{out_dir}/{name}")
    write_reference(out_dir, reference_pairs, f"{out_dir}/reference_pairs.json",
                    "held-out candidate pairs scored by training/train.py export")
    return sha256(f"{out_dir}/model.safetensors")


# --------------------------------------------------------------------------- main
def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=f"{REPO}/training/.work", help="dumps, checkpoints, results (git-ignored)")
    ap.add_argument("--data", default=os.path.normpath(f"{REPO}/../shared/data/online-retail"))
    ap.add_argument("--eval-dir", default=os.path.normpath(f"{REPO}/../shared/eval"))
    ap.add_argument("--hybridrank", default=f"{REPO}/.build/release/hybridrank")
    ap.add_argument("--bi-encoder", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    ap.add_argument("--base", default=f"{REPO}/.models/all-MiniLM-L6-v2",
                    help="starting model: a BERT bi-encoder (a new classifier head) or a cross-encoder directory; "
                         "not the shipped v0, which saw purchases up to 2011-08 and so the held-out window")
    ap.add_argument("--compare", action="append", default=[],
                    help="another cross-encoder directory to score on the same held-out lists (repeatable)")
    ap.add_argument("--train-cut", default="2010-12-01", help="training lists see purchases before this")
    ap.add_argument("--train-end", default="2011-03-01", help="... and are labelled by purchases up to this")
    ap.add_argument("--heldout", default="val", help="evaluation window of ../shared/eval (after --train-end)")
    ap.add_argument("--heldout-cut", default="2011-06-01")
    ap.add_argument("--window", type=int, default=20, help="rerank window dumped (stage 3's default)")
    ap.add_argument("--group-size", type=int, default=8, help="1 bought product + this-1 negatives of its list")
    ap.add_argument("--max-positives-per-list", type=int, default=2)
    ap.add_argument("--groups-per-step", type=int, default=4)
    ap.add_argument("--max-groups", type=int, default=0, help="0 = all")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--max-steps", type=int, default=1_000_000)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--frozen-layers", type=int, default=2, help="bottom layers kept frozen (embeddings always)")
    ap.add_argument("--checkpoint-every", type=int, default=25)
    ap.add_argument("--eval-lists", type=int, default=150, help="held-out lists per task (sampled by --seed)")
    ap.add_argument("--eval-base", action="store_true", help="also score the starting model on the held-out lists")
    ap.add_argument("--reference-pairs", type=int, default=64)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = torch's default)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--export-dir", default=None, help="default: <work>/export/retail-reranker")
    args = ap.parse_args(argv)
    args.export_dir = args.export_dir or f"{args.work}/export/retail-reranker"
    keys = ("base", "train_cut", "train_end", "window", "group_size", "max_positives_per_list", "groups_per_step",
            "max_groups", "epochs", "max_steps", "lr", "frozen_layers", "seed")
    args.fingerprint = json.dumps({k: getattr(args, k) for k in keys}, sort_keys=True)
    return args


def run(args, train_lists=None, heldout_lists=None):
    """The whole recipe; train_lists/heldout_lists (CandidateList) skip stages 1-2 (tests)."""
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    os.makedirs(args.work, exist_ok=True)
    log(f"device {device}, {torch.get_num_threads()} CPU threads")

    if train_lists is None:
        train_window = f"{args.work}/window-{args.train_cut}"
        if not os.path.exists(f"{train_window}/truth_taskC.csv"):
            users, carts = data.write_window(data.read_interactions(f"{args.data}/interactions.csv.gz"),
                                             args.train_cut, args.train_end, train_window)
            log(f"window {args.train_cut}..{args.train_end}: {users} users, {carts} carts")
        heldout_window = f"{args.eval_dir}/{args.heldout}"
        if not os.path.exists(args.hybridrank):
            sys.exit(f"{args.hybridrank} not found: build it (swift build -c release --product hybridrank) "
                     "or pass --hybridrank")
        train_lists, heldout_lists = [], []
        for window_dir, cut, target in ((train_window, args.train_cut, train_lists),
                                        (heldout_window, args.heldout_cut, heldout_lists)):
            data.dump_candidates(args.hybridrank, args.data, window_dir, cut, f"{args.work}/candidates-{cut}",
                                 args.window, args.bi_encoder, log)
            target.extend(data.read_window_lists(f"{args.work}/candidates-{cut}", window_dir))

    for name, lists in (("train", train_lists), ("held-out", heldout_lists)):
        for task in sorted({lst.task for lst in lists}):
            part = [lst for lst in lists if lst.task == task]
            log(f"{name} {task}: {len(part)} lists, {sum(1 for l in part if l.positives)} with a bought product "
                f"in the window, {sum(len(l.positives) for l in part)} positives")

    groups = make_groups(train_lists, args.group_size, args.max_positives_per_list, args.seed)
    if args.max_groups:
        groups = groups[:args.max_groups]
    tokenizer = PairTokenizer(f"{args.base}/vocab.txt" if os.path.exists(f"{args.base}/vocab.txt")
                              else f"{REPO}/models/retail-reranker/vocab.txt")
    lengths = measure_lengths(tokenizer, groups)
    tokenizer.set_max_length(lengths["max_length"])
    log(f"{len(groups)} training groups; token lengths {lengths}")

    heldout = eval_sample(heldout_lists, args.eval_lists, args.seed)
    report = {"train_window": {"history_before": args.train_cut, "labels": [args.train_cut, args.train_end]},
              "heldout": {"window": args.heldout, "history_before": args.heldout_cut,
                          "lists_per_task": args.eval_lists, "seed": args.seed},
              "token_lengths": lengths, "groups": len(groups), "device": device}
    report["heldout_auc_blended_score"] = summarize(heldout, [lst.blended for lst in heldout])
    report["heldout_auc_blended_score_all_lists"] = summarize(
        [l for l in heldout_lists if l.positives and l.negatives],
        [l.blended for l in heldout_lists if l.positives and l.negatives])

    scores = {}
    for other in args.compare:
        compared, _ = bert.load(other, device)
        report.setdefault("heldout_auc_compared", {})[other] = evaluate(compared, tokenizer, heldout, device, other, scores)
        log(f"{other} held-out AUC {json.dumps(report['heldout_auc_compared'][other])}")
        del compared
    model, missing = bert.load(args.base, device)
    report["base"] = {"dir": args.base, "initialised": missing}
    if args.eval_base:
        report["heldout_auc_base"] = evaluate(model, tokenizer, heldout, device, "base")
        log(f"base model held-out AUC {json.dumps(report['heldout_auc_base'])}")
    t0 = time.time()
    report["training"] = train(model, tokenizer, groups, args, device, f"{args.work}/checkpoint.pt")
    report["training"]["seconds"] = round(time.time() - t0, 1)
    report["heldout_auc"] = evaluate(model, tokenizer, heldout, device, "trained", scores)
    log(f"trained model held-out AUC {json.dumps(report['heldout_auc'])}")
    report["heldout_combinations"] = {label: combinations(heldout, s) for label, s in scores.items()}
    with open(f"{args.work}/heldout_scores.json", "w") as f:
        json.dump({"lists": [{"task": l.task, "query_id": l.query_id, "products": l.products, "labels": l.labels,
                              "blended": l.blended} for l in heldout], "logits": scores}, f)

    reference = [(lst.query, d) for lst in heldout[:8] for d in lst.documents[: max(1, args.reference_pairs // 8)]]
    report["sha256"] = export(model, args.base, args.export_dir, reference[: args.reference_pairs])
    report["export_dir"] = args.export_dir
    with open(f"{args.work}/report.json", "w") as f:
        json.dump(report, f, indent=2)
    log(f"exported {args.export_dir} (sha256 {report['sha256']}); report {args.work}/report.json")
    return report


if __name__ == "__main__":
    run(parse())
