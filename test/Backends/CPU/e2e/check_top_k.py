#!/usr/bin/env python3
# ===- check_top_k.py - xf.top_k through the CPU backend vs numpy -----------===#
# SPDX-License-Identifier: Apache-2.0
# ===------------------------------------------------------------------------===#
"""Compiles xf.top_k cases with `xfc --target=cpu`, runs them with xfc-run
and compares values and indices with numpy, exactly.

The shapes are large enough (>= 2^14 loop iterations) that the CPU backend
splits the kernels across threads by chunks of their outermost parallel
loop: [1, 256] splits the rank count along i (its `j < i` reads
linalg.index), [2, 8192] splits the value gather along the batch (its
coordinate is linalg.index 0). Both are wrong unless linalg.index is
shifted by the chunk start (OutlineKernels.cpp).

Usage: check_top_k.py --xfc XFC --xfc-run XFC_RUN --work DIR
"""

import argparse
import os
import subprocess
import sys

import numpy as np


def reference(x, k, index_order):
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    if index_order:
        order = np.sort(order, axis=-1)
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int64)


def tensor(shape, elem):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--xfc", required=True)
    p.add_argument("--xfc-run", required=True)
    p.add_argument("--work", required=True)
    a = p.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rng = np.random.default_rng(7)
    failures = 0
    cases = [("rank_split", (1, 256), 100, True),
             ("batch_split", (2, 8192), 8192, False),
             ("ties", (3, 40), 9, True)]
    for name, shape, k, index_order in cases:
        x = rng.standard_normal(shape).astype(np.float32)
        if name == "ties":
            x = np.round(x * 2) / 2  # many equal values
        out = list(shape[:-1]) + [k]
        attr = " index_order" if index_order else ""
        text = (
            f"func.func @main(%x: {tensor(shape, 'f32')} {{xf.name = \"x\"}}) -> "
            f"({tensor(out, 'f32')} {{xf.name = \"values\"}}, "
            f"{tensor(out, 'i64')} {{xf.name = \"indices\"}}) {{\n"
            f"  %v, %i = xf.top_k %x k = {k}{attr} : ({tensor(shape, 'f32')}) -> "
            f"({tensor(out, 'f32')}, {tensor(out, 'i64')})\n"
            f"  return %v, %i : {tensor(out, 'f32')}, {tensor(out, 'i64')}\n}}\n")
        d = os.path.join(a.work, name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "top_k.mlir"), "w") as f:
            f.write(text)
        np.save(os.path.join(d, "x.npy"), x)
        subprocess.run([a.xfc, os.path.join(d, "top_k.mlir"), "--target=cpu",
                        "-o", os.path.join(d, "model")], check=True)
        subprocess.run([a.xfc_run, os.path.join(d, "model"), "--threads=4",
                        "--input", "x=" + os.path.join(d, "x.npy"),
                        "--output-dir", os.path.join(d, "out")], check=True,
                       stdout=subprocess.DEVNULL)
        values = np.load(os.path.join(d, "out", "values.npy"))
        indices = np.load(os.path.join(d, "out", "indices.npy"))
        ref_values, ref_indices = reference(x, k, index_order)
        wrong = int(np.sum(indices != ref_indices)) + int(np.sum(values != ref_values))
        print(f"{name}: {shape} k={k}{attr}: {'ok' if wrong == 0 else f'FAILED ({wrong} wrong elements)'}")
        failures += wrong != 0
    print("top_k: all cases ok" if failures == 0 else f"top_k: {failures} cases FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
