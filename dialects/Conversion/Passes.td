//===- Passes.td - xfc conversion passes --------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The passes that lower xf out of the xf dialect, one banner per conversion
// or backend, alphabetical within each.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CONVERSION_PASSES_TD
#define XFC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// XFToLinalg
//===----------------------------------------------------------------------===//

def ConvertXFToLinalgPass : Pass<"convert-xf-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower xf ops to linalg, tensor, arith and math on tensors";
  let description = [{
    The target-independent part of every backend's lowering: each xf op
    becomes upstream ops on tensors (value semantics are kept, nothing is
    bufferized). Elementwise ops become `linalg.generic` with broadcasting
    indexing maps (a size-1 or missing dimension reads index 0);
    contractions (`matmul`, `linear`, `quant.linear`, the two products of
    `attention`) become `linalg.generic` with reduction iterators, which
    `--linalg-specialize-generic-ops` can turn into named ops;
    normalizations and softmax reduce in `f32` for narrower floats;
    reductions become `linalg.reduce`; shape ops become `tensor` ops and
    `linalg.transpose`.

    `xf.attention` becomes the reference decomposition (scores, softmax,
    weighted sum), materializing the `Sq × Skv` score tensor; backends that
    want the flash-style kernel lower attention before this pass.
    `xf.quant.linear` dequantizes its weight (and a quantized input) with
    `quant.scast` to the storage type and then a float contraction.

    Per-tensor and per-axis `quant.qcast` are lowered here as well, with the
    meaning of ONNX `QuantizeLinear` that xf gives them
    (`saturate(round_half_even(x / scale) + zero_point)`): upstream
    `--lower-quant-ops` truncates instead of rounding and does not
    saturate. Sub-channel `quant.qcast`, `quant.dcast` and `quant.scast`
    are left for `--lower-quant-ops` (then `--canonicalize` folds the
    `quant.scast` pairs).

    Only static shapes are lowered: an xf op with a dynamic dimension is
    reported and the pass fails. Tensors of unsigned integers (`ui8`)
    become signless (`i8`), including in function signatures, as `arith`
    computes on signless integers only; the signedness moves into the ops
    (`arith.uitofp`, `arith.extui`, `arith.cmpi ult`).

    Before:
    ```mlir
    func.func @f(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
      %0 = xf.add %x, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
      return %0 : tensor<2x3xf32>
    }
    ```
    After:
    ```mlir
    #map = affine_map<(d0, d1) -> (d0, d1)>
    #map1 = affine_map<(d0, d1) -> (d1)>
    func.func @f(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
      %0 = tensor.empty() : tensor<2x3xf32>
      %1 = linalg.generic {indexing_maps = [#map, #map1, #map],
                           iterator_types = ["parallel", "parallel"]}
          ins(%x, %b : tensor<2x3xf32>, tensor<3xf32>)
          outs(%0 : tensor<2x3xf32>) {
      ^bb0(%in: f32, %in_0: f32, %out: f32):
        %2 = arith.addf %in, %in_0 : f32
        linalg.yield %2 : f32
      } -> tensor<2x3xf32>
      return %1 : tensor<2x3xf32>
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::quant::QuantDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // XFC_CONVERSION_PASSES_TD
