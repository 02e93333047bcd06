//===- OpsQuant.cpp - Quantized ONNX operators ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// QuantizeLinear / DequantizeLinear become the upstream quant.qcast /
// quant.dcast (with quant.scast to give integer constants their scales),
// their constant scales and zero points folded into !quant.uniform types
// (per tensor, per axis, or blocked = sub-channel). DynamicQuantizeLinear
// computes its scale at run time, so it is spelled out in xf arithmetic;
// MatMulInteger is an i32 matmul of zero-point-corrected operands; and
// com.microsoft MatMulNBits (4-bit blocked weights) is an xf.quant.linear.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "xfc/Dialect/XF/XFTypes.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace xfc::onnx_import {
namespace {

/// The storage of a quantized value: its width and signedness.
struct Storage {
  unsigned width;
  bool isSigned;
};

std::optional<Storage> storageOf(Type type) {
  auto integer = dyn_cast<IntegerType>(type);
  if (!integer || integer.getWidth() == 1 || integer.getWidth() > 32)
    return std::nullopt;
  return Storage{integer.getWidth(), !integer.isUnsigned()};
}

/// ONNX's uint8 constants arrive as ui8; quant types store u8 values in a
/// signless i8 (with the unsigned flag), so reinterpret the bits.
FailureOr<Value> toSignlessStorage(NodeContext &ctx, Value value,
                                   StringRef what) {
  RankedTensorType type = NodeContext::typeOf(value);
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  if (!integer || integer.isSignless())
    return value;
  Type signless = ctx.builder.getIntegerType(integer.getWidth());
  if (DenseElementsAttr constant = NodeContext::getConstant(value))
    return ctx.constant(constant.bitcast(signless));
  if (auto resource = value.getDefiningOp<arith::ConstantOp>())
    if (auto blob = dyn_cast<DenseResourceElementsAttr>(resource.getValue()))
      return ctx.constant(DenseResourceElementsAttr::get(
          type.clone(signless), blob.getRawHandle()));
  return ctx.emitError() << what
                         << " of type uint8 must be a constant; uint8 values "
                            "computed at run time are not supported here";
}

/// Builds the !quant.uniform type that `scale` and `zeroPoint` (constants)
/// describe for a tensor of `rank` dims quantized along `axis` (per axis
/// when there is one scale per element of that dim, blocked when
/// blockSize > 0).
FailureOr<quant::QuantizedType>
buildQuantType(NodeContext &ctx, Value scale, Value zeroPoint, Storage storage,
               Type expressed, ArrayRef<int64_t> shape, int64_t axis,
               int64_t blockSize) {
  DenseElementsAttr scales = NodeContext::getConstant(scale);
  if (!scales || !isa<FloatType>(scales.getElementType()))
    return ctx.emitError() << "the scale must be a floating-point constant";
  DenseElementsAttr zeros =
      zeroPoint ? NodeContext::getConstant(zeroPoint) : DenseElementsAttr();
  if (zeroPoint && !zeros)
    return ctx.emitError() << "the zero point must be a constant";
  if (zeros && zeros.getNumElements() != scales.getNumElements())
    return ctx.emitError() << "the zero point has " << zeros.getNumElements()
                           << " elements but the scale has "
                           << scales.getNumElements();

  unsigned flags = storage.isSigned ? quant::QuantizationFlags::Signed : 0;
  Type storageType = ctx.builder.getIntegerType(storage.width);
  int64_t storageMin =
      storage.isSigned ? -(int64_t(1) << (storage.width - 1)) : 0;
  int64_t storageMax = storage.isSigned
                           ? (int64_t(1) << (storage.width - 1)) - 1
                           : (int64_t(1) << storage.width) - 1;
  SmallVector<double> scaleValues;
  for (const APFloat &value : scales.getValues<APFloat>())
    scaleValues.push_back(value.convertToDouble());
  SmallVector<int64_t> zeroValues(scaleValues.size(), 0);
  if (zeros)
    for (auto [i, value] : llvm::enumerate(zeros.getValues<APInt>()))
      zeroValues[i] = storage.isSigned ? value.getSExtValue()
                                       : static_cast<int64_t>(value.getZExtValue());
  auto emitTypeError = [&] { return ctx.emitError(); };
  int64_t rank = shape.size();

  if (blockSize > 0) {
    FailureOr<int64_t> dim = normalizeAxisOrError(ctx, axis, rank);
    if (failed(dim))
      return failure();
    SmallVector<int64_t> scaleShape(shape);
    scaleShape[*dim] = (shape[*dim] + blockSize - 1) / blockSize;
    if (scales.getType().getShape() != ArrayRef(scaleShape))
      return ctx.emitError() << "blocked scale has shape "
                             << xf::formatShape(scales.getType().getShape())
                             << " but block size " << blockSize
                             << " along axis " << *dim << " needs "
                             << xf::formatShape(scaleShape);
    auto scaleAttr = scales.reshape(RankedTensorType::get(scaleShape, expressed));
    if (scales.getElementType() != expressed)
      return ctx.emitError() << "the scale type must match the output type";
    auto zeroType = RankedTensorType::get(scaleShape, storageType);
    SmallVector<APInt> zeroInts;
    for (int64_t value : zeroValues)
      zeroInts.push_back(APInt(storage.width, value, /*isSigned=*/true));
    auto zeroAttr = DenseElementsAttr::get(zeroType, zeroInts);
    // Every axis gets a block size (1 except the blocked one): the quant
    // dialect treats an axis without one as a single block.
    SmallVector<int32_t> dims;
    SmallVector<int64_t> blockSizes;
    for (int64_t d = 0; d < rank; ++d) {
      dims.push_back(d);
      blockSizes.push_back(d == *dim ? blockSize : 1);
    }
    auto type = quant::UniformQuantizedSubChannelType::getChecked(
        emitTypeError, flags, storageType, expressed, scaleAttr, zeroAttr,
        dims, blockSizes, storageMin, storageMax);
    if (!type)
      return failure();
    return cast<quant::QuantizedType>(type);
  }
  if (scaleValues.size() == 1 && scales.getType().getRank() <= 1) {
    auto type = quant::UniformQuantizedType::getChecked(
        emitTypeError, flags, storageType, expressed, scaleValues[0],
        zeroValues[0], storageMin, storageMax);
    if (!type)
      return failure();
    return cast<quant::QuantizedType>(type);
  }
  FailureOr<int64_t> dim = normalizeAxisOrError(ctx, axis, rank);
  if (failed(dim))
    return failure();
  if (scales.getType().getRank() != 1 ||
      static_cast<int64_t>(scaleValues.size()) != shape[*dim])
    return ctx.emitError() << "per-axis scale has shape "
                           << xf::formatShape(scales.getType().getShape())
                           << " but axis " << *dim << " has size "
                           << shape[*dim];
  auto type = quant::UniformQuantizedPerAxisType::getChecked(
      emitTypeError, flags, storageType, expressed, scaleValues, zeroValues,
      *dim, storageMin, storageMax);
  if (!type)
    return failure();
  return cast<quant::QuantizedType>(type);
}

LogicalResult importQuantizeLinear(NodeContext &ctx) {
  FailureOr<Value> x = ctx.requiredInput(0);
  FailureOr<Value> scale = ctx.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  Value zeroPoint = ctx.input(2);
  RankedTensorType type = NodeContext::typeOf(*x);
  // The result type is the zero point's, else output_dtype, else uint8.
  std::optional<Storage> storage;
  if (zeroPoint) {
    storage = storageOf(NodeContext::typeOf(zeroPoint).getElementType());
  } else {
    int64_t dtype = ctx.getInt("output_dtype", onnx::TensorProto::UINT8);
    Type element = TensorReader::getElementType(*ctx.getContext(), dtype);
    storage = element ? storageOf(element) : std::nullopt;
  }
  if (!storage)
    return ctx.emitError() << "quantized type must be an integer of 2 to 32 "
                              "bits (INT8 or UINT8)";
  FailureOr<quant::QuantizedType> quantType = buildQuantType(
      ctx, *scale, zeroPoint, *storage, type.getElementType(),
      type.getShape(), ctx.getInt("axis", 1), ctx.getInt("block_size", 0));
  if (failed(quantType) || ctx.hasFailed())
    return failure();
  auto op = quant::QuantizeCastOp::create(ctx.builder, ctx.loc,
                                          type.clone(*quantType), *x);
  ctx.setResult(0, op);
  return success();
}

LogicalResult importDequantizeLinear(NodeContext &ctx) {
  FailureOr<Value> x = ctx.requiredInput(0);
  FailureOr<Value> scale = ctx.requiredInput(1);
  if (failed(x) || failed(scale))
    return failure();
  Value zeroPoint = ctx.input(2);
  RankedTensorType type = NodeContext::typeOf(*x);
  Type expressed = NodeContext::typeOf(*scale).getElementType();
  Type element = type.getElementType();
  std::optional<Storage> storage;
  if (auto quantized = dyn_cast<quant::QuantizedType>(element))
    storage = Storage{quantized.getStorageTypeIntegralWidth(),
                      quantized.isSigned()};
  else
    storage = storageOf(element);
  if (!storage)
    return ctx.emitError() << "input must be an integer or quantized tensor";
  FailureOr<quant::QuantizedType> quantType = buildQuantType(
      ctx, *scale, zeroPoint, *storage, expressed, type.getShape(),
      ctx.getInt("axis", 1), ctx.getInt("block_size", 0));
  if (failed(quantType) || ctx.hasFailed())
    return failure();

  Value quantized = *x;
  if (element != *quantType) {
    // Reinterpret the integers (or another quantized view of them) with
    // this node's scales.
    if (isa<quant::QuantizedType>(element))
      quantized = quant::StorageCastOp::create(
          ctx.builder, ctx.loc,
          type.clone(cast<quant::QuantizedType>(element).getStorageType()),
          quantized);
    FailureOr<Value> storageValue =
        toSignlessStorage(ctx, quantized, "the quantized input");
    if (failed(storageValue))
      return failure();
    quantized = quant::StorageCastOp::create(
        ctx.builder, ctx.loc, type.clone(*quantType), *storageValue);
  }
  auto op = quant::DequantizeCastOp::create(ctx.builder, ctx.loc,
                                            type.clone(expressed), quantized);
  ctx.setResult(0, op);
  return success();
}

/// y_scale = (max(x, 0) - min(x, 0)) / 255, y_zero_point = saturate(round(
/// -min / y_scale)), y = saturate(round(x / y_scale) + y_zero_point), as
/// ONNX defines it, all per tensor and at run time.
LogicalResult importDynamicQuantizeLinear(NodeContext &ctx) {
  FailureOr<Value> x = ctx.requiredInput(0);
  if (failed(x))
    return failure();
  RankedTensorType type = NodeContext::typeOf(*x);
  Type f32 = type.getElementType();
  if (!f32.isF32())
    return ctx.emitError() << "input must be float32";
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  auto axes = ctx.builder.getNamedAttr("axes",
                                       ctx.builder.getDenseI64ArrayAttr(all));
  Value zero = ctx.scalar(f32, 0), top = ctx.scalar(f32, 255);
  Value input = *x;
  if (type.getRank() == 0) {
    FailureOr<Value> one = reshapeTo(ctx, input, {1});
    if (failed(one))
      return failure();
    input = *one;
    axes = ctx.builder.getNamedAttr("axes", ctx.builder.getDenseI64ArrayAttr({0}));
  }
  // min(x) = -max(-x); both ranges include 0.
  FailureOr<Value> maxX = ctx.createValue<xf::ReduceMaxOp>({input}, {axes});
  FailureOr<Value> negX = ctx.createValue<xf::NegOp>({input});
  if (failed(maxX) || failed(negX))
    return failure();
  FailureOr<Value> maxNeg = ctx.createValue<xf::ReduceMaxOp>({*negX}, {axes});
  if (failed(maxNeg))
    return failure();
  auto minX = xf::NegOp::create(ctx.builder, ctx.loc, maxNeg->getType(), *maxNeg);
  FailureOr<Value> hi = ctx.createValue<xf::MaxOp>({*maxX, zero});
  FailureOr<Value> lo = ctx.createValue<xf::MinOp>({minX, zero});
  if (failed(hi) || failed(lo))
    return failure();
  FailureOr<Value> range = ctx.createValue<xf::SubOp>({*hi, *lo});
  FailureOr<Value> yScale =
      succeeded(range) ? ctx.createValue<xf::DivOp>({*range, top}) : range;
  FailureOr<Value> ratio =
      succeeded(yScale) ? ctx.createValue<xf::DivOp>({*lo, *yScale}) : yScale;
  if (failed(ratio))
    return failure();
  auto negRatio =
      xf::NegOp::create(ctx.builder, ctx.loc, ratio->getType(), *ratio);
  auto roundedZero =
      xf::RoundOp::create(ctx.builder, ctx.loc, negRatio.getType(), negRatio);
  FailureOr<Value> zp = ctx.createValue<xf::MaxOp>({roundedZero, zero});
  if (succeeded(zp))
    zp = ctx.createValue<xf::MinOp>({*zp, top});
  FailureOr<Value> scaled =
      succeeded(zp) ? ctx.createValue<xf::DivOp>({input, *yScale}) : zp;
  if (failed(scaled))
    return failure();
  auto rounded =
      xf::RoundOp::create(ctx.builder, ctx.loc, scaled->getType(), *scaled);
  FailureOr<Value> shifted = ctx.createValue<xf::AddOp>({rounded, *zp});
  if (succeeded(shifted))
    shifted = ctx.createValue<xf::MaxOp>({*shifted, zero});
  if (succeeded(shifted))
    shifted = ctx.createValue<xf::MinOp>({*shifted, top});
  if (failed(shifted))
    return failure();
  Type u8 = ctx.builder.getIntegerType(8, /*isSigned=*/false);
  Value y = xf::CastOp::create(ctx.builder, ctx.loc,
                               type.clone(u8), *shifted);
  if (type.getRank() == 0) {
    FailureOr<Value> scalar = reshapeTo(ctx, y, {});
    if (failed(scalar))
      return failure();
    y = *scalar;
  }
  Value zpU8 = xf::CastOp::create(
      ctx.builder, ctx.loc, RankedTensorType::get({}, u8), *zp);
  ctx.setResult(0, y);
  ctx.setResult(1, *yScale);
  ctx.setResult(2, zpU8);
  return success();
}

/// (A - a_zero_point) · (B - b_zero_point) in int32.
LogicalResult importMatMulInteger(NodeContext &ctx) {
  FailureOr<Value> a = ctx.requiredInput(0);
  FailureOr<Value> b = ctx.requiredInput(1);
  if (failed(a) || failed(b))
    return failure();
  Type i32 = ctx.builder.getI32Type();
  auto widen = [&](Value value) -> Value {
    RankedTensorType type = NodeContext::typeOf(value);
    return ctx.foldValue(
        xf::CastOp::create(ctx.builder, ctx.loc, type.clone(i32), value));
  };
  Value lhs = widen(*a), rhs = widen(*b);
  if (Value zp = ctx.input(2)) {
    Value zp32 = widen(zp);
    // A per-row zero point [M] applies along A's rows, not its last dim.
    RankedTensorType zpType = NodeContext::typeOf(zp32);
    if (zpType.getRank() == 1 && zpType.getDimSize(0) > 1) {
      FailureOr<Value> column = reshapeTo(ctx, zp32, {zpType.getDimSize(0), 1});
      if (failed(column))
        return failure();
      zp32 = *column;
    }
    FailureOr<Value> corrected = ctx.createValue<xf::SubOp>({lhs, zp32});
    if (failed(corrected))
      return failure();
    lhs = *corrected;
  }
  if (Value zp = ctx.input(3)) {
    FailureOr<Value> corrected = ctx.createValue<xf::SubOp>({rhs, widen(zp)});
    if (failed(corrected))
      return failure();
    rhs = *corrected;
  }
  FailureOr<Value> result = ctx.createValue<xf::MatmulOp>({lhs, rhs});
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

/// com.microsoft MatMulNBits: A[..., K] · dequant(B)ᵀ with B [N, K/block,
/// block·bits/8] packed little nibble first, scales [N·K/block], optional
/// packed zero points (default 2^(bits-1)). The weight becomes an i8
/// constant of unpacked values under a sub-channel quant type with storage
/// range [0, 2^bits - 1].
LogicalResult importMatMulNBits(NodeContext &ctx) {
  FailureOr<Value> a = ctx.requiredInput(0);
  FailureOr<Value> packedValue = ctx.requiredInput(1);
  FailureOr<Value> scaleValue = ctx.requiredInput(2);
  if (failed(a) || failed(packedValue) || failed(scaleValue))
    return failure();
  int64_t k = ctx.getInt("K", 0), n = ctx.getInt("N", 0);
  int64_t bits = ctx.getInt("bits", 4), block = ctx.getInt("block_size", 0);
  if (ctx.hasFailed())
    return failure();
  if (bits != 4 && bits != 8)
    return ctx.emitError() << "bits = " << bits << " is not supported (4 or 8)";
  if (k <= 0 || n <= 0 || block < 16 || (block & (block - 1)) != 0)
    return ctx.emitError() << "K and N must be positive and block_size a "
                              "power of two >= 16";
  if (ctx.input(4))
    return ctx.emitError() << "g_idx (act-order) is not supported";
  int64_t blocks = (k + block - 1) / block;
  int64_t blobSize = block * bits / 8;
  auto weights = NodeContext::getConstant(*packedValue);
  auto scales = NodeContext::getConstant(*scaleValue);
  if (!weights || !scales)
    return ctx.emitError() << "the packed weight and scales must be constants";
  if (weights.getNumElements() != n * blocks * blobSize ||
      scales.getNumElements() != n * blocks)
    return ctx.emitError() << "packed weight or scales do not match N = " << n
                           << ", K = " << k << ", block_size = " << block;
  Type expressed = NodeContext::typeOf(*a).getElementType();
  if (scales.getElementType() != expressed)
    return ctx.emitError() << "scales must have the input's element type";

  SmallVector<uint8_t> packed;
  for (const APInt &byte : weights.getValues<APInt>())
    packed.push_back(static_cast<uint8_t>(byte.getZExtValue()));
  auto nibble = [&](ArrayRef<uint8_t> bytes, int64_t index) -> int64_t {
    if (bits == 8)
      return bytes[index];
    uint8_t byte = bytes[index / 2];
    return index % 2 == 0 ? (byte & 0xF) : (byte >> 4);
  };
  std::vector<char> unpacked(n * k);
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < k; ++col) {
      int64_t blobIndex = (row * blocks + col / block) * blobSize;
      unpacked[row * k + col] = static_cast<char>(
          nibble(ArrayRef(packed).drop_front(blobIndex), col % block));
    }

  SmallVector<int64_t> zeroValues(n * blocks, int64_t(1) << (bits - 1));
  if (Value zpValue = ctx.input(3)) {
    auto zeros = NodeContext::getConstant(zpValue);
    if (!zeros || !isa<IntegerType>(zeros.getElementType()))
      return ctx.emitError() << "zero points must be a packed uint8 constant";
    SmallVector<uint8_t> zpBytes;
    for (const APInt &byte : zeros.getValues<APInt>())
      zpBytes.push_back(static_cast<uint8_t>(byte.getZExtValue()));
    int64_t perRow = bits == 8 ? blocks : (blocks + 1) / 2;
    if (static_cast<int64_t>(zpBytes.size()) != n * perRow)
      return ctx.emitError() << "zero points have " << zpBytes.size()
                             << " bytes but N x ceil(blocks * bits / 8) is "
                             << n * perRow;
    for (int64_t row = 0; row < n; ++row)
      for (int64_t col = 0; col < blocks; ++col)
        zeroValues[row * blocks + col] =
            nibble(ArrayRef(zpBytes).drop_front(row * perRow), col);
  }

  Type i8 = ctx.builder.getIntegerType(8);
  auto scaleAttr = scales.reshape(RankedTensorType::get({n, blocks}, expressed));
  SmallVector<APInt> zeroInts;
  for (int64_t value : zeroValues)
    zeroInts.push_back(APInt(8, value));
  auto zeroAttr =
      DenseElementsAttr::get(RankedTensorType::get({n, blocks}, i8), zeroInts);
  auto quantType = quant::UniformQuantizedSubChannelType::getChecked(
      [&] { return ctx.emitError(); }, /*flags=*/0, i8, expressed, scaleAttr,
      zeroAttr, {0, 1}, {1, block}, 0, (int64_t(1) << bits) - 1);
  if (!quantType)
    return failure();
  // The padded tail of the last block is dropped with the slice of columns.
  auto storageType = RankedTensorType::get({n, k}, i8);
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(unpacked.data(), unpacked.size()), 64);
  Value weight = ctx.constant(DenseResourceElementsAttr::get(
      storageType,
      ctx.node.input(1).empty() ? "weight" : ctx.node.input(1),
      std::move(blob)));
  if (k % block != 0)
    return ctx.emitError() << "K = " << k << " must be a multiple of "
                           << "block_size = " << block;
  Value quantWeight = quant::StorageCastOp::create(
      ctx.builder, ctx.loc, storageType.clone(quantType), weight);
  SmallVector<Value> operands = {*a, quantWeight};
  if (Value bias = ctx.input(5))
    operands.push_back(bias);
  FailureOr<Value> result = ctx.createValue<xf::QuantLinearOp>(operands);
  if (failed(result))
    return failure();
  ctx.setResult(0, *result);
  return success();
}

} // namespace

void registerQuantImporters(llvm::StringMap<OpImporter> &table,
                            llvm::StringMap<OpImporter> &microsoftTable) {
  table["QuantizeLinear"] = importQuantizeLinear;
  table["DequantizeLinear"] = importDequantizeLinear;
  table["DynamicQuantizeLinear"] = importDynamicQuantizeLinear;
  table["MatMulInteger"] = importMatMulInteger;
  microsoftTable["MatMulNBits"] = importMatMulNBits;
}

} // namespace xfc::onnx_import
