# SPDX-License-Identifier: Apache-2.0
"""Plain float64 numpy forward passes written from the Hugging Face model
definitions (not from the ONNX graphs), used to check that a generated graph
computes what the HF model computes.  Weights come by state_dict name from
GraphBuilder(keep_weights=True).weights."""

from __future__ import annotations

import math

import numpy as np
from math import erf

_erf = np.vectorize(erf)


def _ln(x, g, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * g + b


def _rms(x, g, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * g


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def _softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def _attend(q, k, v, keep):
    """q [B,A,S,D], k/v [B,A,T,D], keep broadcastable to [B,A,S,T] (bool)."""
    s = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])
    s = np.where(keep, s, -np.inf)
    return _softmax(s) @ v


def _heads(x, A):
    B, S, H = x.shape
    return x.reshape(B, S, A, H // A).transpose(0, 2, 1, 3)


def _merge(x):
    B, A, S, D = x.shape
    return x.transpose(0, 2, 1, 3).reshape(B, S, A * D)


class _W(dict):
    def __call__(self, name):
        return self[name].astype(np.float64)

    def lin(self, prefix, x, bias=True):
        y = x @ self(prefix + ".weight").T
        return y + self(prefix + ".bias") if bias else y


def bert(w, cfg, feeds):
    w = _W(w)
    ids, mask = feeds["input_ids"], feeds["attention_mask"]
    B, S = ids.shape
    tt = feeds.get("token_type_ids", np.zeros_like(ids))
    x = (w("embeddings.word_embeddings.weight")[ids]
         + w("embeddings.token_type_embeddings.weight")[tt]
         + w("embeddings.position_embeddings.weight")[np.arange(S)][None])
    x = _ln(x, w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"), cfg.eps)
    keep = (mask != 0)[:, None, None, :]
    for i in range(cfg.layers):
        p = f"encoder.layer.{i}."
        q, k, v = (_heads(w.lin(p + f"attention.self.{n}", x), cfg.heads)
                   for n in ("query", "key", "value"))
        a = w.lin(p + "attention.output.dense", _merge(_attend(q, k, v, keep)))
        x = _ln(a + x, w(p + "attention.output.LayerNorm.weight"),
                w(p + "attention.output.LayerNorm.bias"), cfg.eps)
        h = w.lin(p + "output.dense", _gelu(w.lin(p + "intermediate.dense", x)))
        x = _ln(h + x, w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"),
                cfg.eps)
    out = {"last_hidden_state": x}
    if cfg.pooler:
        out["pooler_output"] = np.tanh(w.lin("pooler.dense", x[:, 0]))
    return out


def gpt2(w, cfg, feeds):
    w = _W(w)
    ids = feeds["input_ids"]
    B, S = ids.shape
    mask = feeds.get("attention_mask", np.ones_like(ids))
    x = w("transformer.wte.weight")[ids] + w("transformer.wpe.weight")[np.arange(S)][None]
    keep = np.tril(np.ones((S, S), bool))[None, None] & (mask != 0)[:, None, None, :]

    def conv1d(prefix, x):  # weight [in, out]
        return x @ w(prefix + ".weight") + w(prefix + ".bias")

    for i in range(cfg.layers):
        p = f"transformer.h.{i}."
        h = _ln(x, w(p + "ln_1.weight"), w(p + "ln_1.bias"), cfg.eps)
        q, k, v = np.split(conv1d(p + "attn.c_attn", h), 3, axis=-1)
        a = _attend(_heads(q, cfg.heads), _heads(k, cfg.heads), _heads(v, cfg.heads), keep)
        x = x + conv1d(p + "attn.c_proj", _merge(a))
        h = _ln(x, w(p + "ln_2.weight"), w(p + "ln_2.bias"), cfg.eps)
        x = x + conv1d(p + "mlp.c_proj", _gelu_new(conv1d(p + "mlp.c_fc", h)))
    x = _ln(x, w("transformer.ln_f.weight"), w("transformer.ln_f.bias"), cfg.eps)
    return {"logits": x @ w("transformer.wte.weight").T}


def vit(w, cfg, feeds):
    w = _W(w)
    px = feeds["pixel_values"].astype(np.float64)
    B, C, I, _ = px.shape
    P, H, n = cfg.patch, cfg.hidden, cfg.image // cfg.patch
    pre = "vit.embeddings."
    patches = px.reshape(B, C, n, P, n, P).transpose(0, 2, 4, 1, 3, 5).reshape(B, n * n, -1)
    x = (patches @ w(pre + "patch_embeddings.projection.weight").reshape(H, -1).T
         + w(pre + "patch_embeddings.projection.bias"))
    cls = np.broadcast_to(w(pre + "cls_token"), (B, 1, H))
    x = np.concatenate([cls, x], 1) + w(pre + "position_embeddings")
    for i in range(cfg.layers):
        p = f"vit.encoder.layer.{i}."
        h = _ln(x, w(p + "layernorm_before.weight"), w(p + "layernorm_before.bias"), cfg.eps)
        q, k, v = (_heads(w.lin(p + f"attention.attention.{n_}", h), cfg.heads)
                   for n_ in ("query", "key", "value"))
        x = x + w.lin(p + "attention.output.dense", _merge(_attend(q, k, v, True)))
        h = _ln(x, w(p + "layernorm_after.weight"), w(p + "layernorm_after.bias"), cfg.eps)
        x = x + w.lin(p + "output.dense", _gelu(w.lin(p + "intermediate.dense", h)))
    x = _ln(x, w("vit.layernorm.weight"), w("vit.layernorm.bias"), cfg.eps)
    return {"logits": w.lin("classifier", x[:, 0])}


def llama(w, cfg, feeds):
    w = _W(w)
    ids = feeds["input_ids"]
    B, S = ids.shape
    A, KV, H = cfg.heads, cfg.kv_heads, cfg.hidden
    D = H // A
    mask = feeds.get("attention_mask", np.ones_like(ids))
    pos = feeds.get("position_ids", np.broadcast_to(np.arange(S), (B, S)))
    inv = 1.0 / (cfg.rope_theta ** (np.arange(0, D, 2) / D))
    ang = pos[..., None] * inv                               # [B,S,D/2]
    cos = np.cos(np.concatenate([ang, ang], -1))[:, None]    # [B,1,S,D]
    sin = np.sin(np.concatenate([ang, ang], -1))[:, None]

    def rope(t):
        rot = np.concatenate([-t[..., D // 2:], t[..., :D // 2]], -1)
        return t * cos + rot * sin

    keep = np.tril(np.ones((S, S), bool))[None, None] & (mask != 0)[:, None, None, :]
    x = w("model.embed_tokens.weight")[ids]
    for i in range(cfg.layers):
        p = f"model.layers.{i}."
        h = _rms(x, w(p + "input_layernorm.weight"), cfg.eps)
        q = rope(_heads(w.lin(p + "self_attn.q_proj", h, False), A))
        k = rope(_heads(w.lin(p + "self_attn.k_proj", h, False), KV))
        v = _heads(w.lin(p + "self_attn.v_proj", h, False), KV)
        k, v = np.repeat(k, A // KV, axis=1), np.repeat(v, A // KV, axis=1)
        x = x + w.lin(p + "self_attn.o_proj", _merge(_attend(q, k, v, keep)), False)
        h = _rms(x, w(p + "post_attention_layernorm.weight"), cfg.eps)
        g = w.lin(p + "mlp.gate_proj", h, False)
        u = w.lin(p + "mlp.up_proj", h, False)
        x = x + w.lin(p + "mlp.down_proj", g / (1.0 + np.exp(-g)) * u, False)
    x = _rms(x, w("model.norm.weight"), cfg.eps)
    return {"logits": x @ w("lm_head.weight").T}


FORWARD = {"bert": bert, "gpt2": gpt2, "vit": vit, "llama": llama}
