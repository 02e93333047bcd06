//===- WeightedGemms.cpp - GEMMs with constant weights --------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
namespace xf = xfc::xf;

std::optional<ArrayRef<char>> xfc::getConstantBytes(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(constant.getValue())) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
    return std::nullopt;
  }
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || dense.isSplat() || !dense.getElementType().isIntOrFloat() ||
      dense.getElementType().getIntOrFloatBitWidth() % 8 != 0)
    return std::nullopt;
  return dense.getRawData();
}

std::optional<std::vector<float>> xfc::getConstantFloats(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!type || !constant || !type.getElementType().isF32() ||
      !type.hasStaticShape())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    std::vector<float> values;
    for (APFloat v : dense.getValues<APFloat>())
      values.push_back(v.convertToFloat());
    return values;
  }
  std::optional<ArrayRef<char>> bytes = getConstantBytes(value);
  if (!bytes ||
      static_cast<int64_t>(bytes->size()) != 4 * type.getNumElements())
    return std::nullopt;
  std::vector<float> values(type.getNumElements());
  std::memcpy(values.data(), bytes->data(), bytes->size());
  return values;
}

Value xfc::createF32Constant(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape, ArrayRef<float> values,
                             StringRef name) {
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float)),
      64);
  return arith::ConstantOp::create(
      b, loc,
      DenseResourceElementsAttr::get(
          RankedTensorType::get(shape, b.getF32Type()), name, std::move(blob)));
}

/// The f32 values of a static constant of `count` elements, in place (no
/// splats: a weight is never one).
static std::optional<ArrayRef<float>> getConstantFloatView(Value value,
                                                           int64_t count) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
      type.getNumElements() != count)
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes = xfc::getConstantBytes(value);
  if (!bytes || static_cast<int64_t>(bytes->size()) != count * 4 ||
      reinterpret_cast<uintptr_t>(bytes->data()) % alignof(float) != 0)
    return std::nullopt;
  return ArrayRef(reinterpret_cast<const float *>(bytes->data()), count);
}

/// The constant [N] (or [1, ..., 1, N]) bias added to `gemm`'s result by
/// its only user.
static xf::AddOp getBiasAdd(Value result, int64_t n) {
  if (!result.hasOneUse())
    return {};
  auto add = dyn_cast<xf::AddOp>(*result.getUsers().begin());
  if (!add || add.getType() != result.getType())
    return {};
  Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
  auto type = dyn_cast<RankedTensorType>(other.getType());
  if (!type || !type.hasStaticShape() || type.getNumElements() != n ||
      type.getRank() == 0 || type.getShape().back() != n ||
      !getConstantFloatView(other, n))
    return {};
  return add;
}

SmallVector<xfc::WeightedGemm> xfc::findWeightedGemms(Operation *root) {
  SmallVector<WeightedGemm> gemms;
  root->walk([&](Operation *op) {
    WeightedGemm gemm;
    gemm.op = op;
    Value weight;
    if (auto linear = dyn_cast<xf::LinearOp>(op)) {
      gemm.input = linear.getInput();
      weight = linear.getWeight();
      gemm.weightIsNK = true;
      gemm.bias = linear.getBias();
    } else if (auto matmul = dyn_cast<xf::MatmulOp>(op)) {
      if (matmul.getTransposeLhs())
        return;
      gemm.input = matmul.getLhs();
      weight = matmul.getRhs();
      gemm.weightIsNK = matmul.getTransposeRhs();
    } else {
      return;
    }
    auto inputType = dyn_cast<RankedTensorType>(gemm.input.getType());
    auto weightType = dyn_cast<RankedTensorType>(weight.getType());
    if (!inputType || !inputType.getElementType().isF32() ||
        !inputType.hasStaticShape() || inputType.getRank() < 1 || !weightType ||
        weightType.getRank() != 2 || !weightType.hasStaticShape())
      return;
    gemm.n = weightType.getDimSize(gemm.weightIsNK ? 0 : 1);
    gemm.k = weightType.getDimSize(gemm.weightIsNK ? 1 : 0);
    // A matmul's batch dims broadcast; only [..., M, K] · [K, N] is a GEMM.
    if (isa<xf::MatmulOp>(op) && inputType.getRank() < 2)
      return;
    std::optional<ArrayRef<float>> values =
        getConstantFloatView(weight, gemm.n * gemm.k);
    if (!values)
      return;
    gemm.weight = *values;
    if (gemm.bias && !getConstantFloatView(gemm.bias, gemm.n))
      return;
    if (isa<xf::MatmulOp>(op))
      if (xf::AddOp add = getBiasAdd(op->getResult(0), gemm.n)) {
        gemm.biasAdd = add;
        gemm.bias = add.getLhs() == op->getResult(0) ? add.getRhs()
                                                     : add.getLhs();
      }
    gemms.push_back(gemm);
  });
  return gemms;
}

std::string xfc::getGemmName(Operation *op, unsigned index) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc); fused && !fused.getLocations().empty())
    loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().strref() + ":" + Twine(file.getLine())).str();
  return "gemm#" + std::to_string(index);
}
