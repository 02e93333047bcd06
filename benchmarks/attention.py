#!/usr/bin/env python3
# ===- attention.py - Attention alone: memory and speed vs ONNX Runtime ----===#
#
# SPDX-License-Identifier: Apache-2.0
#
# ===------------------------------------------------------------------------===#
"""Self-attention alone, as exporters write it: Q, K, V [1, L, 768] split
into 12 heads of 64 (Reshape + Transpose, the key by Transpose(0,2,3,1)),
MatMul, Div(8), Softmax, MatMul, heads merged back. xfc fuses it into one
xf.attention, which runs as the runtime's flash kernel.

  attention.py memory --seqs 1024,4096,16384
      compiles and runs each length once and prints the peak RSS of the
      run (xfc-run: inputs, outputs and the kernel's working memory), which
      must grow linearly with L: an L x L score matrix would need
      12·L²·4 bytes (12 GiB at L = 16384). The smallest length is checked
      against a float64 NumPy reference.
  attention.py speed --seqs 512,2048 --threads 2
      times xfc against ONNX Runtime (all graph optimizations) on the same
      graph, and against ORT's own fused com.microsoft.MultiHeadAttention
      op, in alternating rounds; prints medians and ratios (ORT / xfc).
      Each length runs without a mask and causal (GPT's additive 0 / -inf
      bias; ORT's op with unidirectional=1), where the kernel skips the
      key blocks above the diagonal. GFLOP/s count the full 4·H·L²·D.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

from compare_one import time_ort

HEADS, HEAD_DIM = 12, 64
HIDDEN = HEADS * HEAD_DIM


def decomposed_model(seq, causal=False):
    """The eager BERT self-attention core, opset 17; with `causal`, GPT's
    additive lower-triangle bias (0 / -inf) before the softmax."""
    shape = [1, seq, HIDDEN]
    split = helper.make_tensor("split", TensorProto.INT64, [4],
                               [1, seq, HEADS, HEAD_DIM])
    merged = helper.make_tensor("merged", TensorProto.INT64, [3], shape)
    root = helper.make_tensor("root", TensorProto.FLOAT, [],
                              [float(np.sqrt(HEAD_DIM))])
    nodes = []
    for name in "qkv":
        nodes.append(helper.make_node("Reshape", [name, "split"], [name + "4"]))
    nodes += [
        helper.make_node("Transpose", ["q4"], ["qh"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["k4"], ["kt"], perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["v4"], ["vh"], perm=[0, 2, 1, 3]),
        helper.make_node("MatMul", ["qh", "kt"], ["scores"]),
        helper.make_node("Div", ["scores", "root"], ["scaled"]),
        helper.make_node("Add", ["scaled", "bias"], ["masked"]) if causal
        else helper.make_node("Identity", ["scaled"], ["masked"]),
        helper.make_node("Softmax", ["masked"], ["probs"], axis=-1),
        helper.make_node("MatMul", ["probs", "vh"], ["context"]),
        helper.make_node("Transpose", ["context"], ["ct"], perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["ct", "merged"], ["out"]),
    ]
    graph = helper.make_graph(
        nodes, "attention",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape)
         for n in "qkv"],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, shape)],
        initializer=[split, merged, root] + ([helper.make_tensor(
            "bias", TensorProto.FLOAT, [seq, seq],
            np.triu(np.full((seq, seq), -np.inf, np.float32), 1).ravel())]
            if causal else []))
    return helper.make_model(graph, ir_version=8,
                             opset_imports=[helper.make_opsetid("", 17)])


def fused_ort_model(seq, causal=False):
    """ORT's own fused attention (contrib MultiHeadAttention) on the same
    packed Q, K, V."""
    shape = [1, seq, HIDDEN]
    node = helper.make_node("MultiHeadAttention", ["q", "k", "v"], ["out"],
                            domain="com.microsoft", num_heads=HEADS,
                            unidirectional=int(causal))
    graph = helper.make_graph(
        [node], "mha",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, shape)
         for n in "qkv"],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, shape)])
    return helper.make_model(graph, ir_version=8, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])


def inputs_for(seq):
    rng = np.random.default_rng(seq)
    return {n: rng.standard_normal((1, seq, HIDDEN), dtype=np.float32)
            for n in "qkv"}


def reference(feeds):
    """float64 NumPy attention, for the correctness check."""
    def heads(x):
        return x.astype(np.float64).reshape(1, -1, HEADS, HEAD_DIM).transpose(0, 2, 1, 3)
    q, k, v = (heads(feeds[n]) for n in "qkv")
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(HEAD_DIM)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return (p @ v).transpose(0, 2, 1, 3).reshape(1, -1, HIDDEN)


def compile_xfc(args, seq, workdir, causal=False):
    model = os.path.join(workdir, f"attention-{seq}.onnx")
    onnx.save(decomposed_model(seq, causal), model)
    artifact = os.path.join(workdir, f"attention-{seq}")
    subprocess.run([args.xfc, model, "--target=cpu", "-o", artifact],
                   check=True)
    return artifact


def write_inputs(feeds, workdir, seq):
    flags = []
    for name, array in feeds.items():
        path = os.path.join(workdir, f"{name}-{seq}.npy")
        np.save(path, array)
        flags += ["--input", f"{name}={path}"]
    return flags


def run_measured(command):
    """Runs `command`; returns (exit status, peak RSS in bytes, output).
    The peak is the process's VmHWM, polled: getrusage/wait4 would report
    this (large) Python process's RSS, which a child inherits at fork and
    keeps as its maximum across exec."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]) * 1024)
            except OSError:
                pass
            time.sleep(0.002)
        out.seek(0)
        return process.returncode, peak, out.read().decode(errors="replace")


def memory(args):
    seqs = [int(s) for s in args.seqs.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for index, seq in enumerate(seqs):
            artifact = compile_xfc(args, seq, workdir)
            feeds = inputs_for(seq)
            command = [args.xfc_run, artifact, "--threads", str(args.threads)]
            command += write_inputs(feeds, workdir, seq)
            if index == 0:
                expected = os.path.join(workdir, "expected")
                os.makedirs(expected, exist_ok=True)
                np.save(os.path.join(expected, "out.npy"),
                        reference(feeds).astype(np.float32))
                command += ["--expected", expected, "--atol", "1e-5",
                            "--rtol", "1e-4"]
            del feeds
            start = time.perf_counter()
            status, rss, output = run_measured(command)
            seconds = time.perf_counter() - start
            if status != 0:
                sys.exit(f"xfc-run failed at L={seq}:\n{output}")
            if index == 0:
                print(output.strip().splitlines()[-1])
            io_bytes = 4 * 1 * seq * HIDDEN * 4  # q, k, v, out
            rows.append((seq, rss, io_bytes, seconds))
    print(f"{'L':>7} {'peak RSS MB':>12} {'Q+K+V+out MB':>13} "
          f"{'L x L scores would be MB':>25} {'run s':>7}")
    for seq, rss, io_bytes, seconds in rows:
        print(f"{seq:>7} {rss / 2**20:>12.1f} {io_bytes / 2**20:>13.1f} "
              f"{HEADS * seq * seq * 4 / 2**20:>25.0f} {seconds:>7.2f}")
    # Linear growth: each step's RSS increase is in proportion to the
    # increase in L (4x L: about 4x the bytes), nowhere near L².
    (l0, r0, _, _), (l1, r1, _, _) = rows[0], rows[-1]
    per_token = (r1 - r0) / (l1 - l0)
    print(f"growth: {per_token / 1024:.1f} KiB per token of L "
          f"(Q, K, V and out take {4 * HIDDEN * 4 / 1024:.1f} KiB per token)")
    linear = all(
        (rows[i + 1][1] - rows[i][1]) / (rows[i + 1][0] - rows[i][0])
        < 2 * per_token + 64 * 1024
        for i in range(len(rows) - 1))
    print("linear in L: " + ("yes" if linear and per_token < 64 * 1024 else "no"))


def time_xfc(args, artifact, flags):
    command = [args.xfc_run, artifact, "--benchmark", "--threads",
               str(args.threads), "--warmup", "3", "--iterations",
               str(args.iterations)] + flags
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("benchmark-json:"):
            return json.loads(line.split(":", 1)[1])["median_ms"]
    sys.exit("xfc-run printed no benchmark-json line")


def speed(args):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    print(f"attention alone, 1 x {HEADS} heads x 64, fp32, {args.threads} "
          f"thread(s); median of {args.rounds} rounds x {args.iterations} runs")
    with tempfile.TemporaryDirectory() as workdir:
        for seq, causal in ((int(s), c) for s in args.seqs.split(",")
                            for c in (False, True)):
            artifact = compile_xfc(args, seq, workdir, causal)
            feeds = inputs_for(seq)
            flags = write_inputs(feeds, workdir, seq)
            plain = ort.InferenceSession(
                decomposed_model(seq, causal).SerializeToString(), options,
                providers=["CPUExecutionProvider"])
            fused = ort.InferenceSession(
                fused_ort_model(seq, causal).SerializeToString(), options,
                providers=["CPUExecutionProvider"])
            xs, ps, fs = [], [], []
            for _ in range(args.rounds):
                xs.append(time_xfc(args, artifact, flags))
                ps.append(time_ort(plain, feeds, args.iterations))
                fs.append(time_ort(fused, feeds, args.iterations))
            x, p, f = (statistics.median(v) for v in (xs, ps, fs))
            gflop = 4 * HEADS * seq * seq * HEAD_DIM / 1e9
            print(f"L={seq}{' causal' if causal else ''}: xfc {x:.2f} ms ({gflop / x * 1e3:.0f} GFLOP/s), "
                  f"ORT graph {p:.2f} ms -> {p / x:.2f}x, "
                  f"ORT MultiHeadAttention {f:.2f} ms -> {f / x:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["memory", "speed"])
    parser.add_argument("--xfc", default="build/bin/xfc")
    parser.add_argument("--xfc-run", default="build/bin/xfc-run")
    parser.add_argument("--seqs", default="1024,4096,16384")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    memory(args) if args.mode == "memory" else speed(args)


if __name__ == "__main__":
    main()
