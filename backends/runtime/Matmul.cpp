//===- Matmul.cpp - One oneDNN matmul primitive of a model ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Matmul.h"

#include "Error.h"

#include <unordered_map>

namespace xfc::runtime {

using dnnl::memory;

static memory::desc getStridedDesc(const OperandLayout &layout) {
  return memory::desc(layout.dims, memory::data_type::f32, layout.strides);
}

MatmulPrimitive::MatmulPrimitive(const dnnl::engine &engine,
                                 const MatmulDesc &desc, const void *weights,
                                 const std::string &source, bool bf16Math)
    : id(desc.id), hasBias(desc.bias.has_value()),
      hasResidual(desc.activation == "add") {
  bool constantWeights = desc.bWeightOffset >= 0;
  try {
    aDesc = getStridedDesc(desc.a);
    // bf16 math: A is converted (into the scratchpad) and a constant B
    // repacked as bf16 once; oneDNN multiplies in bf16 (AVX512-BF16's
    // dot products) and sums in f32. Only GEMMs with a constant B: the
    // others are attention's, which the flash kernel runs anyway.
    bool bf16 = bf16Math && constantWeights;
    memory::data_type math = bf16 ? memory::data_type::bf16
                                  : memory::data_type::f32;
    if (bf16)
      bf16ADesc = memory::desc(desc.a.dims, memory::data_type::bf16,
                               dnnl::memory::format_tag::any);
    cDesc = getStridedDesc(desc.c);
    if (hasBias)
      biasDesc = getStridedDesc(*desc.bias);
    // A constant B is repacked at load, so let oneDNN pick its layout.
    memory::desc bRequest =
        constantWeights ? memory::desc(desc.b.dims, math,
                                       memory::format_tag::any)
                        : getStridedDesc(desc.b);

    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::post_ops postOps;
    if (desc.accumulate)
      postOps.append_sum(1.0f);
    if (desc.activation == "gelu_erf")
      postOps.append_eltwise(dnnl::algorithm::eltwise_gelu_erf, 0.f, 0.f);
    else if (desc.activation == "gelu_tanh")
      postOps.append_eltwise(dnnl::algorithm::eltwise_gelu_tanh, 0.f, 0.f);
    else if (hasResidual)
      postOps.append_binary(dnnl::algorithm::binary_add, cDesc);
    attr.set_post_ops(postOps);
    memory::desc aRequest = bf16 ? bf16ADesc : aDesc;
    dnnl::matmul::primitive_desc primitiveDesc =
        hasBias ? dnnl::matmul::primitive_desc(engine, aRequest, bRequest,
                                               biasDesc, cDesc, attr)
                : dnnl::matmul::primitive_desc(engine, aRequest, bRequest,
                                               cDesc, attr);
    primitive = dnnl::matmul(primitiveDesc);
    bDesc = primitiveDesc.weights_desc();
    scratchpadDesc = primitiveDesc.scratchpad_desc();
    if (bf16) {
      bf16ADesc = primitiveDesc.src_desc();
      convertA = dnnl::reorder(
          dnnl::reorder::primitive_desc(engine, aDesc, engine, bf16ADesc));
      // The converted A sits after oneDNN's own scratchpad, 64-byte aligned.
      bf16AOffset = (scratchpadDesc.get_size() + 63) / 64 * 64;
    }

    if (constantWeights) {
      // oneDNN takes non-const handles; a reorder only reads its source.
      void *source = const_cast<char *>(static_cast<const char *>(weights) +
                                        desc.bWeightOffset);
      memory given(getStridedDesc(desc.b), engine, source);
      constantB = memory(bDesc, engine);
      dnnl::stream stream(engine);
      dnnl::reorder(given, constantB).execute(stream, given, constantB);
      stream.wait();
    }
  } catch (const dnnl::error &error) {
    throw RuntimeError(
        XFC_ERROR_FORMAT,
        source + ": metadata line " + std::to_string(desc.lineNumber) +
            " (matmul " + std::to_string(desc.id) +
            "): oneDNN cannot create this matmul: " + error.what());
  }
}

void MatmulPrimitive::execute(dnnl::stream &stream, const void *a,
                              const void *b, const void *bias,
                              const void *residual, void *c,
                              void *scratchpad) const {
  if (!a || !c || (!constantB && !b) || (hasBias && !bias) ||
      (hasResidual && !residual))
    throw RuntimeError(XFC_ERROR_INTERNAL, "the model called matmul " +
                                               std::to_string(id) +
                                               " with a null operand pointer");
  dnnl::engine engine = stream.get_engine();
  // Memory objects are made per call around the caller's pointers (cheap:
  // no allocation of data), so nothing shared is mutated.
  std::unordered_map<int, memory> args = {
      {DNNL_ARG_SRC, memory(aDesc, engine, const_cast<void *>(a))},
      {DNNL_ARG_WEIGHTS,
       constantB ? constantB : memory(bDesc, engine, const_cast<void *>(b))},
      {DNNL_ARG_DST, memory(cDesc, engine, c)},
  };
  if (hasBias)
    args.emplace(DNNL_ARG_BIAS,
                 memory(biasDesc, engine, const_cast<void *>(bias)));
  // The residual is the only post-op with an operand (beta is 0 then).
  if (hasResidual)
    args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1,
                 memory(cDesc, engine, const_cast<void *>(residual)));
  if (scratchpadDesc.get_size() > 0)
    args.emplace(DNNL_ARG_SCRATCHPAD,
                 memory(scratchpadDesc, engine, scratchpad));
  if (convertA) {
    memory converted(bf16ADesc, engine,
                     static_cast<char *>(scratchpad) + bf16AOffset);
    convertA.execute(stream, args.at(DNNL_ARG_SRC), converted);
    args.at(DNNL_ARG_SRC) = converted;
  }
  primitive.execute(stream, args);
  stream.wait();
}

} // namespace xfc::runtime
