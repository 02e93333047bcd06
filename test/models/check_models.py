#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generate every family x variant (plus option combinations) at preset tiny
into a temporary directory and check each model:

  * onnx.checker (full check, strict shape inference) accepts it;
  * ONNX Runtime ran it (the reference): outputs finite, std > 0;
  * the reference matches a float64 numpy forward pass written from the HF
    model code (xfc_models/numpy_ref.py) -- i.e. the graph computes the model;
  * ORT with all graph optimizations disabled gives the same outputs;
  * --symbolic models also run, and match numpy, at another batch/sequence.

Prints one line per model and "N passed, M failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from xfc_models import (FAMILIES, build_model, generate, make_config,  # noqa: E402
                        make_inputs, run_ort)
from xfc_models.numpy_ref import FORWARD  # noqa: E402

TOL_NUMPY = 1e-3      # max|ort - numpy| / max|numpy|
TOL_UNOPT = 1e-4      # optimized vs unoptimized ORT

# (label, family, variant, overrides, generate() kwargs)
EXTRA = [
    ("bert/decomposed+separate-kT,mul-scale,-10000,tt-input,pos-init", "bert",
     "decomposed", dict(key_transpose="separate", scale_mode="mul",
                        mask_value="-10000", token_type_ids="input",
                        position_ids="initializer"), {}),
    ("bert/where-mask+-inf,no-pooler", "bert", "where-mask",
     dict(mask_value="-inf", pooler=False), {}),
    ("bert/sdpa+opset17", "bert", "sdpa", dict(opset=17), {}),
    ("bert/decomposed+symbolic", "bert", "decomposed", dict(symbolic=True), {}),
    ("bert/fused-ln+fold-shapes", "bert", "fused-ln", dict(fold_shapes=True), {}),
    ("bert/decomposed+external-data", "bert", "decomposed", {}, dict(external=True)),
    ("gpt2/decomposed+matmul-conv1d,transpose-lm-head,no-casts", "gpt2", "decomposed",
     dict(conv1d="matmul", lm_head="transpose", noop_casts=False), {}),
    ("gpt2/decomposed+no-mask,separate-kT", "gpt2", "decomposed",
     dict(attention_mask=False, key_transpose="separate"), {}),
    ("gpt2/fused-ln+symbolic", "gpt2", "fused-ln", dict(symbolic=True), {}),
    ("gpt2/sdpa+symbolic", "gpt2", "sdpa", dict(symbolic=True), {}),
    ("gpt2/decomposed+fold-shapes", "gpt2", "decomposed", dict(fold_shapes=True), {}),
    ("gpt2/sdpa+fold-shapes", "gpt2", "sdpa", dict(fold_shapes=True), {}),
    ("vit/decomposed+symbolic", "vit", "decomposed", dict(symbolic=True), {}),
    ("vit/sdpa+fold-shapes", "vit", "sdpa", dict(fold_shapes=True), {}),
    ("llama/decomposed+opset23(RMSNormalization)", "llama", "decomposed",
     dict(opset=23), {}),
    ("llama/decomposed+opset17,rope-dynamic,pos-range,rsqrt-div", "llama",
     "decomposed", dict(opset=17, rope="dynamic", position_ids="range",
                        rsqrt="div"), {}),
    ("llama/decomposed+mha(kv=heads),no-mask,mul-scale", "llama", "decomposed",
     dict(kv_heads=4, attention_mask=False, scale_mode="mul"), {}),
    ("llama/decomposed+symbolic", "llama", "decomposed", dict(symbolic=True), {}),
    ("llama/sdpa+symbolic,rope-dynamic", "llama", "sdpa",
     dict(symbolic=True, rope="dynamic"), {}),
    ("llama/decomposed+fold-shapes", "llama", "decomposed", dict(fold_shapes=True), {}),
    ("llama/onnx23+symbolic,pos-range", "llama", "onnx23",
     dict(symbolic=True, position_ids="range"), {}),
]


def cases(preset: str):
    for fam, mod in FAMILIES.items():
        for var in mod.VARIANTS:
            yield f"{fam}/{var}", fam, var, {}, {}
    yield from EXTRA


def rel_err(a, b) -> float:
    return float(np.max(np.abs(a.astype(np.float64) - b)) / max(np.max(np.abs(b)), 1e-12))


def check_one(label, fam, var, overrides, gen_kw, preset, root):
    t0 = time.perf_counter()
    cfg = make_config(fam, var, preset, **overrides)
    out = os.path.join(root, label.replace("/", "_").replace(",", "_"))
    info = generate(cfg, out, **gen_kw)
    problems = []
    path = os.path.join(out, "model.onnx")
    try:
        onnx.checker.check_model(path, full_check=True)
    except Exception as e:  # noqa: BLE001
        problems.append(f"checker: {str(e).splitlines()[0][:200]}")
    if not info["reference_available"]:
        return False, t0, info, [f"ORT failed: {info['reference_error'][:300]}"], None

    feeds = {n: np.load(os.path.join(out, "inputs", f"{n}.npy")) for n in info["inputs"]}
    ref = {n: np.load(os.path.join(out, "reference", f"{n}.npy")) for n in info["outputs"]}
    for n, r in ref.items():
        if not np.all(np.isfinite(r)):
            problems.append(f"{n}: non-finite values")
        elif float(r.std()) <= 0.0:
            problems.append(f"{n}: degenerate (std 0)")

    _, b = build_model(cfg, keep_weights=True)   # same seed -> same weights
    expect = FORWARD[fam](b.weights, cfg, feeds)
    err = 0.0
    for n, r in ref.items():
        e = rel_err(r, expect[n])
        err = max(err, e)
        if e > TOL_NUMPY:
            problems.append(f"{n}: differs from the numpy model (rel {e:.2e})")
    unopt = run_ort(path, feeds, optimize=False)
    for n, r in ref.items():
        e = rel_err(unopt[n], r.astype(np.float64))
        if e > TOL_UNOPT:
            problems.append(f"{n}: ORT optimized vs unoptimized differ (rel {e:.2e})")

    if cfg.symbolic:  # the same file must run at other sizes
        sizes = dict(batch=cfg.batch + 1)
        if fam != "vit":
            sizes["seq"] = max(2, cfg.seq // 2)
        other = make_config(fam, var, preset, **dict(overrides, **sizes))
        feeds2 = make_inputs(other)
        got = run_ort(path, feeds2)
        exp2 = FORWARD[fam](b.weights, other, feeds2)
        for n, r in got.items():
            e = rel_err(r, exp2[n])
            if e > TOL_NUMPY:
                problems.append(f"{n}: at batch {other.batch} seq {other.seq} "
                                f"differs from numpy (rel {e:.2e})")
    return not problems, t0, info, problems, err


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", default="tiny")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    ap.add_argument("-k", "--filter", default="", help="only labels containing this")
    args = ap.parse_args(argv)

    passed = failed = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="xfc-models-") as tmp:
        root = args.keep or tmp
        for label, fam, var, ov, kw in cases(args.preset):
            if args.filter not in label:
                continue
            try:
                ok, t0, info, problems, err = check_one(label, fam, var, ov, kw,
                                                        args.preset, root)
            except Exception:  # noqa: BLE001
                ok, t0, info, err = False, time.perf_counter(), None, None
                problems = [traceback.format_exc().strip().splitlines()[-1]]
            dt = time.perf_counter() - t0
            if info:
                hist = info["op_histogram"]
                top = " ".join(f"{k}:{v}" for k, v in list(hist.items())[:9])
                more = len(hist) - 9
                desc = (f"opset {info['opset']:2d} {info['node_count']:4d} nodes "
                        f"[{top}{f' +{more} types' if more > 0 else ''}]")
            else:
                desc = ""
            status = "PASS" if ok else "FAIL"
            errs = f" err {err:.1e}" if err is not None else ""
            print(f"{status} {label:58s} {desc}{errs} {dt:.2f}s", flush=True)
            for p in problems:
                print(f"     - {p}")
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed ({time.perf_counter() - start:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
