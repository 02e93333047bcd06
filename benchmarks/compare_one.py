#!/usr/bin/env python3
# ===- compare_one.py - One model: xfc vs ONNX Runtime latency -------------===#
#
# SPDX-License-Identifier: Apache-2.0
#
# ===------------------------------------------------------------------------===#
"""Times one compiled artifact (xfc-run --benchmark) and ONNX Runtime (its
defaults, all graph optimizations on) on the same inputs with the same
thread count, alternating rounds so machine noise hits both, and prints the
medians and the ratio (ORT / xfc: above 1, xfc is faster).

  compare_one.py --xfc-run build/bin/xfc-run --artifact build/demo/bert \\
                 --model-dir build/demo/model [--threads 2] [--rounds 3]
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time


def time_xfc(args, inputs):
    command = [args.xfc_run, args.artifact, "--benchmark", "--threads",
               str(args.threads), "--warmup", "5", "--iterations",
               str(args.iterations)]
    for name, path in inputs.items():
        command += ["--input", f"{name}={path}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("benchmark-json:"):
            return json.loads(line.split(":", 1)[1])["median_ms"]
    sys.exit("xfc-run printed no benchmark-json line:\n" + out.stdout + out.stderr)


def time_ort(session, feeds, iterations):
    for _ in range(5):
        session.run(None, feeds)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        session.run(None, feeds)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xfc-run", required=True)
    parser.add_argument("--artifact", required=True)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import numpy as np
    import onnxruntime as ort

    inputs = {os.path.basename(p)[:-4]: p
              for p in sorted(glob.glob(os.path.join(args.model_dir, "inputs", "*.npy")))}
    feeds = {name: np.load(path) for name, path in inputs.items()}
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(os.path.join(args.model_dir, "model.onnx"),
                                   options, providers=["CPUExecutionProvider"])
    xfc_ms, ort_ms = [], []
    for _ in range(args.rounds):
        xfc_ms.append(time_xfc(args, inputs))
        ort_ms.append(time_ort(session, feeds, args.iterations))
    x, o = statistics.median(xfc_ms), statistics.median(ort_ms)
    print(f"threads {args.threads}: xfc {x:.2f} ms, ONNX Runtime {o:.2f} ms "
          f"(median of {args.rounds} rounds × {args.iterations} runs): "
          f"xfc is {o / x:.2f}× ONNX Runtime's speed")


if __name__ == "__main__":
    main()
