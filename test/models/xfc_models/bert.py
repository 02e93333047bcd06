# SPDX-License-Identifier: Apache-2.0
"""BertModel (transformers 4.2x-4.4x) as torch.onnx.export (TorchScript,
torch 2.x) emits it for inputs (input_ids, attention_mask[, token_type_ids])."""

from __future__ import annotations

import numpy as np

from . import layers as L
from .builder import GraphBuilder
from .layers import FLOAT, INT64, BOOL

DEFAULT_VARIANT = "decomposed"
VARIANTS = {
    "decomposed": dict(
        doc="opset 14, eager BertSelfAttention: LayerNorm and GELU decomposed, "
            "additive extended mask (1-m)*finfo.min",
        options=dict(opset=14, attn="eager", mask="additive")),
    "fused-ln": dict(
        doc="opset 17: same graph with LayerNormalization ops",
        options=dict(opset=17, attn="eager", mask="additive")),
    "where-mask": dict(
        doc="opset 14, bool mask applied as scores.masked_fill(mask == 0, "
            "finfo.min): Equal/Reshape/Expand/Where (DistilBERT-style)",
        options=dict(opset=14, attn="eager", mask="where")),
    "sdpa": dict(
        doc="opset 14, BertSdpaSelfAttention (transformers 4.41+): "
            "_prepare_4d_attention_mask_for_sdpa + torch's SDPA decomposition "
            "(q and k^T each scaled by Sqrt(1/sqrt(d)))",
        options=dict(opset=14, attn="sdpa", mask="sdpa")),
}
DEFAULTS = dict(eps=1e-12, type_vocab=2, pooler=True, token_type_ids="buffer",
                position_ids="slice", weights=None)

# options that do not apply to this family (rejected as overrides)
UNUSED = ("image", "patch", "channels", "num_labels", "kv_heads", "attention_mask")


def finalize(cfg) -> None:
    cfg.seq_len = cfg.seq
    if cfg.seq > cfg.max_pos:
        raise ValueError(f"seq {cfg.seq} > max_pos {cfg.max_pos}")
    ln_op = cfg.opset >= 17
    if cfg.variant == "decomposed" and ln_op:
        raise ValueError("variant 'decomposed' needs opset < 17 (the exporter "
                         "emits LayerNormalization from 17 on); use 'fused-ln'")
    if cfg.variant == "fused-ln" and not ln_op:
        raise ValueError("variant 'fused-ln' needs opset >= 17")
    cfg.mask_fill = mask_fill(cfg.mask_value)
    if cfg.mask == "additive" and cfg.mask_value == "-inf":
        raise ValueError("-inf with the additive mask gives (1-1)*-inf = NaN")
    if cfg.weights:  # trained weights: resolve the checkpoint, check its config
        from . import pretrained
        pretrained.attach(cfg)


def mask_fill(name: str) -> float:
    return {"finfo": L.FINFO_MIN, "-10000": -10000.0, "-inf": float("-inf")}[name]


def build(b: GraphBuilder, w: L.Weights, cfg) -> None:
    B, S, H = cfg.batch, cfg.seq, cfg.hidden
    dims = ["batch", "sequence"] if cfg.symbolic else [B, S]
    input_ids = b.input("input_ids", INT64, dims)
    attn_mask = b.input("attention_mask", INT64, dims)
    token_type = (b.input("token_type_ids", INT64, dims)
                  if cfg.token_type_ids == "input" else None)

    # BertModel.forward: input_shape = input_ids.size()
    bsz, seq = b.size(input_ids, 0, B), b.size(input_ids, 1, S)
    if token_type is None and b.fold_shapes:  # slice + expand of a buffer: folded
        token_type = b.folded("Gather", np.zeros((B, S), np.int64))
    elif token_type is None:
        buf = b.param("embeddings.token_type_ids", np.zeros((1, cfg.max_pos), np.int64))
        token_type = b.slice(buf, [0], [seq], [1], [1])
        token_type = b.expand(token_type, [bsz, seq])

    ext = None
    if cfg.mask == "additive":  # get_extended_attention_mask
        ext = b.unsqueeze(b.unsqueeze(attn_mask, 1), 2)
        ext = b.cast(ext, FLOAT)
        ext = b.op("Sub", [b.f32(1.0), ext])
        ext = b.op("Mul", [ext, b.f32(cfg.mask_fill)])

    x = embeddings(b, w, cfg, input_ids, token_type)

    if cfg.mask == "sdpa":  # _prepare_4d_attention_mask_for_sdpa -> _expand_mask
        m0, m1 = b.size(attn_mask, 0, B), b.size(attn_mask, 1, S)
        ext = b.unsqueeze(b.unsqueeze(attn_mask, 1), 2)
        ext = b.expand(ext, [m0, 1, seq, m1])
        ext = b.cast(ext, FLOAT)
        inv = b.op("Sub", [b.f32(1.0), ext])
        ext = b.op("Where", [b.cast(inv, BOOL), b.f32(L.FINFO_MIN), inv])

    for i in range(cfg.layers):
        with b.module("encoder", f"layer.{i}"):
            x = encoder_layer(b, w, cfg, x, ext, attn_mask)

    b.output(x, "last_hidden_state", FLOAT, dims + [H])
    if cfg.pooler:
        with b.module("pooler"):
            first = b.op("Gather", [x, b.i64(0)], axis=1)  # hidden_states[:, 0]
            p = L.linear_2d(b, w, "dense", first, H, H)
            with b.module("activation"):
                p = b.op("Tanh", [p])
        b.output(p, "pooler_output", FLOAT, dims[:1] + [H])


def embeddings(b, w, cfg, input_ids, token_type) -> str:
    S, H = cfg.seq, cfg.hidden
    with b.module("embeddings"):
        seq = b.size(input_ids, 1, S)
        if cfg.position_ids == "slice" and not b.fold_shapes:
            # self.position_ids[:, past_kv_len : seq_length + past_kv_len]
            buf = b.param("embeddings.position_ids",
                          np.arange(cfg.max_pos, dtype=np.int64)[None])
            pos = b.slice(buf, [0], [b.dim_binary("Add", seq, 0)], [1], [1])
        else:  # the slice, constant-folded by the exporter
            pos = b.folded("Gather", np.arange(S, dtype=np.int64)[None])
        with b.module("word_embeddings"):
            we = b.op("Gather", [b.param(b.pname("weight"),
                                         w.normal((cfg.vocab, H), 0.02)), input_ids])
        with b.module("token_type_embeddings"):
            te = b.op("Gather", [b.param(b.pname("weight"),
                                         w.normal((cfg.type_vocab, H), 0.02)), token_type])
        x = b.op("Add", [we, te])
        with b.module("position_embeddings"):
            pe = b.op("Gather", [b.param(b.pname("weight"),
                                         w.normal((cfg.max_pos, H), 0.02)), pos])
        x = b.op("Add", [x, pe])
        return L.layer_norm(b, w, "LayerNorm", x, H, cfg.eps)


def encoder_layer(b, w, cfg, x, ext, raw_mask) -> str:
    H, F = cfg.hidden, cfg.ffn
    with b.module("attention"):
        with b.module("self"):
            kind = {"additive": "additive", "where": "where", "sdpa": "sdpa"}[cfg.mask]
            a = L.bert_self_attention(b, w, x, cfg, mask=ext, mask_kind=kind,
                                      raw_mask=raw_mask)
        with b.module("output"):
            a = L.linear(b, w, "dense", a, H, H)
            a = L.layer_norm(b, w, "LayerNorm", b.op("Add", [a, x]), H, cfg.eps)
    with b.module("intermediate"):
        h = L.linear(b, w, "dense", a, H, F)
        with b.module("intermediate_act_fn"):
            h = L.gelu_erf(b, h)
    with b.module("output"):
        h = L.linear(b, w, "dense", h, F, H)
        return L.layer_norm(b, w, "LayerNorm", b.op("Add", [h, a]), H, cfg.eps)


def make_inputs(cfg, rng: np.random.Generator) -> dict:
    B, S = cfg.batch, cfg.seq
    feeds = {"input_ids": rng.integers(0, cfg.vocab, (B, S), dtype=np.int64),
             "attention_mask": padding_mask(B, S)}
    if cfg.token_type_ids == "input":
        tt = np.zeros((B, S), np.int64)
        tt[:, S // 2:] = 1  # two segments
        feeds["token_type_ids"] = tt
    return feeds


def padding_mask(B: int, S: int) -> np.ndarray:
    """1 = token, 0 = padding at the end: row b>0 loses b*S/(2B) positions;
    a single row loses its last S/8 positions (at least one)."""
    m = np.ones((B, S), np.int64)
    if B == 1:
        m[0, S - max(1, S // 8):] = 0 if S > 1 else 1
    for r in range(1, B):
        n = min(S - 1, max(1, r * S // (2 * B)))
        m[r, S - n:] = 0
    return m
