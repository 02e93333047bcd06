# SPDX-License-Identifier: Apache-2.0
"""ViTForImageClassification (transformers 4.3x-4.4x) as torch.onnx.export
(TorchScript) emits it: input pixel_values [B,3,I,I], output logits."""

from __future__ import annotations

import math

import numpy as np

from . import layers as L
from .builder import GraphBuilder
from .layers import FLOAT

DEFAULT_VARIANT = "decomposed"
VARIANTS = {
    "decomposed": dict(
        doc="opset 14, eager ViTSelfAttention, LayerNorm and GELU decomposed",
        options=dict(opset=14, attn="eager")),
    "fused-ln": dict(
        doc="opset 17: LayerNormalization ops",
        options=dict(opset=17, attn="eager")),
    "sdpa": dict(
        doc="opset 14, ViTSdpaSelfAttention (transformers 4.41+): torch's SDPA "
            "decomposition without a mask",
        options=dict(opset=14, attn="sdpa")),
}
DEFAULTS = dict(eps=1e-12, attention_mask=False)

# options that do not apply to this family (rejected as overrides)
UNUSED = ("vocab", "seq", "kv_heads", "max_pos", "attention_mask", "mask_value")


def finalize(cfg) -> None:
    if cfg.image % cfg.patch:
        raise ValueError(f"image {cfg.image} not divisible by patch {cfg.patch}")
    cfg.num_patches = (cfg.image // cfg.patch) ** 2
    cfg.seq_len = cfg.num_patches + 1
    cfg.attention_mask = False
    ln_op = cfg.opset >= 17
    if cfg.variant == "decomposed" and ln_op:
        raise ValueError("variant 'decomposed' needs opset < 17; use 'fused-ln'")
    if cfg.variant == "fused-ln" and not ln_op:
        raise ValueError("variant 'fused-ln' needs opset >= 17")


def build(b: GraphBuilder, w: L.Weights, cfg) -> None:
    B, C, I, P, H = cfg.batch, cfg.channels, cfg.image, cfg.patch, cfg.hidden
    N = cfg.num_patches
    bdim = "batch" if cfg.symbolic else B
    pixels = b.input("pixel_values", FLOAT, [bdim, C, I, I])
    with b.module("vit"):
        with b.module("embeddings"):
            bsz = b.size(pixels, 0, B)  # batch_size, ... = pixel_values.shape
            with b.module("patch_embeddings"):
                with b.module("projection"):
                    wconv = b.param(b.pname("weight"),
                                    w.normal((H, C, P, P), 1.0 / math.sqrt(C * P * P)))
                    bconv = b.param(b.pname("bias"), w.bias(H))
                    x = b.op("Conv", [pixels, wconv, bconv], dilations=[1, 1], group=1,
                             kernel_shape=[P, P], pads=[0, 0, 0, 0], strides=[P, P])
                x = flatten_from(b, x, 2, [B, H])  # .flatten(2)
                x = b.transpose(x, [0, 2, 1])      # .transpose(1, 2)
            cls = b.param(b.pname("cls_token"), w.normal((1, 1, H), 0.02))
            cls = b.expand(cls, [bsz, -1, -1])
            x = b.op("Concat", [cls, x], axis=1)
            pos = b.param(b.pname("position_embeddings"), w.normal((1, N + 1, H), 0.02))
            x = b.op("Add", [x, pos])
        for i in range(cfg.layers):
            with b.module("encoder", f"layer.{i}"):
                x = vit_layer(b, w, cfg, x)
        x = L.layer_norm(b, w, "layernorm", x, H, cfg.eps)
    first = b.op("Gather", [x, b.i64(0)], axis=1)  # sequence_output[:, 0, :]
    logits = L.linear_2d(b, w, "classifier", first, H, cfg.num_labels)
    b.output(logits, "logits", FLOAT, [bdim, cfg.num_labels])


def flatten_from(b: GraphBuilder, x: str, start: int, lead_static) -> str:
    """torch.flatten(x, start) on a 4-D tensor, start > 1 (opset-11 symbolic's
    _flatten_helper): Reshape(x, Concat(Shape(x)[:start], [-1]))."""
    if b.fold_shapes:
        return b.reshape(x, list(lead_static) + [-1])
    lead = b.op("Slice", [b.op("Shape", [x]), b.i64([0]), b.i64([start]), b.i64([0])])
    shape = b.op("Concat", [lead, b.i64([-1])], axis=0)
    return b.op("Reshape", [x, shape], allowzero=0)


def vit_layer(b, w, cfg, x) -> str:
    H, F = cfg.hidden, cfg.ffn
    h = L.layer_norm(b, w, "layernorm_before", x, H, cfg.eps)
    with b.module("attention"):
        with b.module("attention"):
            h = L.bert_self_attention(b, w, h, cfg, mask=None, mask_kind="none")
        with b.module("output"):
            h = L.linear(b, w, "dense", h, H, H)
    x = b.op("Add", [h, x])
    h = L.layer_norm(b, w, "layernorm_after", x, H, cfg.eps)
    with b.module("intermediate"):
        h = L.linear(b, w, "dense", h, H, F)
        with b.module("intermediate_act_fn"):
            h = L.gelu_erf(b, h)
    with b.module("output"):
        h = L.linear(b, w, "dense", h, F, H)
        return b.op("Add", [h, x])


def make_inputs(cfg, rng: np.random.Generator) -> dict:
    shape = (cfg.batch, cfg.channels, cfg.image, cfg.image)
    return {"pixel_values": rng.standard_normal(shape, dtype=np.float32)}
