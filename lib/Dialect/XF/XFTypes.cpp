//===- XFTypes.cpp - Shape and type rules shared by xf ops ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFTypes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;

namespace xfc::xf {

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                    ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Walk from the back: missing leading dimensions act as 1.
    int64_t l = i < lhs.size() ? lhs[lhs.size() - 1 - i] : 1;
    int64_t r = i < rhs.size() ? rhs[rhs.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (l == 1) {
      out = r;
    } else if (r == 1) {
      out = l;
    } else if (ShapedType::isDynamic(l)) {
      out = r;
    } else if (ShapedType::isDynamic(r) || l == r) {
      out = l;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t lead = to.size() - from.size();
  for (auto [i, size] : llvm::enumerate(from))
    if (size != 1 && !areCompatibleSizes(size, to[lead + i]))
      return false;
  return true;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> getElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t size : shape) {
    std::optional<int64_t> product = llvm::checkedMul(count, size);
    if (!product)
      return std::nullopt;
    count = *product;
  }
  return count;
}

bool areCompatibleSizes(int64_t lhs, int64_t rhs) {
  return lhs == rhs || ShapedType::isDynamic(lhs) || ShapedType::isDynamic(rhs);
}

bool isPermutation(ArrayRef<int64_t> perm) {
  llvm::SmallBitVector seen(perm.size());
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen.test(p))
      return false;
    seen.set(p);
  }
  return true;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(
      shape, os,
      [&](int64_t size) {
        if (ShapedType::isDynamic(size))
          os << '?';
        else
          os << size;
      },
      "x");
  return text;
}

bool areCompatibleReturnTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [inferredType, actualType] : llvm::zip(inferred, actual)) {
    if (inferredType == actualType)
      continue;
    auto lhs = dyn_cast<RankedTensorType>(inferredType);
    auto rhs = dyn_cast<RankedTensorType>(actualType);
    if (!lhs || !rhs || lhs.getElementType() != rhs.getElementType() ||
        lhs.getEncoding() != rhs.getEncoding() ||
        lhs.getRank() != rhs.getRank())
      return false;
    for (auto [l, r] : llvm::zip(lhs.getShape(), rhs.getShape()))
      if (!ShapedType::isDynamic(l) && l != r)
        return false;
  }
  return true;
}

DenseI64ArrayAttr composePermutations(Builder &builder, DenseI64ArrayAttr inner,
                                      DenseI64ArrayAttr outer) {
  // outer picks dimensions of inner's result, which picks dimensions of x.
  SmallVector<int64_t> composed;
  for (int64_t dim : outer.asArrayRef())
    composed.push_back(inner[dim]);
  return builder.getDenseI64ArrayAttr(composed);
}

} // namespace xfc::xf
