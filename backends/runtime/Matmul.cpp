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
                                 const std::string &source)
    : id(desc.id), hasBias(desc.bias.has_value()),
      hasResidual(desc.activation == "add") {
  bool constantWeights = desc.bWeightOffset >= 0;
  try {
    aDesc = getStridedDesc(desc.a);
    cDesc = getStridedDesc(desc.c);
    if (hasBias)
      biasDesc = getStridedDesc(*desc.bias);
    // A constant B is repacked at load, so let oneDNN pick its layout.
    memory::desc bRequest =
        constantWeights ? memory::desc(desc.b.dims, memory::data_type::f32,
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
    dnnl::matmul::primitive_desc primitiveDesc =
        hasBias ? dnnl::matmul::primitive_desc(engine, aDesc, bRequest,
                                               biasDesc, cDesc, attr)
                : dnnl::matmul::primitive_desc(engine, aDesc, bRequest, cDesc,
                                               attr);
    primitive = dnnl::matmul(primitiveDesc);
    bDesc = primitiveDesc.weights_desc();
    scratchpadDesc = primitiveDesc.scratchpad_desc();

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
  if (getScratchpadSize() > 0)
    args.emplace(DNNL_ARG_SCRATCHPAD,
                 memory(scratchpadDesc, engine, scratchpad));
  primitive.execute(stream, args);
  stream.wait();
}

} // namespace xfc::runtime
