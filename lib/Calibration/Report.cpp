//===- Report.cpp - The compression report --------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Report.h"

#include "xfc/Support/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/WithColor.h"

#include <cmath>

using namespace llvm;
using namespace xfc;
using namespace xfc::calibration;

static json::Value number(double value) {
  if (std::isfinite(value))
    return value;
  return nullptr;
}

json::Value calibration::toJSON(const Report &report) {
  json::Array gemms;
  std::map<int64_t, double> sqnr;
  if (report.evaluation)
    for (const LayerMetrics &layer : report.evaluation->layers)
      sqnr[layer.id] = layer.sqnrDb;
  for (size_t id = 0; id < report.names.size(); ++id) {
    json::Object gemm{{"id", static_cast<int64_t>(id)},
                      {"name", report.names[id]},
                      {"k", report.shapes[id].first},
                      {"n", report.shapes[id].second},
                      {"quantized", !report.mode.empty() &&
                                        !report.fallbacks.count(id)}};
    if (auto it = report.fallbacks.find(id); it != report.fallbacks.end())
      gemm["fallback_reason"] = it->second;
    if (auto it = sqnr.find(id); it != sqnr.end())
      gemm["sqnr_db"] = number(it->second);
    if (id < report.ownSqnr.size())
      gemm["own_sqnr_db"] = number(report.ownSqnr[id]);
    gemms.push_back(std::move(gemm));
  }
  json::Object calibration{{"calibrator", report.calibrator}};
  if (report.samples) {
    calibration["source"] = report.samples->source;
    calibration["synthetic"] = report.samples->synthetic;
    calibration["fit_samples"] = static_cast<int64_t>(report.samples->fit.size());
    calibration["held_out_samples"] =
        static_cast<int64_t>(report.samples->heldOut.size());
    calibration["held_out_is_fit"] = report.samples->heldOutIsFit;
  }
  json::Object result{
      {"mode", report.mode.empty() ? json::Value(nullptr) : json::Value(report.mode)},
      {"precision", report.precision},
      {"smooth_quant_alpha", report.smoothQuantAlpha
                                 ? json::Value(*report.smoothQuantAlpha)
                                 : json::Value(nullptr)},
      {"calibration", std::move(calibration)},
      {"gates", json::Object{{"min_cosine", number(report.minCosine)},
                             {"min_argmax_agreement", number(report.minArgmax)},
                             {"min_layer_sqnr_db", number(report.minLayerSqnr)},
                             {"argmax_outputs", report.argmaxGateOutputs.empty()
                                                    ? json::Value("*logits*")
                                                    : json::Value(json::Array(
                                                          report.argmaxGateOutputs))}}},
      {"gate_passed", report.gatePassed},
      {"rounds", report.rounds},
      {"gemms", std::move(gemms)},
  };
  if (!report.gateFailure.empty())
    result["gate_failure"] = report.gateFailure;
  if (report.pruning)
    result["pruning"] = json::Object{
        {"changes", json::Array(report.pruning->changes)},
        {"gemm_params_before", report.pruning->paramsBefore},
        {"gemm_params_after", report.pruning->paramsAfter},
        {"gemm_flops_before", report.pruning->flopsBefore},
        {"gemm_flops_after", report.pruning->flopsAfter},
        {"gemm_zero_weights", report.pruning->zeroWeights}};
  if (report.latencyBeforeMs && report.latencyAfterMs)
    result["latency_ms"] = json::Object{{"before", *report.latencyBeforeMs},
                                        {"after", *report.latencyAfterMs}};
  if (report.evaluation)
    result["evaluation"] = calibration::toJSON(*report.evaluation);
  return result;
}

static void printSummary(const Report &report, raw_ostream &log) {
  size_t total = report.names.size();
  size_t kept = report.fallbacks.size();
  log << "xfc: quantize " << (report.mode.empty() ? "(none)" : report.mode)
      << (report.precision == "bf16" ? ", float GEMMs in bf16" : "")
      << (report.smoothQuantAlpha
              ? formatv(" with SmoothQuant alpha {0}", *report.smoothQuantAlpha)
                    .str()
              : "")
      << ": " << total << " GEMMs with constant weights, "
      << (report.mode.empty() ? 0 : total - kept) << " quantized, " << kept
      << " kept in float\n";
  if (report.pruning) {
    for (const std::string &change : report.pruning->changes)
      log << "xfc: prune: " << change << "\n";
    log << formatv("xfc: prune: GEMM parameters {0} -> {1} ({2:p1}), GEMM "
                   "FLOPs per run {3:e2} -> {4:e2} ({5:p1})\n",
                   report.pruning->paramsBefore, report.pruning->paramsAfter,
                   double(report.pruning->paramsAfter) /
                       std::max<int64_t>(report.pruning->paramsBefore, 1),
                   static_cast<double>(report.pruning->flopsBefore),
                   static_cast<double>(report.pruning->flopsAfter),
                   double(report.pruning->flopsAfter) /
                       std::max<int64_t>(report.pruning->flopsBefore, 1));
    if (report.pruning->zeroWeights)
      log << formatv("xfc: prune: {0} of the {1} GEMM weights are zero "
                     "({2:p1} nonzero)\n",
                     report.pruning->zeroWeights, report.pruning->paramsAfter,
                     1.0 - double(report.pruning->zeroWeights) /
                               std::max<int64_t>(report.pruning->paramsAfter,
                                                 1));
  }
  if (report.latencyBeforeMs && report.latencyAfterMs)
    log << formatv("xfc: latency per run (median, this machine): {0:f2} ms "
                   "-> {1:f2} ms ({2:f2}x)\n",
                   *report.latencyBeforeMs, *report.latencyAfterMs,
                   *report.latencyBeforeMs / *report.latencyAfterMs);
  for (auto &[id, reason] : report.fallbacks)
    log << "xfc:   kept in float: " << report.names[id] << " [K=" << report.shapes[id].first
        << ", N=" << report.shapes[id].second << "]: " << reason << "\n";
  if (report.samples)
    log << "xfc: calibration: " << report.samples->fit.size() << " fitting + "
        << report.samples->heldOut.size() << " held-out samples from "
        << report.samples->source << " (" << report.calibrator << ")"
        << (report.samples->synthetic
                ? "; synthetic inputs: a smoke test, not an accuracy claim"
                : "")
        << (report.samples->heldOutIsFit
                ? "; only one sample, so held-out metrics reuse it"
                : "")
        << "\n";
  if (!report.evaluation)
    return;
  if (!report.evaluation->paddingMaskName.empty())
    log << "xfc: metrics leave out padding positions (input '"
        << report.evaluation->paddingMaskName << "' = 0)\n";
  for (const OutputMetrics &output : report.evaluation->outputs) {
    log << formatv("xfc: output '{0}': cosine {1:f6}, max abs error {2:e2}, "
                   "max rel error {3:e2}",
                   output.name, output.cosine, output.maxAbsError,
                   output.maxRelError);
    if (output.argmaxRows > 0)
      log << formatv(", argmax agreement {0:p2} of {1} rows",
                     output.argmaxAgreement, output.argmaxRows);
    log << "\n";
  }
  double worst = INFINITY;
  std::string worstName;
  for (const LayerMetrics &layer : report.evaluation->layers)
    if (!report.fallbacks.count(layer.id) && layer.sqnrDb < worst) {
      worst = layer.sqnrDb;
      worstName = layer.name;
    }
  if (!worstName.empty())
    log << formatv("xfc: lowest per-layer SQNR {0:f1} dB ({1})\n", worst,
                   worstName);
  std::string argmaxOutputs =
      report.argmaxGateOutputs.empty()
          ? std::string("outputs named *logits*")
          : llvm::join(report.argmaxGateOutputs, ", ");
  log << formatv("xfc: accuracy gate (cosine >= {0}; argmax agreement >= "
                 "{1:p0} for {4}; layer SQNR >= {2} dB): {3}\n",
                 report.minCosine, report.minArgmax, report.minLayerSqnr,
                 report.gatePassed ? "passed"
                                   : "FAILED: " + report.gateFailure,
                 argmaxOutputs);
}

/// A self-contained page: the summary and one bar per GEMM (SQNR).
static void printHTML(const Report &report, raw_ostream &os) {
  os << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<title>xfc quantization report</title><style>"
        "body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px}"
        ".kept{fill:#c44}.q{fill:#48c}</style></head><body>\n"
        "<h1>xfc quantization report</h1>\n<pre>";
  std::string summary;
  raw_string_ostream summaryStream(summary);
  printSummary(report, summaryStream);
  for (char c : summary)
    os << (c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : std::string(1, c));
  os << "</pre>\n";
  if (report.evaluation) {
    const auto &layers = report.evaluation->layers;
    double top = 1;
    for (const LayerMetrics &layer : layers)
      if (std::isfinite(layer.sqnrDb))
        top = std::max(top, layer.sqnrDb);
    int width = 14, height = 240;
    os << "<h2>Per-layer SQNR (dB) on held-out samples</h2>\n"
       << formatv("<svg width=\"{0}\" height=\"{1}\">", layers.size() * width + 40,
                  height + 20);
    for (auto [i, layer] : llvm::enumerate(layers)) {
      double value = std::isfinite(layer.sqnrDb) ? std::max(0.0, layer.sqnrDb) : top;
      int bar = static_cast<int>(value / top * height);
      os << formatv("<rect class=\"{0}\" x=\"{1}\" y=\"{2}\" width=\"{3}\" "
                    "height=\"{4}\"><title>{5}: {6:f1} dB</title></rect>",
                    report.fallbacks.count(layer.id) ? "kept" : "q",
                    40 + i * width, height - bar, width - 2, bar, layer.name,
                    layer.sqnrDb);
    }
    os << formatv("<text x=\"0\" y=\"12\">{0:f0}</text>", top)
       << formatv("<text x=\"0\" y=\"{0}\">0</text></svg>\n", height)
       << "<p>Blue: quantized; red: kept in float.</p>\n"
       << "<table><tr><th>#</th><th>GEMM</th><th>K</th><th>N</th>"
          "<th>SQNR dB</th><th>kept in float because</th></tr>\n";
    for (const LayerMetrics &layer : layers) {
      auto it = report.fallbacks.find(layer.id);
      os << formatv("<tr><td>{0}</td><td>{1}</td><td>{2}</td><td>{3}</td>"
                    "<td>{4:f1}</td><td>{5}</td></tr>\n",
                    layer.id, layer.name, report.shapes[layer.id].first,
                    report.shapes[layer.id].second, layer.sqnrDb,
                    it == report.fallbacks.end() ? "" : it->second);
    }
    os << "</table>\n";
  }
  os << "</body></html>\n";
}

mlir::LogicalResult calibration::writeReport(const Report &report,
                                             StringRef path, raw_ostream &log) {
  printSummary(report, log);
  if (path.empty())
    return mlir::success();
  auto fail = [&](Error error) {
    WithColor::error(errs(), "xfc") << toString(std::move(error)) << "\n";
    return mlir::failure();
  };
  if (Error error = writeFileAtomically(path, [&](raw_ostream &os) {
        os << formatv("{0:2}", toJSON(report)) << "\n";
        return mlir::success();
      }))
    return fail(std::move(error));
  if (Error error = writeFileAtomically((path + ".html").str(),
                                        [&](raw_ostream &os) {
                                          printHTML(report, os);
                                          return mlir::success();
                                        }))
    return fail(std::move(error));
  return mlir::success();
}
