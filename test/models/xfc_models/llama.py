# SPDX-License-Identifier: Apache-2.0
"""LlamaForCausalLM (transformers 4.3x-4.4x, use_cache=False) as
torch.onnx.export (TorchScript) emits it: inputs input_ids, attention_mask,
position_ids (or none: Range), output logits [B,S,V].

Pieces and the HF versions they follow:
  rope=cached   LlamaRotaryEmbedding with cos_cached/sin_cached tables
                [max_pos, head_dim] sliced to kv_seq_len and gathered by
                position_ids (<= 4.37)
  rope=dynamic  cos/sin computed once from inv_freq @ position_ids (>= 4.45)
  mask          LlamaModel._update_causal_mask (4.38-4.44): full(finfo.min)
                -> triu(1) -> *= arange > cache_position -> expand ->
                masked_fill of padding; the exporter's ScatterND for the
                full-width slice-assign is left out (it writes every column).
"""

from __future__ import annotations

import math

import numpy as np
from onnx import numpy_helper

from . import layers as L
from .builder import GraphBuilder, INT64_MAX
from .layers import FLOAT, INT64, BOOL

DEFAULT_VARIANT = "decomposed"
VARIANTS = {
    "decomposed": dict(
        doc="opset 14 (17 also valid), eager LlamaAttention: RMSNorm "
            "decomposed (RMSNormalization with --opset 23), rotate_half RoPE, "
            "repeat_kv GQA, Trilu causal mask, SwiGLU",
        options=dict(opset=14, attn="eager")),
    "sdpa": dict(
        doc="opset 14, LlamaSdpaAttention: torch's SDPA decomposition with the "
            "float causal+padding mask",
        options=dict(opset=14, attn="sdpa")),
    "onnx23": dict(
        doc="opset 23 fused ops: RMSNormalization, RotaryEmbedding (cos/sin "
            "caches [max_pos, head_dim/2]) and Attention (GQA, is_causal=1, "
            "bool padding mask)",
        options=dict(opset=23, attn="onnx23")),
}
DEFAULTS = dict(eps=1e-5, rope_theta=10000.0, rope="cached", position_ids="input",
                rsqrt="reciprocal")

# options that do not apply to this family (rejected as overrides)
UNUSED = ("image", "patch", "channels", "num_labels", "mask_value", "key_transpose")


def finalize(cfg) -> None:
    cfg.seq_len = cfg.seq
    if cfg.kv_heads is None:
        cfg.kv_heads = cfg.heads
    if cfg.heads % cfg.kv_heads:
        raise ValueError(f"heads {cfg.heads} not a multiple of kv_heads {cfg.kv_heads}")
    if (cfg.hidden // cfg.heads) % 2:
        raise ValueError("head_dim must be even for RoPE")
    if cfg.seq > cfg.max_pos:
        raise ValueError(f"seq {cfg.seq} > max_pos {cfg.max_pos}")
    if cfg.attn == "onnx23" and cfg.opset < 23:
        raise ValueError("variant 'onnx23' needs opset 23")
    cfg.rms_op = cfg.opset >= 23


def build(b: GraphBuilder, w: L.Weights, cfg) -> None:
    B, S, H, V = cfg.batch, cfg.seq, cfg.hidden, cfg.vocab
    dims = ["batch", "sequence"] if cfg.symbolic else [B, S]
    input_ids = b.input("input_ids", INT64, dims)
    attn_mask = b.input("attention_mask", INT64, dims) if cfg.attention_mask else None
    pos_ids = b.input("position_ids", INT64, dims) if cfg.position_ids == "input" else None

    with b.module("model"):
        with b.module("embed_tokens"):
            x = b.op("Gather", [b.param(b.pname("weight"), w.normal((V, H), 0.02)),
                                input_ids])
        s_e = b.size(x, 1, S)                       # inputs_embeds.shape[1]
        if b.fold_shapes:
            cache_pos = b.folded("Range", np.arange(S, dtype=np.int64))
        else:  # torch.arange(past_seen_tokens, past_seen_tokens + seq)
            cache_pos = b.op("Range", [b.i64(0), b.dim_binary("Add", s_e, 0), b.i64(1)])
        if pos_ids is None:
            pos_ids = b.unsqueeze(cache_pos, 0)     # cache_position.unsqueeze(0)
        if cfg.attn == "onnx23":
            mask = onnx23_mask(b, cfg, attn_mask)
        else:
            mask = causal_mask(b, cfg, x, attn_mask, cache_pos)
        rope = None
        if cfg.rope == "dynamic" and cfg.attn != "onnx23":
            with b.module("rotary_emb"):
                rope = dynamic_rope(b, w, cfg, pos_ids)
        shared = {}
        for i in range(cfg.layers):
            with b.module(f"layers.{i}"):
                x = decoder_layer(b, w, cfg, x, mask, pos_ids, rope, shared)
        x = L.rms_norm(b, w, "norm", x, H, cfg.eps, use_op=cfg.rms_op,
                       noop_casts=cfg.noop_casts, rsqrt=cfg.rsqrt)
    with b.module("lm_head"):
        W = w.linear(V, H)
        b.record("lm_head.weight", W)
        logits = b.op("MatMul", [x, b.folded("MatMul", np.ascontiguousarray(W.T))])
        del W
    if cfg.noop_casts:
        logits = b.cast(logits, FLOAT)              # logits = logits.float()
    b.output(logits, "logits", FLOAT, dims + [V])


# ------------------------------------------------------------------ masks
def causal_mask(b: GraphBuilder, cfg, x, attn_mask, cache_pos) -> str:
    """_update_causal_mask -> float [B,1,S,T] with 0 / finfo.min."""
    B, S = cfg.batch, cfg.seq
    fmin = L.FINFO_MIN
    sl = b.size(x, 1, S)                                    # input_tensor.shape[1]
    if attn_mask is not None:
        tl = b.size(attn_mask, 1, S)                        # attention_mask.shape[-1]
    else:
        tl = b.dim_binary("Add", b.dim_binary("Add", 0, sl), 1)  # past + seq + 1
    if b.fold_shapes:  # the exporter folds everything up to the padding part
        T = tl
        m = np.triu(np.full((S, T), fmin, np.float32), 1)
        m = np.broadcast_to(m[None, None], (B, 1, S, T)).copy()
        cm = b.folded("Slice", m)
    else:
        cm = b.op("ConstantOfShape", [b.shape_list([sl, tl])],
                  value=numpy_helper.from_array(np.array([fmin], np.float32)))
        cm = b.op("Trilu", [cm, b.i64(1)], upper=1)         # torch.triu(diagonal=1)
        ar = b.op("Range", [b.i64(0), tl, b.i64(1)])        # torch.arange(target_length)
        gt = b.op("Greater", [ar, b.reshape(cache_pos, [-1, 1])])
        cm = b.op("Mul", [cm, b.cast(gt, FLOAT)])           # causal_mask *= (... > ...)
        cm = b.unsqueeze(b.unsqueeze(cm, 0), 1)             # [None, None, :, :]
        cm = b.expand(cm, [b.size(x, 0, B), 1, -1, -1])
    if attn_mask is None:
        return cm
    ml = b.size(attn_mask, 1, S)                            # mask_length
    am = b.unsqueeze(b.unsqueeze(attn_mask, 1), 2)          # attention_mask[:, None, None, :]
    pad = b.op("Add", [b.slice(cm, [0], [ml], [3], [1]), b.cast(am, FLOAT)])
    pad = b.op("Equal", [pad, b.f32(0.0)])                  # padding_mask == 0
    return b.op("Where", [pad, b.f32(fmin), b.slice(cm, [0], [ml], [3], [1])])


def onnx23_mask(b: GraphBuilder, cfg, attn_mask):
    """Bool [B,1,S,S] keep-mask for Attention-23 (ORT wants the query dim)."""
    if attn_mask is None:
        return None
    B, S = cfg.batch, cfg.seq
    m = b.unsqueeze(b.unsqueeze(b.cast(attn_mask, BOOL), 1), 2)
    s = b.size(attn_mask, 1, S)
    return b.expand(m, [b.size(attn_mask, 0, B), 1, s, s])


# ------------------------------------------------------------------- RoPE
def inv_freq(cfg) -> np.ndarray:
    D = cfg.hidden // cfg.heads
    return (1.0 / (cfg.rope_theta ** (np.arange(0, D, 2, dtype=np.int64)
                                      .astype(np.float32) / D))).astype(np.float32)


def rope_tables(cfg, half: bool = False):
    t = np.arange(cfg.max_pos, dtype=np.float32)
    freqs = np.outer(t, inv_freq(cfg)).astype(np.float32)
    emb = freqs if half else np.concatenate([freqs, freqs], -1)
    return np.cos(emb).astype(np.float32), np.sin(emb).astype(np.float32)


def dynamic_rope(b: GraphBuilder, w, cfg, pos_ids):
    """LlamaRotaryEmbedding.forward (4.45+): cos, sin [B,S,D]."""
    B = cfg.batch
    inv = b.param(b.pname("inv_freq"), inv_freq(cfg))
    ie = b.unsqueeze(b.unsqueeze(inv, 0), 2)                # inv_freq[None, :, None]
    if cfg.noop_casts:
        ie = b.cast(ie, FLOAT)                              # .float()
    ie = b.expand(ie, [b.size(pos_ids, 0, B), -1, 1])
    pe = b.cast(b.unsqueeze(pos_ids, 1), FLOAT)             # position_ids[:, None, :].float()
    freqs = b.transpose(b.op("MatMul", [ie, pe]), [0, 2, 1])
    emb = b.op("Concat", [freqs, freqs], axis=-1)
    cos = b.op("Mul", [b.op("Cos", [emb]), b.f32(1.0)])    # * attention_scaling
    sin = b.op("Mul", [b.op("Sin", [emb]), b.f32(1.0)])
    if cfg.noop_casts:
        cos, sin = b.cast(cos, FLOAT), b.cast(sin, FLOAT)   # .to(dtype=x.dtype)
    return cos, sin


def rotate_half(b: GraphBuilder, x: str, D: int) -> str:
    """torch.cat((-x[..., d//2:], x[..., :d//2]), dim=-1); x.shape[-1] // 2 is
    exported by _trunc_divide as Div -> Cast(int64) -> Cast(int64)."""
    def half():
        if b.fold_shapes:
            return D // 2
        h = b.op("Div", [b.size(x, 3, D), b.i64(2)])
        return b.cast(b.cast(h, INT64), INT64)
    x1 = b.slice(x, [0], [half()], [3], [1])
    x2 = b.slice(x, [half()], [INT64_MAX], [3], [1])
    return b.op("Concat", [b.op("Neg", [x2]), x1], axis=-1)


def apply_rope(b: GraphBuilder, q, k, cos, sin, D):
    cos = b.unsqueeze(cos, 1)                               # unsqueeze_dim=1
    sin = b.unsqueeze(sin, 1)
    q = b.op("Add", [b.op("Mul", [q, cos]), b.op("Mul", [rotate_half(b, q, D), sin])])
    k = b.op("Add", [b.op("Mul", [k, cos]), b.op("Mul", [rotate_half(b, k, D), sin])])
    return q, k


# -------------------------------------------------------------- attention
def repeat_kv(b: GraphBuilder, x: str, n_rep: int, cfg) -> str:
    """x[:, :, None].expand(b, kv, n_rep, s, d).reshape(b, kv * n_rep, s, d)."""
    if n_rep == 1:
        return x
    B, S, KV = cfg.batch, cfg.seq, cfg.kv_heads
    D = cfg.hidden // cfg.heads
    hb, hk, hs, hd = (b.size(x, 0, B), b.size(x, 1, KV), b.size(x, 2, S),
                      b.size(x, 3, D))
    x = b.unsqueeze(x, 2)
    x = b.expand(x, [hb, hk, n_rep, hs, hd])
    return b.reshape(x, [hb, b.dim_binary("Mul", hk, n_rep), hs, hd])


def self_attention(b, w, cfg, x, mask, pos_ids, rope, shared) -> str:
    B, S, H, A, KV = cfg.batch, cfg.seq, cfg.hidden, cfg.heads, cfg.kv_heads
    D = H // A
    bsz, q_len = b.size(x, 0, B), b.size(x, 1, S)          # hidden_states.size()
    q = L.linear(b, w, "q_proj", x, H, A * D, bias=False)
    k = L.linear(b, w, "k_proj", x, H, KV * D, bias=False)
    v = L.linear(b, w, "v_proj", x, H, KV * D, bias=False)
    q = b.transpose(b.reshape(q, [bsz, q_len, A, D]), [0, 2, 1, 3])
    k = b.transpose(b.reshape(k, [bsz, q_len, KV, D]), [0, 2, 1, 3])
    v = b.transpose(b.reshape(v, [bsz, q_len, KV, D]), [0, 2, 1, 3])

    if cfg.attn == "onnx23":
        if "cos23" not in shared:
            c, s = rope_tables(cfg, half=True)
            shared["cos23"] = b.param("model.rotary_emb.cos_cache", c)
            shared["sin23"] = b.param("model.rotary_emb.sin_cache", s)
        pos = pos_ids
        if cfg.position_ids != "input":
            pos = b.expand(pos_ids, [bsz, q_len])
        q = b.op("RotaryEmbedding", [q, shared["cos23"], shared["sin23"], pos])
        k = b.op("RotaryEmbedding", [k, shared["cos23"], shared["sin23"], pos])
        ins = [q, k, v] + ([mask] if mask is not None else [])
        o = b.op("Attention", ins, is_causal=1)
        o = b.transpose(o, [0, 2, 1, 3])
        o = b.reshape(o, [bsz, q_len, H])
        return L.linear(b, w, "o_proj", o, H, H, bias=False)

    if rope is None:  # cached tables, sliced to kv_seq_len and gathered
        if "cos" not in shared:
            c, s = rope_tables(cfg)
            if b.fold_shapes:
                shared["cos"] = b.folded("Gather", c[:S].copy())
                shared["sin"] = b.folded("Gather", s[:S].copy())
            else:
                with b.module("rotary_emb"):
                    shared["cos"] = b.param(b.pname("cos_cached"), c)
                    shared["sin"] = b.param(b.pname("sin_cached"), s)
        if b.fold_shapes:  # cos_cached[:seq_len].to(dtype): folded
            cos, sin = shared["cos"], shared["sin"]
        else:
            kv_len = b.size(k, 2, S)                        # key_states.shape[-2]
            with b.module("rotary_emb"):
                cos = b.slice(shared["cos"], [0], [kv_len], [0], [1])
                sin = b.slice(shared["sin"], [0], [kv_len], [0], [1])
                if cfg.noop_casts:
                    cos, sin = b.cast(cos, FLOAT), b.cast(sin, FLOAT)
        cos = b.op("Gather", [cos, pos_ids])                # cos[position_ids]
        sin = b.op("Gather", [sin, pos_ids])
    else:
        cos, sin = rope
    q, k = apply_rope(b, q, k, cos, sin, D)
    k = repeat_kv(b, k, A // KV, cfg)
    v = repeat_kv(b, v, A // KV, cfg)

    if mask is not None:  # attention_mask[:, :, :, : key_states.shape[-2]]
        mask = b.slice(mask, [0], [b.size(k, 2, S)], [3], [1])
    if cfg.attn == "sdpa":
        o = L.sdpa(b, q, b.transpose(k, [0, 1, 3, 2]), v, mask=mask, head_dim=D)
    else:
        s = b.op("MatMul", [q, b.transpose(k, [0, 1, 3, 2])])
        if cfg.scale_mode == "div":
            s = b.op("Div", [s, b.f32(math.sqrt(D))])
        else:
            s = b.op("Mul", [s, b.f32(1.0 / math.sqrt(D))])
        if mask is not None:
            s = b.op("Add", [s, mask])
        p = b.softmax(s, -1)                                # dtype=torch.float32
        if cfg.noop_casts:
            p = b.cast(p, FLOAT)                            # .to(query_states.dtype)
        o = b.op("MatMul", [p, v])
    o = b.transpose(o, [0, 2, 1, 3])
    o = b.reshape(o, [bsz, q_len, H])
    return L.linear(b, w, "o_proj", o, H, H, bias=False)


def decoder_layer(b, w, cfg, x, mask, pos_ids, rope, shared) -> str:
    H, F = cfg.hidden, cfg.ffn
    norm = dict(use_op=cfg.rms_op, noop_casts=cfg.noop_casts, rsqrt=cfg.rsqrt)
    h = L.rms_norm(b, w, "input_layernorm", x, H, cfg.eps, **norm)
    with b.module("self_attn"):
        h = self_attention(b, w, cfg, h, mask, pos_ids, rope, shared)
    x = b.op("Add", [x, h])
    h = L.rms_norm(b, w, "post_attention_layernorm", x, H, cfg.eps, **norm)
    with b.module("mlp"):
        g = L.linear(b, w, "gate_proj", h, H, F, bias=False)
        with b.module("act_fn"):
            g = L.silu(b, g)
        u = L.linear(b, w, "up_proj", h, H, F, bias=False)
        h = L.linear(b, w, "down_proj", b.op("Mul", [g, u]), F, H, bias=False)
    return b.op("Add", [x, h])


def make_inputs(cfg, rng: np.random.Generator) -> dict:
    from .bert import padding_mask
    B, S = cfg.batch, cfg.seq
    feeds = {"input_ids": rng.integers(0, cfg.vocab, (B, S), dtype=np.int64)}
    mask = padding_mask(B, S)
    if cfg.attention_mask:
        feeds["attention_mask"] = mask
    if cfg.position_ids == "input":
        # what generate() feeds: cumsum(mask) - 1, padding positions set to 1
        pos = np.cumsum(mask, -1) - 1
        feeds["position_ids"] = np.where(mask == 0, 1, pos).astype(np.int64)
    return feeds
