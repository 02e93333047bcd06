//===- matmul_bench.cpp - oneDNN matmul evaluation for docs/oneDNN.md -----===//
// SPDX-License-Identifier: Apache-2.0
//===----------------------------------------------------------------------===//
//
// Self-contained oneDNN matmul benchmark + feature probe used to write
// docs/oneDNN.md. It builds against both the oneDNN v2 API (Debian
// libdnnl-dev 2.6.3) and the v3 API (PyPI onednn-devel*). Not part of the
// xfc build; build it out of tree, e.g.
//
//   g++ -O2 -std=c++17 matmul_bench.cpp -I$P/include -L$P/lib -ldnnl
//       -Wl,--disable-new-dtags,-rpath,$P/lib -o /tmp/mb   (one line)
//   OMP_NUM_THREADS=1 ONEDNN_VERBOSE=1 /tmp/mb f32 512 768 3072 20
//
// Usage: matmul_bench [all|f32|u8s8|bf16|w4] [M K N] [reps]
//   f32  : f32 x f32 -> f32
//   u8s8 : u8 x s8 -> s32 (int8 VNNI / AMX path)
//   bf16 : bf16 x bf16 -> f32
//   w4   : f32 x s4 (grouped f32 scales, group 128 along K) -> f32,
//          fpmath_mode(bf16, apply_to_int=true); oneDNN >= 3.5 only
// Weights use format_tag::any and are reordered once outside the timed loop
// (what a compiler does with constant weights). Prints median/best GFLOP/s
// of `reps` timed runs after 5 warm-up runs, the implementation oneDNN
// picked, and which OpenMP runtime(s) the process has loaded.
//
//===----------------------------------------------------------------------===//

#include <oneapi/dnnl/dnnl.hpp>
#ifdef DNNL_EXPERIMENTAL_UKERNEL
#include <oneapi/dnnl/dnnl_ukernel.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using dt = memory::data_type;
using tag = memory::format_tag;

// Resolved only if some loaded library defines them (libgomp, libomp, iomp5).
extern "C" int omp_get_max_threads(void) __attribute__((weak));
extern "C" void GOMP_parallel(void (*)(void *), void *, unsigned, unsigned)
    __attribute__((weak));

#if DNNL_VERSION_MAJOR > 3 || (DNNL_VERSION_MAJOR == 3 && DNNL_VERSION_MINOR >= 5)
#define HAVE_INT4_GROUPED 1
#else
#define HAVE_INT4_GROUPED 0
#endif

static matmul::primitive_desc makePd(const engine &eng, const memory::desc &s,
                                     const memory::desc &w,
                                     const memory::desc &d,
                                     const primitive_attr &attr) {
#if DNNL_VERSION_MAJOR >= 3
  return matmul::primitive_desc(eng, s, w, d, attr);
#else
  return matmul::primitive_desc(matmul::desc(s, w, d), attr, eng);
#endif
}

static void fillRandom(const memory &m) {
  auto *p = static_cast<uint8_t *>(m.get_data_handle());
  size_t n = m.get_desc().get_size();
  std::mt19937 rng(42);
#if DNNL_VERSION_MAJOR >= 3
  dt t = m.get_desc().get_data_type();
#else
  dt t = m.get_desc().data_type();
#endif
  if (t == dt::f32) {
    auto *f = reinterpret_cast<float *>(p);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    for (size_t i = 0; i < n / 4; ++i)
      f[i] = u(rng);
  } else if (t == dt::bf16) {
    auto *h = reinterpret_cast<uint16_t *>(p);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    for (size_t i = 0; i < n / 2; ++i) {
      float v = u(rng);
      uint32_t b;
      std::memcpy(&b, &v, 4);
      h[i] = uint16_t(b >> 16);
    }
  } else { // int types: small random bytes (s8 in [-8,7], u8 in [0,15], s4)
    for (size_t i = 0; i < n; ++i)
      p[i] = uint8_t(rng() & 0x0f) ^ (t == dt::s8 ? 0x08 : 0);
  }
}

static int onLoaded(struct dl_phdr_info *info, size_t, void *) {
  const char *n = info->dlpi_name;
  if (n && (std::strstr(n, "omp") || std::strstr(n, "tbb") ||
            std::strstr(n, "dnnl") || std::strstr(n, "sycl")))
    std::printf("#   loaded: %s\n", n);
  return 0;
}

static const char *libOf(void *sym) {
  Dl_info di;
  if (sym && dladdr(sym, &di) && di.dli_fname)
    return di.dli_fname;
  return "(unresolved)";
}

static void printEnv() {
  const version_t *v = dnnl_version();
  std::printf("# oneDNN v%d.%d.%d (%s) cpu_runtime=0x%x gpu_runtime=0x%x\n",
              v->major, v->minor, v->patch, v->hash, v->cpu_runtime,
              v->gpu_runtime);
  std::printf("# effective cpu isa mask=0x%x\n",
              unsigned(get_effective_cpu_isa()));
  const char *ont = std::getenv("OMP_NUM_THREADS");
  std::printf("# OMP_NUM_THREADS=%s omp_get_max_threads()=%d\n",
              ont ? ont : "(unset)",
              omp_get_max_threads ? omp_get_max_threads() : -1);
  std::printf("# omp_get_max_threads from %s\n",
              libOf(reinterpret_cast<void *>(omp_get_max_threads)));
  std::printf("# GOMP_parallel       from %s\n",
              libOf(reinterpret_cast<void *>(GOMP_parallel)));
#ifdef DNNL_EXPERIMENTAL_UKERNEL
  std::printf("# ukernel API (DNNL_EXPERIMENTAL_UKERNEL): enabled\n");
#else
  std::printf("# ukernel API (DNNL_EXPERIMENTAL_UKERNEL): not enabled\n");
#endif
  std::printf("# int4 weights + grouped scales in API: %s\n",
              HAVE_INT4_GROUPED ? "yes" : "no");
  dl_iterate_phdr(onLoaded, nullptr);
}

static int runCase(engine &eng, stream &s, const std::string &kind,
                   memory::dim M, memory::dim K, memory::dim N, int reps) {
  dt st = dt::f32, wt = dt::f32, dst = dt::f32;
  primitive_attr attr;
#if HAVE_INT4_GROUPED
  const memory::dim group = 128;
#endif
  if (kind == "u8s8") {
    st = dt::u8, wt = dt::s8, dst = dt::s32;
  } else if (kind == "bf16") {
    st = dt::bf16, wt = dt::bf16, dst = dt::f32;
  } else if (kind == "w4") {
#if HAVE_INT4_GROUPED
    wt = dt::s4;
    // Per-(K-group, N) scales: mask over both weight dims, groups {128, 1}.
    attr.set_scales(DNNL_ARG_WEIGHTS, (1 << 0) | (1 << 1), {group, 1},
                    dt::f32);
    attr.set_fpmath_mode(fpmath_mode::bf16, /*apply_to_int=*/true);
#else
    std::printf("%-5s unsupported: oneDNN < 3.5 has no s4 / grouped scales\n",
                kind.c_str());
    return 1;
#endif
  } else if (kind != "f32") {
    std::fprintf(stderr, "unknown case %s\n", kind.c_str());
    return 2;
  }

  memory::desc srcMd({M, K}, st, tag::ab);
  memory::desc weiPlain({K, N}, wt, tag::ab);
  memory::desc weiAny({K, N}, wt, tag::any);
  memory::desc dstMd({M, N}, dst, tag::ab);

  matmul::primitive_desc pd;
  try {
    pd = makePd(eng, srcMd, weiAny, dstMd, attr);
  } catch (const error &e) {
    std::printf("%-5s unsupported: %s (status %d)\n", kind.c_str(), e.what(),
                int(e.status));
    return 1;
  }

  memory src(srcMd, eng), dstM(dstMd, eng), weiP(weiPlain, eng);
  fillRandom(src);
  fillRandom(weiP);
  memory wei = weiP;
  if (pd.weights_desc() != weiPlain) {
    wei = memory(pd.weights_desc(), eng);
    reorder(weiP, wei).execute(s, weiP, wei);
    s.wait();
  }
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dstM}};
#if HAVE_INT4_GROUPED
  if (kind == "w4") {
    memory::desc scMd({K / group, N}, dt::f32, tag::ab);
    memory sc(scMd, eng);
    auto *f = static_cast<float *>(sc.get_data_handle());
    for (memory::dim i = 0; i < (K / group) * N; ++i)
      f[i] = 0.01f;
    args[DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS] = sc;
  }
#endif

  matmul mm(pd);
  for (int i = 0; i < 5; ++i)
    mm.execute(s, args);
  s.wait();
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    mm.execute(s, args);
    s.wait();
    auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  double med = ms[ms.size() / 2], best = ms.front();
  double gflop = 2.0 * double(M) * double(K) * double(N) * 1e-9;
  std::printf("%-5s M=%lld K=%lld N=%lld median %.3f ms = %.1f GFLOP/s "
              "(best %.1f)  impl=%s\n",
              kind.c_str(), (long long)M, (long long)K, (long long)N, med,
              gflop / (med * 1e-3), gflop / (best * 1e-3), pd.impl_info_str());
  return 0;
}

int main(int argc, char **argv) {
  std::string which = argc > 1 ? argv[1] : "all";
  memory::dim M = argc > 4 ? std::atoll(argv[2]) : 512;
  memory::dim K = argc > 4 ? std::atoll(argv[3]) : 768;
  memory::dim N = argc > 4 ? std::atoll(argv[4]) : 3072;
  int reps = argc > 5 ? std::atoi(argv[5]) : 20;

  printEnv();
  engine eng;
  try {
    eng = engine(engine::kind::cpu, 0);
  } catch (const error &e) {
    std::printf("FAILED: cannot create CPU engine: %s (cpu engines: %zu)\n",
                e.what(), engine::get_count(engine::kind::cpu));
    return 3;
  }
  stream s(eng);
  std::vector<std::string> cases =
      which == "all" ? std::vector<std::string>{"f32", "u8s8", "bf16", "w4"}
                     : std::vector<std::string>{which};
  int rc = 0;
  for (auto &c : cases)
    rc |= runCase(eng, s, c, M, K, N, reps) == 2 ? 2 : 0;
  return rc;
}
