#!/usr/bin/env python3
# ===- run_e2e.py - Numerics of --convert-xf-to-linalg ----------------------===#
# SPDX-License-Identifier: Apache-2.0
# ===------------------------------------------------------------------------===#
"""Checks that IR lowered by --convert-xf-to-linalg computes the right numbers.

Each case is an xf function plus a numpy reference. All cases go into one
module whose @main passes numpy-generated constants to each case function
and prints every result; the module is lowered with

  xfc-opt --convert-xf-to-linalg
  mlir-opt --lower-quant-ops --canonicalize --convert-elementwise-to-linalg
           --one-shot-bufferize ... --convert-linalg-to-loops ...
           --convert-to-llvm --reconcile-unrealized-casts

and run with mlir-runner. Floats are printed as their bit patterns
(arith.bitcast to i32, printMemrefI32) so that no digits are lost in
printing, then compared with the float64 numpy reference:

  |out - ref| <= atol + rtol * |ref|, atol = rtol = 1e-5 for f32 results
  (1e-2 for f16 results), integers exactly.

Usage: run_e2e.py [--xfc-opt PATH [XFC-OPT ARGS...]] [-k SUBSTRING] [--keep DIR] [-v]
"""

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

F32_TOL = 1e-5
F16_TOL = 1e-2

# ===------------------------------------------------------------------------===#
# MLIR text helpers
# ===------------------------------------------------------------------------===#

MLIR_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float16): "f16",
    np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32",
    np.dtype(np.int8): "i8",
    np.dtype(np.uint8): "ui8",
    np.dtype(np.bool_): "i1",
}


def tensor_type(shape, elem):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def literal(array, elem):
    """A dense<> literal: floats as a hex blob (exact), integers nested."""
    if elem in ("f32", "f16"):
        data = np.ascontiguousarray(array).astype("<" + array.dtype.str[1:])
        return 'dense<"0x' + data.tobytes().hex().upper() + '">'

    def nest(a):
        if a.ndim == 0:
            v = a.item()
            return ("true" if v else "false") if elem == "i1" else str(int(v))
        return "[" + ", ".join(nest(x) for x in a) + "]"

    return "dense<" + nest(np.asarray(array)) + ">"


class Case:
    """An xf function and its numpy reference. `inputs` is a list of
    (name, array[, MLIR element type]) and `body` refers to them as %name;
    `results` is a list of (shape, MLIR element type); `reference` maps the
    input arrays to the expected results."""

    def __init__(self, name, inputs, body, results, reference, tol=F32_TOL):
        self.name = name
        self.inputs = [(i[0], i[1], i[2] if len(i) > 2 else MLIR_TYPES[i[1].dtype])
                       for i in inputs]
        self.body = body
        self.results = results  # list of (shape, elem)
        self.reference = reference
        self.tol = tol

    def function(self):
        args = ", ".join(f"%{n}: {tensor_type(a.shape, e)}" for n, a, e in self.inputs)
        res = ", ".join(tensor_type(s, e) for s, e in self.results)
        return (f"func.func @{self.name}({args}) -> ({res}) {{\n"
                f"{self.body}\n}}\n")

    def call(self, index):
        lines = []
        names = []
        for n, a, e in self.inputs:
            v = f"%c{index}_{n}"
            lines.append(f"  {v} = arith.constant {literal(a, e)} : "
                         f"{tensor_type(a.shape, e)}")
            names.append(v)
        types_in = ", ".join(tensor_type(a.shape, e) for _, a, e in self.inputs)
        types_out = ", ".join(tensor_type(s, e) for s, e in self.results)
        r = f"%r{index}"
        count = len(self.results)
        lhs = f"{r}:{count}" if count > 1 else r
        lines.append(f"  {lhs} = func.call @{self.name}({', '.join(names)}) : "
                     f"({types_in}) -> ({types_out})")
        for k, (shape, elem) in enumerate(self.results):
            value = f"{r}#{k}" if count > 1 else r
            lines += print_lines(value, shape, elem, f"{index}_{k}")
        return "\n".join(lines)


def print_lines(value, shape, elem, tag):
    """Prints a result exactly: floats as i32 bit patterns, ints as i64."""
    t = tensor_type(shape, elem)
    out = []
    if elem in ("f32", "f16"):
        if elem == "f16":
            wide = tensor_type(shape, "f32")
            out.append(f"  %w{tag} = arith.extf {value} : {t} to {wide}")
            value, t = f"%w{tag}", wide
        bits = tensor_type(shape, "i32")
        out.append(f"  %b{tag} = arith.bitcast {value} : {t} to {bits}")
        out.append(f"  %u{tag} = tensor.cast %b{tag} : {bits} to tensor<*xi32>")
        out.append(f"  func.call @printMemrefI32(%u{tag}) : (tensor<*xi32>) -> ()")
    else:
        # Signless results only: a ui8 result would need a bitcast first.
        assert elem != "ui8", "ui8 results are not printed"
        wide = tensor_type(shape, "i64")
        if elem != "i64":
            ext = "arith.extui" if elem == "i1" else "arith.extsi"
            out.append(f"  %w{tag} = {ext} {value} : {t} to {wide}")
            value = f"%w{tag}"
        out.append(f"  %u{tag} = tensor.cast {value} : {wide} to tensor<*xi64>")
        out.append(f"  func.call @printMemrefI64(%u{tag}) : (tensor<*xi64>) -> ()")
    return out


def module_text(cases):
    parts = ["func.func private @printMemrefI32(tensor<*xi32>)",
             "func.func private @printMemrefI64(tensor<*xi64>)"]
    parts += [c.function() for c in cases]
    parts.append("func.func @main() {")
    parts += [c.call(i) for i, c in enumerate(cases)]
    parts.append("  return\n}")
    return "\n".join(parts) + "\n"


# ===------------------------------------------------------------------------===#
# Numpy references
# ===------------------------------------------------------------------------===#

rng = np.random.default_rng(20240611)


def randn(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def erf(x):
    return np.vectorize(math.erf)(x.astype(np.float64))


def softmax(x, axis=-1):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def gelu(x, approximate):
    x = x.astype(np.float64)
    if approximate:
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x.astype(np.float64)))


def layer_norm(x, axis, eps, scale=None, bias=None):
    x = x.astype(np.float64)
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    if scale is not None:
        y = y * scale
    if bias is not None:
        y = y + bias
    return y


def rms_norm(x, axis, eps, scale=None):
    x = x.astype(np.float64)
    axes = tuple(range(axis % x.ndim, x.ndim))
    y = x / np.sqrt((x * x).mean(axis=axes, keepdims=True) + eps)
    return y * scale if scale is not None else y


def attention(q, k, v, heads, kv_heads, mask=None, causal=False, scale=None):
    packed = q.ndim == 3
    q, k, v = (a.astype(np.float64) for a in (q, k, v))
    if packed:
        def split(a, h):
            b, s, hd = a.shape
            return a.reshape(b, s, h, hd // h).transpose(0, 2, 1, 3)
        q, k, v = split(q, heads), split(k, kv_heads), split(v, kv_heads)
    group = heads // kv_heads
    k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
    sq, skv, d = q.shape[2], k.shape[2], q.shape[3]
    s = q @ k.swapaxes(-1, -2) * (scale if scale is not None else 1 / math.sqrt(d))
    if mask is not None:
        s = np.where(mask, s, -np.inf) if mask.dtype == np.bool_ else s + mask
    if causal:
        i = np.arange(sq)[:, None]
        j = np.arange(skv)[None, :]
        s = np.where(j <= i + (skv - sq), s, -np.inf)
    o = softmax(s) @ v
    if packed:
        b, h, sq, dv = o.shape
        o = o.transpose(0, 2, 1, 3).reshape(b, sq, h * dv)
    return o


def rope(x, cos, sin, interleaved):
    x = x.astype(np.float64)
    half = cos.shape[-1]
    out = x.copy()
    if interleaved:
        x1, x2 = x[..., 0:2 * half:2], x[..., 1:2 * half:2]
        out[..., 0:2 * half:2] = x1 * cos - x2 * sin
        out[..., 1:2 * half:2] = x2 * cos + x1 * sin
    else:
        x1, x2 = x[..., :half], x[..., half:2 * half]
        out[..., :half] = x1 * cos - x2 * sin
        out[..., half:2 * half] = x2 * cos + x1 * sin
    return out


def dequantize(q, scales, zero_points, group=None):
    """Per-tensor (scalars), per-row ([N]) or grouped ([N, K/G]) params."""
    q = q.astype(np.float64)
    s = np.asarray(scales, np.float64)
    z = np.asarray(zero_points, np.float64)
    if s.ndim == 1:
        s, z = s[:, None], z[:, None]
    elif s.ndim == 2:
        s, z = np.repeat(s, group, axis=1), np.repeat(z, group, axis=1)
    return (q - z) * s


# ===------------------------------------------------------------------------===#
# Cases
# ===------------------------------------------------------------------------===#


def T(shape, elem="f32"):
    return tensor_type(shape, elem)


def unary_case(op, x, ref, attrs=""):
    s = list(x.shape)
    return Case(f"unary_{op}{'_' + attrs.split()[-1] if attrs else ''}",
                [("x", x)],
                f"  %0 = xf.{op} %x {attrs} : {T(s)}\n  return %0 : {T(s)}",
                [(s, "f32")], lambda x: [ref(x)])


def binary_case(name, op, a, b, out_shape, ref, elem="f32"):
    return Case(name, [("a", a), ("b", b)],
                f"  %0 = xf.{op} %a, %b : ({T(a.shape, elem)}, {T(b.shape, elem)}) "
                f"-> {T(out_shape, elem)}\n  return %0 : {T(out_shape, elem)}",
                [(out_shape, elem)], lambda a, b: [ref(a, b)])


def build_cases():
    cases = []
    # --- elementwise binary, broadcasting ---------------------------------
    cases.append(binary_case("add_broadcast_rank", "add", randn(2, 3, 4), randn(4),
                             [2, 3, 4], lambda a, b: a.astype(np.float64) + b))
    cases.append(binary_case("sub_broadcast_ones", "sub", randn(2, 1, 4), randn(3, 1),
                             [2, 3, 4], lambda a, b: a.astype(np.float64) - b))
    cases.append(binary_case("mul_scalar", "mul", randn(2, 3), randn(),
                             [2, 3], lambda a, b: a.astype(np.float64) * b))
    cases.append(binary_case("div_column", "div", randn(2, 3), randn(2, 1) + 3,
                             [2, 3], lambda a, b: a.astype(np.float64) / b))
    cases.append(binary_case("pow", "pow", np.abs(randn(2, 3)) + 0.5,
                             np.array([2.0, 0.5, 3.0], np.float32), [2, 3],
                             lambda a, b: a.astype(np.float64) ** b))
    cases.append(binary_case("max_broadcast", "max", randn(3, 1), randn(1, 4), [3, 4],
                             lambda a, b: np.maximum(a, b)))
    cases.append(binary_case("min_broadcast", "min", randn(3, 1), randn(4), [3, 4],
                             lambda a, b: np.minimum(a, b)))
    ia = np.array([[-7, 7, 9], [100, -3, 0]], np.int32)
    ib = np.array([2, -2, 4], np.int32)
    cases.append(binary_case("int_div_truncates", "div", ia, ib, [2, 3],
                             lambda a, b: np.trunc(a / b).astype(np.int64), "i32"))
    cases.append(binary_case("int_add", "add", ia, ib, [2, 3],
                             lambda a, b: a + b, "i32"))
    cases.append(binary_case("int_pow", "pow", ia, np.array([2, 3, 0], np.int32), [2, 3],
                             lambda a, b: a.astype(np.int64) ** b, "i32"))
    cases.append(binary_case("int_max", "max", ia.astype(np.int64), ib.astype(np.int64),
                             [2, 3], np.maximum, "i64"))

    # --- comparison and select -------------------------------------------
    fa = np.array([1.0, 2.0, np.nan, -1.0], np.float32)
    fb = np.array([1.0, 3.0, 1.0, -2.0], np.float32)
    for pred, fn in [("eq", np.equal), ("ne", np.not_equal), ("lt", np.less),
                     ("le", np.less_equal), ("gt", np.greater), ("ge", np.greater_equal)]:
        cases.append(Case(f"cmp_f32_{pred}", [("a", fa), ("b", fb)],
                          f"  %0 = xf.cmp {pred}, %a, %b : ({T([4])}, {T([4])}) -> {T([4], 'i1')}\n"
                          f"  return %0 : {T([4], 'i1')}",
                          [([4], "i1")], lambda a, b, fn=fn: [fn(a, b)]))
    cases.append(Case("cmp_i64_signed_lt", [("a", np.array([-5, 3, 7], np.int64)),
                                            ("b", np.array(2, np.int64))],
                      f"  %0 = xf.cmp lt, %a, %b : ({T([3], 'i64')}, {T([], 'i64')}) -> {T([3], 'i1')}\n"
                      f"  return %0 : {T([3], 'i1')}",
                      [([3], "i1")], lambda a, b: [a < b]))
    cases.append(Case("cmp_ui8_unsigned_lt", [("a", np.array([200, 3, 1], np.uint8)),
                                              ("b", np.array([5, 5, 1], np.uint8))],
                      f"  %0 = xf.cmp lt, %a, %b : ({T([3], 'ui8')}, {T([3], 'ui8')}) -> {T([3], 'i1')}\n"
                      f"  return %0 : {T([3], 'i1')}",
                      [([3], "i1")], lambda a, b: [a < b]))
    cond = rng.random((2, 1, 4)) > 0.5
    cases.append(Case("select_broadcast", [("c", cond), ("t", randn(3, 1)), ("f", randn())],
                      f"  %0 = xf.select %c, %t, %f : ({T([2, 1, 4], 'i1')}, {T([3, 1])}, {T([])}) "
                      f"-> {T([2, 3, 4])}\n  return %0 : {T([2, 3, 4])}",
                      [([2, 3, 4], "f32")], lambda c, t, f: [np.where(c, t, f)]))

    # --- unary math and activations ---------------------------------------
    x = randn(2, 5)
    pos = np.abs(x) + 0.1
    cases.append(unary_case("exp", x, lambda x: np.exp(x.astype(np.float64))))
    cases.append(unary_case("log", pos, lambda x: np.log(x.astype(np.float64))))
    cases.append(unary_case("tanh", x, lambda x: np.tanh(x.astype(np.float64))))
    cases.append(unary_case("erf", x, erf))
    cases.append(unary_case("sqrt", pos, lambda x: np.sqrt(x.astype(np.float64))))
    cases.append(unary_case("rsqrt", pos, lambda x: 1 / np.sqrt(x.astype(np.float64))))
    cases.append(unary_case("reciprocal", pos, lambda x: 1 / x.astype(np.float64)))
    cases.append(unary_case("sigmoid", x * 4, sigmoid))
    cases.append(unary_case("neg", x, lambda x: -x))
    cases.append(unary_case("abs", x, np.abs))
    ties = np.array([[0.5, 1.5, 2.5, -0.5, -2.5], [2.4, -2.6, 3.5, 0.0, 7.0]], np.float32)
    cases.append(unary_case("round", ties, np.round))  # numpy rounds half to even
    cases.append(unary_case("relu", x, lambda x: np.maximum(x, 0)))
    cases.append(unary_case("gelu", x * 2, lambda x: gelu(x, False)))
    cases.append(unary_case("gelu", x * 2, lambda x: gelu(x, True), "approximate = tanh"))
    cases.append(unary_case("silu", x * 3, lambda x: x * sigmoid(x)))
    ix = np.array([[-3, 0, 5]], np.int32)
    for op, fn in [("neg", np.negative), ("abs", np.abs), ("relu", lambda v: np.maximum(v, 0))]:
        cases.append(Case(f"int_{op}", [("x", ix)],
                          f"  %0 = xf.{op} %x : {T([1, 3], 'i32')}\n  return %0 : {T([1, 3], 'i32')}",
                          [([1, 3], "i32")], lambda x, fn=fn: [fn(x)]))

    # --- cast ---------------------------------------------------------------
    def cast_case(name, x, src, dst, ref):
        s = list(x.shape)
        return Case(f"cast_{name}", [("x", x, src)],
                    f"  %0 = xf.cast %x : {T(s, src)} -> {T(s, dst)}\n  return %0 : {T(s, dst)}",
                    [(s, dst)], lambda x: [ref(x)])
    cf = np.array([-2.7, -0.0, 0.0, 2.7, np.nan, 300.0], np.float32)
    cases.append(cast_case("f32_to_i32", cf[[0, 1, 3, 5]], "f32", "i32",
                           lambda x: np.trunc(x).astype(np.int64)))
    cases.append(cast_case("f32_to_i1", cf, "f32", "i1", lambda x: x != 0))
    cases.append(cast_case("i64_to_f32", np.array([-3, 0, 1 << 40], np.int64), "i64", "f32",
                           lambda x: x.astype(np.float32)))
    cases.append(cast_case("i1_to_f32", np.array([True, False]), "i1", "f32",
                           lambda x: x.astype(np.float32)))
    cases.append(cast_case("ui8_to_f32", np.array([200, 3, 255], np.uint8), "ui8", "f32",
                           lambda x: x.astype(np.float32)))
    cases.append(cast_case("ui8_to_i32", np.array([200, 3, 255], np.uint8), "ui8", "i32",
                           lambda x: x.astype(np.int64)))
    cases.append(cast_case("i32_to_i8", np.array([300, -1, 127], np.int32), "i32", "i8",
                           lambda x: x.astype(np.int8)))
    cases.append(cast_case("i8_to_i64", np.array([-128, -1, 127], np.int8), "i8", "i64",
                           lambda x: x.astype(np.int64)))
    cases.append(cast_case("i64_to_i1", np.array([0, 2, -1], np.int64), "i64", "i1",
                           lambda x: x != 0))
    cases.append(cast_case("f32_to_f16", np.array([1.0, 1e-3, 65504.0, 3.14159], np.float32),
                           "f32", "f16", lambda x: x.astype(np.float16).astype(np.float64)))

    # --- contractions ---------------------------------------------------------
    def matmul_case(name, a, b, out, ta=False, tb=False, elem="f32"):
        flags = (" transpose_lhs" if ta else "") + (" transpose_rhs" if tb else "")

        def ref(a, b):
            a = a.astype(np.float64) if elem == "f32" else a.astype(np.int64)
            b = b.astype(np.float64) if elem == "f32" else b.astype(np.int64)
            if ta:
                a = a.swapaxes(-1, -2)
            if tb:
                b = b.swapaxes(-1, -2)
            return a @ b
        return Case(f"matmul_{name}", [("a", a), ("b", b)],
                    f"  %0 = xf.matmul %a, %b{flags} : ({T(a.shape, elem)}, {T(b.shape, elem)}) "
                    f"-> {T(out, elem)}\n  return %0 : {T(out, elem)}",
                    [(out, elem)], lambda a, b: [ref(a, b)])
    cases.append(matmul_case("2d", randn(3, 4), randn(4, 5), [3, 5]))
    cases.append(matmul_case("batch_broadcast", randn(2, 1, 3, 4), randn(3, 4, 5), [2, 3, 3, 5]))
    cases.append(matmul_case("transpose_rhs", randn(2, 3, 4), randn(2, 5, 4), [2, 3, 5], tb=True))
    cases.append(matmul_case("transpose_both", randn(4, 3), randn(1, 5, 4), [1, 3, 5], ta=True, tb=True))
    cases.append(matmul_case("i32", rng.integers(-9, 9, (2, 3, 4)).astype(np.int32),
                             rng.integers(-9, 9, (4, 2)).astype(np.int32), [2, 3, 2], elem="i32"))

    w, bias = randn(5, 4), randn(5)
    cases.append(Case("linear_bias", [("x", randn(2, 3, 4)), ("w", w), ("b", bias)],
                      f"  %0 = xf.linear %x, %w, %b : ({T([2, 3, 4])}, {T([5, 4])}, {T([5])}) -> {T([2, 3, 5])}\n"
                      f"  return %0 : {T([2, 3, 5])}",
                      [([2, 3, 5], "f32")],
                      lambda x, w, b: [x.astype(np.float64) @ w.T.astype(np.float64) + b]))
    cases.append(Case("linear_rank1_nobias", [("x", randn(4)), ("w", w)],
                      f"  %0 = xf.linear %x, %w : ({T([4])}, {T([5, 4])}) -> {T([5])}\n"
                      f"  return %0 : {T([5])}",
                      [([5], "f32")], lambda x, w: [w.astype(np.float64) @ x]))
    xh, wh, bh = randn(3, 8, dtype=np.float16), randn(4, 8, dtype=np.float16), randn(4, dtype=np.float16)
    cases.append(Case("linear_f16", [("x", xh), ("w", wh), ("b", bh)],
                      f"  %0 = xf.linear %x, %w, %b : ({T([3, 8], 'f16')}, {T([4, 8], 'f16')}, {T([4], 'f16')}) -> {T([3, 4], 'f16')}\n"
                      f"  return %0 : {T([3, 4], 'f16')}",
                      [([3, 4], "f16")],
                      lambda x, w, b: [x.astype(np.float64) @ w.T.astype(np.float64) + b],
                      tol=F16_TOL))

    # quant.linear: the weight is an integer constant given its scales by
    # quant.scast, as the frontend produces it.
    def qlinear_case(name, x, q, storage, qtype, ref, bias=None, xq=None):
        n, k = q.shape
        inputs = [("x", x, xq[0] if xq else "f32"), ("q", q, storage)]
        xtype = T(x.shape, xq[0]) if xq else T(x.shape)
        body = f"  %w = quant.scast %q : {T([n, k], storage)} to {T([n, k], qtype)}\n"
        xin = "%x"
        if xq:
            body += f"  %xq = quant.scast %x : {xtype} to {T(x.shape, xq[1])}\n"
            xin = "%xq"
            xtype = T(x.shape, xq[1])
        out = list(x.shape[:-1]) + [n]
        if bias is not None:
            inputs.append(("b", bias))
            body += (f"  %0 = xf.quant.linear {xin}, %w, %b : ({xtype}, {T([n, k], qtype)}, {T([n])}) "
                     f"-> {T(out)}\n")
        else:
            body += f"  %0 = xf.quant.linear {xin}, %w : ({xtype}, {T([n, k], qtype)}) -> {T(out)}\n"
        body += f"  return %0 : {T(out)}"
        return Case(f"quant_linear_{name}", inputs, body, [(out, "f32")], ref)

    qx = randn(3, 8)
    q8 = rng.integers(-128, 128, (2, 8)).astype(np.int8)
    qb = randn(2)
    cases.append(qlinear_case(
        "per_channel_i8", qx, q8, "i8", "!quant.uniform<i8:f32:0, {0.5:3, 0.25:-2}>",
        lambda x, q, b: [x.astype(np.float64) @ dequantize(q, [0.5, 0.25], [3, -2]).T + b], bias=qb))
    q4 = rng.integers(-8, 8, (2, 8)).astype(np.int8)
    cases.append(qlinear_case(
        "groupwise_i4", qx, q4, "i4",
        "!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0:1, 3.0}, {4.0, 5.0:-1}}>",
        lambda x, q: [x.astype(np.float64) @ dequantize(q, [[2, 3], [4, 5]], [[1, 0], [0, -1]], 4).T]))
    qu = rng.integers(0, 16, (2, 8)).astype(np.uint8)
    cases.append(qlinear_case(
        "per_tensor_u4_in_u8", qx, qu.view(np.int8), "i8", "!quant.uniform<u8<0:15>:f32, 0.125:8>",
        lambda x, q: [x.astype(np.float64) @ dequantize(q.view(np.uint8), 0.125, 8).T]))
    xq8 = rng.integers(0, 256, (3, 8)).astype(np.uint8)
    cases.append(qlinear_case(
        "w8a8", xq8.view(np.int8), q8, "i8", "!quant.uniform<i8:f32:0, {0.5, 0.25}>",
        lambda x, q: [dequantize(x.view(np.uint8), 0.05, 128) @ dequantize(q, [0.5, 0.25], [0, 0]).T],
        xq=("i8", "!quant.uniform<u8:f32, 0.05:128>")))

    # quant.qcast as ONNX QuantizeLinear: round half to even, then add the
    # zero point, then saturate (lowered by Quant.cpp, not --lower-quant-ops).
    def quantize(x, scale, zero_point, lo, hi, axis=None):
        x = x.astype(np.float32)
        s = np.asarray(scale, np.float32)
        z = np.asarray(zero_point, np.float32)
        if axis is not None:
            shape = [1] * x.ndim
            shape[axis] = -1
            s, z = s.reshape(shape), z.reshape(shape)
        return np.clip(np.round(x / s) + z, lo, hi)
    xt = np.array([[0.25, 0.75, -0.25, 100.0], [-100.0, 1.0, 1.25, -0.75]], np.float32)
    ut = "!quant.uniform<u8:f32, 0.5:128>"
    cases.append(Case("qcast_per_tensor_u8", [("x", xt)],
                      f"  %q = quant.qcast %x : {T([2, 4])} to {T([2, 4], ut)}\n"
                      f"  %s = quant.scast %q : {T([2, 4], ut)} to {T([2, 4], 'i8')}\n"
                      f"  return %s : {T([2, 4], 'i8')}",
                      [([2, 4], "i8")],
                      lambda x: [quantize(x, 0.5, 128, 0, 255).astype(np.uint8).view(np.int8)]))
    at = "!quant.uniform<i8<-127:127>:f32:1, {0.5:1, 0.25, 2.0:-3, 1.0}>"
    cases.append(Case("qcast_per_axis_i8_narrow", [("x", xt)],
                      f"  %q = quant.qcast %x : {T([2, 4])} to {T([2, 4], at)}\n"
                      f"  %s = quant.scast %q : {T([2, 4], at)} to {T([2, 4], 'i8')}\n"
                      f"  return %s : {T([2, 4], 'i8')}",
                      [([2, 4], "i8")],
                      lambda x: [quantize(x, [0.5, 0.25, 2.0, 1.0], [1, 0, -3, 0], -127, 127, 1)]))
    xw = randn(3, 8)
    wt = "!quant.uniform<i8:f32:0, {0.5, 0.25}>"
    xt8 = "!quant.uniform<u8:f32, 0.05:128>"
    cases.append(Case("quant_linear_w8a8_qcast", [("x", xw), ("q", q8)],
                      f"  %w = quant.scast %q : {T([2, 8], 'i8')} to {T([2, 8], wt)}\n"
                      f"  %xq = quant.qcast %x : {T([3, 8])} to {T([3, 8], xt8)}\n"
                      f"  %0 = xf.quant.linear %xq, %w : ({T([3, 8], xt8)}, {T([2, 8], wt)}) -> {T([3, 2])}\n"
                      f"  return %0 : {T([3, 2])}",
                      [([3, 2], "f32")],
                      lambda x, q: [dequantize(quantize(x, 0.05, 128, 0, 255), 0.05, 128)
                                    @ dequantize(q, [0.5, 0.25], [0, 0]).T]))
    # dcast stays with --lower-quant-ops (exact there), per axis too.
    cases.append(Case("dcast_per_axis", [("q", q8)],
                      f"  %w = quant.scast %q : {T([2, 8], 'i8')} to {T([2, 8], '!quant.uniform<i8:f32:0, {0.5:3, 0.25:-2}>')}\n"
                      f"  %0 = quant.dcast %w : {T([2, 8], '!quant.uniform<i8:f32:0, {0.5:3, 0.25:-2}>')} to {T([2, 8])}\n"
                      f"  return %0 : {T([2, 8])}",
                      [([2, 8], "f32")], lambda q: [dequantize(q, [0.5, 0.25], [3, -2])]))

    # --- normalization, softmax, reductions --------------------------------
    x3 = randn(2, 3, 8) * 3 + 1
    g, be = randn(8), randn(8)
    cases.append(Case("layer_norm_last", [("x", x3), ("g", g), ("b", be)],
                      f"  %0 = xf.layer_norm %x scale(%g) bias(%b) {{epsilon = 1.0e-5 : f32}} : "
                      f"({T([2, 3, 8])}, {T([8])}, {T([8])}) -> {T([2, 3, 8])}\n  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x, g, b: [layer_norm(x, -1, 1e-5, g, b)]))
    g2 = randn(3, 8)
    cases.append(Case("layer_norm_axis1_nobias", [("x", x3), ("g", g2)],
                      f"  %0 = xf.layer_norm %x scale(%g) {{axis = 1 : i64, epsilon = 1.0e-3 : f32}} : "
                      f"({T([2, 3, 8])}, {T([3, 8])}) -> {T([2, 3, 8])}\n  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x, g: [layer_norm(x, 1, 1e-3, g)]))
    xh3 = (randn(2, 16) * 2 + 5).astype(np.float16)
    cases.append(Case("layer_norm_f16", [("x", xh3)],
                      f"  %0 = xf.layer_norm %x : ({T([2, 16], 'f16')}) -> {T([2, 16], 'f16')}\n"
                      f"  return %0 : {T([2, 16], 'f16')}",
                      [([2, 16], "f16")], lambda x: [layer_norm(x, -1, 1e-5)], tol=F16_TOL))
    r3 = randn(2, 3, 8) * 2 - 1
    cases.append(Case("layer_norm_residual", [("x", x3), ("r", r3), ("g", g), ("b", be)],
                      f"  %0 = xf.layer_norm %x residual(%r) scale(%g) bias(%b) {{epsilon = 1.0e-5 : f32}} : "
                      f"({T([2, 3, 8])}, {T([2, 3, 8])}, {T([8])}, {T([8])}) -> {T([2, 3, 8])}\n"
                      f"  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x, r, g, b: [layer_norm(x + r, -1, 1e-5, g, b)]))
    rh3 = (randn(2, 16) * 2).astype(np.float16)
    cases.append(Case("layer_norm_residual_f16", [("x", xh3), ("r", rh3)],
                      f"  %0 = xf.layer_norm %x residual(%r) : ({T([2, 16], 'f16')}, {T([2, 16], 'f16')}) -> {T([2, 16], 'f16')}\n"
                      f"  return %0 : {T([2, 16], 'f16')}",
                      [([2, 16], "f16")], lambda x, r: [layer_norm(x + r, -1, 1e-5)], tol=F16_TOL))
    cases.append(Case("rms_norm_scale", [("x", x3), ("g", g)],
                      f"  %0 = xf.rms_norm %x scale(%g) {{epsilon = 1.0e-6 : f32}} : "
                      f"({T([2, 3, 8])}, {T([8])}) -> {T([2, 3, 8])}\n  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x, g: [rms_norm(x, -1, 1e-6, g)]))
    cases.append(Case("rms_norm_axis1", [("x", x3)],
                      f"  %0 = xf.rms_norm %x {{axis = -2 : i64}} : ({T([2, 3, 8])}) -> {T([2, 3, 8])}\n"
                      f"  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x: [rms_norm(x, 1, 1e-5)]))
    cases.append(Case("softmax_last", [("x", x3)],
                      f"  %0 = xf.softmax %x : {T([2, 3, 8])}\n  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x: [softmax(x)]))
    cases.append(Case("softmax_axis1", [("x", x3)],
                      f"  %0 = xf.softmax %x {{axis = 1 : i64}} : {T([2, 3, 8])}\n  return %0 : {T([2, 3, 8])}",
                      [([2, 3, 8], "f32")], lambda x: [softmax(x, 1)]))
    cases.append(Case("reduce_sum_keep", [("x", x3)],
                      f"  %0 = xf.reduce_sum %x axes = [0, -1] keep_dims : ({T([2, 3, 8])}) -> {T([1, 3, 1])}\n"
                      f"  return %0 : {T([1, 3, 1])}",
                      [([1, 3, 1], "f32")], lambda x: [x.astype(np.float64).sum(axis=(0, 2), keepdims=True)]))
    cases.append(Case("reduce_mean", [("x", x3)],
                      f"  %0 = xf.reduce_mean %x axes = [1] : ({T([2, 3, 8])}) -> {T([2, 8])}\n"
                      f"  return %0 : {T([2, 8])}",
                      [([2, 8], "f32")], lambda x: [x.astype(np.float64).mean(axis=1)]))
    cases.append(Case("reduce_max_all", [("x", x3)],
                      f"  %0 = xf.reduce_max %x axes = [0, 1, 2] : ({T([2, 3, 8])}) -> {T([])}\n"
                      f"  return %0 : {T([])}",
                      [([], "f32")], lambda x: [x.max()]))
    ir = rng.integers(-50, 50, (3, 4)).astype(np.int32)
    cases.append(Case("reduce_int", [("x", ir)],
                      f"  %0 = xf.reduce_sum %x axes = [1] : ({T([3, 4], 'i32')}) -> {T([3], 'i32')}\n"
                      f"  %1 = xf.reduce_mean %x axes = [1] : ({T([3, 4], 'i32')}) -> {T([3], 'i32')}\n"
                      f"  %2 = xf.reduce_max %x axes = [0] keep_dims : ({T([3, 4], 'i32')}) -> {T([1, 4], 'i32')}\n"
                      f"  return %0, %1, %2 : {T([3], 'i32')}, {T([3], 'i32')}, {T([1, 4], 'i32')}",
                      [([3], "i32"), ([3], "i32"), ([1, 4], "i32")],
                      lambda x: [x.sum(1), np.trunc(x.sum(1) / 4).astype(np.int64),
                                 x.max(0, keepdims=True)]))

    # --- shape ops ------------------------------------------------------------
    xs = randn(2, 3, 4)
    cases.append(Case("reshape", [("x", xs)],
                      f"  %0 = xf.reshape %x : {T([2, 3, 4])} -> {T([6, 4])}\n"
                      f"  %1 = xf.reshape %0 : {T([6, 4])} -> {T([2, 12])}\n"
                      f"  %2 = xf.reshape %1 : {T([2, 12])} -> {T([3, 8])}\n"
                      f"  %3 = xf.reshape %2 : {T([3, 8])} -> {T([24])}\n"
                      f"  return %1, %2, %3 : {T([2, 12])}, {T([3, 8])}, {T([24])}",
                      [([2, 12], "f32"), ([3, 8], "f32"), ([24], "f32")],
                      lambda x: [x.reshape(2, 12), x.reshape(3, 8), x.reshape(24)]))
    cases.append(Case("reshape_rank0", [("x", randn())],
                      f"  %0 = xf.reshape %x : {T([])} -> {T([1, 1])}\n"
                      f"  %1 = xf.reshape %0 : {T([1, 1])} -> {T([])}\n"
                      f"  return %0, %1 : {T([1, 1])}, {T([])}",
                      [([1, 1], "f32"), ([], "f32")], lambda x: [x.reshape(1, 1), x]))
    cases.append(Case("transpose", [("x", xs)],
                      f"  %0 = xf.transpose %x, [2, 0, 1] : ({T([2, 3, 4])}) -> {T([4, 2, 3])}\n"
                      f"  return %0 : {T([4, 2, 3])}",
                      [([4, 2, 3], "f32")], lambda x: [x.transpose(2, 0, 1)]))
    ca, cb = randn(2, 1, 4), randn(2, 2, 4)
    cases.append(Case("concat", [("a", ca), ("b", cb)],
                      f"  %0 = xf.concat %a, %b, %a axis = -2 : ({T([2, 1, 4])}, {T([2, 2, 4])}, {T([2, 1, 4])}) "
                      f"-> {T([2, 4, 4])}\n  return %0 : {T([2, 4, 4])}",
                      [([2, 4, 4], "f32")], lambda a, b: [np.concatenate([a, b, a], axis=1)]))
    xl = randn(4, 7)
    cases.append(Case("slice_strided", [("x", xl)],
                      f"  %0 = xf.slice %x offsets = [1, 0] sizes = [2, 3] strides = [2, 3] : "
                      f"({T([4, 7])}) -> {T([2, 3])}\n  return %0 : {T([2, 3])}",
                      [([2, 3], "f32")], lambda x: [x[1:4:2, 0:7:3]]))
    cases.append(Case("split", [("x", xl)],
                      f"  %0:3 = xf.split %x axis = 1 sizes = [2, 0, 5] : ({T([4, 7])}) "
                      f"-> ({T([4, 2])}, {T([4, 0])}, {T([4, 5])})\n"
                      f"  return %0#0, %0#2 : {T([4, 2])}, {T([4, 5])}",
                      [([4, 2], "f32"), ([4, 5], "f32")], lambda x: [x[:, :2], x[:, 2:]]))
    cases.append(Case("expand", [("x", randn(3, 1))],
                      f"  %0 = xf.expand %x : {T([3, 1])} -> {T([2, 3, 4])}\n  return %0 : {T([2, 3, 4])}",
                      [([2, 3, 4], "f32")], lambda x: [np.broadcast_to(x, (2, 3, 4))]))
    table = randn(5, 3)
    idx = np.array([[0, -1], [4, -5]], np.int64)
    cases.append(Case("gather_axis0_negative", [("t", table), ("i", idx)],
                      f"  %0 = xf.gather %t[%i] axis = 0 : ({T([5, 3])}, {T([2, 2], 'i64')}) -> {T([2, 2, 3])}\n"
                      f"  return %0 : {T([2, 2, 3])}",
                      [([2, 2, 3], "f32")], lambda t, i: [t[i]]))
    idx1 = np.array([2, -3, 1], np.int32)
    cases.append(Case("gather_axis1_i32", [("t", xs), ("i", idx1)],
                      f"  %0 = xf.gather %t[%i] axis = 1 : ({T([2, 3, 4])}, {T([3], 'i32')}) -> {T([2, 3, 4])}\n"
                      f"  return %0 : {T([2, 3, 4])}",
                      [([2, 3, 4], "f32")], lambda t, i: [np.take(t, i, axis=1)]))
    cases.append(Case("gather_scalar_index", [("t", table), ("i", np.array(-2, np.int64))],
                      f"  %0 = xf.gather %t[%i] axis = 0 : ({T([5, 3])}, {T([], 'i64')}) -> {T([3])}\n"
                      f"  return %0 : {T([3])}",
                      [([3], "f32")], lambda t, i: [t[int(i)]]))

    # top_k: decreasing value, earlier first among equals (the ties below),
    # or the same selection in increasing index order.
    def top_k_ref(x, k, index_order):
        order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
        if index_order:
            order = np.sort(order, axis=-1)
        return [np.take_along_axis(x, order, axis=-1), order.astype(np.int64)]
    xt = randn(2, 3, 7)
    xt[0, 1, 2] = xt[0, 1, 5] = xt[0, 1, 6] = 3.5
    xt[1, 2, :] = 0.25
    for k, index_order in ((3, False), (3, True), (7, False), (1, True)):
        attr = " index_order" if index_order else ""
        cases.append(Case(f"top_k_{k}{'_index_order' if index_order else ''}", [("x", xt)],
                          f"  %v, %i = xf.top_k %x k = {k}{attr} : ({T([2, 3, 7])}) -> ({T([2, 3, k])}, {T([2, 3, k], 'i64')})\n"
                          f"  return %v, %i : {T([2, 3, k])}, {T([2, 3, k], 'i64')}",
                          [([2, 3, k], "f32"), ([2, 3, k], "i64")],
                          lambda x, k=k, io=index_order: top_k_ref(x, k, io)))

    # --- attention --------------------------------------------------------------
    def attn_case(name, q, k, v, heads, kv_heads, mask=None, causal=False, scale=None):
        attrs = [f"num_heads = {heads} : i64"]
        if kv_heads != heads:
            attrs.append(f"num_kv_heads = {kv_heads} : i64")
        if scale is not None:
            attrs.append(f"scale = {scale} : f32")
        if causal:
            attrs.append("causal")
        if q.ndim == 4:
            out = [q.shape[0], heads, q.shape[2], v.shape[3]]
        else:
            out = [q.shape[0], q.shape[1], heads * (v.shape[2] // kv_heads)]
        inputs = [("q", q), ("k", k), ("v", v)]
        types = [T(q.shape), T(k.shape), T(v.shape)]
        operands = "%q, %k, %v"
        if mask is not None:
            inputs.append(("m", mask))
            types.append(T(mask.shape, MLIR_TYPES[mask.dtype]))
            operands += " mask(%m)"
        body = (f"  %0 = xf.attention {operands} {{{', '.join(attrs)}}} : ({', '.join(types)}) -> {T(out)}\n"
                f"  return %0 : {T(out)}")
        return Case(f"attention_{name}", inputs, body, [(out, "f32")],
                    lambda q, k, v, m=None: [attention(q, k, v, heads, kv_heads, m, causal, scale)])
    cases.append(attn_case("mha", randn(1, 2, 3, 4), randn(1, 2, 5, 4), randn(1, 2, 5, 6), 2, 2))
    cases.append(attn_case("gqa_causal", randn(2, 4, 3, 4), randn(2, 2, 5, 4), randn(2, 2, 5, 4), 4, 2,
                           causal=True))
    cases.append(attn_case("mqa_additive_mask", randn(1, 4, 3, 4), randn(1, 1, 5, 4), randn(1, 1, 5, 4), 4, 1,
                           mask=np.where(rng.random((1, 1, 1, 5)) > 0.3, 0, -1e4).astype(np.float32),
                           scale=0.25))
    bool_mask = rng.random((4, 3, 5)) > 0.4
    bool_mask[..., 0] = True  # no query row fully masked
    cases.append(attn_case("gqa_bool_mask_per_head", randn(1, 4, 3, 4), randn(1, 2, 5, 4), randn(1, 2, 5, 4),
                           4, 2, mask=bool_mask))
    cases.append(attn_case("packed_gqa_causal_mask", randn(2, 3, 4 * 4), randn(2, 3, 2 * 4),
                           randn(2, 3, 2 * 5), 4, 2, causal=True,
                           mask=(randn(2, 1, 3, 3) * 0.5).astype(np.float32)))
    cases.append(attn_case("packed_decode_causal", randn(1, 1, 2 * 4), randn(1, 6, 2 * 4),
                           randn(1, 6, 2 * 4), 2, 2, causal=True))

    # --- rope ---------------------------------------------------------------------
    def rope_case(name, x, half, interleaved, cos_shape):
        angles = rng.random(cos_shape[:-1] + [half]) * 6.0
        cos, sin = np.cos(angles).astype(np.float32), np.sin(angles).astype(np.float32)
        flag = " interleaved" if interleaved else ""
        return Case(f"rope_{name}", [("x", x), ("c", cos), ("s", sin)],
                    f"  %0 = xf.rope %x, %c, %s{flag} : ({T(x.shape)}, {T(cos.shape)}, {T(sin.shape)}) "
                    f"-> {T(x.shape)}\n  return %0 : {T(x.shape)}",
                    [(list(x.shape), "f32")], lambda x, c, s: [rope(x, c, s, interleaved)])
    cases.append(rope_case("rotate_half", randn(1, 2, 3, 8), 4, False, [3, 4]))
    cases.append(rope_case("rotate_half_partial", randn(2, 3, 8), 2, False, [2, 3, 2]))
    cases.append(rope_case("interleaved", randn(1, 2, 3, 8), 4, True, [1, 1, 3, 4]))
    cases.append(rope_case("interleaved_partial", randn(2, 3, 10), 3, True, [3, 3]))
    return cases


# ===------------------------------------------------------------------------===#
# Driver
# ===------------------------------------------------------------------------===#


def run(cmd, stdin=None):
    result = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(f"command failed: {' '.join(cmd)}\n{result.stderr}\n")
        sys.exit(1)
    return result.stdout


def parse_outputs(text):
    """The numbers of each printed memref, in print order."""
    blocks = text.split("Unranked Memref")[1:]
    return [[int(v) for v in re.findall(r"-?\d+", b.split("data =", 1)[1])] for b in blocks]


def decode(values, shape, elem):
    if elem in ("f32", "f16"):
        return np.array(values, np.int64).astype(np.uint32).view(np.float32).reshape(shape)
    return np.array(values, np.int64).reshape(shape)


# After --convert-xf-to-linalg: quant casts, bufferization, loops, LLVM.
LOWER_TO_LLVM = [
    "--lower-quant-ops", "--canonicalize", "--convert-elementwise-to-linalg",
    "--one-shot-bufferize=bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map",
    # math-to-libm (erf, tanh) marks all of math illegal in LLVM 22, so the
    # ops with intrinsics go to LLVM first.
    "--convert-linalg-to-loops", "--convert-math-to-funcs", "--convert-math-to-llvm",
    "--convert-math-to-libm", "--expand-strided-metadata", "--lower-affine",
    "--convert-scf-to-cf", "--convert-to-llvm", "--reconcile-unrealized-casts",
]


def lower_and_run(source, xfc_opt="xfc-opt", xfc_opt_args=(), keep=None):
    """Lowers an xf module whose @main prints with printMemref*, runs it
    with mlir-runner and returns the printed memrefs (lists of integers)."""
    runner = shutil.which("mlir-runner")
    mlir_opt = shutil.which("mlir-opt")
    if not runner or not mlir_opt:
        sys.exit("mlir-runner and mlir-opt must be on PATH")
    libdir = os.path.join(os.path.dirname(os.path.realpath(runner)), "..", "lib")
    libs = ",".join(os.path.join(libdir, f"libmlir_{n}.so")
                    for n in ("runner_utils", "c_runner_utils"))
    lowered = run([xfc_opt, *xfc_opt_args, "--convert-xf-to-linalg"], source)
    llvm = run([mlir_opt, *LOWER_TO_LLVM], lowered)
    if keep:
        os.makedirs(keep, exist_ok=True)
        for name, text in (("input.mlir", source), ("linalg.mlir", lowered),
                           ("llvm.mlir", llvm)):
            with open(os.path.join(keep, name), "w") as f:
                f.write(text)
    with tempfile.NamedTemporaryFile("w", suffix=".mlir", delete=False) as f:
        f.write(llvm)
    try:
        output = run([runner, f.name, "-e", "main", "-entry-point-result=void",
                      f"-shared-libs={libs}"])
    finally:
        os.unlink(f.name)
    return parse_outputs(output)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xfc-opt", default="xfc-opt")
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("--keep", help="write the intermediate files into this directory")
    parser.add_argument("-v", action="store_true", help="print every case")
    # Unknown arguments go to xfc-opt: lit's XFC_TEST_VERIFY_ROUNDTRIP mode
    # substitutes `xfc-opt --verify-roundtrip` for `xfc-opt`.
    args, xfc_opt_args = parser.parse_known_args()

    cases = [c for c in build_cases() if args.k in c.name]
    printed = lower_and_run(module_text(cases), args.xfc_opt, xfc_opt_args, args.keep)

    expected_count = sum(len(c.results) for c in cases)
    if len(printed) != expected_count:
        sys.exit(f"expected {expected_count} printed results, got {len(printed)}")
    failures = 0
    position = 0
    for case in cases:
        refs = case.reference(*[a for _, a, _ in case.inputs])
        worst = 0.0
        ok = True
        for (shape, elem), ref in zip(case.results, refs):
            got = decode(printed[position], shape, elem)
            position += 1
            ref = np.asarray(ref)
            if elem in ("f32", "f16"):
                ref = ref.astype(np.float64)
                got = got.astype(np.float64)
                same_nan = np.isnan(got) == np.isnan(ref)
                err = np.where(np.isnan(ref), 0, np.abs(got - ref))
                worst = max(worst, float(err.max()) if err.size else 0.0)
                ok &= bool(same_nan.all()) and bool(
                    (err <= case.tol + case.tol * np.abs(np.nan_to_num(ref))).all())
            else:
                ok &= bool((got == ref.astype(np.int64)).all())
                worst = max(worst, float(np.abs(got - ref.astype(np.int64)).max()) if got.size else 0.0)
        status = "PASS" if ok else "FAIL"
        if not ok:
            failures += 1
        if args.v or not ok:
            print(f"{status}: {case.name}  max abs error {worst:.3g}  (tol {case.tol:g})")
    print(f"{len(cases) - failures} of {len(cases)} cases passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
