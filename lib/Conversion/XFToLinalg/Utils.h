//===- Utils.h - Helpers shared by the xf-to-linalg patterns ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Builders the pattern files share: broadcasting indexing maps, empty and
// filled tensors, elementwise and reduction linalg.generic ops, scalar
// conversions. Private to lib/Conversion/XFToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_LIB_CONVERSION_XFTOLINALG_UTILS_H
#define XFC_LIB_CONVERSION_XFTOLINALG_UTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"

namespace xfc::xftolinalg {

/// Builds the scalar body of a linalg.generic from its block arguments
/// (inputs, then outputs) and returns the value(s) to yield.
using ScalarBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// The error every pattern reports for a dynamic dimension, so the message
/// is the same for every op.
llvm::LogicalResult
notifyDynamicShape(mlir::ConversionPatternRewriter &rewriter,
                   mlir::Operation *op);

/// True when every operand and result of `op` that is a tensor has a static
/// shape: the patterns compute loop bounds and reassociations from shapes.
bool hasStaticShapes(mlir::Operation *op);

/// The indexing map that reads an operand of `shape` inside a loop nest
/// over `loopShape` with numpy broadcasting: dimensions align to the right
/// of the first `loopShape.size()` loops (`firstLoop` offsets them), and a
/// size-1 dimension facing a larger loop reads index 0.
mlir::AffineMap getBroadcastMap(mlir::MLIRContext *context,
                                llvm::ArrayRef<int64_t> shape,
                                llvm::ArrayRef<int64_t> loopShape,
                                unsigned numLoops, unsigned firstLoop = 0);

/// `tensor.empty` of a static shape.
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<int64_t> shape, mlir::Type elementType);

/// A static-shaped tensor filled with `value` (tensor.empty + linalg.fill).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<int64_t> shape, mlir::Value value);

/// A scalar `arith.constant` of `type` (float or integer) holding `value`.
mlir::Value createConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// The identity of max: -inf for floats, the smallest signed integer.
mlir::Value createLowest(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Type type);

/// The type arithmetic on `elementType` runs in inside composite ops
/// (activations, normalizations, softmax, attention, contractions): `f32`
/// for floats narrower than 32 bits, so f16/bf16 keep f32 accuracy in
/// sums and transcendental functions; the type itself otherwise.
mlir::Type getComputeType(mlir::Type elementType);

/// Converts a float or integer scalar to `to`: extf/truncf, sitofp/uitofp,
/// fptosi/fptoui, extsi/extui/trunci, and `!= 0` for `i1` targets.
/// `isUnsigned` says how to read an integer source, `toUnsigned` how to
/// produce an integer target (`i1` sources are always read as unsigned).
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::Type to,
                          bool isUnsigned = false, bool toUnsigned = false);

/// A linalg.generic over the static `resultType` shape with all loops
/// parallel; `inputs` are read with broadcasting maps.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::ValueRange inputs,
                             mlir::RankedTensorType resultType,
                             ScalarBuilder body);

/// A linalg.generic over `loopShape` whose inputs and single output are
/// read through the given maps; `init` is the output's initial value.
/// `reductionDims` lists the loops that are reductions.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::ValueRange inputs,
                         llvm::ArrayRef<mlir::AffineMap> inputMaps,
                         mlir::Value init, mlir::AffineMap outputMap,
                         llvm::ArrayRef<int64_t> reductionDims,
                         ScalarBuilder body);

/// `tensor.expand_shape` / `tensor.collapse_shape` between static shapes
/// with the same element count: one op when the shapes refine each other,
/// otherwise a collapse to 1-D followed by an expand.
mlir::Value reshapeStatic(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, mlir::RankedTensorType resultType);

/// `tensor.extract_slice` of `size` elements starting at `offset` with
/// `stride` along `dim`, the whole extent elsewhere.
mlir::Value sliceAlong(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, int64_t dim, int64_t offset,
                       int64_t size, int64_t stride = 1);

/// Normalizes a verified `axis` in `[-rank, rank)` to `[0, rank)`.
inline int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Pattern families, one populate function per file
//===----------------------------------------------------------------------===//

void populateElementwisePatterns(mlir::TypeConverter &typeConverter,
                                 mlir::RewritePatternSet &patterns);
void populateContractionPatterns(mlir::TypeConverter &typeConverter,
                                 mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::TypeConverter &typeConverter,
                                   mlir::RewritePatternSet &patterns);
void populateShapePatterns(mlir::TypeConverter &typeConverter,
                           mlir::RewritePatternSet &patterns);
void populateAttentionPatterns(mlir::TypeConverter &typeConverter,
                               mlir::RewritePatternSet &patterns);
void populateQuantPatterns(mlir::TypeConverter &typeConverter,
                           mlir::RewritePatternSet &patterns);

/// True for the quant.qcast ops populateQuantPatterns lowers (static
/// per-tensor and per-axis); the pass keeps the others legal for
/// --lower-quant-ops.
bool isLoweredQuantizeCast(mlir::quant::QuantizeCastOp op);

/// The float contraction `input[..., K] · weight[N, K]ᵀ (+ bias[N])` that
/// `xf.linear` and the dequantized `xf.quant.linear` share; accumulates in
/// getComputeType and returns a tensor of `resultType`.
mlir::Value buildLinear(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value input, mlir::Value weight, mlir::Value bias,
                        mlir::RankedTensorType resultType);

/// Max-subtracted softmax of `input` along `axis`, computed in
/// getComputeType and returned with `resultElementType` elements; the
/// softmax pattern and attention's decomposition share it.
mlir::Value buildSoftmax(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, int64_t axis,
                         mlir::Type resultElementType);

} // namespace xfc::xftolinalg

#endif // XFC_LIB_CONVERSION_XFTOLINALG_UTILS_H
