# SPDX-License-Identifier: Apache-2.0
"""Seeded weights and the exported forms of the torch/HF modules shared by
the families (nn.Linear, HF Conv1D, LayerNorm, RMSNorm, activations,
F.scaled_dot_product_attention, BERT/ViT self-attention)."""

from __future__ import annotations

import math

import numpy as np
from onnx import TensorProto

from .builder import FINFO_MIN, INT64_MAX, GraphBuilder

FLOAT, INT64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


class Weights:
    """All random tensors come from one numpy Generator, in build order."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def normal(self, shape, std: float) -> np.ndarray:
        a = self.rng.standard_normal(shape, dtype=np.float32)
        a *= np.float32(std)
        return a

    def linear(self, out_f: int, in_f: int) -> np.ndarray:
        """nn.Linear weight [out, in]; std 1/sqrt(in) keeps activations O(1)
        at every width (HF's 0.02 is the same order at hidden 768-2048)."""
        return self.normal((out_f, in_f), 1.0 / math.sqrt(in_f))

    def bias(self, n: int) -> np.ndarray:
        return self.normal((n,), 0.02)

    def gamma(self, n: int) -> np.ndarray:
        g = self.normal((n,), 0.02)
        g += np.float32(1.0)
        return g


# ---------------------------------------------------------------- linear
def linear(b: GraphBuilder, w: Weights, name: str, x: str, in_f: int, out_f: int,
           bias: bool = True) -> str:
    """nn.Linear on a rank>2 input: MatMul(x, W^T) with the transpose
    constant-folded into an onnx::MatMul_<n> initializer, then Add(bias, y)."""
    with b.module(name):
        W = w.linear(out_f, in_f)
        b.record(b.pname("weight"), W)
        wt = np.ascontiguousarray(W.T)
        del W
        bvec = w.bias(out_f) if bias else None
        y = b.op("MatMul", [x, b.folded("MatMul", wt)])
        if bias:
            y = b.op("Add", [b.param(b.pname("bias"), bvec), y])
        return y


def linear_2d(b: GraphBuilder, w: Weights, name: str, x: str, in_f: int,
              out_f: int) -> str:
    """nn.Linear on a 2-D input: addmm -> Gemm(x, W, b, transB=1)."""
    with b.module(name):
        W = b.param(b.pname("weight"), w.linear(out_f, in_f))
        bb = b.param(b.pname("bias"), w.bias(out_f))
        return b.op("Gemm", [x, W, bb], alpha=1.0, beta=1.0, transB=1)


# ------------------------------------------------------------------ norms
def layer_norm(b: GraphBuilder, w: Weights, name: str, x: str, n: int,
               eps: float) -> str:
    """nn.LayerNorm: LayerNormalization at opset >= 17, else the opset-9
    decomposition ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add."""
    with b.module(name):
        gamma = b.param(b.pname("weight"), w.gamma(n))
        beta = b.param(b.pname("bias"), w.bias(n))
        if b.opset >= 17:
            return b.op("LayerNormalization", [x, gamma, beta], axis=-1,
                        epsilon=float(eps))
        mean = b.reduce_mean(x, [-1])
        d = b.op("Sub", [x, mean])
        var = b.reduce_mean(b.op("Pow", [d, b.f32(2.0)]), [-1])
        std = b.op("Sqrt", [b.op("Add", [var, b.f32(eps)])])
        y = b.op("Div", [d, std])
        y = b.op("Mul", [y, gamma])
        return b.op("Add", [y, beta])


def rms_norm(b: GraphBuilder, w: Weights, name: str, x: str, n: int, eps: float,
             *, use_op: bool, noop_casts: bool, rsqrt: str = "reciprocal") -> str:
    """LlamaRMSNorm:
        h = x.to(float32); var = h.pow(2).mean(-1, keepdim=True)
        h = h * torch.rsqrt(var + eps); return weight * h.to(input_dtype)
    torch.rsqrt exports as Reciprocal(Sqrt) (older torch: Div(1, Sqrt))."""
    with b.module(name):
        weight = b.param(b.pname("weight"), w.gamma(n))
        if use_op:  # opset 23 RMSNormalization (dynamo exporter + fusion)
            return b.op("RMSNormalization", [x, weight], axis=-1, epsilon=float(eps))
        h = b.cast(x, FLOAT) if noop_casts else x
        var = b.reduce_mean(b.op("Pow", [h, b.f32(2.0)]), [-1])
        r = b.op("Sqrt", [b.op("Add", [var, b.f32(eps)])])
        if rsqrt == "reciprocal":
            r = b.op("Reciprocal", [r])
        else:
            r = b.op("Div", [b.f32(1.0), r])
        h = b.op("Mul", [h, r])
        if noop_casts:
            h = b.cast(h, FLOAT)
        return b.op("Mul", [weight, h])


# ------------------------------------------------------------ activations
def gelu_erf(b: GraphBuilder, x: str) -> str:
    """F.gelu(approximate='none'): x * (1 + erf(x / sqrt 2)) * 0.5."""
    e = b.op("Erf", [b.op("Div", [x, b.f32(1.4142135381698608)])])
    y = b.op("Mul", [x, b.op("Add", [e, b.f32(1.0)])])
    return b.op("Mul", [y, b.f32(0.5)])


def gelu_new(b: GraphBuilder, x: str) -> str:
    """HF NewGELUActivation (GPT-2 gelu_new):
    0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))."""
    half = b.op("Mul", [x, b.f32(0.5)])
    cube = b.op("Pow", [x, b.f32(3.0)])
    inner = b.op("Add", [x, b.op("Mul", [cube, b.f32(0.044715)])])
    t = b.op("Tanh", [b.op("Mul", [inner, b.f32(math.sqrt(2.0 / math.pi))])])
    return b.op("Mul", [half, b.op("Add", [t, b.f32(1.0)])])


def silu(b: GraphBuilder, x: str) -> str:
    """nn.SiLU: x * sigmoid(x)."""
    return b.op("Mul", [x, b.op("Sigmoid", [x])])


# ------------------------------------------------------------------- SDPA
def sdpa(b: GraphBuilder, q: str, k_t: str, v: str, *, mask: str | None = None,
         mask_is_bool: bool = False, is_causal: bool = False,
         k_for_causal: str | None = None, head_dim: int = 0,
         static_len: int = 0) -> str:
    """torch.onnx symbolic_opset14.scaled_dot_product_attention. `k_t` is the
    key already transposed to [..., D, S] (the symbolic's Transpose(-1,-2),
    merged by the exporter's peephole with the head transpose when adjacent)."""
    if b.fold_shapes:
        scale = b.const(np.array([1.0 / math.sqrt(head_dim)], np.float32))
    else:  # _attention_scale: 1 / sqrt(query.size(-1))
        last = b.op("Slice", [b.op("Shape", [q]), b.i64([-1]), b.i64([INT64_MAX])])
        e = b.cast(last, FLOAT)
        scale = b.op("Div", [b.const(np.array([1.0], np.float32)), b.op("Sqrt", [e])])
        scale = b.cast(scale, FLOAT)
    if is_causal and b.fold_shapes:  # the whole mask folds to a constant
        m = np.triu(np.full((static_len, static_len), -np.inf, np.float32), 1)
        mask, mask_is_bool = b.folded("Add", m), False
    elif is_causal:  # _causal_attention_mask
        q_shape = b.op("Shape", [q])
        k_shape = b.op("Shape", [k_for_causal])
        last, second = b.i64([-1]), b.i64([-2])
        tgt = b.op("Slice", [q_shape, second, last])
        src = b.op("Slice", [k_shape, second, last])
        size = b.op("Concat", [tgt, src], axis=0)
        m = b.op("Expand", [b.const(np.array([1.0], np.float32)), size])
        m = b.op("Trilu", [m], upper=0)
        zero = b.const(np.array([0.0], np.float32))
        ninf = b.const(np.array([-np.inf], np.float32))
        mask = b.op("Where", [b.op("Equal", [m, zero]), ninf, zero])
        mask_is_bool = False
    qs = b.op("Mul", [q, b.op("Sqrt", [scale])])
    ks = b.op("Mul", [k_t, b.op("Sqrt", [scale])])
    s = b.op("MatMul", [qs, ks])
    if mask is not None:
        if mask_is_bool:
            mask = b.op("Where", [mask, b.const(np.array([0.0], np.float32)),
                                  b.const(np.array([-np.inf], np.float32))])
        s = b.op("Add", [s, mask])
    p = b.softmax(s, -1)
    return b.op("MatMul", [p, v])


# ------------------------------------------- BERT / ViT self-attention
def transpose_for_scores(b: GraphBuilder, x: str, B: int, S: int, A: int, D: int,
                         transpose: bool = True) -> str:
    """x.view(x.size()[:-1] + (A, D)).permute(0, 2, 1, 3)."""
    n0, n1 = b.size(x, 0, B), b.size(x, 1, S)
    x = b.reshape(x, [n0, n1, A, D])
    return b.transpose(x, [0, 2, 1, 3]) if transpose else x


def key_transposed(b: GraphBuilder, k_heads: str, fused: bool, k_split=None) -> str:
    """key.transpose(-1, -2) of a permuted [B,S,A,D] view.  The exporter's
    peephole merges the two transposes into perm (0,2,3,1) when the permuted
    key has no other use; 'separate' keeps (0,2,1,3) + (0,1,3,2)."""
    if fused:
        return b.transpose(k_split, [0, 2, 3, 1])
    return b.transpose(k_heads, [0, 1, 3, 2])


def bert_self_attention(b: GraphBuilder, w: Weights, x: str, cfg, *,
                        mask: str | None, mask_kind: str, bsz=None,
                        raw_mask: str | None = None) -> str:
    """BertSelfAttention / ViTSelfAttention (eager) or their Sdpa subclasses.

    mask_kind: 'none' | 'additive' (extended mask added to the scores) |
    'where' (scores.masked_fill((mask == 0).view(bs,1,1,k).expand_as(scores),
    finfo.min), the DistilBERT / bool-mask form) | 'sdpa' (float mask handed to
    F.scaled_dot_product_attention)."""
    B, S, H, A = cfg.batch, cfg.seq_len, cfg.hidden, cfg.heads
    D = H // A
    fused_kt = cfg.key_transpose == "fused"
    if cfg.attn == "sdpa":
        h0, h1 = b.size(x, 0, B), b.size(x, 1, S)  # bsz, tgt_len, _ = size()
    q_lin = linear(b, w, "query", x, H, H)
    k_lin = linear(b, w, "key", x, H, H)
    k_split = transpose_for_scores(b, k_lin, B, S, A, D, transpose=False)
    k = None if fused_kt else b.transpose(k_split, [0, 2, 1, 3])
    v = transpose_for_scores(b, linear(b, w, "value", x, H, H), B, S, A, D)
    q = transpose_for_scores(b, q_lin, B, S, A, D)
    k_t = key_transposed(b, k, fused_kt, k_split)

    if cfg.attn == "sdpa":
        ctx = sdpa(b, q, k_t, v, mask=mask, head_dim=D)
        ctx = b.transpose(ctx, [0, 2, 1, 3])
        return b.reshape(ctx, [h0, h1, H])

    s = b.op("MatMul", [q, k_t])
    if cfg.scale_mode == "div":
        s = b.op("Div", [s, b.f32(math.sqrt(D))])
    else:
        s = b.op("Mul", [s, b.f32(1.0 / math.sqrt(D))])
    if mask_kind == "additive":
        s = b.op("Add", [s, mask])
    elif mask_kind == "where":
        bs, kl = b.size(x, 0, B), b.size(x, 1, S)
        m = b.op("Equal", [raw_mask, b.i64(0)])
        m = b.reshape(m, [bs, 1, 1, kl])
        m = b.op("Expand", [m, b.op("Shape", [s])])
        s = b.op("Where", [m, b.f32(cfg.mask_fill), s])
    p = b.softmax(s, -1)
    ctx = b.op("MatMul", [p, v])
    ctx = b.transpose(ctx, [0, 2, 1, 3])
    c0, c1 = b.size(ctx, 0, B), b.size(ctx, 1, S)
    return b.reshape(ctx, [c0, c1, H])


__all__ = [
    "FLOAT", "INT64", "BOOL", "FINFO_MIN", "INT64_MAX", "Weights", "linear",
    "linear_2d", "layer_norm", "rms_norm", "gelu_erf", "gelu_new", "silu",
    "sdpa", "transpose_for_scores", "key_transposed", "bert_self_attention",
]
