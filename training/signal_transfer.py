"""Does a combination of the stage-2 signals learned on one season carry over to a later one?

    .venv-training/bin/python -m training.signal_transfer [--train-cut 2010-06-01]

Dumps (or reuses, from --work) the rerank windows as train.py's stages 1-2 do (`recommend-batch
--write-candidates`, the release hybridrank) for a training window — history before --train-cut,
labelled by the three months after it — and for the held-out window, and reports on each, per task:
  * the per-list AUC of every signal alone (blended, content, co-purchase, similar users,
    popularity, blended position): the bought product against the other candidates of its list;
  * a pairwise logistic regression over the signals, their squares and products, fitted on the
    training window's lists and scored on the held-out window's — the "learned linear blend" of
    issue #20 item 4 without the cross-encoder's logit.
The question it answers: whether stage 3 (or a learned combination) can be fitted on one window's
lists and trusted on the next. docs/QUALITY.md quotes its output.
"""
import argparse
import os

import numpy as np

from . import data

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(candidates_dir, truth_dir):
    """[(task, X, y)] for the lists with a bought and another candidate: per item the blended score,
    the other signals and the position (columns), and the labels."""
    out = []
    for lst in data.read_window_lists(candidates_dir, truth_dir):
        if 0 < sum(lst.labels) < len(lst.labels):
            x = np.array([[b, *s, p] for b, s, p in zip(lst.blended, lst.signals, lst.positions)], dtype=float)
            out.append((lst.task, x, np.array(lst.labels, dtype=bool)))
    return out


def features(x):
    b, c, cp, su, p, pos = x.T
    return np.stack([b, c, cp, su, p, np.log(pos), c * cp, c * p, cp * p, su * p, c ** 2, cp ** 2, p ** 2,
                     (cp > 0) * 1.0, (su > 0) * 1.0], 1)


def auc(scores, labels):
    pos, neg = scores[labels], scores[~labels]
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def fit_pairwise(lists, steps=3000, lr=0.5, l2=1e-3):
    """Logistic regression on (bought − other) feature differences of the same list."""
    diffs = []
    for _, x, y in lists:
        f = features(x)
        for i in np.where(y)[0]:
            diffs.extend(f[i] - f[j] for j in np.where(~y)[0])
    d = np.array(diffs)
    scale = d.std(0) + 1e-9
    d = d / scale
    w = np.zeros(d.shape[1])
    for _ in range(steps):
        g = -((1 / (1 + np.exp(d @ w)))[:, None] * d).mean(0) + l2 * w
        w -= lr * g
    return w / scale, len(d)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", default=f"{REPO}/training/.work")
    ap.add_argument("--train-cut", default="2010-12-01")
    ap.add_argument("--heldout", default="val")
    ap.add_argument("--heldout-cut", default="2011-06-01")
    ap.add_argument("--eval-dir", default=os.path.normpath(f"{REPO}/../shared/eval"))
    ap.add_argument("--data", default=os.path.normpath(f"{REPO}/../shared/data/online-retail"))
    ap.add_argument("--hybridrank", default=f"{REPO}/.build/release/hybridrank")
    ap.add_argument("--bi-encoder", default=f"{REPO}/.models/all-MiniLM-L6-v2")
    args = ap.parse_args()
    train_window = f"{args.work}/window-{args.train_cut}"
    if not os.path.exists(f"{train_window}/truth_taskC.csv"):
        year, month = int(args.train_cut[:4]), int(args.train_cut[5:7]) + 3
        end = f"{year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}{args.train_cut[7:]}"
        data.write_window(data.read_interactions(f"{args.data}/interactions.csv.gz"), args.train_cut, end, train_window)
    for window_dir, cut in ((train_window, args.train_cut), (f"{args.eval_dir}/{args.heldout}", args.heldout_cut)):
        data.dump_candidates(args.hybridrank, args.data, window_dir, cut, f"{args.work}/candidates-{cut}",
                             bi_encoder=args.bi_encoder)
    train = load(f"{args.work}/candidates-{args.train_cut}", f"{args.work}/window-{args.train_cut}")
    heldout = load(f"{args.work}/candidates-{args.heldout_cut}", f"{args.eval_dir}/{args.heldout}")
    names = ["blended", *data.SIGNALS, "position (lower first)"]
    for label, lists in ((f"training window (history before {args.train_cut})", train),
                         (f"held-out {args.heldout} (history before {args.heldout_cut})", heldout)):
        for task in ("homepage", "cart"):
            part = [(x, y) for t, x, y in lists if t == task]
            row = [np.mean([auc(x[:, k] if k < 5 else -x[:, 5], y) for x, y in part]) for k in range(6)]
            print(f"{label}, {task} ({len(part)} lists): " + ", ".join(f"{n} {v:.3f}" for n, v in zip(names, row)))
    for task in ("homepage", "cart"):
        w, pairs = fit_pairwise([item for item in train if item[0] == task])
        part = [(x, y) for t, x, y in heldout if t == task]
        learned = np.mean([auc(features(x) @ w, y) for x, y in part])
        blended = np.mean([auc(x[:, 0], y) for x, y in part])
        print(f"{task}: fitted on {pairs} training pairs; held-out AUC learned {learned:.3f}, blended {blended:.3f}")


if __name__ == "__main__":
    main()
