//===- Matmul.h - One oneDNN matmul primitive of a model -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_MATMUL_H
#define XFC_BACKENDS_RUNTIME_MATMUL_H

#include "Metadata.h"

#include "dnnl.hpp"

#include <string>

namespace xfc::runtime {

/// The primitive for one `matmul` metadata line. Immutable once built, so
/// any number of runs may execute it at once (each with its own stream and
/// scratchpad: primitives use oneDNN's user scratchpad mode, whose
/// thread-safety oneDNN documents without build-option caveats).
class MatmulPrimitive {
public:
  /// Creates the primitive; a constant B is reordered once from `weights`
  /// (the mapped data region, already bounds-checked by the parser) into
  /// oneDNN's preferred layout. Throws RuntimeError with XFC_ERROR_FORMAT
  /// naming the metadata line when oneDNN refuses the description.
  /// `bf16Math`: the artifact's `fpmath bf16` line.
  MatmulPrimitive(const dnnl::engine &engine, const MatmulDesc &desc,
                  const void *weights, const std::string &source,
                  bool bf16Math = false);

  /// Bytes of scratchpad `execute` needs (with bf16 math, the converted A
  /// too).
  size_t getScratchpadSize() const {
    return convertA ? bf16AOffset + bf16ADesc.get_size()
                    : scratchpadDesc.get_size();
  }

  /// C = act(A·B (+ bias) (+ C)) (+ residual). `b` is ignored when B is a
  /// constant, `residual` unless the line's activation is `add`. The
  /// pointers address element 0 of each operand, laid out as the metadata
  /// says (the residual as C). Throws RuntimeError or dnnl::error.
  void execute(dnnl::stream &stream, const void *a, const void *b,
               const void *bias, const void *residual, void *c,
               void *scratchpad) const;

private:
  int64_t id;
  dnnl::matmul primitive;
  dnnl::memory::desc aDesc, bDesc, biasDesc, cDesc, scratchpadDesc;
  /// bf16 math: A converted to bf16 in the scratchpad at this offset.
  dnnl::memory::desc bf16ADesc;
  dnnl::reorder convertA;
  size_t bf16AOffset = 0;
  bool hasBias;
  bool hasResidual;
  /// B in oneDNN's layout when it is a constant; empty otherwise.
  dnnl::memory constantB;
};

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_MATMUL_H
