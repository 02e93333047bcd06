#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the raw weights region of test/Runtime/fake_model.c's model.

W [4x3] row-major at byte 0 (a torch Linear weight [out, in]: W[n][k] =
3n + k + 1), zeros up to the 64-byte alignment, the bias [4] at byte 64:
80 bytes. `xfc-weights-tool write OUT.weights RAW` wraps it in a header.
"""
import struct
import sys

weight = [float(i + 1) for i in range(12)]
bias = [0.5, -1.0, 2.0, 0.0]
region = struct.pack("<12f", *weight) + bytes(16) + struct.pack("<4f", *bias)
assert len(region) == 80
with open(sys.argv[1], "wb") as out:
    out.write(region)
