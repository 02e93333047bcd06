//===- attention_kernel.cpp - Times the runtime's attention kernel --------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Times runAttention for B=1, H=12, D=64 (BERT-base / GPT-2 heads) at a few
// sequence lengths, causal and not, and prints GFLOP/s counting
// 4·B·H·Sq·Skv·D flops (the same count for causal calls, which do about
// half of them). Threads: OMP_NUM_THREADS. Build: ninja xfc-attention-bench.
//
//   xfc-attention-bench [--isa=generic|avx2|avx512] [--heads=N]
//                       [--dim=N] [--packed] [SEQ...]
//
//===----------------------------------------------------------------------===//

#include "Attention.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

using namespace xfc::runtime;

int main(int argc, char **argv) {
  AttentionIsa isa = getBestAttentionIsa();
  int64_t heads = 12, dim = 64;
  bool packed = false;
  std::vector<int64_t> seqs;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (!std::strcmp(arg, "--isa=generic"))
      isa = AttentionIsa::Generic;
    else if (!std::strcmp(arg, "--isa=avx2"))
      isa = AttentionIsa::Avx2;
    else if (!std::strcmp(arg, "--isa=avx512"))
      isa = AttentionIsa::Avx512;
    else if (!std::strncmp(arg, "--heads=", 8))
      heads = std::atoll(arg + 8);
    else if (!std::strncmp(arg, "--dim=", 6))
      dim = std::atoll(arg + 6);
    else if (!std::strcmp(arg, "--packed"))
      packed = true;
    else if (arg[0] != '-')
      seqs.push_back(std::atoll(arg));
    else {
      std::fprintf(stderr, "unknown option %s\n", arg);
      return 2;
    }
  }
  if (!isAttentionIsaSupported(isa)) {
    std::fprintf(stderr, "this CPU does not run that ISA\n");
    return 2;
  }
  if (seqs.empty())
    seqs = {128, 512, 2048};
  const char *isaNames[] = {"generic", "avx2", "avx512"};
  std::printf("isa %s, %d threads, B=1 H=%lld D=%lld%s\n",
              isaNames[static_cast<int>(isa)], omp_get_max_threads(),
              static_cast<long long>(heads), static_cast<long long>(dim),
              packed ? " packed [B,S,H*D]" : " [B,H,S,D]");

  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (int64_t seq : seqs) {
    std::vector<float> q(heads * seq * dim), k(q.size()), v(q.size()),
        out(q.size());
    for (std::vector<float> *t : {&q, &k, &v})
      for (float &x : *t)
        x = uniform(rng);
    for (bool causal : {false, true}) {
      AttentionShape s;
      s.batch = 1;
      s.numHeads = s.numKvHeads = heads;
      s.querySeq = s.keySeq = seq;
      s.headDim = s.valueHeadDim = dim;
      for (int64_t *strides :
           {s.queryStrides, s.keyStrides, s.valueStrides, s.outputStrides}) {
        strides[0] = heads * seq * dim;
        strides[1] = packed ? dim : seq * dim;
        strides[2] = packed ? heads * dim : dim;
      }
      s.scale = 1.0f / std::sqrt(static_cast<float>(dim));
      s.causal = causal;

      // Warm up, then repeat for at least half a second; report the best
      // and the median run.
      runAttention(s, q.data(), k.data(), v.data(), nullptr, out.data(), isa);
      std::vector<double> times;
      double total = 0;
      while (total < 0.5 || times.size() < 5) {
        auto start = std::chrono::steady_clock::now();
        runAttention(s, q.data(), k.data(), v.data(), nullptr, out.data(), isa);
        double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
        times.push_back(seconds);
        total += seconds;
      }
      std::sort(times.begin(), times.end());
      double flops = 4.0 * heads * seq * seq * dim;
      double median = times[times.size() / 2];
      std::printf("S=%-5lld %-7s best %9.3f ms  median %9.3f ms  "
                  "%7.1f GFLOP/s (median)\n",
                  static_cast<long long>(seq), causal ? "causal" : "full",
                  times.front() * 1e3, median * 1e3, flops / median * 1e-9);
    }
  }
  return 0;
}
