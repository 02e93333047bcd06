//===- PruneLayers.cpp - Remove whole sublayers ---------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/Sublayers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <map>
#include <set>

namespace xfc {
#define GEN_PASS_DEF_PRUNELAYERSPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
using namespace xfc;
namespace xf = xfc::xf;

namespace {

/// Erases the ops under `root` that nothing reads any more and that have
/// no effects, until none is left.
void eraseDeadOps(Operation *root) {
  while (true) {
    SmallVector<Operation *> dead;
    root->walk([&](Operation *op) {
      if (op != root && op->getNumResults() > 0 && isOpTriviallyDead(op))
        dead.push_back(op);
    });
    if (dead.empty())
      return;
    for (Operation *op : dead)
      op->erase();
  }
}

struct PruneLayersPass
    : xfc::impl::PruneLayersPassBase<PruneLayersPass> {
  using PruneLayersPassBase::PruneLayersPassBase;

  void runOnOperation() override {
    Operation *root = getOperation();
    auto fail = [&](const Twine &message) {
      emitError(root->getLoc()) << "xf-prune-layers: " << message;
      signalPassFailure();
    };
    std::map<Sublayer::Kind, std::set<int64_t>> listed;
    for (const std::string &entry : remove) {
      auto [kindText, indexText] = StringRef(entry).split(':');
      kindText = kindText.trim();
      int64_t index;
      if ((kindText != "attention" && kindText != "ffn") ||
          indexText.trim().getAsInteger(10, index) || index < 0)
        return fail("remove entry '" + entry +
                    "' is not attention:INDEX or ffn:INDEX");
      listed[kindText == "attention" ? Sublayer::Kind::Attention
                                     : Sublayer::Kind::FFN]
          .insert(index);
    }
    if (listed.empty())
      return;
    SmallVector<Sublayer> sublayers = findSublayers(root);
    std::map<Sublayer::Kind, SmallVector<Sublayer>> byKind;
    for (const Sublayer &sublayer : sublayers)
      byKind[sublayer.kind].push_back(sublayer);
    for (auto &[kind, indices] : listed) {
      int64_t count = byKind[kind].size();
      if (*indices.rbegin() >= count)
        return fail("remove names " + getSublayerKindName(kind) + ":" +
                    Twine(*indices.rbegin()) + ", but the model has " +
                    Twine(count) + " " + getSublayerKindName(kind) +
                    " sublayers" +
                    (count ? " (0.." + Twine(count - 1) + ")" : Twine("")));
    }
    for (auto &[kind, indices] : listed)
      for (int64_t index : indices) {
        Sublayer &sublayer = byKind[kind][index];
        if (maskOnly) {
          OpBuilder b(sublayer.residualAdd);
          auto type = cast<RankedTensorType>(sublayer.branch.getType());
          Value zero = arith::ConstantOp::create(
              b, sublayer.residualAdd.getLoc(),
              DenseElementsAttr::get(
                  RankedTensorType::get({}, type.getElementType()),
                  b.getZeroAttr(type.getElementType())));
          Value masked = xf::MulOp::create(b, sublayer.residualAdd.getLoc(),
                                           type, sublayer.branch, zero);
          sublayer.residualAdd->replaceUsesOfWith(sublayer.branch, masked);
          continue;
        }
        sublayer.residualAdd.getResult().replaceAllUsesWith(sublayer.skip);
        sublayer.residualAdd->erase();
      }
    eraseDeadOps(root);
  }
};

} // namespace
