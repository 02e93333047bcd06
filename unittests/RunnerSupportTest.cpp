//===- RunnerSupportTest.cpp - xfc-run's tensor files and checks ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/Compare.h"
#include "xfc/Runner/NumpyIO.h"
#include "xfc/Runner/RunnerUtils.h"
#include "xfc/Runner/TensorIO.h"

#include "llvm/Support/Endian.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace xfc::runner;
using llvm::SmallVector;
using llvm::StringRef;

namespace {

/// The error message of a result, or "" when it succeeded.
std::string errorOf(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : "";
}
template <typename T> std::string errorOf(llvm::Expected<T> &expected) {
  return expected ? "" : llvm::toString(expected.takeError());
}
template <typename T> std::string errorOf(llvm::Expected<T> &&expected) {
  return errorOf(expected);
}

#define ASSERT_OK(result) ASSERT_EQ(errorOf(result), "")
#define EXPECT_OK(result) EXPECT_EQ(errorOf(result), "")

/// A .npy file with the given header dictionary and `dataBytes` zero bytes.
std::string makeNumpy(StringRef dict, size_t dataBytes, int major = 1) {
  std::string file = "\x93NUMPY";
  file += static_cast<char>(major);
  file += '\0';
  char length[4];
  if (major == 1) {
    llvm::support::endian::write16le(length, dict.size());
    file.append(length, 2);
  } else {
    llvm::support::endian::write32le(length, dict.size());
    file.append(length, 4);
  }
  file += dict;
  file.append(dataBytes, '\0');
  return file;
}

HostTensor makeTensor(xfc_dtype dtype, llvm::ArrayRef<int64_t> dims,
                      llvm::ArrayRef<double> values) {
  llvm::Expected<HostTensor> tensor = HostTensor::create(dtype, dims);
  EXPECT_TRUE(static_cast<bool>(tensor));
  for (auto [i, value] : llvm::enumerate(values)) {
    char *data = tensor->getData();
    switch (dtype) {
    case XFC_DTYPE_F32: {
      float narrowed = value;
      std::memcpy(data + 4 * i, &narrowed, 4);
      break;
    }
    case XFC_DTYPE_F64:
      std::memcpy(data + 8 * i, &value, 8);
      break;
    case XFC_DTYPE_I64: {
      int64_t integer = value;
      std::memcpy(data + 8 * i, &integer, 8);
      break;
    }
    default:
      ADD_FAILURE() << "makeTensor: unsupported dtype";
    }
  }
  return std::move(*tensor);
}

//===----------------------------------------------------------------------===//
// .npy header
//===----------------------------------------------------------------------===//

TEST(NumpyHeader, WhatNumpyWrites) {
  llvm::Expected<NumpyHeader> header = parseNumpyHeader(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }    \n");
  ASSERT_OK(header);
  EXPECT_EQ(header->descr, "<f4");
  EXPECT_EQ(header->dtype, XFC_DTYPE_F32);
  EXPECT_FALSE(header->fortranOrder);
  EXPECT_EQ(header->shape, (SmallVector<int64_t, 4>{2, 3}));
}

TEST(NumpyHeader, ShapesAndSpellings) {
  auto shapeOf = [](StringRef dict) {
    llvm::Expected<NumpyHeader> header = parseNumpyHeader(dict);
    EXPECT_OK(header);
    return header ? header->shape : SmallVector<int64_t, 4>{-1};
  };
  EXPECT_EQ(shapeOf("{'descr': '<i8', 'fortran_order': False, 'shape': ()}"),
            (SmallVector<int64_t, 4>{}));
  EXPECT_EQ(shapeOf("{'descr':'<i8','fortran_order':False,'shape':(7,)}"),
            (SmallVector<int64_t, 4>{7}));
  // Key order is free; old NumPy wrote Python 2 longs ("3L").
  EXPECT_EQ(shapeOf("{\"shape\": (3L, 0L), \"fortran_order\": True, "
                    "\"descr\": \"|b1\"}"),
            (SmallVector<int64_t, 4>{3, 0}));
}

TEST(NumpyHeader, DTypes) {
  auto dtypeOf = [](StringRef descr) -> std::optional<xfc_dtype> {
    llvm::Expected<NumpyHeader> header = parseNumpyHeader(
        ("{'descr': '" + descr + "', 'fortran_order': False, 'shape': ()}")
            .str());
    if (!header) {
      llvm::consumeError(header.takeError());
      return std::nullopt;
    }
    return header->dtype;
  };
  EXPECT_EQ(dtypeOf("<f2"), XFC_DTYPE_F16);
  EXPECT_EQ(dtypeOf("<f4"), XFC_DTYPE_F32);
  EXPECT_EQ(dtypeOf("<f8"), XFC_DTYPE_F64);
  EXPECT_EQ(dtypeOf("|i1"), XFC_DTYPE_I8);
  EXPECT_EQ(dtypeOf("|u1"), XFC_DTYPE_U8);
  EXPECT_EQ(dtypeOf("<i2"), XFC_DTYPE_I16);
  EXPECT_EQ(dtypeOf("<i4"), XFC_DTYPE_I32);
  EXPECT_EQ(dtypeOf("<i8"), XFC_DTYPE_I64);
  EXPECT_EQ(dtypeOf("|b1"), XFC_DTYPE_BOOL);
  EXPECT_EQ(dtypeOf("?"), XFC_DTYPE_BOOL);
  EXPECT_EQ(dtypeOf(">i1"), XFC_DTYPE_I8); // Byte order is moot for bytes.
  EXPECT_EQ(dtypeOf("<c8"), std::nullopt);
  EXPECT_EQ(dtypeOf("<u4"), std::nullopt);
  EXPECT_EQ(dtypeOf("<U5"), std::nullopt);
  EXPECT_EQ(dtypeOf("|O"), std::nullopt);
  EXPECT_EQ(dtypeOf("|f4"), std::nullopt);
}

TEST(NumpyHeader, Errors) {
  auto errorFor = [](StringRef dict) {
    return errorOf(parseNumpyHeader(dict));
  };
  EXPECT_EQ(errorFor("{'descr': '>f4', 'fortran_order': False, 'shape': ()}"),
            "dtype '>f4' is big-endian; save the array little-endian, e.g. "
            "with arr.astype('<f4')");
  EXPECT_EQ(errorFor("{'descr': '<c8', 'fortran_order': False, 'shape': ()}"),
            "unsupported dtype '<c8'; xfc-run reads f2 f4 f8 i1 u1 i2 i4 i8 "
            "b1 (little-endian)");
  EXPECT_EQ(errorFor("{'descr': [('a', '<f4')], 'fortran_order': False, "
                     "'shape': ()}"),
            "the dtype is structured (a record type); xfc-run reads plain "
            "numeric and bool arrays only");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'shape': ()}"),
            "malformed header: it needs the keys 'descr', 'fortran_order' "
            "and 'shape'");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': False, 'shape': (), "
                     "'extra': 1}"),
            "malformed header: unexpected key 'extra'");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(-2, 3)}"),
            "shape has negative dimension -2");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': False, 'shape': "
                     "(99999999999999999999,)}"),
            "dimension 99999999999999999999 overflows int64");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': False, 'shape': (2"),
            "malformed header: expected ',' or ')' in the shape at the end "
            "of the header");
  EXPECT_EQ(errorFor("{'descr': '<f4"),
            "malformed header: unterminated string");
  EXPECT_EQ(errorFor(""),
            "malformed header: expected '{' at the end of the header");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}"),
            "malformed header: 'fortran_order' is not True or False");
  EXPECT_EQ(errorFor("{'descr': '<f4', 'fortran_order': None, 'shape': ()}"),
            "malformed header: expected a string, True, False, an integer or "
            "a tuple at 'None, 'shape': ()}'");
}

//===----------------------------------------------------------------------===//
// .npy files
//===----------------------------------------------------------------------===//

TEST(NumpyFile, Truncated) {
  std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  EXPECT_EQ(errorOf(parseNumpy(makeNumpy(dict, 20))),
            "truncated: 20 bytes of data but the shape 2x3 of f32 needs 24");
  EXPECT_EQ(errorOf(parseNumpy(makeNumpy(dict, 28))),
            "4 bytes after the data of the shape 2x3 of f32 (not a single "
            ".npy array?)");
  std::string file = makeNumpy(dict, 24);
  EXPECT_EQ(errorOf(parseNumpy(StringRef(file).take_front(30))),
            "truncated: the header of 59 bytes runs past the end of the file "
            "(30 bytes)");
  EXPECT_EQ(errorOf(parseNumpy(StringRef(file).take_front(9))),
            "truncated: 9 bytes, too short for the .npy preamble");
  EXPECT_EQ(errorOf(parseNumpy(StringRef(file).take_front(3))),
            "truncated: 3 bytes, too short for the .npy preamble");
  EXPECT_EQ(errorOf(parseNumpy("")), "the file is empty");
  EXPECT_EQ(errorOf(parseNumpy("PK\x03\x04 a zip file")),
            "not a .npy file: it does not start with the magic string "
            "\\x93NUMPY");
  EXPECT_OK(parseNumpy(file));
}

TEST(NumpyFile, HugeDimensionsDoNotAllocate) {
  EXPECT_EQ(errorOf(parseNumpy(
                makeNumpy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                          "(4294967296, 4294967296)}",
                          8))),
            "shape 4294967296x4294967296 of f64 overflows int64");
  EXPECT_EQ(errorOf(parseNumpy(
                makeNumpy("{'descr': '<f8', 'fortran_order': False, 'shape': "
                          "(1000000, 1000000)}",
                          8))),
            "truncated: 8 bytes of data but the shape 1000000x1000000 of f64 "
            "needs 8000000000000");
}

TEST(NumpyFile, VersionsAndOrder) {
  std::string dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,)}";
  EXPECT_OK(parseNumpy(makeNumpy(dict, 8, /*major=*/2)));
  EXPECT_OK(parseNumpy(makeNumpy(dict, 8, /*major=*/3)));
  EXPECT_EQ(errorOf(parseNumpy(makeNumpy(dict, 8, /*major=*/4))),
            "unsupported .npy format version 4.0; xfc-run reads 1.0, 2.0 and "
            "3.0");
  // Fortran order is the same layout as C order with one non-unit dim.
  EXPECT_OK(parseNumpy(makeNumpy("{'descr': '<i4', 'fortran_order': True, "
                                 "'shape': (1, 2, 1)}",
                                 8)));
  EXPECT_EQ(
      errorOf(parseNumpy(makeNumpy(
          "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 2)}", 16))),
      "the array is stored in Fortran order; save it in C order, e.g. "
      "np.save(path, np.ascontiguousarray(arr))");
}

TEST(NumpyFile, RoundTripEveryDType) {
  for (xfc_dtype dtype :
       {XFC_DTYPE_F32, XFC_DTYPE_F16, XFC_DTYPE_F64, XFC_DTYPE_I8, XFC_DTYPE_U8,
        XFC_DTYPE_I16, XFC_DTYPE_I32, XFC_DTYPE_I64, XFC_DTYPE_BOOL}) {
    llvm::Expected<HostTensor> tensor = HostTensor::create(dtype, {2, 3});
    ASSERT_OK(tensor);
    for (auto [i, byte] : llvm::enumerate(tensor->getBytes()))
      byte = dtype == XFC_DTYPE_BOOL ? i % 2 : static_cast<char>(i * 7 + 1);
    std::string file;
    llvm::raw_string_ostream os(file);
    ASSERT_OK(writeNumpy(os, *tensor));
    // The data starts on a 64-byte boundary, as NumPy writes it.
    EXPECT_EQ((file.size() - tensor->getByteSize()) % 64, 0u);
    llvm::Expected<HostTensor> read = parseNumpy(file);
    ASSERT_OK(read);
    EXPECT_EQ(read->getDType(), dtype);
    EXPECT_EQ(read->getDims(), tensor->getDims());
    EXPECT_EQ(read->getBytes(), tensor->getBytes());
  }
}

TEST(NumpyFile, ScalarAndVersion2Header) {
  for (size_t rank : {0, 1, 30000}) {
    SmallVector<int64_t> dims(rank, 1);
    llvm::Expected<HostTensor> tensor = HostTensor::create(XFC_DTYPE_I64, dims);
    ASSERT_OK(tensor);
    std::string file;
    llvm::raw_string_ostream os(file);
    ASSERT_OK(writeNumpy(os, *tensor));
    EXPECT_EQ(file[6], rank == 30000 ? 2 : 1) << "rank " << rank;
    llvm::Expected<HostTensor> read = parseNumpy(file);
    ASSERT_OK(read);
    EXPECT_EQ(read->getRank(), static_cast<int64_t>(rank));
  }
}

TEST(NumpyFile, BFloat16HasNoNumpyDType) {
  llvm::Expected<HostTensor> tensor = HostTensor::create(XFC_DTYPE_BF16, {1});
  ASSERT_OK(tensor);
  std::string file;
  llvm::raw_string_ostream os(file);
  EXPECT_NE(errorOf(writeNumpy(os, *tensor)), "");
}

//===----------------------------------------------------------------------===//
// TensorProto
//===----------------------------------------------------------------------===//

TEST(TensorProto, RawAndTypedData) {
  onnx::TensorProto proto;
  proto.set_name("x");
  proto.set_data_type(onnx::TensorProto::FLOAT);
  proto.add_dims(2);
  proto.add_float_data(1.5f);
  proto.add_float_data(-2.0f);
  std::string name;
  llvm::Expected<HostTensor> tensor =
      parseTensorProto(proto.SerializeAsString(), &name);
  ASSERT_OK(tensor);
  EXPECT_EQ(name, "x");
  EXPECT_EQ(tensor->describe(), "f32 2");
  EXPECT_EQ(tensor->getAsDouble(1), -2.0);

  proto.add_float_data(3.0f);
  EXPECT_EQ(
      errorOf(parseTensorProto(proto.SerializeAsString())),
      "the TensorProto has 3 float_data values but its shape 2 of f32 needs 2");

  // f16 in int32_data holds bit patterns.
  onnx::TensorProto half;
  half.set_data_type(onnx::TensorProto::FLOAT16);
  half.add_dims(1);
  half.add_int32_data(0x3c00);
  tensor = parseTensorProto(half.SerializeAsString());
  ASSERT_OK(tensor);
  EXPECT_EQ(tensor->getAsDouble(0), 1.0);

  onnx::TensorProto bytes;
  bytes.set_data_type(onnx::TensorProto::INT8);
  bytes.add_dims(1);
  bytes.add_int32_data(300);
  EXPECT_EQ(errorOf(parseTensorProto(bytes.SerializeAsString())),
            "int32_data value 300 at index 0 does not fit i8");

  onnx::TensorProto raw;
  raw.set_data_type(onnx::TensorProto::INT64);
  raw.add_dims(3);
  raw.set_raw_data(std::string(16, '\0'));
  EXPECT_EQ(errorOf(parseTensorProto(raw.SerializeAsString())),
            "the TensorProto has 16 bytes of raw_data but its shape 3 of i64 "
            "needs 24");
  raw.clear_dims();
  raw.add_dims(-1);
  EXPECT_EQ(errorOf(parseTensorProto(raw.SerializeAsString())),
            "shape -1 has a negative dimension");
}

TEST(TensorProto, RoundTrip) {
  HostTensor tensor = makeTensor(XFC_DTYPE_I64, {3}, {4, -5, 6});
  llvm::Expected<std::string> serialized = serializeTensorProto(tensor, "ids");
  ASSERT_OK(serialized);
  std::string name;
  llvm::Expected<HostTensor> read = parseTensorProto(*serialized, &name);
  ASSERT_OK(read);
  EXPECT_EQ(name, "ids");
  EXPECT_EQ(read->getBytes(), tensor.getBytes());
  EXPECT_EQ(errorOf(parseTensorProto("\xff\xff\xff")),
            "not a valid serialized onnx.TensorProto");
}

//===----------------------------------------------------------------------===//
// Half and bfloat16
//===----------------------------------------------------------------------===//

TEST(Half, Conversions) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -26)), 0x0000);
  EXPECT_EQ(floatToHalf(0.1f), 0x2e66);
  // Ties round to even.
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(floatToHalf(INFINITY), 0x7c00);
  EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(NAN))));
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    if ((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff))
      continue; // NaN payloads
    ASSERT_EQ(floatToHalf(halfToFloat(bits)), bits) << bits;
  }
}

TEST(BFloat16, Conversions) {
  EXPECT_EQ(floatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(bfloat16ToFloat(0xc000), -2.0f);
  EXPECT_EQ(floatToBFloat16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);
  EXPECT_EQ(floatToBFloat16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(floatToBFloat16(NAN))));
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

TEST(Compare, AllClose) {
  Tolerance tolerance{1e-3, 1e-2};
  HostTensor expected = makeTensor(XFC_DTYPE_F32, {2, 2}, {1, 100, 0, -3});
  // |got - exp| <= atol + rtol * |exp|: 100.9 passes (bound 1.001), -3.05
  // fails (bound 0.031).
  HostTensor got = makeTensor(XFC_DTYPE_F32, {2, 2}, {1, 100.9, 0.0005, -3.05});
  Comparison result = compareTensors(got, expected, tolerance);
  EXPECT_FALSE(result.isOk());
  EXPECT_EQ(result.numFailed, 1);
  EXPECT_EQ(result.worstIndex, 3);
  EXPECT_NEAR(result.maxAbsError, 0.9, 1e-5);
  EXPECT_EQ(formatComparison("y", result, got.getDims(), tolerance),
            "output 'y': max abs error 9.0e-01, max rel error 1.7e-02 (atol "
            "1e-03, rtol 1e-02): FAILED: 1 of 4 elements out of tolerance, "
            "the worst at [1, 1]: got -3.05, expected -3");

  HostTensor same = makeTensor(XFC_DTYPE_F32, {2, 2}, {1, 100, 0, -3});
  result = compareTensors(same, expected, tolerance);
  EXPECT_TRUE(result.isOk());
  EXPECT_EQ(formatComparison("y", result, same.getDims(), tolerance),
            "output 'y': max abs error 0, max rel error 0 (atol 1e-03, rtol "
            "1e-02): ok");
}

TEST(Compare, NaNsAndInfinities) {
  Tolerance tolerance;
  HostTensor expected =
      makeTensor(XFC_DTYPE_F64, {4}, {NAN, INFINITY, 1, -INFINITY});
  HostTensor good =
      makeTensor(XFC_DTYPE_F64, {4}, {NAN, INFINITY, 1, -INFINITY});
  EXPECT_TRUE(compareTensors(good, expected, tolerance).isOk());
  HostTensor nanInGot =
      makeTensor(XFC_DTYPE_F64, {4}, {NAN, INFINITY, NAN, -INFINITY});
  Comparison result = compareTensors(nanInGot, expected, tolerance);
  EXPECT_EQ(result.numFailed, 1);
  EXPECT_EQ(result.worstIndex, 2);
  EXPECT_TRUE(std::isnan(result.maxAbsError));
  HostTensor wrongInfinity =
      makeTensor(XFC_DTYPE_F64, {4}, {NAN, -INFINITY, 1, -INFINITY});
  EXPECT_EQ(compareTensors(wrongInfinity, expected, tolerance).numFailed, 1);
  HostTensor nanExpected =
      makeTensor(XFC_DTYPE_F64, {4}, {0, INFINITY, 1, -INFINITY});
  EXPECT_EQ(compareTensors(nanExpected, expected, tolerance).numFailed, 1);
}

TEST(Compare, IntegersExactlyAndShapes) {
  HostTensor expected = makeTensor(XFC_DTYPE_I64, {3}, {1, 2, 3});
  HostTensor got = makeTensor(XFC_DTYPE_I64, {3}, {1, 5, 4});
  Comparison result = compareTensors(got, expected, Tolerance{10, 10});
  EXPECT_TRUE(result.exact);
  EXPECT_EQ(result.numFailed, 2);
  EXPECT_EQ(formatComparison("ids", result, got.getDims(), Tolerance{}),
            "output 'ids': max abs error 3.0e+00, max rel error 1.5e+00 "
            "(exact): FAILED: 2 of 3 elements differ, the first at [1]: got "
            "5, expected 2");
  HostTensor other = makeTensor(XFC_DTYPE_F32, {3}, {1, 2, 3});
  result = compareTensors(other, expected, Tolerance{});
  EXPECT_EQ(formatComparison("ids", result, other.getDims(), Tolerance{}),
            "output 'ids': FAILED: got f32 3 but expected i64 3");
}

TEST(Compare, Formatting) {
  EXPECT_EQ(formatIndex({2, 3, 4}, 23), "[1, 2, 3]");
  EXPECT_EQ(formatIndex({}, 0), "[]");
  EXPECT_EQ(formatShortExponent(1e-4), "1e-04");
  EXPECT_EQ(formatShortExponent(2.5e-3), "2.5e-03");
  EXPECT_EQ(formatShortExponent(0), "0e+00");
}

//===----------------------------------------------------------------------===//
// Command line, generated inputs, output names, latency
//===----------------------------------------------------------------------===//

TEST(RunnerUtils, ModelFiles) {
  EXPECT_TRUE(isModelFile("m.onnx"));
  EXPECT_TRUE(isModelFile("dir/m.mlirbc"));
  EXPECT_FALSE(isModelFile("out/bert"));
  EXPECT_FALSE(isModelFile("out/bert.so"));
}

TEST(RunnerUtils, GeneratedInputs) {
  int64_t dims[] = {2, 3};
  auto generate = [&](const char *name, xfc_dtype dtype, uint64_t seed,
                      size_t position) {
    xfc_tensor description{name, dtype, 2, dims, nullptr};
    llvm::Expected<GeneratedInput> input =
        generateInput(description, seed, position);
    EXPECT_OK(input);
    return std::move(*input);
  };
  GeneratedInput floats = generate("x", XFC_DTYPE_F32, 7, 0);
  EXPECT_EQ(floats.how, "uniform in [-1, 1)");
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_GE(floats.tensor.getAsDouble(i), -1.0);
    EXPECT_LT(floats.tensor.getAsDouble(i), 1.0);
  }
  // Deterministic per seed and position.
  EXPECT_EQ(generate("x", XFC_DTYPE_F32, 7, 0).tensor.getBytes(),
            floats.tensor.getBytes());
  EXPECT_NE(generate("x", XFC_DTYPE_F32, 8, 0).tensor.getBytes(),
            floats.tensor.getBytes());
  EXPECT_NE(generate("x", XFC_DTYPE_F32, 7, 1).tensor.getBytes(),
            floats.tensor.getBytes());

  GeneratedInput ids = generate("input_ids", XFC_DTYPE_I64, 0, 0);
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_GE(ids.tensor.getAsInt(i), 0);
    EXPECT_LT(ids.tensor.getAsInt(i), 100);
  }
  GeneratedInput mask = generate("attention_mask", XFC_DTYPE_I32, 0, 1);
  EXPECT_EQ(mask.tensor.getAsInt(5), 1);
  GeneratedInput types = generate("token_type_ids", XFC_DTYPE_I64, 0, 2);
  EXPECT_EQ(types.tensor.getAsInt(5), 0);
  GeneratedInput positions = generate("position_ids", XFC_DTYPE_I64, 0, 3);
  EXPECT_EQ(positions.tensor.getAsInt(4), 1);
  GeneratedInput flags = generate("flags", XFC_DTYPE_BOOL, 0, 4);
  EXPECT_EQ(flags.tensor.getAsInt(0), 1);
  GeneratedInput halves = generate("h", XFC_DTYPE_F16, 0, 5);
  for (int64_t i = 0; i < 6; ++i)
    EXPECT_LT(halves.tensor.getAsDouble(i), 1.0);

  int64_t dynamic[] = {-1, 3};
  xfc_tensor description{"d", XFC_DTYPE_F32, 2, dynamic, nullptr};
  EXPECT_EQ(errorOf(generateInput(description, 0, 0)),
            "input 'd' has dynamic shape -1x3; give its values with --input "
            "NAME=FILE");
}

TEST(RunnerUtils, OutputFileStems) {
  std::vector<std::string> names = {"logits", "a/b:0", "a_b_0",
                                    "",       "..",    "x y"};
  EXPECT_EQ(getOutputFileStems(names),
            (std::vector<std::string>{"logits", "a_b_0", "a_b_0_2", "_", "_.",
                                      "x_y"}));
}

TEST(RunnerUtils, LatencyStats) {
  LatencyStats stats = computeLatencyStats({5, 1, 4, 2, 3});
  EXPECT_EQ(stats.medianMs, 3);
  EXPECT_DOUBLE_EQ(stats.p90Ms, 4.6);
  EXPECT_EQ(stats.minMs, 1);
  EXPECT_EQ(stats.meanMs, 3);
  EXPECT_EQ(stats.iterations, 5u);
  EXPECT_EQ(computeLatencyStats({1, 2}).medianMs, 1.5);
}

} // namespace
