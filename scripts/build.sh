#!/usr/bin/env bash
#===- scripts/build.sh - Configure and build xfc ---------------------------===#
# SPDX-License-Identifier: Apache-2.0
#
# Configures build/ (once) and builds the given targets (default: all).
# Uses ccache when present. Run scripts/setup.sh first.
#   XFC_BUILD_DIR   another build directory (default: build/)
#   XFC_CMAKE_ARGS  extra CMake arguments for its first configuration
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${XFC_BUILD_DIR:-$ROOT/build}"

if [[ ! -f "$BUILD/build.ninja" ]]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -G Ninja -S "$ROOT" -B "$BUILD" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT="$ROOT/.venv/bin/lit" \
    "${launcher[@]}" ${XFC_CMAKE_ARGS:-}
fi
ninja -C "$BUILD" "$@"
