//===- Samples.h - Calibration inputs and running them ----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The input sets that calibration fits on and the evaluator reports on,
// loaded from the user's directory (`--calibration=DIR`) or generated
// (`--calibration-samples=N`), checked against the model, and split into a
// fitting part and a held-out part: fitting and reporting on the same
// samples overstates quality.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_CALIBRATION_SAMPLES_H
#define XFC_CALIBRATION_SAMPLES_H

#include "xfc/Runner/HostTensor.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace xfc::calibration {

/// One set of model inputs, in the model's input order.
struct Sample {
  std::string name;
  std::vector<runner::HostTensor> inputs;
};

struct SampleSplit {
  std::vector<Sample> fit;
  std::vector<Sample> heldOut;
  /// Where the samples came from, for the report: the directory, or
  /// "synthetic (seed S)".
  std::string source;
  bool synthetic = false;
  /// Set when there were too few samples to hold any out (one sample is
  /// then both); the report says so.
  bool heldOutIsFit = false;
};

/// Loads `dir`: one subdirectory per sample (or `dir` itself as the only
/// one), each holding NAME.npy or a TensorProto .pb for every input of
/// `model`. Errors name the file and the input: unknown names, missing
/// inputs, wrong dtype or shape, NaN or infinity, an empty directory.
llvm::Expected<SampleSplit> loadSamples(llvm::StringRef dir,
                                        const xfc_model *model,
                                        double heldOutFraction);

/// `count` seeded synthetic samples (xfc-run's generated inputs: floats in
/// [-1, 1), token ids in [0, 100), masks of ones).
llvm::Expected<SampleSplit> generateSamples(const xfc_model *model,
                                            int64_t count, uint64_t seed,
                                            double heldOutFraction);

/// Runs `model` on `sample`; the outputs in the model's order.
llvm::Expected<std::vector<runner::HostTensor>>
runSample(const xfc_model *model, const Sample &sample);

} // namespace xfc::calibration

#endif // XFC_CALIBRATION_SAMPLES_H
