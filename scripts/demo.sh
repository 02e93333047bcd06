#!/usr/bin/env bash
#===- scripts/demo.sh - The main job: compile and run a default model -----===#
# SPDX-License-Identifier: Apache-2.0
#
# Sets up and builds, generates a BERT-style encoder as torch.onnx.export
# writes one (4 layers, hidden 256, seq 64, with ONNX Runtime's outputs as
# the reference), compiles it ahead of time with `xfc --target=cpu` into
# build/demo/bert.so + bert.weights, runs it with `xfc-run`, prints how far
# its outputs are from ONNX Runtime's, then times both on this machine.
# Override the model with XFC_DEMO_ARGS (generate.py options), e.g.
#   XFC_DEMO_ARGS="--family bert --preset base" ./scripts/demo.sh
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" xfc xfc-run xfc_runtime
PY="$ROOT/.venv/bin/python"
BIN="$ROOT/build/bin"

work="$ROOT/build/demo"
rm -rf "$work"
mkdir -p "$work"
echo "== generating the model into $work/model"
# shellcheck disable=SC2086
"$PY" "$ROOT/test/models/generate.py" ${XFC_DEMO_ARGS:---family bert --variant fused-ln --preset small} \
  -o "$work/model" | head -1

echo "== xfc $work/model/model.onnx --target=cpu -o $work/bert"
"$BIN/xfc" "$work/model/model.onnx" --target=cpu -o "$work/bert" --progress
ls -l "$work/bert.so" "$work/bert.weights"

inputs=()
for file in "$work"/model/inputs/*.npy; do
  name="$(basename "$file" .npy)"
  inputs+=(--input "$name=$file")
done
echo "== xfc-run $work/bert (outputs vs ONNX Runtime's)"
"$BIN/xfc-run" "$work/bert" "${inputs[@]}" --output-dir "$work/outputs" \
  --expected "$work/model/reference" --atol 1e-4 --rtol 1e-4

echo "== speed: xfc vs ONNX Runtime, same inputs, same threads"
"$PY" "$ROOT/benchmarks/compare_one.py" --xfc-run "$BIN/xfc-run" \
  --artifact "$work/bert" --model-dir "$work/model"
