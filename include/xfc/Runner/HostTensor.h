//===- HostTensor.h - Tensors in host memory for xfc-run --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A dense, row-major tensor that owns a 64-byte aligned buffer, typed by the
// runtime's xfc_dtype. xfc-run reads inputs into HostTensors, hands them to
// xfc_model_run, and writes and compares the outputs it gets back.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_HOSTTENSOR_H
#define XFC_RUNNER_HOSTTENSOR_H

#include "xfc-c/runtime.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace xfc::runner {

/// The spelling the runtime uses ("f32", "i64", "bool", ...); kept here so
/// the tensor I/O does not need the runtime library.
llvm::StringRef getDTypeName(xfc_dtype dtype);
/// Bytes per element (bool: one byte).
size_t getDTypeSize(xfc_dtype dtype);
bool isFloatDType(xfc_dtype dtype);

/// The number of elements of `dims`, or nullopt when a dimension is negative
/// or the count (times `elementSize`, in bytes) overflows int64.
std::optional<int64_t> getElementCount(llvm::ArrayRef<int64_t> dims,
                                       size_t elementSize = 1);

/// "1x128x768"; "scalar" for rank 0.
std::string formatShape(llvm::ArrayRef<int64_t> dims);

/// IEEE half and bfloat16 conversions (round to nearest even).
float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
float bfloat16ToFloat(uint16_t bits);
uint16_t floatToBFloat16(float value);

/// A dense row-major tensor in host memory.
class HostTensor {
public:
  HostTensor() = default;
  HostTensor(HostTensor &&) = default;
  HostTensor &operator=(HostTensor &&) = default;

  /// A zero-filled tensor. Fails when the byte size overflows or the
  /// allocation fails.
  static llvm::Expected<HostTensor> create(xfc_dtype dtype,
                                           llvm::ArrayRef<int64_t> dims);

  xfc_dtype getDType() const { return dtype; }
  llvm::ArrayRef<int64_t> getDims() const { return dims; }
  int64_t getRank() const { return dims.size(); }
  int64_t getNumElements() const { return numElements; }
  size_t getByteSize() const { return numElements * getDTypeSize(dtype); }

  /// Never null, even for an empty tensor.
  char *getData() { return data.get(); }
  const char *getData() const { return data.get(); }
  llvm::MutableArrayRef<char> getBytes() { return {data.get(), getByteSize()}; }
  llvm::ArrayRef<char> getBytes() const { return {data.get(), getByteSize()}; }

  /// Element `index` converted to double (floats, integers, bool as 0/1).
  double getAsDouble(int64_t index) const;
  /// Element `index` of an integer or bool tensor, as int64.
  int64_t getAsInt(int64_t index) const;

  /// "f32 1x128".
  std::string describe() const;

  /// A view for xfc_model_run (the name is left null).
  xfc_tensor asRuntimeTensor();

private:
  struct AlignedFree {
    void operator()(char *pointer) const;
  };

  xfc_dtype dtype = XFC_DTYPE_F32;
  llvm::SmallVector<int64_t, 4> dims;
  int64_t numElements = 0;
  std::unique_ptr<char[], AlignedFree> data;
};

/// Converts `tensor` to `dtype`: exact for widening between float types
/// and used by xfc-run only for f32 <-> bf16 (numpy has no bfloat16).
llvm::Expected<HostTensor> convertFloatTensor(const HostTensor &tensor,
                                              xfc_dtype dtype);

} // namespace xfc::runner

#endif // XFC_RUNNER_HOSTTENSOR_H
