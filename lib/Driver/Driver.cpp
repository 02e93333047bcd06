//===- Driver.cpp - The xfc compiler driver -------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Driver/Driver.h"

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/Calibration/QuantizeModel.h"
#include "xfc/Frontend/ONNX.h"
#include "xfc/InitAllDialects.h"
#include "xfc/InitAllPasses.h"
#include "xfc/Pipelines/Pipelines.h"
#include "xfc/Support/AtomicFile.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/Debug/CLOptionsSetup.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

namespace xfc {
namespace {

cl::OptionCategory category("xfc options");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx|.mlir>"),
                               cl::cat(category));
cl::opt<std::string> outputPath("o", cl::desc("Output path ('-' for stdout)"),
                                cl::value_desc("path"), cl::cat(category));
cl::opt<bool> listOperators(
    "list-onnx-operators",
    cl::desc("Print the ONNX operators the frontend imports and exit"),
    cl::init(false), cl::cat(category));
cl::opt<std::string> emit(
    "emit",
    cl::desc("What to write: xf (the xf dialect after --compile-to), "
             "linalg, llvm-mlir, llvm-ir, asm, obj, or artifact "
             "(OUTPUT.so + OUTPUT.weights; the default with --target)"),
    cl::init(""), cl::cat(category));
cl::opt<std::string> target("target",
                            cl::desc("Compile for this target: cpu"),
                            cl::init(""), cl::cat(category));
cl::opt<std::string> cpuName(
    "cpu",
    cl::desc("CPU to generate code for: host (default: this machine), "
             "x86-64-v2, x86-64-v3, x86-64-v4, or an LLVM CPU name"),
    cl::init("host"), cl::cat(category));
cl::opt<std::string>
    cpuFeatures("cpu-features",
                cl::desc("Extra LLVM target features, e.g. -avx512f"),
                cl::init(""), cl::cat(category));
cl::opt<std::string> cpuGemm(
    "cpu-gemm",
    cl::desc("How the CPU backend runs GEMMs: onednn (default) or codegen"),
    cl::init("onednn"), cl::cat(category));
cl::opt<std::string> cpuAttention(
    "cpu-attention",
    cl::desc("How the CPU backend runs attention: flash (default: the "
             "runtime's tiled kernel) or reference (the decomposition)"),
    cl::init("flash"), cl::cat(category));
cl::opt<bool> fuseAttention(
    "fuse-attention",
    cl::desc("Rewrite decomposed attention to xf.attention (default on; "
             "--fuse-attention=false)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> fuseNorms(
    "fuse-norms",
    cl::desc("Rewrite decomposed LayerNorm/RMSNorm (and residual adds "
             "before LayerNorm) to their ops (default on)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> fuseActivations(
    "fuse-activations",
    cl::desc("Rewrite decomposed GELU and SiLU to their ops (default on)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> fuseRope(
    "fuse-rope",
    cl::desc("Rewrite rotate-half RoPE to xf.rope (default on)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> fusions(
    "fusions",
    cl::desc("Run the graph fusions at all (default on; --fusions=false "
             "switches every --fuse-* off)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> fuseQKV(
    "fuse-qkv",
    cl::desc("Pack GEMMs that share their input (attention's Q, K, V "
             "projections) into one (default on; --fuse-qkv=false)"),
    cl::init(true), cl::cat(category));
cl::opt<bool> sparseWeights(
    "sparse-weights",
    cl::desc("Store weights that are at least half zeros (pruned) "
             "compressed in the CPU artifact's weights file, expanded at "
             "load (default on; --sparse-weights=false stores them dense)"),
    cl::init(true), cl::cat(category));
// Quantization (docs/quantization.md).
cl::OptionCategory quantCategory("xfc quantization options");
cl::opt<std::string> quantize(
    "quantize",
    cl::desc("Quantize GEMMs with constant weights: w8a8 (static, "
             "calibrated), w8a8-dynamic, w8 or w4 (weight-only)"),
    cl::init(""), cl::cat(quantCategory));
cl::opt<std::string> calibrationDir(
    "calibration",
    cl::desc("Calibration inputs: one subdirectory per sample holding "
             "NAME.npy or a .pb TensorProto for each model input"),
    cl::init(""), cl::cat(quantCategory));
cl::opt<int64_t> calibrationSamples(
    "calibration-samples",
    cl::desc("Use N seeded synthetic input sets instead (smoke runs)"),
    cl::init(0), cl::cat(quantCategory));
cl::opt<uint64_t> calibrationSeed("calibration-seed",
                                  cl::desc("Seed of the synthetic samples"),
                                  cl::init(0), cl::cat(quantCategory));
cl::opt<double> calibrationHoldout(
    "calibration-holdout",
    cl::desc("Fraction of the samples held out for the accuracy report "
             "(default 0.25)"),
    cl::init(0.25), cl::cat(quantCategory));
cl::opt<std::string> calibrator(
    "calibrator",
    cl::desc("Activation range for w8a8: minmax, percentile or entropy"),
    cl::init("minmax"), cl::cat(quantCategory));
cl::opt<double> calibrationPercentile(
    "calibration-percentile",
    cl::desc("Percentile of |x| the percentile calibrator keeps (99.99)"),
    cl::init(99.99), cl::cat(quantCategory));
cl::opt<int64_t> quantGroupSize(
    "quant-group-size",
    cl::desc("Input features per scale for w8/w4 (default 128; 0: one per "
             "output channel)"),
    cl::init(128), cl::cat(quantCategory));
cl::opt<bool> quantSymmetric(
    "quant-symmetric",
    cl::desc("Symmetric weight-only quantization (default true; false: a "
             "zero point per group)"),
    cl::init(true), cl::cat(quantCategory));
cl::opt<double> smoothQuant(
    "smooth-quant",
    cl::desc("Run SmoothQuant with this alpha in [0, 1] before quantizing"),
    cl::cat(quantCategory));
cl::opt<double> quantMinCosine(
    "quant-min-cosine",
    cl::desc("Accuracy gate: least output cosine similarity (default 0.99, "
             "w4 0.98)"),
    cl::cat(quantCategory));
cl::opt<double> quantMinArgmax(
    "quant-min-argmax",
    cl::desc("Accuracy gate: least argmax agreement of the outputs "
             "--quant-argmax-outputs names (default 0.99, w4 off)"),
    cl::cat(quantCategory));
cl::opt<double> quantMinLayerSqnr(
    "quant-min-layer-sqnr",
    cl::desc("Per-GEMM gate on its own SQNR in dB (quantized alone); a GEMM "
             "below stays in float (default 20, w4 12)"),
    cl::cat(quantCategory));
cl::list<std::string> quantArgmaxOutputs(
    "quant-argmax-outputs",
    cl::desc("Outputs the argmax gate applies to (default: those named "
             "*logits*)"),
    cl::CommaSeparated, cl::cat(quantCategory));
cl::opt<std::string> precision(
    "precision",
    cl::desc("fp32 (default), or bf16: float GEMMs multiply in bf16 with "
             "f32 sums where the CPU has AVX512-BF16 (checked against fp32 "
             "on the calibration data like a quantization)"),
    cl::init("fp32"), cl::cat(quantCategory));
cl::opt<double> pruneFFN(
    "prune-ffn",
    cl::desc("Remove this fraction of every FFN's intermediate neurons "
             "(xf-prune-ffn), calibrated, before any quantization"),
    cl::cat(quantCategory));
cl::opt<std::string> pruneImportance(
    "prune-importance",
    cl::desc("FFN neuron and single-weight importance (--prune-ffn, "
             "--prune-unstructured, --prune-nm): wanda (default) or "
             "magnitude"),
    cl::init("wanda"), cl::cat(quantCategory));
cl::opt<double> pruneHeads(
    "prune-heads",
    cl::desc("Remove this fraction of every attention's heads "
             "(xf-prune-heads), chosen on calibration data"),
    cl::cat(quantCategory));
cl::opt<std::string> pruneHeadImportance(
    "prune-head-importance",
    cl::desc("Head importance: calibrated (default: how far the output "
             "moves when the head alone is removed) or weights"),
    cl::init("calibrated"), cl::cat(quantCategory));
cl::opt<std::string> pruneGqa(
    "prune-gqa",
    cl::desc("Grouped-query attention: remove whole KV groups (groups, "
             "default) or as many query heads from every group (per-group)"),
    cl::init("groups"), cl::cat(quantCategory));
cl::opt<int64_t> pruneLayers(
    "prune-layers",
    cl::desc("Remove this many whole attention/FFN sublayers (xf-prune-"
             "layers), FinerCut-style: greedily, the one whose removal moves "
             "the output least on calibration data"),
    cl::init(0), cl::cat(quantCategory));
cl::opt<std::string> pruneBudget(
    "prune-budget",
    cl::desc("flops:F — keep at most the fraction F of the GEMM FLOPs, "
             "removing heads and FFN neuron groups in order of measured "
             "output change per FLOP"),
    cl::init(""), cl::cat(quantCategory));
cl::opt<double> pruneMaxLayerChange(
    "prune-max-layer-change",
    cl::desc("--prune-budget's per-layer gate: a layer whose removals alone "
             "move the output more (relative squared error) stays unpruned "
             "(default 0.05)"),
    cl::init(0.05), cl::cat(quantCategory));
cl::opt<double> pruneUnstructured(
    "prune-unstructured",
    cl::desc("Zero this fraction of every GEMM's weights (xf-prune-"
             "unstructured, Wanda per output channel by default); saves "
             "storage, not time"),
    cl::cat(quantCategory));
cl::opt<std::string> pruneNM(
    "prune-nm",
    cl::desc("N:M — keep N of every M consecutive weights along each GEMM's "
             "reduction dimension (xf-prune-nm, e.g. 2:4); saves storage, "
             "not time"),
    cl::init(""), cl::cat(quantCategory));
cl::opt<std::string> quantReport(
    "quant-report",
    cl::desc("Write the quantization report as JSON here (and PATH.html)"),
    cl::init(""), cl::cat(quantCategory));

cl::opt<bool> progress("progress",
                       cl::desc("Print every phase with its time (phases "
                                "longer than a second are always printed)"),
                       cl::init(false), cl::cat(category));
cl::opt<std::string> compileTo(
    "compile-to",
    cl::desc("Stop after this phase: import | graph-opt (default)"),
    cl::init("graph-opt"), cl::cat(category));
cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Fix an input's shape, e.g. --input-shape input_ids=1x128 "
             "(repeatable; replaces symbolic dims)"),
    cl::value_desc("name=dims"), cl::cat(category));
cl::opt<bool> emitBytecode("emit-bytecode",
                           cl::desc("Write MLIR bytecode instead of text "
                                    "(default for a .mlirbc output)"),
                           cl::init(false), cl::cat(category));

/// The file a location points into, and its line when it has one.
std::optional<FileLineColLoc> findFileLoc(Location loc) {
  std::optional<FileLineColLoc> found;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      found = file;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return found;
}

/// Prints "<file>: error: message" for model locations (line 0: ONNX has
/// no lines) and "<file>:<line>:<col>: error: message" for MLIR input.
LogicalResult printDiagnostic(Diagnostic &diag) {
  llvm::raw_ostream &os = llvm::errs();
  if (std::optional<FileLineColLoc> file = findFileLoc(diag.getLocation())) {
    os << file->getFilename().getValue();
    if (file->getLine() != 0)
      os << ":" << file->getLine() << ":" << file->getColumn();
    os << ": ";
  } else {
    os << "xfc: ";
  }
  // Verifier messages ("'xf.add' op ...") of imported ops: name the ONNX
  // node they came from, which their NameLoc holds.
  std::string message = diag.str();
  if (StringRef(message).starts_with("'")) {
    diag.getLocation()->walk([&](Location inner) {
      if (auto name = dyn_cast<NameLoc>(inner)) {
        message = "node '" + name.getName().str() + "': " + message;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
  }
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    llvm::WithColor(os, llvm::HighlightColor::Error) << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    llvm::WithColor(os, llvm::HighlightColor::Warning) << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    llvm::WithColor(os, llvm::HighlightColor::Note) << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    llvm::WithColor(os, llvm::HighlightColor::Remark) << "remark: ";
    break;
  }
  os << message << "\n";
  for (Diagnostic &note : diag.getNotes())
    (void)printDiagnostic(note);
  return success();
}

/// Writes `module` to outputPath through a temporary file in the same
/// directory, renamed into place only when complete.
LogicalResult writeOutput(ModuleOp module, bool bytecode) {
  auto print = [&](llvm::raw_ostream &os) -> LogicalResult {
    if (bytecode)
      return writeBytecodeToFile(module, os);
    module.print(os);
    return success();
  };
  if (llvm::Error error = writeFileAtomically(outputPath, print)) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << llvm::toString(std::move(error)) << "\n";
    return failure();
  }
  return success();
}

/// Runs one named phase, timing it under `parent` and printing a progress
/// line when it is slow (or --progress asks for every phase).
LogicalResult runPhase(TimingScope &parent, StringRef name,
                       llvm::function_ref<LogicalResult(TimingScope &)> body) {
  TimingScope scope = parent.nest(name);
  auto start = std::chrono::steady_clock::now();
  LogicalResult result = body(scope);
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (succeeded(result) && (progress || seconds >= 1.0))
    llvm::errs() << llvm::formatv("xfc: {0,-10} {1,6:f2} s\n", name, seconds);
  return result;
}

/// Runs a pass pipeline built by `build` as one phase.
LogicalResult runPipeline(ModuleOp module, TimingScope &parent, StringRef name,
                          llvm::function_ref<void(OpPassManager &)> build) {
  return runPhase(parent, name, [&](TimingScope &scope) {
    PassManager pm(module->getContext());
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    pm.enableTiming(scope);
    build(pm);
    return pm.run(module);
  });
}

/// The backend half of the driver: xf after graph-opt → what --emit asks.
LogicalResult compileForCPU(ModuleOp module, TimingScope &rootTiming) {
  FailureOr<std::pair<std::vector<cpu::TensorSignature>,
                      std::vector<cpu::TensorSignature>>>
      signature = cpu::getEntrySignature(module);
  if (failed(signature))
    return failure();
  cpu::CPUPipelineOptions options;
  options.gemm = cpuGemm;
  options.fuseQKV = fusions && fuseQKV;
  options.fuseAttention = fusions && fuseAttention;
  options.fuseNorms = fusions && fuseNorms;
  options.fuseActivations = fusions && fuseActivations;
  options.fuseRope = fusions && fuseRope;
  options.attention = cpuAttention;
  options.sparseWeights = sparseWeights;
  if (failed(runPipeline(module, rootTiming, "linalg", [&](OpPassManager &pm) {
        cpu::buildCPULinalgPipeline(pm, options);
      })))
    return failure();
  if (emit == "linalg")
    return writeOutput(module, /*bytecode=*/false);
  if (failed(runPipeline(module, rootTiming, "llvm-mlir",
                         [&](OpPassManager &pm) {
                           cpu::buildCPULLVMPipeline(pm, options);
                         })))
    return failure();
  if (emit == "llvm-mlir")
    return writeOutput(module, /*bytecode=*/false);
  cpu::CPUOutputKind kind = llvm::StringSwitch<cpu::CPUOutputKind>(emit)
                                .Case("llvm-ir", cpu::CPUOutputKind::LLVMIR)
                                .Case("asm", cpu::CPUOutputKind::Assembly)
                                .Case("obj", cpu::CPUOutputKind::Object)
                                .Default(cpu::CPUOutputKind::Artifact);
  cpu::CPUTargetOptions targetOptions;
  targetOptions.cpu = cpuName;
  targetOptions.features = cpuFeatures;
  targetOptions.precision = precision;
  return runPhase(rootTiming, "codegen", [&](TimingScope &) {
    return cpu::writeCPUOutput(module, outputPath, kind, targetOptions,
                               signature->first, signature->second);
  });
}

OwningOpRef<ModuleOp> loadInput(MLIRContext &context,
                                const ONNXImportOptions &options) {
  return loadModelFile(context, inputPath, options, &llvm::errs());
}

} // namespace

int runDriverMain(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Known passes first, so that --mlir-print-ir-after=PASS can name any of
  // them (the option reads the registry when it is created).
  registerAllPasses();
  cpu::registerCPUPipelines();
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  cl::HideUnrelatedOptions(
      {&category, &quantCategory, &cl::getGeneralCategory()});
  cl::ParseCommandLineOptions(
      argc, argv,
      "xfc: compile Transformer models (ONNX or xf MLIR) ahead of time\n");

  if (listOperators) {
    for (const std::string &name : getSupportedONNXOperators())
      llvm::outs() << name << "\n";
    return 0;
  }
  if (inputPath.empty() || outputPath.empty()) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "usage: xfc MODEL -o OUTPUT [options]; see xfc --help\n";
    return 1;
  }

  ONNXImportOptions options;
  for (const std::string &shape : inputShapes) {
    std::string error = parseInputShapeOption(shape, options);
    if (!error.empty()) {
      llvm::WithColor::error(llvm::errs(), "xfc") << error << "\n";
      return 1;
    }
  }
  std::optional<Phase> lastPhase = parsePhase(compileTo);
  if (!lastPhase) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --compile-to phase '" << compileTo
        << "'; phases: import, graph-opt\n";
    return 1;
  }
  if (emit.empty())
    emit = target.empty() ? "xf" : "artifact";
  if (!llvm::is_contained({"xf", "linalg", "llvm-mlir", "llvm-ir", "asm",
                           "obj", "artifact"},
                          emit)) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --emit=" << emit
        << "; choose xf, linalg, llvm-mlir, llvm-ir, asm, obj or artifact\n";
    return 1;
  }
  if (emit != "xf" && target.empty())
    target = "cpu";
  if (!target.empty() && target != "cpu") {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --target=" << target
        << "; this build compiles for: cpu\n";
    return 1;
  }
  if (cpuGemm != "onednn" && cpuGemm != "codegen") {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --cpu-gemm=" << cpuGemm << "; choose onednn or codegen\n";
    return 1;
  }
  if (cpuAttention != "flash" && cpuAttention != "reference") {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --cpu-attention=" << cpuAttention
        << "; choose flash or reference\n";
    return 1;
  }
  if (!target.empty()) {
    if (std::string error = cpu::checkCPUName(cpuName); !error.empty()) {
      llvm::WithColor::error(llvm::errs(), "xfc") << error << "\n";
      return 1;
    }
  }
  if (emit == "artifact" && outputPath == "-") {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "an artifact is two files: give -o PATH (writes PATH.so and "
           "PATH.weights)\n";
    return 1;
  }
  if (emit != "xf" && *lastPhase != Phase::GraphOpt) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "--compile-to=" << compileTo << " stops before --emit=" << emit
        << " can be produced\n";
    return 1;
  }

  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler handler(&context, printDiagnostic);

  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope rootTiming = timing.getRootScope();

  OwningOpRef<ModuleOp> module;
  if (failed(runPhase(rootTiming, "import", [&](TimingScope &) {
        module = loadInput(context, options);
        return success(static_cast<bool>(module));
      })))
    return 1;

  if (*lastPhase >= Phase::GraphOpt &&
      failed(runPipeline(*module, rootTiming, "graph-opt",
                         [](OpPassManager &pm) {
                           buildGraphOptPipeline(pm, GraphOptPipelineOptions());
                         })))
    return 1;

  if (precision != "fp32" && precision != "bf16") {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "unknown --precision=" << precision << "; choose fp32 or bf16\n";
    return 1;
  }
  if (!quantize.empty() || smoothQuant.getNumOccurrences() ||
      precision == "bf16" || pruneFFN.getNumOccurrences() ||
      pruneHeads.getNumOccurrences() || pruneLayers.getNumOccurrences() ||
      !pruneBudget.empty() || pruneUnstructured.getNumOccurrences() ||
      !pruneNM.empty()) {
    calibration::QuantizeModelOptions quantOptions;
    quantOptions.mode = quantize;
    quantOptions.groupSize = quantGroupSize;
    quantOptions.symmetric = quantSymmetric;
    if (smoothQuant.getNumOccurrences())
      quantOptions.smoothQuantAlpha = smoothQuant;
    quantOptions.calibrationDir = calibrationDir;
    quantOptions.calibrationSamples = calibrationSamples;
    quantOptions.seed = calibrationSeed;
    quantOptions.calibrator = calibrator;
    quantOptions.percentile = calibrationPercentile;
    quantOptions.heldOutFraction = calibrationHoldout;
    if (quantMinCosine.getNumOccurrences())
      quantOptions.minCosine = quantMinCosine;
    if (quantMinArgmax.getNumOccurrences())
      quantOptions.minArgmaxAgreement = quantMinArgmax;
    if (quantMinLayerSqnr.getNumOccurrences())
      quantOptions.minLayerSqnrDb = quantMinLayerSqnr;
    quantOptions.reportPath = quantReport;
    quantOptions.precision = precision;
    if (pruneFFN.getNumOccurrences())
      quantOptions.prune.ffnRatio = pruneFFN;
    quantOptions.prune.ffnImportance = pruneImportance;
    if (pruneHeads.getNumOccurrences())
      quantOptions.prune.headsRatio = pruneHeads;
    quantOptions.prune.headImportance = pruneHeadImportance;
    quantOptions.prune.gqa = pruneGqa;
    quantOptions.prune.numLayers = pruneLayers;
    quantOptions.prune.maxLayerChange = pruneMaxLayerChange;
    if (!pruneBudget.empty()) {
      auto [metric, value] = StringRef(pruneBudget).split(':');
      double fraction;
      if (metric != "flops" || value.getAsDouble(fraction)) {
        llvm::WithColor::error(llvm::errs(), "xfc")
            << "--prune-budget=" << pruneBudget
            << " is not flops:F (F the fraction of GEMM FLOPs to keep, e.g. "
               "flops:0.6)\n";
        return 1;
      }
      quantOptions.prune.flopBudget = fraction;
    }
    if (pruneUnstructured.getNumOccurrences())
      quantOptions.prune.unstructuredSparsity = pruneUnstructured;
    if (!pruneNM.empty()) {
      auto [n, m] = StringRef(pruneNM).split(':');
      int64_t keep, group;
      if (n.getAsInteger(10, keep) || m.getAsInteger(10, group)) {
        llvm::WithColor::error(llvm::errs(), "xfc")
            << "--prune-nm=" << pruneNM
            << " is not N:M (keep N of every M weights, e.g. 2:4)\n";
        return 1;
      }
      quantOptions.prune.nm = {keep, group};
    }
    quantOptions.argmaxOutputs.assign(quantArgmaxOutputs.begin(),
                                      quantArgmaxOutputs.end());
    quantOptions.executor.gemm = cpuGemm;
    if (failed(runPhase(rootTiming, "quantize", [&](TimingScope &) {
          return calibration::quantizeModel(*module, quantOptions,
                                            llvm::errs());
        })))
      return 1;
  } else if (!calibrationDir.empty() || calibrationSamples.getNumOccurrences()) {
    llvm::WithColor::error(llvm::errs(), "xfc")
        << "--calibration and --calibration-samples need --quantize=MODE, "
           "--smooth-quant=ALPHA or --precision=bf16\n";
    return 1;
  }

  if (emit != "xf")
    return succeeded(compileForCPU(*module, rootTiming)) ? 0 : 1;

  bool bytecode = emitBytecode || StringRef(outputPath).ends_with(".mlirbc");
  TimingScope writeTiming = rootTiming.nest("write");
  return succeeded(writeOutput(*module, bytecode)) ? 0 : 1;
}

} // namespace xfc
