//===- Compare.cpp - Compare outputs with expected values -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/Compare.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace llvm;

namespace xfc::runner {

/// NaN-aware maximum: a NaN wins over everything.
static double maxWithNaN(double current, double value) {
  if (std::isnan(current) || std::isnan(value))
    return std::numeric_limits<double>::quiet_NaN();
  return std::max(current, value);
}

Comparison compareTensors(const HostTensor &got, const HostTensor &expected,
                          Tolerance tolerance) {
  Comparison result;
  bool dtypesMatch = got.getDType() == expected.getDType() ||
                     (got.getDType() == XFC_DTYPE_BF16 &&
                      expected.getDType() == XFC_DTYPE_F32);
  if (!dtypesMatch || got.getDims() != expected.getDims()) {
    result.mismatch =
        "got " + got.describe() + " but expected " + expected.describe();
    return result;
  }
  result.numElements = got.getNumElements();

  if (!isFloatDType(got.getDType())) {
    result.exact = true;
    for (int64_t i = 0, e = got.getNumElements(); i < e; ++i) {
      int64_t gotValue = got.getAsInt(i), expectedValue = expected.getAsInt(i);
      if (gotValue == expectedValue)
        continue;
      double difference = std::abs(static_cast<double>(gotValue) -
                                   static_cast<double>(expectedValue));
      result.maxAbsError = std::max(result.maxAbsError, difference);
      if (expectedValue != 0)
        result.maxRelError =
            std::max(result.maxRelError,
                     difference / std::abs(static_cast<double>(expectedValue)));
      if (result.numFailed++ == 0) {
        result.worstIndex = i;
        result.worstGot = static_cast<double>(gotValue);
        result.worstExpected = static_cast<double>(expectedValue);
      }
    }
    return result;
  }

  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  double worstExcess = -kInfinity;
  for (int64_t i = 0, e = got.getNumElements(); i < e; ++i) {
    double gotValue = got.getAsDouble(i);
    double expectedValue = expected.getAsDouble(i);
    // Equal values (infinities included) and matching NaNs pass.
    if (gotValue == expectedValue ||
        (std::isnan(gotValue) && std::isnan(expectedValue)))
      continue;
    double difference = std::abs(gotValue - expectedValue);
    result.maxAbsError = maxWithNaN(result.maxAbsError, difference);
    if (expectedValue != 0 && std::isfinite(expectedValue))
      result.maxRelError =
          maxWithNaN(result.maxRelError, difference / std::abs(expectedValue));
    double excess;
    if (std::isnan(difference) || std::isinf(difference)) {
      excess = kInfinity; // A misplaced NaN or infinity.
    } else {
      double bound = tolerance.atol + tolerance.rtol * std::abs(expectedValue);
      if (difference <= bound)
        continue;
      excess = difference - bound;
    }
    ++result.numFailed;
    if (excess > worstExcess) {
      worstExcess = excess;
      result.worstIndex = i;
      result.worstGot = gotValue;
      result.worstExpected = expectedValue;
    }
  }
  return result;
}

std::string formatIndex(ArrayRef<int64_t> dims, int64_t flatIndex) {
  SmallVector<int64_t, 4> index(dims.size());
  for (size_t i = dims.size(); i-- > 0;) {
    if (dims[i] == 0)
      break;
    index[i] = flatIndex % dims[i];
    flatIndex /= dims[i];
  }
  std::string text = "[";
  for (auto [i, value] : llvm::enumerate(index))
    text += (i ? ", " : "") + std::to_string(value);
  return text + "]";
}

std::string formatShortExponent(double value) {
  if (!std::isfinite(value))
    return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
  char buffer[64];
  for (int precision = 0; precision < 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  return buffer;
}

/// "1.2e-06"; "0" for zero.
static std::string formatError(double value) {
  if (value == 0)
    return "0";
  if (!std::isfinite(value))
    return formatShortExponent(value);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.1e", value);
  return buffer;
}

static std::string formatValue(double value, bool exact) {
  if (exact)
    return std::to_string(static_cast<int64_t>(value));
  if (!std::isfinite(value))
    return formatShortExponent(value);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.8g", value);
  return buffer;
}

std::string formatComparison(StringRef name, const Comparison &result,
                             ArrayRef<int64_t> dims, Tolerance tolerance) {
  std::string text;
  raw_string_ostream os(text);
  os << "output '" << name << "': ";
  if (!result.mismatch.empty()) {
    os << "FAILED: " << result.mismatch;
    return text;
  }
  os << "max abs error " << formatError(result.maxAbsError)
     << ", max rel error " << formatError(result.maxRelError);
  if (result.exact)
    os << " (exact)";
  else
    os << " (atol " << formatShortExponent(tolerance.atol) << ", rtol "
       << formatShortExponent(tolerance.rtol) << ")";
  if (result.isOk()) {
    os << ": ok";
    return text;
  }
  os << ": FAILED: " << result.numFailed << " of " << result.numElements
     << (result.exact ? " elements differ, the first at "
                      : " elements out of tolerance, the worst at ")
     << formatIndex(dims, result.worstIndex) << ": got "
     << formatValue(result.worstGot, result.exact) << ", expected "
     << formatValue(result.worstExpected, result.exact);
  return text;
}

} // namespace xfc::runner
