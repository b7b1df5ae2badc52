"""A BERT cross-encoder in plain PyTorch, in the tensor layout `Sources/MiniLM` loads.

State-dict names are those of transformers' BertForSequenceClassification (`bert.embeddings.*`,
`bert.encoder.layer.N.*`, `bert.pooler.dense.*`, `classifier.*`), so a checkpoint of either kind
(the shipped cross-encoder, or all-MiniLM-L6-v2 without the `bert.` prefix and classifier) loads,
and what `export.py` writes is exactly what the Swift encoder reads. No transformers dependency:
the forward pass is the same as the Swift one (exact erf GELU, post-norm, [CLS] -> pooler tanh ->
one logit).
"""
import json
import math

import torch
from torch import nn


class Config:
    def __init__(self, d):
        self.hidden_size = d["hidden_size"]
        self.num_hidden_layers = d["num_hidden_layers"]
        self.num_attention_heads = d["num_attention_heads"]
        self.intermediate_size = d["intermediate_size"]
        self.max_position_embeddings = d.get("max_position_embeddings", 512)
        self.type_vocab_size = d.get("type_vocab_size", 2)
        self.vocab_size = d["vocab_size"]
        self.layer_norm_eps = d.get("layer_norm_eps", 1e-12)
        self.hidden_dropout_prob = d.get("hidden_dropout_prob", 0.1)
        self.attention_probs_dropout_prob = d.get("attention_probs_dropout_prob", 0.1)
        self.raw = dict(d)

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls(json.load(f))


class _Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, ids, types):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(x))


class _SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c.hidden_size
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.heads = c.num_attention_heads
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def forward(self, x, mask):
        b, t, h = x.shape
        d = h // self.heads

        def split(y):
            return y.view(b, t, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + mask
        probs = self.dropout(scores.softmax(-1))
        return (probs @ v).transpose(1, 2).reshape(b, t, h)


class _DenseNorm(nn.Module):
    """`dense` + dropout + residual + LayerNorm (BertSelfOutput / BertOutput)."""

    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class _Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        setattr(self, "self", _SelfAttention(c))
        self.output = _DenseNorm(c, c.hidden_size)

    def forward(self, x, mask):
        return self.output(getattr(self, "self")(x, mask), x)


class _Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))  # exact (erf) GELU, as hidden_act "gelu"


class _Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = _Attention(c)
        self.intermediate = _Intermediate(c)
        self.output = _DenseNorm(c, c.intermediate_size)

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class _Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([_Layer(c) for _ in range(c.num_hidden_layers)])


class _Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)


class _Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = _Embeddings(c)
        self.encoder = _Encoder(c)
        self.pooler = _Pooler(c)


class CrossEncoder(nn.Module):
    """[CLS] query [SEP] document [SEP] -> one raw logit."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.bert = _Bert(config)
        self.classifier = nn.Linear(config.hidden_size, 1)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, ids, types, attention):
        """ids, types, attention: [B, T] (attention 1 for real tokens, 0 for padding) -> [B] logits."""
        pooled = torch.tanh(self.bert.pooler.dense(self.cls_vectors(ids, types, attention)))
        return self.classifier(self.dropout(pooled)).squeeze(-1)

    def cls_vectors(self, ids, types, attention):
        """The last layer's [CLS] vectors [B, hidden]: what the pooler reads."""
        mask = (1.0 - attention[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        x = self.bert.embeddings(ids, types)
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        return x[:, 0]

    # ------------------------------------------------------------------ weights
    def load_tensors(self, tensors):
        """Loads a BertForSequenceClassification or BertModel tensor dict (with or without `bert.`).

        Returns the names this model has that the file lacked (e.g. the classifier of a bi-encoder)."""
        own = self.state_dict()
        wanted = {}
        for name, value in tensors.items():
            key = name if name.startswith(("bert.", "classifier.")) else "bert." + name
            if key in own:
                if tuple(own[key].shape) != tuple(value.shape):
                    raise ValueError(f"{name}: shape {tuple(value.shape)}, model wants {tuple(own[key].shape)}")
                wanted[key] = value.to(torch.float32)
        missing = sorted(set(own) - set(wanted))
        self.load_state_dict(wanted, strict=False)
        return missing

    def export_tensors(self, dtype=torch.float16):
        """The tensors `Sources/MiniLM` loads, contiguous, in `dtype`."""
        return {k: v.detach().to("cpu", dtype).contiguous() for k, v in self.state_dict().items()}


def load(model_dir, device="cpu"):
    """A CrossEncoder from a directory with config.json and model.safetensors."""
    from safetensors.torch import load_file

    config = Config.load(f"{model_dir}/config.json")
    model = CrossEncoder(config)
    missing = model.load_tensors(load_file(f"{model_dir}/model.safetensors"))
    if any(not k.startswith("classifier.") for k in missing):
        raise ValueError(f"{model_dir}: missing tensors {missing}")
    if missing:  # a bi-encoder: start the head small so the first logits are near 0
        nn.init.normal_(model.classifier.weight, std=0.02)
        nn.init.zeros_(model.classifier.bias)
    return model.to(device), missing
