#!/usr/bin/env bash
#===- scripts/demo.sh - The main job: set up, build, run an example -------===#
# SPDX-License-Identifier: Apache-2.0
#
# Until the CPU backend lands, the main job is: install, build, print the
# canonicalized IR of the BERT layer in examples/bert_layer.mlir, then
# generate a small BERT-style ONNX model the way torch.onnx.export writes
# it and import it with xfc, showing which xf ops it became.
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" xfc xfc-opt
echo "== xfc-opt examples/bert_layer.mlir --canonicalize --cse"
"$ROOT/build/bin/xfc-opt" "$ROOT/examples/bert_layer.mlir" --canonicalize --cse

work="$ROOT/build/demo"
rm -rf "$work"
echo "== generating a 4-layer BERT (hidden 256, seq 64, opset 17) in $work"
"$ROOT/.venv/bin/python" "$ROOT/test/models/generate.py" --family bert \
  --variant fused-ln --preset small -o "$work" >/dev/null
echo "== xfc $work/model.onnx -o $work/model.mlir"
"$ROOT/build/bin/xfc" "$work/model.onnx" -o "$work/model.mlir" --mlir-timing
echo "== xf ops in the imported model (weights are dense_resource blobs):"
grep -o '= xf\.[a-z_.]*' "$work/model.mlir" | cut -c3- | sort | uniq -c | sort -rn
