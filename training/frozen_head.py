"""What the encoder's pair representation knows, with only the head trained to convergence.

    .venv-training/bin/python -m training.frozen_head [--threads 2] [--out DIR]

Every CPU run of the recipe (docs/QUALITY.md) fine-tuned the encoder for one epoch and ended with a
training loss close to chance, so it never said whether the texts carry the evidence and one epoch
could not find it, or whether they do not carry it. This run asks the second question cheaply: the
encoder (all-MiniLM-L6-v2) is run once, forward only, over every candidate of every list of the two
training windows before `val` and of `val`, keeping the last layer's `[CLS]` vector — what the
served cross-encoder's pooler reads. Then only the pooler (dense + tanh) and the classifier are
trained, with the recipe's listwise loss over whole lists, Adam and early stopping on a tenth of
the training lists, for as many epochs as that takes (seconds each). The result is exportable as
it stands (the encoder's tensors unchanged, the new pooler and classifier), so `--out` writes the
model directory `Sources/MiniLM` loads.

Reports the held-out `val` per-list AUC of the logit alone and its combinations with the blended
score (train.combinations), as the other experiments do.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from . import bert, data, train
from .tokenize import PairTokenizer, pad

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = f"{REPO}/training/.work"
SHARED = os.path.normpath(f"{REPO}/../shared")
TRAINING_CUTS = ("2010-06-01", "2010-12-01")


def read_all(candidates_dir, truth_dir):
    """Both tasks' lists with a bought product and another candidate."""
    return [lst for lst in data.read_window_lists(candidates_dir, truth_dir) if lst.positives and lst.negatives]


def cls_features(model, tokenizer, lists, label):
    """[list] → float32 [candidates, hidden]: the last layer's [CLS] vector of each (query, document)."""
    from tqdm import tqdm

    model.eval()
    out = []
    with torch.no_grad(), tqdm(total=len(lists), desc=f"encode {label}", unit="list", file=sys.stderr) as bar:
        for lst in lists:
            encoded = pad(tokenizer.encode([(lst.query, d) for d in lst.documents]))
            out.append(model.cls_vectors(*encoded).numpy().astype(np.float32))
            bar.update(1)
    return out


class Head(torch.nn.Module):
    """The served cross-encoder's head: pooler (dense + tanh), dropout, classifier."""

    def __init__(self, model, dropout):
        super().__init__()
        self.pooler = torch.nn.Linear(model.config.hidden_size, model.config.hidden_size)
        self.pooler.load_state_dict(model.bert.pooler.dense.state_dict())
        self.classifier = torch.nn.Linear(model.config.hidden_size, 1)
        torch.nn.init.normal_(self.classifier.weight, std=0.02)
        torch.nn.init.zeros_(self.classifier.bias)
        self.dropout = torch.nn.Dropout(dropout)

    def forward(self, x):
        return self.classifier(self.dropout(torch.tanh(self.pooler(x)))).squeeze(-1)


def listwise_loss(head, features, lists):
    """Mean over lists of −log softmax mass on the bought candidates (the recipe's listwise loss)."""
    losses = []
    for x, lst in zip(features, lists):
        logits = head(torch.from_numpy(x))
        labels = torch.tensor(lst.labels, dtype=torch.bool)
        losses.append(torch.logsumexp(logits, 0) - torch.logsumexp(logits[labels], 0))
    return torch.stack(losses).mean()


def fit(head, features, lists, args):
    """Adam over shuffled batches of lists; keeps the head of the epoch with the best AUC on the
    last tenth of the training lists (by a fixed shuffle), stops after `patience` epochs without."""
    rng = np.random.default_rng(args.seed)
    order = rng.permutation(len(lists))
    cut = len(order) // 10
    early, fitting = order[:cut], order[cut:]
    optimizer = torch.optim.Adam(head.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    best, best_state, stale, history = -1.0, None, 0, []
    for epoch in range(1, args.max_epochs + 1):
        head.train()
        rng.shuffle(fitting)
        for s in range(0, len(fitting), args.lists_per_step):
            batch = fitting[s:s + args.lists_per_step]
            loss = listwise_loss(head, [features[i] for i in batch], [lists[i] for i in batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        head.eval()
        with torch.no_grad():
            fit_loss = float(listwise_loss(head, [features[i] for i in fitting], [lists[i] for i in fitting]))
            scores = [head(torch.from_numpy(features[i])).tolist() for i in early]
        auc = train.summarize([lists[i] for i in early], scores)["all"]["auc"]
        history.append({"epoch": epoch, "fit_loss": fit_loss, "early_stop_auc": auc})
        print(f"epoch {epoch}: loss {fit_loss:.4f} on the fitting lists, AUC {auc:.4f} on the early-stopping lists", file=sys.stderr)
        if auc > best:
            best, best_state, stale = auc, {k: v.clone() for k, v in head.state_dict().items()}, 0
        else:
            stale += 1
            if stale >= args.patience:
                break
    head.load_state_dict(best_state)
    return history


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    ap.add_argument("--max-length", type=int, default=56, help="the recipe's sequence length (p99 of the pairs)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--lists-per-step", type=int, default=32)
    ap.add_argument("--max-epochs", type=int, default=200)
    ap.add_argument("--patience", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--features", default=f"{WORK}/frozen-features.npz", help="cache of the encoder's vectors")
    ap.add_argument("--out", help="also write the model directory here")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()
    training = []
    for cut in TRAINING_CUTS:
        training += read_all(f"{WORK}/candidates-{cut}", f"{WORK}/window-{cut}")
    heldout = read_all(f"{WORK}/candidates-2011-06-01", f"{SHARED}/eval/val")
    model, _ = bert.load(args.base)
    tokenizer = PairTokenizer(f"{args.base}/vocab.txt", max_length=args.max_length)
    train_sizes, heldout_sizes = [len(l.labels) for l in training], [len(l.labels) for l in heldout]
    cached = np.load(args.features) if os.path.exists(args.features) else None
    if cached is not None and list(cached["train_sizes"]) == train_sizes and list(cached["heldout_sizes"]) == heldout_sizes:
        train_x = np.split(cached["train"], np.cumsum(train_sizes)[:-1])
        heldout_x = np.split(cached["heldout"], np.cumsum(heldout_sizes)[:-1])
    else:  # no cache, or one written from other dumps
        train_x = cls_features(model, tokenizer, training, "training lists")
        heldout_x = cls_features(model, tokenizer, heldout, "val lists")
        np.savez(args.features, train=np.concatenate(train_x), heldout=np.concatenate(heldout_x),
                 train_sizes=np.array(train_sizes), heldout_sizes=np.array(heldout_sizes))
    encoded = time.time()
    head = Head(model, args.dropout)
    history = fit(head, train_x, training, args)
    head.eval()
    with torch.no_grad():
        logits = [head(torch.from_numpy(x)).tolist() for x in heldout_x]
    report = {
        "base": os.path.basename(args.base), "training_lists": len(training), "heldout_lists": len(heldout),
        "training_windows": [f"history before {c}, bought in the three months after" for c in TRAINING_CUTS],
        "encode_seconds": round(encoded - started), "fit_seconds": round(time.time() - encoded),
        "epochs": history, "heldout_val": {"blended": train.summarize(heldout, [l.blended for l in heldout]),
                                            **train.combinations(heldout, logits)},
    }
    print(json.dumps(report["heldout_val"], indent=1))
    if args.out:
        model.bert.pooler.dense.load_state_dict(head.pooler.state_dict())
        model.classifier.load_state_dict(head.classifier.state_dict())
        pairs = [(lst.query, d) for lst in heldout[:4] for d in lst.documents[:4]]
        report["sha256"] = train.export(model, args.base, args.out, pairs)
        with open(f"{args.out}/report.json", "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
