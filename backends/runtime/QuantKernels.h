//===- QuantKernels.h - The runtime's kernels for quantized GEMMs -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// What the `qmatmul` lines need beyond oneDNN 3.2's int8 matmul:
//
//  * Quantizing the f32 input of a w8a8 GEMM, per tensor to u8 or per row
//    to s8 (w8a8-dynamic), bit-identical to the compiler's reference
//    lowering: a true float division, round half to even, then saturation.
//  * The weight-only GEMMs (w8, w4). oneDNN 3.2 has no weight
//    decompression, and dequantizing W up front would cost the f32 weight's
//    memory and bandwidth, the very thing the quantization saves. So W is
//    repacked once at load into panels of kQuantPanelWidth output channels
//    (K-major inside a panel, so that a row of the panel is one vector of
//    channels) and dequantized while the GEMM runs: in registers when A has
//    a few rows (decoding; W then streams through once), else one K-block
//    of a panel at a time into a small per-thread f32 buffer that every row
//    of A reuses. The f32 weight never exists in full.
//
// Each kernel has an AVX-512 variant and a portable one
// (QuantKernelsAvx512.cpp, QuantKernelsGeneric.cpp), picked at run time as
// the attention kernel's are.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_QUANTKERNELS_H
#define XFC_BACKENDS_RUNTIME_QUANTKERNELS_H

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace xfc::runtime {

/// The instruction sets the kernels have a variant for.
enum class QuantIsa { Generic, Avx512 };

/// Whether this CPU (and OS) runs `isa`'s variant.
bool isQuantIsaSupported(QuantIsa isa);

/// The widest variant this CPU runs.
QuantIsa getBestQuantIsa();

/// w8a8's input: out[r][c] = saturate_u8(round_half_even(a[r][c] / scale) +
/// zeroPoint), computed in float (a NaN saturates to 0), for `rows` rows of
/// `cols` elements `aRowStride` apart; `out` is dense [rows][cols]. Runs on
/// at most `maxThreads` threads of the OpenMP pool.
void quantizeRowsU8(const float *a, int64_t rows, int64_t cols,
                    int64_t aRowStride, float scale, int32_t zeroPoint,
                    uint8_t *out, int maxThreads, QuantIsa isa);

/// w8a8-dynamic's input, per row: rowScales[r] = max|a[r][:]| / 127 (1 for
/// a row of zeros, NaN for a row holding a NaN) and out[r][c] =
/// clamp(round_half_even(a[r][c] / rowScales[r]), -127, 127), in float.
void quantizeRowsS8(const float *a, int64_t rows, int64_t cols,
                    int64_t aRowStride, int8_t *out, float *rowScales,
                    int maxThreads, QuantIsa isa);

/// What a GEMM applies to acc + bias before storing C, as oneDNN's post-ops
/// do for the other matmuls.
enum class GemmEpilogue {
  None,
  /// 0.5·x·(1 + erf(x/√2)).
  GeluErf,
  /// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
  GeluTanh,
  /// + the residual, laid out as C.
  Add,
};

/// Output channels per panel of a repacked weight-only weight.
constexpr int64_t kQuantPanelWidth = 64;

/// A weight-only quantized weight (w8: s8 [N, K]; w4: [N, K / 2] bytes of
/// two unsigned nibbles, element 2j in the low nibble of byte j) with its
/// group scales and offsets, repacked for the kernels:
///   panel p holds channels [64p, 64p + 64) (zeros past N) as rows of 64
///   bytes, one row per k (w8) or per pair of k (w4: byte c of row j is
///   channel c's original byte j, so the nibbles keep their meaning);
///   scales and offsets are [K / group][paddedN] f32 (zeros past N, and
///   all zeros for absent offsets).
/// Immutable once built.
class PackedWeightOnly {
public:
  /// Repacks on at most `maxThreads` threads; `offsets` may be null.
  PackedWeightOnly(bool int4, int64_t n, int64_t k, int64_t group,
                   const uint8_t *weight, const float *scales,
                   const float *offsets, int maxThreads);

  bool isInt4() const { return int4; }
  /// False when the offsets were absent (they are all zero then).
  bool hasOffsets() const { return withOffsets; }
  int64_t getN() const { return n; }
  int64_t getK() const { return k; }
  int64_t getGroup() const { return group; }
  int64_t getNumGroups() const { return k / group; }
  int64_t getNumPanels() const { return paddedN / kQuantPanelWidth; }
  int64_t getPaddedN() const { return paddedN; }
  /// Bytes of one panel: K or K / 2 rows of kQuantPanelWidth.
  int64_t getPanelBytes() const {
    return (int4 ? k / 2 : k) * kQuantPanelWidth;
  }
  const uint8_t *getPanel(int64_t panel) const {
    return weights.get() + panel * getPanelBytes();
  }
  /// Group `g`'s scales (offsets) of all paddedN channels.
  const float *getScales(int64_t g) const { return scales.get() + g * paddedN; }
  const float *getOffsets(int64_t g) const {
    return offsets.get() + g * paddedN;
  }

private:
  struct Free {
    void operator()(void *pointer) const { std::free(pointer); }
  };

  bool int4, withOffsets;
  int64_t n, k, group, paddedN;
  std::unique_ptr<uint8_t[], Free> weights;
  std::unique_ptr<float[], Free> scales, offsets;
};

/// One weight-only GEMM call: C[M, N] = epilogue(A[M, K] · Wᵀ + bias).
struct WeightOnlyGemm {
  const PackedWeightOnly *weights;
  int64_t m;
  /// Elements between rows of A, and of C and the residual.
  int64_t aRowStride, cRowStride;
  const float *a;
  /// [N], or null for none.
  const float *bias;
  /// Read only for GemmEpilogue::Add; may be `c` itself.
  const float *residual;
  float *c;
  GemmEpilogue epilogue;
};

/// Bytes of 64-byte-aligned workspace runWeightOnlyGemm needs for `m` rows
/// on up to `maxThreads` threads.
size_t getWeightOnlyWorkspaceSize(const PackedWeightOnly &weights, int64_t m,
                                  int maxThreads);

/// Computes `gemm` on at most `maxThreads` threads of the OpenMP pool (also
/// bounded by the calling thread's omp_get_max_threads()). Each element of
/// C is written once, after every read of the residual element it adds, so
/// the residual may alias C. Safe to call from several threads at once,
/// each with its own workspace.
void runWeightOnlyGemm(const WeightOnlyGemm &gemm, void *workspace,
                       int maxThreads, QuantIsa isa);

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_QUANTKERNELS_H
