#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Imports the ONNX backend node tests (shipped in the onnx wheel) with xfc.

Selects every node test whose graph uses only operators that
`xfc --list-onnx-operators` reports, imports each model with
`xfc --compile-to=import`, and compares the outcome with the expected
failures in xfail.txt (one "test_name: reason" per line). Exits non-zero
when a test outside the table fails, when a listed test passes (the table
is stale), or when xfc crashes on any test. Prints the counts.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

import onnx


def supported_operators(xfc):
    out = subprocess.run([xfc, "--list-onnx-operators"], check=True,
                         capture_output=True, text=True).stdout
    ops = set()
    for line in out.split():
        domain, op = line.split(":")
        ops.add((domain, op))
    return ops


def node_test_dirs():
    root = os.path.join(os.path.dirname(onnx.__file__), "backend", "test",
                        "data", "node")
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name, "model.onnx")
        if os.path.exists(path):
            yield name, path


def uses_only(model_path, ops):
    model = onnx.load(model_path, load_external_data=False)
    used = {("" if n.domain == "ai.onnx" else n.domain, n.op_type)
            for n in model.graph.node}
    return bool(used) and used <= ops, sorted(op for _, op in used)


def import_one(xfc, name, path, outdir):
    out = os.path.join(outdir, name + ".mlir")
    proc = subprocess.run([xfc, path, "--compile-to=import", "-o", out],
                          capture_output=True, text=True, timeout=120)
    crashed = proc.returncode < 0 or "Stack dump" in proc.stderr or \
        "Assertion" in proc.stderr
    first_error = next((l for l in proc.stderr.splitlines() if "error:" in l),
                       proc.stderr.strip()[:200])
    return name, proc.returncode == 0, crashed, first_error


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compiler", required=True)
    parser.add_argument("--xfail", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--update-xfail", action="store_true",
                        help="rewrite xfail.txt from this run's failures")
    args = parser.parse_args()

    ops = supported_operators(args.compiler)
    selected = []
    for name, path in node_test_dirs():
        ok, _ = uses_only(path, ops)
        if ok:
            selected.append((name, path))

    expected = {}
    if os.path.exists(args.xfail):
        for line in open(args.xfail):
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(":")
                expected[name.strip()] = reason.strip()

    results = []
    with tempfile.TemporaryDirectory() as outdir, \
            concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(import_one, args.compiler, n, p, outdir)
                   for n, p in selected]
        for future in futures:
            results.append(future.result())

    passed = [r for r in results if r[1]]
    failed = [r for r in results if not r[1]]
    crashed = [r for r in results if r[2]]
    unexpected = [r for r in failed if r[0] not in expected]
    stale = [r for r in passed if r[0] in expected]

    if args.update_xfail:
        with open(args.xfail, "w") as f:
            f.write("# ONNX node tests (of the supported operators) that xfc "
                    "does not import, with the importer's error.\n")
            f.write("# Regenerate: import_node_tests.py --update-xfail\n")
            for name, _, _, error in sorted(failed):
                reason = error.split("error:", 1)[-1].strip()
                f.write(f"{name}: {reason}\n")

    for name, _, _, error in crashed:
        print(f"CRASH {name}: {error}")
    for name, _, _, error in unexpected:
        print(f"UNEXPECTED FAILURE {name}: {error}")
    for name, *_ in stale:
        print(f"UNEXPECTED PASS {name} (remove it from {args.xfail})")
    print(f"node tests using only supported operators: {len(selected)}")
    print(f"imported: {len(passed)}, expected failures: "
          f"{len(failed) - len(unexpected)}")
    ok = not crashed and (args.update_xfail or (not unexpected and not stale))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
