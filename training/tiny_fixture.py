"""Writes training/fixtures/tiny_cross_encoder.json for Tests/MiniLMTests/ExportRoundTripTests:
a tiny random BERT cross-encoder exported by `train.export`'s tensor writer (float16 safetensors, base64), its config and vocabulary, and
PyTorch's token ids and fp32 logits for a few pairs. The Swift test writes the model directory from
it and must reproduce the logits: the exporter -> loader round trip, without a 45 MB model.

    .venv-training/bin/python -m training.tiny_fixture
"""
import base64
import json
import os
import tempfile

import torch
from safetensors.torch import save_file

from . import bert
from .tokenize import PairTokenizer, pad

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ";", "|", ",", "-", "3", "red", "blue", "bag", "jumbo",
         "heart", "light", "holder", "set", "of", "cake", "tin", "##s", "hanging", "white", "retro", "##spot",
         "lunch", "christmas", "card", "candle", "home", "garden", "paper", "chain", "kit"]
CONFIG = {"architectures": ["BertForSequenceClassification"], "hidden_size": 16, "num_hidden_layers": 2,
          "num_attention_heads": 4, "intermediate_size": 32, "max_position_embeddings": 64, "type_vocab_size": 2,
          "vocab_size": len(VOCAB), "layer_norm_eps": 1e-12, "hidden_act": "gelu", "model_type": "bert",
          "num_labels": 1}
PAIRS = [
    ("WHITE HANGING HEART T-LIGHT HOLDER ; JUMBO BAG RED RETROSPOT", "LUNCH BAG RED RETROSPOT"),
    ("JUMBO BAG RED RETROSPOT", "SET OF 3 CAKE TINS"),
    ("Christmas paper chain kit", "HOME | garden"),
    ("red ; blue ; tin", "unknown words, sadly"),
    ("candle", "Candle holder | Home"),
    ("heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart ; heart",
     "hanging heart light holder white blue red tins cakes cards candles bags lunch set of 3 kit chain paper"),
]


def main(path=f"{REPO}/training/fixtures/tiny_cross_encoder.json"):
    torch.manual_seed(7)
    model = bert.CrossEncoder(bert.Config(CONFIG))
    with torch.no_grad():  # larger than BERT's init so the logits differ visibly between pairs
        for p in model.parameters():
            p.normal_(0, 0.5)
    with tempfile.TemporaryDirectory() as root:
        save_file(model.export_tensors(torch.float16), f"{root}/model.safetensors")
        with open(f"{root}/config.json", "w") as f:
            json.dump(CONFIG, f)
        with open(f"{root}/vocab.txt", "w") as f:
            f.write("\n".join(VOCAB) + "\n")
        exported, missing = bert.load(root)  # the float16 file, upcast: what Swift computes on
        assert not missing
        exported.eval()
        tok = PairTokenizer(f"{root}/vocab.txt", max_length=32)
        enc = tok.encode(PAIRS)
        with torch.no_grad():
            logits = exported(*pad(enc)).tolist()
        with open(f"{root}/model.safetensors", "rb") as f:
            blob = base64.b64encode(f.read()).decode()
    cases = [{"query": q, "document": d, "input_ids": ids, "token_type_ids": types, "logit": float(f"{l:.7g}")}
             for (q, d), (ids, types), l in zip(PAIRS, enc, logits)]
    with open(path, "w") as f:
        json.dump({"meta": {"about": __doc__.strip().splitlines()[0], "max_length": 32}, "config": CONFIG,
                   "vocab": VOCAB, "model_safetensors_base64": blob, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"{path}: {len(cases)} cases, logits {[c['logit'] for c in cases]}")


if __name__ == "__main__":
    main()
