//===- Collector.cpp - Activation statistics of a model's GEMMs -----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Collector.h"

#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/MapVector.h"

#include <cmath>

using namespace mlir;
using namespace xfc;
using namespace xfc::calibration;

unsigned calibration::numberGemms(ModuleOp module) {
  SmallVector<WeightedGemm> gemms = findWeightedGemms(module);
  Builder b(module.getContext());
  for (auto [index, gemm] : llvm::enumerate(gemms))
    gemm.op->setAttr(kGemmIdAttrName, b.getI64IntegerAttr(index));
  return gemms.size();
}

/// The public function the artifact's entry runs.
func::FuncOp calibration::getEntryFunction(ModuleOp module) {
  func::FuncOp entry;
  module.walk([&](func::FuncOp func) {
    if (func.isPublic() && !func.isDeclaration() && !entry)
      entry = func;
  });
  return entry;
}

/// For each numbered GEMM of `module`, the value `tensor` selects, with
/// values shared by several GEMMs (Q, K and V read one input) listed once:
/// the values, and for each GEMM number the index of its value. Numbered
/// ops that are no longer WeightedGemms (xf.quant.linear) count too.
static std::pair<SmallVector<Value>, SmallVector<int64_t>>
getNumberedValues(ModuleOp module, GemmTensor tensor) {
  SmallVector<std::pair<int64_t, Value>> byNumber;
  DenseMap<Operation *, WeightedGemm> gemms;
  for (const WeightedGemm &gemm : findWeightedGemms(module))
    gemms[gemm.op] = gemm;
  module.walk([&](Operation *op) {
    auto id = op->getAttrOfType<IntegerAttr>(kGemmIdAttrName);
    if (!id)
      return;
    Value value;
    if (auto it = gemms.find(op); it != gemms.end())
      value = tensor == GemmTensor::Input ? it->second.input
                                          : it->second.getResult();
    else if (op->getNumOperands() > 0 && op->getNumResults() == 1)
      value = tensor == GemmTensor::Input ? op->getOperand(0)
                                          : op->getResult(0);
    if (value)
      byNumber.push_back({id.getInt(), value});
  });
  llvm::MapVector<Value, int64_t> unique;
  SmallVector<int64_t> indices;
  for (auto [id, value] : byNumber) {
    if (static_cast<int64_t>(indices.size()) <= id)
      indices.resize(id + 1, -1);
    auto [it, inserted] = unique.insert({value, unique.size()});
    indices[id] = it->second;
  }
  SmallVector<Value> values;
  for (auto &[value, index] : unique)
    values.push_back(value);
  return {values, indices};
}

FailureOr<InstrumentedModel>
calibration::compileWithExtraOutputs(ModuleOp module, ArrayRef<Value> values,
                                     const ExecutorOptions &options) {
  func::FuncOp entry = getEntryFunction(module);
  if (!entry)
    return module.emitError("no public function to instrument");
  auto returnOp = cast<func::ReturnOp>(entry.getBody().back().getTerminator());
  unsigned numOwn = returnOp.getNumOperands();
  // Values the model returns already are read from that output (returning
  // a value twice is not something bufferization supports).
  InstrumentedModel model;
  model.numOwnOutputs = numOwn;
  SmallVector<Value> extra;
  for (Value value : values) {
    if (!value) {
      model.outputIndex.push_back(-1);
      continue;
    }
    // A quantized input (quant.qcast) is observed as the float it came
    // from.
    if (!cast<RankedTensorType>(value.getType()).getElementType().isF32())
      if (Operation *def = value.getDefiningOp(); def && def->getNumOperands())
        value = def->getOperand(0);
    auto own = llvm::find(returnOp.getOperands(), value);
    if (own != returnOp.getOperands().end()) {
      model.outputIndex.push_back(
          std::distance(returnOp.getOperands().begin(), own));
      continue;
    }
    auto previous = llvm::find(extra, value);
    model.outputIndex.push_back(numOwn + std::distance(extra.begin(), previous));
    if (previous == extra.end())
      extra.push_back(value);
  }
  returnOp->insertOperands(numOwn, extra);
  SmallVector<Type> results(entry.getResultTypes());
  for (Value value : extra)
    results.push_back(value.getType());
  entry.setType(FunctionType::get(module.getContext(),
                                  entry.getArgumentTypes(), results));
  // Result attributes (names) cover the model's own outputs only.
  if (ArrayAttr resultAttrs = entry.getAllResultAttrs()) {
    SmallVector<Attribute> attrs(resultAttrs.getValue());
    attrs.resize(results.size(), DictionaryAttr::get(module.getContext()));
    entry.setAllResultAttrs(attrs);
  }
  FailureOr<std::unique_ptr<Executor>> executor =
      Executor::create(module, options);
  if (failed(executor))
    return failure();
  model.executor = std::move(*executor);
  return model;
}

FailureOr<InstrumentedModel>
calibration::instrumentGemms(ModuleOp module, GemmTensor tensor,
                             const ExecutorOptions &options) {
  OwningOpRef<ModuleOp> copy = module.clone();
  auto [values, indices] = getNumberedValues(*copy, tensor);
  SmallVector<Value> byNumber;
  for (int64_t index : indices)
    byNumber.push_back(index >= 0 ? values[index] : Value());
  return compileWithExtraOutputs(*copy, byNumber, options);
}

llvm::Expected<std::vector<TensorStats>>
calibration::collectStats(const InstrumentedModel &model,
                          ArrayRef<Sample> samples, bool withHistograms) {
  size_t numOutputs = xfc_model_num_outputs(model.getModel());
  std::vector<TensorStats> valueStats(numOutputs);
  for (int pass = 0; pass < (withHistograms ? 2 : 1); ++pass)
    for (const Sample &sample : samples) {
      llvm::Expected<std::vector<runner::HostTensor>> outputs =
          runSample(model.getModel(), sample);
      if (!outputs)
        return outputs.takeError();
      for (size_t v = 0; v < numOutputs; ++v) {
        if (!llvm::is_contained(model.outputIndex, static_cast<int64_t>(v)))
          continue;
        const runner::HostTensor &tensor = (*outputs)[v];
        if (tensor.getDType() != XFC_DTYPE_F32 || tensor.getRank() == 0)
          continue;
        const auto *data = reinterpret_cast<const float *>(tensor.getData());
        if (pass == 0)
          valueStats[v].addRange(data, tensor.getNumElements(),
                                 tensor.getDims().back());
        else
          valueStats[v].addToHistogram(data, tensor.getNumElements());
      }
    }
  std::vector<TensorStats> stats;
  for (int64_t index : model.outputIndex)
    stats.push_back(index >= 0 ? valueStats[index] : TensorStats());
  return stats;
}

void calibration::annotateGemms(ModuleOp module, ArrayRef<TensorStats> stats,
                                Calibrator calibrator, double percentile) {
  Builder b(module.getContext());
  for (const WeightedGemm &gemm : findWeightedGemms(module)) {
    auto id = gemm.op->getAttrOfType<IntegerAttr>(kGemmIdAttrName);
    if (!id || id.getInt() >= static_cast<int64_t>(stats.size()))
      continue;
    const TensorStats &tensorStats = stats[id.getInt()];
    if (tensorStats.channelAbsMax.empty())
      continue;
    auto [lo, hi] = chooseRange(tensorStats, calibrator, percentile);
    gemm.op->setAttr("xf.input_range", b.getDenseF64ArrayAttr({lo, hi}));
    gemm.op->setAttr("xf.input_channel_absmax",
                     b.getDenseF32ArrayAttr(tensorStats.channelAbsMax));
    SmallVector<float> norms, means;
    for (size_t c = 0; c < tensorStats.channelSum.size(); ++c) {
      norms.push_back(std::sqrt(tensorStats.channelSumSquares[c]));
      means.push_back(tensorStats.channelSum[c] /
                      std::max<int64_t>(tensorStats.rows, 1));
    }
    gemm.op->setAttr("xf.input_channel_norm", b.getDenseF32ArrayAttr(norms));
    gemm.op->setAttr("xf.input_channel_mean", b.getDenseF32ArrayAttr(means));
  }
}
