//===- OutlineAttention.cpp - xf.attention through the runtime -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf.attention runs as the runtime's flash kernel. Getting it there takes
// three steps around bufferization, one pass each:
//   xfc-cpu-outline-attention  tensors: a call to a private declaration
//                              carrying the op's attributes, which
//                              bufferization handles like any call;
//   xfc-cpu-kernel-out-params  after bufferization: the result becomes a
//                              buffer allocated at the call site
//                              (KernelOutParams.cpp, shared with the
//                              quantized matmuls);
//   xfc-cpu-call-attention     after deallocation: a call through the
//                              runtime with addresses and a descriptor.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "RuntimeCalls.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUOUTLINEATTENTIONPASS
#define GEN_PASS_DEF_CPUCALLATTENTIONPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;
namespace xf = xfc::xf;

namespace {

/// The attention attributes of a call's callee, if it is an attention
/// declaration.
DictionaryAttr getAttentionAttrs(func::CallOp call, SymbolTable &symbols) {
  std::optional<NamedAttribute> attr = xfc::cpu::getKernelAttr(call, symbols);
  return attr && attr->getName() == xfc::cpu::kAttentionKernelAttrName
             ? cast<DictionaryAttr>(attr->getValue())
             : DictionaryAttr();
}

/// From this many keys on, packed K and V are copied head-major first.
constexpr int64_t kMinKeysForHeadMajorCopy = 1024;

/// [B, S, H·D] → [B, H, S, D].
Value toHeadMajor(OpBuilder &b, Location loc, Value packed, int64_t heads) {
  auto type = cast<RankedTensorType>(packed.getType());
  ArrayRef<int64_t> shape = type.getShape();
  Value split = xf::ReshapeOp::create(
      b, loc, type.clone({shape[0], shape[1], heads, shape[2] / heads}),
      packed);
  return xf::TransposeOp::create(b, loc, split,
                                 b.getDenseI64ArrayAttr({0, 2, 1, 3}));
}

struct CPUOutlineAttentionPass
    : xfc::cpu::impl::CPUOutlineAttentionPassBase<CPUOutlineAttentionPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // One declaration per distinct signature and attributes: the layers of
    // a model share theirs.
    DenseMap<std::pair<Type, Attribute>, func::FuncOp> declarations;
    SmallVector<xf::AttentionOp> attentions;
    module.walk([&](xf::AttentionOp op) { attentions.push_back(op); });
    for (xf::AttentionOp op : attentions) {
      RankedTensorType queryType = op.getQuery().getType();
      if (!queryType.getElementType().isF32() ||
          !llvm::all_of(op->getOperandTypes(), [](Type type) {
            return cast<RankedTensorType>(type).hasStaticShape();
          }))
        continue;
      OpBuilder b(op);
      int64_t headDim = queryType.getRank() == 4
                            ? queryType.getDimSize(3)
                            : queryType.getDimSize(2) / op.getNumHeads();
      double scale = op.getScale()
                         ? op.getScale()->convertToDouble()
                         : 1.0 / std::sqrt(static_cast<double>(headDim));
      auto attrs = b.getDictionaryAttr({
          b.getNamedAttr("num_heads", b.getI64IntegerAttr(op.getNumHeads())),
          b.getNamedAttr("num_kv_heads",
                         b.getI64IntegerAttr(op.getEffectiveNumKvHeads())),
          b.getNamedAttr("scale", b.getF32FloatAttr(scale)),
          b.getNamedAttr("causal", b.getBoolAttr(op.getCausal())),
      });
      SmallVector<Value> operands(op->getOperands());
      // Long sequences: the kernel streams every key and value row once per
      // block of queries, and rows of one head that lie H·D floats apart
      // (the packed layout) cost it a fifth of its speed at L = 2048 (page
      // and prefetch misses); one head-major copy of K and V is cheap next
      // to the O(L²) work. Short sequences keep reading the projections.
      int64_t keySeq = op.getKey().getType().getDimSize(
          queryType.getRank() == 4 ? 2 : 1);
      if (queryType.getRank() == 3 && keySeq >= kMinKeysForHeadMajorCopy)
        for (Value *kv : {&operands[1], &operands[2]})
          *kv = toHeadMajor(b, op.getLoc(), *kv, op.getEffectiveNumKvHeads());
      auto type = b.getFunctionType(ValueRange(operands).getTypes(),
                                    op.getType());
      func::FuncOp &decl = declarations[{type, attrs}];
      if (!decl)
        decl = xfc::cpu::declareKernel(
            module, symbols, "xfc_attention", type,
            b.getNamedAttr(xfc::cpu::kAttentionKernelAttrName, attrs));
      auto call = func::CallOp::create(b, op.getLoc(), decl, operands);
      op.replaceAllUsesWith(call.getResult(0));
      op.erase();
    }
  }
};

/// "AxBxC".
std::string join(ArrayRef<int64_t> values) {
  std::string text;
  for (auto [i, value] : llvm::enumerate(values))
    text += (i ? "x" : "") + std::to_string(value);
  return text;
}

/// The element strides of the [batch, head, sequence] dimensions of a
/// Q/K/V/out buffer, [B, H, S, D] or packed [B, S, H·D] with `heads` heads;
/// and its head size.
FailureOr<std::pair<SmallVector<int64_t>, int64_t>>
getHeadStrides(Value buffer, int64_t heads) {
  auto type = cast<MemRefType>(buffer.getType());
  FailureOr<SmallVector<int64_t>> strides = xfc::cpu::getStaticStrides(buffer);
  if (failed(strides) || strides->back() != 1)
    return failure();
  if (type.getRank() == 4)
    return std::make_pair(SmallVector<int64_t>{(*strides)[0], (*strides)[1],
                                               (*strides)[2]},
                          type.getDimSize(3));
  int64_t headDim = type.getDimSize(2) / heads;
  return std::make_pair(
      SmallVector<int64_t>{(*strides)[0], headDim, (*strides)[1]}, headDim);
}

struct CPUCallAttentionPass
    : xfc::cpu::impl::CPUCallAttentionPassBase<CPUCallAttentionPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::CallOp> calls = xfc::cpu::getKernelCalls(
        module, symbols, xfc::cpu::kAttentionKernelAttrName, 0);
    if (calls.empty())
      return;
    FailureOr<func::FuncOp> entry = xfc::cpu::getBoundEntryFunction(module);
    if (failed(entry))
      return signalPassFailure();

    SmallVector<Attribute> descriptors;
    llvm::SetVector<StringAttr> callees;
    OpBuilder b(module.getContext());
    for (func::CallOp call : calls) {
      DictionaryAttr attrs = getAttentionAttrs(call, symbols);
      int64_t heads = cast<IntegerAttr>(attrs.get("num_heads")).getInt();
      int64_t kvHeads = cast<IntegerAttr>(attrs.get("num_kv_heads")).getInt();
      double scale = cast<FloatAttr>(attrs.get("scale")).getValueAsDouble();
      bool causal = cast<BoolAttr>(attrs.get("causal")).getValue();
      ValueRange operands = call.getOperands();
      if (operands.size() != 4 && operands.size() != 5)
        return signalPassFailure();
      Value query = operands[0], key = operands[1], value = operands[2];
      Value mask = operands.size() == 5 ? operands[3] : Value();
      Value output = operands.back();

      auto q = getHeadStrides(query, heads), k = getHeadStrides(key, kvHeads),
           v = getHeadStrides(value, kvHeads), o = getHeadStrides(output, heads);
      if (failed(q) || failed(k) || failed(v) || failed(o)) {
        call.emitError("attention operands need static strides with a "
                       "contiguous feature dimension");
        return signalPassFailure();
      }
      // Each operand is [B, H, S, D] or packed [B, S, H·D] on its own.
      auto getSeq = [](Value buffer) {
        auto type = cast<MemRefType>(buffer.getType());
        return type.getDimSize(type.getRank() == 3 ? 1 : 2);
      };
      int64_t batch = cast<MemRefType>(query.getType()).getDimSize(0);
      int64_t querySeq = getSeq(query), keySeq = getSeq(key);

      std::string maskField = "-";
      if (mask) {
        auto maskType = cast<MemRefType>(mask.getType());
        FailureOr<SmallVector<int64_t>> strides =
            xfc::cpu::getStaticStrides(mask);
        if (failed(strides) || maskType.getRank() > 4 ||
            !(maskType.getElementType().isInteger(1) ||
              maskType.getElementType().isF32())) {
          call.emitError("attention mask needs static strides, rank <= 4 "
                         "and element type i1 or f32");
          return signalPassFailure();
        }
        // Aligned on the right with [B, Hq, Sq, Skv]; broadcast dims get 0.
        SmallVector<int64_t> broadcast(4, 0);
        int64_t rank = maskType.getRank();
        for (int64_t dim = 0; dim < rank; ++dim)
          if (maskType.getDimSize(dim) != 1)
            broadcast[4 - rank + dim] = (*strides)[dim];
        maskField =
            (maskType.getElementType().isF32() ? "f32:" : "bool:") +
            join(broadcast);
      }

      int64_t id = descriptors.size();
      std::string descriptor = llvm::formatv(
          "attention {0} f32 {1} {2} {3} {4} {5} {6} {7:e9} {8}", id,
          join({batch, heads, kvHeads, querySeq, keySeq, q->second,
                v->second}),
          join(q->first), join(k->first), join(v->first), join(o->first),
          maskField, scale, causal ? 1 : 0);
      descriptors.push_back(b.getStringAttr(descriptor));

      b.setInsertionPoint(call);
      Location loc = call.getLoc();
      xfc::cpu::createRuntimeCall(b, loc, *entry,
                                  xfc::cpu::kAttentionFunctionName, id,
                                  {query, key, value, mask, output});
      callees.insert(call.getCalleeAttr().getAttr());
      call.erase();
    }
    xfc::cpu::eraseUnusedDeclarations(module, symbols, callees.getArrayRef());

    module->setAttr(xfc::cpu::kAttentionsAttrName,
                    b.getArrayAttr(descriptors));
  }
};

} // namespace
