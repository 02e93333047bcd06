#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Tensor files for the xfc-run tests.

  make_tensors.py npy DIR        good .npy files, one per dtype and layout
  make_tensors.py bad-npy DIR    malformed or unsupported .npy files
  make_tensors.py pb DIR         ONNX TensorProto files (raw_data and typed
                                 fields) and malformed ones
  make_tensors.py fake-linear DIR
                                 inputs and expected outputs for the fake
                                 artifact of test/Runtime/fake_model.c
  make_tensors.py onnx-model DIR a small ONNX model (MatMul, Add, Relu,
                                 ReduceSum; an output name with '/' and ':'),
                                 an input and ONNX Runtime's outputs
  make_tensors.py same A B       exit 1 unless the tensors in A and B (.npy or
                                 .pb) have the same dtype, shape and values
"""
import os
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

GOOD = {
    "f32": np.array([[1.5, -2.0, 3.25], [0.0, -0.0, 1e-30]], dtype="<f4"),
    "f64": np.array([1.0 / 3.0, -1e300, np.inf], dtype="<f8"),
    "f16": np.array([1.0, -0.5, 65504.0, 6e-8], dtype="<f2"),
    "i8": np.array([-128, 0, 127], dtype="i1"),
    "u8": np.array([0, 200, 255], dtype="u1"),
    "i16": np.array([-32768, 7, 32767], dtype="<i2"),
    "i32": np.array([[-2147483648], [2147483647]], dtype="<i4"),
    "i64": np.array([[-(2**63), 2**63 - 1, 42]], dtype="<i8"),
    "bool": np.array([True, False, True]),
    "scalar": np.array(2.5, dtype="<f4"),
    "empty": np.zeros((0, 3), dtype="<f4"),
    "nan": np.array([np.nan, -np.inf, 1.0], dtype="<f4"),
    # Fortran order with one non-unit dimension is the C layout too.
    "fortran-vector": np.asfortranarray(
        np.arange(4, dtype="<i4").reshape(4, 1)),
}


def write_npy(path, array, version=None):
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


def header(descr, fortran, shape):
    return "{'descr': %r, 'fortran_order': %s, 'shape': %s, }" % (
        descr, fortran, shape)


def raw_npy(path, dict_text, data, version=1):
    """A .npy file with any header text, unpadded."""
    magic = b"\x93NUMPY" + bytes([version, 0])
    encoded = dict_text.encode("latin1") + b"\n"
    length = struct.pack("<H" if version == 1 else "<I", len(encoded))
    with open(path, "wb") as f:
        f.write(magic + length + encoded + data)


def make_npy(out):
    for name, array in GOOD.items():
        np.save(os.path.join(out, name + ".npy"), array)
    write_npy(os.path.join(out, "v2.npy"), GOOD["i64"], version=(2, 0))
    write_npy(os.path.join(out, "v3.npy"), GOOD["f32"], version=(3, 0))


def make_bad_npy(out):
    p = lambda name: os.path.join(out, name)
    np.save(p("fortran.npy"), np.asfortranarray(GOOD["f32"]))
    np.save(p("big-endian.npy"), GOOD["f32"].astype(">f4"))
    np.save(p("complex.npy"), np.array([1 + 2j], dtype="<c8"))
    np.save(p("unicode.npy"), np.array(["abc"]))
    np.save(p("object.npy"), np.array([{"a": 1}], dtype=object),
            allow_pickle=True)
    np.save(p("structured.npy"),
            np.zeros(2, dtype=[("a", "<f4"), ("b", "<i8")]))
    np.save(p("u32.npy"), np.array([1], dtype="<u4"))
    with open(p("f32.npy.tmp"), "wb") as f:
        np.save(f, GOOD["f32"])
    data = open(p("f32.npy.tmp"), "rb").read()
    os.remove(p("f32.npy.tmp"))
    open(p("truncated-data.npy"), "wb").write(data[:-5])
    open(p("truncated-header.npy"), "wb").write(data[:40])
    open(p("truncated-preamble.npy"), "wb").write(data[:7])
    open(p("trailing.npy"), "wb").write(data + b"\0\0\0\0")
    open(p("empty-file.npy"), "wb").write(b"")
    open(p("not-npy.npy"), "wb").write(b"PK\x03\x04 this is a zip file")
    # Dimensions whose product overflows int64, and ones that fit int64 but
    # describe far more data than the file has: neither may allocate.
    raw_npy(p("overflow.npy"), header("<f4", False, (2**40, 2**40)), b"")
    raw_npy(p("huge.npy"), header("<f4", False, (2**20, 2**20, 2**10)), b"")
    raw_npy(p("dim-too-big.npy"), header("<f4", False, (2**70,)), b"")
    raw_npy(p("negative.npy"), header("<f4", False, (-1, 2)), b"")
    raw_npy(p("bad-version.npy"), header("<f4", False, (1,)), b"\0" * 4,
            version=9)
    raw_npy(p("garbage-header.npy"), "{'descr': <f4>}", b"")
    raw_npy(p("missing-key.npy"), "{'descr': '<f4', 'shape': (1,)}", b"")
    raw_npy(p("header-length.npy"), header("<f4", False, (1,)), b"")
    # A header length field pointing far past the end of the file.
    with open(p("header-length.npy"), "r+b") as f:
        f.seek(8)
        f.write(struct.pack("<H", 60000))


def make_pb(out):
    p = lambda name: os.path.join(out, name)
    save = lambda proto, name: open(p(name), "wb").write(
        proto.SerializeToString())
    # raw_data, as numpy_helper writes it.
    save(numpy_helper.from_array(GOOD["f32"], "x"), "raw-f32.pb")
    save(numpy_helper.from_array(GOOD["i64"], "ids"), "raw-i64.pb")
    save(numpy_helper.from_array(GOOD["bool"], "flags"), "raw-bool.pb")
    save(numpy_helper.from_array(GOOD["f16"], "h"), "raw-f16.pb")
    # The typed fields, as helper.make_tensor writes them.
    save(helper.make_tensor("tf32", TensorProto.FLOAT, [2, 2],
                            [1.0, 2.5, -3.0, 4.0]), "typed-f32.pb")
    save(helper.make_tensor("tf64", TensorProto.DOUBLE, [2], [0.1, -7.0]),
         "typed-f64.pb")
    save(helper.make_tensor("ti64", TensorProto.INT64, [3], [5, -6, 2**40]),
         "typed-i64.pb")
    save(helper.make_tensor("ti32", TensorProto.INT32, [2], [-9, 9]),
         "typed-i32.pb")
    save(helper.make_tensor("ti8", TensorProto.INT8, [3], [-128, 5, 127]),
         "typed-i8.pb")
    save(helper.make_tensor("tu8", TensorProto.UINT8, [2], [0, 255]),
         "typed-u8.pb")
    save(helper.make_tensor("tbool", TensorProto.BOOL, [2], [True, False]),
         "typed-bool.pb")
    save(helper.make_tensor("tf16", TensorProto.FLOAT16, [2],
                            np.array([1.5, -2.0], dtype=np.float16)),
         "typed-f16.pb")
    save(helper.make_tensor("tbf16", TensorProto.BFLOAT16, [2], [1.0, -0.5]),
         "typed-bf16.pb")
    save(helper.make_tensor("scalar", TensorProto.FLOAT, [], [7.0]),
         "typed-scalar.pb")
    # Malformed or unsupported.
    bad = numpy_helper.from_array(GOOD["f32"], "short")
    bad.raw_data = bad.raw_data[:-4]
    save(bad, "short-raw.pb")
    save(helper.make_tensor("few", TensorProto.FLOAT, [3], [1.0, 2.0]),
         "few-floats.pb")
    save(helper.make_tensor("s", TensorProto.STRING, [1], [b"a"]),
         "string.pb")
    save(helper.make_tensor("u64", TensorProto.UINT64, [1], [1]), "u64.pb")
    external = numpy_helper.from_array(GOOD["f32"], "ext")
    external.ClearField("raw_data")
    external.data_location = TensorProto.EXTERNAL
    entry = external.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    save(external, "external.pb")
    huge = helper.make_tensor("huge", TensorProto.FLOAT, [2**40, 2**40], [])
    save(huge, "overflow.pb")
    open(p("garbage.pb"), "wb").write(b"\xff\xff\xff\xff not a protobuf")


def make_fake_linear(out):
    """y = x @ W.T + b, W[n][k] = 3n + k + 1, b = [0.5, -1, 2, 0]."""
    p = lambda name: os.path.join(out, name)
    x = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)
    w = np.arange(1, 13, dtype=np.float32).reshape(4, 3)
    y = x @ w.T + np.array([0.5, -1, 2, 0], dtype=np.float32)
    np.save(p("x.npy"), x)
    open(p("x.pb"), "wb").write(
        numpy_helper.from_array(x, "x").SerializeToString())
    nan = x.copy()
    nan[0, 0] = np.nan
    np.save(p("x-nan.npy"), nan)
    np.save(p("x-f64.npy"), x.astype(np.float64))
    np.save(p("x-3x3.npy"), np.ones((3, 3), dtype=np.float32))
    for name, value in [("expected", y), ("close", y + 1e-3 * y),
                        ("wrong", y), ("shape", y.reshape(4, 2)),
                        ("dtype", y.astype(np.float64))]:
        os.makedirs(p(name))
        if name == "wrong":
            value = value.copy()
            value[1, 2] += 1.0
        np.save(p(os.path.join(name, "y.npy")), value)
    os.makedirs(p("expected-pb"))
    open(p("expected-pb/y.pb"), "wb").write(
        numpy_helper.from_array(y, "y").SerializeToString())


def make_onnx_model(out):
    import onnxruntime

    p = lambda name: os.path.join(out, name)
    rng = np.random.default_rng(0)
    w = rng.standard_normal((16, 8)).astype(np.float32)
    b = rng.standard_normal((8,)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["h"]),
         helper.make_node("Add", ["h", "B"], ["a"]),
         helper.make_node("Relu", ["a"], ["y/out:0"]),
         helper.make_node("ReduceSum", ["a"], ["sum"], keepdims=0)],
        "linear", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                 [2, 16])],
        [helper.make_tensor_value_info("y/out:0", TensorProto.FLOAT, [2, 8]),
         helper.make_tensor_value_info("sum", TensorProto.FLOAT, [])],
        [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.save(model, p("model.onnx"))
    x = rng.standard_normal((2, 16)).astype(np.float32)
    np.save(p("x.npy"), x)
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"])
    y, total = session.run(None, {"x": x})
    os.makedirs(p("expected"))
    np.save(p("expected/y_out_0.npy"), y)
    np.save(p("expected/sum.npy"), total)


def load(path):
    if path.endswith(".pb"):
        proto = TensorProto()
        proto.ParseFromString(open(path, "rb").read())
        return numpy_helper.to_array(proto)
    return np.load(path)


def same(a, b):
    x, y = load(a), load(b)
    if x.dtype != y.dtype or x.shape != y.shape:
        print("%s: %s %s, %s: %s %s" % (a, x.dtype, x.shape, b, y.dtype,
                                        y.shape))
        return 1
    if x.dtype.kind == "f":
        equal = np.array_equal(x, y, equal_nan=True)
        # Compare bit patterns too, so -0.0 and NaNs survive.
        equal = equal and x.tobytes() == y.tobytes()
    else:
        equal = np.array_equal(x, y)
    if not equal:
        print("%s and %s differ:\n%s\n%s" % (a, b, x, y))
        return 1
    return 0


def main():
    command = sys.argv[1]
    if command == "same":
        return same(sys.argv[2], sys.argv[3])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    {"npy": make_npy, "bad-npy": make_bad_npy, "pb": make_pb,
     "fake-linear": make_fake_linear, "onnx-model": make_onnx_model}[command](
         out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
