//===- QuantizeModel.cpp - Calibrate, quantize, gate, report --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/QuantizeModel.h"

#include "xfc/Calibration/Collector.h"
#include "xfc/Calibration/Evaluator.h"
#include "xfc/Calibration/Report.h"
#include "xfc/Transforms/Passes.h"
#include "xfc/Transforms/WeightedGemms.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace xfc;
using namespace xfc::calibration;

namespace {

/// Synthetic samples used when a mode that needs no calibration gets no
/// data: the accuracy report still needs inputs.
constexpr int64_t kDefaultSyntheticSamples = 8;
/// Rounds of the fallback search before giving up (round r sends 2^r more
/// GEMMs back to float, so 9 rounds reach 511).
constexpr int kMaxFallbackRounds = 10;

struct Gates {
  double minCosine, minArgmax, minLayerSqnr;
  std::vector<std::string> argmaxOutputs;

  bool gatesArgmax(StringRef output) const {
    if (argmaxOutputs.empty())
      return output.contains_insensitive("logits");
    return llvm::is_contained(argmaxOutputs, output);
  }
};

/// Defaults: cosine 0.99 and argmax 99% for the 8-bit modes, cosine 0.98
/// for w4. The per-layer gate is on a GEMM's own SQNR (quantized alone,
/// fed float activations): well-behaved GEMMs measure 25-40 dB in 8 bits
/// and 17-33 dB in 4 bits (all-MiniLM-L6-v2), so the floors (20 and 12 dB)
/// catch one that breaks on its own, e.g. on an outlier-dominated input;
/// the output gate decides the rest.
Gates getGates(const QuantizeModelOptions &options) {
  bool fourBit = options.mode == "w4";
  return {options.minCosine.value_or(fourBit ? 0.98 : 0.99),
          options.minArgmaxAgreement.value_or(fourBit ? 0.0 : 0.99),
          options.minLayerSqnrDb.value_or(fourBit ? 12.0 : 20.0),
          options.argmaxOutputs};
}

LogicalResult runPass(ModuleOp module, std::unique_ptr<Pass> pass) {
  PassManager pm(module.getContext());
  pm.addPass(std::move(pass));
  return pm.run(module);
}

/// The first output that fails the gate, described; empty when all pass.
std::string checkOutputGate(const Evaluation &evaluation, const Gates &gates) {
  for (const OutputMetrics &output : evaluation.outputs) {
    if (output.cosine < gates.minCosine)
      return llvm::formatv("output '{0}' cosine {1:f4} < {2}", output.name,
                           output.cosine, gates.minCosine);
    if (output.argmaxRows > 0 && gates.gatesArgmax(output.name) &&
        output.argmaxAgreement < gates.minArgmax)
      return llvm::formatv("output '{0}' argmax agreement {1:p} < {2:p}",
                           output.name, output.argmaxAgreement,
                           gates.minArgmax);
  }
  return "";
}

/// The attribute that marks the quantized copy of GEMM i in the probe.
constexpr StringLiteral kProbeAttrName = "xf.probe";

/// Each GEMM's own quantization error, apart from what earlier layers add:
/// the SQNR of a quantized copy of it, fed the float model's activations,
/// against the float GEMM. One compile of the float model with the
/// quantized copies on the side, run on `samples`.
llvm::Expected<std::vector<double>>
measureOwnSqnr(ModuleOp module, unsigned numGemms,
               std::unique_ptr<Pass> quantize, ArrayRef<Sample> samples,
               const ExecutorOptions &options) {
  OwningOpRef<ModuleOp> copy = module.clone();
  Builder builder(module.getContext());
  for (const WeightedGemm &gemm : findWeightedGemms(*copy)) {
    auto id = gemm.op->getAttrOfType<IntegerAttr>(kGemmIdAttrName);
    if (!id)
      continue;
    OpBuilder b(gemm.op);
    b.setInsertionPointAfter(gemm.biasAdd ? gemm.biasAdd : gemm.op);
    IRMapping mapping;
    Operation *probe = b.clone(*gemm.op, mapping);
    if (gemm.biasAdd)
      b.clone(*gemm.biasAdd, mapping);
    probe->removeAttr(kGemmIdAttrName);
    probe->removeAttr("xf.quantize");
    probe->setAttr(kProbeAttrName, id);
    gemm.op->setAttr("xf.quantize", builder.getBoolAttr(false));
  }
  PassManager pm(module.getContext());
  pm.addPass(std::move(quantize));
  if (failed(pm.run(*copy)))
    return llvm::createStringError("quantizing the probe model failed");
  SmallVector<Value> values(2 * numGemms);
  for (const WeightedGemm &gemm : findWeightedGemms(*copy))
    if (auto id = gemm.op->getAttrOfType<IntegerAttr>(kGemmIdAttrName))
      values[2 * id.getInt()] = gemm.getResult();
  copy->walk([&](Operation *op) {
    if (auto id = op->getAttrOfType<IntegerAttr>(kProbeAttrName))
      values[2 * id.getInt() + 1] = op->getResult(0);
  });
  FailureOr<InstrumentedModel> probe =
      compileWithExtraOutputs(*copy, values, options);
  if (failed(probe))
    return llvm::createStringError("compiling the probe model failed");
  return measurePairedSqnr(*probe, samples,
                           findPaddingMask(probe->getModel()));
}

} // namespace

LogicalResult calibration::quantizeModel(ModuleOp module,
                                         const QuantizeModelOptions &options,
                                         llvm::raw_ostream &log) {
  auto fail = [&](const llvm::Twine &message) {
    return module.emitError(message);
  };
  if (options.precision != "fp32" && options.precision != "bf16")
    return fail("unknown --precision=" + options.precision +
                "; choose fp32 or bf16");
  if (!options.mode.empty() &&
      !llvm::is_contained({"w8a8", "w8a8-dynamic", "w8", "w4"}, options.mode))
    return fail("unknown --quantize=" + options.mode +
                "; choose w8a8, w8a8-dynamic, w8 or w4");
  std::optional<Calibrator> calibrator = parseCalibrator(options.calibrator);
  if (!calibrator)
    return fail("unknown --calibrator=" + options.calibrator +
                "; choose minmax, percentile or entropy");
  if (options.smoothQuantAlpha &&
      !(*options.smoothQuantAlpha >= 0 && *options.smoothQuantAlpha <= 1))
    return fail(llvm::formatv("--smooth-quant alpha must be in [0, 1], got {0}",
                              *options.smoothQuantAlpha));
  if (options.groupSize < 0)
    return fail("--quant-group-size must be >= 0 (0: one group per output "
                "channel), got " + llvm::Twine(options.groupSize));
  if (options.minCosine && !(*options.minCosine >= -1 && *options.minCosine <= 1))
    return fail(llvm::formatv("--quant-min-cosine must be in [-1, 1], got {0}",
                              *options.minCosine));
  if (options.minArgmaxAgreement && !(*options.minArgmaxAgreement >= 0 &&
                                      *options.minArgmaxAgreement <= 1))
    return fail(llvm::formatv("--quant-min-argmax must be in [0, 1], got {0}",
                              *options.minArgmaxAgreement));
  if (!(options.percentile > 0 && options.percentile <= 100))
    return fail("--calibration-percentile must be in (0, 100]");
  if (!options.calibrationDir.empty() && options.calibrationSamples > 0)
    return fail("give either --calibration=DIR or --calibration-samples=N, "
                "not both");
  const PruneModelOptions &prune = options.prune;
  for (auto [ratio, flag] : {std::pair(prune.ffnRatio, "--prune-ffn"),
                             std::pair(prune.headsRatio, "--prune-heads")})
    if (ratio && !(*ratio >= 0 && *ratio < 1))
      return fail(llvm::formatv("{0} must be in [0, 1), got {1}", flag, *ratio));
  if (prune.numLayers < 0)
    return fail("--prune-layers must be >= 0, got " +
                llvm::Twine(prune.numLayers));
  if (prune.ffnImportance != "wanda" && prune.ffnImportance != "magnitude")
    return fail("unknown --prune-importance=" + prune.ffnImportance +
                "; choose wanda or magnitude");
  if (prune.headImportance != "calibrated" && prune.headImportance != "weights")
    return fail("unknown --prune-head-importance=" + prune.headImportance +
                "; choose calibrated or weights");
  if (prune.gqa != "groups" && prune.gqa != "per-group")
    return fail("unknown --prune-gqa=" + prune.gqa +
                "; choose groups or per-group");
  if (prune.flopBudget && !(*prune.flopBudget > 0 && *prune.flopBudget <= 1))
    return fail(llvm::formatv("--prune-budget=flops:F needs F in (0, 1] (the "
                              "fraction of GEMM FLOPs to keep), got {0}",
                              *prune.flopBudget));
  if (prune.flopBudget && (prune.ffnRatio || prune.headsRatio))
    return fail("--prune-budget chooses the heads and FFN neurons itself; "
                "drop --prune-heads / --prune-ffn (--prune-layers combines)");
  if (!(prune.maxLayerChange > 0))
    return fail("--prune-max-layer-change must be > 0");
  if (prune.unstructuredSparsity && !(*prune.unstructuredSparsity >= 0 &&
                                      *prune.unstructuredSparsity < 1))
    return fail(llvm::formatv("--prune-unstructured must be in [0, 1), got {0}",
                              *prune.unstructuredSparsity));
  if (prune.nm && !(prune.nm->first > 0 && prune.nm->first < prune.nm->second))
    return fail(llvm::formatv("--prune-nm={0}:{1} needs 0 < N < M (keep N of "
                              "every M weights, e.g. 2:4)",
                              prune.nm->first, prune.nm->second));
  if (prune.unstructuredSparsity && prune.nm)
    return fail("choose one of --prune-unstructured and --prune-nm");
  bool pruning = prune.flopBudget.has_value() ||
                 (prune.ffnRatio && *prune.ffnRatio > 0) ||
                 (prune.headsRatio && *prune.headsRatio > 0) ||
                 prune.numLayers > 0 ||
                 (prune.unstructuredSparsity &&
                  *prune.unstructuredSparsity > 0) ||
                 prune.nm.has_value();
  bool needsCalibration =
      options.mode == "w8a8" || options.smoothQuantAlpha.has_value() ||
      pruning;
  if (needsCalibration && options.calibrationDir.empty() &&
      options.calibrationSamples <= 0)
    return fail(llvm::Twine(options.mode == "w8a8"  ? "--quantize=w8a8"
                            : options.smoothQuantAlpha ? "--smooth-quant"
                                                       : "pruning") +
                " needs calibration data: --calibration=DIR (one "
                "subdirectory of NAME.npy / .pb inputs per sample), or "
                "--calibration-samples=N for a synthetic smoke run");

  unsigned numGemms = numberGemms(module);
  if (numGemms == 0)
    return fail("nothing to quantize: the model has no MatMul/Gemm with a "
                "constant 2-D f32 weight");
  std::vector<std::string> names(numGemms);
  std::vector<std::pair<int64_t, int64_t>> shapes(numGemms);
  for (const WeightedGemm &gemm : findWeightedGemms(module)) {
    int64_t id =
        gemm.op->getAttrOfType<IntegerAttr>(kGemmIdAttrName).getInt();
    names[id] = getGemmName(gemm.op, id);
    shapes[id] = {gemm.k, gemm.n};
  }

  // The float model, as every evaluation's reference.
  FailureOr<InstrumentedModel> reference =
      instrumentGemms(module, GemmTensor::Output, options.executor);
  if (failed(reference))
    return failure();

  llvm::Expected<SampleSplit> samples =
      !options.calibrationDir.empty()
          ? loadSamples(options.calibrationDir, reference->getModel(),
                        options.heldOutFraction)
          : generateSamples(reference->getModel(),
                            options.calibrationSamples > 0
                                ? options.calibrationSamples
                                : kDefaultSyntheticSamples,
                            options.seed, options.heldOutFraction);
  if (!samples)
    return fail(llvm::toString(samples.takeError()));
  if (options.calibrationDir.empty() && options.calibrationSamples <= 0)
    log << "xfc: quantize: no calibration data given; the accuracy report "
           "uses "
        << kDefaultSyntheticSamples
        << " synthetic samples (give --calibration=DIR for real data)\n";

  auto calibrate = [&]() -> LogicalResult {
    FailureOr<InstrumentedModel> inputs =
        instrumentGemms(module, GemmTensor::Input, options.executor);
    if (failed(inputs))
      return failure();
    llvm::Expected<std::vector<TensorStats>> stats = collectStats(
        *inputs, samples->fit, *calibrator != Calibrator::MinMax);
    if (!stats)
      return fail(llvm::toString(stats.takeError()));
    annotateGemms(module, *stats, *calibrator, options.percentile);
    return success();
  };

  Report report;
  report.mode = options.mode;
  report.precision = options.precision;
  report.samples = &*samples;
  report.calibrator = getCalibratorName(*calibrator).str();
  report.smoothQuantAlpha = options.smoothQuantAlpha;
  report.names = names;
  report.shapes = shapes;
  Gates gates = getGates(options);
  report.minCosine = gates.minCosine;
  report.minArgmax = gates.minArgmax;
  report.minLayerSqnr = gates.minLayerSqnr;
  report.argmaxGateOutputs = gates.argmaxOutputs;

  if (needsCalibration && failed(calibrate()))
    return failure();
  // The model as given, to time against.
  OwningOpRef<ModuleOp> original;
  if (pruning) {
    original = module.clone();
    PruningSummary summary;
    if (failed(pruneModel(module, prune, samples->fit, options.executor,
                          calibrate, summary, log)))
      return failure();
    report.pruning = summary;
    for (const WeightedGemm &gemm : findWeightedGemms(module))
      if (auto id = gemm.op->getAttrOfType<IntegerAttr>(kGemmIdAttrName))
        report.shapes[id.getInt()] = {gemm.k, gemm.n};
    // Pruning changed the activations downstream.
    if (failed(calibrate()))
      return failure();
  }
  if (options.smoothQuantAlpha) {
    SmoothQuantPassOptions smoothOptions;
    smoothOptions.alpha = *options.smoothQuantAlpha;
    if (failed(runPass(module, createSmoothQuantPass(smoothOptions))))
      return failure();
    // The activations changed: their ranges must be measured again.
    if (options.mode == "w8a8" && failed(calibrate()))
      return failure();
  }

  auto createQuantize = [&] {
    QuantizePassOptions quantizeOptions;
    quantizeOptions.mode = options.mode;
    quantizeOptions.groupSize = options.groupSize;
    quantizeOptions.symmetric = options.symmetric;
    return createQuantizePass(quantizeOptions);
  };

  // Which GEMMs stay in float, and why: first those whose own error is
  // too large, then, while the output gate fails, the next in order of
  // their own SQNR, twice as many each round.
  llvm::MapVector<int64_t, std::string> fallbacks;
  std::vector<double> ownSqnr(numGemms, INFINITY);
  if (!options.mode.empty()) {
    llvm::Expected<std::vector<double>> measured = measureOwnSqnr(
        module, numGemms, createQuantize(), samples->fit, options.executor);
    if (!measured)
      return fail(llvm::toString(measured.takeError()));
    ownSqnr = *measured;
    for (unsigned id = 0; id < numGemms; ++id)
      if (ownSqnr[id] < gates.minLayerSqnr)
        fallbacks[id] = llvm::formatv("its own SQNR {0:f1} dB < {1} dB",
                                      ownSqnr[id], gates.minLayerSqnr);
  }
  report.ownSqnr = ownSqnr;
  SmallVector<unsigned> bySensitivity = llvm::to_vector(llvm::seq<unsigned>(0, numGemms));
  llvm::stable_sort(bySensitivity, [&](unsigned a, unsigned b) {
    return ownSqnr[a] < ownSqnr[b];
  });
  auto quantizeWithFallbacks = [&](ModuleOp target) -> LogicalResult {
    target.walk([&](Operation *op) {
      if (auto id = op->getAttrOfType<IntegerAttr>(kGemmIdAttrName);
          id && fallbacks.count(id.getInt()))
        op->setAttr("xf.quantize", BoolAttr::get(op->getContext(), false));
    });
    if (options.mode.empty())
      return success();
    return runPass(target, createQuantize());
  };

  std::optional<Evaluation> accepted;
  std::string gateFailure;
  for (int round = 0; round < kMaxFallbackRounds; ++round) {
    OwningOpRef<ModuleOp> candidate = module.clone();
    if (failed(quantizeWithFallbacks(*candidate)))
      return failure();
    ExecutorOptions candidateOptions = options.executor;
    candidateOptions.precision = options.precision;
    FailureOr<InstrumentedModel> compiled =
        instrumentGemms(*candidate, GemmTensor::Output, candidateOptions);
    if (failed(compiled))
      return failure();
    llvm::Expected<Evaluation> evaluation =
        evaluate(*reference, *compiled, samples->heldOut, names,
                 findPaddingMask(reference->getModel()));
    if (!evaluation)
      return fail(llvm::toString(evaluation.takeError()));
    report.rounds = round + 1;
    report.evaluation = *evaluation;

    gateFailure = checkOutputGate(*evaluation, gates);
    if (gateFailure.empty()) {
      accepted = *evaluation;
      break;
    }
    // Without quantized GEMMs there is nothing to send back to float.
    if (options.mode.empty())
      break;
    // The next 2^round most sensitive GEMMs go back to float.
    size_t count = size_t(1) << round, added = 0;
    for (unsigned id : bySensitivity) {
      if (added == count)
        break;
      if (fallbacks.count(id))
        continue;
      fallbacks[id] = llvm::formatv(
          "output gate ({0}); its own SQNR {1:f1} dB", gateFailure, ownSqnr[id]);
      ++added;
    }
    if (added == 0)
      break;
  }
  report.fallbacks = fallbacks;
  report.gatePassed = accepted.has_value();
  if (accepted && pruning) {
    // What it was all for: one run, before and after, on this machine.
    OwningOpRef<ModuleOp> compressed = module.clone();
    if (failed(quantizeWithFallbacks(*compressed)))
      return failure();
    ArrayRef<Sample> timed =
        samples->heldOut.empty() ? samples->fit : samples->heldOut;
    ExecutorOptions timedOptions = options.executor;
    timedOptions.precision = options.precision;
    llvm::Expected<double> before =
        measureLatency(*original, timed, options.executor);
    llvm::Expected<double> after =
        before ? measureLatency(*compressed, timed, timedOptions)
               : llvm::Expected<double>(0.0);
    if (!before || !after)
      return fail(llvm::toString(before ? after.takeError()
                                        : before.takeError()));
    report.latencyBeforeMs = *before;
    report.latencyAfterMs = *after;
  }
  report.gateFailure = gateFailure;
  if (failed(writeReport(report, options.reportPath, log)))
    return failure();
  if (!accepted && pruning && options.mode.empty() &&
      options.precision != "bf16" && !options.smoothQuantAlpha)
    return fail("pruning accuracy gate not met (" + gateFailure +
                "); see the report, prune less, or relax the gate "
                "(--quant-min-cosine, --quant-min-argmax)");
  if (!accepted)
    return fail("quantization accuracy gate not met (" + gateFailure +
                ") even with " + llvm::Twine(fallbacks.size()) + " of " +
                llvm::Twine(numGemms) +
                " GEMMs kept in float; see the report, relax the gate "
                "(--quant-min-cosine, --quant-min-argmax) or choose another "
                "mode" +
                (pruning ? "; pruning alone moved the output this far if no "
                           "GEMM is quantized: prune less"
                         : ""));
  return quantizeWithFallbacks(module);
}
