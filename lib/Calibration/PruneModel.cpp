//===- PruneModel.cpp - Measure, choose and remove structure --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/PruneModel.h"

#include "xfc/Calibration/Collector.h"
#include "xfc/Transforms/FFNs.h"
#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/Sublayers.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <cmath>

using namespace mlir;
using namespace xfc;
using namespace xfc::calibration;
using runner::HostTensor;

namespace {

/// Removal is measured on at most this many calibration samples: each
/// candidate costs one run per sample.
constexpr size_t kMaxMeasureSamples = 8;

LogicalResult runPass(ModuleOp module, std::unique_ptr<Pass> pass) {
  PassManager pm(module.getContext());
  pm.addPass(std::move(pass));
  return pm.run(module);
}

HostTensor copyTensor(const HostTensor &tensor) {
  HostTensor copy = cantFail(HostTensor::create(tensor.getDType(), tensor.getDims()));
  llvm::copy(tensor.getBytes(), copy.getBytes().begin());
  return copy;
}

/// A copy of the model compiled with a multiplicative gate (an extra f32
/// input) on chosen values: all ones is the model, zeros remove what the
/// value carries.
struct GatedModel {
  InstrumentedModel compiled;
  /// The current value of every gate, in input order.
  std::vector<HostTensor> gates;
  llvm::ArrayRef<Sample> samples;
  /// The ungated model's outputs on `samples`.
  std::vector<std::vector<HostTensor>> reference;

  float *getGate(size_t index) {
    return reinterpret_cast<float *>(gates[index].getData());
  }
  int64_t getGateSize(size_t index) const {
    return gates[index].getNumElements();
  }
  void resetGates() {
    for (size_t i = 0; i < gates.size(); ++i)
      std::fill_n(getGate(i), getGateSize(i), 1.0f);
  }

  llvm::Expected<std::vector<std::vector<HostTensor>>> run() {
    std::vector<std::vector<HostTensor>> outputs;
    for (const Sample &sample : samples) {
      Sample gated;
      gated.name = sample.name;
      for (const HostTensor &input : sample.inputs)
        gated.inputs.push_back(copyTensor(input));
      for (const HostTensor &gate : gates)
        gated.inputs.push_back(copyTensor(gate));
      llvm::Expected<std::vector<HostTensor>> result =
          runSample(compiled.getModel(), gated);
      if (!result)
        return result.takeError();
      outputs.push_back(std::move(*result));
    }
    return outputs;
  }

  /// How far the model's outputs move with the current gates: the mean over
  /// float outputs of ‖y − y₀‖² / ‖y₀‖² over all samples.
  llvm::Expected<double> measureChange() {
    llvm::Expected<std::vector<std::vector<HostTensor>>> outputs = run();
    if (!outputs)
      return outputs.takeError();
    double total = 0;
    int count = 0;
    for (size_t o = 0; o < reference.front().size(); ++o) {
      if (reference.front()[o].getDType() != XFC_DTYPE_F32)
        continue;
      double error = 0, norm = 0;
      for (size_t s = 0; s < samples.size(); ++s) {
        auto *expected =
            reinterpret_cast<const float *>(reference[s][o].getData());
        auto *got = reinterpret_cast<const float *>((*outputs)[s][o].getData());
        for (int64_t i = 0, e = reference[s][o].getNumElements(); i < e; ++i) {
          double diff = double(got[i]) - expected[i];
          error += diff * diff;
          norm += double(expected[i]) * expected[i];
        }
      }
      total += norm > 0 ? error / norm : error;
      ++count;
    }
    return count ? total / count : 0.0;
  }
};

/// Compiles `copy` (which it changes) with a gate of shape `shape` on each
/// of `points`.
FailureOr<GatedModel>
compileWithGates(ModuleOp copy,
                 ArrayRef<std::pair<Value, SmallVector<int64_t>>> points,
                 ArrayRef<Sample> samples, const ExecutorOptions &options) {
  func::FuncOp entry = getEntryFunction(copy);
  if (!entry)
    return copy.emitError("no public function to prune");
  GatedModel model;
  MLIRContext *context = copy.getContext();
  for (auto [index, point] : llvm::enumerate(points)) {
    auto [value, shape] = point;
    auto type = RankedTensorType::get(shape, Float32Type::get(context));
    unsigned argument = entry.getNumArguments();
    auto name = NamedAttribute(
        StringAttr::get(context, "xf.name"),
        StringAttr::get(context, "xf_gate_" + std::to_string(index)));
    if (failed(entry.insertArgument(argument, type,
                                    DictionaryAttr::get(context, {name}),
                                    value.getLoc())))
      return failure();
    OpBuilder b(context);
    b.setInsertionPointAfterValue(value);
    auto gated = xf::MulOp::create(b, value.getLoc(), value.getType(), value,
                                   entry.getArgument(argument));
    value.replaceAllUsesExcept(gated.getResult(), gated);
    llvm::Expected<HostTensor> gate = HostTensor::create(XFC_DTYPE_F32, shape);
    if (!gate)
      return copy.emitError(llvm::toString(gate.takeError()));
    model.gates.push_back(std::move(*gate));
  }
  FailureOr<InstrumentedModel> compiled =
      compileWithExtraOutputs(copy, {}, options);
  if (failed(compiled))
    return failure();
  model.compiled = std::move(*compiled);
  model.samples = samples.take_front(kMaxMeasureSamples);
  model.resetGates();
  llvm::Expected<std::vector<std::vector<HostTensor>>> reference = model.run();
  if (!reference)
    return copy.emitError(llvm::toString(reference.takeError()));
  model.reference = std::move(*reference);
  return model;
}

/// The gate that removes an attention's heads: [H, 1, 1] over a rank-4
/// result [B, H, S, Dv], one lane per feature of a packed [B, S, H·Dv].
std::pair<Value, SmallVector<int64_t>> getHeadGate(xf::AttentionOp attention) {
  auto type = cast<RankedTensorType>(attention.getType());
  int64_t heads = attention.getNumHeads();
  return {attention.getResult(),
          type.getRank() == 4 ? SmallVector<int64_t>{heads, 1, 1}
                              : SmallVector<int64_t>{type.getShape().back()}};
}

/// Each attention's head count, in program order.
SmallVector<int64_t> getHeadCounts(ModuleOp module) {
  SmallVector<int64_t> counts;
  module.walk([&](xf::AttentionOp op) { counts.push_back(op.getNumHeads()); });
  return counts;
}

/// Adds a line per attention whose head count is no longer `before`'s,
/// ending in `why(layer)`.
void describeHeadChanges(ModuleOp module, ArrayRef<int64_t> before,
                         function_ref<std::string(size_t)> why,
                         PruningSummary &summary) {
  for (auto [layer, after] : llvm::enumerate(getHeadCounts(module)))
    if (layer < before.size() && after != before[layer])
      summary.changes.push_back(llvm::formatv(
          "attention {0}: heads {1} -> {2} ({3})", layer, before[layer],
          after, why(layer)));
}

/// FinerCut: removes `count` sublayers, each time the one whose removal
/// (with those already chosen) moves the output least.
LogicalResult removeSublayers(ModuleOp module, int64_t count,
                              ArrayRef<Sample> samples,
                              const ExecutorOptions &options,
                              PruningSummary &summary, raw_ostream &log) {
  SmallVector<Sublayer> sublayers = findSublayers(module);
  if (sublayers.empty())
    return module.emitError(
        "--prune-layers: the model has no attention or FFN sublayer (a "
        "residual branch through attention or a constant-weight GEMM) to "
        "remove");
  if (count >= static_cast<int64_t>(sublayers.size()))
    return module.emitError(llvm::formatv(
        "--prune-layers={0} cannot be met: the model has {1} sublayers; "
        "remove fewer",
        count, sublayers.size()));
  // Names: the kind's own index, as xf-prune-layers takes them.
  std::vector<std::string> names;
  std::map<Sublayer::Kind, int64_t> perKind;
  for (const Sublayer &sublayer : sublayers)
    names.push_back((getSublayerKindName(sublayer.kind) + ":" +
                     llvm::Twine(perKind[sublayer.kind]++))
                        .str());

  OwningOpRef<ModuleOp> copy = module.clone();
  SmallVector<std::pair<Value, SmallVector<int64_t>>> points;
  for (const Sublayer &sublayer : findSublayers(*copy))
    points.push_back({sublayer.branch, {1}});
  FailureOr<GatedModel> gated =
      compileWithGates(*copy, points, samples, options);
  if (failed(gated))
    return failure();
  std::vector<std::string> removed;
  for (int64_t step = 0; step < count; ++step) {
    double best = INFINITY;
    size_t choice = 0;
    for (size_t candidate = 0; candidate < sublayers.size(); ++candidate) {
      if (*gated->getGate(candidate) == 0.0f)
        continue;
      *gated->getGate(candidate) = 0.0f;
      llvm::Expected<double> change = gated->measureChange();
      *gated->getGate(candidate) = 1.0f;
      if (!change)
        return module.emitError(llvm::toString(change.takeError()));
      if (*change < best) {
        best = *change;
        choice = candidate;
      }
    }
    *gated->getGate(choice) = 0.0f;
    removed.push_back(names[choice]);
    summary.changes.push_back(llvm::formatv(
        "removed the {0} sublayer (with those before it, the output moves by "
        "{1:e2} relative squared error on calibration data)",
        names[choice], best));
  }
  PruneLayersPassOptions passOptions;
  passOptions.remove.assign(removed.begin(), removed.end());
  return runPass(module, createPruneLayersPass(passOptions));
}

/// Writes each attention's xf.head_importance: how far the output moves
/// when that head alone is removed.
LogicalResult measureHeadImportance(ModuleOp module, ArrayRef<Sample> samples,
                                    const ExecutorOptions &options) {
  OwningOpRef<ModuleOp> copy = module.clone();
  SmallVector<xf::AttentionOp> attentions, copies;
  module.walk([&](xf::AttentionOp op) { attentions.push_back(op); });
  copy->walk([&](xf::AttentionOp op) { copies.push_back(op); });
  SmallVector<std::pair<Value, SmallVector<int64_t>>> points;
  for (xf::AttentionOp attention : copies)
    points.push_back(getHeadGate(attention));
  FailureOr<GatedModel> gated =
      compileWithGates(*copy, points, samples, options);
  if (failed(gated))
    return failure();
  Builder builder(module.getContext());
  for (auto [layer, attention] : llvm::enumerate(attentions)) {
    int64_t heads = attention.getNumHeads();
    int64_t lanes = gated->getGateSize(layer) / heads;
    float *gate = gated->getGate(layer);
    SmallVector<float> importance;
    for (int64_t h = 0; h < heads; ++h) {
      std::fill_n(gate + h * lanes, lanes, 0.0f);
      llvm::Expected<double> change = gated->measureChange();
      std::fill_n(gate + h * lanes, lanes, 1.0f);
      if (!change)
        return module.emitError(llvm::toString(change.takeError()));
      importance.push_back(static_cast<float>(*change));
    }
    attention->setAttr("xf.head_importance",
                       builder.getDenseF32ArrayAttr(importance));
  }
  return success();
}


/// FFN neurons are removed in this many groups, least important first.
constexpr int64_t kNeuronGroups = 8;

/// One thing the budgeted mode may remove: heads of an attention (one
/// head, or one KV group with its query heads) or the next group of an
/// FFN's neurons.
struct Candidate {
  bool isHead;
  /// The attention or FFN, by index in program order.
  size_t layer;
  /// Head or KV group; FFN neuron group.
  int64_t unit;
  /// The gate lanes that remove it.
  SmallVector<int64_t> lanes;
  /// The query heads it removes (heads).
  SmallVector<int64_t> heads;
  int64_t flops = 0;
  double change = 0;
};

/// The budgeted mode: candidates ranked by their measured output change per
/// GEMM FLOP saved, taken until the GEMM FLOPs fit the budget; then any
/// layer whose chosen removals alone move the output more than the
/// per-layer gate is left unpruned.
LogicalResult pruneToBudget(ModuleOp module, const PruneModelOptions &options,
                            ArrayRef<Sample> samples,
                            const ExecutorOptions &executor,
                            PruningSummary &summary) {
  double fraction = *options.flopBudget;
  if (failed(runPass(module, createFuseAttentionPass())))
    return failure();
  SmallVector<xf::AttentionOp> attentions;
  module.walk([&](xf::AttentionOp op) { attentions.push_back(op); });
  SmallVector<FFN> ffns = findFFNs(module);
  if (attentions.empty() && ffns.empty())
    return module.emitError("--prune-budget: the model has no attention and "
                            "no FFN to remove heads or neurons from");
  for (const FFN &ffn : ffns)
    if (!ffn.down.op->getAttrOfType<DenseF32ArrayAttr>("xf.input_channel_norm"))
      return ffn.down.op->emitError(
          "--prune-budget: this FFN's down-projection has no calibrated "
          "input norms");
  int64_t params, total;
  countGemms(module, params, total);

  // The candidates and what each saves.
  std::vector<Candidate> candidates;
  SmallVector<std::pair<Value, SmallVector<int64_t>>> points;
  for (auto [index, attention] : llvm::enumerate(attentions)) {
    auto type = cast<RankedTensorType>(attention.getType());
    auto queryType = cast<RankedTensorType>(attention.getQuery().getType());
    int64_t heads = attention.getNumHeads();
    int64_t group = heads / attention.getEffectiveNumKvHeads();
    bool split = type.getRank() == 4;
    int64_t headSize = split ? queryType.getDimSize(3)
                             : queryType.getDimSize(2) / heads;
    int64_t rows = queryType.getNumElements() / (heads * headSize);
    // The projections read and write the model width, H·D here.
    int64_t width = heads * headSize;
    int64_t lanesPerHead = split ? 1 : type.getShape().back() / heads;
    for (int64_t unit = 0; unit < heads / group; ++unit) {
      Candidate candidate{true, index, unit, {}, {}, 0, 0};
      for (int64_t h = unit * group; h < (unit + 1) * group; ++h) {
        candidate.heads.push_back(h);
        for (int64_t l = 0; l < lanesPerHead; ++l)
          candidate.lanes.push_back(h * lanesPerHead + l);
      }
      // Q and O per query head, K and V per KV head.
      candidate.flops = 2 * rows * width * headSize * (2 * group + 2);
      candidates.push_back(std::move(candidate));
    }
  }
  std::vector<std::vector<int64_t>> neuronOrder;
  for (auto [index, ffn] : llvm::enumerate(ffns)) {
    std::vector<double> score = getNeuronImportance(ffn, /*wanda=*/true);
    std::vector<int64_t> order(ffn.width);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return score[a] < score[b]; });
    int64_t rows = cast<RankedTensorType>(ffn.down.input.getType())
                       .getNumElements() / ffn.width;
    int64_t perNeuron = 2 * rows * (ffn.ups.front().k * ffn.ups.size() +
                                    ffn.down.n);
    for (int64_t unit = 0; unit < kNeuronGroups; ++unit) {
      Candidate candidate{false, index, unit, {}, {}, 0, 0};
      for (int64_t j = unit * ffn.width / kNeuronGroups;
           j < (unit + 1) * ffn.width / kNeuronGroups; ++j)
        candidate.lanes.push_back(order[j]);
      candidate.flops = perNeuron * candidate.lanes.size();
      candidates.push_back(std::move(candidate));
    }
  }
  // Every layer keeps a KV group and a group of neurons: can the budget be
  // met at all?
  int64_t removable = 0;
  for (const Candidate &candidate : candidates)
    removable += candidate.flops;
  for (xf::AttentionOp attention : attentions)
    removable -= llvm::find_if(candidates, [&](const Candidate &c) {
                   return c.isHead && attentions[c.layer] == attention;
                 })->flops;
  for (size_t f = 0; f < ffns.size(); ++f)
    removable -= llvm::find_if(candidates, [&](const Candidate &c) {
                   return !c.isHead && c.layer == f;
                 })->flops;
  if (total - removable > fraction * total)
    return module.emitError(llvm::formatv(
        "--prune-budget=flops:{0} cannot be met: removing every head but "
        "one per attention and every FFN neuron group but one leaves {1:p1} "
        "of the GEMM FLOPs; give a larger fraction or add --prune-layers",
        fraction, double(total - removable) / total));

  // Measure each candidate removed alone.
  OwningOpRef<ModuleOp> copy = module.clone();
  SmallVector<xf::AttentionOp> copies;
  copy->walk([&](xf::AttentionOp op) { copies.push_back(op); });
  for (xf::AttentionOp attention : copies)
    points.push_back(getHeadGate(attention));
  for (const FFN &ffn : findFFNs(*copy))
    points.push_back({ffn.down.input, {ffn.width}});
  FailureOr<GatedModel> gated = compileWithGates(*copy, points, samples, executor);
  if (failed(gated))
    return failure();
  auto gateOf = [&](const Candidate &c) {
    return c.isHead ? c.layer : attentions.size() + c.layer;
  };
  auto setGates = [&](const Candidate &c, float value) {
    float *gate = gated->getGate(gateOf(c));
    for (int64_t lane : c.lanes)
      gate[lane] = value;
  };
  for (Candidate &candidate : candidates) {
    setGates(candidate, 0.0f);
    llvm::Expected<double> change = gated->measureChange();
    setGates(candidate, 1.0f);
    if (!change)
      return module.emitError(llvm::toString(change.takeError()));
    candidate.change = *change;
  }

  // Cheapest output change per FLOP first; an FFN's groups in order, and
  // every layer keeps one unit.
  std::vector<bool> taken(candidates.size(), false);
  std::map<std::pair<bool, size_t>, int64_t> takenPerLayer, unitsPerLayer;
  for (const Candidate &candidate : candidates)
    ++unitsPerLayer[{candidate.isHead, candidate.layer}];
  int64_t flops = total;
  while (flops > fraction * total) {
    std::optional<size_t> best;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const Candidate &c = candidates[i];
      std::pair<bool, size_t> key{c.isHead, c.layer};
      if (taken[i] || takenPerLayer[key] + 1 >= unitsPerLayer[key] ||
          (!c.isHead && c.unit != takenPerLayer[key]))
        continue;
      if (!best || c.change / c.flops < candidates[*best].change /
                                            candidates[*best].flops)
        best = i;
    }
    if (!best)
      break;
    taken[*best] = true;
    ++takenPerLayer[{candidates[*best].isHead, candidates[*best].layer}];
    flops -= candidates[*best].flops;
  }

  // The per-layer gate: each layer's choice alone.
  std::map<std::pair<bool, size_t>, double> layerChange;
  for (auto &[key, count] : takenPerLayer) {
    for (size_t i = 0; i < candidates.size(); ++i)
      if (taken[i] && std::pair(candidates[i].isHead, candidates[i].layer) == key)
        setGates(candidates[i], 0.0f);
    llvm::Expected<double> change = gated->measureChange();
    gated->resetGates();
    if (!change)
      return module.emitError(llvm::toString(change.takeError()));
    layerChange[key] = *change;
    if (*change > options.maxLayerChange) {
      summary.changes.push_back(llvm::formatv(
          "{0} {1} left unpruned: removing its {2} chosen {3} alone moves the "
          "output by {4:e2} > {5:e2} (--prune-max-layer-change)",
          key.first ? "attention" : "FFN", key.second, count,
          key.first ? "head groups" : "neuron groups", *change,
          options.maxLayerChange));
      for (size_t i = 0; i < candidates.size(); ++i)
        if (std::pair(candidates[i].isHead, candidates[i].layer) == key)
          taken[i] = false;
    }
  }

  // Apply: explicit heads, per-FFN fractions.
  SmallVector<std::string> heads;
  SmallVector<double> ratios(ffns.size(), 0.0);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!taken[i])
      continue;
    const Candidate &c = candidates[i];
    if (c.isHead)
      for (int64_t h : c.heads)
        heads.push_back(llvm::formatv("{0}:{1}", c.layer, h));
    else
      ratios[c.layer] = double(c.unit + 1) / kNeuronGroups;
  }
  SmallVector<int64_t> headsBefore = getHeadCounts(module);
  std::vector<int64_t> widthsBefore;
  for (const FFN &ffn : ffns)
    widthsBefore.push_back(ffn.width);
  if (!heads.empty()) {
    PruneHeadsPassOptions passOptions;
    passOptions.heads = heads;
    if (failed(runPass(module, createPruneHeadsPass(passOptions))))
      return failure();
  }
  if (llvm::any_of(ratios, [](double r) { return r > 0; })) {
    PruneFFNPassOptions passOptions;
    passOptions.ratios = ratios;
    if (failed(runPass(module, createPruneFFNPass(passOptions))))
      return failure();
  }
  describeHeadChanges(
      module, headsBefore,
      [&](size_t layer) {
        return llvm::formatv("alone, output change {0:e2}",
                             layerChange[{true, layer}])
            .str();
      },
      summary);
  for (auto [f, ffn] : llvm::enumerate(findFFNs(module)))
    if (f < widthsBefore.size() && ffn.width != widthsBefore[f])
      summary.changes.push_back(llvm::formatv(
          "FFN {0}: neurons {1} -> {2} (alone, output change {3:e2})", f,
          widthsBefore[f], ffn.width, layerChange[{false, f}]));
  int64_t paramsAfter, flopsAfter;
  countGemms(module, paramsAfter, flopsAfter);
  summary.changes.push_back(llvm::formatv(
      "budget: GEMM FLOPs {0:p1} of the model's, target {1:p1}{2}",
      double(flopsAfter) / total, fraction,
      double(flopsAfter) > fraction * total
          ? " (not met: layers were left unpruned by the per-layer gate)"
          : ""));
  return success();
}
} // namespace

void calibration::countGemms(ModuleOp module, int64_t &params,
                             int64_t &flops) {
  params = flops = 0;
  for (const WeightedGemm &gemm : findWeightedGemms(module)) {
    params += gemm.k * gemm.n;
    int64_t rows =
        cast<RankedTensorType>(gemm.input.getType()).getNumElements() / gemm.k;
    flops += 2 * rows * gemm.k * gemm.n;
  }
}

LogicalResult calibration::pruneModel(ModuleOp module,
                                      const PruneModelOptions &options,
                                      ArrayRef<Sample> samples,
                                      const ExecutorOptions &executor,
                                      function_ref<LogicalResult()> calibrate,
                                      PruningSummary &summary,
                                      raw_ostream &log) {
  countGemms(module, summary.paramsBefore, summary.flopsBefore);
  if (options.numLayers > 0 &&
      failed(removeSublayers(module, options.numLayers, samples, executor,
                             summary, log)))
    return failure();

  if (options.headsRatio && *options.headsRatio > 0) {
    // Heads are removed from fused attention; the CPU pipeline would fuse
    // it anyway.
    if (failed(runPass(module, createFuseAttentionPass())))
      return failure();
    SmallVector<int64_t> before = getHeadCounts(module);
    if (before.empty())
      return module.emitError(
          "--prune-heads: the model has no attention that xf-fuse-attention "
          "recognizes, so no heads to remove");
    if (options.headImportance == "calibrated" &&
        failed(measureHeadImportance(module, samples, executor)))
      return failure();
    PruneHeadsPassOptions passOptions;
    passOptions.ratio = *options.headsRatio;
    passOptions.importance = options.headImportance;
    passOptions.gqa = options.gqa;
    if (failed(runPass(module, createPruneHeadsPass(passOptions))))
      return failure();
    describeHeadChanges(
        module, before,
        [&](size_t) { return options.headImportance + " importance"; },
        summary);
    module.walk([](xf::AttentionOp op) { op->removeAttr("xf.head_importance"); });
  }

  if (options.flopBudget) {
    // Wanda ranks the neurons on the activations of the model as it is now.
    if (failed(calibrate()) ||
        failed(pruneToBudget(module, options, samples, executor, summary)))
      return failure();
  }

  if (options.ffnRatio && *options.ffnRatio > 0) {
    // Wanda reads the activations of the model as it is now.
    if (options.ffnImportance == "wanda" && failed(calibrate()))
      return failure();
    SmallVector<int64_t> before;
    for (const WeightedGemm &gemm : findWeightedGemms(module))
      before.push_back(gemm.k);
    PruneFFNPassOptions passOptions;
    passOptions.ratio = *options.ffnRatio;
    passOptions.importance = options.ffnImportance;
    if (failed(runPass(module, createPruneFFNPass(passOptions))))
      return failure();
    int64_t pruned = 0;
    for (auto [index, gemm] : llvm::enumerate(findWeightedGemms(module)))
      if (index < before.size() && gemm.k != before[index]) {
        if (pruned++ == 0)
          summary.changes.push_back(llvm::formatv(
              "FFN: intermediate neurons {0} -> {1} ({2} importance)",
              before[index], gemm.k, options.ffnImportance));
      }
    if (pruned == 0)
      return module.emitError(
          "--prune-ffn removed no neuron: the model has no FFN (up-"
          "projection, elementwise activation, down-projection, with constant "
          "weights and nothing else reading the activations), or the ratio "
          "is below one neuron");
    if (pruned > 1)
      summary.changes.back() += llvm::formatv(" in each of {0} FFNs", pruned);
  }

  if (options.unstructuredSparsity || options.nm) {
    // Wanda reads the activations of the model as it is now.
    if (options.ffnImportance == "wanda" && failed(calibrate()))
      return failure();
    std::string pattern;
    std::unique_ptr<Pass> pass;
    if (options.nm) {
      PruneNMPassOptions passOptions;
      passOptions.n = options.nm->first;
      passOptions.m = options.nm->second;
      passOptions.importance = options.ffnImportance;
      pass = createPruneNMPass(passOptions);
      pattern = llvm::formatv("{0}:{1}", options.nm->first, options.nm->second);
    } else {
      PruneUnstructuredPassOptions passOptions;
      passOptions.sparsity = *options.unstructuredSparsity;
      passOptions.importance = options.ffnImportance;
      pass = createPruneUnstructuredPass(passOptions);
      pattern = "unstructured";
    }
    if (failed(runPass(module, std::move(pass))))
      return failure();
    int64_t weights = 0, zeros = 0, sparseGemms = 0;
    for (const WeightedGemm &gemm : findWeightedGemms(module)) {
      weights += gemm.weight.size();
      if (gemm.op->hasAttr("xf.sparsity_pattern")) {
        ++sparseGemms;
        zeros += llvm::count(gemm.weight, 0.0f);
      }
    }
    if (sparseGemms == 0)
      return module.emitError("--prune-" +
                              llvm::Twine(options.nm ? "nm" : "unstructured") +
                              " sparsified no GEMM: the model has no GEMM with "
                              "a constant f32 weight that the pass accepts");
    summary.changes.push_back(llvm::formatv(
        "GEMM weights: {0} sparsity ({1} importance) in {2} GEMMs, {3:f1}% "
        "of the GEMM weights now zero; stored compressed, no faster (no "
        "sparse kernel yet)",
        pattern, options.ffnImportance, sparseGemms,
        weights ? 100.0 * zeros / weights : 0.0));
    summary.zeroWeights = zeros;
  }
  countGemms(module, summary.paramsAfter, summary.flopsAfter);
  return success();
}

llvm::Expected<double>
calibration::measureLatency(ModuleOp module, ArrayRef<Sample> samples,
                            const ExecutorOptions &options, int repeats) {
  OwningOpRef<ModuleOp> copy = module.clone();
  FailureOr<std::unique_ptr<Executor>> executor =
      Executor::create(*copy, options);
  if (failed(executor))
    return llvm::createStringError("compiling the model to time it failed");
  std::vector<double> times;
  for (const Sample &sample : samples.take_front(4)) {
    // The first run warms caches and thread pools.
    if (llvm::Expected<std::vector<HostTensor>> warm =
            runSample((*executor)->getModel(), sample);
        !warm)
      return warm.takeError();
    for (int r = 0; r < repeats; ++r) {
      auto start = std::chrono::steady_clock::now();
      llvm::Expected<std::vector<HostTensor>> outputs =
          runSample((*executor)->getModel(), sample);
      auto end = std::chrono::steady_clock::now();
      if (!outputs)
        return outputs.takeError();
      times.push_back(std::chrono::duration<double, std::milli>(end - start)
                          .count());
    }
  }
  if (times.empty())
    return 0.0;
  std::nth_element(times.begin(), times.begin() + times.size() / 2,
                   times.end());
  return times[times.size() / 2];
}
