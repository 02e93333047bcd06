#!/usr/bin/env bash
#===- scripts/demo.sh - The main job: set up, build, run an example -------===#
# SPDX-License-Identifier: Apache-2.0
#
# Until the CPU backend lands, the main job is: install, build xfc-opt, and
# print the canonicalized IR of the BERT layer in examples/bert_layer.mlir.
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" xfc-opt
echo "== xfc-opt examples/bert_layer.mlir --canonicalize --cse"
"$ROOT/build/bin/xfc-opt" "$ROOT/examples/bert_layer.mlir" --canonicalize --cse
