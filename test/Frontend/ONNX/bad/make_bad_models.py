#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the bad-input corpus for the ONNX importer.

    make_bad_models.py OUT_DIR [--only CASE]... [--list]

Each case is one malformed model in its own directory, OUT_DIR/<case>/model.onnx,
plus whatever side files it needs (external data, links, a FIFO). Every case
starts from the same small valid model

    x: float[2,3] -> node0_MatMul(x, W[3,4]) -> t -> node1_Add(t, B[4]) -> y: float[2,4]

(opset 17, IR version 8) and breaks exactly one thing; README.md lists what
each case breaks and what xfc must say. Files that external data must not be
allowed to reach live under OUT_DIR/outside/ and OUT_DIR/secret.bin, never
outside OUT_DIR. The two `control-*` cases are valid models: they show that a
rejection in a neighbouring case comes from the one broken thing.

Models are serialized with SerializeToString() and written directly (never
onnx.save, which would rewrite external data).
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

OPSET = 17
IR_VERSION = 8
W_VALUES = (np.arange(12, dtype=np.float32) * 0.25 - 1.0).reshape(3, 4)
B_VALUES = np.array([0.5, -0.5, 1.0, -1.0], dtype=np.float32)
TWO_40 = 1 << 40

# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------


def float_tensor(name, values):
    values = np.asarray(values, dtype=np.float32)
    return helper.make_tensor(name, TensorProto.FLOAT, values.shape,
                              values.tobytes(), raw=True)


def int64_tensor(name, values):
    values = np.asarray(values, dtype=np.int64)
    return helper.make_tensor(name, TensorProto.INT64, values.shape,
                              values.tobytes(), raw=True)


def external_tensor(name, dims, location, offset=None, length=None):
    """A FLOAT tensor whose data lives in `location` (no raw_data)."""
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = TensorProto.FLOAT
    tensor.dims.extend(dims)
    tensor.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries:
        entry = tensor.external_data.add()
        entry.key = key
        entry.value = value
    return tensor


def value_info(name, elem_type, shape):
    return helper.make_tensor_value_info(name, elem_type, shape)


def base_parts():
    """The pieces of the valid base model, for a case to change one of."""
    return {
        "nodes": [
            helper.make_node("MatMul", ["x", "W"], ["t"], name="node0_MatMul"),
            helper.make_node("Add", ["t", "B"], ["y"], name="node1_Add"),
        ],
        "inputs": [value_info("x", TensorProto.FLOAT, [2, 3])],
        "outputs": [value_info("y", TensorProto.FLOAT, [2, 4])],
        "initializers": [float_tensor("W", W_VALUES),
                         float_tensor("B", B_VALUES)],
        "opsets": [("", OPSET)],
    }


def build_model(parts):
    graph = helper.make_graph(parts["nodes"], "bad_corpus", parts["inputs"],
                              parts["outputs"],
                              initializer=parts["initializers"])
    opsets = [helper.make_opsetid(domain, version)
              for domain, version in parts["opsets"]]
    model = helper.make_model(graph, opset_imports=opsets,
                              producer_name="xfc-bad-corpus")
    model.ir_version = IR_VERSION
    if not parts["opsets"]:
        del model.opset_import[:]
    return model


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_model(case_dir, parts_or_model):
    model = parts_or_model
    if isinstance(parts_or_model, dict):
        model = build_model(parts_or_model)
    write_bytes(os.path.join(case_dir, "model.onnx"), model.SerializeToString())


def base_bytes():
    return build_model(base_parts()).SerializeToString()


def replace_initializer(parts, tensor):
    parts["initializers"] = [tensor if t.name == tensor.name else t
                             for t in parts["initializers"]]


def outside(out_dir, name):
    """A real file outside every case directory (but inside OUT_DIR) holding
    W's 48 bytes: what an escaping external data path would read."""
    directory = os.path.join(out_dir, "outside")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, name)
    write_bytes(path, W_VALUES.tobytes())
    return path


def external_w_case(case_dir, location, offset=None, length=None):
    parts = base_parts()
    replace_initializer(parts, external_tensor("W", [3, 4], location, offset,
                                               length))
    write_model(case_dir, parts)


# --------------------------------------------------------------------------
# Raw protobuf wire format (for nesting deeper than protobuf will serialize)
# --------------------------------------------------------------------------


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_key(number, wire_type):
    return varint(number << 3 | wire_type)


def len_field(number, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return field_key(number, 2) + varint(len(payload)) + payload


def int_field(number, value):
    return field_key(number, 0) + varint(value)


def nested_if_model_bytes(depth):
    """A model whose node0_If has a then_branch holding an If whose
    then_branch holds an If ... `depth` Ifs in all, the innermost then_branch
    being a one-node graph. Every else_branch is a one-node graph, so the
    size grows linearly. Built as wire-format bytes, outside-in, in linear
    time: each level is a prefix and a suffix around the next level's graph.
    Field numbers are those of onnx.proto."""

    def subgraph_output(name):
        # ValueInfoProto{name=1, type=2{tensor_type=1{elem_type=1, shape=2}}}
        shape = b"".join(len_field(1, int_field(1, d)) for d in (2, 3))
        tensor_type = int_field(1, TensorProto.FLOAT) + len_field(2, shape)
        return len_field(1, name) + len_field(2, len_field(1, tensor_type))

    def identity_graph(name, output):
        # GraphProto{node=1, name=2, output=12}; NodeProto{input=1, output=2,
        # name=3, op_type=4}
        node = (len_field(1, "x") + len_field(2, output) +
                len_field(3, name + "_Identity") + len_field(4, "Identity"))
        return (len_field(1, node) + len_field(2, name) +
                len_field(12, subgraph_output(output)))

    def graph_attr(name, graph_size):
        # AttributeProto{name=1, type=20 (GRAPH=5), g=6}, up to g's bytes.
        return (len_field(1, name) + int_field(20, 5) + field_key(6, 2) +
                varint(graph_size))

    # Inside out: the innermost then_branch, then for each level (depth-1 is
    # the deepest If, 0 the top-level graph's node0_If) the bytes before and
    # after the graph it wraps.
    innermost = identity_graph("then%d" % depth, "t%d" % depth)
    heads, tails = [], []
    inner_size = len(innermost)
    for level in range(depth - 1, -1, -1):
        output = "y" if level == 0 else "o%d" % level
        node_name = "node0_If" if level == 0 else "if%d" % level
        else_graph = identity_graph("else%d" % level, "e%d" % level)
        else_attr = len_field(5, graph_attr("else_branch", len(else_graph)) +
                              else_graph)
        then_attr_head = graph_attr("then_branch", inner_size)
        node_head = (len_field(1, "cond") + len_field(2, output) +
                     len_field(3, node_name) + len_field(4, "If") +
                     field_key(5, 2) +
                     varint(len(then_attr_head) + inner_size) + then_attr_head)
        node_size = len(node_head) + inner_size + len(else_attr)
        graph_head = field_key(1, 2) + varint(node_size) + node_head
        if level == 0:
            # The top-level graph: inputs cond: bool[], x: float[2,3].
            cond = len_field(1, "cond") + len_field(
                2, len_field(1, int_field(1, TensorProto.BOOL) +
                             len_field(2, b"")))
            graph_tail = (else_attr + len_field(2, "nesting_bomb") +
                          len_field(11, cond) +
                          len_field(11, subgraph_output("x")) +
                          len_field(12, subgraph_output("y")))
        else:
            graph_tail = (else_attr + len_field(2, "then%d" % level) +
                          len_field(12, subgraph_output(output)))
        heads.append(graph_head)
        tails.append(graph_tail)
        inner_size += len(graph_head) + len(graph_tail)
    # ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8}
    model_head = (int_field(1, IR_VERSION) + len_field(2, "xfc-bad-corpus") +
                  field_key(7, 2) + varint(inner_size))
    model_tail = len_field(8, len_field(1, "") + int_field(2, OPSET))
    # heads/tails run deepest first: heads go outermost first, tails
    # innermost first.
    return ([model_head] + heads[::-1] + [innermost] + tails + [model_tail])


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------

CASES = {}


def case(name):
    def register(function):
        CASES[name] = function
        return function
    return register


@case("control-valid")
def _(case_dir, out_dir):
    write_bytes(os.path.join(case_dir, "model.onnx"), base_bytes())


@case("control-ext-ok")
def _(case_dir, out_dir):
    write_bytes(os.path.join(case_dir, "weights.bin"), W_VALUES.tobytes())
    external_w_case(case_dir, "weights.bin", offset=0, length=48)


# --- Files protobuf cannot parse -----------------------------------------

@case("truncated")
def _(case_dir, out_dir):
    data = base_bytes()
    write_bytes(os.path.join(case_dir, "model.onnx"), data[:len(data) // 2])


@case("garbage")
def _(case_dir, out_dir):
    rng = np.random.default_rng(20240229)
    write_bytes(os.path.join(case_dir, "model.onnx"),
                rng.integers(0, 256, size=4096, dtype=np.uint8).tobytes())


@case("empty-file")
def _(case_dir, out_dir):
    # Zero bytes parse as an empty ModelProto: the importer must refuse it
    # itself.
    write_bytes(os.path.join(case_dir, "model.onnx"), b"")


# --- Initializer contents ------------------------------------------------

@case("raw-data-size")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    tensor.raw_data = tensor.raw_data[:44]  # 11 floats for a 3x4 shape
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("float-data-count")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = helper.make_tensor("W", TensorProto.FLOAT, [3, 4],
                                W_VALUES.flatten()[:11].tolist())
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("overflow-dims")
def _(case_dir, out_dir):
    # W: [2^40, 2^40] (2^80 elements); x and y follow so that the graph
    # still type-checks, B becomes [1] so that it still broadcasts.
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    del tensor.dims[:]
    tensor.dims.extend([TWO_40, TWO_40])
    replace_initializer(parts, tensor)
    replace_initializer(parts, float_tensor("B", [0.5]))
    parts["inputs"] = [value_info("x", TensorProto.FLOAT, [2, TWO_40])]
    parts["outputs"] = [value_info("y", TensorProto.FLOAT, [2, TWO_40])]
    write_model(case_dir, parts)


@case("negative-dim")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    tensor.dims[0] = -3
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("huge-claimed")
def _(case_dir, out_dir):
    # W claims 2^40 floats (4 TiB) and carries 48 bytes. x: [2, 2^40] so that
    # MatMul(x, W) -> [2] still type-checks; B becomes [1].
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    del tensor.dims[:]
    tensor.dims.append(TWO_40)
    replace_initializer(parts, tensor)
    replace_initializer(parts, float_tensor("B", [0.5]))
    parts["inputs"] = [value_info("x", TensorProto.FLOAT, [2, TWO_40])]
    parts["outputs"] = [value_info("y", TensorProto.FLOAT, [2])]
    write_model(case_dir, parts)


@case("bad-elem-type")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    tensor.data_type = 999
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("bad-elem-type-undefined")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = float_tensor("W", W_VALUES)
    tensor.data_type = TensorProto.UNDEFINED
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("string-tensor")
def _(case_dir, out_dir):
    parts = base_parts()
    tensor = helper.make_tensor("W", TensorProto.STRING, [3, 4],
                                [b"w%d" % i for i in range(12)])
    replace_initializer(parts, tensor)
    write_model(case_dir, parts)


@case("dup-initializer")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["initializers"].append(float_tensor("W", W_VALUES))
    write_model(case_dir, parts)


@case("input-shadows-initializer-conflict")
def _(case_dir, out_dir):
    # IR >= 4 lets an initializer also be a graph input (a default that can
    # be overridden); the declared shapes must then agree.
    parts = base_parts()
    parts["inputs"].append(value_info("W", TensorProto.FLOAT, [3, 5]))
    write_model(case_dir, parts)


# --- External data -------------------------------------------------------

@case("ext-absolute")
def _(case_dir, out_dir):
    target = os.path.abspath(outside(out_dir, "abs.bin"))
    external_w_case(case_dir, target, offset=0, length=48)


@case("ext-dotdot")
def _(case_dir, out_dir):
    # OUT_DIR/secret.bin exists and holds valid data: only the path rule can
    # reject it.
    write_bytes(os.path.join(out_dir, "secret.bin"), W_VALUES.tobytes())
    external_w_case(case_dir, "../secret.bin", offset=0, length=48)


@case("ext-symlink")
def _(case_dir, out_dir):
    target = outside(out_dir, "symlink-target.bin")
    os.symlink(os.path.relpath(target, case_dir),
               os.path.join(case_dir, "weights.bin"))
    external_w_case(case_dir, "weights.bin", offset=0, length=48)


@case("ext-hardlink")
def _(case_dir, out_dir):
    target = outside(out_dir, "hardlink-target.bin")
    os.link(target, os.path.join(case_dir, "weights.bin"))
    external_w_case(case_dir, "weights.bin", offset=0, length=48)


@case("ext-fifo")
def _(case_dir, out_dir):
    # Opening a FIFO for reading blocks until a writer comes: the importer
    # must reject it without opening it that way.
    os.mkfifo(os.path.join(case_dir, "weights.bin"))
    external_w_case(case_dir, "weights.bin", offset=0, length=48)


@case("ext-directory")
def _(case_dir, out_dir):
    os.mkdir(os.path.join(case_dir, "weights.bin"))
    external_w_case(case_dir, "weights.bin", offset=0, length=48)


@case("ext-past-end")
def _(case_dir, out_dir):
    # The file has W's 48 bytes; the tensor asks for 48 bytes from offset 16.
    write_bytes(os.path.join(case_dir, "weights.bin"), W_VALUES.tobytes())
    external_w_case(case_dir, "weights.bin", offset=16, length=48)


@case("ext-missing")
def _(case_dir, out_dir):
    external_w_case(case_dir, "missing.bin", offset=0, length=48)


# --- Graph structure -----------------------------------------------------

@case("cycle")
def _(case_dir, out_dir):
    # y = Add(t, r) and r = Relu(y) feed each other.
    parts = base_parts()
    parts["nodes"] = [
        helper.make_node("MatMul", ["x", "W"], ["t"], name="node0_MatMul"),
        helper.make_node("Add", ["t", "r"], ["y"], name="node1_Add"),
        helper.make_node("Relu", ["y"], ["r"], name="node2_Relu"),
    ]
    parts["initializers"] = [float_tensor("W", W_VALUES)]
    write_model(case_dir, parts)


@case("undefined-input")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["nodes"][1] = helper.make_node("Add", ["t", "ghost"], ["y"],
                                         name="node1_Add")
    parts["initializers"] = [float_tensor("W", W_VALUES)]
    write_model(case_dir, parts)


@case("duplicate-output")
def _(case_dir, out_dir):
    # Two MatMuls (the same computation) both produce 't'.
    parts = base_parts()
    parts["nodes"] = [
        helper.make_node("MatMul", ["x", "W"], ["t"], name="node0_MatMul"),
        helper.make_node("MatMul", ["x", "W"], ["t"], name="node1_MatMul"),
        helper.make_node("Add", ["t", "B"], ["y"], name="node2_Add"),
    ]
    write_model(case_dir, parts)


@case("empty-graph")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["nodes"] = []
    parts["initializers"] = []
    parts["outputs"] = []
    write_model(case_dir, parts)


@case("no-outputs")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["outputs"] = []
    write_model(case_dir, parts)


@case("symbolic-shape")
def _(case_dir, out_dir):
    # A valid model: only its shapes are unknown without --input-shape.
    parts = base_parts()
    parts["inputs"] = [value_info("x", TensorProto.FLOAT, ["batch", 3])]
    parts["outputs"] = [value_info("y", TensorProto.FLOAT, ["batch", 4])]
    write_model(case_dir, parts)


# Protobuf's default recursion limit (100 nested messages) parses at most 31
# levels of If (each level nests NodeProto, AttributeProto, GraphProto): 28
# leaves a margin. A model 200 deep cannot be parsed unless the importer
# raises the limit. ONNX Runtime's session creation takes time exponential
# in this depth (24 s at 20 levels, doubling with each level).
NESTING_BOMB_DEPTH = 28


@case("nesting-bomb")
def _(case_dir, out_dir):
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.writelines(nested_if_model_bytes(NESTING_BOMB_DEPTH))


@case("nesting-bomb-deep")
def _(case_dir, out_dir):
    # 100000 levels: far past any recursion limit, and deep enough to
    # overflow the stack of a parser that has none.
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.writelines(nested_if_model_bytes(100000))


# --- Operators, domains, opsets ------------------------------------------

@case("unknown-op")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["nodes"][1] = helper.make_node("FooBar", ["t", "B"], ["y"],
                                         name="node1_FooBar")
    write_model(case_dir, parts)


@case("unknown-domain")
def _(case_dir, out_dir):
    # An 'Add' in a domain xfc does not know: it must not be imported as the
    # ONNX Add. The domain is declared in opset_import, as ONNX requires.
    parts = base_parts()
    parts["nodes"][1] = helper.make_node("Add", ["t", "B"], ["y"],
                                         name="node1_EvilAdd",
                                         domain="com.example.evil")
    parts["opsets"].append(("com.example.evil", 1))
    write_model(case_dir, parts)


@case("missing-opset")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["opsets"] = []
    write_model(case_dir, parts)


@case("old-opset")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["opsets"] = [("", 9)]
    write_model(case_dir, parts)


@case("future-opset")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["opsets"] = [("", 99)]
    write_model(case_dir, parts)


@case("attr-wrong-type")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["nodes"][1] = helper.make_node("Softmax", ["t"], ["y"],
                                         name="node1_Softmax")
    parts["nodes"][1].attribute.append(helper.make_attribute("axis", "1"))
    parts["initializers"] = [float_tensor("W", W_VALUES)]
    write_model(case_dir, parts)


@case("reshape-two-minus-one")
def _(case_dir, out_dir):
    parts = base_parts()
    parts["nodes"][1] = helper.make_node("Reshape", ["t", "shape"], ["y"],
                                         name="node1_Reshape")
    parts["initializers"] = [float_tensor("W", W_VALUES),
                             int64_tensor("shape", [-1, -1])]
    write_model(case_dir, parts)


@case("gather-index-out-of-range")
def _(case_dir, out_dir):
    # y = x + Gather(D[5,3], [1, 7], axis=0): index 7 >= 5.
    parts = base_parts()
    parts["nodes"] = [
        helper.make_node("Gather", ["D", "idx"], ["g"], name="node0_Gather",
                         axis=0),
        helper.make_node("Add", ["x", "g"], ["y"], name="node1_Add"),
    ]
    parts["initializers"] = [
        float_tensor("D", np.arange(15, dtype=np.float32).reshape(5, 3)),
        int64_tensor("idx", [1, 7]),
    ]
    parts["outputs"] = [value_info("y", TensorProto.FLOAT, [2, 3])]
    write_model(case_dir, parts)


# --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", help="where to write the cases")
    parser.add_argument("--only", action="append", metavar="CASE",
                        help="write only this case (repeatable)")
    parser.add_argument("--list", action="store_true",
                        help="print the case names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not args.out_dir:
        parser.error("OUT_DIR is required")
    names = args.only or list(CASES)
    unknown = [name for name in names if name not in CASES]
    if unknown:
        parser.error("unknown case(s): %s; --list shows them"
                     % ", ".join(unknown))
    out_dir = os.path.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        case_dir = os.path.join(out_dir, name)
        if os.path.lexists(case_dir):
            print("make_bad_models.py: %s already exists; use a fresh OUT_DIR"
                  % case_dir, file=sys.stderr)
            return 1
        os.mkdir(case_dir)
        CASES[name](case_dir, out_dir)
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
