#!/usr/bin/env python3
# ===- run_node_tests.py - ONNX backend node tests through the CPU backend -===#
# SPDX-License-Identifier: Apache-2.0
# ===------------------------------------------------------------------------===#
"""Compiles the ONNX backend node tests (shipped in the onnx wheel) with
`xfc --target=cpu` and runs them with `xfc-run` against their expected
outputs.

  run_node_tests.py --xfc PATH --xfc-run PATH --xfail node-tests-xfail.txt
                    [--jobs 2] [-k SUBSTRING] [-v] [--update-xfail] [--keep DIR]

The tests are the ones test/Frontend/ONNX/node-tests/import_node_tests.py
imports: every node test whose operators `xfc --list-onnx-operators` reports,
minus the import failures listed in that directory's xfail.txt. For each, the
model is compiled to an artifact and every test_data_set_N is run with
`xfc-run --input NAME=input_I.pb ... --expected DIR`, where DIR holds the
expected output_I.pb under the graph output's name.

Tolerances (|got - exp| <= atol + rtol * |exp|, per the loosest float
output; integer and bool outputs must be exact): see TOLERANCES below, with
per-test exceptions in TEST_TOLERANCES.

Every failure is one of
  compile   xfc exits with an error
  run       xfc-run exits with an error (loading the artifact, shapes, ...)
  mismatch  xfc-run finds an output out of tolerance
  crash     xfc or xfc-run is killed by a signal or prints a stack dump
and must be listed, with that kind, in --xfail ("test_name: kind: detail"
per line; the detail is informative). The script exits 1 on a failure not in
the table, on a failure of another kind than the table says (UNEXPECTED
FAILURE) and on a listed test that passes (UNEXPECTED PASS); a missing
tool ("error") is never expected. --update-xfail rewrites the table from
this run, keeping its leading comment block.

All of them run, so there is no subset: 340 tests take 20-40 s with 2 jobs
on a 2-core machine (most compile in a tenth of a second).
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import time

import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
IMPORT_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "Frontend",
                                           "ONNX", "node-tests"))
sys.path.insert(0, IMPORT_DIR)

from import_node_tests import (node_test_dirs, supported_operators,  # noqa: E402
                               uses_only)

# (atol, rtol) by the element type of a test's float outputs. f32: room for
# a reordered or vectorized f32 computation (polynomial exp/erf/tanh, fused
# multiply-add) against the numpy-computed expected values, whose magnitudes
# are mostly below 10; the largest error of the 304 passing tests is 9.5e-7
# (test_exp, |y| up to 20), 10x inside. f64: a few ulps on such values.
# f16/bf16: one ulp at their precision (they pass exactly now).
TOLERANCES = {
    onnx.TensorProto.FLOAT: (1e-5, 1e-4),
    onnx.TensorProto.DOUBLE: (1e-7, 1e-7),
    onnx.TensorProto.FLOAT16: (1e-3, 1e-3),
    onnx.TensorProto.BFLOAT16: (1e-2, 1e-2),
}
DEFAULT_TOLERANCE = TOLERANCES[onnx.TensorProto.FLOAT]

# Exceptions to TOLERANCES, test name -> (atol, rtol), each with its reason
# (none is needed so far).
TEST_TOLERANCES = {
}

KINDS = ("compile", "run", "mismatch", "crash")


def read_table(path):
    table = {}
    if path and os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(":")
                table[name.strip()] = reason.strip()
    return table


def crashed(proc):
    return proc.returncode < 0 or any(
        marker in proc.stderr for marker in
        ("Stack dump", "PLEASE submit a bug report", "Assertion", "Segmentation fault"))


def first_error(text, workdir):
    lines = text.strip().splitlines()
    line = next((l for l in lines if "error:" in l), lines[0] if lines else "")
    if "error:" in line:
        line = line.split("error:", 1)[1]
    # No temporary paths in the table: "cannot load 'DIR/model': cannot
    # load DIR/model.so: DIR/model.so: undefined symbol: f" says the last part.
    line = re.sub(r"cannot load '[^']*': cannot load (\S+): \1: ",
                  "cannot load the artifact: ", line)
    return line.replace(workdir + os.sep, "").strip()[:300]


def tolerance(name, model):
    if name in TEST_TOLERANCES:
        return TEST_TOLERANCES[name]
    tols = [TOLERANCES[o.type.tensor_type.elem_type] for o in model.graph.output
            if o.type.tensor_type.elem_type in TOLERANCES]
    if not tols:
        return DEFAULT_TOLERANCE
    return max(t[0] for t in tols), max(t[1] for t in tols)


class Result:
    def __init__(self, name):
        self.name = name
        self.kind = None      # None when it passed, else one of KINDS
        self.detail = ""
        self.errors = []      # (output, max abs, max rel) of every comparison
        self.commands = []
        self.seconds = 0.0


OUTPUT_LINE = re.compile(r"output '([^']+)': (?:max abs error (\S+), max rel error (\S+))?")


def run_one(args, name, model_path, workdir):
    start = time.perf_counter()
    result = Result(name)
    try:
        _run_one(args, name, model_path, workdir, result)
    except subprocess.TimeoutExpired as e:
        result.kind, result.detail = "crash", f"timed out after {e.timeout:g} s"
    except OSError as e:  # a missing tool: never an expected failure
        result.kind, result.detail = "error", str(e)
    result.seconds = time.perf_counter() - start
    return result


def _run_one(args, name, model_path, workdir, result):
    out = os.path.join(workdir, name)
    os.makedirs(out, exist_ok=True)
    artifact = os.path.join(out, "model")
    cmd = [args.xfc, model_path, "--target=cpu", "-o", artifact]
    result.commands.append(cmd)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    if crashed(proc):
        result.kind, result.detail = "crash", f"xfc: {first_error(proc.stderr, workdir)}"
        return
    if proc.returncode != 0:
        result.kind, result.detail = "compile", first_error(proc.stderr, workdir)
        return

    model = onnx.load(model_path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    outputs = [o.name for o in model.graph.output]
    atol, rtol = tolerance(name, model)
    test_dir = os.path.dirname(model_path)
    data_sets = sorted(d for d in os.listdir(test_dir) if d.startswith("test_data_set_"))
    for data_set in data_sets:
        data = os.path.join(test_dir, data_set)
        expected = os.path.join(out, "expected-" + data_set)
        os.makedirs(expected, exist_ok=True)
        for index, output in enumerate(outputs):
            link = os.path.join(expected, output + ".pb")
            if not os.path.lexists(link):
                os.symlink(os.path.join(data, f"output_{index}.pb"), link)
        cmd = [args.xfc_run, artifact]
        for index, input_name in enumerate(inputs):
            cmd += ["--input", f"{input_name}={os.path.join(data, f'input_{index}.pb')}"]
        cmd += ["--expected", expected, "--atol", f"{atol:g}", "--rtol", f"{rtol:g}"]
        result.commands.append(cmd)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        text = proc.stdout + proc.stderr
        for line in text.splitlines():
            m = OUTPUT_LINE.match(line)
            if m and m.group(2):
                result.errors.append(m.groups())
        if crashed(proc):
            result.kind, result.detail = "crash", f"xfc-run: {first_error(proc.stderr, workdir)}"
            return
        if proc.returncode == 1:
            failing = [l for l in text.splitlines() if "FAILED" in l]
            result.kind = "mismatch"
            result.detail = (failing[0] if failing else first_error(text, workdir))[:300]
            return
        if proc.returncode != 0:
            result.kind, result.detail = "run", first_error(proc.stderr, workdir)
            return


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xfc", required=True)
    parser.add_argument("--xfc-run", required=True)
    parser.add_argument("--xfail", required=True, help="this runner's expected failures")
    parser.add_argument("--import-xfail", default=os.path.join(IMPORT_DIR, "xfail.txt"),
                        help="the importer's expected failures (tests skipped here)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds per xfc or xfc-run invocation")
    parser.add_argument("-k", "--filter", help="only tests whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every test with its max errors")
    parser.add_argument("--update-xfail", action="store_true",
                        help="rewrite --xfail from this run's failures")
    parser.add_argument("--keep", metavar="DIR", help="compile into DIR and keep it")
    args = parser.parse_args()

    start = time.perf_counter()
    ops = supported_operators(args.xfc)
    not_imported = read_table(args.import_xfail)
    tests = [(name, path) for name, path in node_test_dirs()
             if name not in not_imported and uses_only(path, ops)[0]]
    selected = [(n, p) for n, p in tests if not args.filter or args.filter in n]

    expected = {} if args.update_xfail else read_table(args.xfail)
    for name, reason in expected.items():
        if reason.split(":", 1)[0].strip() not in KINDS:
            sys.exit(f"{args.xfail}: '{name}: {reason}': the reason must start "
                     f"with one of {', '.join(KINDS)}")

    with tempfile.TemporaryDirectory(prefix="xfc-node-tests-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        workdir = args.keep or tmp
        results = list(pool.map(lambda t: run_one(args, t[0], t[1], workdir), selected))

    passed = [r for r in results if r.kind is None]
    failed = [r for r in results if r.kind is not None]
    unexpected = [r for r in failed if r.name not in expected or
                  expected[r.name].split(":", 1)[0].strip() != r.kind]
    stale = [r for r in passed if r.name in expected]

    for r in results:
        worst = max(r.errors, key=lambda e: float(e[1]), default=None)
        err = f" (max abs {worst[1]}, max rel {worst[2]} in '{worst[0]}')" if worst else ""
        if r in unexpected:
            listed = expected.get(r.name)
            print(f"UNEXPECTED FAILURE {r.name}: {r.kind}: {r.detail}" +
                  (f"\n    listed as: {listed}" if listed else ""))
            # The compile and the failing run (rerun with --keep DIR to keep
            # the artifact and the expected-output directory).
            for cmd in r.commands[:1] + r.commands[1:][-1:]:
                print("    $ " + " ".join(cmd))
        elif r in stale:
            print(f"UNEXPECTED PASS {r.name}{err} (remove it from {args.xfail})")
        elif args.verbose:
            status = "PASS" if r.kind is None else f"XFAIL {r.kind}: {r.detail}"
            print(f"{status} {r.name}{err} {r.seconds:.1f}s")

    if args.update_xfail:
        if args.filter:
            sys.exit("--update-xfail needs every test (no -k)")
        header = []
        if os.path.exists(args.xfail):
            for line in open(args.xfail):
                if not line.startswith("#"):
                    break
                header.append(line)
        with open(args.xfail, "w") as f:
            f.write("".join(header) or
                    "# ONNX node tests that xfc imports but that fail through "
                    "the CPU backend:\n# test_name: compile|run|mismatch|crash: "
                    "detail. Regenerate:\n#   run_node_tests.py ... "
                    "--update-xfail (see run_node_tests.py --help)\n")
            for r in sorted(failed, key=lambda r: r.name):
                if r.kind in KINDS:
                    f.write(f"{r.name}: {r.kind}: {r.detail}\n")

    kinds = {k: sum(r.kind == k for r in failed) for k in KINDS}
    print(f"node tests that import: {len(tests)}, run: {len(selected)}")
    print(f"passed: {len(passed)}, failed: {len(failed)} "
          f"({', '.join(f'{k} {v}' for k, v in kinds.items())}), "
          f"expected failures: {len(failed) - len(unexpected)}")
    print(f"unexpected failures: {len(unexpected)}, unexpected passes: {len(stale)} "
          f"({time.perf_counter() - start:.0f}s, {args.jobs} jobs)")
    ok = args.update_xfail or (not unexpected and not stale)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
