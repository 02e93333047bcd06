# SPDX-License-Identifier: Apache-2.0
"""GPT2LMHeadModel (transformers 4.2x-4.4x, use_cache=False) as
torch.onnx.export (TorchScript) emits it: inputs input_ids[, attention_mask],
output logits [B,S,V]."""

from __future__ import annotations

import math

import numpy as np

from . import layers as L
from .builder import GraphBuilder
from .layers import FLOAT, INT64

DEFAULT_VARIANT = "decomposed"
VARIANTS = {
    "decomposed": dict(
        doc="opset 14, eager GPT2Attention: Conv1D as Reshape/Gemm/Reshape, "
            "c_attn Split, causal Slice of the `bias` buffer + Where(finfo.min), "
            "gelu_new decomposed, LayerNorm decomposed",
        options=dict(opset=14, attn="eager")),
    "fused-ln": dict(
        doc="opset 17: same with LayerNormalization ops",
        options=dict(opset=17, attn="eager")),
    "sdpa": dict(
        doc="opset 14, GPT2SdpaAttention (transformers 4.41+) with is_causal "
            "(no attention_mask input): torch's SDPA decomposition with the "
            "Expand/Trilu/Equal/Where causal mask",
        options=dict(opset=14, attn="sdpa", attention_mask=False)),
}
DEFAULTS = dict(eps=1e-5, conv1d="gemm", lm_head="folded")

# options that do not apply to this family (rejected as overrides)
UNUSED = ("image", "patch", "channels", "num_labels", "kv_heads", "mask_value")


def finalize(cfg) -> None:
    cfg.seq_len = cfg.seq
    if cfg.seq > cfg.max_pos:
        raise ValueError(f"seq {cfg.seq} > max_pos {cfg.max_pos}")
    ln_op = cfg.opset >= 17
    if cfg.variant == "decomposed" and ln_op:
        raise ValueError("variant 'decomposed' needs opset < 17; use 'fused-ln'")
    if cfg.variant == "fused-ln" and not ln_op:
        raise ValueError("variant 'fused-ln' needs opset >= 17")
    if cfg.attn == "sdpa" and cfg.attention_mask:
        raise ValueError("gpt2 'sdpa' mimics the is_causal path: no attention_mask")


def build(b: GraphBuilder, w: L.Weights, cfg) -> None:
    B, S, H, V = cfg.batch, cfg.seq, cfg.hidden, cfg.vocab
    dims = ["batch", "sequence"] if cfg.symbolic else [B, S]
    input_ids = b.input("input_ids", INT64, dims)
    attn_mask = b.input("attention_mask", INT64, dims) if cfg.attention_mask else None

    with b.module("transformer"):
        s_last = b.size(input_ids, 1, S)                 # input_shape[-1]
        ids = b.reshape(input_ids, [-1, s_last])          # view(-1, input_shape[-1])
        bsz = b.size(ids, 0, B)                           # input_ids.shape[0]
        if b.fold_shapes:
            pos = b.folded("Gather", np.arange(S, dtype=np.int64)[None])
        else:  # torch.arange(past_length, input_shape[-1] + past_length)
            pos = b.op("Range", [b.i64(0), b.dim_binary("Add", s_last, 0), b.i64(1)])
            pos = b.reshape(b.unsqueeze(pos, 0), [-1, s_last])
        ext = None
        if attn_mask is not None:
            ext = b.reshape(attn_mask, [bsz, -1])
            ext = b.unsqueeze(b.unsqueeze(ext, 1), 2)
            ext = b.cast(ext, FLOAT)
            ext = b.op("Mul", [b.op("Sub", [b.f32(1.0), ext]), b.f32(L.FINFO_MIN)])
        wte = w.normal((V, H), 0.02)
        with b.module("wte"):
            wte_name = b.param(b.pname("weight"), wte)
            x = b.op("Gather", [wte_name, ids])
        with b.module("wpe"):
            pe = b.op("Gather", [b.param(b.pname("weight"),
                                         w.normal((cfg.max_pos, H), 0.01)), pos])
        x = b.op("Add", [x, pe])
        out_shape = [-1, s_last, b.size(x, 2, H)]  # (-1,) + input_shape[1:] + (h.size(-1),)

        n = S if b.fold_shapes else cfg.max_pos
        causal = np.tril(np.ones((n, n), bool))[None, None]
        bias_buf = None
        for i in range(cfg.layers):
            with b.module(f"h.{i}"):
                if bias_buf is None and cfg.attn == "eager":
                    # the per-layer `attn.bias` buffers are equal and the
                    # exporter keeps one (folded to [1,1,S,S] with static shapes)
                    bias_buf = (b.folded("Where", causal) if b.fold_shapes
                                else b.param(b.pname("attn.bias"), causal))
                x = block(b, w, cfg, x, ext, bias_buf)
        x = L.layer_norm(b, w, "ln_f", x, H, cfg.eps)
        x = b.reshape(x, out_shape)

    with b.module("lm_head"):  # tied to transformer.wte.weight
        if cfg.lm_head == "folded":
            wt = b.folded("MatMul", np.ascontiguousarray(wte.T))
        else:
            wt = b.transpose(wte_name, [1, 0])
        logits = b.op("MatMul", [x, wt])
    b.output(logits, "logits", FLOAT, dims + [V])


def conv1d(b: GraphBuilder, w: L.Weights, cfg, name: str, x: str, nx: int,
           nf: int) -> str:
    """transformers.pytorch_utils.Conv1D, weight [in, out]:
        size_out = x.size()[:-1] + (nf,)
        x = torch.addmm(bias, x.view(-1, x.size(-1)), weight); x.view(size_out)
    'matmul' emits MatMul(x, W) + Add(bias) instead (the form after ORT's
    Reshape/Gemm clean-up or the dynamo exporter)."""
    with b.module(name):
        W = b.param(b.pname("weight"), np.ascontiguousarray(w.linear(nf, nx).T))
        bias = b.param(b.pname("bias"), w.bias(nf))
        if cfg.conv1d == "matmul":
            return b.op("Add", [b.op("MatMul", [x, W]), bias])
        s0, s1 = b.size(x, 0, cfg.batch), b.size(x, 1, cfg.seq)
        last = b.size(x, 2, nx)
        y = b.op("Gemm", [b.reshape(x, [-1, last]), W, bias], alpha=1.0, beta=1.0)
        return b.reshape(y, [s0, s1, nf])


def block(b, w, cfg, x, ext, bias_buf) -> str:
    H, F = cfg.hidden, cfg.ffn
    h = L.layer_norm(b, w, "ln_1", x, H, cfg.eps)
    with b.module("attn"):
        h = attention(b, w, cfg, h, ext, bias_buf)
    x = b.op("Add", [h, x])                      # attn_output + residual
    h = L.layer_norm(b, w, "ln_2", x, H, cfg.eps)
    with b.module("mlp"):
        h = conv1d(b, w, cfg, "c_fc", h, H, F)
        with b.module("act"):
            h = L.gelu_new(b, h)
        h = conv1d(b, w, cfg, "c_proj", h, F, H)
    return b.op("Add", [x, h])                   # residual + feed_forward


def attention(b, w, cfg, x, ext, bias_buf) -> str:
    B, S, H, A = cfg.batch, cfg.seq, cfg.hidden, cfg.heads
    D = H // A
    fused = cfg.key_transpose == "fused"
    if cfg.attn == "sdpa":
        h0, h1 = b.size(x, 0, B), b.size(x, 1, S)  # bsz, q_len, _ = size()
    qkv = conv1d(b, w, cfg, "c_attn", x, H, 3 * H)
    q, k, v = b.op("Split", [qkv, b.i64([H, H, H])], num_outputs=3, axis=2)

    def split_heads(t, transpose=True):
        t = b.reshape(t, [b.size(t, 0, B), b.size(t, 1, S), A, D])
        return b.transpose(t, [0, 2, 1, 3]) if transpose else t

    q = split_heads(q)
    k_split = split_heads(k, transpose=False)
    # the permuted key is still read by Shape (key.size(-2) / the causal
    # mask), so the exporter keeps it next to the merged (0,2,3,1) transpose
    needs_k = not fused or not b.fold_shapes
    k = b.transpose(k_split, [0, 2, 1, 3]) if needs_k else None
    v = split_heads(v)
    k_t = L.key_transposed(b, k, fused, k_split)

    if cfg.attn == "sdpa":
        ctx = L.sdpa(b, q, k_t, v, is_causal=True, k_for_causal=k, head_dim=D,
                     static_len=S)
        ctx = b.transpose(ctx, [0, 2, 1, 3])
        ctx = b.reshape(ctx, [h0, h1, H])
        return conv1d(b, w, cfg, "c_proj", ctx, H, H)

    s = b.op("MatMul", [q, k_t])
    if cfg.scale_mode == "div":   # / torch.full([], value.size(-1) ** 0.5)
        s = b.op("Div", [s, b.f32(math.sqrt(D))])
    else:
        s = b.op("Mul", [s, b.f32(1.0 / math.sqrt(D))])
    if b.fold_shapes:  # bias[:, :, k-q:k, :k] with static sizes: folded
        causal = bias_buf
    else:
        ql = b.size(q, 2, S)                               # query.size(-2)
        kl = b.size(k, 2, S)                               # key.size(-2)
        causal = b.slice(bias_buf, [b.dim_binary("Sub", kl, ql)], [kl], [2], [1])
        causal = b.slice(causal, [0], [kl], [3], [1])
    fill = b.f32(L.FINFO_MIN)
    s_in = b.cast(s, FLOAT) if cfg.noop_casts else s     # .to(attn_weights.dtype)
    s = b.op("Where", [causal, s_in, fill])
    if ext is not None:
        s = b.op("Add", [s, ext])
    p = b.softmax(s, -1)
    if cfg.noop_casts:
        p = b.cast(p, FLOAT)                              # .type(value.dtype)
    ctx = b.op("MatMul", [p, v])
    ctx = b.transpose(ctx, [0, 2, 1, 3])                  # _merge_heads
    ctx = b.reshape(ctx, [b.size(ctx, 0, B), b.size(ctx, 1, S), H])
    return conv1d(b, w, cfg, "c_proj", ctx, H, H)


def make_inputs(cfg, rng: np.random.Generator) -> dict:
    from .bert import padding_mask
    feeds = {"input_ids": rng.integers(0, cfg.vocab, (cfg.batch, cfg.seq), dtype=np.int64)}
    if cfg.attention_mask:
        feeds["attention_mask"] = padding_mask(cfg.batch, cfg.seq)
    return feeds
