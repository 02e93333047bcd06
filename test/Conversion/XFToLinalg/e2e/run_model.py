#!/usr/bin/env python3
# ===- run_model.py - A whole imported model through --convert-xf-to-linalg -===#
# SPDX-License-Identifier: Apache-2.0
# ===------------------------------------------------------------------------===#
"""Runs a model imported by xfc through the reference lowering and compares
every output with the ONNX Runtime reference that test/models/generate.py
wrote.

  run_model.py DIR [--xfc-opt PATH [XFC-OPT ARGS...]] [--tol 1e-4]

DIR holds model.mlir (`xfc DIR/model.onnx -o DIR/model.mlir`), inputs/*.npy
and reference/*.npy, named as @main's `xf.name` argument and result
attributes. @main becomes @model, a new @main feeds it the inputs as
constants and prints each result's bits; the lowering and the run are
run_e2e.py's. A float result passes when
|out - ref| <= tol + tol * |ref| everywhere (default tol 1e-4: a whole f32
model, against ORT's differently ordered sums).
"""

import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_e2e import decode, literal, lower_and_run, print_lines  # noqa: E402


def split_types(text):
    """The tensor types and `xf.name`s of a signature's argument or result
    list, in order."""
    entries = re.findall(r"(tensor<[^>]*>)(?:\s*\{[^}]*xf\.name = \"([^\"]+)\"[^}]*\})?", text)
    return [(t, name) for t, name in entries]


def shape_and_elem(type_text):
    dims = type_text[len("tensor<"):-1].split("x")
    return [int(d) for d in dims[:-1]], dims[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir")
    parser.add_argument("--xfc-opt", default="xfc-opt")
    parser.add_argument("--tol", type=float, default=1e-4)
    parser.add_argument("--keep", help="write the intermediate files into this directory")
    args, xfc_opt_args = parser.parse_known_args()
    # Not under XFC_TEST_VERIFY_ROUNDTRIP: the bytecode round trip reads the
    # 64-byte-aligned weight blobs back from an unaligned buffer and fails
    # ("expected section alignment 64"), whatever the pass does.
    xfc_opt_args = [a for a in xfc_opt_args if a != "--verify-roundtrip"]

    with open(os.path.join(args.dir, "model.mlir")) as f:
        source = f.read()
    signature = re.search(r"func\.func @main\((.*)\) -> (.*) \{", source)
    if not signature:
        sys.exit("no func.func @main in model.mlir")
    inputs = split_types(signature.group(1))
    results = split_types(signature.group(2))
    source = source.replace("func.func @main(", "func.func @model(", 1)

    lines = ["func.func private @printMemrefI32(tensor<*xi32>)",
             "func.func private @printMemrefI64(tensor<*xi64>)",
             "func.func @main() {"]
    operands = []
    for index, (type_text, name) in enumerate(inputs):
        array = np.load(os.path.join(args.dir, "inputs", f"{name}.npy"))
        _, elem = shape_and_elem(type_text)
        lines.append(f"  %in{index} = arith.constant {literal(array, elem)} : {type_text}")
        operands.append(f"%in{index}")
    in_types = ", ".join(t for t, _ in inputs)
    out_types = ", ".join(t for t, _ in results)
    lhs = f"%r:{len(results)}" if len(results) > 1 else "%r"
    lines.append(f"  {lhs} = func.call @model({', '.join(operands)}) : ({in_types}) -> ({out_types})")
    for index, (type_text, _) in enumerate(results):
        shape, elem = shape_and_elem(type_text)
        value = f"%r#{index}" if len(results) > 1 else "%r"
        lines += print_lines(value, shape, elem, str(index))
    lines.append("  return\n}")
    # @main goes inside the module, before its closing brace (and before
    # the resource section, when there is one).
    end = source.rfind("}", 0, source.find("{-#") if "{-#" in source else len(source))
    source = source[:end] + "\n".join(lines) + "\n" + source[end:]

    printed = lower_and_run(source, args.xfc_opt, xfc_opt_args, args.keep)
    if len(printed) != len(results):
        sys.exit(f"expected {len(results)} printed results, got {len(printed)}")
    failed = False
    for (type_text, name), values in zip(results, printed):
        shape, elem = shape_and_elem(type_text)
        got = decode(values, shape, elem).astype(np.float64)
        ref = np.load(os.path.join(args.dir, "reference", f"{name}.npy")).astype(np.float64)
        err = np.abs(got - ref)
        ok = bool((err <= args.tol + args.tol * np.abs(ref)).all())
        failed |= not ok
        print(f"{'PASS' if ok else 'FAIL'}: {name} {list(shape)} max abs error "
              f"{err.max():.3g} (max |ref| {np.abs(ref).max():.3g}, tol {args.tol:g})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
