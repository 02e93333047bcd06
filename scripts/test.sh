#!/usr/bin/env bash
#===- scripts/test.sh - Set up, build and run every test -------------------===#
# SPDX-License-Identifier: Apache-2.0
#===----------------------------------------------------------------------===#
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" check-xfc
