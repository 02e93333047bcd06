# -*- Python -*-
# SPDX-License-Identifier: Apache-2.0
#
# Runs the GoogleTest unit tests under build/unittests, one lit test per
# TEST(), as LLVM's own Unit suites do.

import os

import lit.formats

config.name = "XFC-Unit"
config.suffixes = []
config.test_source_root = os.path.join(config.xfc_obj_root, "unittests")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
