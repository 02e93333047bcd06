//===- XFTypesTest.cpp - Broadcasting and shape rules ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Dialect/XF/XFTypes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace xfc::xf;
using llvm::SmallVector;

static constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

namespace {

SmallVector<int64_t> broadcast(llvm::ArrayRef<int64_t> a,
                               llvm::ArrayRef<int64_t> b) {
  auto result = broadcastShapes(a, b);
  EXPECT_TRUE(result.has_value());
  return result.value_or(SmallVector<int64_t>{});
}

TEST(BroadcastShapes, NumpyRules) {
  EXPECT_EQ(broadcast({2, 3}, {2, 3}), (SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(broadcast({2, 1, 4}, {3, 1}), (SmallVector<int64_t>{2, 3, 4}));
  EXPECT_EQ(broadcast({}, {5, 6}), (SmallVector<int64_t>{5, 6}));
  EXPECT_EQ(broadcast({1}, {}), (SmallVector<int64_t>{1}));
  EXPECT_EQ(broadcast({0}, {1}), (SmallVector<int64_t>{0}));
  EXPECT_FALSE(broadcastShapes({2, 3}, {3, 2}).has_value());
  EXPECT_FALSE(broadcastShapes({0}, {2}).has_value());
}

TEST(BroadcastShapes, IsSymmetric) {
  const SmallVector<int64_t> shapes[] = {{1, 8}, {4, 1}, {kDyn, 1}, {8}, {}};
  for (const auto &a : shapes)
    for (const auto &b : shapes)
      EXPECT_EQ(broadcastShapes(a, b), broadcastShapes(b, a));
}

TEST(BroadcastShapes, DynamicDims) {
  // A dynamic size against n > 1 must be n (or 1) at run time.
  EXPECT_EQ(broadcast({kDyn}, {4}), (SmallVector<int64_t>{4}));
  EXPECT_EQ(broadcast({kDyn}, {1}), (SmallVector<int64_t>{kDyn}));
  EXPECT_EQ(broadcast({kDyn, 3}, {kDyn, 1}), (SmallVector<int64_t>{kDyn, 3}));
}

TEST(BroadcastsTo, OneDirectional) {
  EXPECT_TRUE(broadcastsTo({1, 4}, {3, 4}));
  EXPECT_TRUE(broadcastsTo({4}, {2, 3, 4}));
  EXPECT_TRUE(broadcastsTo({kDyn}, {7}));
  EXPECT_FALSE(broadcastsTo({3, 4}, {1, 4}));
  EXPECT_FALSE(broadcastsTo({2, 4}, {4}));
}

TEST(NormalizeAxis, Range) {
  EXPECT_EQ(normalizeAxis(-1, 3), 2);
  EXPECT_EQ(normalizeAxis(-3, 3), 0);
  EXPECT_EQ(normalizeAxis(2, 3), 2);
  EXPECT_FALSE(normalizeAxis(3, 3).has_value());
  EXPECT_FALSE(normalizeAxis(-4, 3).has_value());
  EXPECT_FALSE(normalizeAxis(0, 0).has_value());
}

TEST(Permutations, ValidateAndCompose) {
  EXPECT_TRUE(isPermutation({2, 0, 1}));
  EXPECT_FALSE(isPermutation({0, 0, 1}));
  EXPECT_FALSE(isPermutation({0, 3, 1}));
  EXPECT_FALSE(isPermutation({-1, 0}));

  mlir::MLIRContext context;
  mlir::Builder builder(&context);
  // [1, 2, 0] then [1, 2, 0] again is [2, 0, 1]; with its inverse, identity.
  auto rotate = builder.getDenseI64ArrayAttr({1, 2, 0});
  auto inverse = builder.getDenseI64ArrayAttr({2, 0, 1});
  EXPECT_EQ(composePermutations(builder, rotate, rotate).asArrayRef(),
            llvm::ArrayRef<int64_t>({2, 0, 1}));
  EXPECT_EQ(composePermutations(builder, rotate, inverse).asArrayRef(),
            llvm::ArrayRef<int64_t>({0, 1, 2}));
}

TEST(ElementCount, DetectsOverflow) {
  EXPECT_EQ(getElementCount({2, 3, 4}), 24);
  EXPECT_EQ(getElementCount({}), 1);
  EXPECT_EQ(getElementCount({0, 1ll << 62}), 0);
  EXPECT_FALSE(getElementCount({1ll << 32, 1ll << 32}).has_value());
}

TEST(FormatShape, LikeTensorTypes) {
  EXPECT_EQ(formatShape({1, kDyn, 768}), "1x?x768");
  EXPECT_EQ(formatShape({}), "scalar");
}

TEST(CompatibleReturnTypes, WrittenMayRefineDynamic) {
  mlir::MLIRContext context;
  auto f32 = mlir::Float32Type::get(&context);
  auto dynamic = mlir::RankedTensorType::get({kDyn, 4}, f32);
  auto fixed = mlir::RankedTensorType::get({2, 4}, f32);
  auto other = mlir::RankedTensorType::get({3, 4}, f32);
  EXPECT_TRUE(areCompatibleReturnTypes({dynamic}, {fixed}));
  EXPECT_FALSE(areCompatibleReturnTypes({fixed}, {dynamic}));
  EXPECT_FALSE(areCompatibleReturnTypes({fixed}, {other}));
}

} // namespace
