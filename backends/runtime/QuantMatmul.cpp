//===- QuantMatmul.cpp - One quantized GEMM of a model --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// w8a8: oneDNN's u8·s8 matmul, with the weights' per-channel scales (which
// already include the input scale) as runtime scales and the bias (which
// already holds the zero-point compensation) as oneDNN's bias: oneDNN 3
// computes dst = float(acc) · scale[n] + bias[n] (bias after the scales),
// then the post-ops.
//
// w8a8-dynamic: oneDNN's s8·s8 matmul with the weights' scales, then
// post-ops multiplying row m by the input's row scale r[m] and adding the
// bias as [1, N] (after the row scale, which must not scale it), then the
// activation: dst = ((float(acc) · scale[n]) · r[m]) + bias[n]. oneDNN 3.2
// has no per-row source scales, and its brgemm kernels take a per-row
// binary operand only as a "per channel" one, dim 1 of a rank-3 problem:
// so both kinds describe the GEMM as [1, M, K] · [1, K, N] (as [M, K] ·
// [K, N] with a [M, 1] operand, oneDNN 3.2 falls back to its reference
// kernel, a hundred times slower).
//
// Both quantize A into the run's scratchpad first. The weight-only kinds
// run the runtime's kernel (QuantKernels.h).
//
//===----------------------------------------------------------------------===//

#include "QuantMatmul.h"

#include "Error.h"

#include <omp.h>

#include <algorithm>
#include <unordered_map>

namespace xfc::runtime {

using dnnl::memory;

namespace {

size_t roundUpTo64(size_t bytes) { return (bytes + 63) / 64 * 64; }

bool isWeightOnly(QuantMatmulKind kind) {
  return kind == QuantMatmulKind::W8 || kind == QuantMatmulKind::W4;
}

GemmEpilogue getEpilogue(const std::string &activation) {
  if (activation == "gelu_erf")
    return GemmEpilogue::GeluErf;
  if (activation == "gelu_tanh")
    return GemmEpilogue::GeluTanh;
  if (activation == "add")
    return GemmEpilogue::Add;
  return GemmEpilogue::None;
}

/// oneDNN takes non-const handles; the weights are only read.
void *getWeightsPointer(const char *weights, int64_t offset) {
  return const_cast<char *>(weights + offset);
}

} // namespace

QuantMatmulPrimitive::QuantMatmulPrimitive(const dnnl::engine &engine,
                                           const QuantMatmulDesc &desc,
                                           const void *weights,
                                           const std::string &source)
    : id(desc.id), kind(desc.kind), m(desc.m), n(desc.n), k(desc.k),
      aRowStride(desc.aRowStride), cRowStride(desc.cRowStride),
      epilogue(getEpilogue(desc.activation)),
      maxThreads(std::max(1, omp_get_max_threads())) {
  const char *region = static_cast<const char *>(weights);
  if (isWeightOnly(kind)) {
    weightOnly = std::make_unique<PackedWeightOnly>(
        kind == QuantMatmulKind::W4, n, k, desc.group,
        reinterpret_cast<const uint8_t *>(region + desc.weightOffset),
        reinterpret_cast<const float *>(region + desc.scalesOffset),
        desc.offsetsOffset >= 0
            ? reinterpret_cast<const float *>(region + desc.offsetsOffset)
            : nullptr,
        maxThreads);
    if (desc.biasOffset >= 0)
      weightOnlyBias =
          reinterpret_cast<const float *>(region + desc.biasOffset);
    scratchpadSize = getWeightOnlyWorkspaceSize(*weightOnly, m, maxThreads);
    return;
  }
  try {
    createIntegerMatmul(engine, desc, region);
  } catch (const dnnl::error &error) {
    throw RuntimeError(XFC_ERROR_FORMAT,
                       source + ": metadata line " +
                           std::to_string(desc.lineNumber) + " (qmatmul " +
                           std::to_string(desc.id) + "): oneDNN cannot create "
                           "this " + getQuantMatmulKindName(kind) +
                           " matmul: " + error.what());
  }
}

void QuantMatmulPrimitive::createIntegerMatmul(const dnnl::engine &engine,
                                               const QuantMatmulDesc &desc,
                                               const char *weights) {
  using dt = memory::data_type;
  const bool dynamic = kind == QuantMatmulKind::W8A8Dynamic;
  inputScale = desc.inputScale;
  inputZeroPoint = desc.inputZeroPoint;

  srcDesc = memory::desc({1, m, k}, dynamic ? dt::s8 : dt::u8,
                         {m * k, k, 1});
  dstDesc = memory::desc({1, m, n}, dt::f32, {m * cRowStride, cRowStride, 1});
  // W is stored [N, K] row-major: the [K, N] B of a matmul, read
  // transposed. It is reordered at load, so oneDNN picks its layout.
  memory::desc weightsGiven({1, k, n}, dt::s8, {k * n, 1, k});
  memory::desc weightsAny({1, k, n}, dt::s8, memory::format_tag::any);
  memory::desc biasDesc({1, 1, n}, dt::f32, {n, n, 1});
  const bool hasBias = desc.biasOffset >= 0;

  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  // One scale per N, the last dim of the [1, K, N] weights.
  attr.set_scales_mask(DNNL_ARG_WEIGHTS, 1 << 2);
  dnnl::post_ops postOps;
  int numPostOps = 0;
  if (dynamic) {
    rowScalesDesc = memory::desc({1, m, 1}, dt::f32, {m, 1, 1});
    postOps.append_binary(dnnl::algorithm::binary_mul, rowScalesDesc);
    rowScalesPostOp = numPostOps++;
    if (hasBias) {
      postOps.append_binary(dnnl::algorithm::binary_add, biasDesc);
      biasPostOp = numPostOps++;
    }
  }
  if (epilogue == GemmEpilogue::GeluErf)
    postOps.append_eltwise(dnnl::algorithm::eltwise_gelu_erf, 0.f, 0.f);
  else if (epilogue == GemmEpilogue::GeluTanh)
    postOps.append_eltwise(dnnl::algorithm::eltwise_gelu_tanh, 0.f, 0.f);
  else if (epilogue == GemmEpilogue::Add) {
    postOps.append_binary(dnnl::algorithm::binary_add, dstDesc);
    residualPostOp = numPostOps++;
  }
  attr.set_post_ops(postOps);

  dnnl::matmul::primitive_desc primitiveDesc =
      dynamic ? dnnl::matmul::primitive_desc(engine, srcDesc, weightsAny,
                                             dstDesc, attr)
              : dnnl::matmul::primitive_desc(engine, srcDesc, weightsAny,
                                             biasDesc, dstDesc, attr);
  primitive = dnnl::matmul(primitiveDesc);
  dnnlScratchpadDesc = primitiveDesc.scratchpad_desc();

  memory given(weightsGiven, engine,
               getWeightsPointer(weights, desc.weightOffset));
  packedWeights = memory(primitiveDesc.weights_desc(), engine);
  dnnl::stream stream(engine);
  dnnl::reorder(given, packedWeights).execute(stream, given, packedWeights);
  stream.wait();
  weightScales = memory(memory::desc({n}, dt::f32, {1}), engine,
                        getWeightsPointer(weights, desc.scalesOffset));
  if (hasBias)
    bias = memory(biasDesc, engine, getWeightsPointer(weights, desc.biasOffset));

  quantizedOffset = roundUpTo64(dnnlScratchpadDesc.get_size());
  rowScalesOffset = quantizedOffset + roundUpTo64(static_cast<size_t>(m * k));
  scratchpadSize =
      rowScalesOffset + (dynamic ? roundUpTo64(m * sizeof(float)) : 0);
}

void QuantMatmulPrimitive::execute(dnnl::stream &stream, const void *a,
                                   const void *residual, void *c,
                                   void *scratchpad) const {
  if (!a || !c || (epilogue == GemmEpilogue::Add && !residual))
    throw RuntimeError(XFC_ERROR_INTERNAL, "the model called qmatmul " +
                                               std::to_string(id) +
                                               " with a null operand pointer");
  if (weightOnly) {
    WeightOnlyGemm gemm = {weightOnly.get(),
                           m,
                           aRowStride,
                           cRowStride,
                           static_cast<const float *>(a),
                           weightOnlyBias,
                           static_cast<const float *>(residual),
                           static_cast<float *>(c),
                           epilogue};
    runWeightOnlyGemm(gemm, scratchpad, maxThreads, getBestQuantIsa());
    return;
  }
  executeIntegerMatmul(stream, static_cast<const float *>(a), residual, c,
                       static_cast<char *>(scratchpad));
}

void QuantMatmulPrimitive::executeIntegerMatmul(dnnl::stream &stream,
                                                const float *a,
                                                const void *residual, void *c,
                                                char *scratchpad) const {
  void *quantized = scratchpad + quantizedOffset;
  float *rowScales = reinterpret_cast<float *>(scratchpad + rowScalesOffset);
  if (kind == QuantMatmulKind::W8A8Dynamic)
    quantizeRowsS8(a, m, k, aRowStride, static_cast<int8_t *>(quantized),
                   rowScales, maxThreads, getBestQuantIsa());
  else
    quantizeRowsU8(a, m, k, aRowStride, inputScale, inputZeroPoint,
                   static_cast<uint8_t *>(quantized), maxThreads,
                   getBestQuantIsa());

  dnnl::engine engine = stream.get_engine();
  // Memory objects are made per call around the pointers (no data is
  // allocated), so nothing shared is mutated.
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, memory(srcDesc, engine, quantized)},
      {DNNL_ARG_WEIGHTS, packedWeights},
      {DNNL_ARG_DST, memory(dstDesc, engine, c)},
      {DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, weightScales},
  };
  auto postOpArg = [](int index) {
    return DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1;
  };
  if (bias && kind == QuantMatmulKind::W8A8)
    args.emplace(DNNL_ARG_BIAS, bias);
  if (rowScalesPostOp >= 0)
    args.emplace(postOpArg(rowScalesPostOp),
                 memory(rowScalesDesc, engine, rowScales));
  if (biasPostOp >= 0)
    args.emplace(postOpArg(biasPostOp), bias);
  if (residualPostOp >= 0)
    args.emplace(postOpArg(residualPostOp),
                 memory(dstDesc, engine, const_cast<void *>(residual)));
  if (dnnlScratchpadDesc.get_size() > 0)
    args.emplace(DNNL_ARG_SCRATCHPAD,
                 memory(dnnlScratchpadDesc, engine, scratchpad));
  primitive.execute(stream, args);
  stream.wait();
}

} // namespace xfc::runtime
