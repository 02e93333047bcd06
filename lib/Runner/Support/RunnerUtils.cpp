//===- RunnerUtils.cpp - Pieces of xfc-run that need no runtime -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/RunnerUtils.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace llvm;

namespace xfc::runner {

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Command line
//===----------------------------------------------------------------------===//

bool isModelFile(StringRef path) {
  StringRef extension = sys::path::extension(path);
  return llvm::any_of(
      ArrayRef<StringRef>{".onnx", ".onnxtxt", ".mlir", ".mlirbc"},
      [&](StringRef model) { return extension.equals_insensitive(model); });
}

//===----------------------------------------------------------------------===//
// Generated inputs
//===----------------------------------------------------------------------===//

template <typename T> static void store(char *data, int64_t index, T value) {
  std::memcpy(data + index * sizeof(T), &value, sizeof(T));
}

/// Stores an integer in an element of an integer tensor.
static void storeInt(HostTensor &tensor, int64_t index, int64_t value) {
  char *data = tensor.getData();
  switch (tensor.getDType()) {
  case XFC_DTYPE_I8:
    return store<int8_t>(data, index, value);
  case XFC_DTYPE_U8:
  case XFC_DTYPE_BOOL:
    return store<uint8_t>(data, index, value);
  case XFC_DTYPE_I16:
    return store<int16_t>(data, index, value);
  case XFC_DTYPE_I32:
    return store<int32_t>(data, index, value);
  default:
    return store<int64_t>(data, index, value);
  }
}

Expected<GeneratedInput> generateInput(const xfc_tensor &description,
                                       uint64_t seed, size_t position) {
  StringRef name = description.name ? description.name : "";
  ArrayRef<int64_t> dims(description.dims, description.rank);
  if (llvm::any_of(dims, [](int64_t dim) { return dim < 0; }))
    return makeError("input '" + name + "' has dynamic shape " +
                     formatShape(dims) +
                     "; give its values with --input NAME=FILE");
  Expected<HostTensor> tensor = HostTensor::create(description.dtype, dims);
  if (!tensor)
    return makeError("input '" + name + "': " + toString(tensor.takeError()));

  // One stream per input: mt19937_64 and the bit manipulation below are
  // specified exactly, so the values are the same on every platform.
  std::seed_seq seedSequence{static_cast<uint32_t>(seed),
                             static_cast<uint32_t>(seed >> 32),
                             static_cast<uint32_t>(position)};
  std::mt19937_64 random(seedSequence);
  int64_t count = tensor->getNumElements();
  char *data = tensor->getData();
  GeneratedInput result;

  xfc_dtype dtype = description.dtype;
  if (isFloatDType(dtype)) {
    // k * 2^-(bits-1) - 1 for a random k of `bits` bits: uniform in [-1, 1)
    // on a grid that the element type represents exactly.
    int bits = dtype == XFC_DTYPE_F16 ? 11 : dtype == XFC_DTYPE_BF16 ? 8 : 24;
    for (int64_t i = 0; i < count; ++i) {
      double value =
          std::ldexp(static_cast<double>(random() >> (64 - bits)), 1 - bits) -
          1.0;
      switch (dtype) {
      case XFC_DTYPE_F32:
        store<float>(data, i, static_cast<float>(value));
        break;
      case XFC_DTYPE_F64:
        store<double>(data, i, value);
        break;
      case XFC_DTYPE_F16:
        store<uint16_t>(data, i, floatToHalf(static_cast<float>(value)));
        break;
      default:
        store<uint16_t>(data, i, floatToBFloat16(static_cast<float>(value)));
        break;
      }
    }
    result.how = "uniform in [-1, 1)";
  } else if (dtype == XFC_DTYPE_BOOL) {
    for (int64_t i = 0; i < count; ++i)
      storeInt(*tensor, i, 1);
    result.how = "all true";
  } else {
    std::string lowerName = name.lower();
    StringRef lower = lowerName;
    if (lower.contains("mask")) {
      for (int64_t i = 0; i < count; ++i)
        storeInt(*tensor, i, 1);
      result.how = "all ones (a mask)";
    } else if (lower.contains("token_type") || lower.contains("segment")) {
      // Zero-filled already: every token in the first segment.
      result.how = "all zeros (token types)";
    } else if (lower.contains("position")) {
      int64_t lastDim = dims.empty() ? 1 : dims.back();
      for (int64_t i = 0; i < count; ++i)
        storeInt(*tensor, i, i % lastDim);
      result.how = "0, 1, 2, ... along the last axis (positions)";
    } else {
      for (int64_t i = 0; i < count; ++i)
        storeInt(*tensor, i, static_cast<int64_t>(random() % 100));
      result.how = "uniform in [0, 100)";
    }
  }
  result.tensor = std::move(*tensor);
  return result;
}

//===----------------------------------------------------------------------===//
// Output files and timing
//===----------------------------------------------------------------------===//

std::vector<std::string> getOutputFileStems(ArrayRef<std::string> outputNames) {
  std::vector<std::string> stems;
  StringSet<> used;
  for (const std::string &name : outputNames) {
    std::string stem;
    for (char c : name)
      stem += isAlnum(c) || c == '.' || c == '-' || c == '_' ? c : '_';
    if (stem.empty())
      stem = "_";
    if (stem.front() == '.')
      stem.front() = '_';
    std::string unique = stem;
    for (int suffix = 2; !used.insert(unique).second; ++suffix)
      unique = stem + "_" + std::to_string(suffix);
    stems.push_back(unique);
  }
  return stems;
}

/// numpy.percentile's default (linear) interpolation on sorted samples.
static double getPercentile(ArrayRef<double> sorted, double percent) {
  double position = percent / 100.0 * (sorted.size() - 1);
  size_t below = static_cast<size_t>(std::floor(position));
  size_t above = std::min(below + 1, sorted.size() - 1);
  double fraction = position - below;
  return sorted[below] + (sorted[above] - sorted[below]) * fraction;
}

LatencyStats computeLatencyStats(ArrayRef<double> samplesMs) {
  LatencyStats stats;
  stats.iterations = samplesMs.size();
  if (samplesMs.empty())
    return stats;
  std::vector<double> sorted(samplesMs.begin(), samplesMs.end());
  llvm::sort(sorted);
  stats.medianMs = getPercentile(sorted, 50);
  stats.p90Ms = getPercentile(sorted, 90);
  stats.minMs = sorted.front();
  double sum = 0;
  for (double sample : sorted)
    sum += sample;
  stats.meanMs = sum / sorted.size();
  return stats;
}

} // namespace xfc::runner
