//===- Metadata.h - The artifact's metadata text, parsed -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The grammar is documented in xfc-c/artifact.h. Parsing is strict: the
// compiler and the runtime share that header, so anything unexpected means
// a damaged or foreign file, and refusing it beats guessing.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_METADATA_H
#define XFC_BACKENDS_RUNTIME_METADATA_H

#include "xfc-c/runtime.h"

#include "Attention.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xfc::runtime {

/// An `input` or `output` line.
struct TensorDesc {
  std::string name; ///< Percent-decoded.
  xfc_dtype dtype;
  std::vector<int64_t> dims; ///< Empty for a scalar.
};

/// One "DIMS:STRIDES" operand of a matmul line (strides in elements).
struct OperandLayout {
  std::vector<int64_t> dims;
  std::vector<int64_t> strides;
};

/// A `matmul` line: C = A·B (+ bias) (+ C when `accumulate`).
struct MatmulDesc {
  int64_t id;
  int lineNumber; ///< For messages about this primitive after parsing.
  OperandLayout a, b, c;
  std::optional<OperandLayout> bias;
  bool accumulate; ///< beta is 1.
  /// Byte offset of a constant B in the weights region, or -1 when B is
  /// passed at run time.
  int64_t bWeightOffset;
  /// A post-op on the result: "gelu_erf", "gelu_tanh", "add" (of a
  /// residual laid out as C), or empty.
  std::string activation;
};

/// An `attention` line: softmax(scale·Q·Kᵀ + mask)·V by the runtime's
/// flash kernel. The shape is checked by the kernel's own check at load.
struct AttentionDesc {
  int64_t id;
  int lineNumber;
  AttentionShape shape;
};

/// How a `qmatmul` line's GEMM runs (see xfc-c/artifact.h).
enum class QuantMatmulKind {
  /// u8 activations quantized per tensor, s8 weights: oneDNN int8.
  W8A8,
  /// s8 activations quantized per row at run time, s8 weights: oneDNN int8.
  W8A8Dynamic,
  /// f32 activations, s8 weights dequantized by group: the runtime's kernel.
  W8,
  /// As W8 with unsigned 4-bit weights, two per byte.
  W4,
};

/// A `qmatmul` line: C[M, N] = act(A[M, K] · dequantize(W)[N, K]ᵀ + bias)
/// (+ residual), every weight operand in the weights region. The parser
/// checks that each operand lies inside the region for the sizes it
/// implies, so consumers may read them without further checks.
struct QuantMatmulDesc {
  int64_t id;
  int lineNumber;
  QuantMatmulKind kind;
  int64_t m, n, k;
  /// Elements between consecutive rows of A and of C (and the residual).
  int64_t aRowStride, cRowStride;
  /// Byte offsets into the weights region, 64-byte aligned; -1 for an
  /// absent `offsets` or `bias` (weight and scales are always present).
  int64_t weightOffset, scalesOffset, offsetsOffset, biasOffset;
  /// Weight-only kinds: K elements per scale; 0 for the w8a8 kinds.
  int64_t group = 0;
  /// W8A8: A's per-tensor quantization, q = saturate(round(a / S) + Z).
  float inputScale = 0.0f;
  int32_t inputZeroPoint = 0;
  /// As MatmulDesc::activation.
  std::string activation;
};

struct Metadata {
  std::string target;
  std::string triple; ///< Informational, empty when absent.
  std::string cpu;    ///< Informational, empty when absent.
  std::vector<std::string> cpuFeatures;
  /// "bf16" when the f32 matmuls may multiply in bf16 (`fpmath` line).
  std::string fpmath;
  uint64_t weightsSize = 0;
  uint64_t weightsChecksum = 0;
  /// The `weights-sparse` line: bytes of the region the weights file
  /// stores as they are (all of it when there is no line), and bytes of
  /// the sparse section after them.
  uint64_t weightsStoredSize = 0;
  uint64_t weightsSparseSize = 0;
  std::vector<TensorDesc> inputs;
  std::vector<TensorDesc> outputs;
  std::vector<MatmulDesc> matmuls;
  std::vector<AttentionDesc> attentions;
  std::vector<QuantMatmulDesc> qmatmuls;
};

/// Parses metadata text; `source` names the library in messages. Throws
/// RuntimeError with XFC_ERROR_VERSION when the first line names another
/// format version, XFC_ERROR_TARGET when the target is not "cpu" (both
/// checked before the lines whose grammar they decide), and
/// XFC_ERROR_FORMAT naming the line for anything malformed.
Metadata parseMetadata(std::string_view text, const std::string &source);

/// The metadata spelling of `dtype` ("f32", "i64", "bool"), or nullptr for
/// a value outside the enum.
const char *getDtypeName(xfc_dtype dtype);
/// The metadata spelling of `kind` ("w8a8", "w8a8-dynamic", "w8", "w4").
const char *getQuantMatmulKindName(QuantMatmulKind kind);
/// Bytes per element, or 0 for a value outside the enum.
size_t getDtypeSize(xfc_dtype dtype);

/// "1x128" for messages; "[]"-style callers add their own brackets, and a
/// scalar prints as the empty string.
std::string formatDims(const int64_t *dims, size_t rank);

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_METADATA_H
