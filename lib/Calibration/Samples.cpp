//===- Samples.cpp - Calibration inputs and running them ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Calibration/Samples.h"

#include "xfc/Runner/RunnerUtils.h"
#include "xfc/Runner/TensorIO.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace llvm;
using namespace xfc;
using namespace xfc::calibration;
using runner::HostTensor;

namespace {

std::string describe(const xfc_tensor &tensor) {
  return (runner::getDTypeName(tensor.dtype) + " [" +
          runner::formatShape(ArrayRef(tensor.dims, tensor.rank)) + "]")
      .str();
}

std::string describe(const HostTensor &tensor) {
  return (runner::getDTypeName(tensor.getDType()) + " [" +
          runner::formatShape(tensor.getDims()) + "]")
      .str();
}

std::string getInputNames(const xfc_model *model) {
  std::string names;
  for (size_t i = 0, e = xfc_model_num_inputs(model); i < e; ++i)
    names += (i ? ", " : "") + std::string(xfc_model_input(model, i)->name);
  return names;
}

/// The sorted entries of `dir` that are directories (or, when `files`,
/// regular files).
Expected<std::vector<std::string>> listDirectory(StringRef dir, bool files) {
  std::vector<std::string> entries;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    sys::fs::file_status status;
    if (sys::fs::status(it->path(), status))
      continue;
    if (files ? sys::fs::is_regular_file(status)
              : sys::fs::is_directory(status))
      entries.push_back(it->path());
  }
  if (ec)
    return createStringError(ec, "cannot read calibration directory '" + dir +
                                     "': " + ec.message());
  llvm::sort(entries);
  return entries;
}

/// Checks a loaded tensor against the model input it is matched to.
Error checkTensor(StringRef file, const xfc_tensor &input,
                  const HostTensor &tensor) {
  if (tensor.getDType() != input.dtype ||
      tensor.getDims() != ArrayRef(input.dims, input.rank))
    return createStringError("calibration file '" + file + "': input '" +
                             input.name + "' is " + describe(tensor) +
                             " but the model takes " + describe(input));
  if (runner::isFloatDType(tensor.getDType()))
    for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i)
      if (!std::isfinite(tensor.getAsDouble(i)))
        return createStringError(
            "calibration file '" + file + "': tensor '" + input.name +
            "' holds " + (std::isnan(tensor.getAsDouble(i)) ? "NaN" : "an infinity") +
            " at flat index " + std::to_string(i) +
            "; calibration data must be finite");
  return Error::success();
}

Expected<Sample> loadSample(StringRef dir, const xfc_model *model) {
  Expected<std::vector<std::string>> files = listDirectory(dir, true);
  if (!files)
    return files.takeError();
  size_t numInputs = xfc_model_num_inputs(model);
  std::vector<std::optional<HostTensor>> tensors(numInputs);
  for (const std::string &file : *files) {
    StringRef extension = sys::path::extension(file);
    if (extension != ".npy" && extension != ".pb")
      continue;
    std::string name = sys::path::stem(file).str();
    Expected<HostTensor> tensor = [&]() -> Expected<HostTensor> {
      if (extension == ".npy")
        return runner::readTensorFile(file);
      ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
          MemoryBuffer::getFile(file);
      if (!buffer)
        return createStringError("cannot read calibration file '" + file +
                                 "': " + buffer.getError().message());
      std::string protoName;
      Expected<HostTensor> parsed =
          runner::parseTensorProto((*buffer)->getBuffer(), &protoName);
      if (parsed && !protoName.empty())
        name = protoName;
      if (!parsed)
        return createStringError("calibration file '" + file + "': " +
                                 toString(parsed.takeError()));
      return parsed;
    }();
    if (!tensor)
      return tensor.takeError();
    size_t index = numInputs;
    for (size_t i = 0; i < numInputs; ++i)
      if (name == xfc_model_input(model, i)->name)
        index = i;
    if (index == numInputs)
      return createStringError("calibration file '" + file + "': '" + name +
                               "' is not an input of the model (inputs: " +
                               getInputNames(model) + ")");
    if (tensors[index])
      return createStringError("calibration file '" + file +
                               "': a second tensor for input '" + name + "'");
    if (Error error = checkTensor(file, *xfc_model_input(model, index), *tensor))
      return std::move(error);
    tensors[index] = std::move(*tensor);
  }
  Sample sample;
  sample.name = sys::path::filename(dir).str();
  for (size_t i = 0; i < numInputs; ++i) {
    if (!tensors[i])
      return createStringError(
          "calibration set '" + dir + "' has no file for input '" +
          xfc_model_input(model, i)->name + "' (expected " +
          xfc_model_input(model, i)->name +
          ".npy, or a .pb TensorProto with that name)");
    sample.inputs.push_back(std::move(*tensors[i]));
  }
  return sample;
}

/// The last `fraction` of the samples (at least one) are held out; a single
/// sample serves both.
SampleSplit split(std::vector<Sample> samples, double fraction) {
  SampleSplit result;
  if (samples.size() < 2) {
    result.heldOutIsFit = true;
    for (const Sample &sample : samples) {
      Sample copy;
      copy.name = sample.name;
      for (const HostTensor &tensor : sample.inputs) {
        HostTensor clone =
            cantFail(HostTensor::create(tensor.getDType(), tensor.getDims()));
        llvm::copy(tensor.getBytes(), clone.getData());
        copy.inputs.push_back(std::move(clone));
      }
      result.heldOut.push_back(std::move(copy));
    }
    result.fit = std::move(samples);
    return result;
  }
  size_t heldOut = std::clamp<size_t>(
      static_cast<size_t>(std::lround(samples.size() * fraction)), 1,
      samples.size() - 1);
  size_t fit = samples.size() - heldOut;
  for (size_t i = 0; i < samples.size(); ++i)
    (i < fit ? result.fit : result.heldOut).push_back(std::move(samples[i]));
  return result;
}

} // namespace

Expected<SampleSplit> calibration::loadSamples(StringRef dir,
                                               const xfc_model *model,
                                               double heldOutFraction) {
  if (!sys::fs::is_directory(dir))
    return createStringError("calibration directory '" + dir +
                             "' does not exist or is not a directory");
  Expected<std::vector<std::string>> subdirs = listDirectory(dir, false);
  if (!subdirs)
    return subdirs.takeError();
  std::vector<std::string> sampleDirs = *subdirs;
  if (sampleDirs.empty()) {
    Expected<std::vector<std::string>> files = listDirectory(dir, true);
    if (!files)
      return files.takeError();
    if (llvm::any_of(*files, [](StringRef file) {
          return file.ends_with(".npy") || file.ends_with(".pb");
        }))
      sampleDirs.push_back(dir.str());
  }
  if (sampleDirs.empty())
    return createStringError(
        "calibration directory '" + dir +
        "' holds no input sets: give one subdirectory per sample with "
        "NAME.npy (or a .pb TensorProto) for each model input (" +
        getInputNames(model) + ")");
  std::vector<Sample> samples;
  for (const std::string &sampleDir : sampleDirs) {
    Expected<Sample> sample = loadSample(sampleDir, model);
    if (!sample)
      return sample.takeError();
    samples.push_back(std::move(*sample));
  }
  SampleSplit result = split(std::move(samples), heldOutFraction);
  result.source = dir.str();
  return result;
}

Expected<SampleSplit> calibration::generateSamples(const xfc_model *model,
                                                   int64_t count, uint64_t seed,
                                                   double heldOutFraction) {
  if (count < 1)
    return createStringError("--calibration-samples must be at least 1, got " +
                             std::to_string(count));
  std::vector<Sample> samples;
  for (int64_t s = 0; s < count; ++s) {
    Sample sample;
    sample.name = "synthetic_" + std::to_string(s);
    for (size_t i = 0, e = xfc_model_num_inputs(model); i < e; ++i) {
      Expected<runner::GeneratedInput> input =
          runner::generateInput(*xfc_model_input(model, i), seed + s, i);
      if (!input)
        return input.takeError();
      sample.inputs.push_back(std::move(input->tensor));
    }
    samples.push_back(std::move(sample));
  }
  SampleSplit result = split(std::move(samples), heldOutFraction);
  result.source = "synthetic (seed " + std::to_string(seed) + ")";
  result.synthetic = true;
  return result;
}

Expected<std::vector<HostTensor>> calibration::runSample(const xfc_model *model,
                                                         const Sample &sample) {
  std::vector<xfc_tensor> inputs;
  for (const HostTensor &tensor : sample.inputs)
    inputs.push_back({nullptr, tensor.getDType(),
                      static_cast<int32_t>(tensor.getRank()),
                      tensor.getDims().data(),
                      const_cast<char *>(tensor.getData())});
  std::vector<HostTensor> outputs;
  std::vector<xfc_tensor> outputViews;
  for (size_t i = 0, e = xfc_model_num_outputs(model); i < e; ++i) {
    const xfc_tensor *description = xfc_model_output(model, i);
    Expected<HostTensor> tensor = HostTensor::create(
        description->dtype, ArrayRef(description->dims, description->rank));
    if (!tensor)
      return tensor.takeError();
    outputs.push_back(std::move(*tensor));
  }
  for (HostTensor &tensor : outputs)
    outputViews.push_back({nullptr, tensor.getDType(),
                           static_cast<int32_t>(tensor.getRank()),
                           tensor.getDims().data(), tensor.getData()});
  xfc_error *error = nullptr;
  if (xfc_model_run(model, inputs.data(), inputs.size(), outputViews.data(),
                    outputViews.size(), &error) != XFC_OK) {
    std::string message = xfc_error_message(error);
    xfc_error_free(error);
    return createStringError("running sample '" + sample.name +
                             "': " + message);
  }
  return outputs;
}
