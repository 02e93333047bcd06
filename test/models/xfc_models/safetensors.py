# SPDX-License-Identifier: Apache-2.0
"""A numpy-only reader of the safetensors format: an 8-byte little-endian
header length N, N bytes of JSON ({name: {dtype, shape, data_offsets}, with an
optional "__metadata__"}), then the raw little-endian tensor bytes, each
tensor at [8 + N + begin, 8 + N + end)."""

from __future__ import annotations

import json
import struct

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
          "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?", "BF16": "<u2"}


def read_header(path: str) -> tuple[dict, int]:
    """(header without __metadata__, offset of the data section)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return header, 8 + n


def load(path: str) -> dict[str, np.ndarray]:
    """Every tensor of the file, by name; BF16 is widened to float32. The
    arrays are copies (the file is memory-mapped only while reading)."""
    header, start = read_header(path)
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, t in header.items():
        if t["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has unsupported dtype {t['dtype']}")
        begin, end = t["data_offsets"]
        a = raw[start + begin:start + end].view(DTYPES[t["dtype"]])
        if t["dtype"] == "BF16":
            a = (a.astype(np.uint32) << 16).view(np.float32)
        shape = tuple(t["shape"])
        if a.size != int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{path}: tensor {name!r}: {end - begin} bytes do not "
                             f"hold shape {list(shape)} of {t['dtype']}")
        out[name] = np.array(a.reshape(shape))  # native byte order, owned
    del raw
    return out
