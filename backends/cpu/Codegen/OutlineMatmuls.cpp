//===- OutlineMatmuls.cpp - The --xfc-cpu-outline-matmuls pass ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// GEMM-class contractions run as oneDNN matmul primitives: this pass turns
// each bufferized f32 contraction into a call through the runtime and
// describes the primitive (shapes, strides, bias, accumulation, a constant
// B) in the module, for the runtime to create once at load.
//
// Linalg's contraction dimensions (batch, m, n, k — each possibly several
// loop dimensions) are folded into oneDNN's [batch..., M, K] × [batch...,
// K, N] → [batch..., M, N]: the loop dimensions of one role merge when
// they are contiguous in every operand, leftover M or N dimensions become
// batch dimensions (oneDNN broadcasts an operand that lacks them), and K
// must merge into one.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "RuntimeCalls.h"

#include "xfc/Conversion/XFToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUOUTLINEMATMULSPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;
using xfc::cpu::getElementAddress;
using xfc::cpu::getStaticStrides;
using xfc::kActivationAttrName;

namespace {

/// One dimension of oneDNN's view of an operand: its size and stride in
/// elements.
struct Dim {
  int64_t size = 1;
  int64_t stride = 1;
};

/// A merged group of loop dimensions: its size and, per operand (A, B, C),
/// its stride, or nothing when the operand does not use it.
struct VirtualDim {
  int64_t size;
  std::optional<int64_t> strides[3];
};

/// Where each loop dimension sits in each operand (A, B, C) and with which
/// stride.
class ContractionLayout {
public:
  ContractionLayout(ArrayRef<AffineMap> maps, ArrayRef<int64_t> loopSizes,
                    ArrayRef<SmallVector<int64_t>> operandStrides)
      : loopSizes(loopSizes) {
    for (unsigned i = 0; i < 3; ++i) {
      positions[i].assign(loopSizes.size(), -1);
      strides[i].assign(loopSizes.size(), 0);
      for (auto [position, expr] : llvm::enumerate(maps[i].getResults())) {
        unsigned dim = cast<AffineDimExpr>(expr).getPosition();
        positions[i][dim] = position;
        strides[i][dim] = operandStrides[i][position];
      }
    }
  }

  bool uses(unsigned operand, unsigned dim) const {
    return positions[operand][dim] >= 0;
  }

  /// Sorts loop dimensions by their position in `operand`, outermost first.
  SmallVector<unsigned> sortedBy(ArrayRef<unsigned> dims,
                                 unsigned operand) const {
    SmallVector<unsigned> sorted(dims);
    llvm::sort(sorted, [&](unsigned a, unsigned b) {
      return positions[operand][a] < positions[operand][b];
    });
    return sorted;
  }

  /// Merges `dims` (one role, outermost first) into as few virtual
  /// dimensions as contiguity allows, outermost first.
  SmallVector<VirtualDim> merge(ArrayRef<unsigned> dims) const {
    SmallVector<VirtualDim> merged;
    std::optional<unsigned> previous;
    for (unsigned dim : dims) {
      VirtualDim next{loopSizes[dim], {}};
      for (unsigned i = 0; i < 3; ++i)
        if (uses(i, dim))
          next.strides[i] = strides[i][dim];
      if (previous && continues(*previous, dim)) {
        merged.back().size *= next.size;
        for (unsigned i = 0; i < 3; ++i)
          merged.back().strides[i] = next.strides[i];
      } else {
        merged.push_back(next);
      }
      previous = dim;
    }
    return merged;
  }

private:
  /// Whether `inner` continues `outer` contiguously in every operand: the
  /// two are adjacent there and outer's stride is inner's extent.
  bool continues(unsigned outer, unsigned inner) const {
    for (unsigned i = 0; i < 3; ++i) {
      if (uses(i, outer) != uses(i, inner))
        return false;
      if (!uses(i, inner))
        continue;
      if (positions[i][inner] != positions[i][outer] + 1 ||
          strides[i][outer] != strides[i][inner] * loopSizes[inner])
        return false;
    }
    return true;
  }

  ArrayRef<int64_t> loopSizes;
  SmallVector<int64_t> positions[3];
  SmallVector<int64_t> strides[3];
};

/// oneDNN's view of a contraction: per operand (A, B, C), its dims and
/// strides in [batch..., M, K] / [batch..., K, N] / [batch..., M, N] order.
struct MatmulShape {
  SmallVector<Dim> operands[3];
};

/// Folds the contraction's loop dimensions into oneDNN's operand layouts,
/// or says why it cannot.
FailureOr<MatmulShape> getMatmulShape(linalg::LinalgOp op,
                                      const ContractionLayout &layout,
                                      const linalg::ContractionDimensions &dims,
                                      std::string &why) {
  SmallVector<VirtualDim> batch = layout.merge(layout.sortedBy(dims.batch, 2));
  SmallVector<VirtualDim> m = layout.merge(layout.sortedBy(dims.m, 2));
  SmallVector<VirtualDim> n = layout.merge(layout.sortedBy(dims.n, 2));
  SmallVector<VirtualDim> k = layout.merge(layout.sortedBy(dims.k, 0));
  if (k.size() != 1) {
    why = "its reduction dimensions are not contiguous in both operands";
    return failure();
  }
  // Leftover outer M and N dimensions are batch dimensions of the
  // operand that has them, broadcast in the other.
  auto takeInnermost = [&](SmallVector<VirtualDim> &group) {
    if (group.empty())
      return VirtualDim{1, {}};
    VirtualDim inner = group.pop_back_val();
    batch.append(group.begin(), group.end());
    return inner;
  };
  VirtualDim vm = takeInnermost(m);
  VirtualDim vn = takeInnermost(n);
  if (batch.size() + 2 > 12) {
    why = "it has more than 10 batch dimensions (oneDNN's limit)";
    return failure();
  }
  MatmulShape shape;
  auto dimOf = [](const VirtualDim &dim, unsigned operand) {
    if (!dim.strides[operand])
      return Dim{1, 1};
    return Dim{dim.size, *dim.strides[operand]};
  };
  for (unsigned i = 0; i < 3; ++i)
    for (const VirtualDim &b : batch)
      shape.operands[i].push_back(dimOf(b, i));
  shape.operands[0].append({dimOf(vm, 0), dimOf(k[0], 0)});
  shape.operands[1].append({dimOf(k[0], 1), dimOf(vn, 1)});
  shape.operands[2].append({dimOf(vm, 2), dimOf(vn, 2)});
  return shape;
}

/// "D0xD1:S0xS1", the descriptor spelling of one operand.
std::string formatOperand(ArrayRef<Dim> dims) {
  std::string sizes, strides;
  for (auto [i, dim] : llvm::enumerate(dims)) {
    sizes += (i ? "x" : "") + std::to_string(dim.size);
    strides += (i ? "x" : "") + std::to_string(dim.stride);
  }
  return sizes + ":" + strides;
}

/// What oneDNN can apply to a matmul's result before writing it: the loop
/// that does it now, the post-op's name, and the residual it adds.
struct Epilogue {
  linalg::GenericOp generic;
  std::string kind;
  Value residual;
};

/// Whether `generic` computes `in0 + in1` elementwise and nothing else.
static bool isPlainAdd(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getNumOperands() == 1
                 ? yield.getOperand(0).getDefiningOp<arith::AddFOp>()
                 : arith::AddFOp();
  if (!add || body.getOperations().size() != 2)
    return false;
  Value lhs = body.getArgument(0), rhs = body.getArgument(1);
  return (add.getLhs() == lhs && add.getRhs() == rhs) ||
         (add.getLhs() == rhs && add.getRhs() == lhs);
}

/// The loop that reads the matmul's result `c` (or a reshape of it, as
/// GPT-2's 2-D Gemm has) just after `op`, with nothing in between touching
/// memory, when oneDNN can do its work as a post-op and write straight into
/// its output (which holds the same dense row-major elements): an
/// activation (xf.gelu's loop, marked by convert-xf-to-linalg) or the add of
/// a residual of the result's layout. `c` may have no other readers.
std::optional<Epilogue> matchEpilogue(linalg::LinalgOp op, Value c) {
  // C must die here: a buffer of the caller's (an output of the model) is
  // read after the entry returns, whatever its uses inside.
  Value root = c;
  while (auto view = root.getDefiningOp<ViewLikeOpInterface>())
    root = view.getViewSource();
  if (!root.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  Value input = c;
  Operation *reshape = nullptr;
  for (Operation *user : c.getUsers())
    if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp>(user))
      reshape = user;
  if (reshape)
    input = reshape->getResult(0);
  auto isOther = [&](Operation *user) {
    return user != op.getOperation() && user != reshape &&
           !isa<bufferization::DeallocOp, memref::DeallocOp>(user) &&
           (reshape || !isa<linalg::GenericOp>(user));
  };
  if (llvm::count_if(c.getUsers(), isOther) != 0)
    return std::nullopt;
  auto cType = cast<MemRefType>(c.getType());
  auto inputType = cast<MemRefType>(input.getType());
  if (reshape && (!cType.getLayout().isIdentity() ||
                  !inputType.getLayout().isIdentity()))
    return std::nullopt;

  linalg::GenericOp generic;
  for (Operation *user : input.getUsers()) {
    if (isa<bufferization::DeallocOp, memref::DeallocOp>(user) ||
        user == op.getOperation())
      continue;
    auto candidate = dyn_cast<linalg::GenericOp>(user);
    if (generic || !candidate)
      return std::nullopt;
    generic = candidate;
  }
  if (!generic || generic->getBlock() != op->getBlock() ||
      !op->isBeforeInBlock(generic) || generic.getNumDpsInits() != 1 ||
      generic.getDpsInitOperand(0)->get().getType() != inputType ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }) ||
      generic.getNumReductionLoops() != 0)
    return std::nullopt;

  Epilogue epilogue{generic, "", Value()};
  Value output = generic.getDpsInitOperand(0)->get();
  if (auto name = generic->getAttrOfType<StringAttr>(kActivationAttrName);
      name && generic.getNumDpsInputs() == 1 &&
      generic.getDpsInputOperand(0)->get() == input) {
    epilogue.kind = name.str();
  } else if (generic.getNumDpsInputs() == 2 && isPlainAdd(generic)) {
    Value lhs = generic.getDpsInputOperand(0)->get();
    Value rhs = generic.getDpsInputOperand(1)->get();
    Value residual = lhs == input ? rhs : lhs;
    // oneDNN reads the residual as it writes the output: not in place.
    if ((lhs != input && rhs != input) || residual == input ||
        residual.getType() != inputType || residual == output)
      return std::nullopt;
    epilogue.kind = "add";
    epilogue.residual = residual;
  } else {
    return std::nullopt;
  }
  for (Operation *between = op->getNextNode(); between != generic;
       between = between->getNextNode())
    if (between != reshape && !isa<memref::AllocOp>(between) &&
        !isMemoryEffectFree(between))
      return std::nullopt;
  return epilogue;
}

/// A bias broadcast just before `op` into its accumulator: a generic
/// copying a vector along C's innermost dimension when that is the single
/// N loop dimension. Returns the bias buffer.
Value matchBiasInit(linalg::LinalgOp op, Operation *previous,
                    ArrayRef<unsigned> nDims) {
  auto fill = dyn_cast_or_null<linalg::GenericOp>(previous);
  Value c = op.getDpsInitOperand(0)->get();
  if (!fill || fill.getNumDpsInputs() != 1 || fill.getNumDpsInits() != 1 ||
      fill.getDpsInitOperand(0)->get() != c || nDims.size() != 1 ||
      fill.getNumReductionLoops() != 0)
    return {};
  auto yield = cast<linalg::YieldOp>(fill.getBody()->getTerminator());
  if (yield.getOperand(0) != fill.getBody()->getArgument(0))
    return {};
  // C's result position of the N dimension is the fill's loop dimension.
  AffineMap cMap = op.getIndexingMapsArray()[2];
  std::optional<unsigned> nPosition =
      cMap.getResultPosition(getAffineDimExpr(nDims[0], op.getContext()));
  SmallVector<AffineMap> fillMaps = fill.getIndexingMapsArray();
  if (!nPosition || !fillMaps[1].isIdentity() ||
      fillMaps[0].getNumResults() != 1 ||
      fillMaps[0].getResult(0) !=
          getAffineDimExpr(*nPosition, op.getContext()))
    return {};
  return fill.getDpsInputOperand(0)->get();
}

struct CPUOutlineMatmulsPass
    : xfc::cpu::impl::CPUOutlineMatmulsPassBase<CPUOutlineMatmulsPass> {
  void runOnOperation() override;

  /// Replaces `op` with a runtime call, or returns why it cannot.
  LogicalResult outline(linalg::LinalgOp op, func::FuncOp entry,
                        SmallVectorImpl<Attribute> &descriptors,
                        std::string &why);
};

} // namespace

LogicalResult CPUOutlineMatmulsPass::outline(
    linalg::LinalgOp op, func::FuncOp entry,
    SmallVectorImpl<Attribute> &descriptors, std::string &why) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureBufferSemantics()) {
    why = "it is not a two-operand contraction on buffers";
    return failure();
  }
  SmallVector<Value> operands = {op.getDpsInputOperand(0)->get(),
                                 op.getDpsInputOperand(1)->get(),
                                 op.getDpsInitOperand(0)->get()};
  SmallVector<SmallVector<int64_t>> strides;
  for (Value operand : operands) {
    auto type = cast<MemRefType>(operand.getType());
    if (!type.getElementType().isF32()) {
      why = "oneDNN matmuls are used for f32 only so far";
      return failure();
    }
    FailureOr<SmallVector<int64_t>> operandStrides = getStaticStrides(operand);
    if (failed(operandStrides)) {
      why = "an operand has a dynamic shape or strides";
      return failure();
    }
    strides.push_back(*operandStrides);
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->k.empty()) {
    why = "its dimensions are not those of a contraction";
    return failure();
  }
  // isaContractionOpInterface implies this today; ContractionLayout's
  // casts to AffineDimExpr rely on it, so it is checked, not assumed.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps, [](AffineMap map) {
        return map.isProjectedPermutation(/*allowZeroInResults=*/false);
      })) {
    why = "an operand is not indexed by a projection of the loops";
    return failure();
  }
  SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
  ContractionLayout layout(maps, loopSizes, strides);
  FailureOr<MatmulShape> shape = getMatmulShape(op, layout, *dims, why);
  if (failed(shape))
    return failure();

  // Fold the accumulator's initialization into the call.
  Operation *previous = op->getPrevNode();
  Value bias;
  int beta = 1;
  std::string biasOperand = "-";
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(previous);
      fill && fill.getOutputs()[0] == operands[2] &&
      matchPattern(fill.getInputs()[0], m_AnyZeroFloat())) {
    beta = 0;
    fill.erase();
  } else if (Value vector = matchBiasInit(op, previous, dims->n);
             vector && succeeded(getStaticStrides(vector))) {
    auto vectorType = cast<MemRefType>(vector.getType());
    SmallVector<Dim> biasDims(shape->operands[2].size(), Dim{1, 1});
    biasDims.back() = {vectorType.getDimSize(0), (*getStaticStrides(vector))[0]};
    // Strides of the size-1 dims: those of a dense [1..., 1, N] tensor.
    for (int i = biasDims.size() - 2; i >= 0; --i)
      biasDims[i].stride = biasDims[i + 1].stride * biasDims[i + 1].size;
    biasOperand = formatOperand(biasDims);
    bias = vector;
    beta = 0;
    previous->erase();
  }

  // An activation or residual add right after: a post-op writing its
  // output.
  std::string postOp = "-";
  Value residual;
  if (beta == 0) {
    if (std::optional<Epilogue> epilogue = matchEpilogue(op, operands[2])) {
      linalg::GenericOp generic = epilogue->generic;
      postOp = epilogue->kind;
      // Same elements, C's shape: the descriptor keeps C's layout.
      auto cType = cast<MemRefType>(operands[2].getType());
      auto asC = [&](Value value) -> Value {
        if (value.getType() == cType)
          return value;
        OpBuilder b(generic);
        return memref::ReinterpretCastOp::create(
            b, op.getLoc(), cType, value, 0, cType.getShape(),
            *getStaticStrides(operands[2]));
      };
      operands[2] = asC(generic.getDpsInitOperand(0)->get());
      if (epilogue->residual)
        residual = asC(epilogue->residual);
      // After the allocation of the epilogue's output (nothing in between
      // touches the operands).
      op->moveBefore(generic);
      generic->erase();
    }
  }

  Value weightsRegion = entry.getArgument(1);
  int64_t weightOffset =
      xfc::cpu::getWeightOffset(operands[1], weightsRegion).value_or(-1);
  int64_t id = descriptors.size();
  std::string descriptor =
      llvm::formatv("matmul {0} f32 {1} {2} {3} {4} {5} {6} {7}", id,
                    formatOperand(shape->operands[0]),
                    formatOperand(shape->operands[1]),
                    formatOperand(shape->operands[2]), biasOperand, beta,
                    weightOffset, postOp)
          .str();
  OpBuilder b(op);
  descriptors.push_back(b.getStringAttr(descriptor));

  Location loc = op.getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> args = {
      entry.getArgument(0),
      arith::ConstantIntOp::create(b, loc, b.getI64Type(), id),
      getElementAddress(b, loc, operands[0]),
      getElementAddress(b, loc, operands[1]),
      bias ? getElementAddress(b, loc, bias) : zero,
      residual ? getElementAddress(b, loc, residual) : zero,
      getElementAddress(b, loc, operands[2])};
  func::CallOp::create(b, loc, xfc::cpu::kMatmulFunctionName, TypeRange(),
                       args);
  op->erase();
  return success();
}

void CPUOutlineMatmulsPass::runOnOperation() {
  ModuleOp module = getOperation();
  func::FuncOp entry;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      entry = func;
  if (!entry || entry.getNumArguments() < 2 ||
      !isa<LLVM::LLVMPointerType>(entry.getArgument(0).getType())) {
    module.emitError("no entry function with the runtime context and "
                     "weights arguments: run --xfc-cpu-bind-weights first");
    return signalPassFailure();
  }

  SmallVector<linalg::LinalgOp> contractions;
  entry.walk([&](linalg::LinalgOp op) {
    if (linalg::isaContractionOpInterface(op))
      contractions.push_back(op);
  });
  SmallVector<Attribute> descriptors;
  for (linalg::LinalgOp op : contractions) {
    std::string why;
    Location loc = op.getLoc();
    if (failed(outline(op, entry, descriptors, why)))
      emitRemark(loc) << "contraction compiled as loops, not a oneDNN "
                         "matmul: "
                      << why;
  }
  if (descriptors.empty())
    return;

  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  MLIRContext *context = &getContext();
  Type index = b.getIndexType();
  auto type = FunctionType::get(
      context,
      {LLVM::LLVMPointerType::get(context), b.getI64Type(), index, index,
       index, index, index},
      {});
  if (!module.lookupSymbol(xfc::cpu::kMatmulFunctionName)) {
    auto decl = func::FuncOp::create(b, module.getLoc(),
                                     xfc::cpu::kMatmulFunctionName, type);
    decl.setPrivate();
  }
  module->setAttr(xfc::cpu::kMatmulsAttrName, b.getArrayAttr(descriptors));
}
