//===- WeightSparsity.cpp - Zeroing single GEMM weights -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "WeightSparsity.h"

#include "GemmSlicing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;

FailureOr<SmallVector<xfc::WeightedGemm>>
xfc::pruning::getPrunableGemms(Operation *root, StringRef pass) {
  SmallVector<WeightedGemm> all = findWeightedGemms(root);
  if (all.empty()) {
    emitError(root->getLoc())
        << pass
        << ": no GEMM with a constant f32 weight (xf.linear, or xf.matmul "
           "with a constant 2-D right operand) to prune";
    return failure();
  }
  SmallVector<WeightedGemm> gemms;
  for (const WeightedGemm &gemm : all) {
    auto optIn = gemm.op->getAttrOfType<BoolAttr>(kPruneAttrName);
    if (!optIn || optIn.getValue())
      gemms.push_back(gemm);
  }
  return gemms;
}

FailureOr<bool> xfc::pruning::checkImportance(Operation *root,
                                              ArrayRef<WeightedGemm> gemms,
                                              StringRef pass,
                                              StringRef importance) {
  if (importance != "wanda" && importance != "magnitude") {
    emitError(root->getLoc()) << pass << ": unknown importance '" << importance
                              << "': use magnitude or wanda";
    return failure();
  }
  if (importance != "wanda")
    return false;
  bool ok = true;
  for (const WeightedGemm &gemm : gemms) {
    auto norms = gemm.op->getAttrOfType<DenseF32ArrayAttr>(kInputNormAttrName);
    if (norms && static_cast<int64_t>(norms.size()) == gemm.k)
      continue;
    gemm.op->emitError()
        << pass << ": importance wanda needs the calibrated input norms of "
        << "this GEMM (" << kInputNormAttrName << ", " << gemm.k
        << " values); calibrate first, or use importance=magnitude";
    ok = false;
  }
  if (!ok)
    return failure();
  return true;
}

std::vector<double> xfc::pruning::getWeightImportance(const WeightedGemm &gemm,
                                                      bool wanda) {
  ArrayRef<float> norms;
  if (wanda)
    norms = gemm.op->getAttrOfType<DenseF32ArrayAttr>(kInputNormAttrName)
                .asArrayRef();
  std::vector<double> scores(gemm.n * gemm.k);
  for (int64_t n = 0; n < gemm.n; ++n)
    for (int64_t k = 0; k < gemm.k; ++k)
      scores[n * gemm.k + k] = std::fabs(static_cast<double>(
                                   gemm.getWeight(n, k))) *
                               (wanda ? static_cast<double>(norms[k]) : 1.0);
  return scores;
}

std::vector<int64_t> xfc::pruning::getLowest(ArrayRef<double> scores,
                                             int64_t begin, int64_t end,
                                             int64_t count) {
  std::vector<int64_t> order(end - begin);
  std::iota(order.begin(), order.end(), begin);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return scores[a] < scores[b];
  });
  order.resize(std::min<int64_t>(count, order.size()));
  return order;
}

void xfc::pruning::applyZeroMask(const WeightedGemm &gemm,
                                 ArrayRef<char> zero, StringRef pattern) {
  // The new values in the weight's own layout.
  std::vector<float> values(gemm.weight.begin(), gemm.weight.end());
  for (int64_t n = 0; n < gemm.n; ++n)
    for (int64_t k = 0; k < gemm.k; ++k)
      if (zero[n * gemm.k + k])
        values[gemm.weightIsNK ? n * gemm.k + k : k * gemm.n + n] = 0.0f;
  int64_t zeros = llvm::count(values, 0.0f);

  // Operand 1 is the weight of xf.linear and xf.matmul alike.
  OpOperand &operand = gemm.op->getOpOperand(1);
  Value old = operand.get();
  auto constant = old.getDefiningOp<arith::ConstantOp>();
  auto type = cast<RankedTensorType>(old.getType());
  OpBuilder b(gemm.op);
  Value replacement;
  if (isa<DenseElementsAttr>(constant.getValue()))
    replacement = arith::ConstantOp::create(
        b, constant.getLoc(),
        DenseElementsAttr::get(type, ArrayRef<float>(values)));
  else
    replacement = createF32Constant(b, constant.getLoc(), type.getShape(),
                                    values, "xf_sparse_weight");
  operand.set(replacement);
  if (constant->use_empty())
    constant->erase();
  gemm.op->setAttr(kSparsityAttrName,
                   b.getF32FloatAttr(static_cast<float>(zeros) /
                                     static_cast<float>(values.size())));
  gemm.op->setAttr(kSparsityPatternAttrName, b.getStringAttr(pattern));
}
