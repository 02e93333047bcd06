//===- LoadModel.cpp - Load an artifact or compile a model ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/Runner.h"

#include "xfc/Execution/Executor.h"

using namespace llvm;

namespace xfc::runner {

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

ModelHandle &ModelHandle::operator=(ModelHandle &&other) noexcept {
  if (this != &other) {
    reset();
    model = std::exchange(other.model, nullptr);
    releaseAfterFree = std::move(other.releaseAfterFree);
    other.releaseAfterFree = nullptr;
  }
  return *this;
}

void ModelHandle::reset() {
  if (model)
    xfc_model_free(model);
  model = nullptr;
  if (releaseAfterFree)
    releaseAfterFree();
  releaseAfterFree = nullptr;
}

/// An artifact's input shapes are fixed when it is compiled: --input-shape
/// may restate them, not change them.
static Error checkArtifactInputShapes(const xfc_model *model,
                                      const ModelLoadOptions &options) {
  for (const auto &given : options.inputShapes) {
    const xfc_tensor *match = nullptr;
    for (size_t i = 0, e = xfc_model_num_inputs(model); i < e; ++i) {
      const xfc_tensor *input = xfc_model_input(model, i);
      if (input->name && given.getKey() == input->name)
        match = input;
    }
    if (!match)
      return makeError("--input-shape names '" + given.getKey() +
                       "', which is not an input of the artifact");
    ArrayRef<int64_t> dims(match->dims, match->rank);
    if (dims != ArrayRef<int64_t>(given.getValue()))
      return makeError("--input-shape " + given.getKey() + "=" +
                       formatShape(given.getValue()) +
                       " does not match the artifact, "
                       "whose input '" +
                       given.getKey() + "' is " + getDTypeName(match->dtype) +
                       " " + formatShape(dims) +
                       "; an artifact's shapes are fixed when it is compiled "
                       "(xfc --input-shape)");
  }
  return Error::success();
}

Expected<ModelHandle> loadModelOrArtifact(StringRef path,
                                          const ModelLoadOptions &options) {
  // A model file is compiled in-process, through the same CPU backend
  // `xfc --target=cpu` runs.
  if (isModelFile(path)) {
    ExecutorOptions executorOptions;
    executorOptions.numThreads = options.numThreads;
    executorOptions.inputShapes = options.inputShapeArguments;
    Expected<std::unique_ptr<Executor>> executor =
        Executor::createFromFile(path, executorOptions);
    if (!executor)
      return executor.takeError();
    return ModelHandle((*executor)->release());
  }

  xfc_load_options loadOptions = {};
  loadOptions.num_threads = options.numThreads;
  xfc_model *model = nullptr;
  xfc_error *error = nullptr;
  if (xfc_model_load(path.str().c_str(), &loadOptions, &model, &error) !=
      XFC_OK) {
    std::string message =
        error ? xfc_error_message(error) : "the runtime gave no reason";
    if (error)
      xfc_error_free(error);
    return makeError("cannot load '" + path + "': " + message);
  }
  ModelHandle handle(model);
  if (Error error = checkArtifactInputShapes(model, options))
    return std::move(error);
  return std::move(handle);
}

} // namespace xfc::runner
