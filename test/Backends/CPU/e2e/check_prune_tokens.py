#!/usr/bin/env python3
# ===- check_prune_tokens.py - xf-prune-tokens on a model vs ORT + numpy ----===#
# SPDX-License-Identifier: Apache-2.0
# ===------------------------------------------------------------------------===#
"""Prunes tokens of a generated BERT with xf-prune-tokens, runs it through
the CPU backend and checks it against ONNX Runtime running the unpruned
model (with every Softmax output exported) plus numpy:

* kept tokens: the first pruned layer's importance is recomputed in numpy
  from ORT's attention probabilities of that layer (mean over heads,
  PageRank s <- s.A from the uniform s, token 0 forced with keep-first),
  and its top k, in index order, must be `xf_kept_tokens` (with a later
  pruned layer the result is only checked to be a sorted subset holding
  token 0). Near-ties (score gap < 1e-6 at the boundary) are reported, not
  failed;
* exactness: when the only pruned layer is the last one, everything after
  its attention sublayer is per token, so `last_hidden_state` must equal
  ORT's at the kept rows and `pooler_output` ORT's (atol 1e-4);
* keep=1 changes nothing: same outputs bit for bit, no `xf_kept_tokens`;
* otherwise the CLS row's (and the pooler's) cosine against ORT is printed.

Usage: check_prune_tokens.py --model DIR --bin DIR --work DIR
         [--case NAME:LAYERS:KEEP[:exact]]...
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def cosine(a, b):
    a, b = a.ravel().astype(np.float64), b.ravel().astype(np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def reference_kept(probs, keep, iterations, keep_first):
    graph = probs.astype(np.float64).mean(axis=1)  # [B, S, S]
    batch, seq, _ = graph.shape
    k = max(1, int(np.floor(keep * seq + 0.5)))
    s = np.full((batch, 1, seq), 1.0 / seq)
    for _ in range(iterations):
        s = s @ graph
    s = s[:, 0, :]
    if keep_first:
        s[:, 0] += 2.0
    order = np.argsort(-s, axis=-1, kind="stable")
    kept = np.sort(order[:, :k], axis=-1)
    # Score gap at the boundary, per row.
    ranked = np.take_along_axis(s, order, axis=-1)
    gap = (ranked[:, k - 1] - ranked[:, k]) if k < seq else np.full(batch, np.inf)
    return kept, gap


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--case", action="append", default=[])
    a = p.parse_args()
    xfc, xfc_opt, xfc_run = (os.path.join(a.bin, t) for t in ("xfc", "xfc-opt", "xfc-run"))
    os.makedirs(a.work, exist_ok=True)

    # ORT on the unpruned model, every Softmax output exported.
    model = onnx.load(os.path.join(a.model, "model.onnx"))
    softmaxes = [n.output[0] for n in model.graph.node if n.op_type == "Softmax"]
    for name in softmaxes:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    input_dir = os.path.join(a.model, "inputs")
    feeds = {i.name: np.load(os.path.join(input_dir, i.name + ".npy")) for i in session.get_inputs()}
    outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
    probs = [outputs[n] for n in softmaxes]
    inputs = [f"--input={n}={os.path.join(input_dir, n + '.npy')}" for n in feeds]

    imported = os.path.join(a.work, "model.mlir")
    run(xfc, os.path.join(a.model, "model.onnx"), "-o", imported)
    fused = os.path.join(a.work, "fused.mlir")
    run(xfc_opt, imported, "--xf-fuse-attention", "-o", fused)
    run(xfc, fused, "--target=cpu", "-o", os.path.join(a.work, "unpruned"))
    run(xfc_run, os.path.join(a.work, "unpruned"), *inputs, "--output-dir", os.path.join(a.work, "unpruned-out"))
    unpruned = {n: np.load(os.path.join(a.work, "unpruned-out", n + ".npy")) for n in ("last_hidden_state", "pooler_output")}

    failures = 0
    for spec in a.case:
        fields = spec.split(":")
        name, layers, keep = fields[0], [int(x) for x in fields[1].split(",")], float(fields[2])
        exact = len(fields) > 3 and fields[3] == "exact"
        d = os.path.join(a.work, name)
        pruned_mlir = d + ".mlir"
        opts = f"layers={','.join(map(str, layers))} keep={keep} iterations={a.iterations}"
        run(xfc_opt, fused, f"--xf-prune-tokens={opts}", "-o", pruned_mlir)
        run(xfc, pruned_mlir, "--target=cpu", "-o", d)
        out_dir = d + "-out"
        run(xfc_run, d, *inputs, "--output-dir", out_dir)
        got = {n[:-4]: np.load(os.path.join(out_dir, n)) for n in os.listdir(out_dir)}
        problems = []
        if keep == 1.0:
            if "xf_kept_tokens" in got:
                problems.append("keep=1 added xf_kept_tokens")
            for n, v in unpruned.items():
                if not np.array_equal(got[n], v):
                    problems.append(f"keep=1 changed {n}")
            print(f"{name}: {'ok' if not problems else 'FAILED: ' + '; '.join(problems)} (identity)")
            failures += bool(problems)
            continue
        kept = got["xf_kept_tokens"]
        ref, gap = reference_kept(probs[layers[0]], keep, a.iterations, True)
        if len(layers) == 1:
            for b in range(kept.shape[0]):
                if not np.array_equal(kept[b], ref[b]):
                    if gap[b] < 1e-6:
                        print(f"{name}: row {b}: near-tie at the boundary (gap {gap[b]:.2e}), kept tokens differ")
                    else:
                        problems.append(f"row {b}: kept {kept[b].tolist()}, reference {ref[b].tolist()}")
        for b in range(kept.shape[0]):
            row = kept[b]
            if row[0] != 0 or np.any(np.diff(row) <= 0):
                problems.append(f"row {b}: kept {row.tolist()} is not sorted with token 0 first")
        last = got["last_hidden_state"]
        ort_last, ort_pool = outputs["last_hidden_state"], outputs["pooler_output"]
        if exact:
            gathered = np.take_along_axis(ort_last, kept[:, :, None], axis=1)
            err = float(np.abs(last - gathered).max())
            perr = float(np.abs(got["pooler_output"] - ort_pool).max())
            if err > 1e-4 or perr > 1e-4:
                problems.append(f"pruned last layer: max error {err:.2e} (hidden), {perr:.2e} (pooler) > 1e-4")
            print(f"{name}: exact part: max |pruned - ORT[kept]| {err:.2e}, pooler {perr:.2e}")
        print(f"{name}: kept {kept.shape[1]} of {ort_last.shape[1]} tokens; CLS cosine "
              f"{cosine(last[:, 0], ort_last[:, 0]):.6f}, pooler cosine {cosine(got['pooler_output'], ort_pool):.6f}")
        print(f"{name}: {'ok' if not problems else 'FAILED: ' + '; '.join(problems)}")
        failures += bool(problems)
    print("prune-tokens: all cases ok" if not failures else f"prune-tokens: {failures} cases FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
