#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""xfc's int8 models against xfc fp32, ONNX Runtime fp32 and ONNX Runtime's
own int8 models, speed and accuracy in one run (issue 6).

For MiniLM-L6 (trained all-MiniLM-L6-v2 weights) and BERT-base (random
weights), batch 1, seq 128, on real-text input sets (ort_quant.prepare):
  * ORT: fp32, quantize_dynamic (per-channel int8, the faster and more
    accurate ORT int8 here) and quantize_static (QDQ, weight MatMuls), all
    calibrated on the same fitting samples (ort_quant.evaluate);
  * xfc: fp32, --quantize=w8a8 (static, minmax) and w8a8-dynamic, each with
    its default accuracy gate, calibrated on the same directory;
then times every model with the same threads, xfc with xfc-run --benchmark
and ORT with compare_one.time_ort, xfc and ORT rounds interleaved.
Accuracy is on the held-out samples, padding positions left out: xfc's
own report (last_hidden_state cosine) and, for both, the sentence-embedding
cosine against ORT fp32.

  quant_vs_ort.py [--work-dir DIR] [--threads 2] [--rounds 3] [--json OUT]

Goals (issue 6): xfc w8a8 >= 2.5x xfc fp32 and >= 1.3x ORT int8, within
the gate.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "test" / "models"))

import ort_quant  # noqa: E402
from xfc_models.text_inputs import read_input_sets  # noqa: E402

XFC_VARIANTS = {
    "fp32": [],
    "w8a8": ["--quantize=w8a8"],
    "w8a8-dynamic": ["--quantize=w8a8-dynamic"],
}


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True)


def xfc_median_ms(xfc_run: str, artifact: str, inputs: dict, threads: int,
                  iterations: int) -> float:
    cmd = [xfc_run, artifact, "--benchmark", "--threads", str(threads),
           "--warmup", "5", "--iterations", str(iterations)]
    for name, path in inputs.items():
        cmd += ["--input", f"{name}={path}"]
    out = run(cmd)
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("benchmark-json:"):
            return json.loads(line.split(":", 1)[1])["median_ms"]
    raise SystemExit("xfc-run printed no benchmark-json line")


def embeddings(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=-1, keepdims=True)


def bench_model(name: str, args, work: Path) -> dict:
    model, calibration = ort_quant.prepare(name, work, args.samples, 0)
    ort_quant.log(f"[{name}] ONNX Runtime fp32 / dynamic / static")
    ort = ort_quant.evaluate(model, calibration, str(work / f"{name}-ort"),
                             threads=args.threads, iterations=args.iterations,
                             rounds=args.rounds, per_channel="yes",
                             static="weights")
    sets = read_input_sets(calibration)
    held_out = sets[len(sets) - max(1, round(len(sets) * 0.25)):]
    bench_dir = Path(calibration) / held_out[0][0]
    inputs = {p.stem: str(p) for p in sorted(bench_dir.glob("*.npy"))}

    import onnxruntime as ort_rt
    fp32 = ort_rt.InferenceSession(model, providers=["CPUExecutionProvider"])
    result = {"model": name, "ort": ort, "xfc": {}}
    for variant, flags in XFC_VARIANTS.items():
        artifact = str(work / f"{name}-xfc-{variant}")
        report = artifact + ".json"
        cmd = [args.xfc, model, "--target=cpu", "-o", artifact] + flags
        if flags:
            cmd += ["--calibration", calibration, "--quant-report", report]
        ort_quant.log(f"[{name}] xfc {variant}")
        run(cmd)
        entry = {"artifact": artifact}
        if flags:
            summary = json.loads(Path(report).read_text())
            entry["gate_passed"] = summary["gate_passed"]
            entry["quantized"] = sum(g["quantized"] for g in summary["gemms"])
            entry["gemms"] = len(summary["gemms"])
            entry["cosine"] = next(o["cosine"] for o in summary["evaluation"]["outputs"]
                                   if o["name"] == "last_hidden_state")
        # Sentence embeddings against ORT fp32 on the held-out sets.
        worst = 1.0
        for sample, feeds in held_out:
            out = work / f"{name}-out-{variant}"
            run([args.xfc_run, artifact, "--output-dir", str(out)] +
                [f"--input={k}={Path(calibration) / sample / (k + '.npy')}" for k in feeds])
            got = np.load(out / "last_hidden_state.npy")
            want = fp32.run(["last_hidden_state"], feeds)[0]
            mask = feeds["attention_mask"].astype(np.float64)
            worst = min(worst, float((embeddings(got, mask) *
                                      embeddings(want, mask)).sum(-1).min()))
        entry["embedding_cosine_min"] = worst
        entry["ms_rounds"] = []
        result["xfc"][variant] = entry
    for _ in range(args.rounds):
        for variant in XFC_VARIANTS:
            entry = result["xfc"][variant]
            entry["ms_rounds"].append(xfc_median_ms(
                args.xfc_run, entry["artifact"], inputs, args.threads,
                args.iterations))
    for entry in result["xfc"].values():
        entry["ms"] = statistics.median(entry["ms_rounds"])
    return result


def table(results: list[dict]) -> str:
    lines = ["| model | variant | ms | xfc fp32 / this | ORT fp32 / this | "
             "ORT int8 dyn / this | int8 GEMMs | worst sentence-embedding cos | "
             "xfc gate cosine |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ort = r["ort"]["variants"]
        xfc_fp32 = r["xfc"]["fp32"]["ms"]
        for key, label in (("fp32", "ORT fp32"), ("dynamic-pc", "ORT int8 dynamic"),
                           ("static-w", "ORT int8 static QDQ")):
            ms = ort[key]["ms"]
            acc = ort[key].get("accuracy") or {}
            emb = acc.get("sentence_embedding", {}).get("cos_min")
            lines.append(f"| {r['model']} | {label} | {ms:.2f} | {xfc_fp32 / ms:.2f} | "
                         f"{ort['fp32']['ms'] / ms:.2f} | {ort['dynamic-pc']['ms'] / ms:.2f} | "
                         f"{'all' if key != 'fp32' else ''} | "
                         f"{'' if emb is None else f'{emb:.4f}'} | |")
        for variant, entry in r["xfc"].items():
            ms = entry["ms"]
            gemms = f"{entry['quantized']}/{entry['gemms']}" if "gemms" in entry else ""
            cosine = f"{entry['cosine']:.4f}" if "cosine" in entry else ""
            lines.append(
                f"| {r['model']} | xfc {variant} | {ms:.2f} | {xfc_fp32 / ms:.2f} | "
                f"{ort['fp32']['ms'] / ms:.2f} | {ort['dynamic-pc']['ms'] / ms:.2f} | "
                f"{gemms} | {entry['embedding_cosine_min']:.4f} | {cosine} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--xfc", default=str(ROOT / "build" / "bin" / "xfc"))
    ap.add_argument("--xfc-run", default=str(ROOT / "build" / "bin" / "xfc-run"))
    ap.add_argument("--work-dir", default="/tmp/xfc-quant-bench")
    ap.add_argument("--model", action="append", choices=["minilm", "bert-base"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--samples", type=int, default=64)
    ap.add_argument("--json")
    args = ap.parse_args()
    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    results = [bench_model(m, args, work) for m in args.model or ["minilm", "bert-base"]]
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
