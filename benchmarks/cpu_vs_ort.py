#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""xfc's CPU backend against ONNX Runtime, fp32, batch 1, sequence 128 or 512 (issues 4, 5).

For each model (a BERT-base-shaped encoder, a MiniLM-L6-shaped one and a
GPT-2-small-shaped decoder, made by test/models/generate.py): generate it
into the work directory (only when missing), compile it with
`xfc --target=cpu --progress` (wall time, the compiler's peak RSS and its
phase times), check xfc's outputs against the generator's ONNX Runtime
reference (`xfc-run --expected`), then time both engines on the same
inputs:

  xfc  `xfc-run ARTIFACT --benchmark --threads N --warmup W --iterations I`
  ORT  InferenceSession(graph_optimization_level=ORT_ENABLE_ALL,
       intra_op_num_threads=N, inter_op_num_threads=1, CPUExecutionProvider),
       perf_counter around session.run only, inputs made beforehand

in --rounds interleaved rounds (xfc, ORT, ORT, xfc, ...), each engine
running W untimed and I timed runs per round, so that load from elsewhere
falls on both. A round's median and p90 interpolate as numpy.percentile does
(as xfc-run's do); the table gives the median over the rounds of each, and
ratio = ORT median / xfc median (> 1: xfc is faster). The CPU time that other
processes used during the timed rounds is measured from /proc/stat and
reported, since it is what makes a run noisy; --max-load waits for a quiet
machine. xfc, xfc-run and the runtime library are copied into the work
directory first, so that a rebuild during the run does not disturb it.

  .venv/bin/python benchmarks/cpu_vs_ort.py --max-load 0.5 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "test" / "models" / "generate.py"

# name -> generator arguments and the sizes the generated config must have.
# Extra xfc flags (--xfc-flag), for comparisons such as --fusions=false.
XFC_FLAGS: list[str] = []

MODELS = {
    "bert-base": dict(args=["--family", "bert", "--preset", "base"],
                      label="BERT-base (12x768)",
                      expect=dict(layers=12, hidden=768, seq=128, batch=1)),
    "minilm": dict(args=["--family", "bert", "--preset", "minilm"],
                   label="MiniLM-L6 (6x384)",
                   expect=dict(layers=6, hidden=384, seq=128, batch=1)),
    "bert-base-512": dict(args=["--family", "bert", "--preset", "base",
                                "--seq", "512"],
                          label="BERT-base (12x768), seq 512",
                          expect=dict(layers=12, hidden=768, seq=512, batch=1)),
    "minilm-512": dict(args=["--family", "bert", "--preset", "minilm",
                             "--seq", "512", "--max-pos", "512"],
                       label="MiniLM-L6 (6x384), seq 512",
                       expect=dict(layers=6, hidden=384, seq=512, batch=1)),
    "gpt2-base": dict(args=["--family", "gpt2", "--preset", "base"],
                      label="GPT-2 small (12x768)",
                      expect=dict(layers=12, hidden=768, seq=128, batch=1)),
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Machine and versions
# --------------------------------------------------------------------------

# A few family/model numbers, for KVM guests whose model name is generic.
CPU_CODENAMES = {
    ("GenuineIntel", 6, 85): "Skylake-SP / Cascade Lake",
    ("GenuineIntel", 6, 106): "Ice Lake-SP",
    ("GenuineIntel", 6, 143): "Sapphire Rapids",
    ("GenuineIntel", 6, 207): "Emerald Rapids",
    ("GenuineIntel", 6, 173): "Granite Rapids",
    ("AuthenticAMD", 25, None): "Zen 3 / Zen 4",
    ("AuthenticAMD", 26, None): "Zen 5",
}


def machine_info() -> dict:
    fields: dict[str, str] = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if not line.strip():
                break  # the first processor is enough
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
    flags = fields.get("flags", "").split()
    vendor = fields.get("vendor_id", "")
    family = int(fields.get("cpu family", "0") or 0)
    model = int(fields.get("model", "0") or 0)
    codename = (CPU_CODENAMES.get((vendor, family, model))
                or CPU_CODENAMES.get((vendor, family, None)))
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "cpu_model": fields.get("model name", "unknown"),
        "vendor": vendor, "family": family, "model": model,
        "stepping": fields.get("stepping"),
        "codename": codename,
        "logical_cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "hypervisor": "hypervisor" in flags,
        "avx512_flags": [f for f in flags if f.startswith("avx512")],
        "amx_flags": [f for f in flags if f.startswith("amx")],
        "memory_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
    }


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty",
             "--abbrev=12"], capture_output=True, text=True,
            check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions(xfc: Path) -> dict:
    import onnxruntime as ort
    try:
        built = time.strftime("%Y-%m-%d %H:%M:%S",
                              time.localtime(xfc.stat().st_mtime))
    except OSError:
        built = None
    return {"onnxruntime": ort.__version__, "numpy": np.__version__,
            "python": platform.python_version(), "xfc_git": git_commit(),
            "xfc_binary_mtime": built}


# --------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------

def load1() -> float:
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def loadavg() -> list[float]:
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def wait_for_load(max_load: float, max_wait: float) -> dict:
    start = time.monotonic()
    first = load1()
    while load1() >= max_load and time.monotonic() - start < max_wait:
        log(f"waiting: 1-minute load {load1():.2f} >= {max_load}")
        time.sleep(15)
    waited = time.monotonic() - start
    now = loadavg()
    if now[0] >= max_load:
        log(f"warning: 1-minute load still {now[0]:.2f} after {waited:.0f} s; "
            "measuring anyway")
    return {"max_load": max_load, "load_before_wait": first,
            "waited_s": round(waited, 1), "loadavg_at_start": now}


def other_cpus(window: float = 5.0) -> float:
    """CPUs' worth of time that processes other than this one (and its
    waited-for children) used over the next `window` seconds."""
    m = CpuMeter()
    m.start()
    time.sleep(window)
    m.stop()
    return m.foreign_s / m.wall_s


def wait_for_quiet(max_cpus: float, max_wait: float) -> float:
    """Waits until other processes use less than `max_cpus` CPUs over a 5 s
    window (the load average cannot say this once we are running: our own
    runs count in it); returns the seconds waited."""
    start = time.monotonic()
    while (busy := other_cpus()) >= max_cpus:
        if time.monotonic() - start >= max_wait:
            log(f"warning: other processes still use {busy:.2f} CPUs after "
                f"{max_wait:.0f} s; measuring anyway")
            break
        log(f"waiting: other processes use {busy:.2f} CPUs >= {max_cpus}")
    return time.monotonic() - start


class CpuMeter:
    """CPU time used by processes other than this one and its children, from
    /proc/stat's busy jiffies less our own os.times() (children count once
    they have been waited for, which they have at each read)."""

    def __init__(self) -> None:
        self.tick = os.sysconf("SC_CLK_TCK")
        self.ncpu = os.cpu_count() or 1
        self.foreign_s = 0.0
        self.steal_s = 0.0
        self.wall_s = 0.0

    def _read(self):
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal ...
        busy = v[0] + v[1] + v[2] + v[5] + v[6]
        steal = v[7] if len(v) > 7 else 0
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return time.monotonic(), busy / self.tick, steal / self.tick, own

    def start(self):
        self._start = self._read()

    def stop(self):
        w1, b1, s1, o1 = self._read()
        w0, b0, s0, o0 = self._start
        self.wall_s += w1 - w0
        self.foreign_s += max(0.0, (b1 - b0) - (o1 - o0))
        self.steal_s += s1 - s0

    def summary(self) -> dict:
        cap = max(self.wall_s * self.ncpu, 1e-9)
        return {"timed_wall_s": round(self.wall_s, 1),
                "other_processes_cpu_s": round(self.foreign_s, 1),
                "other_processes_cpu_fraction": round(self.foreign_s / cap, 4),
                "steal_s": round(self.steal_s, 1)}


# --------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------

def snapshot_tools(bin_dir: Path, work_dir: Path) -> tuple[Path, Path]:
    """Copies xfc, xfc-run and the build's shared libraries they load into
    WORK/tools/{bin,lib}, so that a rebuild during the run changes nothing
    (the binaries find ../lib first through their $ORIGIN runpath)."""
    build = bin_dir.resolve().parent
    dest = work_dir / "tools"
    (dest / "bin").mkdir(parents=True, exist_ok=True)
    (dest / "lib").mkdir(parents=True, exist_ok=True)
    tools = []
    for name in ("xfc", "xfc-run"):
        src = bin_dir / name
        ldd = subprocess.run(["ldd", str(src)], capture_output=True, text=True,
                             check=True).stdout
        for lib in re.findall(r"=> (\S+) \(", ldd):
            lib = Path(lib).resolve()
            if lib.is_relative_to(build):
                shutil.copy2(lib, dest / "lib" / lib.name)
        shutil.copy2(src, dest / "bin" / name)
        tools.append(dest / "bin" / name)
        subprocess.run([str(tools[-1]), "--version"], capture_output=True,
                       check=True)
    return tools[0], tools[1]


def run_measured(cmd: list[str], log_path: Path) -> tuple[int, float, int, str]:
    """Runs `cmd`, returns (exit code, wall s, peak RSS bytes, output); the
    RSS is this child's own (wait4), not the maximum over all children."""
    with open(log_path, "w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    return proc.returncode, wall, usage.ru_maxrss * 1024, text


def model_ready(d: Path, expect: dict) -> bool:
    cfg_path = d / "config.json"
    if not (cfg_path.is_file() and (d / "model.onnx").is_file()):
        return False
    cfg = json.loads(cfg_path.read_text())
    if not cfg.get("reference_available"):
        return False
    if any(not (d / "inputs" / f"{n}.npy").is_file() for n in cfg["inputs"]):
        return False
    if any(not (d / "reference" / f"{n}.npy").is_file() for n in cfg["outputs"]):
        return False
    return all(cfg["config"].get(k) == v for k, v in expect.items())


def generate(name: str, d: Path, python: str) -> dict:
    spec = MODELS[name]
    if not model_ready(d, spec["expect"]):
        log(f"[{name}] generating into {d}")
        cmd = [python, str(GENERATOR), *spec["args"], "-o", str(d)]
        subprocess.run(cmd, check=True)
        if not model_ready(d, spec["expect"]):
            raise SystemExit(f"error: {d}: the generated model is not "
                             f"{spec['expect']} or has no reference")
    else:
        log(f"[{name}] using cached {d}")
    return json.loads((d / "config.json").read_text())


def compile_xfc(name: str, d: Path, xfc: Path) -> dict:
    out = d / "xfc"
    out.mkdir(exist_ok=True)
    for p in (out / "model.so", out / "model.weights"):
        p.unlink(missing_ok=True)
    cmd = [str(xfc), str(d / "model.onnx"), "--target=cpu", "-o",
           str(out / "model"), "--progress", *XFC_FLAGS]
    log(f"[{name}] compiling: {shlex.join(cmd)}")
    rc, wall, rss, text = run_measured(cmd, d / "xfc-compile.log")
    if rc != 0:
        raise SystemExit(f"error: xfc failed on {name} (exit {rc}):\n{text}")
    phases = {m.group(1): float(m.group(2)) for m in
              re.finditer(r"^xfc: (\S+)\s+([0-9.]+) s$", text, re.M)}
    log(f"[{name}] compiled in {wall:.2f} s, peak RSS {rss / 2**20:.0f} MiB")
    return {"wall_s": round(wall, 3), "peak_rss_bytes": rss,
            "phases_s": phases, "artifact": str(out / "model")}


def input_args(d: Path, cfg: dict) -> list[str]:
    return [a for n in cfg["inputs"]
            for a in ("--input", f"{n}={d / 'inputs' / (n + '.npy')}")]


def check_xfc(name: str, d: Path, cfg: dict, xfc_run: Path, artifact: str,
              atol: float, rtol: float) -> dict:
    cmd = [str(xfc_run), artifact, *input_args(d, cfg), "--expected",
           str(d / "reference"), "--atol", str(atol), "--rtol", str(rtol)]
    rc, _, _, text = run_measured(cmd, d / "xfc-check.log")
    if rc not in (0, 1):
        raise SystemExit(f"error: xfc-run failed on {name} (exit {rc}):\n{text}")
    errors = {m.group(1): float(m.group(2)) for m in re.finditer(
        r"^output '(.*)': max abs error (\S+),", text, re.M)}
    result = {"ok": rc == 0, "atol": atol, "rtol": rtol,
              "max_abs_error": max(errors.values()) if errors else None,
              "per_output": errors}
    log(f"[{name}] xfc vs ORT reference: max abs error "
        f"{result['max_abs_error']:.2g} ({'ok' if rc == 0 else 'FAILED'})")
    return result


def stats(samples_ms: list[float]) -> dict:
    a = np.asarray(samples_ms)
    return {"median_ms": float(np.percentile(a, 50)),
            "p90_ms": float(np.percentile(a, 90)),
            "min_ms": float(a.min()), "mean_ms": float(a.mean())}


def time_xfc(name: str, d: Path, cfg: dict, xfc_run: Path, artifact: str,
             threads: int, warmup: int, iterations: int) -> dict:
    cmd = [str(xfc_run), artifact, *input_args(d, cfg), "--benchmark",
           "--threads", str(threads), "--warmup", str(warmup),
           "--iterations", str(iterations)]
    rc, _, _, text = run_measured(cmd, d / f"xfc-bench-t{threads}.log")
    m = re.search(r"^benchmark-json: (\{.*\})$", text, re.M)
    if rc != 0 or not m:
        raise SystemExit(f"error: xfc-run --benchmark failed on {name} "
                         f"(exit {rc}):\n{text}")
    r = json.loads(m.group(1))
    if r["threads"] != threads:
        raise SystemExit(f"error: xfc-run ran {r['threads']} threads, not {threads}")
    return {k: r[k] for k in ("median_ms", "p90_ms", "min_ms", "mean_ms")}


def ort_session(d: Path, threads: int):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(str(d / "model.onnx"), so,
                                providers=["CPUExecutionProvider"])


def time_ort(sess, feed: dict, warmup: int, iterations: int) -> dict:
    for _ in range(warmup):
        sess.run(None, feed)
    samples = []
    perf = time.perf_counter
    for _ in range(iterations):
        start = perf()
        sess.run(None, feed)
        samples.append((perf() - start) * 1e3)
    return stats(samples)


def check_ort(sess, feed: dict, d: Path, cfg: dict) -> float:
    """ORT's max abs difference from the stored reference: shows that the
    same inputs are being fed (threads may change the rounding a little)."""
    outs = sess.run(list(cfg["outputs"]), feed)
    return max(float(np.max(np.abs(o - np.load(d / "reference" / f"{n}.npy"))))
               for n, o in zip(cfg["outputs"], outs))


def benchmark(name: str, d: Path, cfg: dict, xfc_run: Path, artifact: str,
              threads: int, args, meter: CpuMeter) -> dict:
    feed = {n: np.load(d / "inputs" / f"{n}.npy") for n in cfg["inputs"]}
    sess = ort_session(d, threads)
    ort_diff = check_ort(sess, feed, d, cfg)
    rounds = {"xfc": [], "ort": []}
    loads = []
    waited = 0.0
    if args.max_load is not None:
        waited = wait_for_quiet(args.max_load, args.max_wait)
    for r in range(args.rounds):
        order = ("xfc", "ort") if r % 2 == 0 else ("ort", "xfc")
        for engine in order:
            meter.start()
            if engine == "xfc":
                res = time_xfc(name, d, cfg, xfc_run, artifact, threads,
                               args.warmup, args.iterations)
            else:
                res = time_ort(sess, feed, args.warmup, args.iterations)
            meter.stop()
            rounds[engine].append(res)
        loads.append(load1())
        log(f"[{name}] threads {threads} round {r + 1}/{args.rounds}: "
            f"xfc {rounds['xfc'][-1]['median_ms']:.2f} ms, "
            f"ORT {rounds['ort'][-1]['median_ms']:.2f} ms (median); "
            f"load {loads[-1]:.2f}")
    del sess

    def agg(engine, key):
        return statistics.median(x[key] for x in rounds[engine])

    per_round_ratio = [o["median_ms"] / x["median_ms"]
                       for x, o in zip(rounds["xfc"], rounds["ort"])]
    return {
        "model": name, "threads": threads,
        "xfc": {"median_ms": agg("xfc", "median_ms"), "p90_ms": agg("xfc", "p90_ms"),
                "rounds": rounds["xfc"]},
        "ort": {"median_ms": agg("ort", "median_ms"), "p90_ms": agg("ort", "p90_ms"),
                "rounds": rounds["ort"], "max_abs_diff_from_reference": ort_diff},
        "ratio": agg("ort", "median_ms") / agg("xfc", "median_ms"),
        "per_round_ratio": per_round_ratio,
        "load1_after_each_round": loads,
        "waited_for_quiet_s": round(waited, 1),
    }


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt_table(results: list[dict], checks: dict) -> str:
    rows = ["| model | threads | xfc median / p90 ms | ORT median / p90 ms "
            "| ratio ORT/xfc (rounds) | xfc max abs err |",
            "|---|---|---|---|---|---|"]
    for r in results:
        c = checks[r["model"]]
        err = f"{c['max_abs_error']:.1e}" + ("" if c["ok"] else " FAILED")
        lo, hi = min(r["per_round_ratio"]), max(r["per_round_ratio"])
        rows.append(
            f"| {MODELS[r['model']]['label']} | {r['threads']} "
            f"| {r['xfc']['median_ms']:.2f} / {r['xfc']['p90_ms']:.2f} "
            f"| {r['ort']['median_ms']:.2f} / {r['ort']['p90_ms']:.2f} "
            f"| **{r['ratio']:.2f}** ({lo:.2f}–{hi:.2f}) | {err} |")
    return "\n".join(rows)


def fmt_compile(compiles: dict) -> str:
    rows = ["| model | xfc compile wall | compiler peak RSS | phases |",
            "|---|---|---|---|"]
    for name, c in compiles.items():
        phases = ", ".join(f"{k} {v:.2f} s"
                           for k, v in c["phases_s"].items()) or "—"
        rows.append(f"| {MODELS[name]['label']} | {c['wall_s']:.2f} s "
                    f"| {c['peak_rss_bytes'] / 1e9:.2f} GB | {phases} |")
    return "\n".join(rows)


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    p.add_argument("--models", default=",".join(MODELS),
                   help=f"comma-separated, from {','.join(MODELS)} (default: all)")
    p.add_argument("--threads", default="1,2",
                   help="comma-separated thread counts (default 1,2)")
    p.add_argument("--warmup", type=int, default=10,
                   help="untimed runs per engine per round (default 10)")
    p.add_argument("--iterations", type=int, default=50,
                   help="timed runs per engine per round (default 50)")
    p.add_argument("--rounds", type=int, default=3,
                   help="interleaved rounds per model and thread count (default 3)")
    p.add_argument("--work-dir", type=Path,
                   default=Path(tempfile.gettempdir()) / "xfc-cpu-vs-ort",
                   help="models and artifacts; models are generated only when "
                        "missing (default: $TMPDIR/xfc-cpu-vs-ort)")
    p.add_argument("--bin-dir", type=Path, default=ROOT / "build" / "bin",
                   help="where xfc and xfc-run are (default build/bin)")
    p.add_argument("--atol", type=float, default=1e-4,
                   help="tolerance of the accuracy check (default 1e-4)")
    p.add_argument("--rtol", type=float, default=1e-4,
                   help="tolerance of the accuracy check (default 1e-4)")
    p.add_argument("--max-load", type=float, default=None,
                   help="before starting, wait until the 1-minute load average "
                        "is below this, and before each model and thread count "
                        "until other processes use fewer CPUs than this over "
                        "5 s (default: do not wait)")
    p.add_argument("--max-wait", type=float, default=600,
                   help="give up each wait for --max-load after this many "
                        "seconds and measure anyway (default 600)")
    p.add_argument("--xfc-flag", action="append", default=[],
                   help="extra xfc flag (repeatable), e.g. --fusions=false")
    p.add_argument("--json", type=Path, help="write machine-readable results here")
    args = p.parse_args()
    XFC_FLAGS.extend(args.xfc_flag)

    models = [m.strip() for m in args.models.split(",") if m.strip()]
    for m in models:
        if m not in MODELS:
            p.error(f"unknown model {m!r}; choose from {', '.join(MODELS)}")
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    if (not threads or any(t < 1 for t in threads) or args.iterations < 1
            or args.warmup < 0 or args.rounds < 1):
        p.error("--threads must be positive, --iterations and --rounds >= 1")
    xfc, xfc_run = args.bin_dir / "xfc", args.bin_dir / "xfc-run"
    for tool in (xfc, xfc_run):
        if not os.access(tool, os.X_OK):
            p.error(f"{tool} not found; build xfc first or pass --bin-dir")
    args.work_dir.mkdir(parents=True, exist_ok=True)

    machine, vers = machine_info(), versions(xfc)
    xfc, xfc_run = snapshot_tools(args.bin_dir, args.work_dir)
    py = Path(sys.executable)
    if py.is_relative_to(ROOT):
        py = py.relative_to(ROOT)
    command = shlex.join([str(py), *sys.argv])
    configs = {}
    for m in models:
        configs[m] = generate(m, args.work_dir / m, sys.executable)

    load = (wait_for_load(args.max_load, args.max_wait)
            if args.max_load is not None else {"loadavg_at_start": loadavg()})
    log(f"load average at start: {load['loadavg_at_start']}")

    compiles, checks, results = {}, {}, []
    meter = CpuMeter()
    for m in models:
        d = args.work_dir / m
        compiles[m] = compile_xfc(m, d, xfc)
        checks[m] = check_xfc(m, d, configs[m], xfc_run,
                              compiles[m]["artifact"], args.atol, args.rtol)
        for t in threads:
            results.append(benchmark(m, d, configs[m], xfc_run,
                                     compiles[m]["artifact"], t, args, meter))
    load["loadavg_at_end"] = loadavg()
    noise = meter.summary()

    cpu = machine["cpu_model"]
    if machine["codename"]:
        cpu += f" (family {machine['family']} model {machine['model']}: " \
               f"{machine['codename']})"
    print(f"machine: {cpu}; {machine['logical_cpus']} logical CPUs "
          f"({machine['usable_cpus']} usable)"
          f"{', KVM/hypervisor guest' if machine['hypervisor'] else ''}; "
          f"{machine['memory_gib']} GiB")
    print(f"AVX-512: {' '.join(machine['avx512_flags']) or 'none'}"
          f"{'; AMX: ' + ' '.join(machine['amx_flags']) if machine['amx_flags'] else '; no AMX'}")
    print(f"versions: onnxruntime {vers['onnxruntime']}, xfc {vers['xfc_git']} "
          f"(build/bin/xfc built {vers['xfc_binary_mtime']}), numpy {vers['numpy']}, "
          f"python {vers['python']}")
    print(f"settings: fp32, batch 1, seq 128 (512 for the -512 models); {args.rounds} interleaved rounds x "
          f"({args.warmup} warm-up + {args.iterations} timed runs) per engine; "
          f"median/p90 = median over rounds")
    la0, la1 = load["loadavg_at_start"], load["loadavg_at_end"]
    print(f"load average (1/5/15 min): {la0[0]:.2f}/{la0[1]:.2f}/{la0[2]:.2f} "
          f"at start, {la1[0]:.2f}/{la1[1]:.2f}/{la1[2]:.2f} at end; other "
          f"processes used {noise['other_processes_cpu_s']:.1f} CPU-s "
          f"({100 * noise['other_processes_cpu_fraction']:.1f}% of the machine) "
          f"during {noise['timed_wall_s']:.0f} s of timed rounds; "
          f"steal {noise['steal_s']:.1f} s")
    print()
    print(fmt_table(results, checks))
    print()
    print(fmt_compile(compiles))

    if args.json:
        args.json.write_text(json.dumps({
            "command": command, "machine": machine, "versions": vers,
            "settings": {"warmup": args.warmup, "iterations": args.iterations,
                         "rounds": args.rounds, "threads": threads,
                         "models": models, "dtype": "fp32",
                         "ort": {"graph_optimization_level": "ORT_ENABLE_ALL",
                                 "inter_op_num_threads": 1,
                                 "execution_mode": "ORT_SEQUENTIAL",
                                 "provider": "CPUExecutionProvider"}},
            "load": load, "noise": noise,
            "models": {m: {"generator_args": MODELS[m]["args"],
                           "config": configs[m]["config"],
                           "compile": compiles[m], "check": checks[m]}
                       for m in models},
            "results": results,
        }, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 0 if all(c["ok"] for c in checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
