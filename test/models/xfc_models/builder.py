# SPDX-License-Identifier: Apache-2.0
"""GraphBuilder: emits ONNX graphs the way the TorchScript exporter
(torch.onnx.export, torch 2.x) names and shapes them.

Conventions copied from real exports:
  * node names are module scopes: /encoder/layer.0/attention/self/query/MatMul,
    repeated op types in one scope get _1, _2, ...; outputs are <node>_output_0;
  * scalars and shape pieces are Constant nodes, weights are initializers named
    by their state_dict key; weights the exporter constant-folded (the
    transposed nn.Linear weight feeding MatMul) are named onnx::MatMul_<n>;
  * sizes read from tensors (x.size(i)) are Shape -> Gather(Constant i) and
    lists of sizes are Unsqueeze -> Concat (ListConstruct), unless the builder
    folds shapes (fold_shapes=True), which is what the exporter does when it
    can prove them static.

Initializers are kept in memory until their total passes `spill_bytes` (or
right away when external data is forced); after that every tensor is written
straight to <model>.onnx.data, so large models are generated with bounded
memory.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import Counter

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INT64_MAX = 9223372036854775807
FINFO_MIN = float(np.finfo(np.float32).min)  # torch.finfo(torch.float32).min

_NP_TO_ONNX = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.bool_): TensorProto.BOOL,
}


class ExternalDataWriter:
    """Appends tensor bytes to one file, the layout onnx.save_model(
    save_as_external_data=True, all_tensors_to_one_file=True) produces."""

    SIZE_THRESHOLD = 1024  # onnx's default size_threshold (compared to sys.getsizeof)

    def __init__(self, path: str):
        self.path = path
        self.location = os.path.basename(path)
        self.file = open(path, "wb")
        self.offset = 0

    def tensor(self, name: str, array: np.ndarray) -> TensorProto:
        array = np.ascontiguousarray(array)
        if array.nbytes + sys.getsizeof(b"") < self.SIZE_THRESHOLD:
            return numpy_helper.from_array(array, name)
        t = TensorProto()
        t.name = name
        t.data_type = _NP_TO_ONNX[array.dtype]
        t.dims.extend(array.shape)
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", self.location), ("offset", self.offset),
                     ("length", array.nbytes)):
            e = t.external_data.add()
            e.key, e.value = k, str(v)
        self.file.write(array.reshape(-1).view(np.uint8).data)
        self.offset += array.nbytes
        return t

    def close(self):
        self.file.close()


class GraphBuilder:
    def __init__(self, opset: int, *, fold_shapes: bool = False,
                 data_path: str | None = None, force_external: bool = False,
                 spill_bytes: int = int(1.8e9), keep_weights: bool = False):
        self.opset = opset
        self.fold_shapes = fold_shapes
        self.nodes: list[onnx.NodeProto] = []
        self.inputs: list[onnx.ValueInfoProto] = []
        self.outputs: list[onnx.ValueInfoProto] = []
        self._pending: list[tuple[str, np.ndarray]] = []
        self._tensors: list[TensorProto] = []
        self._pending_bytes = 0
        self.param_bytes = 0
        self.param_count = 0
        self._data_path = data_path
        self._spill_bytes = spill_bytes
        self._writer: ExternalDataWriter | None = None
        self._scope: list[str] = []
        self._counts: Counter = Counter()
        self._folded_id = 1000
        self._renames: dict[str, str] = {}
        # state_dict-named copies of every weight (for numpy cross-checks)
        self.keep_weights = keep_weights
        self.weights: dict[str, np.ndarray] = {}
        if force_external:
            self._start_external()

    # ------------------------------------------------------------ scopes
    @contextlib.contextmanager
    def module(self, *names: str):
        """Enter a submodule: names are attribute names ("encoder", "layer.0")."""
        self._scope.extend(names)
        try:
            yield
        finally:
            del self._scope[len(self._scope) - len(names):]

    def pname(self, leaf: str) -> str:
        """state_dict key of a parameter of the current module."""
        return ".".join(self._scope + [leaf])

    def _node_name(self, op_type: str) -> str:
        base = "/" + "".join(s + "/" for s in self._scope) + op_type
        n = self._counts[base]
        self._counts[base] += 1
        return base if n == 0 else f"{base}_{n}"

    # ------------------------------------------------------------- nodes
    def op(self, op_type: str, inputs, num_outputs: int = 1, domain: str = "",
           **attrs):
        name = self._node_name(op_type)
        outs = [f"{name}_output_{i}" for i in range(num_outputs)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outs,
                                           name=name, domain=domain or None,
                                           **attrs))
        return outs[0] if num_outputs == 1 else outs

    def const(self, value, dtype=None) -> str:
        """A Constant node (what the exporter emits for literals)."""
        arr = np.asarray(value, dtype=dtype)
        if arr.dtype == np.float64:
            arr = arr.astype(np.float32)
        name = self._node_name("Constant")
        out = name + "_output_0"
        self.nodes.append(helper.make_node(
            "Constant", [], [out], name=name,
            value=numpy_helper.from_array(arr)))
        return out

    def f32(self, v: float) -> str:
        return self.const(np.float32(v))

    def i64(self, v) -> str:
        return self.const(np.asarray(v, dtype=np.int64))

    # ------------------------------------------------------- initializers
    def record(self, name: str, array: np.ndarray) -> None:
        """Remember a weight under its state_dict name (keep_weights only)."""
        if self.keep_weights:
            self.weights[name] = array

    def param(self, name: str, array: np.ndarray) -> str:
        self.record(name, array)
        self.param_bytes += array.nbytes
        self.param_count += array.size
        if self._writer is not None:
            self._tensors.append(self._writer.tensor(name, array))
        else:
            self._pending.append((name, array))
            self._pending_bytes += array.nbytes
            if self._data_path and self._pending_bytes > self._spill_bytes:
                self._start_external()
        return name

    def folded(self, op_type: str, array: np.ndarray) -> str:
        """An initializer produced by the exporter's constant folding."""
        self._folded_id += 1
        return self.param(f"onnx::{op_type}_{self._folded_id}", array)

    def _start_external(self):
        if self._data_path is None:
            raise ValueError("external data requested without a data path")
        self._writer = ExternalDataWriter(self._data_path)
        for name, arr in self._pending:
            self._tensors.append(self._writer.tensor(name, arr))
        self._pending.clear()
        self._pending_bytes = 0

    @property
    def external(self) -> bool:
        return self._writer is not None

    # ----------------------------------------------------- graph in/out
    def input(self, name: str, elem_type: int, shape) -> str:
        self.inputs.append(helper.make_tensor_value_info(name, elem_type, shape))
        return name

    def output(self, value: str, name: str, elem_type: int, shape) -> None:
        """Graph output `name`; the exporter renames the producing value."""
        self._renames[value] = name
        self.outputs.append(helper.make_tensor_value_info(name, elem_type, shape))

    def finish(self, graph_name: str = "main_graph", producer_version: str = "2.1.0",
               value_info: bool = False) -> onnx.ModelProto:
        """Assemble the model; value_info=True adds inferred shapes of the
        intermediates (as real exports carry), inferred on a weight-less copy."""
        if self._writer is not None:
            self._writer.close()
        for n in self.nodes:
            for seq in (n.input, n.output):
                for i, v in enumerate(seq):
                    if v in self._renames:
                        seq[i] = self._renames[v]
        opsets = [helper.make_opsetid("", self.opset)]
        ir = max(8, helper.find_min_ir_version_for(opsets))
        graph = helper.make_graph(self.nodes, graph_name, self.inputs, self.outputs)
        model = helper.make_model(graph, opset_imports=opsets, ir_version=ir,
                                  producer_name="pytorch",
                                  producer_version=producer_version)
        if value_info:
            self._infer_value_info(model)
        # move the weights in one at a time so memory peaks near 1x model size
        inits = model.graph.initializer
        for i, t in enumerate(self._tensors):
            inits.append(t)
            self._tensors[i] = None
        for i, (name, arr) in enumerate(self._pending):
            inits.append(numpy_helper.from_array(arr, name))
            self._pending[i] = None
        self._tensors, self._pending = [], []
        return model

    def _infer_value_info(self, model: onnx.ModelProto) -> None:
        skel = onnx.ModelProto()
        skel.CopyFrom(model)
        stubs = [(t.name, t.data_type, list(t.dims)) for t in self._tensors]
        stubs += [(n, _NP_TO_ONNX[a.dtype], list(a.shape)) for n, a in self._pending]
        for name, dtype, dims in stubs:  # data-less initializers: dims only
            t = skel.graph.initializer.add()
            t.name, t.data_type = name, dtype
            t.dims.extend(dims)
            t.data_location = TensorProto.EXTERNAL
            e = t.external_data.add()
            e.key, e.value = "location", "unused"
        try:
            inferred = onnx.shape_inference.infer_shapes(skel)
        except Exception:  # noqa: BLE001 - shapes are a nicety
            return
        known = {v.name for v in list(model.graph.input) + list(model.graph.output)}
        model.graph.value_info.extend(
            v for v in inferred.graph.value_info if v.name not in known)

    # ======================================== exporter building blocks
    # Sizes: an int (static / folded) or the name of a 0-d int64 tensor.
    def size(self, x: str, axis: int, static: int):
        """x.size(axis): Shape -> Gather(Constant axis)."""
        if self.fold_shapes:
            return static
        shape = self.op("Shape", [x])
        return self.op("Gather", [shape, self.i64(axis)], axis=0)

    def unsqueeze(self, x: str, axes) -> str:
        axes = [axes] if isinstance(axes, int) else list(axes)
        if self.opset >= 13:
            return self.op("Unsqueeze", [x, self.i64(axes)])
        return self.op("Unsqueeze", [x], axes=axes)

    def squeeze(self, x: str, axes) -> str:
        axes = [axes] if isinstance(axes, int) else list(axes)
        return self.op("Squeeze", [x, self.i64(axes)])

    def as_1d(self, v) -> str:
        """A size (int or 0-d tensor) as a 1-element int64 tensor."""
        return self.i64([v]) if isinstance(v, (int, np.integer)) else self.unsqueeze(v, 0)

    def shape_list(self, parts) -> str:
        """prim::ListConstruct of sizes -> one 1-D int64 tensor."""
        if all(isinstance(p, (int, np.integer)) for p in parts):
            return self.i64(list(parts))
        if len(parts) == 1:
            return self.as_1d(parts[0])
        return self.op("Concat", [self.as_1d(p) for p in parts], axis=0)

    def dim_binary(self, op_type: str, a, b):
        """Arithmetic on traced sizes (aten::add on ints etc.)."""
        if isinstance(a, int) and isinstance(b, int):
            ops = {"Add": int.__add__, "Sub": int.__sub__, "Mul": int.__mul__,
                   "Div": int.__floordiv__}
            return ops[op_type](int(a), int(b))
        a = a if isinstance(a, str) else self.i64(a)
        b = b if isinstance(b, str) else self.i64(b)
        return self.op(op_type, [a, b])

    def reshape(self, x: str, parts) -> str:
        """x.view(*parts) / x.reshape(*parts)."""
        shape = self.shape_list(parts)
        if self.opset >= 14:
            return self.op("Reshape", [x, shape], allowzero=0)
        return self.op("Reshape", [x, shape])

    def expand(self, x: str, parts) -> str:
        """x.expand(*parts): the symbolic rewrites -1 to 1 with
        ConstantOfShape/Mul/Equal/Where unless every size is a literal."""
        if all(isinstance(p, int) for p in parts):
            return self.op("Expand", [x, self.i64([1 if p == -1 else p for p in parts])])
        size = self.shape_list(parts)
        ones = self.op("ConstantOfShape", [self.i64([len(parts)])],
                       value=numpy_helper.from_array(np.array([1], np.int64)))
        neg = self.op("Mul", [ones, self.i64(-1)])
        eq = self.op("Equal", [size, neg])
        size = self.op("Where", [eq, ones, size])
        return self.op("Expand", [x, size])

    def slice(self, x: str, starts, ends, axes, steps=None) -> str:
        """x[..., a:b] on the given axes (aten::slice -> Slice-13)."""
        ins = [x, self.shape_list(starts), self.shape_list(ends), self.i64(list(axes))]
        if steps is not None:
            ins.append(self.i64(list(steps)))
        return self.op("Slice", ins)

    def cast(self, x: str, to: int) -> str:
        return self.op("Cast", [x], to=to)

    def reduce_mean(self, x: str, axes, keepdims: int = 1) -> str:
        if self.opset >= 18:
            return self.op("ReduceMean", [x, self.i64(list(axes))], keepdims=keepdims)
        return self.op("ReduceMean", [x], axes=list(axes), keepdims=keepdims)

    def softmax(self, x: str, axis: int = -1) -> str:
        return self.op("Softmax", [x], axis=axis)

    def transpose(self, x: str, perm) -> str:
        return self.op("Transpose", [x], perm=list(perm))
