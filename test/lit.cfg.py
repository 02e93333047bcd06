# -*- Python -*-
# SPDX-License-Identifier: Apache-2.0

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "XFC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.xfc_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py", "Unit", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%xfc_src_root", config.xfc_src_root))
config.substitutions.append(("%xfc_obj_root", config.xfc_obj_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# `not`, `split-file`, `count` and friends come from the LLVM tools directory
# (use_default_substitutions only rewrites `| not`, not a leading `not`).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.use_default_substitutions()

# FileCheck: variables defined under a CHECK-LABEL do not leak past the next.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope --allow-unused-prefixes=false"

# XFC_TEST_VERIFY_ROUNDTRIP=1 re-runs every xfc-opt invocation with
# --verify-roundtrip: each output must print and parse back identically
# (as CIRCT's lit config does).
xfc_opt_args = []
if os.environ.get("XFC_TEST_VERIFY_ROUNDTRIP", "0") == "1":
    xfc_opt_args.append("--verify-roundtrip")

tool_dirs = [config.xfc_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("xfc-opt", extra_args=xfc_opt_args, unresolved="fatal"),
    ToolSubst("xfc", unresolved="fatal"),
]
# libxfc_runtime and its test programs exist only where oneDNN was found,
# and only when built: `--param runtime=0` runs the suites that need just
# xfc and xfc-opt (scripts/test.sh's sanitizer build).
if config.xfc_runtime_enabled and lit_config.params.get("runtime", "1") != "0":
    config.available_features.add("xfc-runtime")
    tools += [
        ToolSubst("xfc-runtime-test", unresolved="fatal"),
        ToolSubst("xfc-weights-tool", unresolved="fatal"),
        ToolSubst("run_artifact", unresolved="fatal"),
        ToolSubst("xfc-run", unresolved="fatal"),
    ]
    config.substitutions.append(
        ("%fake_models", os.path.join(config.xfc_obj_root, "test", "Runtime", "fake")))
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Python with the pinned test dependencies (onnx, onnxruntime, numpy).
config.substitutions.insert(0, ("%python", config.python_executable))
config.substitutions.append(("%models", os.path.join(config.xfc_src_root, "test", "models")))
