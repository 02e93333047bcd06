#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the raw weights region of test/Runtime/fake_model.c's model.

  fake_weights.py OUT            the default model: W [4x3] row-major at
                                 byte 0 (a torch Linear weight [out, in]:
                                 W[n][k] = 3n + k + 1), zeros up to the
                                 64-byte alignment, the bias [4] at byte 64:
                                 80 bytes
  fake_weights.py OUT qmatmul    FAKE_QMATMUL's: W0 s8 [3x4] at 0, its
                                 group scales and offsets [3x2] f32 at 64
                                 and 128, bias [3] at 192; W1 s8 [3x4] at
                                 256, scales [3] at 320, bias [3] at 384:
                                 396 bytes

`xfc-weights-tool write OUT.weights RAW` wraps it in a header.
"""
import struct
import sys


def at(region, offset, data):
    """region padded with zeros to `offset`, then data."""
    assert len(region) <= offset
    return region + bytes(offset - len(region)) + data


if len(sys.argv) > 2 and sys.argv[2] == "qmatmul":
    region = at(b"", 0, struct.pack("<12b", 1, -2, 3, -4, 5, 6, -7, 8,
                                    -1, 0, 2, 1))
    region = at(region, 64, struct.pack("<6f", 0.5, 1, 0.25, 2, 1, 1))
    region = at(region, 128, struct.pack("<6f", 0, 0.5, 1, 0, 0, -1))
    region = at(region, 192, struct.pack("<3f", 0.5, -1, 2))
    region = at(region, 256, struct.pack("<12b", 2, 1, 0, -1, -3, 4, 1, 2,
                                         1, 1, 1, 1))
    region = at(region, 320, struct.pack("<3f", 0.25, 0.5, 0.125))
    region = at(region, 384, struct.pack("<3f", 1, -2, 0.5))
    assert len(region) == 396
else:
    weight = [float(i + 1) for i in range(12)]
    bias = [0.5, -1.0, 2.0, 0.0]
    region = at(struct.pack("<12f", *weight), 64, struct.pack("<4f", *bias))
    assert len(region) == 80
with open(sys.argv[1], "wb") as out:
    out.write(region)
