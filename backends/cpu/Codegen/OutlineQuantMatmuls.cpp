//===- OutlineQuantMatmuls.cpp - xf.quant.linear through the runtime ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf.quant.linear runs as the runtime's quantized GEMM (oneDNN's int8
// matmul with VNNI for W8A8, its own dequantize-in-GEMM kernel for
// weight-only int8/int4), in the same three steps as attention:
//   xfc-cpu-outline-quant-matmuls  tensors: a call to a kernel declaration,
//                                  with the weights repacked for the
//                                  runtime as new constants;
//   xfc-cpu-kernel-out-params      after bufferization (KernelOutParams.cpp);
//   xfc-cpu-call-quant-matmuls     after deallocation: a call through the
//                                  runtime and a `qmatmul` metadata line.
// Everything that can be computed once is computed here: W8A8's combined
// scales and the zero-point compensation folded into the bias, weight-only
// offsets `-scale · zero_point`, int4 nibbles packed two per byte.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Passes.h"

#include "RuntimeCalls.h"

#include "xfc/Dialect/XF/QuantGrid.h"
#include "xfc/Dialect/XF/XFOps.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace xfc::cpu {
#define GEN_PASS_DEF_CPUOUTLINEQUANTMATMULSPASS
#define GEN_PASS_DEF_CPUCALLQUANTMATMULSPASS
#include "xfc/Backends/CPU/Passes.h.inc"
} // namespace xfc::cpu

using namespace mlir;
using namespace xfc::cpu;
namespace xf = xfc::xf;

namespace {

/// Constants smaller than this stay inline after xfc-cpu-bind-weights;
/// the runtime reads every operand from the weights file, so the repacked
/// constants are padded up to it.
constexpr int64_t kMinWeightBytes = 256;

/// What the runtime's GEMM needs, computed from one xf.quant.linear.
struct QuantMatmulPlan {
  std::string kind;
  /// The f32 input [..., K] (before any quant.qcast).
  Value input;
  int64_t n = 0, k = 0;
  /// W8A8's activation quantization.
  double inputScale = 0;
  int64_t inputZeroPoint = 0;
  int64_t group = 0;
  std::vector<int8_t> weight;
  std::vector<float> scales, offsets, bias;
};

/// The integers of a `quant.scast` of an i8 constant [N, K].
std::optional<ArrayRef<int8_t>> getStorage(Value weight, int64_t count) {
  auto cast = weight.getDefiningOp<quant::StorageCastOp>();
  if (!cast)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(cast.getInput().getType());
  if (!type || !type.getElementType().isInteger(8))
    return std::nullopt;
  std::optional<ArrayRef<char>> bytes = xfc::getConstantBytes(cast.getInput());
  if (!bytes || static_cast<int64_t>(bytes->size()) != count)
    return std::nullopt;
  return ArrayRef(reinterpret_cast<const int8_t *>(bytes->data()), count);
}

/// The f32 values of a constant bias [N]; an empty vector when absent.
std::optional<std::vector<float>> getBias(Value bias, int64_t n) {
  if (!bias)
    return std::vector<float>();
  auto type = cast<RankedTensorType>(bias.getType());
  if (!type.getElementType().isF32())
    return std::nullopt;
  if (auto constant = bias.getDefiningOp<arith::ConstantOp>())
    if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
      std::vector<float> values;
      for (APFloat value : dense.getValues<APFloat>())
        values.push_back(value.convertToFloat());
      if (static_cast<int64_t>(values.size()) == n)
        return values;
      return std::nullopt;
    }
  std::optional<ArrayRef<char>> bytes = xfc::getConstantBytes(bias);
  if (!bytes || static_cast<int64_t>(bytes->size()) != 4 * n)
    return std::nullopt;
  std::vector<float> values(n);
  std::memcpy(values.data(), bytes->data(), 4 * n);
  return values;
}

/// The runtime plan for `op`, or failure when the runtime cannot run it
/// (it then keeps the reference lowering).
FailureOr<QuantMatmulPlan> planQuantMatmul(xf::QuantLinearOp op) {
  QuantMatmulPlan plan;
  auto weightType = op.getWeight().getType();
  auto inputType = op.getInput().getType();
  if (!weightType.hasStaticShape() || !inputType.hasStaticShape() ||
      !op.getType().getElementType().isF32())
    return failure();
  plan.n = weightType.getDimSize(0);
  plan.k = weightType.getDimSize(1);
  auto quantType = cast<quant::QuantizedType>(weightType.getElementType());
  FailureOr<xf::QuantGrid> grid =
      xf::getQuantGrid(quantType, weightType.getShape());
  std::optional<ArrayRef<int8_t>> storage =
      getStorage(op.getWeight(), plan.n * plan.k);
  std::optional<std::vector<float>> bias = getBias(op.getBias(), plan.n);
  if (failed(grid) || !storage || !bias ||
      quantType.getStorageTypeIntegralWidth() > 8)
    return failure();
  int64_t storageMin = quantType.getStorageTypeMin();
  int64_t storageMax = quantType.getStorageTypeMax();
  // The (scale, zero point) of weight element (n, k).
  auto rowOf = [&](int64_t row) { return grid->shape[0] == 1 ? 0 : row; };
  int64_t groups = grid->shape[1];

  auto inputQuant = dyn_cast<quant::UniformQuantizedType>(
      inputType.getElementType());
  bool perChannel = groups == 1;
  bool symmetric = llvm::all_of(grid->zeroPoints,
                                [](double zeroPoint) { return zeroPoint == 0; });
  bool signedByte = quantType.isSigned() && storageMin >= -128 &&
                    storageMax <= 127;

  if (inputQuant || op.getDynamicInput()) {
    // Integer GEMM: s8 weights without zero points, one scale per channel.
    if (!perChannel || !symmetric || !signedByte)
      return failure();
    plan.weight.assign(storage->begin(), storage->end());
    for (int64_t row = 0; row < plan.n; ++row)
      plan.scales.push_back(grid->scales[rowOf(row)]);
    plan.bias = *bias;
    if (op.getDynamicInput()) {
      plan.kind = "w8a8-dynamic";
      plan.input = op.getInput();
      return plan;
    }
    auto qcast = op.getInput().getDefiningOp<quant::QuantizeCastOp>();
    if (!qcast || inputQuant.getStorageTypeIntegralWidth() != 8 ||
        !cast<RankedTensorType>(qcast.getInput().getType())
             .getElementType()
             .isF32())
      return failure();
    plan.kind = "w8a8";
    plan.input = qcast.getInput();
    plan.inputScale = inputQuant.getScale();
    // An int8 activation is its uint8 value minus 128, saturation included.
    plan.inputZeroPoint =
        inputQuant.getZeroPoint() + (inputQuant.isSigned() ? 128 : 0);
    if (inputQuant.getStorageTypeMin() != (inputQuant.isSigned() ? -128 : 0) ||
        inputQuant.getStorageTypeMax() != (inputQuant.isSigned() ? 127 : 255))
      return failure();
    // C = S·s_w[n]·Σ (q_x - Z)·q_w + b = scales[n]·acc + (b - Z·scales[n]·Σ q_w).
    if (plan.bias.empty())
      plan.bias.assign(plan.n, 0.0f);
    for (int64_t row = 0; row < plan.n; ++row) {
      double scale = plan.scales[row] * plan.inputScale;
      int64_t columnSum = 0;
      for (int64_t col = 0; col < plan.k; ++col)
        columnSum += (*storage)[row * plan.k + col];
      plan.scales[row] = static_cast<float>(scale);
      plan.bias[row] = static_cast<float>(
          plan.bias[row] - plan.inputZeroPoint * scale * columnSum);
    }
    return plan;
  }

  // Weight-only: w = scale · (q - zp) = scale · stored - scale · (shift + zp)
  // with stored = q + shift in the runtime's format.
  bool fourBit = storageMax - storageMin <= 15;
  if (fourBit && plan.k % 2 != 0)
    return failure();
  plan.kind = fourBit ? "w4" : "w8";
  plan.input = op.getInput();
  plan.group = plan.k / groups;
  int64_t shift = fourBit ? -storageMin : (quantType.isSigned() ? 0 : -128);
  for (int64_t row = 0; row < plan.n; ++row)
    for (int64_t g = 0; g < groups; ++g) {
      int64_t index = rowOf(row) * groups + g;
      double scale = grid->scales[index];
      plan.scales.push_back(static_cast<float>(scale));
      plan.offsets.push_back(
          static_cast<float>(-scale * (shift + grid->zeroPoints[index])));
    }
  if (llvm::all_of(plan.offsets, [](float offset) { return offset == 0; }))
    plan.offsets.clear();
  auto stored = [&](int64_t index) {
    int64_t q = (*storage)[index];
    if (!quantType.isSigned())
      q = static_cast<uint8_t>(q);
    return q + shift;
  };
  if (fourBit) {
    plan.weight.assign(plan.n * plan.k / 2, 0);
    for (int64_t i = 0; i < plan.n * plan.k; i += 2)
      plan.weight[i / 2] =
          static_cast<int8_t>(stored(i) | (stored(i + 1) << 4));
  } else {
    for (int64_t i = 0; i < plan.n * plan.k; ++i)
      plan.weight.push_back(static_cast<int8_t>(stored(i)));
  }
  plan.bias = *bias;
  return plan;
}

/// A constant holding `values`, padded to kMinWeightBytes so that
/// xfc-cpu-bind-weights moves it into the weights file.
template <typename T>
Value createWeight(OpBuilder &b, Location loc, ArrayRef<T> values,
                   Type elementType, StringRef name) {
  int64_t count = std::max<int64_t>(
      values.size(), (kMinWeightBytes + sizeof(T) - 1) / sizeof(T));
  std::vector<char> bytes(count * sizeof(T), 0);
  std::memcpy(bytes.data(), values.data(), values.size() * sizeof(T));
  auto blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(bytes.data(), bytes.size()), 64);
  return arith::ConstantOp::create(
      b, loc,
      DenseResourceElementsAttr::get(RankedTensorType::get({count}, elementType),
                                     name, std::move(blob)));
}

/// What the runtime applies to the result before writing it, when the
/// result's only user is one: "gelu_erf"/"gelu_tanh", or "add" of another
/// value (returned as `residual`).
std::pair<std::string, Operation *> matchEpilogue(xf::QuantLinearOp op,
                                                  Value &residual) {
  Value result = op.getResult();
  if (!result.hasOneUse())
    return {"-", nullptr};
  Operation *user = *result.getUsers().begin();
  if (auto gelu = dyn_cast<xf::GeluOp>(user))
    return {gelu.getApproximate() == xf::GeluApproximation::None ? "gelu_erf"
                                                                 : "gelu_tanh",
            gelu};
  if (auto add = dyn_cast<xf::AddOp>(user)) {
    Value other = add.getLhs() == result ? add.getRhs() : add.getLhs();
    if (other != result && other.getType() == result.getType() &&
        add.getType() == result.getType()) {
      residual = other;
      return {"add", add};
    }
  }
  return {"-", nullptr};
}

struct CPUOutlineQuantMatmulsPass
    : xfc::cpu::impl::CPUOutlineQuantMatmulsPassBase<
          CPUOutlineQuantMatmulsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<xf::QuantLinearOp> ops;
    module.walk([&](xf::QuantLinearOp op) { ops.push_back(op); });
    DenseMap<std::pair<Type, Attribute>, func::FuncOp> declarations;
    for (xf::QuantLinearOp op : ops) {
      FailureOr<QuantMatmulPlan> plan = planQuantMatmul(op);
      if (failed(plan))
        continue;
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value residual;
      auto [act, epilogue] = matchEpilogue(op, residual);
      auto inputType = cast<RankedTensorType>(plan->input.getType());
      int64_t m = inputType.getNumElements() / plan->k;
      Type f32 = b.getF32Type();
      auto flat = [&](Value value, int64_t columns) -> Value {
        auto type = RankedTensorType::get({m, columns}, f32);
        return value.getType() == type
                   ? value
                   : xf::ReshapeOp::create(b, loc, type, value).getResult();
      };
      SmallVector<Value> operands = {
          flat(plan->input, plan->k),
          createWeight<int8_t>(b, loc, plan->weight, b.getIntegerType(8),
                               "xf_qmatmul_weight"),
          createWeight<float>(b, loc, plan->scales, f32, "xf_qmatmul_scales")};
      if (!plan->offsets.empty())
        operands.push_back(createWeight<float>(b, loc, plan->offsets, f32,
                                               "xf_qmatmul_offsets"));
      if (!plan->bias.empty())
        operands.push_back(
            createWeight<float>(b, loc, plan->bias, f32, "xf_qmatmul_bias"));
      if (residual)
        operands.push_back(flat(residual, plan->n));
      auto attrs = b.getDictionaryAttr({
          b.getNamedAttr("kind", b.getStringAttr(plan->kind)),
          b.getNamedAttr("n", b.getI64IntegerAttr(plan->n)),
          b.getNamedAttr("k", b.getI64IntegerAttr(plan->k)),
          b.getNamedAttr("group", b.getI64IntegerAttr(plan->group)),
          b.getNamedAttr("input_scale", b.getF64FloatAttr(plan->inputScale)),
          b.getNamedAttr("input_zero_point",
                         b.getI64IntegerAttr(plan->inputZeroPoint)),
          b.getNamedAttr("act", b.getStringAttr(act)),
          b.getNamedAttr("has_offsets", b.getBoolAttr(!plan->offsets.empty())),
          b.getNamedAttr("has_bias", b.getBoolAttr(!plan->bias.empty())),
      });
      auto resultType = RankedTensorType::get({m, plan->n}, f32);
      auto type =
          b.getFunctionType(ValueRange(operands).getTypes(), resultType);
      func::FuncOp &decl = declarations[{type, attrs}];
      if (!decl)
        decl = declareKernel(module, symbols, "xfc_qmatmul", type,
                             b.getNamedAttr(kQuantMatmulKernelAttrName, attrs));
      auto call = func::CallOp::create(b, loc, decl, operands);
      Operation *replaced = epilogue ? epilogue : op.getOperation();
      Value result = call.getResult(0);
      auto finalType = cast<RankedTensorType>(replaced->getResult(0).getType());
      if (result.getType() != finalType)
        result = xf::ReshapeOp::create(b, loc, finalType, result);
      replaced->getResult(0).replaceAllUsesWith(result);
      if (epilogue)
        epilogue->erase();
      Value weight = op.getWeight(), input = op.getInput();
      op.erase();
      // The quantized forms are dead once the runtime reads its own copies.
      for (Value value : {weight, input})
        if (Operation *def = value.getDefiningOp();
            def && isa<quant::StorageCastOp, quant::QuantizeCastOp>(def) &&
            def->use_empty()) {
          Operation *storage = def->getOperand(0).getDefiningOp();
          def->erase();
          if (storage && isa<arith::ConstantOp>(storage) && storage->use_empty())
            storage->erase();
        }
    }
  }
};

struct CPUCallQuantMatmulsPass
    : xfc::cpu::impl::CPUCallQuantMatmulsPassBase<CPUCallQuantMatmulsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::CallOp> calls =
        getKernelCalls(module, symbols, kQuantMatmulKernelAttrName, 0);
    if (calls.empty())
      return;
    FailureOr<func::FuncOp> entry = xfc::cpu::getBoundEntryFunction(module);
    if (failed(entry))
      return signalPassFailure();
    Value weightsRegion = entry->getArgument(1);

    SmallVector<Attribute> descriptors;
    llvm::SetVector<StringAttr> callees;
    OpBuilder b(module.getContext());
    for (func::CallOp call : calls) {
      auto attrs = cast<DictionaryAttr>(getKernelAttr(call, symbols)->getValue());
      auto getInt = [&](StringRef name) {
        return cast<IntegerAttr>(attrs.get(name)).getInt();
      };
      auto getBool = [&](StringRef name) {
        return cast<BoolAttr>(attrs.get(name)).getValue();
      };
      StringRef kind = cast<StringAttr>(attrs.get("kind")).getValue();
      StringRef act = cast<StringAttr>(attrs.get("act")).getValue();
      ValueRange operands = call.getOperands();
      unsigned expected = 4 + getBool("has_offsets") + getBool("has_bias") +
                          (act == "add");
      if (operands.size() != expected) {
        call.emitError("quantized matmul call has ")
            << operands.size() << " operands, its declaration says "
            << expected;
        return signalPassFailure();
      }
      unsigned next = 1;
      auto nextWeight = [&](bool present) -> std::optional<int64_t> {
        if (!present)
          return -1;
        return getWeightOffset(operands[next++], weightsRegion);
      };
      std::optional<int64_t> weight = nextWeight(true),
                             scales = nextWeight(true),
                             offsets = nextWeight(getBool("has_offsets")),
                             bias = nextWeight(getBool("has_bias"));
      if (!weight || !scales || !offsets || !bias) {
        call.emitError("quantized matmul weights must be in the weights "
                       "file: run --xfc-cpu-bind-weights first");
        return signalPassFailure();
      }
      Value input = operands[0], output = operands.back();
      Value residual = act == "add" ? operands[next] : Value();
      FailureOr<SmallVector<int64_t>> inputStrides = getStaticStrides(input);
      FailureOr<SmallVector<int64_t>> outputStrides = getStaticStrides(output);
      if (failed(inputStrides) || failed(outputStrides) ||
          inputStrides->size() != 2 || (*inputStrides)[1] != 1 ||
          (*outputStrides)[1] != 1 ||
          (residual && (failed(getStaticStrides(residual)) ||
                        *getStaticStrides(residual) != *outputStrides))) {
        call.emitError("quantized matmul operands need static 2-D layouts "
                       "with contiguous rows (the residual laid out as the "
                       "result)");
        return signalPassFailure();
      }
      int64_t m = cast<MemRefType>(input.getType()).getDimSize(0);
      auto field = [](int64_t value) {
        return value < 0 ? std::string("-") : std::to_string(value);
      };
      std::string inputQuant =
          kind == "w8a8"
              ? llvm::formatv("{0:e9}:{1}",
                              cast<FloatAttr>(attrs.get("input_scale"))
                                  .getValueAsDouble(),
                              getInt("input_zero_point"))
                    .str()
              : "-";
      bool weightOnly = kind == "w8" || kind == "w4";
      int64_t id = descriptors.size();
      std::string descriptor = llvm::formatv(
          "qmatmul {0} {1} {2}x{3}x{4} {5} {6} {7} {8} {9} {10} {11} {12} {13}",
          id, kind, m, getInt("n"), getInt("k"), (*inputStrides)[0],
          (*outputStrides)[0], *weight, *scales, field(*offsets), field(*bias),
          weightOnly ? std::to_string(getInt("group")) : "-", inputQuant, act);
      descriptors.push_back(b.getStringAttr(descriptor));

      b.setInsertionPoint(call);
      Location loc = call.getLoc();
      createRuntimeCall(b, loc, *entry, kQuantMatmulFunctionName, id,
                        {input, residual, output});
      callees.insert(call.getCalleeAttr().getAttr());
      call.erase();
    }
    eraseUnusedDeclarations(module, symbols, callees.getArrayRef());

    module->setAttr(kQuantMatmulsAttrName, b.getArrayAttr(descriptors));
  }
};

} // namespace
