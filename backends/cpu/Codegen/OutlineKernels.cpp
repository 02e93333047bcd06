//===- OutlineKernels.cpp - The --xfc-cpu-outline-kernels pass ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringMap.h"

#include <limits>

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUOUTLINEKERNELSPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;

/// Kernels with fewer iterations than this run on the calling thread: a
/// fork-join costs a few microseconds.
constexpr int64_t kMinParallelIterations = 1 << 14;

/// Where a kernel is split: a loop dimension and its extent.
struct Split {
  unsigned dim;
  int64_t extent;
};

/// The loop `op` can be split along: the outermost parallel loop of static
/// extent >= 2 that every buffer operand indexes with a plain dimension
/// (and every output uses). Splitting it partitions the iteration space
/// whatever the loops around it.
static std::optional<Split> getSplit(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  int64_t iterations = 1;
  for (int64_t range : ranges)
    iterations *= range;
  if (iterations < kMinParallelIterations)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  std::optional<unsigned> dim;
  for (unsigned i = 0; i < ranges.size() && !dim; ++i)
    if (iterators[i] == utils::IteratorType::parallel && ranges[i] >= 2)
      dim = i;
  if (!dim)
    return std::nullopt;
  llvm::SmallPtrSet<Value, 4> buffers;
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    // One buffer read and written in place would need one subview.
    if (!buffers.insert(operand.get()).second)
      return std::nullopt;
    int uses = 0;
    for (AffineExpr expr : op.getMatchingIndexingMap(&operand).getResults()) {
      if (auto dimExpr = dyn_cast<AffineDimExpr>(expr))
        uses += dimExpr.getPosition() == *dim;
      else if (expr.isFunctionOfDim(*dim))
        return std::nullopt;
    }
    if (uses > 1 || (uses == 0 && op.isDpsInit(&operand)))
      return std::nullopt;
  }
  return Split{*dim, ranges[*dim]};
}

/// Clones `op` restricted to iterations [begin, end) of loop `dim`: each
/// buffer operand indexed by it becomes a subview, and `linalg.index dim`
/// in the body, which counts from the subview's start, is shifted by
/// `begin` so that it is still the position in the whole loop (a gather's
/// batch coordinate, top_k's `j < i`).
static void cloneRestricted(OpBuilder &b, linalg::LinalgOp op, unsigned dim,
                            IRMapping &mapping, Value begin, Value end) {
  Location loc = op.getLoc();
  Value size = arith::SubIOp::create(b, loc, end, begin);
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type)
      continue;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    std::optional<unsigned> position =
        map.getResultPosition(getAffineDimExpr(dim, op.getContext()));
    if (!position)
      continue;
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
    for (int64_t extent : type.getShape())
      sizes.push_back(b.getIndexAttr(extent));
    offsets[*position] = begin;
    sizes[*position] = size;
    Value source = mapping.lookup(operand.get());
    mapping.map(operand.get(), memref::SubViewOp::create(b, loc, source,
                                                         offsets, sizes,
                                                         strides));
  }
  Operation *clone = b.clone(*op, mapping);
  clone->walk([&](linalg::IndexOp index) {
    if (index.getDim() != dim)
      return;
    OpBuilder after(index->getContext());
    after.setInsertionPointAfter(index);
    auto shifted =
        arith::AddIOp::create(after, index.getLoc(), index.getResult(), begin);
    index.getResult().replaceAllUsesExcept(shifted.getResult(), shifted);
  });
}

namespace {

struct CPUOutlineKernelsPass
    : xfc::cpu::impl::CPUOutlineKernelsPassBase<CPUOutlineKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // A copy between strided buffers (a concat along an outer axis writes
    // each piece into a strided slot) would lower to a call of MLIR's
    // memrefCopy runtime helper, which an artifact cannot link: as
    // linalg.copy it becomes a kernel like any other. Contiguous copies
    // stay memref.copy, a memcpy.
    SmallVector<memref::CopyOp> copies;
    auto isContiguous = [](Value buffer) {
      auto type = dyn_cast<MemRefType>(buffer.getType());
      return type && memref::isStaticShapeAndContiguousRowMajor(type);
    };
    module.walk([&](memref::CopyOp copy) {
      if (!isContiguous(copy.getSource()) || !isContiguous(copy.getTarget()))
        copies.push_back(copy);
    });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }

    SmallVector<linalg::LinalgOp> ops;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func.walk([&](linalg::LinalgOp op) {
          if (op.hasPureBufferSemantics())
            ops.push_back(op);
        });

    // Kernels by their printed body: identical ops share one function.
    llvm::StringMap<func::FuncOp> kernels;
    for (linalg::LinalgOp op : ops) {
      Location loc = op.getLoc();
      // Arguments: the op's operands, then what its body captures, except
      // constants, which are cloned into the kernel.
      SmallVector<Value> arguments(op->getOperands());
      SetVector<Value> captured;
      getUsedValuesDefinedAbove(op->getRegions(), captured);
      SmallVector<Operation *> constants;
      for (Value value : captured) {
        Operation *def = value.getDefiningOp();
        if (def && def->hasTrait<OpTrait::ConstantLike>())
          constants.push_back(def);
        else
          arguments.push_back(value);
      }

      // A splittable kernel takes the range of its outermost loop last; the
      // artifact writer turns its calls into the runtime's parallel_for.
      std::optional<Split> split = getSplit(op);
      SmallVector<Type> types(ValueRange(arguments).getTypes());
      if (split)
        types.append(2, IndexType::get(&getContext()));
      auto type = FunctionType::get(&getContext(), types, {});
      auto kernel = func::FuncOp::create(
          loc, split ? "xfc_kernel_par" : "xfc_kernel", type);
      Block *body = kernel.addEntryBlock();
      IRMapping mapping;
      mapping.map(arguments,
                  body->getArguments().take_front(arguments.size()));
      OpBuilder b = OpBuilder::atBlockBegin(body);
      for (Operation *constant : constants)
        b.clone(*constant, mapping);
      if (split)
        cloneRestricted(b, op, split->dim, mapping,
                        body->getArgument(arguments.size()),
                        body->getArgument(arguments.size() + 1));
      else
        b.clone(*op, mapping);
      func::ReturnOp::create(b, loc);
      kernel.setPrivate();

      std::string key;
      llvm::raw_string_ostream os(key);
      // Flags set explicitly: the defaults follow command-line options
      // (elided constants would merge different kernels; locations would
      // split identical ones).
      OpPrintingFlags flags;
      flags.printGenericOpForm()
          .enableDebugInfo(/*enable=*/false)
          .printNameLocAsPrefix(false)
          .elideLargeElementsAttrs(std::numeric_limits<int64_t>::max())
          .elideLargeResourceString(std::numeric_limits<int64_t>::max());
      kernel.print(os, flags);
      auto [it, inserted] = kernels.try_emplace(key, kernel);
      if (inserted)
        symbols.insert(kernel);
      else
        kernel.erase();

      OpBuilder caller(op);
      if (split) {
        arguments.push_back(arith::ConstantIndexOp::create(caller, loc, 0));
        arguments.push_back(
            arith::ConstantIndexOp::create(caller, loc, split->extent));
      }
      func::CallOp::create(caller, loc, it->second, arguments);
      op->erase();
    }
  }
};

} // namespace
