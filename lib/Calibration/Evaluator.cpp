//===- Evaluator.cpp - How far a compressed model moved -------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Evaluator.h"

#include <cmath>
#include <limits>

using namespace llvm;
using namespace xfc;
using namespace xfc::calibration;
using runner::HostTensor;

namespace {

/// Running sums that the metrics of one tensor need.
struct Accumulator {
  int64_t count = 0;
  double dot = 0, gotSquares = 0, expectedSquares = 0, errorSquares = 0;
  double maxAbsError = 0, maxExpected = 0;
  int64_t rows = 0, agreeingRows = 0;

  /// `keep`, when not null, says per padding-mask position whether its
  /// rows count (the tensor's leading elements divide evenly among them).
  void add(const HostTensor &got, const HostTensor &expected,
           const std::vector<bool> *keep) {
    int64_t count = expected.getNumElements();
    int64_t width = expected.getRank() ? expected.getDims().back() : 1;
    int64_t perPosition = keep ? count / keep->size() : count;
    auto kept = [&](int64_t i) {
      return !keep || (*keep)[i / perPosition];
    };
    this->count += count;
    for (int64_t i = 0; i < count; ++i) {
      if (!kept(i))
        continue;
      double g = got.getAsDouble(i), e = expected.getAsDouble(i);
      dot += g * e;
      gotSquares += g * g;
      expectedSquares += e * e;
      errorSquares += (g - e) * (g - e);
      maxAbsError = std::max(maxAbsError, std::fabs(g - e));
      maxExpected = std::max(maxExpected, std::fabs(e));
    }
    if (width < 2)
      return;
    for (int64_t row = 0; row + width <= count; row += width) {
      if (!kept(row))
        continue;
      int64_t gotArg = row, expectedArg = row;
      for (int64_t i = row; i < row + width; ++i) {
        if (got.getAsDouble(i) > got.getAsDouble(gotArg))
          gotArg = i;
        if (expected.getAsDouble(i) > expected.getAsDouble(expectedArg))
          expectedArg = i;
      }
      ++rows;
      agreeingRows += gotArg == expectedArg;
    }
  }

  double getCosine() const {
    if (gotSquares == 0 && expectedSquares == 0)
      return 1;
    if (gotSquares == 0 || expectedSquares == 0)
      return 0;
    return dot / std::sqrt(gotSquares * expectedSquares);
  }
  double getSqnrDb() const {
    if (errorSquares == 0)
      return std::numeric_limits<double>::infinity();
    return 10 * std::log10(expectedSquares / errorSquares);
  }
};

/// Whether `tensor` has one block of rows per position of a [B, S] mask:
/// [B, S, ...] or [B·S, ...].
bool isPerPosition(const HostTensor &tensor, ArrayRef<int64_t> maskDims) {
  ArrayRef<int64_t> dims = tensor.getDims();
  int64_t positions = maskDims[0] * maskDims[1];
  return (dims.size() >= 2 && dims[0] == maskDims[0] &&
          dims[1] == maskDims[1]) ||
         (!dims.empty() && dims[0] == positions && positions > 1);
}

/// Which positions of `sample`'s padding mask count (nonzero), and the
/// mask's dims; nothing without a mask.
std::pair<std::vector<bool>, SmallVector<int64_t>>
getKeptPositions(const Sample &sample, std::optional<size_t> paddingMask) {
  std::vector<bool> keep;
  if (!paddingMask)
    return {keep, {}};
  const HostTensor &mask = sample.inputs[*paddingMask];
  for (int64_t i = 0; i < mask.getNumElements(); ++i)
    keep.push_back(mask.getAsInt(i) != 0);
  return {keep, SmallVector<int64_t>(mask.getDims())};
}

} // namespace

std::optional<size_t> calibration::findPaddingMask(const xfc_model *model) {
  for (size_t i = 0, e = xfc_model_num_inputs(model); i < e; ++i) {
    const xfc_tensor *input = xfc_model_input(model, i);
    if (input->rank == 2 && StringRef(input->name).contains("attention_mask") &&
        !runner::isFloatDType(input->dtype))
      return i;
  }
  return std::nullopt;
}

Expected<Evaluation>
calibration::evaluate(const InstrumentedModel &reference,
                      const InstrumentedModel &candidate,
                      ArrayRef<Sample> samples, ArrayRef<std::string> layerNames,
                      std::optional<size_t> paddingMask) {
  size_t numOutputs = reference.numOwnOutputs;
  if (candidate.numOwnOutputs != numOutputs)
    return createStringError("the compressed model has " +
                             std::to_string(candidate.numOwnOutputs) +
                             " outputs, the reference " +
                             std::to_string(numOutputs));
  std::vector<Accumulator> outputs(numOutputs);
  size_t numLayers = std::min(reference.outputIndex.size(),
                              candidate.outputIndex.size());
  std::vector<Accumulator> layers(numLayers);
  for (const Sample &sample : samples) {
    Expected<std::vector<HostTensor>> expected =
        runSample(reference.getModel(), sample);
    if (!expected)
      return expected.takeError();
    Expected<std::vector<HostTensor>> got =
        runSample(candidate.getModel(), sample);
    if (!got)
      return got.takeError();
    std::vector<bool> keep;
    SmallVector<int64_t> maskDims;
    std::tie(keep, maskDims) = getKeptPositions(sample, paddingMask);
    auto keepFor = [&](const HostTensor &tensor) -> const std::vector<bool> * {
      return paddingMask && isPerPosition(tensor, maskDims) ? &keep : nullptr;
    };
    for (size_t i = 0; i < numOutputs; ++i)
      if (runner::isFloatDType((*expected)[i].getDType()))
        outputs[i].add((*got)[i], (*expected)[i], keepFor((*expected)[i]));
    for (size_t id = 0; id < numLayers; ++id) {
      int64_t r = reference.outputIndex[id], c = candidate.outputIndex[id];
      if (r < 0 || c < 0)
        continue;
      const HostTensor &e = (*expected)[r];
      const HostTensor &g = (*got)[c];
      if (e.getDims() == g.getDims())
        layers[id].add(g, e, keepFor(e));
    }
  }

  Evaluation evaluation;
  evaluation.numSamples = samples.size();
  if (paddingMask)
    evaluation.paddingMaskName =
        xfc_model_input(reference.getModel(), *paddingMask)->name;
  for (size_t i = 0; i < numOutputs; ++i) {
    OutputMetrics metrics;
    metrics.name = xfc_model_output(reference.getModel(), i)->name;
    const Accumulator &acc = outputs[i];
    metrics.cosine = acc.getCosine();
    metrics.maxAbsError = acc.maxAbsError;
    metrics.maxRelError =
        acc.maxExpected > 0 ? acc.maxAbsError / acc.maxExpected : acc.maxAbsError;
    metrics.argmaxRows = acc.rows;
    metrics.argmaxAgreement =
        acc.rows ? static_cast<double>(acc.agreeingRows) / acc.rows : 1;
    evaluation.outputs.push_back(metrics);
  }
  // A GEMM whose shape changed (pruned) has no SQNR against the original.
  for (size_t id = 0; id < numLayers; ++id)
    if (reference.outputIndex[id] >= 0 && candidate.outputIndex[id] >= 0 &&
        layers[id].count > 0)
      evaluation.layers.push_back(
          {static_cast<int64_t>(id),
           id < layerNames.size() ? layerNames[id] : "gemm#" + std::to_string(id),
           layers[id].getSqnrDb()});
  return evaluation;
}

Expected<std::vector<double>>
calibration::measurePairedSqnr(const InstrumentedModel &model,
                               ArrayRef<Sample> samples,
                               std::optional<size_t> paddingMask) {
  size_t numPairs = model.outputIndex.size() / 2;
  std::vector<Accumulator> pairs(numPairs);
  for (const Sample &sample : samples) {
    Expected<std::vector<HostTensor>> outputs =
        runSample(model.getModel(), sample);
    if (!outputs)
      return outputs.takeError();
    std::vector<bool> keep;
    SmallVector<int64_t> maskDims;
    std::tie(keep, maskDims) = getKeptPositions(sample, paddingMask);
    for (size_t i = 0; i < numPairs; ++i) {
      int64_t r = model.outputIndex[2 * i], c = model.outputIndex[2 * i + 1];
      if (r < 0 || c < 0)
        continue;
      const HostTensor &e = (*outputs)[r];
      const HostTensor &g = (*outputs)[c];
      if (e.getDims() == g.getDims())
        pairs[i].add(g, e,
                     paddingMask && isPerPosition(e, maskDims) ? &keep : nullptr);
    }
  }
  std::vector<double> sqnr;
  for (const Accumulator &pair : pairs)
    sqnr.push_back(pair.getSqnrDb());
  return sqnr;
}

/// JSON has no infinity: an exact layer reports null.
static json::Value number(double value) {
  if (std::isfinite(value))
    return value;
  return nullptr;
}

json::Value calibration::toJSON(const Evaluation &evaluation) {
  json::Array outputs, layers;
  for (const OutputMetrics &m : evaluation.outputs)
    outputs.push_back(json::Object{{"name", m.name},
                                   {"cosine", number(m.cosine)},
                                   {"max_abs_error", number(m.maxAbsError)},
                                   {"max_rel_error", number(m.maxRelError)},
                                   {"argmax_agreement", number(m.argmaxAgreement)},
                                   {"argmax_rows", m.argmaxRows}});
  for (const LayerMetrics &m : evaluation.layers)
    layers.push_back(json::Object{
        {"id", m.id}, {"name", m.name}, {"sqnr_db", number(m.sqnrDb)}});
  return json::Object{{"samples", static_cast<int64_t>(evaluation.numSamples)},
                      {"padding_mask", evaluation.paddingMaskName.empty()
                                           ? json::Value(nullptr)
                                           : json::Value(evaluation.paddingMaskName)},
                      {"outputs", std::move(outputs)},
                      {"layers", std::move(layers)}};
}
