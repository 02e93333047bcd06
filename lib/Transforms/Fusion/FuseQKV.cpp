//===- FuseQKV.cpp - The --xf-fuse-qkv pass -------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "xfc/Dialect/XF/XFOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/MapVector.h"

namespace xfc {
#define GEN_PASS_DEF_FUSEQKVPASS
#include "xfc/Transforms/Passes.h.inc"
} // namespace xfc

using namespace mlir;
namespace xf = xfc::xf;

namespace {

/// One GEMM of a group: the matmul, its weight's bytes, and the bias add
/// that follows it, if any.
struct Member {
  xf::MatmulOp matmul;
  ArrayRef<char> weight;
  xf::AddOp biasAdd;
  ArrayRef<char> bias;
};

struct FuseQKVPass : xfc::impl::FuseQKVPassBase<FuseQKVPass> {
  void runOnOperation() override {
    // Candidate GEMMs by their left operand, in program order.
    llvm::MapVector<Value, SmallVector<Member>> groups;
    getOperation()->walk([&](xf::MatmulOp matmul) {
      auto weightType = dyn_cast<RankedTensorType>(matmul.getRhs().getType());
      std::optional<ArrayRef<char>> weight = xfc::getConstantBytes(matmul.getRhs());
      if (matmul.getTransposeLhs() || matmul.getTransposeRhs() || !weightType ||
          weightType.getRank() != 2 || !weightType.hasStaticShape() || !weight)
        return;
      Member member{matmul, *weight, {}, {}};
      if (matmul->hasOneUse())
        if (auto add = dyn_cast<xf::AddOp>(*matmul->user_begin())) {
          Value other =
              add.getLhs() == matmul.getResult() ? add.getRhs() : add.getLhs();
          auto biasType = dyn_cast<RankedTensorType>(other.getType());
          std::optional<ArrayRef<char>> bias = xfc::getConstantBytes(other);
          if (bias && biasType && biasType.getRank() == 1 &&
              biasType.getDimSize(0) == weightType.getDimSize(1) &&
              add.getType() == matmul.getType()) {
            member.biasAdd = add;
            member.bias = *bias;
          }
        }
      groups[matmul.getLhs()].push_back(member);
    });
    for (auto &[input, members] : groups)
      if (members.size() >= 2)
        pack(members);
  }

  /// Replaces a group of GEMMs on one input with one packed GEMM + split.
  void pack(MutableArrayRef<Member> members) {
    xf::MatmulOp first = members.front().matmul;
    auto firstWeight = cast<RankedTensorType>(first.getRhs().getType());
    Type elementType = firstWeight.getElementType();
    int64_t k = firstWeight.getDimSize(0);
    bool withBias = true;
    SmallVector<int64_t> sizes;
    for (Member &member : members) {
      auto weightType = cast<RankedTensorType>(member.matmul.getRhs().getType());
      if (weightType.getElementType() != elementType ||
          weightType.getDimSize(0) != k ||
          member.matmul.getType().getElementType() !=
              first.getType().getElementType())
        return;
      withBias &= static_cast<bool>(member.biasAdd);
      sizes.push_back(weightType.getDimSize(1));
    }
    int64_t totalN = 0;
    for (int64_t size : sizes)
      totalN += size;
    int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;

    // [K, N_i] row-major pieces, concatenated along N, row by row.
    std::vector<char> weight(k * totalN * elementBytes);
    int64_t column = 0;
    for (auto [member, size] : llvm::zip(members, sizes)) {
      for (int64_t row = 0; row < k; ++row)
        std::memcpy(weight.data() + (row * totalN + column) * elementBytes,
                    member.weight.data() + row * size * elementBytes,
                    size * elementBytes);
      column += size;
    }

    SmallVector<Location> locations;
    for (Member &member : members) {
      locations.push_back(member.matmul.getLoc());
      if (withBias)
        locations.push_back(member.biasAdd.getLoc());
    }
    OpBuilder b(first);
    Location loc = b.getFusedLoc(locations);
    auto makeConstant = [&](ArrayRef<char> bytes, ArrayRef<int64_t> shape,
                            StringRef name) -> Value {
      auto type = RankedTensorType::get(shape, elementType);
      AsmResourceBlob blob =
          HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64);
      return arith::ConstantOp::create(
          b, loc, DenseResourceElementsAttr::get(type, name, std::move(blob)));
    };
    Value packedWeight = makeConstant(weight, {k, totalN}, "xf_packed_weight");
    Value packed = xf::MatmulOp::create(b, loc, first.getLhs(), packedWeight);
    if (withBias) {
      std::vector<char> bias;
      for (const Member &member : members)
        bias.insert(bias.end(), member.bias.begin(), member.bias.end());
      packed = xf::AddOp::create(
          b, loc, packed, makeConstant(bias, {totalN}, "xf_packed_bias"));
    }
    auto packedType = cast<RankedTensorType>(packed.getType());
    auto split = xf::SplitOp::create(b, loc, packed, packedType.getRank() - 1,
                                     sizes);
    for (auto [member, piece] : llvm::zip(members, split.getResults())) {
      Operation *last = withBias ? member.biasAdd.getOperation()
                                 : member.matmul.getOperation();
      last->getResult(0).replaceAllUsesWith(piece);
      if (withBias)
        member.biasAdd.erase();
      member.matmul.erase();
    }
  }
};

} // namespace
