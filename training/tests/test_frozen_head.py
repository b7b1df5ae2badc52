"""The frozen-encoder experiment (training/frozen_head.py): on [CLS] vectors whose bought candidate
is told apart by one direction, the head learns it; and the head it keeps is the one of its best
early-stopping epoch, in the layout the served cross-encoder reads."""
import argparse
import unittest

import numpy as np
import torch

from training import bert, data, frozen_head, train
from training.tests.test_smoke import TINY


def vector_lists(n, hidden, seed):
    """Lists of 8 candidates; the bought one's vector leans along the first axis."""
    rng = np.random.default_rng(seed)
    lists, features = [], []
    for i in range(n):
        lst = data.CandidateList("cart", f"q{i}", "query")
        lst.labels = [1] + [0] * 7
        lst.blended = [0.0] * 8
        x = rng.normal(size=(8, hidden)).astype(np.float32)
        x[0, 0] += 2.0
        lists.append(lst)
        features.append(x)
    return lists, features


class FrozenHeadTests(unittest.TestCase):
    def test_head_learns_the_direction_and_keeps_its_best_epoch(self):
        torch.manual_seed(0)
        model = bert.CrossEncoder(bert.Config(TINY))
        hidden = model.config.hidden_size
        lists, features = vector_lists(200, hidden, seed=1)
        head = frozen_head.Head(model, dropout=0.0)
        args = argparse.Namespace(seed=0, lr=1e-2, weight_decay=0.0, lists_per_step=16, max_epochs=30, patience=5)
        history = frozen_head.fit(head, features, lists, args)
        best = max(h["early_stop_auc"] for h in history)
        self.assertGreater(best, 0.9)
        self.assertLess(history[-1]["fit_loss"], history[0]["fit_loss"])
        # The head kept is the best epoch's: it scores the early-stopping tenth (the same fixed
        # shuffle as fit's) at the best AUC of the history, not at the last epoch's.
        early = np.random.default_rng(0).permutation(len(lists))[: len(lists) // 10]
        with torch.no_grad():
            kept = [head(torch.from_numpy(features[i])).tolist() for i in early]
        self.assertAlmostEqual(train.summarize([lists[i] for i in early], kept)["all"]["auc"], best)
        held_lists, held_features = vector_lists(50, hidden, seed=2)
        with torch.no_grad():
            scores = [head(torch.from_numpy(x)).tolist() for x in held_features]
        self.assertGreater(train.summarize(held_lists, scores)["all"]["auc"], 0.8)
        # The head is the served model's pooler and classifier, same shapes.
        self.assertEqual(tuple(head.pooler.weight.shape), tuple(model.bert.pooler.dense.weight.shape))
        self.assertEqual(tuple(head.classifier.weight.shape), tuple(model.classifier.weight.shape))


if __name__ == "__main__":
    unittest.main()
