"""The cross-encoder's tokenizer: BERT WordPiece over the model's vocab.txt, as Sources/MiniLM's
WordPieceTokenizer does it (lowercase, accents stripped, [CLS] q [SEP] d [SEP], token types 0 then
1, truncation longest_first). `tests/test_tokenizer.py` checks it on the reference fixture ids."""
import numpy as np
from tokenizers import BertWordPieceTokenizer


class PairTokenizer:
    def __init__(self, vocab_path, max_length=128, lowercase=True):
        self.tok = BertWordPieceTokenizer(vocab_path, lowercase=lowercase)
        self.set_max_length(max_length)

    def set_max_length(self, max_length):
        self.max_length = max_length
        self.tok.enable_truncation(max_length=max_length, strategy="longest_first")
        self.tok.no_padding()

    def encode(self, pairs):
        """pairs: [(query, document)] -> list of (ids, types) int lists."""
        out = self.tok.encode_batch([(q, d) for q, d in pairs])
        return [(e.ids, e.type_ids) for e in out]

    def untruncated_lengths(self, pairs):
        """Token counts (specials included) of each pair without truncation."""
        self.tok.no_truncation()
        try:
            return np.array([len(e.ids) for e in self.tok.encode_batch([(q, d) for q, d in pairs])])
        finally:
            self.set_max_length(self.max_length)


def pad(encoded, device="cpu"):
    """[(ids, types)] -> ids, types, attention tensors [B, T] (right padding with 0)."""
    import torch

    t = max(len(ids) for ids, _ in encoded)
    ids = torch.zeros((len(encoded), t), dtype=torch.long)
    types = torch.zeros_like(ids)
    attention = torch.zeros_like(ids)
    for i, (a, b) in enumerate(encoded):
        ids[i, : len(a)] = torch.tensor(a)
        types[i, : len(b)] = torch.tensor(b)
        attention[i, : len(a)] = 1
    return ids.to(device), types.to(device), attention.to(device)
