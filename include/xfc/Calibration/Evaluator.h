//===- Evaluator.h - How far a compressed model moved -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Compares a compressed model (quantized, pruned) with the float model it
// came from on held-out samples: per output cosine similarity, errors and
// argmax agreement; per numbered GEMM the SQNR of its output. Both models
// are instrumented copies run through the executor.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_EVALUATOR_H
#define XFC_CALIBRATION_EVALUATOR_H

#include "xfc/Calibration/Collector.h"

#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace xfc::calibration {

struct OutputMetrics {
  std::string name;
  /// Over all held-out samples, the output flattened.
  double cosine = 1;
  double maxAbsError = 0;
  /// max |got - expected| / max |expected|.
  double maxRelError = 0;
  /// Fraction of rows (all indices but the last) whose argmax along the
  /// last dimension agrees; rows counted in argmaxRows.
  double argmaxAgreement = 1;
  int64_t argmaxRows = 0;
};

struct LayerMetrics {
  int64_t id;
  std::string name;
  /// 10·log10(Σ expected² / Σ (got - expected)²), +inf when equal.
  double sqnrDb;
};

struct Evaluation {
  std::vector<OutputMetrics> outputs;
  std::vector<LayerMetrics> layers;
  size_t numSamples = 0;
  /// The input whose padding positions were left out, if any.
  std::string paddingMaskName;
};

/// Runs both instrumented models (GemmTensor::Output) on `samples`.
/// `layerNames` names the GEMM numbers. `paddingMask`, when set, is the
/// index of an input [B, S] whose zeros mark padding positions: the rows
/// of outputs and GEMM results that belong to them ([B, S, ...] or
/// [B·S, ...]) are left out of every metric, as what a model computes for
/// padding is never used.
llvm::Expected<Evaluation> evaluate(const InstrumentedModel &reference,
                                    const InstrumentedModel &candidate,
                                    llvm::ArrayRef<Sample> samples,
                                    llvm::ArrayRef<std::string> layerNames,
                                    std::optional<size_t> paddingMask);

/// For a model whose extra outputs come in pairs (reference, candidate),
/// the SQNR of each candidate against its reference over `samples`
/// (padding left out as in evaluate).
llvm::Expected<std::vector<double>>
measurePairedSqnr(const InstrumentedModel &model, llvm::ArrayRef<Sample> samples,
                  std::optional<size_t> paddingMask);

/// The input the evaluator treats as a padding mask: an integer or bool
/// input of rank 2 whose name contains "attention_mask".
std::optional<size_t> findPaddingMask(const xfc_model *model);

llvm::json::Value toJSON(const Evaluation &evaluation);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_EVALUATOR_H
