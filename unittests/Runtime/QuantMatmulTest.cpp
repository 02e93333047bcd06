//===- QuantMatmulTest.cpp - The runtime's quantized GEMMs ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The qmatmul kinds against naive references on random data, with shapes
// that hit every tail (M = 1, M past a task's rows, N not a multiple of the
// 64-channel panel, K not a multiple of a vector):
//  * the input quantization, bit for bit, on every ISA variant this CPU
//    runs (the w8a8 contract requires the compiler's exact rounding);
//  * w8a8 and w8a8-dynamic through QuantMatmulPrimitive (oneDNN), bit for
//    bit against float(acc)·scale[n] + bias[n] and ((float(acc)·scale[n])·
//    r[m]) + bias[n], each product and sum rounded to float on its own
//    (what oneDNN's brgemm kernels compute: no FMA), and the integer
//    accumulators exactly;
//  * w8 and w4 against a float64 reference within a tolerance scaled by
//    Σ|a·w| (the kernel sums in float, in its own order).
//
//===----------------------------------------------------------------------===//

#include "Metadata.h"
#include "QuantKernels.h"
#include "QuantMatmul.h"

#include <gtest/gtest.h>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace xfc::runtime;

namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::vector<QuantIsa> getIsas() {
  std::vector<QuantIsa> isas = {QuantIsa::Generic};
  if (isQuantIsaSupported(QuantIsa::Avx512))
    isas.push_back(QuantIsa::Avx512);
  return isas;
}

const char *getIsaName(QuantIsa isa) {
  return isa == QuantIsa::Avx512 ? "avx512" : "generic";
}

//===----------------------------------------------------------------------===//
// The contract's quantization, written out as the compiler lowers it.
//===----------------------------------------------------------------------===//

/// arith.maxnumf / minnumf against a non-NaN bound: the bound for NaN.
float maxNum(float x, float bound) { return std::isnan(x) ? bound : std::max(x, bound); }
float minNum(float x, float bound) { return std::isnan(x) ? bound : std::min(x, bound); }

/// saturate_u8(round_half_even(a / S) + Z), in float, a true division.
uint8_t referenceU8(float a, float scale, int32_t zeroPoint) {
  float q = std::nearbyint(a / scale) + static_cast<float>(zeroPoint);
  return static_cast<uint8_t>(minNum(maxNum(q, 0.0f), 255.0f));
}

/// r = max|row| / 127 (1 for 0; NaN propagates, as arith.maximumf does).
float referenceRowScale(const float *row, int64_t cols) {
  float absMax = 0.0f;
  for (int64_t c = 0; c < cols; ++c)
    absMax = std::isnan(row[c]) || std::isnan(absMax)
                 ? kNan
                 : std::max(absMax, std::fabs(row[c]));
  return absMax == 0.0f ? 1.0f : absMax / 127.0f;
}

int8_t referenceS8(float a, float r) {
  float q = std::nearbyint(a / r);
  return static_cast<int8_t>(minNum(maxNum(q, -127.0f), 127.0f));
}

/// Floats that stress the quantization: ties, zero signs, saturation,
/// non-finite values, denormals, and values whose a / S and a · (1/S)
/// round to different integers (so a kernel multiplying by the reciprocal
/// fails).
std::vector<float> getSpecialInputs(float scale, std::mt19937 &rng) {
  std::vector<float> values = {0.0f,  -0.0f, 0.5f,  1.5f,  2.5f,   -0.5f,
                               -1.5f, -2.5f, 1e30f, -1e30f, kInf,  -kInf,
                               kNan,  1e-40f, -1e-40f, 127.5f, -127.5f,
                               255.5f, 128.5f, -128.5f};
  for (float &v : std::vector<float>(values))
    values.push_back(v * scale);
  // Only near ties (j + 0.5)·S can the two round apart: try a few ulps
  // around each. (For a power-of-two S they never differ.)
  int found = 0;
  for (int j = -300; j < 300 && found < 8; ++j) {
    float a = (static_cast<float>(j) + 0.5f) * scale;
    for (int ulps = 0; ulps < 3; ++ulps, a = std::nextafter(a, 2 * a)) {
      if (std::nearbyint(a / scale) != std::nearbyint(a * (1.0f / scale))) {
        values.push_back(a);
        ++found;
      }
    }
  }
  int exponent;
  if (std::frexp(scale, &exponent) != 0.5f) {
    EXPECT_GT(found, 0) << "no input tells division from reciprocal";
  }
  std::shuffle(values.begin(), values.end(), rng);
  return values;
}

TEST(QuantizeRows, U8MatchesTheContract) {
  std::mt19937 rng(1);
  for (float scale : {1.0f, 0.1f, 0.0237f, 3.7e-3f}) {
    std::vector<float> special = getSpecialInputs(scale, rng);
    std::uniform_real_distribution<float> uniform(-200.0f * scale,
                                                  200.0f * scale);
    for (int64_t cols : {1, 15, 16, 17, 70, 300}) {
      const int64_t rows = 5, stride = cols + 3;
      std::vector<float> a(rows * stride);
      for (size_t i = 0; i < a.size(); ++i)
        a[i] = i < special.size() * 2 && i % 2 ? special[i / 2]
                                               : uniform(rng);
      for (int32_t zeroPoint : {0, 128, 255, 3}) {
        for (QuantIsa isa : getIsas()) {
          SCOPED_TRACE(std::string(getIsaName(isa)) + " scale " +
                       std::to_string(scale) + " cols " +
                       std::to_string(cols) + " zp " +
                       std::to_string(zeroPoint));
          std::vector<uint8_t> out(rows * cols, 0xAB);
          quantizeRowsU8(a.data(), rows, cols, stride, scale, zeroPoint,
                         out.data(), 1, isa);
          for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c)
              ASSERT_EQ(out[r * cols + c],
                        referenceU8(a[r * stride + c], scale, zeroPoint))
                  << "a = " << a[r * stride + c] << " at " << r << "," << c;
        }
      }
    }
  }
}

TEST(QuantizeRows, S8MatchesTheContract) {
  std::mt19937 rng(2);
  std::vector<float> special = getSpecialInputs(0.37f, rng);
  for (int64_t cols : {1, 15, 16, 33, 300}) {
    // Row kinds: random, with special values (NaN, inf) mixed in, all
    // zero, one nonzero value, ties on the grid (max 127 makes r 1).
    const int64_t rows = 6, stride = cols + 1;
    std::vector<float> a(rows * stride, 0.0f);
    std::uniform_real_distribution<float> uniform(-5.0f, 5.0f);
    for (int64_t c = 0; c < cols; ++c) {
      a[c] = uniform(rng);
      a[stride + c] = special[c % special.size()];
      a[4 * stride + c] = static_cast<float>(c % 7) - 3.5f;
      a[5 * stride + c] = uniform(rng) * 1e-3f;
    }
    a[3 * stride + cols / 2] = -2.0f;
    a[4 * stride] = 127.0f;
    for (QuantIsa isa : getIsas()) {
      SCOPED_TRACE(std::string(getIsaName(isa)) + " cols " +
                   std::to_string(cols));
      std::vector<int8_t> out(rows * cols);
      std::vector<float> scales(rows);
      quantizeRowsS8(a.data(), rows, cols, stride, out.data(), scales.data(),
                     1, isa);
      for (int64_t r = 0; r < rows; ++r) {
        float expected = referenceRowScale(&a[r * stride], cols);
        if (std::isnan(expected))
          ASSERT_TRUE(std::isnan(scales[r])) << "row " << r;
        else
          ASSERT_EQ(scales[r], expected) << "row " << r;
        for (int64_t c = 0; c < cols; ++c)
          ASSERT_EQ(out[r * cols + c], referenceS8(a[r * stride + c], expected))
              << "a = " << a[r * stride + c] << " at " << r << "," << c;
      }
    }
  }
}

TEST(QuantizeRows, ThreadsGiveTheSameBytes) {
  std::mt19937 rng(3);
  const int64_t rows = 200, cols = 768;
  std::vector<float> a(rows * cols);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  for (float &x : a)
    x = normal(rng);
  for (QuantIsa isa : getIsas()) {
    std::vector<uint8_t> u1(a.size()), u2(a.size());
    std::vector<int8_t> s1(a.size()), s2(a.size());
    std::vector<float> r1(rows), r2(rows);
    quantizeRowsU8(a.data(), rows, cols, cols, 0.05f, 100, u1.data(), 1, isa);
    quantizeRowsU8(a.data(), rows, cols, cols, 0.05f, 100, u2.data(), 2, isa);
    quantizeRowsS8(a.data(), rows, cols, cols, s1.data(), r1.data(), 1, isa);
    quantizeRowsS8(a.data(), rows, cols, cols, s2.data(), r2.data(), 2, isa);
    EXPECT_EQ(u1, u2);
    EXPECT_EQ(s1, s2);
    EXPECT_EQ(r1, r2);
  }
}

//===----------------------------------------------------------------------===//
// Whole primitives.
//===----------------------------------------------------------------------===//

/// A weights region built operand by operand, each 64-byte aligned.
class Region {
public:
  int64_t add(const void *data, size_t bytes) {
    int64_t offset = static_cast<int64_t>((contents.size() + 63) / 64 * 64);
    contents.resize(offset + bytes);
    std::memcpy(&contents[offset], data, bytes);
    return offset;
  }
  template <typename T> int64_t add(const std::vector<T> &values) {
    return add(values.data(), values.size() * sizeof(T));
  }
  /// The region at a 64-byte-aligned address.
  const char *data() {
    aligned.assign(contents.size() + 64, 0);
    char *start = reinterpret_cast<char *>(
        (reinterpret_cast<uintptr_t>(aligned.data()) + 63) / 64 * 64);
    std::memcpy(start, contents.data(), contents.size());
    return start;
  }

private:
  std::string contents;
  std::vector<char> aligned;
};

/// A 64-byte-aligned buffer.
class Scratch {
public:
  explicit Scratch(size_t bytes) : storage(bytes + 64) {}
  void *get() {
    return reinterpret_cast<void *>(
        (reinterpret_cast<uintptr_t>(storage.data()) + 63) / 64 * 64);
  }

private:
  std::vector<char> storage;
};

struct Shape {
  int64_t m, n, k;
};

std::string describe(const Shape &s, const std::string &epilogue) {
  std::ostringstream text;
  text << "M=" << s.m << " N=" << s.n << " K=" << s.k << " " << epilogue;
  return text.str();
}

/// Runs `desc` on A (row stride desc.aRowStride) and returns C (row stride
/// desc.cRowStride, gaps 0), the residual being `residual` when not empty.
std::vector<float> runPrimitive(const QuantMatmulDesc &desc, const char *region,
                                const std::vector<float> &a,
                                const std::vector<float> &residual) {
  dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  QuantMatmulPrimitive primitive(engine, desc, region, "test.so");
  Scratch scratch(primitive.getScratchpadSize());
  std::vector<float> c(desc.m * desc.cRowStride, 0.0f);
  dnnl::stream stream(engine);
  primitive.execute(stream, a.data(),
                    residual.empty() ? nullptr : residual.data(), c.data(),
                    scratch.get());
  return c;
}

double geluErf(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }
double geluTanh(double x) {
  double y = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
  return x / (1.0 + std::exp(-2.0 * y));
}

const char *const kActivations[] = {"", "gelu_erf", "gelu_tanh", "add"};

/// One random w8a8 or w8a8-dynamic problem and its exact reference.
struct IntegerCase {
  QuantMatmulDesc desc;
  Region region;
  std::vector<float> a, residual;
  std::vector<int8_t> weight;
  std::vector<float> scales, bias;
  /// [M][N]: the integer accumulators and the reference's rounding.
  std::vector<int32_t> acc;
  std::vector<float> expected;

  IntegerCase(QuantMatmulKind kind, const Shape &s, const std::string &act,
              bool withBias, std::mt19937 &rng) {
    desc.id = 7;
    desc.lineNumber = 12;
    desc.kind = kind;
    desc.m = s.m;
    desc.n = s.n;
    desc.k = s.k;
    desc.aRowStride = s.k + 5;
    desc.cRowStride = s.n + 3;
    desc.activation = act;
    std::uniform_real_distribution<float> uniform(-3.0f, 3.0f);
    std::uniform_real_distribution<float> scale(1e-3f, 1e-2f);
    std::uniform_int_distribution<int> weightValue(-128, 127);
    std::uniform_int_distribution<int> zeroPoint(0, 255);
    desc.inputScale = std::uniform_real_distribution<float>(0.01f, 0.05f)(rng);
    desc.inputZeroPoint = zeroPoint(rng);
    a.assign(s.m * desc.aRowStride, kNan);
    for (int64_t m = 0; m < s.m; ++m)
      for (int64_t k = 0; k < s.k; ++k)
        a[m * desc.aRowStride + k] = uniform(rng);
    weight.resize(s.n * s.k);
    for (int8_t &w : weight)
      w = static_cast<int8_t>(weightValue(rng));
    scales.resize(s.n);
    bias.resize(s.n);
    for (int64_t n = 0; n < s.n; ++n) {
      scales[n] = scale(rng);
      bias[n] = uniform(rng);
    }
    if (act == "add") {
      residual.assign(s.m * desc.cRowStride, 0.0f);
      for (float &r : residual)
        r = uniform(rng);
    }
    desc.weightOffset = region.add(weight);
    desc.scalesOffset = region.add(scales);
    desc.offsetsOffset = -1;
    desc.biasOffset = withBias ? region.add(bias) : -1;
    computeReference();
  }

  void computeReference() {
    const bool dynamic = desc.kind == QuantMatmulKind::W8A8Dynamic;
    acc.assign(desc.m * desc.n, 0);
    expected.assign(desc.m * desc.n, 0.0f);
    std::vector<int32_t> q(desc.k);
    for (int64_t m = 0; m < desc.m; ++m) {
      const float *row = &a[m * desc.aRowStride];
      float r = dynamic ? referenceRowScale(row, desc.k) : 1.0f;
      for (int64_t k = 0; k < desc.k; ++k)
        q[k] = dynamic ? referenceS8(row[k], r)
                       : referenceU8(row[k], desc.inputScale,
                                     desc.inputZeroPoint);
      for (int64_t n = 0; n < desc.n; ++n) {
        int32_t sum = 0;
        for (int64_t k = 0; k < desc.k; ++k)
          sum += q[k] * weight[n * desc.k + k];
        acc[m * desc.n + n] = sum;
        // `volatile` keeps each rounding separate whatever the compiler's
        // contraction settings.
        volatile float scaled = static_cast<float>(sum) * scales[n];
        if (dynamic) {
          volatile float rowScaled = scaled * r;
          scaled = rowScaled;
        }
        float value = scaled;
        if (desc.biasOffset >= 0)
          value += bias[n];
        expected[m * desc.n + n] = value;
      }
    }
  }
};

/// Compares C with the exact reference: bit for bit before an activation
/// (and after a residual add, one more rounded sum), within the gelu
/// approximations' error after one.
void checkIntegerCase(const IntegerCase &test, const std::vector<float> &c) {
  const QuantMatmulDesc &d = test.desc;
  for (int64_t m = 0; m < d.m; ++m)
    for (int64_t n = 0; n < d.n; ++n) {
      float got = c[m * d.cRowStride + n];
      float pre = test.expected[m * d.n + n];
      if (d.activation.empty()) {
        ASSERT_EQ(got, pre) << "at " << m << "," << n << " acc "
                            << test.acc[m * d.n + n];
      } else if (d.activation == "add") {
        ASSERT_EQ(got, pre + test.residual[m * d.cRowStride + n])
            << "at " << m << "," << n;
      } else {
        double want = d.activation == "gelu_erf" ? geluErf(pre) : geluTanh(pre);
        ASSERT_NEAR(got, want, 1e-6 + 2e-6 * std::fabs(want))
            << "at " << m << "," << n << " pre-activation " << pre;
      }
    }
}

const Shape kIntegerShapes[] = {
    {1, 1, 1},  {1, 17, 64},  {3, 33, 100},   {7, 65, 256},
    {37, 129, 300}, {128, 64, 768}, {5, 1000, 48},
};

TEST(QuantMatmul, W8A8IsExact) {
  std::mt19937 rng(10);
  for (const Shape &s : kIntegerShapes)
    for (const char *act : kActivations) {
      SCOPED_TRACE(describe(s, act));
      IntegerCase test(QuantMatmulKind::W8A8, s, act, true, rng);
      checkIntegerCase(test, runPrimitive(test.desc, test.region.data(),
                                          test.a, test.residual));
    }
}

TEST(QuantMatmul, W8A8DynamicIsExact) {
  std::mt19937 rng(11);
  for (const Shape &s : kIntegerShapes)
    for (const char *act : kActivations)
      for (bool withBias : {true, false}) {
        SCOPED_TRACE(describe(s, act) + (withBias ? " bias" : ""));
        IntegerCase test(QuantMatmulKind::W8A8Dynamic, s, act, withBias, rng);
        checkIntegerCase(test, runPrimitive(test.desc, test.region.data(),
                                            test.a, test.residual));
      }
}

/// Scales 1 and bias 0 with small K: C is float(acc), exact below 2^24, so
/// this checks the integer sums themselves (the dynamic rows hold 127, so
/// r is 1 and q is round(a)).
TEST(QuantMatmul, IntegerAccumulatorsAreExact) {
  std::mt19937 rng(12);
  for (QuantMatmulKind kind :
       {QuantMatmulKind::W8A8, QuantMatmulKind::W8A8Dynamic}) {
    SCOPED_TRACE(getQuantMatmulKindName(kind));
    Shape s = {9, 70, 200};
    IntegerCase test(kind, s, "", true, rng);
    std::uniform_int_distribution<int> value(-127, 127);
    for (int64_t m = 0; m < s.m; ++m)
      for (int64_t k = 0; k < s.k; ++k)
        test.a[m * test.desc.aRowStride + k] =
            k == m ? 127.0f : static_cast<float>(value(rng));
    std::fill(test.scales.begin(), test.scales.end(), 1.0f);
    std::fill(test.bias.begin(), test.bias.end(), 0.0f);
    test.desc.inputScale = 1.0f;
    test.region = Region();
    test.desc.weightOffset = test.region.add(test.weight);
    test.desc.scalesOffset = test.region.add(test.scales);
    test.desc.biasOffset = test.region.add(test.bias);
    test.computeReference();
    std::vector<float> c =
        runPrimitive(test.desc, test.region.data(), test.a, {});
    for (int64_t m = 0; m < s.m; ++m)
      for (int64_t n = 0; n < s.n; ++n)
        ASSERT_EQ(c[m * test.desc.cRowStride + n],
                  static_cast<float>(test.acc[m * s.n + n]))
            << "at " << m << "," << n;
  }
}

/// Long K with few rows and columns: oneDNN may split K over threads and
/// add the partial sums; they must stay integers.
TEST(QuantMatmul, LongKOnTwoThreadsIsExact) {
  int saved = omp_get_max_threads();
  omp_set_num_threads(2);
  std::mt19937 rng(13);
  for (QuantMatmulKind kind :
       {QuantMatmulKind::W8A8, QuantMatmulKind::W8A8Dynamic})
    for (Shape s : {Shape{1, 64, 8192}, Shape{4, 16, 16384}}) {
      SCOPED_TRACE(describe(s, getQuantMatmulKindName(kind)));
      IntegerCase test(kind, s, "", true, rng);
      checkIntegerCase(test, runPrimitive(test.desc, test.region.data(),
                                          test.a, test.residual));
    }
  omp_set_num_threads(saved);
}

/// A NaN row of a dynamic GEMM has a NaN scale: that row of C is NaN (as
/// in the reference, where the NaN reaches the fake-quantized row), and
/// the other rows are unaffected.
TEST(QuantMatmul, DynamicNanRowIsNan) {
  std::mt19937 rng(14);
  IntegerCase test(QuantMatmulKind::W8A8Dynamic, {3, 20, 40}, "", true, rng);
  test.a[1 * test.desc.aRowStride + 5] = kNan;
  test.computeReference();
  std::vector<float> c =
      runPrimitive(test.desc, test.region.data(), test.a, {});
  for (int64_t n = 0; n < 20; ++n) {
    EXPECT_TRUE(std::isnan(c[1 * test.desc.cRowStride + n]));
    EXPECT_EQ(c[n], test.expected[n]);
    EXPECT_EQ(c[2 * test.desc.cRowStride + n], test.expected[2 * 20 + n]);
  }
}

//===----------------------------------------------------------------------===//
// Weight-only GEMMs.
//===----------------------------------------------------------------------===//

/// A random w8 or w4 problem.
struct WeightOnlyCase {
  bool int4;
  int64_t m, n, k, group;
  int64_t aRowStride, cRowStride;
  std::vector<uint8_t> weight;
  std::vector<float> scales, offsets, bias, a, residual;
  GemmEpilogue epilogue;

  WeightOnlyCase(bool int4, const Shape &s, int64_t group, bool withOffsets,
                 bool withBias, GemmEpilogue epilogue, std::mt19937 &rng)
      : int4(int4), m(s.m), n(s.n), k(s.k), group(group),
        aRowStride(s.k + 3), cRowStride(s.n + 5), epilogue(epilogue) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::uniform_real_distribution<float> scale(0.01f, 0.1f);
    weight.resize(int4 ? n * k / 2 : n * k);
    for (uint8_t &w : weight)
      w = static_cast<uint8_t>(byte(rng));
    scales.resize(n * (k / group));
    for (float &x : scales)
      x = scale(rng);
    if (withOffsets) {
      offsets.resize(scales.size());
      for (float &x : offsets)
        x = uniform(rng) * 0.3f;
    }
    if (withBias) {
      bias.resize(n);
      for (float &x : bias)
        x = uniform(rng);
    }
    a.assign(m * aRowStride, kNan);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < k; ++j)
        a[i * aRowStride + j] = uniform(rng) * 2.0f;
    residual.assign(m * cRowStride, 0.0f);
    for (float &x : residual)
      x = uniform(rng);
  }

  double getWeight(int64_t row, int64_t col) const {
    int q = int4 ? (weight[(row * k + col) / 2] >> (col % 2 * 4)) & 15
                 : static_cast<int8_t>(weight[row * k + col]);
    int64_t index = row * (k / group) + col / group;
    return static_cast<double>(scales[index]) * q +
           (offsets.empty() ? 0.0 : offsets[index]);
  }

  /// C with gaps of `fill`; `c` may be the residual buffer itself.
  void run(float *c, const float *residualData, QuantIsa isa,
           int maxThreads) const {
    PackedWeightOnly packed(int4, n, k, group, weight.data(), scales.data(),
                            offsets.empty() ? nullptr : offsets.data(),
                            maxThreads);
    Scratch workspace(getWeightOnlyWorkspaceSize(packed, m, maxThreads));
    WeightOnlyGemm gemm = {&packed,
                           m,
                           aRowStride,
                           cRowStride,
                           a.data(),
                           bias.empty() ? nullptr : bias.data(),
                           residualData,
                           c,
                           epilogue};
    runWeightOnlyGemm(gemm, workspace.get(), maxThreads, isa);
  }

  /// Checks C against a float64 reference: the pre-activation within
  /// 2e-6 · (Σ|a·w| + |bias|) (float sums in another order, and the
  /// dequantized weights rounded to float), a gelu's own error besides.
  void check(const std::vector<float> &c) const {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = bias.empty() ? 0.0 : bias[j];
        double magnitude = std::fabs(sum);
        for (int64_t l = 0; l < k; ++l) {
          double term = a[i * aRowStride + l] * getWeight(j, l);
          sum += term;
          magnitude += std::fabs(term);
        }
        double tolerance = 2e-6 * magnitude + 1e-30;
        double want = sum;
        switch (epilogue) {
        case GemmEpilogue::GeluErf:
          want = geluErf(sum);
          tolerance = 1.2 * tolerance + 2e-6 * std::fabs(want) + 1e-7;
          break;
        case GemmEpilogue::GeluTanh:
          want = geluTanh(sum);
          tolerance = 1.2 * tolerance + 2e-6 * std::fabs(want) + 1e-7;
          break;
        case GemmEpilogue::Add:
          want += residual[i * cRowStride + j];
          tolerance += 1e-7 * std::fabs(want);
          break;
        case GemmEpilogue::None:
          break;
        }
        ASSERT_NEAR(c[i * cRowStride + j], want, tolerance)
            << "at " << i << "," << j;
      }
  }
};

struct WeightOnlyShape {
  Shape shape;
  int64_t group;
};

/// Groups that are a vector, the whole K, odd (w4's nibble pairs then
/// straddle groups), and K that is no multiple of 16 or of the K-block.
const WeightOnlyShape kWeightOnlyShapes[] = {
    {{1, 64, 128}, 32},   {{1, 17, 96}, 96},    {{2, 65, 300}, 20},
    {{3, 130, 260}, 130}, {{4, 1, 6}, 3},       {{5, 64, 64}, 16},
    {{7, 33, 384}, 128},  {{13, 129, 300}, 4},  {{1, 70, 6}, 3},
    {{37, 130, 300}, 20}, {{300, 65, 136}, 68}, {{64, 200, 512}, 64},
};

TEST(WeightOnlyGemm, MatchesFloat64Reference) {
  std::mt19937 rng(20);
  const GemmEpilogue epilogues[] = {GemmEpilogue::None, GemmEpilogue::GeluErf,
                                    GemmEpilogue::GeluTanh, GemmEpilogue::Add};
  int variant = 0;
  for (const WeightOnlyShape &shape : kWeightOnlyShapes)
    for (bool int4 : {false, true})
      for (GemmEpilogue epilogue : epilogues) {
        // Offsets and bias present or not, by turns.
        bool withOffsets = variant % 2 == 0, withBias = variant % 3 != 0;
        ++variant;
        WeightOnlyCase test(int4, shape.shape, shape.group, withOffsets,
                            withBias, epilogue, rng);
        for (QuantIsa isa : getIsas())
          for (int threads : {1, 2}) {
            SCOPED_TRACE(describe(shape.shape, int4 ? "w4" : "w8") +
                         " group " + std::to_string(shape.group) + " " +
                         getIsaName(isa) + " epilogue " +
                         std::to_string(static_cast<int>(epilogue)) +
                         (withOffsets ? " offsets" : "") +
                         (withBias ? " bias" : "") + " threads " +
                         std::to_string(threads));
            const float gap = 12345.0f;
            std::vector<float> c(test.m * test.cRowStride, gap);
            test.run(c.data(), test.residual.data(), isa, threads);
            test.check(c);
            // Nothing between the rows of C is written.
            for (int64_t i = 0; i < test.m; ++i)
              for (int64_t j = test.n; j < test.cRowStride; ++j)
                ASSERT_EQ(c[i * test.cRowStride + j], gap);
          }
      }
}

/// The residual add may read C itself (in-place generated code).
TEST(WeightOnlyGemm, ResidualMayBeC) {
  std::mt19937 rng(21);
  for (Shape s : {Shape{2, 70, 128}, Shape{40, 70, 320}})
    for (QuantIsa isa : getIsas()) {
      SCOPED_TRACE(describe(s, getIsaName(isa)));
      WeightOnlyCase test(true, s, 32, true, true, GemmEpilogue::Add, rng);
      std::vector<float> c = test.residual;
      test.run(c.data(), c.data(), isa, 2);
      test.check(c);
    }
}

/// The same kernel behind the metadata: QuantMatmulPrimitive reads every
/// operand from the weights region.
TEST(QuantMatmul, WeightOnlyThroughThePrimitive) {
  std::mt19937 rng(22);
  for (QuantMatmulKind kind : {QuantMatmulKind::W8, QuantMatmulKind::W4})
    for (Shape s : {Shape{1, 100, 256}, Shape{20, 100, 256}}) {
      SCOPED_TRACE(describe(s, getQuantMatmulKindName(kind)));
      WeightOnlyCase test(kind == QuantMatmulKind::W4, s, 64, true, true,
                          GemmEpilogue::GeluTanh, rng);
      Region region;
      QuantMatmulDesc desc;
      desc.id = 1;
      desc.lineNumber = 9;
      desc.kind = kind;
      desc.m = s.m;
      desc.n = s.n;
      desc.k = s.k;
      desc.aRowStride = test.aRowStride;
      desc.cRowStride = test.cRowStride;
      desc.group = 64;
      desc.weightOffset = region.add(test.weight);
      desc.scalesOffset = region.add(test.scales);
      desc.offsetsOffset = region.add(test.offsets);
      desc.biasOffset = region.add(test.bias);
      desc.activation = "gelu_tanh";
      test.check(runPrimitive(desc, region.data(), test.a, {}));
    }
}

} // namespace
