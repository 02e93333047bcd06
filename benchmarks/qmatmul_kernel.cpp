//===- qmatmul_kernel.cpp - Times the runtime's quantized GEMMs -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Times one qmatmul primitive of each kind (QuantMatmulPrimitive, as the
// runtime runs it: input quantization, scratchpad and all) against
// oneDNN's f32 matmul with a constant, reordered B (what a `matmul` line
// with a b-weight-offset runs), for BERT-base-like prefill shapes and one
// decode GEMV, on 1 and 2 threads. Prints the median time per call,
// GFLOP/s (2·M·N·K) and the weight bytes read per second. Build: ninja
// xfc-qmatmul-bench.
//
//   xfc-qmatmul-bench [--threads=N]... [MxNxK]...
//
//===----------------------------------------------------------------------===//

#include "QuantMatmul.h"

#include "dnnl.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace xfc::runtime;

namespace {

struct Shape {
  int64_t m, n, k;
};

struct Free {
  void operator()(void *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<char[], Free>;

Buffer allocate(size_t bytes) {
  void *p = std::aligned_alloc(64, std::max<size_t>((bytes + 63) / 64 * 64, 64));
  if (!p)
    std::abort();
  std::memset(p, 0, bytes);
  return Buffer(static_cast<char *>(p));
}

size_t roundUp(size_t bytes) { return (bytes + 63) / 64 * 64; }

/// Median seconds per call of `body`, after a warm-up, over at least 0.3 s
/// and 10 calls.
double timeCall(const std::function<void()> &body) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i)
    body();
  std::vector<double> times;
  Clock::time_point start = Clock::now();
  while (times.size() < 10 ||
         std::chrono::duration<double>(Clock::now() - start).count() < 0.3) {
    Clock::time_point before = Clock::now();
    body();
    times.push_back(
        std::chrono::duration<double>(Clock::now() - before).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  return times[times.size() / 2];
}

void report(const char *name, const Shape &shape, double seconds,
            double weightBytes) {
  double flops = 2.0 * shape.m * shape.n * shape.k;
  std::printf("  %-14s %9.1f us  %7.1f GFLOP/s  %7.1f GB/s of weights\n", name,
              seconds * 1e6, flops / seconds * 1e-9,
              weightBytes / seconds * 1e-9);
}

void runF32(const dnnl::engine &engine, const Shape &s,
            const std::vector<float> &a, std::mt19937 &rng) {
  using dnnl::memory;
  using dt = memory::data_type;
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::vector<float> w(s.n * s.k);
  for (float &x : w)
    x = uniform(rng);
  memory::desc aDesc({s.m, s.k}, dt::f32, {s.k, 1});
  memory::desc cDesc({s.m, s.n}, dt::f32, {s.n, 1});
  memory::desc bGiven({s.k, s.n}, dt::f32, {1, s.k});
  memory::desc bAny({s.k, s.n}, dt::f32, memory::format_tag::any);
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::matmul::primitive_desc pd(engine, aDesc, bAny, cDesc, attr);
  dnnl::matmul matmul(pd);
  dnnl::stream stream(engine);
  memory given(bGiven, engine, w.data());
  memory b(pd.weights_desc(), engine);
  dnnl::reorder(given, b).execute(stream, given, b);
  stream.wait();
  std::vector<float> c(s.m * s.n);
  Buffer scratch = allocate(pd.scratchpad_desc().get_size());
  memory aMem(aDesc, engine, const_cast<float *>(a.data()));
  memory cMem(cDesc, engine, c.data());
  memory scratchMem(pd.scratchpad_desc(), engine, scratch.get());
  double t = timeCall([&] {
    matmul.execute(stream, {{DNNL_ARG_SRC, aMem},
                            {DNNL_ARG_WEIGHTS, b},
                            {DNNL_ARG_DST, cMem},
                            {DNNL_ARG_SCRATCHPAD, scratchMem}});
    stream.wait();
  });
  report("f32 (oneDNN)", s, t, 4.0 * s.n * s.k);
}

void runQuant(const dnnl::engine &engine, const Shape &s,
              const std::vector<float> &a, QuantMatmulKind kind,
              std::mt19937 &rng) {
  const bool weightOnly =
      kind == QuantMatmulKind::W8 || kind == QuantMatmulKind::W4;
  const int64_t group = weightOnly ? 128 : 0;
  const int64_t groups = weightOnly ? s.k / group : 1;
  const size_t weightBytes =
      kind == QuantMatmulKind::W4 ? s.n * s.k / 2 : s.n * s.k;
  QuantMatmulDesc desc;
  desc.id = 0;
  desc.lineNumber = 1;
  desc.kind = kind;
  desc.m = s.m;
  desc.n = s.n;
  desc.k = s.k;
  desc.aRowStride = s.k;
  desc.cRowStride = s.n;
  desc.group = group;
  desc.inputScale = 2.0f / 255.0f;
  desc.inputZeroPoint = 128;
  desc.weightOffset = 0;
  desc.scalesOffset = roundUp(weightBytes);
  // w4 as symmetric int4 is stored q + 8 with offsets -8·scale; w8 is
  // symmetric without offsets.
  const bool withOffsets = kind == QuantMatmulKind::W4;
  desc.offsetsOffset =
      withOffsets ? desc.scalesOffset + roundUp(s.n * groups * 4) : -1;
  desc.biasOffset = (withOffsets ? desc.offsetsOffset : desc.scalesOffset) +
                    roundUp(s.n * groups * 4);
  Buffer region = allocate(desc.biasOffset + roundUp(s.n * 4));
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t i = 0; i < weightBytes; ++i)
    region[i] = static_cast<char>(byte(rng));
  float *scales = reinterpret_cast<float *>(region.get() + desc.scalesOffset);
  float *offsets =
      reinterpret_cast<float *>(region.get() + desc.offsetsOffset);
  for (int64_t i = 0; i < s.n * groups; ++i) {
    scales[i] = 0.01f;
    if (withOffsets)
      offsets[i] = -0.08f;
  }

  QuantMatmulPrimitive primitive(engine, desc, region.get(), "bench");
  Buffer scratch = allocate(primitive.getScratchpadSize());
  std::vector<float> c(s.m * s.n);
  dnnl::stream stream(engine);
  double t = timeCall([&] {
    primitive.execute(stream, a.data(), nullptr, c.data(), scratch.get());
  });
  report(getQuantMatmulKindName(kind), s, t, static_cast<double>(weightBytes));
}

} // namespace

int main(int argc, char **argv) {
  std::vector<int> threads;
  std::vector<Shape> shapes;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    long long m, n, k;
    if (!std::strncmp(arg, "--threads=", 10))
      threads.push_back(std::atoi(arg + 10));
    else if (std::sscanf(arg, "%lldx%lldx%lld", &m, &n, &k) == 3)
      shapes.push_back({m, n, k});
    else {
      std::fprintf(stderr, "usage: %s [--threads=N]... [MxNxK]...\n",
                   argv[0]);
      return 2;
    }
  }
  if (threads.empty())
    threads = {1, 2};
  if (shapes.empty())
    shapes = {{128, 768, 768}, {128, 3072, 768}, {1, 8192, 2048}};

  std::printf("weight-only kernels: %s; w8/w4 group 128, w4 with offsets\n",
              getBestQuantIsa() == QuantIsa::Avx512 ? "avx512" : "generic");
  std::mt19937 rng(1);
  for (int count : threads) {
    // Before creating primitives: oneDNN and the qmatmul primitives size
    // their work for the creating thread's count.
    omp_set_num_threads(count);
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    for (const Shape &s : shapes) {
      std::printf("%d thread%s, M=%lld N=%lld K=%lld\n", count,
                  count == 1 ? "" : "s", static_cast<long long>(s.m),
                  static_cast<long long>(s.n), static_cast<long long>(s.k));
      std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
      std::vector<float> a(s.m * s.k);
      for (float &x : a)
        x = uniform(rng);
      runF32(engine, s, a, rng);
      for (QuantMatmulKind kind :
           {QuantMatmulKind::W8A8, QuantMatmulKind::W8A8Dynamic,
            QuantMatmulKind::W8, QuantMatmulKind::W4})
        runQuant(engine, s, a, kind, rng);
    }
  }
  return 0;
}
