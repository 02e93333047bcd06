//===- XFTypes.h - Shape and type rules shared by xf ops --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The shape arithmetic that xf's type inference, verifiers, folders and the
// frontend share: numpy broadcasting, axis normalization, permutations. A
// dynamic dimension is ShapedType::kDynamic and is compatible with any size.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_DIALECT_XF_XFTYPES_H
#define XFC_DIALECT_XF_XFTYPES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeRange.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace xfc::xf {

/// Broadcasts two shapes with numpy rules: right-aligned, a size of 1
/// stretches. A dynamic size against a static size n > 1 gives n (it must be
/// n or 1 at run time); against 1 or another dynamic size it stays dynamic.
/// Returns std::nullopt when two static sizes differ and neither is 1.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// Returns whether `from` broadcasts to exactly `to` (one-directional, as
/// numpy.broadcast_to): `from` has no more dimensions than `to` and each of
/// its right-aligned sizes equals the target's or is 1.
bool broadcastsTo(llvm::ArrayRef<int64_t> from, llvm::ArrayRef<int64_t> to);

/// Maps an axis in [-rank, rank) to [0, rank); std::nullopt when outside.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// The number of elements of a static shape; std::nullopt when the product
/// overflows int64 (a type can claim more elements than exist).
std::optional<int64_t> getElementCount(llvm::ArrayRef<int64_t> shape);

/// Returns whether two sizes may be equal: equal, or either is dynamic.
bool areCompatibleSizes(int64_t lhs, int64_t rhs);

/// Returns whether `perm` is a permutation of [0, perm.size()).
bool isPermutation(llvm::ArrayRef<int64_t> perm);

/// Formats a shape as in a tensor type: "1x?x768", or "scalar" for rank 0.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Returns whether the types inferred for an op's results (`inferred`) are
/// compatible with the written ones (`actual`): same element types and
/// encodings, same ranks, and each size equal or dynamic in the inferred
/// type (a writer may state a size that inference leaves open).
bool areCompatibleReturnTypes(mlir::TypeRange inferred, mlir::TypeRange actual);

/// The permutation of transpose(transpose(x, inner), outer).
mlir::DenseI64ArrayAttr composePermutations(mlir::Builder &builder,
                                            mlir::DenseI64ArrayAttr inner,
                                            mlir::DenseI64ArrayAttr outer);

} // namespace xfc::xf

#endif // XFC_DIALECT_XF_XFTYPES_H
