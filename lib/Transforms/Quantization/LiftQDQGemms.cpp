//===- LiftQDQGemms.cpp - ONNX QDQ GEMMs to xf.quant.linear ---------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A model quantized by ONNX Runtime (or any QDQ exporter) spells an int8
// GEMM as DequantizeLinear(W_q) feeding a float MatMul, its input passing
// through QuantizeLinear → DequantizeLinear. Canonicalization folds
// dcast(qcast(x)) into x, so this runs first and keeps the integer GEMM:
// the same xf.quant.linear that xf-quantize produces, lowered the same way.
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace xfc {
#define GEN_PASS_DEF_LIFTQDQGEMMSPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
namespace xf = xfc::xf;

namespace {

/// The [K, N] weight's quant type for the transposed [N, K] weight, when
/// it is per tensor or per output channel (axis 1 of [K, N]).
quant::QuantizedType transposeWeightType(quant::QuantizedType type) {
  if (isa<quant::UniformQuantizedType>(type))
    return type;
  auto perAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(type);
  if (!perAxis || perAxis.getQuantizedDimension() != 1)
    return {};
  return quant::UniformQuantizedPerAxisType::get(
      perAxis.getFlags(), perAxis.getStorageType(), perAxis.getExpressedType(),
      perAxis.getScales(), perAxis.getZeroPoints(), /*quantizedDimension=*/0,
      perAxis.getStorageTypeMin(), perAxis.getStorageTypeMax());
}

struct LiftQDQGemmsPass
    : xfc::impl::LiftQDQGemmsPassBase<LiftQDQGemmsPass> {
  void runOnOperation() override {
    SmallVector<xf::MatmulOp> matmuls;
    getOperation()->walk([&](xf::MatmulOp op) { matmuls.push_back(op); });
    for (xf::MatmulOp matmul : matmuls) {
      if (matmul.getTransposeLhs() || matmul.getTransposeRhs())
        continue;
      auto weightDequant = matmul.getRhs().getDefiningOp<quant::DequantizeCastOp>();
      auto weightCast = weightDequant
                            ? weightDequant.getInput()
                                  .getDefiningOp<quant::StorageCastOp>()
                            : quant::StorageCastOp();
      if (!weightCast)
        continue;
      auto storageType =
          dyn_cast<RankedTensorType>(weightCast.getInput().getType());
      auto weightType = cast<RankedTensorType>(weightCast.getType());
      auto quantType =
          dyn_cast<quant::QuantizedType>(weightType.getElementType());
      std::optional<ArrayRef<char>> bytes =
          xfc::getConstantBytes(weightCast.getInput());
      if (!storageType || storageType.getRank() != 2 ||
          !storageType.hasStaticShape() ||
          !storageType.getElementType().isInteger(8) || !quantType || !bytes ||
          static_cast<int64_t>(bytes->size()) != storageType.getNumElements())
        continue;
      quant::QuantizedType transposedType = transposeWeightType(quantType);
      if (!transposedType)
        continue;
      // The input: a per-tensor QDQ pair (W8A8), or float (weight-only).
      Value input = matmul.getLhs();
      auto inputDequant = input.getDefiningOp<quant::DequantizeCastOp>();
      if (inputDequant) {
        auto inputCast =
            inputDequant.getInput().getDefiningOp<quant::QuantizeCastOp>();
        if (!inputCast ||
            !isa<quant::UniformQuantizedType>(
                cast<RankedTensorType>(inputCast.getType()).getElementType()))
          continue;
        input = inputCast.getResult();
      }
      auto inputType = cast<RankedTensorType>(input.getType());
      if (inputType.getRank() < 2)
        continue;

      int64_t k = storageType.getDimSize(0), n = storageType.getDimSize(1);
      std::vector<char> transposed(k * n);
      for (int64_t row = 0; row < k; ++row)
        for (int64_t col = 0; col < n; ++col)
          transposed[col * k + row] = (*bytes)[row * n + col];
      OpBuilder b(matmul);
      Location loc = matmul.getLoc();
      auto newStorageType = RankedTensorType::get({n, k}, b.getIntegerType(8));
      Value storage = arith::ConstantOp::create(
          b, loc,
          DenseResourceElementsAttr::get(
              newStorageType, "xf_qdq_weight",
              HeapAsmResourceBlob::allocateAndCopyWithAlign(transposed, 64)));
      Value weight = quant::StorageCastOp::create(
          b, loc, newStorageType.clone(transposedType), storage);
      // A constant [N] bias added by the matmul's only user joins the op.
      Value result = matmul.getResult();
      Value bias;
      Operation *biasAdd = nullptr;
      if (result.hasOneUse())
        if (auto add = dyn_cast<xf::AddOp>(*result.getUsers().begin())) {
          Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
          auto otherType = cast<RankedTensorType>(other.getType());
          if (add.getType() == result.getType() && otherType.getRank() == 1 &&
              otherType.getDimSize(0) == n && other.getDefiningOp() &&
              other.getDefiningOp()->hasTrait<OpTrait::ConstantLike>() &&
              otherType.getElementType() == quantType.getExpressedType()) {
            bias = other;
            biasAdd = add;
          }
        }
      SmallVector<Value> operands = {input, weight};
      if (bias)
        operands.push_back(bias);
      auto linear = xf::QuantLinearOp::create(b, loc, result.getType(), operands);
      Value replaced = biasAdd ? biasAdd->getResult(0) : result;
      replaced.replaceAllUsesWith(linear.getResult());
      if (biasAdd)
        biasAdd->erase();
      matmul.erase();
      Operation *weightStorage = weightCast.getInput().getDefiningOp();
      for (Operation *op :
           {weightDequant.getOperation(), weightCast.getOperation(),
            weightStorage, inputDequant ? inputDequant.getOperation() : nullptr})
        if (op && op->use_empty())
          op->erase();
    }
  }
};

} // namespace
