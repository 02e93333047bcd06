//===- Attention.cpp - Fused fp32 attention kernel ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The shape checks, the choice of instruction-set variant, and the split of
// a call into tasks (a block of query rows of one kv head's group) spread
// over the OpenMP pool. The kernel itself is AttentionKernel.inc.
//
//===----------------------------------------------------------------------===//

#include "Attention.h"
#include "AttentionKernel.h"

#include <omp.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <utility>

namespace xfc::runtime {

std::string checkAttentionShape(const AttentionShape &shape) {
  const std::pair<const char *, int64_t> sizes[] = {
      {"batch", shape.batch},
      {"numHeads", shape.numHeads},
      {"numKvHeads", shape.numKvHeads},
      {"querySeq", shape.querySeq},
      {"keySeq", shape.keySeq},
      {"headDim", shape.headDim},
      {"valueHeadDim", shape.valueHeadDim},
  };
  for (const auto &[name, size] : sizes)
    if (size <= 0)
      return std::string("attention ") + name + " is " + std::to_string(size) +
             "; sizes must be positive";
  if (shape.numHeads % shape.numKvHeads != 0)
    return "attention numHeads (" + std::to_string(shape.numHeads) +
           ") is not a multiple of numKvHeads (" +
           std::to_string(shape.numKvHeads) + ")";
  // The kernel compares key indices in 32-bit vector lanes.
  if (shape.keySeq > std::numeric_limits<int32_t>::max())
    return "attention keySeq (" + std::to_string(shape.keySeq) +
           ") is above 2^31 - 1";
  if (!std::isfinite(shape.scale))
    return "attention scale (" + std::to_string(shape.scale) +
           ") is not finite";
  switch (shape.maskKind) {
  case AttentionMaskKind::None:
  case AttentionMaskKind::Bool:
  case AttentionMaskKind::Additive:
    break;
  default:
    return "attention maskKind (" +
           std::to_string(static_cast<int>(shape.maskKind)) +
           ") is not None, Bool or Additive";
  }
  return "";
}

bool isAttentionIsaSupported(AttentionIsa isa) {
  switch (isa) {
  case AttentionIsa::Generic:
    return true;
#if defined(__x86_64__) || defined(__i386__)
  case AttentionIsa::Avx2:
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  case AttentionIsa::Avx512:
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  default:
    return false;
  }
}

AttentionIsa getBestAttentionIsa() {
  static const AttentionIsa best = [] {
    for (AttentionIsa isa : {AttentionIsa::Avx512, AttentionIsa::Avx2})
      if (isAttentionIsaSupported(isa))
        return isa;
    return AttentionIsa::Generic;
  }();
  return best;
}

namespace detail {

const AttentionKernel &getAttentionKernel(AttentionIsa isa) {
  assert(isAttentionIsaSupported(isa) && "the CPU lacks this ISA");
  switch (isa) {
#if defined(__x86_64__) || defined(__i386__)
  case AttentionIsa::Avx512:
    return avx512AttentionKernel;
  case AttentionIsa::Avx2:
    return avx2AttentionKernel;
#endif
  default:
    return genericAttentionKernel;
  }
}

} // namespace detail

void runAttention(const AttentionShape &shape, const float *query,
                  const float *key, const float *value, const void *mask,
                  float *output) {
  runAttention(shape, query, key, value, mask, output, getBestAttentionIsa());
}

void runAttention(const AttentionShape &shape, const float *query,
                  const float *key, const float *value, const void *mask,
                  float *output, AttentionIsa isa) {
  assert(checkAttentionShape(shape).empty() && "invalid attention shape");
  assert((mask || shape.maskKind == AttentionMaskKind::None) &&
         "a masked attention without a mask");
  const detail::AttentionKernel &kernel = detail::getAttentionKernel(isa);
  const detail::AttentionProblem problem = {&shape, query, key,
                                            value,  mask,  output};

  const int64_t rowsPerGroup =
      shape.numHeads / shape.numKvHeads * shape.querySeq;
  const int64_t groups = shape.batch * shape.numKvHeads;
  const int64_t maxThreads = omp_get_max_threads();
  // Smaller tasks when there are too few to occupy every thread (decoding
  // with few kv heads); never below a vector of rows.
  int64_t rowsPerTask = kernel.maxBlockRows;
  auto countTasks = [&](int64_t rows) {
    return groups * ((rowsPerGroup + rows - 1) / rows);
  };
  while (rowsPerTask > kernel.vectorLanes &&
         countTasks(rowsPerTask) < maxThreads)
    rowsPerTask /= 2;
  const int64_t tasksPerGroup = (rowsPerGroup + rowsPerTask - 1) / rowsPerTask;
  const int64_t numTasks = groups * tasksPerGroup;

  // A parallel region costs microseconds: not worth it for tiny calls.
  const double work = static_cast<double>(shape.batch) * shape.numHeads *
                      shape.querySeq * shape.keySeq *
                      (shape.headDim + shape.valueHeadDim);
  const int threads =
      work < 65536.0 ? 1 : static_cast<int>(std::min(maxThreads, numTasks));

  const size_t workspaceFloats =
      (kernel.getWorkspaceSize(shape) + 15) / 16 * 16;
  struct Free {
    void operator()(float *p) const { std::free(p); }
  };
  std::unique_ptr<float[], Free> workspace(static_cast<float *>(
      std::aligned_alloc(64, workspaceFloats * threads * sizeof(float))));
  if (!workspace)
    throw std::bad_alloc();

  // Causal tasks late in a group attend more keys: hand them out first, so
  // the short ones fill the gaps at the end.
  auto runOne = [&](int64_t task, float *taskWorkspace) {
    int64_t group = task / tasksPerGroup;
    int64_t block = tasksPerGroup - 1 - task % tasksPerGroup;
    int64_t firstRow = block * rowsPerTask;
    kernel.runTask(problem, group / shape.numKvHeads, group % shape.numKvHeads,
                   firstRow, std::min(rowsPerTask, rowsPerGroup - firstRow),
                   taskWorkspace);
  };
  if (threads == 1) {
    for (int64_t task = 0; task < numTasks; ++task)
      runOne(task, workspace.get());
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    float *threadWorkspace =
        workspace.get() + omp_get_thread_num() * workspaceFloats;
#pragma omp for schedule(dynamic, 1)
    for (int64_t task = 0; task < numTasks; ++task)
      runOne(task, threadWorkspace);
  }
}

} // namespace xfc::runtime
