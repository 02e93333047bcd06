#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Structured pruning's speed and accuracy against unpruned xfc and ONNX
Runtime fp32, measured in one run (issue 7).

For MiniLM-L6 (trained all-MiniLM-L6-v2 weights) and BERT-base (random
weights), batch 1, seq 128, on real-text input sets (ort_quant.prepare),
compiles with xfc:
  * fp32 (unpruned);
  * --prune-heads=0.3 --prune-ffn=0.4 (heads by measured removal, neurons
    by Wanda);
  * the same plus --quantize=w8a8;
  * --prune-budget=flops:0.6 (heads and neuron groups by output change
    per FLOP);
all calibrated on the same directory with the accuracy gate off (pruning
without retraining moves the output; the point is to report how far).
Times every artifact with xfc-run --benchmark and ORT fp32 with
compare_one.time_ort, in interleaved rounds, same threads. Accuracy is on
the held-out samples: xfc's report (last_hidden_state cosine, padding left
out) and the sentence-embedding cosine against ORT fp32.

  prune_speedup.py [--model minilm|bert-base] [--threads 2] [--rounds 3]

Goals (issue 7): heads 30% + FFN 40% >= 1.5x unpruned xfc; with w8a8
>= 3.5x xfc fp32.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "test" / "models"))

import ort_quant  # noqa: E402
from compare_one import time_ort  # noqa: E402
from quant_vs_ort import embeddings, run, xfc_median_ms  # noqa: E402
from xfc_models.text_inputs import read_input_sets  # noqa: E402

UNGATED = ["--quant-min-cosine=0", "--quant-min-argmax=0"]
VARIANTS = {
    "fp32": [],
    "heads30+ffn40": ["--prune-heads=0.3", "--prune-ffn=0.4"] + UNGATED,
    "heads30+ffn40+w8a8": ["--prune-heads=0.3", "--prune-ffn=0.4",
                           "--quantize=w8a8"] + UNGATED,
    "budget flops:0.6": ["--prune-budget=flops:0.6"] + UNGATED,
}


def bench_model(name: str, args, work: Path) -> dict:
    model, calibration = ort_quant.prepare(name, work, args.samples, 0)
    sets = read_input_sets(calibration)
    held_out = sets[len(sets) - max(1, round(len(sets) * 0.25)):]
    bench_dir = Path(calibration) / held_out[0][0]
    inputs = {p.stem: str(p) for p in sorted(bench_dir.glob("*.npy"))}

    import onnxruntime as ort_rt
    options = ort_rt.SessionOptions()
    options.intra_op_num_threads = args.threads
    session = ort_rt.InferenceSession(model, options,
                                      providers=["CPUExecutionProvider"])
    feeds = {k: np.load(v) for k, v in inputs.items()}
    result = {"model": name, "xfc": {}, "ort_ms_rounds": []}
    for variant, flags in VARIANTS.items():
        artifact = str(work / f"{name}-prune-{variant.replace(' ', '-')}")
        report = artifact + ".json"
        cmd = [args.xfc, model, "--target=cpu", "-o", artifact] + flags
        if flags:
            cmd += ["--calibration", calibration, "--quant-report", report]
        ort_quant.log(f"[{name}] xfc {variant}")
        run(cmd)
        entry = {"artifact": artifact, "ms_rounds": []}
        if flags:
            summary = json.loads(Path(report).read_text())
            pruning = summary["pruning"]
            entry["flops"] = pruning["gemm_flops_after"] / pruning["gemm_flops_before"]
            entry["params"] = pruning["gemm_params_after"] / pruning["gemm_params_before"]
            entry["cosine"] = next(o["cosine"] for o in summary["evaluation"]["outputs"]
                                   if o["name"] == "last_hidden_state")
        worst = 1.0
        for sample, sample_feeds in held_out:
            out = work / f"{name}-prune-out"
            run([args.xfc_run, artifact, "--output-dir", str(out)] +
                [f"--input={k}={Path(calibration) / sample / (k + '.npy')}"
                 for k in sample_feeds])
            got = np.load(out / "last_hidden_state.npy")
            want = session.run(["last_hidden_state"], sample_feeds)[0]
            mask = sample_feeds["attention_mask"].astype(np.float64)
            worst = min(worst, float((embeddings(got, mask) *
                                      embeddings(want, mask)).sum(-1).min()))
        entry["embedding_cosine_min"] = worst
        result["xfc"][variant] = entry
    for _ in range(args.rounds):
        result["ort_ms_rounds"].append(time_ort(session, feeds, args.iterations))
        for entry in result["xfc"].values():
            entry["ms_rounds"].append(xfc_median_ms(
                args.xfc_run, entry["artifact"], inputs, args.threads,
                args.iterations))
    result["ort_ms"] = statistics.median(result["ort_ms_rounds"])
    for entry in result["xfc"].values():
        entry["ms"] = statistics.median(entry["ms_rounds"])
    return result


def table(results: list[dict]) -> str:
    lines = ["| model | variant | ms | unpruned xfc / this | ORT fp32 / this | "
             "GEMM FLOPs kept | held-out cosine (report) | "
             "worst sentence-embedding cos vs ORT |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = r["xfc"]["fp32"]["ms"]
        lines.append(f"| {r['model']} | ORT fp32 | {r['ort_ms']:.2f} | "
                     f"{base / r['ort_ms']:.2f} | 1.00 | | | |")
        for variant, e in r["xfc"].items():
            flops = f"{e['flops']:.1%}" if "flops" in e else "100%"
            cosine = f"{e['cosine']:.4f}" if "cosine" in e else ""
            lines.append(
                f"| {r['model']} | xfc {variant} | {e['ms']:.2f} | "
                f"{base / e['ms']:.2f} | {r['ort_ms'] / e['ms']:.2f} | {flops} | "
                f"{cosine} | {e['embedding_cosine_min']:.4f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xfc", default=str(ROOT / "build" / "bin" / "xfc"))
    ap.add_argument("--xfc-run", default=str(ROOT / "build" / "bin" / "xfc-run"))
    ap.add_argument("--work-dir", default="/tmp/xfc-prune-bench")
    ap.add_argument("--model", action="append", choices=["minilm", "bert-base"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--json")
    args = ap.parse_args()
    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    results = [bench_model(m, args, work)
               for m in args.model or ["minilm", "bert-base"]]
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
