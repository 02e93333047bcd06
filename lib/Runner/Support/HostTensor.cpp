//===- HostTensor.cpp - Tensors in host memory for xfc-run ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/HostTensor.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

using namespace llvm;

namespace xfc::runner {

StringRef getDTypeName(xfc_dtype dtype) {
  switch (dtype) {
  case XFC_DTYPE_F32:
    return "f32";
  case XFC_DTYPE_F16:
    return "f16";
  case XFC_DTYPE_BF16:
    return "bf16";
  case XFC_DTYPE_F64:
    return "f64";
  case XFC_DTYPE_I8:
    return "i8";
  case XFC_DTYPE_U8:
    return "u8";
  case XFC_DTYPE_I16:
    return "i16";
  case XFC_DTYPE_I32:
    return "i32";
  case XFC_DTYPE_I64:
    return "i64";
  case XFC_DTYPE_BOOL:
    return "bool";
  }
  return "unknown";
}

size_t getDTypeSize(xfc_dtype dtype) {
  switch (dtype) {
  case XFC_DTYPE_F64:
  case XFC_DTYPE_I64:
    return 8;
  case XFC_DTYPE_F32:
  case XFC_DTYPE_I32:
    return 4;
  case XFC_DTYPE_F16:
  case XFC_DTYPE_BF16:
  case XFC_DTYPE_I16:
    return 2;
  case XFC_DTYPE_I8:
  case XFC_DTYPE_U8:
  case XFC_DTYPE_BOOL:
    return 1;
  }
  return 1;
}

bool isFloatDType(xfc_dtype dtype) {
  return dtype == XFC_DTYPE_F32 || dtype == XFC_DTYPE_F16 ||
         dtype == XFC_DTYPE_BF16 || dtype == XFC_DTYPE_F64;
}

std::optional<int64_t> getElementCount(ArrayRef<int64_t> dims,
                                       size_t elementSize) {
  int64_t count = 1;
  for (int64_t dim : dims) {
    if (dim < 0)
      return std::nullopt;
    std::optional<int64_t> product = checkedMul(count, dim);
    if (!product)
      return std::nullopt;
    count = *product;
  }
  if (!checkedMul(count, static_cast<int64_t>(elementSize)))
    return std::nullopt;
  return count;
}

std::string formatShape(ArrayRef<int64_t> dims) {
  if (dims.empty())
    return "scalar";
  return join(map_range(dims, [](int64_t dim) { return std::to_string(dim); }),
              "x");
}

//===----------------------------------------------------------------------===//
// Half and bfloat16
//===----------------------------------------------------------------------===//

float halfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24, exact in float.
    float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -magnitude : magnitude;
  }
  uint32_t result;
  if (exponent == 31)
    result = sign | 0x7f800000 | (mantissa << 13);
  else
    result = sign | ((exponent + 112) << 23) | (mantissa << 13);
  return bit_cast<float>(result);
}

uint16_t floatToHalf(float value) {
  uint32_t bits = bit_cast<uint32_t>(value);
  auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000) // NaN: keep it quiet and keep the sign.
    return sign | 0x7e00 | ((magnitude >> 13) & 0x3ff);
  if (magnitude >= 0x477ff000) // >= 65520 rounds to infinity.
    return sign | 0x7c00;
  if (magnitude < 0x38800000) {
    // Below the smallest normal half (2^-14): a subnormal, counted in units
    // of 2^-24; scaling by a power of two is exact and lrint rounds to even.
    float scaled = bit_cast<float>(magnitude) * 16777216.0f;
    return sign | static_cast<uint16_t>(std::lrint(scaled));
  }
  // Rebias the exponent (127 -> 15) and round the 13 dropped bits to even.
  uint32_t rebiased = magnitude - 0x38000000;
  return sign | static_cast<uint16_t>(
                    (rebiased + 0xfff + ((rebiased >> 13) & 1)) >> 13);
}

float bfloat16ToFloat(uint16_t bits) {
  return bit_cast<float>(static_cast<uint32_t>(bits) << 16);
}

uint16_t floatToBFloat16(float value) {
  uint32_t bits = bit_cast<uint32_t>(value);
  if ((bits & 0x7fffffff) > 0x7f800000)
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  return static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

//===----------------------------------------------------------------------===//
// HostTensor
//===----------------------------------------------------------------------===//

void HostTensor::AlignedFree::operator()(char *pointer) const {
  std::free(pointer);
}

Expected<HostTensor> HostTensor::create(xfc_dtype dtype,
                                        ArrayRef<int64_t> dims) {
  size_t elementSize = getDTypeSize(dtype);
  std::optional<int64_t> count = getElementCount(dims, elementSize);
  if (!count)
    return createStringError("shape " + formatShape(dims) + " of " +
                             getDTypeName(dtype) +
                             " has a negative dimension or overflows int64");
  // Round up to whole cache lines (aligned_alloc needs a multiple of the
  // alignment) and never allocate zero bytes, so data is never null.
  uint64_t bytes = *count * elementSize;
  uint64_t allocated = alignTo(std::max<uint64_t>(bytes, 1), 64);
  if (allocated < bytes || allocated > static_cast<uint64_t>(SIZE_MAX))
    return createStringError("tensor of " + Twine(bytes) +
                             " bytes is too large");
  char *pointer = static_cast<char *>(std::aligned_alloc(64, allocated));
  if (!pointer)
    return createStringError("cannot allocate " + Twine(bytes) +
                             " bytes for a " + formatShape(dims) + " " +
                             getDTypeName(dtype) + " tensor");
  std::memset(pointer, 0, allocated);

  HostTensor tensor;
  tensor.dtype = dtype;
  tensor.dims.assign(dims.begin(), dims.end());
  tensor.numElements = *count;
  tensor.data.reset(pointer);
  return std::move(tensor);
}

template <typename T> static T load(const char *data, int64_t index) {
  T value;
  std::memcpy(&value, data + index * sizeof(T), sizeof(T));
  return value;
}

double HostTensor::getAsDouble(int64_t index) const {
  const char *bytes = data.get();
  switch (dtype) {
  case XFC_DTYPE_F32:
    return load<float>(bytes, index);
  case XFC_DTYPE_F16:
    return halfToFloat(load<uint16_t>(bytes, index));
  case XFC_DTYPE_BF16:
    return bfloat16ToFloat(load<uint16_t>(bytes, index));
  case XFC_DTYPE_F64:
    return load<double>(bytes, index);
  default:
    return static_cast<double>(getAsInt(index));
  }
}

int64_t HostTensor::getAsInt(int64_t index) const {
  const char *bytes = data.get();
  switch (dtype) {
  case XFC_DTYPE_I8:
    return load<int8_t>(bytes, index);
  case XFC_DTYPE_U8:
    return load<uint8_t>(bytes, index);
  case XFC_DTYPE_I16:
    return load<int16_t>(bytes, index);
  case XFC_DTYPE_I32:
    return load<int32_t>(bytes, index);
  case XFC_DTYPE_I64:
    return load<int64_t>(bytes, index);
  case XFC_DTYPE_BOOL:
    return load<uint8_t>(bytes, index) != 0;
  default:
    return static_cast<int64_t>(getAsDouble(index));
  }
}

std::string HostTensor::describe() const {
  return (getDTypeName(dtype) + " " + formatShape(dims)).str();
}

xfc_tensor HostTensor::asRuntimeTensor() {
  xfc_tensor tensor;
  tensor.name = nullptr;
  tensor.dtype = dtype;
  tensor.rank = static_cast<int32_t>(dims.size());
  tensor.dims = dims.data();
  tensor.data = data.get();
  return tensor;
}

Expected<HostTensor> convertFloatTensor(const HostTensor &tensor,
                                        xfc_dtype dtype) {
  if (!isFloatDType(tensor.getDType()) || !isFloatDType(dtype))
    return createStringError("cannot convert " + tensor.describe() + " to " +
                             getDTypeName(dtype));
  Expected<HostTensor> result = HostTensor::create(dtype, tensor.getDims());
  if (!result)
    return result.takeError();
  char *out = result->getData();
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    double value = tensor.getAsDouble(i);
    switch (dtype) {
    case XFC_DTYPE_F32: {
      auto narrowed = static_cast<float>(value);
      std::memcpy(out + 4 * i, &narrowed, 4);
      break;
    }
    case XFC_DTYPE_F64:
      std::memcpy(out + 8 * i, &value, 8);
      break;
    case XFC_DTYPE_F16: {
      uint16_t bits = floatToHalf(static_cast<float>(value));
      std::memcpy(out + 2 * i, &bits, 2);
      break;
    }
    default: {
      uint16_t bits = floatToBFloat16(static_cast<float>(value));
      std::memcpy(out + 2 * i, &bits, 2);
      break;
    }
    }
  }
  return result;
}

} // namespace xfc::runner
