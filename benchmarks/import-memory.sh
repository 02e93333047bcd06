#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Peak RSS of importing a 1 GiB ONNX model (inline weights and external
# data) to bytecode and to text. Needs about 5 GiB of free disk in $TMPDIR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
XFC="$ROOT/build/bin/xfc"
PY="$ROOT/.venv/bin/python"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$PY" "$ROOT/benchmarks/make_big_model.py" inline "$work/inline.onnx"
"$PY" "$ROOT/benchmarks/make_big_model.py" external "$work/ext"
size=$(stat -c %s "$work/inline.onnx")
echo "model: $size bytes"
for model in "$work/inline.onnx" "$work/ext/model.onnx"; do
  for out in out.mlirbc out.mlir; do
    /usr/bin/time -f "%M" -o "$work/rss" "$XFC" "$model" --compile-to=import -o "$work/$out"
    rss=$(( $(cat "$work/rss") * 1024 ))
    echo "$(basename "$(dirname "$model")")/$(basename "$model") -> $out: peak RSS $rss bytes ($(awk "BEGIN{printf \"%.2f\", $rss/$size}")x the model)"
    rm -f "$work/$out"
  done
done
