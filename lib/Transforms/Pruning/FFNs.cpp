//===- FFNs.cpp - The feed-forward blocks of a Transformer ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/FFNs.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

bool isElementwise(Operation *op) {
  return isa<xf::AddOp, xf::SubOp, xf::MulOp, xf::DivOp, xf::PowOp, xf::MaxOp,
             xf::MinOp, xf::ExpOp, xf::LogOp, xf::TanhOp, xf::ErfOp,
             xf::SqrtOp, xf::RsqrtOp, xf::ReciprocalOp, xf::SigmoidOp,
             xf::NegOp, xf::AbsOp, xf::GeluOp, xf::SiluOp, xf::ReluOp>(op);
}

/// Whether a constant operand broadcasts the same way on every neuron
/// (a scalar-like splat) or lines up with the neuron dimension ([F]).
bool isPerNeuronOrScalar(Value value, int64_t width) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape())
    return false;
  if (type.getNumElements() == 1)
    return true;
  return type.getNumElements() == width && type.getShape().back() == width &&
         getConstantFloats(value).has_value();
}

/// The FFN whose down-projection is `down`, when its input is computed
/// from up-projections by elementwise ops only, each used only inside it.
std::optional<FFN>
matchFFN(const WeightedGemm &down,
         const DenseMap<Value, WeightedGemm> &gemmsByResult) {
  FFN ffn;
  ffn.down = down;
  ffn.width = down.k;
  SmallVector<Value> worklist = {down.input};
  llvm::SetVector<Value> inside;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    if (!inside.insert(value))
      continue;
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || type.getRank() == 0 || type.getShape().back() != ffn.width)
      return std::nullopt;
    if (auto it = gemmsByResult.find(value); it != gemmsByResult.end()) {
      if (it->second.n != ffn.width)
        return std::nullopt;
      ffn.ups.push_back(it->second);
      continue;
    }
    Operation *op = value.getDefiningOp();
    if (!op || !isElementwise(op) || op->getNumResults() != 1)
      return std::nullopt;
    ffn.between.insert(op);
    for (Value operand : op->getOperands()) {
      auto operandType = dyn_cast<RankedTensorType>(operand.getType());
      if (operand.getDefiningOp<arith::ConstantOp>()) {
        if (!isPerNeuronOrScalar(operand, ffn.width))
          return std::nullopt;
        continue;
      }
      if (!operandType || operandType.getShape() != type.getShape())
        return std::nullopt;
      worklist.push_back(operand);
    }
  }
  if (ffn.ups.empty())
    return std::nullopt;
  // Nothing outside may see the intermediate values: they change shape.
  for (Value value : inside)
    for (Operation *user : value.getUsers())
      if (user != down.op && !ffn.between.contains(user))
        return std::nullopt;
  return ffn;
}

} // namespace

SmallVector<FFN> xfc::findFFNs(Operation *root) {
  SmallVector<WeightedGemm> gemms = findWeightedGemms(root);
  DenseMap<Value, WeightedGemm> gemmsByResult;
  for (const WeightedGemm &gemm : gemms)
    gemmsByResult[gemm.getResult()] = gemm;
  SmallVector<FFN> ffns;
  for (const WeightedGemm &gemm : gemms)
    if (std::optional<FFN> ffn = matchFFN(gemm, gemmsByResult))
      ffns.push_back(std::move(*ffn));
  return ffns;
}

std::vector<double> xfc::getNeuronImportance(const FFN &ffn, bool wanda) {
  auto norms =
      ffn.down.op->getAttrOfType<DenseF32ArrayAttr>("xf.input_channel_norm");
  std::vector<double> score(ffn.width, 0.0);
  for (int64_t j = 0; j < ffn.width; ++j) {
    for (int64_t n = 0; n < ffn.down.n; ++n)
      score[j] += std::fabs(ffn.down.getWeight(n, j));
    if (wanda)
      score[j] *= norms[j];
  }
  return score;
}
