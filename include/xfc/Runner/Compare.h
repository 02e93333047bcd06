//===- Compare.h - Compare outputs with expected values ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Element-wise comparison of a computed tensor with an expected one, with
// numpy.allclose's criterion |got - expected| <= atol + rtol * |expected|
// for floating-point tensors and exact equality for integers and bool.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNNER_COMPARE_H
#define XFC_RUNNER_COMPARE_H

#include "xfc/Runner/HostTensor.h"

#include <string>

namespace xfc::runner {

struct Tolerance {
  double atol = 1e-4;
  double rtol = 1e-4;
};

/// The result of compareTensors.
struct Comparison {
  /// Why the tensors could not be compared element by element (their dtypes
  /// or shapes differ); empty when they could.
  std::string mismatch;
  /// Integer or bool tensors, compared exactly.
  bool exact = false;
  int64_t numElements = 0;
  /// Largest |got - expected| and |got - expected| / |expected| (over the
  /// elements where expected is not zero). NaN when a NaN is out of place.
  double maxAbsError = 0;
  double maxRelError = 0;
  /// Elements out of tolerance (exact: elements that differ).
  int64_t numFailed = 0;
  /// The failing element furthest out of tolerance (exact: the first one
  /// that differs), as a flat row-major index; -1 when none failed.
  int64_t worstIndex = -1;
  double worstGot = 0;
  double worstExpected = 0;

  bool isOk() const { return mismatch.empty() && numFailed == 0; }
};

/// Compares `got` with `expected`. The dtypes must match, except that a bf16
/// `got` is compared with an f32 `expected` (.npy has no bfloat16). Matching
/// NaNs and equal infinities pass; any other NaN or infinity fails.
Comparison compareTensors(const HostTensor &got, const HostTensor &expected,
                          Tolerance tolerance);

/// One line: "output 'logits': max abs error 1.2e-06, max rel error 3.4e-05
/// (atol 1e-04, rtol 1e-04): ok", or "...: FAILED: ..." naming the worst
/// element by its multi-dimensional index.
std::string formatComparison(llvm::StringRef name, const Comparison &result,
                             llvm::ArrayRef<int64_t> dims, Tolerance tolerance);

/// "[0, 3, 17]" for a flat row-major index into `dims`.
std::string formatIndex(llvm::ArrayRef<int64_t> dims, int64_t flatIndex);

/// The shortest "%e" spelling that reads back as `value`: "1e-04",
/// "2.5e-03".
std::string formatShortExponent(double value);

} // namespace xfc::runner

#endif // XFC_RUNNER_COMPARE_H
