//===- CpuFeatures.cpp - Does this CPU run the artifact's code? -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// __builtin_cpu_supports only takes string literals, so the names the
// runtime can check are a fixed table: the x86 features GCC 12 knows. For
// AVX and AVX-512 it also checks that the OS saves the register state
// (XGETBV), which CPUID bits alone do not say.
//
//===----------------------------------------------------------------------===//

#include "CpuFeatures.h"

namespace xfc::runtime {

namespace {

struct Feature {
  const char *name;
  bool present;
};

const std::vector<Feature> &getFeatureTable() {
  static const std::vector<Feature> table = [] {
    std::vector<Feature> features;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
#define XFC_FEATURE(NAME)                                                      \
  features.push_back({NAME, __builtin_cpu_supports(NAME) != 0})
    XFC_FEATURE("cmov");
    XFC_FEATURE("mmx");
    XFC_FEATURE("popcnt");
    XFC_FEATURE("sse");
    XFC_FEATURE("sse2");
    XFC_FEATURE("sse3");
    XFC_FEATURE("ssse3");
    XFC_FEATURE("sse4.1");
    XFC_FEATURE("sse4.2");
    XFC_FEATURE("sse4a");
    XFC_FEATURE("avx");
    XFC_FEATURE("avx2");
    XFC_FEATURE("fma");
    XFC_FEATURE("fma4");
    XFC_FEATURE("xop");
    XFC_FEATURE("f16c");
    XFC_FEATURE("bmi");
    XFC_FEATURE("bmi2");
    XFC_FEATURE("lzcnt");
    XFC_FEATURE("movbe");
    XFC_FEATURE("aes");
    XFC_FEATURE("pclmul");
    XFC_FEATURE("vpclmulqdq");
    XFC_FEATURE("vaes");
    XFC_FEATURE("gfni");
    XFC_FEATURE("sha");
    XFC_FEATURE("adx");
    XFC_FEATURE("rdrnd");
    XFC_FEATURE("rdseed");
    XFC_FEATURE("xsave");
    XFC_FEATURE("xsavec");
    XFC_FEATURE("xsaveopt");
    XFC_FEATURE("xsaves");
    XFC_FEATURE("osxsave");
    XFC_FEATURE("clflushopt");
    XFC_FEATURE("clwb");
    XFC_FEATURE("prfchw");
    XFC_FEATURE("avxvnni");
    XFC_FEATURE("avx512f");
    XFC_FEATURE("avx512cd");
    XFC_FEATURE("avx512vl");
    XFC_FEATURE("avx512bw");
    XFC_FEATURE("avx512dq");
    XFC_FEATURE("avx512ifma");
    XFC_FEATURE("avx512vbmi");
    XFC_FEATURE("avx512vbmi2");
    XFC_FEATURE("avx512vnni");
    XFC_FEATURE("avx512bitalg");
    XFC_FEATURE("avx512vpopcntdq");
    XFC_FEATURE("avx512bf16");
    XFC_FEATURE("avx512fp16");
    XFC_FEATURE("avx512vp2intersect");
    XFC_FEATURE("avx512er");
    XFC_FEATURE("avx512pf");
    XFC_FEATURE("avx5124vnniw");
    XFC_FEATURE("avx5124fmaps");
    XFC_FEATURE("amx-tile");
    XFC_FEATURE("amx-int8");
    XFC_FEATURE("amx-bf16");
    XFC_FEATURE("x86-64");
    XFC_FEATURE("x86-64-v2");
    XFC_FEATURE("x86-64-v3");
    XFC_FEATURE("x86-64-v4");
#undef XFC_FEATURE
#endif
    return features;
  }();
  return table;
}

} // namespace

std::vector<std::string>
findMissingCpuFeatures(const std::vector<std::string> &features) {
  std::vector<std::string> missing;
  for (const std::string &name : features) {
    const Feature *known = nullptr;
    for (const Feature &feature : getFeatureTable())
      if (name == feature.name)
        known = &feature;
    if (!known)
      missing.push_back(name + " (unknown to this runtime)");
    else if (!known->present)
      missing.push_back(name);
  }
  return missing;
}

} // namespace xfc::runtime
