//===- AttentionTest.cpp - The runtime's fused attention kernel -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// runAttention against a naive reference (scores rounded to float as a
// float32 framework computes them, softmax and P·V in double) on random
// data, for every ISA variant this CPU runs: the AVX-512, AVX2 and generic
// kernels all run here on an AVX-512 machine.
//
//===----------------------------------------------------------------------===//

#include "Attention.h"
#include "AttentionKernel.h"

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

constexpr float kFinfoMin = -std::numeric_limits<float>::max();

enum class Layout {
  /// q [B,H,S,D] and so on, contiguous.
  Bhsd,
  /// q [B,S,H·D]: head stride D, sequence stride H·D.
  Packed,
  /// [B,H,S,D] with gaps after each row, head and batch.
  Padded,
};

enum class Mask {
  None,
  /// Bool [B,1,1,Skv]: a padding mask.
  BoolKeys,
  /// Bool [B,H,Sq,Skv].
  BoolFull,
  /// Additive [B,1,1,Skv] with finfo.min on padding keys, as HF models use.
  AddKeys,
  /// Additive [1,H,Sq,Skv]: random values and some finfo.min.
  AddFull,
  /// Additive [B,1,Sq,Skv]: finfo.min above the diagonal (HF's 4D causal
  /// mask) and on some keys.
  AddRows,
  /// Bool [1,H,1,Skv]: differs per head only.
  BoolHeads,
};

struct Case {
  int64_t batch = 1, heads = 2, kvHeads = 2, querySeq = 16, keySeq = 16,
          headDim = 16, valueDim = 16;
  bool causal = false;
  Mask mask = Mask::None;
  Layout layout = Layout::Bhsd;
  /// Multiplies 1/sqrt(headDim); large values give large scores.
  float scaleFactor = 1.0f;

  std::string describe() const {
    std::ostringstream os;
    os << "B" << batch << " H" << heads << "/" << kvHeads << " Sq" << querySeq
       << " Skv" << keySeq << " D" << headDim << " Dv" << valueDim
       << (causal ? " causal" : "") << " mask" << static_cast<int>(mask)
       << (layout == Layout::Packed   ? " packed"
           : layout == Layout::Padded ? " padded"
                                      : "")
       << " scale×" << scaleFactor;
    return os.str();
  }
};

/// The tensors of one case, with the shape that addresses them.
struct Problem {
  AttentionShape shape;
  std::vector<float> query, key, value, addMask;
  std::vector<uint8_t> boolMask;

  const void *mask() const {
    if (shape.maskKind == AttentionMaskKind::Bool)
      return boolMask.data();
    if (shape.maskKind == AttentionMaskKind::Additive)
      return addMask.data();
    return nullptr;
  }
  /// Elements of the output buffer, gaps included.
  size_t outputSpan = 0;

  size_t outputSize() const {
    return shape.batch * shape.numHeads * shape.querySeq * shape.valueHeadDim;
  }
};

/// Sets the strides of a [batch, heads, seq, dim] tensor and returns its
/// size in elements.
size_t setStrides(int64_t *strides, Layout layout, int64_t batch, int64_t heads,
                  int64_t seq, int64_t dim) {
  switch (layout) {
  case Layout::Bhsd:
    strides[0] = heads * seq * dim;
    strides[1] = seq * dim;
    strides[2] = dim;
    break;
  case Layout::Packed:
    strides[0] = seq * heads * dim;
    strides[1] = dim;
    strides[2] = heads * dim;
    break;
  case Layout::Padded:
    strides[2] = dim + 3;
    strides[1] = seq * strides[2] + 5;
    strides[0] = heads * strides[1] + 2;
    break;
  }
  return (batch - 1) * strides[0] + (heads - 1) * strides[1] +
         (seq - 1) * strides[2] + dim;
}

Problem makeProblem(const Case &c, uint32_t seed = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  auto fill = [&](std::vector<float> &v, size_t n) {
    v.resize(n);
    for (float &x : v)
      x = uniform(rng);
  };

  Problem p;
  AttentionShape &s = p.shape;
  s.batch = c.batch;
  s.numHeads = c.heads;
  s.numKvHeads = c.kvHeads;
  s.querySeq = c.querySeq;
  s.keySeq = c.keySeq;
  s.headDim = c.headDim;
  s.valueHeadDim = c.valueDim;
  size_t querySpan = setStrides(s.queryStrides, c.layout, c.batch, c.heads,
                                c.querySeq, c.headDim);
  size_t keySpan = setStrides(s.keyStrides, c.layout, c.batch, c.kvHeads,
                              c.keySeq, c.headDim);
  size_t valueSpan = setStrides(s.valueStrides, c.layout, c.batch, c.kvHeads,
                                c.keySeq, c.valueDim);
  p.outputSpan = setStrides(s.outputStrides, c.layout, c.batch, c.heads,
                            c.querySeq, c.valueDim);
  s.scale = c.scaleFactor / std::sqrt(static_cast<float>(c.headDim));
  s.causal = c.causal;
  fill(p.query, querySpan);
  fill(p.key, keySpan);
  fill(p.value, valueSpan);

  const int64_t b = c.batch, h = c.heads, sq = c.querySeq, skv = c.keySeq;
  std::uniform_int_distribution<int> percent(0, 99);
  switch (c.mask) {
  case Mask::None:
    break;
  case Mask::BoolKeys:
  case Mask::BoolFull:
  case Mask::BoolHeads: {
    s.maskKind = AttentionMaskKind::Bool;
    size_t n;
    if (c.mask == Mask::BoolKeys) {
      n = b * skv;
      s.maskStrides[0] = skv;
      s.maskStrides[3] = 1;
    } else if (c.mask == Mask::BoolHeads) {
      n = h * skv;
      s.maskStrides[1] = skv;
      s.maskStrides[3] = 1;
    } else {
      n = b * h * sq * skv;
      s.maskStrides[0] = h * sq * skv;
      s.maskStrides[1] = sq * skv;
      s.maskStrides[2] = skv;
      s.maskStrides[3] = 1;
    }
    p.boolMask.resize(n);
    for (uint8_t &x : p.boolMask)
      x = percent(rng) < 80 ? 1 + percent(rng) : 0;
    // Key 0 stays visible, so no row is fully masked by chance (tested on
    // its own below).
    for (size_t i = 0; i < n; i += skv)
      p.boolMask[i] = 1;
    break;
  }
  case Mask::AddKeys:
    s.maskKind = AttentionMaskKind::Additive;
    s.maskStrides[0] = skv;
    s.maskStrides[3] = 1;
    p.addMask.assign(b * skv, 0.0f);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t j = 1; j < skv; ++j)
        if (percent(rng) < 25)
          p.addMask[i * skv + j] = kFinfoMin;
    break;
  case Mask::AddFull:
    s.maskKind = AttentionMaskKind::Additive;
    s.maskStrides[1] = sq * skv;
    s.maskStrides[2] = skv;
    s.maskStrides[3] = 1;
    p.addMask.resize(h * sq * skv);
    for (float &x : p.addMask)
      x = percent(rng) < 15 ? kFinfoMin : 2.0f * uniform(rng);
    break;
  case Mask::AddRows:
    s.maskKind = AttentionMaskKind::Additive;
    s.maskStrides[0] = sq * skv;
    s.maskStrides[2] = skv;
    s.maskStrides[3] = 1;
    p.addMask.assign(b * sq * skv, 0.0f);
    for (int64_t i = 0; i < b; ++i)
      for (int64_t q = 0; q < sq; ++q)
        for (int64_t j = 0; j < skv; ++j)
          if (j > q + skv - sq || percent(rng) < 10)
            p.addMask[(i * sq + q) * skv + j] = kFinfoMin;
    break;
  }
  return p;
}

/// The reference: scores as float (scale·q·k, then + mask), as a float32
/// framework computes them, so that finfo.min masks cancel as they do
/// there; softmax and P·V in double.
std::vector<double> reference(const Problem &p) {
  const AttentionShape &s = p.shape;
  const int64_t group = s.numHeads / s.numKvHeads;
  std::vector<double> out(p.outputSize());
  std::vector<double> scores(s.keySeq);
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.numHeads; ++h)
      for (int64_t i = 0; i < s.querySeq; ++i) {
        const float *q = p.query.data() + b * s.queryStrides[0] +
                         h * s.queryStrides[1] + i * s.queryStrides[2];
        double max = -INFINITY;
        for (int64_t j = 0; j < s.keySeq; ++j) {
          const float *k = p.key.data() + b * s.keyStrides[0] +
                           h / group * s.keyStrides[1] + j * s.keyStrides[2];
          double dot = 0;
          for (int64_t d = 0; d < s.headDim; ++d)
            dot += static_cast<double>(q[d]) * k[d];
          float score = static_cast<float>(s.scale * dot);
          int64_t m = b * s.maskStrides[0] + h * s.maskStrides[1] +
                      i * s.maskStrides[2] + j * s.maskStrides[3];
          if (s.maskKind == AttentionMaskKind::Additive)
            score += p.addMask[m];
          if (s.maskKind == AttentionMaskKind::Bool && !p.boolMask[m])
            score = -INFINITY;
          if (s.causal && j > i + s.keySeq - s.querySeq)
            score = -INFINITY;
          scores[j] = score;
          max = std::max(max, scores[j]);
        }
        double *o = out.data() +
                    ((b * s.numHeads + h) * s.querySeq + i) * s.valueHeadDim;
        double sum = 0;
        for (int64_t j = 0; j < s.keySeq; ++j) {
          // exp(-inf - -inf) = NaN for a fully masked row, as softmax does.
          double weight = std::exp(scores[j] - max);
          sum += weight;
          const float *v = p.value.data() + b * s.valueStrides[0] +
                           h / group * s.valueStrides[1] +
                           j * s.valueStrides[2];
          for (int64_t d = 0; d < s.valueHeadDim; ++d)
            o[d] += weight * v[d];
        }
        for (int64_t d = 0; d < s.valueHeadDim; ++d)
          o[d] /= sum;
      }
  return out;
}

/// runAttention's output, as [B,H,Sq,Dv] whatever the layout.
std::vector<float> run(const Problem &p, AttentionIsa isa) {
  const AttentionShape &s = p.shape;
  // Poisoned, so elements the kernel fails to write show up.
  std::vector<float> raw(p.outputSpan, 12345.0f);
  runAttention(s, p.query.data(), p.key.data(), p.value.data(), p.mask(),
               raw.data(), isa);
  // Every output element written, and nothing between them.
  EXPECT_EQ(std::count(raw.begin(), raw.end(), 12345.0f),
            static_cast<std::ptrdiff_t>(p.outputSpan - p.outputSize()));
  std::vector<float> out(p.outputSize());
  for (int64_t b = 0; b < s.batch; ++b)
    for (int64_t h = 0; h < s.numHeads; ++h)
      for (int64_t i = 0; i < s.querySeq; ++i)
        std::memcpy(out.data() + ((b * s.numHeads + h) * s.querySeq + i) *
                                     s.valueHeadDim,
                    raw.data() + b * s.outputStrides[0] +
                        h * s.outputStrides[1] + i * s.outputStrides[2],
                    s.valueHeadDim * sizeof(float));
  return out;
}

/// Compares with 1e-5 absolute plus 1e-5 relative tolerance; NaN where and
/// only where the reference has NaN. Returns the number of NaN rows.
int64_t expectMatches(const Problem &p, AttentionIsa isa,
                      const std::string &what) {
  std::vector<double> want = reference(p);
  std::vector<float> got = run(p, isa);
  const int64_t dv = p.shape.valueHeadDim;
  int64_t failures = 0, nanRows = 0;
  for (size_t e = 0; e < want.size(); ++e) {
    bool ok = std::isnan(want[e]) ? std::isnan(got[e])
                                  : std::abs(got[e] - want[e]) <=
                                        1e-5 + 1e-5 * std::abs(want[e]);
    if (std::isnan(want[e]) && e % dv == 0)
      ++nanRows;
    if (!ok && ++failures <= 5)
      ADD_FAILURE() << what << ": element " << e << " (row " << e / dv
                    << ", feature " << e % dv << "): got " << got[e]
                    << ", want " << want[e];
  }
  EXPECT_EQ(failures, 0) << what;
  return nanRows;
}

class AttentionTest : public ::testing::TestWithParam<AttentionIsa> {
protected:
  void SetUp() override {
    if (!isAttentionIsaSupported(GetParam()))
      GTEST_SKIP() << "this CPU does not run the variant";
  }
  int64_t check(const Case &c, uint32_t seed = 1) {
    return expectMatches(makeProblem(c, seed), GetParam(), c.describe());
  }
};

TEST_P(AttentionTest, SelfAttentionShapes) {
  for (int64_t seq : {1, 7, 16, 64, 129, 300})
    for (int64_t dim : {7, 16, 64, 80, 128})
      for (bool causal : {false, true}) {
        Case c;
        c.querySeq = c.keySeq = seq;
        c.headDim = c.valueDim = dim;
        c.causal = causal;
        check(c);
      }
}

TEST_P(AttentionTest, QueryAndKeyLengthsDiffer) {
  // Bottom-right causal alignment; with querySeq > keySeq the first rows
  // have no key and give NaN.
  const std::pair<int64_t, int64_t> lengths[] = {
      {1, 77}, {1, 300}, {5, 300}, {64, 129}, {129, 64}, {300, 7}, {7, 1}};
  for (auto [querySeq, keySeq] : lengths)
    for (bool causal : {false, true}) {
      Case c;
      c.querySeq = querySeq;
      c.keySeq = keySeq;
      c.headDim = c.valueDim = 64;
      c.causal = causal;
      int64_t nanRows = check(c);
      int64_t empty =
          causal && querySeq > keySeq ? querySeq - keySeq : int64_t(0);
      EXPECT_EQ(nanRows, c.batch * c.heads * empty) << c.describe();
    }
}

TEST_P(AttentionTest, ValueDimDiffers) {
  const std::pair<int64_t, int64_t> dims[] = {
      {64, 16}, {7, 80}, {128, 7}, {16, 96}, {80, 33}};
  for (auto [headDim, valueDim] : dims)
    for (bool causal : {false, true}) {
      Case c;
      c.querySeq = 70;
      c.keySeq = 150;
      c.headDim = headDim;
      c.valueDim = valueDim;
      c.causal = causal;
      check(c);
    }
}

TEST_P(AttentionTest, GroupedAndMultiQuery) {
  for (int64_t kvHeads : {2, 1})
    for (int64_t seq : {1, 16, 129})
      for (bool causal : {false, true})
        for (Mask mask :
             {Mask::None, Mask::BoolKeys, Mask::BoolHeads, Mask::AddFull}) {
          Case c;
          c.batch = 2;
          c.heads = 8;
          c.kvHeads = kvHeads;
          c.querySeq = seq;
          c.keySeq = seq == 1 ? 77 : seq;
          c.headDim = 32;
          c.valueDim = 48;
          c.causal = causal;
          c.mask = mask;
          check(c);
        }
}

TEST_P(AttentionTest, Masks) {
  for (Mask mask : {Mask::BoolKeys, Mask::BoolFull, Mask::AddKeys,
                    Mask::AddFull, Mask::AddRows, Mask::BoolHeads})
    for (bool causal : {false, true})
      for (auto [querySeq, keySeq] :
           {std::pair<int64_t, int64_t>{1, 77}, {33, 33}, {129, 300}}) {
        Case c;
        c.batch = 2;
        c.querySeq = querySeq;
        c.keySeq = keySeq;
        c.headDim = c.valueDim = 64;
        c.causal = causal;
        c.mask = mask;
        check(c);
      }
}

TEST_P(AttentionTest, StridedLayouts) {
  for (Layout layout : {Layout::Packed, Layout::Padded})
    for (int64_t dim : {7, 64})
      for (Mask mask : {Mask::None, Mask::BoolKeys, Mask::AddRows}) {
        Case c;
        c.batch = 2;
        c.heads = 4;
        c.kvHeads = 2;
        c.querySeq = c.keySeq = 100;
        c.headDim = c.valueDim = dim;
        c.causal = true;
        c.mask = mask;
        c.layout = layout;
        check(c);
      }
}

TEST_P(AttentionTest, LargeScores) {
  // Scores up to ~±100: exp overflows unless the running max is
  // subtracted, and later blocks raise the max of earlier ones.
  for (bool causal : {false, true}) {
    Case c;
    c.querySeq = c.keySeq = 300;
    c.headDim = c.valueDim = 64;
    c.causal = causal;
    c.scaleFactor = 30.0f;
    check(c);
  }
}

TEST_P(AttentionTest, FullyMaskedRowIsNaN) {
  for (Mask mask : {Mask::BoolFull, Mask::AddFull}) {
    Case c;
    c.querySeq = 20;
    c.keySeq = 300;
    c.headDim = c.valueDim = 16;
    c.mask = mask;
    Problem p = makeProblem(c);
    // Head 1, row 3: every key masked.
    int64_t row = (1 * c.querySeq + 3) * c.keySeq;
    for (int64_t j = 0; j < c.keySeq; ++j) {
      if (mask == Mask::BoolFull)
        p.boolMask[row + j] = 0;
      else
        p.addMask[row + j] = -INFINITY;
    }
    EXPECT_EQ(expectMatches(p, GetParam(), c.describe()), 1);
    std::vector<float> out = run(p, GetParam());
    for (int64_t d = 0; d < c.valueDim; ++d)
      EXPECT_TRUE(std::isnan(out[(1 * c.querySeq + 3) * c.valueDim + d]));
  }
}

TEST_P(AttentionTest, MaskedLeadingBlocks) {
  // Rows whose first key blocks are all masked (-inf): their running max
  // stays -inf until a visible key comes, which must not turn into NaN.
  for (Mask mask : {Mask::BoolFull, Mask::AddFull}) {
    Case c;
    c.querySeq = 20;
    c.keySeq = 600;
    c.headDim = c.valueDim = 16;
    c.mask = mask;
    Problem p = makeProblem(c);
    for (int64_t row = 0; row < c.heads * c.querySeq; ++row) {
      int64_t last = c.keySeq - 1;
      for (int64_t j = 0; j < std::min<int64_t>(30 * row, last); ++j) {
        if (mask == Mask::BoolFull)
          p.boolMask[row * c.keySeq + j] = 0;
        else
          p.addMask[row * c.keySeq + j] = -INFINITY;
      }
      // The last key stays visible.
      if (mask == Mask::BoolFull)
        p.boolMask[row * c.keySeq + last] = 1;
      else
        p.addMask[row * c.keySeq + last] = 0.0f;
    }
    EXPECT_EQ(expectMatches(p, GetParam(), c.describe()), 0);
  }
}

TEST_P(AttentionTest, FinfoMinRowAveragesEveryKey) {
  // A row whose keys all got finfo.min: scale·q·k + finfo.min rounds to
  // finfo.min for every key, so softmax is uniform: the mean of V.
  Case c;
  c.querySeq = 4;
  c.keySeq = 300;
  c.headDim = c.valueDim = 16;
  c.mask = Mask::AddFull;
  Problem p = makeProblem(c);
  for (int64_t j = 0; j < c.keySeq; ++j)
    p.addMask[2 * c.keySeq + j] = kFinfoMin; // head 0, row 2
  expectMatches(p, GetParam(), c.describe());
  std::vector<float> out = run(p, GetParam());
  for (int64_t d = 0; d < c.valueDim; ++d) {
    double mean = 0;
    for (int64_t j = 0; j < c.keySeq; ++j)
      mean += p.value[j * c.valueDim + d];
    mean /= c.keySeq;
    EXPECT_NEAR(out[2 * c.valueDim + d], mean, 1e-5);
  }
}

TEST_P(AttentionTest, SameResultOnAnyThreadCount) {
  Case c;
  c.batch = 1;
  c.heads = 4;
  c.kvHeads = 1;
  c.querySeq = 1;
  c.keySeq = 500;
  c.headDim = c.valueDim = 64;
  for (int64_t querySeq : {1, 200}) {
    c.querySeq = querySeq;
    c.causal = querySeq > 1;
    Problem p = makeProblem(c);
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    std::vector<float> one = run(p, GetParam());
    omp_set_num_threads(7);
    std::vector<float> seven = run(p, GetParam());
    omp_set_num_threads(saved);
    // Rows are independent lanes whatever the tasks: bitwise equal.
    EXPECT_EQ(one, seven) << c.describe();
    expectMatches(p, GetParam(), c.describe());
  }
}

TEST_P(AttentionTest, Exp) {
  const detail::AttentionKernel &kernel =
      detail::getAttentionKernel(GetParam());
  std::vector<float> in;
  for (float x = -87.0f; x <= 88.0f; x += 0.0137f)
    in.push_back(x);
  in.push_back(0.0f);
  std::vector<float> out(in.size());
  kernel.computeExp(in.data(), out.data(), in.size());
  double worst = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    double want = std::exp(static_cast<double>(in[i]));
    worst = std::max(worst, std::abs(out[i] - want) / want);
  }
  // About 1 ulp (8e-8 measured).
  EXPECT_LE(worst, 1.5e-7);
  EXPECT_EQ(out.back(), 1.0f);

  // What masked scores become.
  float special[] = {-INFINITY, -1000.0f, kFinfoMin, -104.0f, -88.0f};
  float result[5];
  kernel.computeExp(special, result, 5);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(result[i], 0.0f) << "exp(" << special[i] << ")";
  EXPECT_LE(result[4], 1e-38f);
}

std::string isaName(const ::testing::TestParamInfo<AttentionIsa> &info) {
  switch (info.param) {
  case AttentionIsa::Generic:
    return "Generic";
  case AttentionIsa::Avx2:
    return "Avx2";
  case AttentionIsa::Avx512:
    return "Avx512";
  }
  return "Unknown";
}

INSTANTIATE_TEST_SUITE_P(Isa, AttentionTest,
                         ::testing::Values(AttentionIsa::Generic,
                                           AttentionIsa::Avx2,
                                           AttentionIsa::Avx512),
                         isaName);

TEST(AttentionShapeTest, BestIsaIsSupported) {
  EXPECT_TRUE(isAttentionIsaSupported(AttentionIsa::Generic));
  EXPECT_TRUE(isAttentionIsaSupported(getBestAttentionIsa()));
#if defined(__x86_64__)
  if (__builtin_cpu_supports("avx512f")) {
    EXPECT_EQ(getBestAttentionIsa(), AttentionIsa::Avx512);
  }
#endif
}

TEST(AttentionShapeTest, Messages) {
  AttentionShape good = makeProblem(Case()).shape;
  EXPECT_EQ(checkAttentionShape(good), "");

  auto expectMessage = [&](const AttentionShape &shape,
                           const std::string &part) {
    std::string message = checkAttentionShape(shape);
    EXPECT_NE(message.find(part), std::string::npos)
        << "message: " << message << "\nexpected to contain: " << part;
  };
  AttentionShape s = good;
  s.batch = 0;
  expectMessage(s, "attention batch is 0; sizes must be positive");
  s = good;
  s.headDim = -3;
  expectMessage(s, "attention headDim is -3; sizes must be positive");
  s = good;
  s.valueHeadDim = 0;
  expectMessage(s, "attention valueHeadDim is 0");
  s = good;
  s.keySeq = 0;
  expectMessage(s, "attention keySeq is 0");
  s = good;
  s.numHeads = 12;
  s.numKvHeads = 5;
  expectMessage(s, "attention numHeads (12) is not a multiple of numKvHeads "
                   "(5)");
  s = good;
  s.numKvHeads = 0;
  expectMessage(s, "attention numKvHeads is 0");
  s = good;
  s.keySeq = int64_t(1) << 31;
  expectMessage(s, "attention keySeq (2147483648) is above 2^31 - 1");
  s = good;
  s.scale = NAN;
  expectMessage(s, "attention scale (nan) is not finite");
}

} // namespace
