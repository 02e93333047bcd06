//===- Runner.cpp - Load, run, check and time an xfc model ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/Runner.h"

#include "xfc/Frontend/ONNX.h"

#include "xfc/Runner/Compare.h"
#include "xfc/Runner/NumpyIO.h"
#include "xfc/Runner/TensorIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cmath>

using namespace llvm;
namespace cl = llvm::cl;

namespace xfc::runner {
namespace {

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

raw_ostream &note() { return WithColor::note(errs(), "xfc-run"); }

/// "'a' (f32 1x3), 'b' (i64 2)".
std::string describeTensors(ArrayRef<const xfc_tensor *> tensors) {
  std::string text;
  for (const xfc_tensor *tensor : tensors) {
    if (!text.empty())
      text += ", ";
    text += formatv("'{0}' ({1} {2})", tensor->name ? tensor->name : "",
                    getDTypeName(tensor->dtype),
                    formatShape(ArrayRef<int64_t>(tensor->dims, tensor->rank)))
                .str();
  }
  return text.empty() ? "none" : text;
}

/// The model's inputs and outputs, in description order.
struct Signature {
  std::vector<const xfc_tensor *> inputs;
  std::vector<const xfc_tensor *> outputs;
};

/// The command line and what it does. The options are members, registered
/// when the tool is constructed, after LLVM's options of the same names are
/// removed (libLLVM registers a --threads of its own).
class RunnerTool {
public:
  /// The option names, to unregister before constructing a RunnerTool.
  static constexpr StringLiteral kOptionNames[] = {
      "input",       "output-dir",     "expected",    "atol",   "rtol",
      "seed",        "threads",        "benchmark",   "warmup", "iterations",
      "input-shape", "convert-tensor", "print-tensor"};

  /// Runs what the command line asks for; returns the exit code.
  Expected<int> runTool();

  cl::OptionCategory category{"xfc-run options"};

private:
  unsigned getThreadCount();
  Error convertTensorFile();
  Error printTensorFiles();
  Expected<std::vector<std::string>>
  collectInputFiles(const Signature &signature);
  Expected<std::vector<HostTensor>> prepareInputs(const Signature &signature);
  Expected<std::vector<HostTensor>>
  readExpectedOutputs(const Signature &signature, ArrayRef<std::string> stems);
  Error writeOutputs(const Signature &signature, ArrayRef<HostTensor> outputs,
                     ArrayRef<std::string> stems);
  Error runBenchmark(const xfc_model *model, ArrayRef<xfc_tensor> inputs,
                     ArrayRef<xfc_tensor> outputs);
  Expected<int> runModel();

  cl::list<std::string> positional{
      cl::Positional, cl::desc("<artifact or model>"), cl::cat(category)};
  cl::list<std::string> inputFiles{
      "input",
      cl::desc("Read input NAME from FILE, a .npy file or an ONNX "
               "TensorProto .pb file (repeatable); inputs not given are "
               "generated from --seed"),
      cl::value_desc("NAME=FILE"), cl::cat(category)};
  cl::opt<std::string> outputDir{
      "output-dir", cl::desc("Write each output to DIR/<output name>.npy"),
      cl::value_desc("DIR"), cl::cat(category)};
  cl::opt<std::string> expectedDir{
      "expected",
      cl::desc("Compare each output with DIR/<output name>.npy (or .pb); "
               "exit with 1 when one is out of tolerance"),
      cl::value_desc("DIR"), cl::cat(category)};
  cl::opt<double> atol{"atol",
                       cl::desc("Absolute tolerance of --expected (default "
                                "1e-4): |got - exp| <= atol + rtol * |exp|"),
                       cl::init(1e-4), cl::cat(category)};
  cl::opt<double> rtol{
      "rtol", cl::desc("Relative tolerance of --expected (default 1e-4)"),
      cl::init(1e-4), cl::cat(category)};
  cl::opt<uint64_t> seed{"seed",
                         cl::desc("Seed of the generated inputs (default 0)"),
                         cl::init(0), cl::cat(category)};
  cl::opt<int32_t> threads{"threads",
                           cl::desc("Threads the model runs on (default 0: "
                                    "OMP_NUM_THREADS, else all cores)"),
                           cl::init(0), cl::cat(category)};
  cl::opt<bool> benchmark{"benchmark",
                          cl::desc("Time the model: --warmup runs, then "
                                   "--iterations timed runs"),
                          cl::init(false), cl::cat(category)};
  cl::opt<unsigned> warmup{
      "warmup", cl::desc("Untimed runs before --benchmark times (default 10)"),
      cl::init(10), cl::cat(category)};
  cl::opt<unsigned> iterations{
      "iterations", cl::desc("Timed runs of --benchmark (default 50)"),
      cl::init(50), cl::cat(category)};
  cl::list<std::string> inputShapes{
      "input-shape",
      cl::desc("Fix an input's shape when compiling a model file, e.g. "
               "--input-shape input_ids=1x128 (repeatable); for an artifact "
               "it must match the compiled shape"),
      cl::value_desc("NAME=DIMS"), cl::cat(category)};
  cl::opt<bool> convertTensor{
      "convert-tensor",
      cl::desc("Convert tensor file IN (.npy or .pb) to OUT (.pb when its "
               "name ends in .pb, else .npy) and exit: xfc-run "
               "--convert-tensor IN OUT"),
      cl::init(false), cl::cat(category)};
  cl::opt<bool> printTensor{
      "print-tensor",
      cl::desc("Print the dtype, shape and values of each tensor file given "
               "and exit"),
      cl::init(false), cl::cat(category)};
};

/// How many threads the runtime uses, for the benchmark line.
unsigned RunnerTool::getThreadCount() {
  if (threads > 0)
    return threads;
  if (std::optional<std::string> omp =
          sys::Process::GetEnv("OMP_NUM_THREADS")) {
    unsigned count;
    // OMP_NUM_THREADS may be a list for nested levels: the first counts.
    if (!StringRef(*omp).split(',').first.trim().getAsInteger(10, count) &&
        count > 0)
      return count;
  }
  // The CPUs this process may run on, which is what OpenMP defaults to.
  return std::max(1u, hardware_concurrency().compute_thread_count());
}

std::string formatNumber(double value) {
  return formatv("{0}", format("%.8g", value)).str();
}

//===----------------------------------------------------------------------===//
// Tensor files
//===----------------------------------------------------------------------===//

/// Writes `tensor` to `path` as .npy; .npy has no bfloat16, so a bf16
/// tensor is written as f32, which is exact.
Error writeNumpyWidened(StringRef path, const HostTensor &tensor,
                        const Twine &what) {
  if (tensor.getDType() != XFC_DTYPE_BF16)
    return writeNumpyFile(path, tensor);
  note() << what << " is bf16, which .npy cannot store; writing it as f32\n";
  Expected<HostTensor> widened = convertFloatTensor(tensor, XFC_DTYPE_F32);
  if (!widened)
    return widened.takeError();
  return writeNumpyFile(path, *widened);
}

Error RunnerTool::convertTensorFile() {
  if (positional.size() != 2)
    return makeError("--convert-tensor takes two files, IN and OUT (got " +
                     Twine(positional.size()) + ")");
  StringRef in = positional[0], out = positional[1];
  Expected<HostTensor> tensor = readTensorFile(in);
  if (!tensor)
    return tensor.takeError();
  if (sys::path::extension(out) == ".pb")
    return writeTensorFile(out, *tensor, sys::path::stem(out));
  return writeNumpyWidened(out, *tensor, "'" + in + "'");
}

void printValues(raw_ostream &os, const HostTensor &tensor, size_t dim,
                 int64_t &index) {
  if (dim == tensor.getDims().size()) {
    if (tensor.getDType() == XFC_DTYPE_BOOL)
      os << (tensor.getAsInt(index) ? "true" : "false");
    else if (isFloatDType(tensor.getDType()))
      os << formatNumber(tensor.getAsDouble(index));
    else
      os << tensor.getAsInt(index);
    ++index;
    return;
  }
  os << '[';
  for (int64_t i = 0, e = tensor.getDims()[dim]; i < e; ++i) {
    if (i)
      os << ", ";
    printValues(os, tensor, dim + 1, index);
  }
  os << ']';
}

/// "min -1, max 2.5, mean 0.25", with the count of NaNs when there are any.
std::string summarize(const HostTensor &tensor) {
  if (tensor.getNumElements() == 0)
    return "empty";
  double min = INFINITY, max = -INFINITY, sum = 0;
  int64_t nans = 0;
  for (int64_t i = 0, e = tensor.getNumElements(); i < e; ++i) {
    double value = tensor.getAsDouble(i);
    if (std::isnan(value)) {
      ++nans;
      continue;
    }
    min = std::min(min, value);
    max = std::max(max, value);
    sum += value;
  }
  std::string text;
  if (nans < tensor.getNumElements())
    text =
        "min " + formatNumber(min) + ", max " + formatNumber(max) + ", mean " +
        formatNumber(sum / static_cast<double>(tensor.getNumElements() - nans));
  if (nans)
    text += (text.empty() ? "" : ", ") + std::to_string(nans) + " NaN";
  return text;
}

Error RunnerTool::printTensorFiles() {
  if (positional.empty())
    return makeError("--print-tensor needs at least one tensor file");
  constexpr int64_t kMaxPrinted = 1000;
  for (const std::string &path : positional) {
    Expected<HostTensor> tensor = readTensorFile(path);
    if (!tensor)
      return tensor.takeError();
    outs() << path << ": " << tensor->describe() << "\n";
    if (tensor->getNumElements() <= kMaxPrinted) {
      int64_t index = 0;
      printValues(outs(), *tensor, 0, index);
      outs() << "\n";
    } else {
      outs() << summarize(*tensor) << "\n";
    }
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Running a model
//===----------------------------------------------------------------------===//

Signature describeModel(const xfc_model *model) {
  Signature signature;
  for (size_t i = 0, e = xfc_model_num_inputs(model); i < e; ++i)
    signature.inputs.push_back(xfc_model_input(model, i));
  for (size_t i = 0, e = xfc_model_num_outputs(model); i < e; ++i)
    signature.outputs.push_back(xfc_model_output(model, i));
  return signature;
}

StringRef getName(const xfc_tensor *tensor) {
  return tensor->name ? tensor->name : "";
}

ArrayRef<int64_t> getDims(const xfc_tensor *tensor) {
  return ArrayRef<int64_t>(tensor->dims, tensor->rank);
}

/// Reads the --input files, by input position.
Expected<std::vector<std::string>>
RunnerTool::collectInputFiles(const Signature &signature) {
  std::vector<std::string> files(signature.inputs.size());
  for (StringRef argument : inputFiles) {
    auto [name, file] = argument.split('=');
    if (name.empty() || name.size() == argument.size() || file.empty())
      return makeError("--input '" + argument +
                       "' must look like NAME=FILE, for example "
                       "input_ids=ids.npy");
    auto match = llvm::find_if(signature.inputs, [&](const xfc_tensor *input) {
      return getName(input) == name;
    });
    if (match == signature.inputs.end())
      return makeError("--input names '" + name +
                       "', which is not an input of the model; its inputs "
                       "are " +
                       describeTensors(signature.inputs));
    std::string &slot = files[match - signature.inputs.begin()];
    if (!slot.empty())
      return makeError("--input gives input '" + name + "' twice");
    slot = file.str();
  }
  return files;
}

Expected<HostTensor> readInput(const xfc_tensor *input, StringRef file) {
  Expected<HostTensor> tensor = readTensorFile(file);
  if (!tensor)
    return makeError("input '" + getName(input) +
                     "': " + toString(tensor.takeError()));
  // .npy has no bfloat16: an f32 file feeds a bf16 input, rounded.
  if (input->dtype == XFC_DTYPE_BF16 && tensor->getDType() == XFC_DTYPE_F32) {
    note() << "input '" << getName(input) << "': rounding f32 file '" << file
           << "' to bf16\n";
    tensor = convertFloatTensor(*tensor, XFC_DTYPE_BF16);
    if (!tensor)
      return tensor.takeError();
  }
  if (tensor->getDType() != input->dtype || tensor->getDims() != getDims(input))
    return makeError("input '" + getName(input) + "': file '" + file +
                     "' has " + tensor->describe() + " but the model expects " +
                     getDTypeName(input->dtype) + " " +
                     formatShape(getDims(input)));
  return tensor;
}

Expected<std::vector<HostTensor>>
RunnerTool::prepareInputs(const Signature &signature) {
  Expected<std::vector<std::string>> files = collectInputFiles(signature);
  if (!files)
    return files.takeError();
  std::vector<HostTensor> tensors;
  for (auto [position, input] : llvm::enumerate(signature.inputs)) {
    const std::string &file = (*files)[position];
    if (!file.empty()) {
      Expected<HostTensor> tensor = readInput(input, file);
      if (!tensor)
        return tensor.takeError();
      tensors.push_back(std::move(*tensor));
      continue;
    }
    Expected<GeneratedInput> generated = generateInput(*input, seed, position);
    if (!generated)
      return generated.takeError();
    note() << "generated input '" << getName(input) << "' ("
           << generated->tensor.describe() << "): " << generated->how
           << ", seed " << seed << "\n";
    tensors.push_back(std::move(generated->tensor));
  }
  return std::move(tensors);
}

/// Reads DIR/<stem>.npy (or .pb) for every output before the model runs,
/// so that a missing file is reported at once.
Expected<std::vector<HostTensor>>
RunnerTool::readExpectedOutputs(const Signature &signature,
                                ArrayRef<std::string> stems) {
  if (!sys::fs::is_directory(expectedDir))
    return makeError("--expected '" + expectedDir + "' is not a directory");
  std::vector<HostTensor> tensors;
  for (auto [output, stem] : llvm::zip_equal(signature.outputs, stems)) {
    SmallString<256> path(expectedDir.getValue());
    sys::path::append(path, stem + ".npy");
    if (!sys::fs::exists(path)) {
      SmallString<256> proto(expectedDir.getValue());
      sys::path::append(proto, stem + ".pb");
      if (!sys::fs::exists(proto))
        return makeError("no expected value for output '" + getName(output) +
                         "': '" + path + "' does not exist");
      path = proto;
    }
    Expected<HostTensor> tensor = readTensorFile(path);
    if (!tensor)
      return makeError("expected value of output '" + getName(output) +
                       "': " + toString(tensor.takeError()));
    tensors.push_back(std::move(*tensor));
  }
  return std::move(tensors);
}

Error runOnce(const xfc_model *model, ArrayRef<xfc_tensor> inputs,
              ArrayRef<xfc_tensor> outputs) {
  xfc_error *error = nullptr;
  if (xfc_model_run(model, inputs.data(), inputs.size(), outputs.data(),
                    outputs.size(), &error) == XFC_OK)
    return Error::success();
  std::string message =
      error ? xfc_error_message(error) : "the runtime gave no reason";
  if (error)
    xfc_error_free(error);
  return makeError("running the model failed: " + message);
}

Error RunnerTool::writeOutputs(const Signature &signature,
                               ArrayRef<HostTensor> outputs,
                               ArrayRef<std::string> stems) {
  for (auto [description, tensor, stem] :
       llvm::zip_equal(signature.outputs, outputs, stems)) {
    SmallString<256> path(outputDir.getValue());
    sys::path::append(path, stem + ".npy");
    if (Error error = writeNumpyWidened(
            path, tensor, "output '" + getName(description) + "'"))
      return error;
  }
  return Error::success();
}

Error RunnerTool::runBenchmark(const xfc_model *model,
                               ArrayRef<xfc_tensor> inputs,
                               ArrayRef<xfc_tensor> outputs) {
  for (unsigned i = 0; i < warmup; ++i)
    if (Error error = runOnce(model, inputs, outputs))
      return error;
  std::vector<double> samples;
  samples.reserve(iterations);
  for (unsigned i = 0; i < iterations; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (Error error = runOnce(model, inputs, outputs))
      return error;
    std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    samples.push_back(elapsed.count());
  }
  LatencyStats stats = computeLatencyStats(samples);
  unsigned threadCount = getThreadCount();
  auto ms = [](double value) { return format("%.4g", value); };
  outs() << "latency: median " << ms(stats.medianMs) << " ms, p90 "
         << ms(stats.p90Ms) << " ms, min " << ms(stats.minMs) << " ms over "
         << stats.iterations << " runs (" << threadCount
         << (threadCount == 1 ? " thread)\n" : " threads)\n");
  // One line of JSON for scripts; times with 6 significant digits.
  auto field = [](double value) { return format("%.6g", value); };
  outs() << "benchmark-json: {\"median_ms\": " << field(stats.medianMs)
         << ", \"p90_ms\": " << field(stats.p90Ms)
         << ", \"min_ms\": " << field(stats.minMs)
         << ", \"mean_ms\": " << field(stats.meanMs)
         << ", \"iterations\": " << stats.iterations
         << ", \"warmup\": " << warmup << ", \"threads\": " << threadCount
         << "}\n";
  return Error::success();
}

/// Runs the model and returns the exit code (1: an output is out of
/// tolerance).
Expected<int> RunnerTool::runModel() {
  if (positional.size() != 1)
    return makeError("expected one artifact or model file (got " +
                     Twine(positional.size()) + "); see --help");
  if (threads < 0)
    return makeError("--threads must not be negative");
  if (!(atol >= 0) || !(rtol >= 0))
    return makeError("--atol and --rtol must be non-negative numbers");
  if (benchmark && iterations == 0)
    return makeError("--iterations must be at least 1");

  ModelLoadOptions options;
  options.numThreads = threads;
  // The frontend's own parser: one grammar for xfc and xfc-run.
  ONNXImportOptions parsedShapes;
  for (const std::string &shape : inputShapes) {
    std::string error = parseInputShapeOption(shape, parsedShapes);
    if (!error.empty())
      return makeError(error);
    options.inputShapeArguments.push_back(shape);
  }
  options.inputShapes = std::move(parsedShapes.inputShapes);

  Expected<ModelHandle> model = loadModelOrArtifact(positional[0], options);
  if (!model)
    return model.takeError();
  Signature signature = describeModel(model->get());
  std::vector<std::string> outputNames;
  for (const xfc_tensor *output : signature.outputs)
    outputNames.push_back(getName(output).str());
  std::vector<std::string> stems = getOutputFileStems(outputNames);

  // Everything that can fail for want of a file fails before the run.
  std::vector<HostTensor> expected;
  if (!expectedDir.empty()) {
    Expected<std::vector<HostTensor>> read =
        readExpectedOutputs(signature, stems);
    if (!read)
      return read.takeError();
    expected = std::move(*read);
  }
  if (!outputDir.empty())
    if (std::error_code error = sys::fs::create_directories(outputDir))
      return makeError("cannot create --output-dir '" + outputDir +
                       "': " + error.message());
  Expected<std::vector<HostTensor>> inputs = prepareInputs(signature);
  if (!inputs)
    return inputs.takeError();
  std::vector<HostTensor> outputs;
  for (const xfc_tensor *output : signature.outputs) {
    Expected<HostTensor> tensor =
        HostTensor::create(output->dtype, getDims(output));
    if (!tensor)
      return makeError("output '" + getName(output) +
                       "': " + toString(tensor.takeError()));
    outputs.push_back(std::move(*tensor));
  }

  std::vector<xfc_tensor> runtimeInputs, runtimeOutputs;
  for (HostTensor &tensor : *inputs)
    runtimeInputs.push_back(tensor.asRuntimeTensor());
  for (HostTensor &tensor : outputs)
    runtimeOutputs.push_back(tensor.asRuntimeTensor());
  if (Error error = runOnce(model->get(), runtimeInputs, runtimeOutputs))
    return std::move(error);

  if (!outputDir.empty())
    if (Error error = writeOutputs(signature, outputs, stems))
      return std::move(error);

  int exitCode = 0;
  if (!expectedDir.empty()) {
    Tolerance tolerance{atol, rtol};
    for (auto [description, got, want] :
         llvm::zip_equal(signature.outputs, outputs, expected)) {
      Comparison result = compareTensors(got, want, tolerance);
      outs() << formatComparison(getName(description), result, got.getDims(),
                                 tolerance)
             << "\n";
      if (!result.isOk())
        exitCode = 1;
    }
  } else {
    for (auto [description, tensor] :
         llvm::zip_equal(signature.outputs, outputs))
      outs() << "output '" << getName(description) << "': " << tensor.describe()
             << ": " << summarize(tensor) << "\n";
  }

  // Time the run after checking it, with the buffers it was checked with.
  if (benchmark)
    if (Error error = runBenchmark(model->get(), runtimeInputs, runtimeOutputs))
      return std::move(error);
  return exitCode;
}

Expected<int> RunnerTool::runTool() {
  if (convertTensor && printTensor)
    return makeError("--convert-tensor and --print-tensor are exclusive");
  if (convertTensor) {
    if (Error error = convertTensorFile())
      return std::move(error);
    return 0;
  }
  if (printTensor) {
    if (Error error = printTensorFiles())
      return std::move(error);
    return 0;
  }
  return runModel();
}

} // namespace

int runRunnerMain(int argc, char **argv) {
  InitLLVM initLLVM(argc, argv);
  // libLLVM registers options of its own, among them --threads: unregister
  // those that xfc-run's options would clash with before registering these.
  auto &registered = cl::getRegisteredOptions();
  for (StringRef name : RunnerTool::kOptionNames)
    if (cl::Option *option = registered.lookup(name))
      option->removeArgument();
  // Options stay registered until exit, so the tool is never destroyed.
  static RunnerTool *tool = new RunnerTool();
  cl::HideUnrelatedOptions(tool->category);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "xfc-run: runs an artifact of `xfc --target=cpu -o PATH` on inputs "
          "from .npy/.pb files or generated ones, writes, checks and times "
          "its outputs\n",
          &errs()))
    return 2;

  Expected<int> exitCode = tool->runTool();
  if (!exitCode) {
    WithColor::error(errs(), "xfc-run")
        << toString(exitCode.takeError()) << "\n";
    return 2;
  }
  return *exitCode;
}

} // namespace xfc::runner
