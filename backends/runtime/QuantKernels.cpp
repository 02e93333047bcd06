//===- QuantKernels.cpp - The runtime's kernels for quantized GEMMs -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The choice of instruction-set variant, the repacking of weight-only
// weights at load, and the split of each call into tasks on the OpenMP
// pool. The kernels themselves are QuantKernelsAvx512.cpp and
// QuantKernelsGeneric.cpp.
//
//===----------------------------------------------------------------------===//

#include "QuantKernels.h"
#include "QuantKernel.h"

#include <omp.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <new>

namespace xfc::runtime {

bool isQuantIsaSupported(QuantIsa isa) {
  switch (isa) {
  case QuantIsa::Generic:
    return true;
#if defined(__x86_64__) || defined(__i386__)
  case QuantIsa::Avx512:
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  default:
    return false;
  }
}

QuantIsa getBestQuantIsa() {
  static const QuantIsa best = isQuantIsaSupported(QuantIsa::Avx512)
                                   ? QuantIsa::Avx512
                                   : QuantIsa::Generic;
  return best;
}

namespace detail {

const QuantKernel &getQuantKernel(QuantIsa isa) {
  assert(isQuantIsaSupported(isa) && "the CPU lacks this ISA");
#if defined(__x86_64__) || defined(__i386__)
  if (isa == QuantIsa::Avx512)
    return avx512QuantKernel;
#endif
  return genericQuantKernel;
}

} // namespace detail

namespace {

/// A parallel region costs microseconds: calls with less work than this
/// (elements quantized, or multiply-adds) run on the calling thread.
constexpr int64_t kMinParallelQuantize = 1 << 15;
constexpr int64_t kMinParallelMacs = 1 << 17;

int countThreads(int maxThreads, int64_t tasks) {
  return static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>({maxThreads, omp_get_max_threads(), tasks})));
}

/// `body(row)` for each of `rows` rows, spread over the pool when there is
/// enough work.
template <typename Body>
void forEachRow(int64_t rows, int64_t cols, int maxThreads, Body body) {
  int threads = rows * cols < kMinParallelQuantize
                    ? 1
                    : countThreads(maxThreads, rows);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t row = 0; row < rows; ++row)
    body(row);
}

template <typename T> T *allocateAligned(size_t count) {
  size_t bytes = (count * sizeof(T) + 63) / 64 * 64;
  void *block = std::aligned_alloc(64, std::max<size_t>(bytes, 64));
  if (!block)
    throw std::bad_alloc();
  return static_cast<T *>(block);
}

} // namespace

void quantizeRowsU8(const float *a, int64_t rows, int64_t cols,
                    int64_t aRowStride, float scale, int32_t zeroPoint,
                    uint8_t *out, int maxThreads, QuantIsa isa) {
  const detail::QuantKernel &kernel = detail::getQuantKernel(isa);
  const float zero = static_cast<float>(zeroPoint);
  forEachRow(rows, cols, maxThreads, [&](int64_t row) {
    kernel.quantizeRowU8(a + row * aRowStride, cols, scale, zero,
                         out + row * cols);
  });
}

void quantizeRowsS8(const float *a, int64_t rows, int64_t cols,
                    int64_t aRowStride, int8_t *out, float *rowScales,
                    int maxThreads, QuantIsa isa) {
  const detail::QuantKernel &kernel = detail::getQuantKernel(isa);
  forEachRow(rows, cols, maxThreads, [&](int64_t row) {
    rowScales[row] =
        kernel.quantizeRowS8(a + row * aRowStride, cols, out + row * cols);
  });
}

PackedWeightOnly::PackedWeightOnly(bool int4, int64_t n, int64_t k,
                                   int64_t group, const uint8_t *weight,
                                   const float *scales, const float *offsets,
                                   int maxThreads)
    : int4(int4), withOffsets(offsets != nullptr), n(n), k(k), group(group),
      paddedN((n + kQuantPanelWidth - 1) / kQuantPanelWidth *
              kQuantPanelWidth) {
  assert(k % group == 0 && (!int4 || k % 2 == 0) && "invalid weight shape");
  const int64_t numPanels = getNumPanels(), numGroups = getNumGroups();
  const int64_t rowBytes = int4 ? k / 2 : k;
  this->weights.reset(allocateAligned<uint8_t>(numPanels * getPanelBytes()));
  this->scales.reset(allocateAligned<float>(numGroups * paddedN));
  this->offsets.reset(allocateAligned<float>(numGroups * paddedN));

  // A byte transpose of each 64-channel slab of W, 64 × 64 bytes at a time
  // so that both sides stay in cache: at load, over gigabytes for a large
  // model, so worth threads too.
  constexpr int64_t kTile = 64;
  uint8_t *packed = this->weights.get();
  const int64_t panelBytes = getPanelBytes();
  int threads = countThreads(maxThreads, numPanels);
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
  for (int64_t panel = 0; panel < numPanels; ++panel) {
    uint8_t *out = packed + panel * panelBytes;
    int64_t channels = std::min(kQuantPanelWidth, n - panel * kQuantPanelWidth);
    if (channels < kQuantPanelWidth)
      std::memset(out, 0, panelBytes);
    for (int64_t j0 = 0; j0 < rowBytes; j0 += kTile) {
      int64_t j1 = std::min(rowBytes, j0 + kTile);
      for (int64_t c = 0; c < channels; ++c) {
        const uint8_t *in =
            weight + (panel * kQuantPanelWidth + c) * rowBytes;
        for (int64_t j = j0; j < j1; ++j)
          out[j * kQuantPanelWidth + c] = in[j];
      }
    }
  }

  // [N][groups] → [groups][paddedN]; small next to W.
  for (int64_t g = 0; g < numGroups; ++g) {
    float *scaleRow = this->scales.get() + g * paddedN;
    float *offsetRow = this->offsets.get() + g * paddedN;
    for (int64_t c = 0; c < paddedN; ++c) {
      bool inside = c < n;
      scaleRow[c] = inside ? scales[c * numGroups + g] : 0.0f;
      offsetRow[c] = inside && offsets ? offsets[c * numGroups + g] : 0.0f;
    }
  }
}

namespace {

/// How runWeightOnlyGemm splits a call: every panel of N, times `mChunks`
/// ranges of rows.
struct WeightOnlySplit {
  int64_t mChunks;
  int64_t numTasks;
};

WeightOnlySplit splitWeightOnly(const PackedWeightOnly &weights, int64_t m,
                                int threads) {
  const int64_t panels = weights.getNumPanels();
  if (m <= detail::kQuantDirectRows)
    return {1, panels};
  int64_t chunks =
      (m + detail::kQuantMaxTaskRows - 1) / detail::kQuantMaxTaskRows;
  // Each range of rows dequantizes its panels again, so split rows only
  // while there are too few tasks to keep the threads busy, and not into
  // ranges too short to amortize the dequantization.
  while (panels * chunks < 2 * threads && m / (2 * chunks) >= 32)
    chunks *= 2;
  return {chunks, panels * chunks};
}

size_t getWorkspaceFloatsPerThread(int64_t m) {
  int64_t rows = std::min(m, detail::kQuantMaxTaskRows);
  return static_cast<size_t>((detail::kQuantKBlock + rows) * kQuantPanelWidth);
}

} // namespace

size_t getWeightOnlyWorkspaceSize(const PackedWeightOnly &, int64_t m,
                                  int maxThreads) {
  return getWorkspaceFloatsPerThread(m) * sizeof(float) *
         std::max(maxThreads, 1);
}

void runWeightOnlyGemm(const WeightOnlyGemm &gemm, void *workspace,
                       int maxThreads, QuantIsa isa) {
  const detail::QuantKernel &kernel = detail::getQuantKernel(isa);
  const PackedWeightOnly &weights = *gemm.weights;
  const int64_t m = gemm.m;
  const int64_t macs = m * weights.getN() * weights.getK();
  int threads = macs < kMinParallelMacs
                    ? 1
                    : countThreads(maxThreads, weights.getNumPanels() * m);
  const WeightOnlySplit split = splitWeightOnly(weights, m, threads);
  threads = std::min<int64_t>(threads, split.numTasks);
  const size_t workspaceFloats = getWorkspaceFloatsPerThread(m);

  // Row ranges of one panel are consecutive tasks, so a thread taking the
  // next task often finds the panel still in its cache.
  auto runTask = [&](int64_t task, float *threadWorkspace) {
    int64_t panel = task / split.mChunks, chunk = task % split.mChunks;
    int64_t m0 = m * chunk / split.mChunks;
    int64_t m1 = m * (chunk + 1) / split.mChunks;
    kernel.runWeightOnlyTask(gemm, panel, m0, m1, threadWorkspace);
  };
  float *base = static_cast<float *>(workspace);
  if (threads <= 1) {
    for (int64_t task = 0; task < split.numTasks; ++task)
      runTask(task, base);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    float *threadWorkspace = base + omp_get_thread_num() * workspaceFloats;
#pragma omp for schedule(dynamic, 1)
    for (int64_t task = 0; task < split.numTasks; ++task)
      runTask(task, threadWorkspace);
  }
}

} // namespace xfc::runtime
