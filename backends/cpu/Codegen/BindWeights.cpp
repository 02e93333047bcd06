//===- BindWeights.cpp - The --xfc-cpu-bind-weights pass ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Weights leave the code: each large constant becomes a view into the
// weights region that the runtime mmaps from PATH.weights, so the shared
// library stays small and the weights are paged in, not copied.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/MathExtras.h"

#include <cstring>

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUBINDWEIGHTSPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;

/// The constant's bytes when it belongs in the weights file: a
/// dense_resource, or non-splat dense data of byte-sized elements.
static std::optional<ArrayRef<char>> getWeightBytes(ElementsAttr value) {
  // Index and complex elements have no fixed in-memory layout here: they
  // stay in the code.
  auto type = cast<ShapedType>(value.getType());
  if (!type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
    return std::nullopt;
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat() || !dense.getElementType().isIntOrFloat())
      return std::nullopt;
    return dense.getRawData();
  }
  return std::nullopt;
}

/// Whether the weights file stores `bytes` compressed: a whole number of
/// 4-byte words, at least half of them zero (all bits).
static bool isMostlyZeros(ArrayRef<char> bytes) {
  if (bytes.empty() || bytes.size() % 4 != 0)
    return false;
  size_t zeros = 0;
  for (size_t i = 0; i < bytes.size(); i += 4) {
    uint32_t word;
    std::memcpy(&word, bytes.data() + i, 4);
    zeros += word == 0;
  }
  return 2 * zeros >= bytes.size() / 4;
}

namespace {

struct CPUBindWeightsPass
    : xfc::cpu::impl::CPUBindWeightsPassBase<CPUBindWeightsPass> {
  using CPUBindWeightsPassBase::CPUBindWeightsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<func::FuncOp> entryOr = xfc::cpu::getEntryFunction(module);
    if (failed(entryOr))
      return signalPassFailure();
    func::FuncOp entry = *entryOr;

    // Lay the weights out first: the region's size is part of the
    // argument's type.
    struct Weight {
      arith::ConstantOp op;
      int64_t offset;
    };
    SmallVector<Weight> weights;
    SmallVector<std::pair<arith::ConstantOp, int64_t>> sparseWeights;
    int64_t size = 0;
    entry.walk([&](arith::ConstantOp op) {
      auto value = dyn_cast<ElementsAttr>(op.getValue());
      if (!value || !isa<RankedTensorType>(op.getType()))
        return;
      std::optional<ArrayRef<char>> bytes = getWeightBytes(value);
      if (!bytes || static_cast<int64_t>(bytes->size()) < minBytes)
        return;
      if (sparse && isMostlyZeros(*bytes)) {
        sparseWeights.push_back({op, bytes->size()});
        return;
      }
      weights.push_back({op, size});
      size = llvm::alignTo(size + bytes->size(), 64);
    });
    // The mostly-zero weights last, from a 4096-byte boundary: the file
    // stores the region up to there as it is, the rest compressed.
    std::optional<int64_t> sparseOffset;
    if (!sparseWeights.empty()) {
      size = llvm::alignTo(size, 4096);
      sparseOffset = size;
      for (auto [op, bytes] : sparseWeights) {
        weights.push_back({op, size});
        size = llvm::alignTo(size + bytes, 64);
      }
    }

    MLIRContext *context = &getContext();
    auto weightsType = MemRefType::get({size}, IntegerType::get(context, 8));
    Block &body = entry.getBody().front();
    Location loc = entry.getLoc();
    if (failed(entry.insertArguments(
            {0, 0}, {LLVM::LLVMPointerType::get(context), weightsType},
            {DictionaryAttr::get(context), DictionaryAttr::get(context)},
            {loc, loc})))
      return signalPassFailure();
    Value region = body.getArgument(1);

    SmallVector<Attribute> layout;
    OpBuilder builder(context);
    for (Weight &weight : weights) {
      auto type = cast<RankedTensorType>(weight.op.getType());
      builder.setInsertionPoint(weight.op);
      Location loc = weight.op.getLoc();
      Value offset = arith::ConstantIndexOp::create(builder, loc, weight.offset);
      auto viewType = MemRefType::get(type.getShape(), type.getElementType());
      Value view = memref::ViewOp::create(builder, loc, viewType, region,
                                          offset, ValueRange());
      Value tensor = bufferization::ToTensorOp::create(
          builder, loc, type, view, /*restrict=*/true, /*writable=*/false);
      layout.push_back(builder.getArrayAttr(
          {builder.getI64IntegerAttr(weight.offset), weight.op.getValue()}));
      weight.op.replaceAllUsesWith(tensor);
      weight.op.erase();
    }
    module->setAttr(xfc::cpu::kWeightsAttrName, builder.getArrayAttr(layout));
    module->setAttr(xfc::cpu::kWeightsSizeAttrName,
                    builder.getI64IntegerAttr(size));
    if (sparseOffset)
      module->setAttr(xfc::cpu::kWeightsSparseOffsetAttrName,
                      builder.getI64IntegerAttr(*sparseOffset));
  }
};

} // namespace
