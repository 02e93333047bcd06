#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes a 1 GiB ONNX model (4 MatMuls with 8192x8192 float weights) for
measuring the importer's memory: `make_big_model.py inline OUT.onnx` keeps the
weights in the protobuf, `make_big_model.py external OUT_DIR` stores them as
external data (OUT_DIR/model.onnx + model.onnx.data)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

n = 8192
layers = 4
rng = np.random.default_rng(0)
inits, nodes, prev = [], [], "x"
for i in range(layers):
    w = rng.standard_normal((n, n), dtype=np.float32)
    inits.append(nh.from_array(w, f"w{i}"))
    nodes.append(h.make_node("MatMul", [prev, f"w{i}"], [f"h{i}"], name=f"mm{i}"))
    prev = f"h{i}"
g = h.make_graph(nodes, "big", [h.make_tensor_value_info("x", T.FLOAT, [1, n])],
                 [h.make_tensor_value_info(prev, T.FLOAT, [1, n])], inits)
m = h.make_model(g, opset_imports=[h.make_opsetid("", 17)])
if sys.argv[1] == "inline":
    onnx.save(m, sys.argv[2])
else:
    os.makedirs(sys.argv[2], exist_ok=True)
    onnx.save(m, os.path.join(sys.argv[2], "model.onnx"),
              save_as_external_data=True, location="model.onnx.data",
              all_tensors_to_one_file=True)
