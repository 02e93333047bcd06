#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""xf-prune-tokens (Zero-TPrune) speed and CLS fidelity against unpruned xfc,
measured in one run (issue 7).

For a generated BERT (default: BERT-base shape, random weights, batch 1),
at each sequence length: imports with xfc, fuses attention, prunes tokens
after the given attention layers with xf-prune-tokens, compiles both with
`xfc --target=cpu`, times both with `xfc-run --benchmark` in interleaved
rounds (same threads), and compares the pruned model's CLS row of
last_hidden_state and its pooler_output with the unpruned model's on the
generated inputs (cosine).

  prune_tokens.py [--preset base] [--seq 128 384] [--layers 3,6,9]
                  [--keep 0.7] [--threads 2] [--rounds 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "build" / "bin"


def run(*cmd, capture=False):
    r = subprocess.run([str(c) for c in cmd], check=True, text=True,
                       stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return r.stdout


def median_ms(artifact, inputs, threads, iterations):
    out = run(BIN / "xfc-run", artifact, *inputs, "--benchmark",
              f"--threads={threads}", f"--iterations={iterations}",
              "--warmup=3", capture=True)
    for line in out.splitlines():
        if line.startswith("benchmark-json: "):
            return json.loads(line[len("benchmark-json: "):])["median_ms"]
    raise RuntimeError("no benchmark-json line")


def cosine(a, b):
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--preset", default="base")
    p.add_argument("--seq", type=int, nargs="+", default=[128, 384])
    p.add_argument("--layers", default="3,6,9")
    p.add_argument("--keep", type=float, default=0.7)
    p.add_argument("--iterations", type=int, default=10, help="PageRank iterations")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--runs", type=int, default=20, help="timed runs per round")
    p.add_argument("--work", default="/tmp/xfc-prune-tokens")
    a = p.parse_args()
    results = []
    for seq in a.seq:
        d = Path(a.work) / f"{a.preset}-{seq}"
        model = d / "model"
        if not (model / "model.onnx").exists():
            run(sys.executable, ROOT / "test/models/generate.py", "--family", "bert",
                "--preset", a.preset, "--seq", seq, "--batch", 1, "-q",
                "--no-reference", "-o", model)
        inputs = [f"--input={f.stem}={f}" for f in sorted((model / "inputs").glob("*.npy"))]
        run(BIN / "xfc", model / "model.onnx", "-o", d / "imported.mlir")
        run(BIN / "xfc-opt", d / "imported.mlir", "--xf-fuse-attention", "-o", d / "fused.mlir")
        run(BIN / "xfc-opt", d / "fused.mlir",
            f"--xf-prune-tokens=layers={a.layers} keep={a.keep} iterations={a.iterations}",
            "-o", d / "pruned.mlir")
        run(BIN / "xfc", d / "fused.mlir", "--target=cpu", "-o", d / "unpruned")
        run(BIN / "xfc", d / "pruned.mlir", "--target=cpu", "-o", d / "pruned")
        outs = {}
        for name in ("unpruned", "pruned"):
            run(BIN / "xfc-run", d / name, *inputs, "--output-dir", d / f"{name}-out")
            outs[name] = {f.stem: np.load(f) for f in (d / f"{name}-out").glob("*.npy")}
        times = {"unpruned": [], "pruned": []}
        for _ in range(a.rounds):
            for name in times:
                times[name].append(median_ms(d / name, inputs, a.threads, a.runs))
        u, q = outs["unpruned"], outs["pruned"]
        r = {
            "seq": seq,
            "kept": int(q["xf_kept_tokens"].shape[1]),
            "unpruned_ms": statistics.median(times["unpruned"]),
            "pruned_ms": statistics.median(times["pruned"]),
            "cls_cosine": cosine(q["last_hidden_state"][:, 0], u["last_hidden_state"][:, 0]),
            "pooler_cosine": cosine(q["pooler_output"], u["pooler_output"]),
            "rounds_ms": times,
        }
        r["speedup"] = r["unpruned_ms"] / r["pruned_ms"]
        results.append(r)
        print(f"seq {seq}: tokens {seq} -> {r['kept']} after layers {a.layers} (keep {a.keep}); "
              f"latency {r['unpruned_ms']:.2f} ms -> {r['pruned_ms']:.2f} ms ({r['speedup']:.2f}x, "
              f"{a.threads} threads); CLS cosine {r['cls_cosine']:.6f}, pooler cosine {r['pooler_cosine']:.6f}",
              flush=True)
    print("json: " + json.dumps(results))


if __name__ == "__main__":
    main()
