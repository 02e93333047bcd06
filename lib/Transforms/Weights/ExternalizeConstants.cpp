//===- ExternalizeConstants.cpp - Inline constants to resource blobs ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace xfc {
#define GEN_PASS_DEF_EXTERNALIZECONSTANTSPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;

namespace {

/// Blobs start on a cache line (one AVX-512 register): bytecode keeps the
/// alignment, so a backend can use the weights in place.
constexpr uint64_t kWeightAlignment = 64;

struct ExternalizeConstantsPass
    : xfc::impl::ExternalizeConstantsPassBase<ExternalizeConstantsPass> {
  using Base::Base;

  void runOnOperation() override {
    getOperation()->walk([&](arith::ConstantOp constant) {
      auto dense = dyn_cast<DenseIntOrFPElementsAttr>(constant.getValue());
      if (!dense || dense.isSplat())
        return;
      auto type = cast<ShapedType>(dense.getType());
      unsigned bitWidth = type.getElementTypeBitWidth();
      // i1 and i4 pack differently in dense<> and dense_resource<>.
      if (bitWidth % 8 != 0)
        return;
      int64_t bytes = type.getNumElements() * (bitWidth / 8);
      if (bytes < minBytes)
        return;
      ArrayRef<char> raw = dense.getRawData();
      AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
          raw, kWeightAlignment);
      auto resource = DenseResourceElementsAttr::get(
          type, blobNameFor(constant), std::move(blob));
      constant.setValueAttr(resource);
    });
  }

  /// A readable name hint from the constant's location ("xf_weight" when it
  /// has none); the blob manager makes it unique.
  static std::string blobNameFor(arith::ConstantOp constant) {
    if (auto named = dyn_cast<NameLoc>(constant.getLoc()))
      return named.getName().str();
    return "xf_weight";
  }
};

} // namespace
