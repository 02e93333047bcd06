//===- FuseElementwise.cpp - The --xfc-cpu-fuse-elementwise pass ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Upstream's elementwise fusion with a control function that keeps the
// GEMMs plain multiply-add contractions, which xfc-cpu-outline-matmuls
// hands to oneDNN.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUFUSEELEMENTWISEPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;

/// A transpose written as a generic: one input read through a permutation,
/// an identity output, a body that yields the input unchanged.
static bool isPermutationCopy(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0)
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps[0].isPermutation() || !maps[1].isIdentity())
    return false;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  return yield.getNumOperands() == 1 &&
         yield.getOperand(0) == op.getBody()->getArgument(0);
}

namespace {

/// `add(contraction(…, init = fill 0), broadcast bias)` → the contraction
/// starting from the broadcast bias: the form of a linear layer, whose
/// bias xfc-cpu-outline-matmuls hands to oneDNN, instead of a separate
/// pass over the output (ONNX exporters write MatMul + Add).
struct FoldBiasAddIntoContraction : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getNumDpsInputs() != 2 || add.getNumDpsInits() != 1 ||
        add.getNumReductionLoops() != 0 || add.getNumResults() != 1)
      return failure();
    Block *body = add.getBody();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    auto sum = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
    if (!sum || &body->front() != sum.getOperation() ||
        !llvm::is_contained({sum.getLhs(), sum.getRhs()}, body->getArgument(0)) ||
        !llvm::is_contained({sum.getLhs(), sum.getRhs()}, body->getArgument(1)))
      return failure();
    SmallVector<AffineMap> maps = add.getIndexingMapsArray();
    for (unsigned i = 0; i < 2; ++i) {
      auto contraction =
          add.getDpsInputOperand(i)->get().getDefiningOp<linalg::LinalgOp>();
      Value bias = add.getDpsInputOperand(1 - i)->get();
      auto biasType = dyn_cast<RankedTensorType>(bias.getType());
      unsigned rank = maps[2].getNumDims();
      if (!contraction || !contraction->hasOneUse() ||
          !linalg::isaContractionOpInterface(contraction) ||
          contraction->getNumResults() != 1 || !maps[i].isIdentity() ||
          !maps[2].isIdentity() || !biasType || biasType.getRank() != 1 ||
          maps[1 - i] != AffineMap::get(rank, 0,
                                        getAffineDimExpr(rank - 1,
                                                         getContext())) ||
          add.getResult(0).getType() != contraction->getResult(0).getType())
        continue;
      // The accumulator must start at zero.
      OpOperand *init = contraction.getDpsInitOperand(0);
      auto fill = init->get().getDefiningOp<linalg::FillOp>();
      if (!fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
        continue;
      // Broadcast the bias into the accumulator, as a linear layer does.
      rewriter.setInsertionPoint(contraction);
      auto type = cast<RankedTensorType>(init->get().getType());
      Value empty = tensor::EmptyOp::create(rewriter, add.getLoc(),
                                            type.getShape(),
                                            type.getElementType());
      MLIRContext *context = getContext();
      AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
      auto broadcast = linalg::GenericOp::create(
          rewriter, add.getLoc(), type, ValueRange{bias}, ValueRange{empty},
          ArrayRef<AffineMap>{maps[1 - i], identity},
          SmallVector<utils::IteratorType>(rank,
                                           utils::IteratorType::parallel),
          [](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, args[0]);
          });
      rewriter.modifyOpInPlace(contraction,
                               [&] { init->set(broadcast.getResult(0)); });
      rewriter.replaceOp(add, contraction->getResult(0));
      return success();
    }
    return failure();
  }
};

} // namespace

static bool shouldFuse(OpOperand *fusedOperand);

namespace {

/// Upstream's producer-into-consumer fusion, giving the fused op the
/// locations of both (upstream keeps the consumer's only): profiles and
/// diagnostics still name every ONNX node a kernel came from.
struct FuseWithLocations : OpRewritePattern<linalg::GenericOp> {
  FuseWithLocations(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      if (!linalg::areElementwiseOpsFusable(&operand) || !shouldFuse(&operand))
        continue;
      Operation *producer = operand.get().getDefiningOp();
      Location loc =
          rewriter.getFusedLoc({producer->getLoc(), consumer.getLoc()});
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      fused->fusedOp->setLoc(loc);
      // As upstream's pattern does: only the consumer's uses move.
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement,
                                   [&](OpOperand &use) {
                                     return use.get().getDefiningOp() !=
                                            producer;
                                   });
      rewriter.eraseOp(consumer);
      return success();
    }
    return failure();
  }
};

} // namespace

/// Whether to fuse the producer of `fusedOperand` into its owner.
static bool shouldFuse(OpOperand *fusedOperand) {
  auto producer = fusedOperand->get().getDefiningOp<linalg::GenericOp>();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::LinalgOp>(fusedOperand->getOwner());
  if (consumer && linalg::isaContractionOpInterface(consumer))
    return isPermutationCopy(producer);
  return true;
}

namespace {

struct CPUFuseElementwisePass
    : xfc::cpu::impl::CPUFuseElementwisePassBase<CPUFuseElementwisePass> {
  void runOnOperation() override {
    // XFToLinalg writes transposes as linalg.transpose; as generics they
    // can fuse into a contraction (and into elementwise consumers).
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::TransposeOp> transposes;
    getOperation()->walk(
        [&](linalg::TransposeOp op) { transposes.push_back(op); });
    for (linalg::TransposeOp op : transposes) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }

    // Bias adds first, while each is still its own generic.
    {
      RewritePatternSet biasPatterns(&getContext());
      biasPatterns.add<FoldBiasAddIntoContraction>(&getContext());
      if (failed(applyPatternsGreedily(getOperation(),
                                       std::move(biasPatterns))))
        return signalPassFailure();
    }

    RewritePatternSet patterns(&getContext());
    patterns.add<FuseWithLocations>(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
