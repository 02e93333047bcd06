#!/usr/bin/env bash
#===- scripts/test.sh - Set up, build and run every test -------------------===#
# SPDX-License-Identifier: Apache-2.0
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" check-xfc

# The frontend reads untrusted files and the graph passes rewrite what it
# made of them: run their tests again with xfc built
# under AddressSanitizer and UndefinedBehaviorSanitizer, any report fatal.
echo "== frontend and graph-pass tests under ASan + UBSan"
XFC_BUILD_DIR="$ROOT/build-asan" \
XFC_CMAKE_ARGS="-DLLVM_USE_SANITIZER=Address;Undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo" \
  "$ROOT/scripts/build.sh" xfc xfc-opt
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
"$ROOT/.venv/bin/lit" -sv --param runtime=0 "$ROOT/build-asan/test/Frontend" "$ROOT/build-asan/test/Dialect" \
  "$ROOT/build-asan/test/Transforms"
