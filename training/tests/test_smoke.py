"""Smoke run of the trainer on a tiny BERT and a few dozen synthetic pairs (seconds on a CPU):
python -m unittest discover -s training/tests -t .   (from the repository root)."""
import json
import os
import tempfile
import unittest

import torch
from safetensors.torch import load_file, save_file

from training import bert, data, train
from training.tokenize import PairTokenizer, pad

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VOCAB = f"{REPO}/models/retail-reranker/vocab.txt"
TINY = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64,
        "max_position_embeddings": 128, "type_vocab_size": 2, "vocab_size": 30522, "layer_norm_eps": 1e-12,
        "hidden_act": "gelu", "model_type": "bert"}


def tiny_model_dir(root):
    path = f"{root}/tiny"
    os.makedirs(path)
    torch.manual_seed(0)
    model = bert.CrossEncoder(bert.Config(TINY))
    save_file(model.export_tensors(torch.float32), f"{path}/model.safetensors")
    with open(f"{path}/config.json", "w") as f:
        json.dump(TINY, f)
    with open(VOCAB) as src, open(f"{path}/vocab.txt", "w") as dst:
        dst.write(src.read())
    return path


def synthetic_lists(n, seed):
    """Lists where the bought product shares a word with the query: learnable in a few steps."""
    import random

    rng = random.Random(seed)
    colours = ["red", "blue", "green", "pink", "white", "black"]
    things = ["bag", "mug", "lantern", "candle", "tin", "card", "cushion", "clock"]
    lists = []
    for i in range(n):
        colour = rng.choice(colours)
        lst = data.CandidateList("cart" if i % 2 else "homepage", f"q{i}", f"{colour} {rng.choice(things)} ; jumbo bag")
        for j in range(6):
            c = colour if j == 0 else rng.choice([x for x in colours if x != colour])
            lst.products.append(f"p{j}")
            lst.documents.append(f"{c} {rng.choice(things)}")
            lst.blended.append(1.0 - j * 0.1)
            lst.labels.append(1 if j == 0 else 0)
        lists.append(lst)
    return lists


class SmokeTest(unittest.TestCase):
    def test_trains_resumes_evaluates_and_exports_what_the_loader_reads(self):
        with tempfile.TemporaryDirectory() as root:
            base = tiny_model_dir(root)
            argv = ["--work", f"{root}/work", "--base", base, "--group-size", "4", "--groups-per-step", "4",
                    "--epochs", "3", "--lr", "1e-3", "--checkpoint-every", "5", "--eval-lists", "10",
                    "--reference-pairs", "8", "--threads", "1", "--compare", base]
            args = train.parse(argv + ["--max-steps", "10"])
            first = train.run(args, synthetic_lists(40, 1), synthetic_lists(20, 2))
            self.assertEqual(first["training"]["steps"], 10)
            self.assertGreater(first["token_lengths"]["pairs"], 100)
            self.assertLessEqual(first["token_lengths"]["max_length"], 128)
            # The same configuration again resumes from the last checkpoint: nothing left to train.
            again = train.run(train.parse(argv + ["--max-steps", "10"]), synthetic_lists(40, 1), synthetic_lists(20, 2))
            self.assertEqual(again["training"]["steps"], 10)
            self.assertIsNone(again["training"]["final_loss"])
            self.assertEqual(set(first["heldout_combinations"]), {"trained", base})
            self.assertIn("rrf k=60", first["heldout_combinations"]["trained"])
            self.assertEqual(first["heldout_combinations"]["trained"]["replace"], first["heldout_auc"])
            auc = first["heldout_auc"]["all"]
            self.assertEqual(auc["lists"], 20)
            self.assertTrue(0.0 <= auc["auc"] <= 1.0)

            out = first["export_dir"]
            tensors = load_file(f"{out}/model.safetensors")
            self.assertTrue(all(t.dtype == torch.float16 for t in tensors.values()))
            self.assertIn("bert.encoder.layer.1.attention.self.query.weight", tensors)
            self.assertEqual(tuple(tensors["classifier.weight"].shape), (1, 32))
            self.assertIn("bert.pooler.dense.weight", tensors)
            # The exported directory reloads and reproduces its own reference logits.
            with open(f"{out}/reference_pairs.json") as f:
                reference = json.load(f)
            self.assertEqual(reference["meta"]["model_sha256"], first["sha256"])
            model, missing = bert.load(out)
            self.assertEqual(missing, [])
            model.eval()
            tok = PairTokenizer(f"{out}/vocab.txt")
            cases = reference["cases"]
            with torch.no_grad():
                logits = model(*pad(tok.encode([(c["query"], c["document"]) for c in cases])))
            for case, logit in zip(cases, logits.tolist()):
                self.assertAlmostEqual(case["logit"], logit, delta=1e-4)

    def test_labels_come_from_the_truth_and_empty_queries_are_dropped(self):
        with tempfile.TemporaryDirectory() as root:
            with open(f"{root}/c.csv", "w") as f:
                f.write("task,query_id,user_id,query_source,query,position,product_id,document,blended,content,"
                        "co_purchase,similar_users,popularity\n"
                        "cart,b1,u1,purchases,\"JUMBO BAG, RED \"\"RETROSPOT\"\"\",1,A,item A,0.9,0,0,0,0\n"
                        "cart,b1,u1,purchases,\"JUMBO BAG, RED \"\"RETROSPOT\"\"\",2,B,item B,0.8,0,0,0,0\n"
                        "cart,b2,u2,none,,1,A,item A,0.9,0,0,0,0\n")
            with open(f"{root}/t.csv", "w") as f:
                f.write("basket_id,product_id\nb1,B\nb2,A\n")
            lists = data.read_lists(f"{root}/c.csv", f"{root}/t.csv")
            self.assertEqual(len(lists), 1)
            self.assertEqual(lists[0].query, 'JUMBO BAG, RED "RETROSPOT"')
            self.assertEqual(lists[0].labels, [0, 1])
            self.assertEqual(lists[0].positions, [1, 2])
            self.assertEqual(lists[0].signals, [[0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
            self.assertEqual(train.list_auc([0.2, 0.9], lists[0].labels), 1.0)
            self.assertEqual(train.list_auc([0.9, 0.2], lists[0].labels), 0.0)


if __name__ == "__main__":
    unittest.main()
