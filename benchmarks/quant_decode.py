#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Weight-only quantization on a LLaMA-shaped decoder (issue 6): time per
token of one decode step, fp32 against w8 and w4, with xfc.

The model is the generator's llama-1b preset (16 layers, hidden 2048, 32
query / 8 KV heads, FFN 8192, vocabulary 32000: 1.10 B parameters, random
weights) at batch 1 and sequence 1: one token through every layer and the
LM head, which is what a decode step costs in weight traffic (the attention
over earlier tokens, absent here, is small next to it at short contexts).
The quantized models are made by pass-pipeline scripting, without the
accuracy gate (random weights make accuracy meaningless):

  xfc model.onnx -o m.mlirbc
  xfc-opt m.mlirbc --xf-quantize="mode=w4 group-size=128" -o m-w4.mlirbc
  xfc m-w4.mlirbc --target=cpu -o m-w4

Prints the median latency of each (xfc-run --benchmark, rounds
interleaved), the weights file size and the speedup over fp32.

  quant_decode.py [--work-dir DIR] [--threads 2] [--rounds 3]

Goal (issue 6): w4 >= 2.5x faster per token than fp32.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = {
    "fp32": None,
    "w8-g128": "mode=w8 group-size=128",
    "w4-g128": "mode=w4 group-size=128",
}


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def median_ms(xfc_run: str, artifact: Path, inputs: Path, threads: int,
              iterations: int) -> float:
    cmd = [xfc_run, str(artifact), "--benchmark", "--threads", str(threads),
           "--warmup", "5", "--iterations", str(iterations)]
    for path in sorted(inputs.glob("*.npy")):
        cmd += ["--input", f"{path.stem}={path}"]
    out = run(cmd)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("benchmark-json:"):
            return json.loads(line.split(":", 1)[1])["median_ms"]
    raise SystemExit("xfc-run printed no benchmark-json line")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bin_dir = ROOT / "build" / "bin"
    ap.add_argument("--xfc", default=str(bin_dir / "xfc"))
    ap.add_argument("--xfc-opt", default=str(bin_dir / "xfc-opt"))
    ap.add_argument("--xfc-run", default=str(bin_dir / "xfc-run"))
    ap.add_argument("--work-dir", default="/tmp/xfc-quant-decode")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    work = Path(args.work_dir)
    model = work / "llama-1b"
    if not (model / "model.onnx").is_file():
        print(f"generating llama-1b (seq 1) into {model}", file=sys.stderr)
        run([sys.executable, str(ROOT / "test" / "models" / "generate.py"),
             "--family", "llama", "--preset", "llama-1b", "--seq", "1",
             "--no-reference", "-q", "-o", str(model)])
    xf = work / "model.mlirbc"
    run([args.xfc, str(model / "model.onnx"), "-o", str(xf)])
    artifacts = {}
    for name, options in VARIANTS.items():
        source = xf
        if options:
            source = work / f"model-{name}.mlirbc"
            run([args.xfc_opt, str(xf), f"--xf-quantize={options}",
                 "--emit-bytecode", "-o", str(source)])
        artifacts[name] = work / name
        print(f"compiling {name}", file=sys.stderr)
        run([args.xfc, str(source), "--target=cpu", "-o", str(artifacts[name])])
    times = {name: [] for name in VARIANTS}
    for r in range(args.rounds):
        for name in (list(VARIANTS) if r % 2 == 0 else list(VARIANTS)[::-1]):
            times[name].append(median_ms(args.xfc_run, artifacts[name],
                                         model / "inputs", args.threads,
                                         args.iterations))
    fp32 = statistics.median(times["fp32"])
    print("| variant | ms / token | weights file | speedup over fp32 |")
    print("|---|---|---|---|")
    for name in VARIANTS:
        ms = statistics.median(times[name])
        size = os.path.getsize(str(artifacts[name]) + ".weights") / 2**20
        print(f"| {name} | {ms:.1f} | {size:.0f} MiB | {fp32 / ms:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
