//===- GemmSlicing.cpp - Shrinking a constant-weight GEMM -----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "GemmSlicing.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

/// `type` with its last dimension `size`.
RankedTensorType withLastDim(Type type, int64_t size) {
  auto tensorType = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensorType.getShape());
  shape.back() = size;
  return tensorType.clone(shape);
}

/// Replaces `owner`'s use of `old` by `replacement` and erases `old`'s
/// constant when nothing else reads it.
void replaceConstant(Operation *owner, Value old, Value replacement) {
  owner->replaceUsesOfWith(old, replacement);
  if (Operation *def = old.getDefiningOp(); def && def->use_empty())
    def->erase();
}

/// `gemm`'s weight restricted to output columns (`alongN`) or input rows
/// `keep`, in the weight's own layout; `shape` receives its shape.
std::vector<float> sliceWeight(const WeightedGemm &gemm, bool alongN,
                               ArrayRef<int64_t> keep,
                               SmallVectorImpl<int64_t> &shape) {
  int64_t n = alongN ? keep.size() : gemm.n;
  int64_t k = alongN ? gemm.k : keep.size();
  auto at = [&](int64_t row, int64_t col) {
    return gemm.getWeight(alongN ? keep[row] : row, alongN ? col : keep[col]);
  };
  std::vector<float> values;
  values.reserve(n * k);
  if (gemm.weightIsNK) {
    shape.assign({n, k});
    for (int64_t row = 0; row < n; ++row)
      for (int64_t col = 0; col < k; ++col)
        values.push_back(at(row, col));
  } else {
    shape.assign({k, n});
    for (int64_t col = 0; col < k; ++col)
      for (int64_t row = 0; row < n; ++row)
        values.push_back(at(row, col));
  }
  return values;
}

/// New constants of a GEMM (weight, bias) go before it: passes that fold
/// the bias add into the GEMM (xf-quantize) build at the GEMM.
void setWeight(const WeightedGemm &gemm, ArrayRef<int64_t> shape,
               ArrayRef<float> values, StringRef name) {
  OpBuilder b(gemm.op);
  replaceConstant(gemm.op, gemm.op->getOperand(1),
                  createF32Constant(b, gemm.op->getLoc(), shape, values, name));
}

} // namespace

void pruning::keepOutputColumns(const WeightedGemm &gemm,
                                ArrayRef<int64_t> keep) {
  SmallVector<int64_t> shape;
  std::vector<float> weight = sliceWeight(gemm, /*alongN=*/true, keep, shape);
  setWeight(gemm, shape, weight, "xf_pruned_weight");
  int64_t kept = keep.size();
  if (gemm.bias) {
    std::vector<float> bias = *getConstantFloats(gemm.bias);
    std::vector<float> sliced;
    for (int64_t j : keep)
      sliced.push_back(bias[j]);
    Operation *owner = gemm.biasAdd ? gemm.biasAdd : gemm.op;
    OpBuilder b(gemm.op);
    replaceConstant(owner, gemm.bias,
                    createF32Constant(b, owner->getLoc(),
                                      withLastDim(gemm.bias.getType(), kept)
                                          .getShape(),
                                      sliced, "xf_pruned_bias"));
  }
  for (Operation *op : {gemm.op, gemm.biasAdd})
    if (op)
      op->getResult(0).setType(withLastDim(op->getResult(0).getType(), kept));
}

void pruning::keepInputRows(const WeightedGemm &gemm, ArrayRef<int64_t> keep) {
  SmallVector<int64_t> shape;
  std::vector<float> weight = sliceWeight(gemm, /*alongN=*/false, keep, shape);
  setWeight(gemm, shape, weight, "xf_pruned_weight");
  Builder builder(gemm.op->getContext());
  for (StringRef name : {StringRef(kInputNormAttrName),
                         StringRef(kInputMeanAttrName),
                         StringRef("xf.input_channel_absmax")})
    if (auto stats = gemm.op->getAttrOfType<DenseF32ArrayAttr>(name);
        stats && static_cast<int64_t>(stats.size()) == gemm.k) {
      SmallVector<float> sliced;
      for (int64_t j : keep)
        sliced.push_back(stats[j]);
      gemm.op->setAttr(name, builder.getDenseF32ArrayAttr(sliced));
    }
}

void pruning::zeroInputRows(const WeightedGemm &gemm, ArrayRef<int64_t> rows) {
  std::vector<float> weight(gemm.weight.begin(), gemm.weight.end());
  for (int64_t j : rows)
    for (int64_t n = 0; n < gemm.n; ++n)
      weight[gemm.weightIsNK ? n * gemm.k + j : j * gemm.n + n] = 0.0f;
  setWeight(gemm,
            cast<RankedTensorType>(gemm.op->getOperand(1).getType()).getShape(),
            weight, "xf_masked_weight");
}

std::vector<float> pruning::getMeanContribution(const WeightedGemm &gemm,
                                                ArrayRef<int64_t> rows) {
  auto means = gemm.op->getAttrOfType<DenseF32ArrayAttr>(kInputMeanAttrName);
  if (!means || static_cast<int64_t>(means.size()) != gemm.k)
    return {};
  std::vector<float> contribution(gemm.n, 0.0f);
  for (int64_t j : rows)
    for (int64_t n = 0; n < gemm.n; ++n)
      contribution[n] += means[j] * gemm.getWeight(n, j);
  return contribution;
}

void pruning::addToBias(const WeightedGemm &gemm, ArrayRef<float> extra) {
  if (gemm.bias) {
    std::vector<float> bias = *getConstantFloats(gemm.bias);
    for (int64_t n = 0; n < gemm.n; ++n)
      bias[n] += extra[n];
    Operation *owner = gemm.biasAdd ? gemm.biasAdd : gemm.op;
    OpBuilder b(gemm.op);
    replaceConstant(
        owner, gemm.bias,
        createF32Constant(b, owner->getLoc(),
                          cast<RankedTensorType>(gemm.bias.getType()).getShape(),
                          bias, "xf_compensated_bias"));
    return;
  }
  OpBuilder before(gemm.op);
  Value bias = createF32Constant(before, gemm.op->getLoc(), {gemm.n}, extra,
                                 "xf_compensated_bias");
  Value result = gemm.getResult();
  OpBuilder after(gemm.op->getContext());
  after.setInsertionPointAfterValue(result);
  auto add = xf::AddOp::create(after, gemm.op->getLoc(), result.getType(),
                               result, bias);
  result.replaceAllUsesExcept(add.getResult(), add);
}
