//===- Runtime.cpp - The xfc runtime C API --------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Loads an artifact (xfc-c/artifact.h) and runs it (xfc-c/runtime.h). Every
// C entry point runs its body under guard(), the one place where internal
// exceptions become an xfc_status and an xfc_error.
//
//===----------------------------------------------------------------------===//

#include "xfc-c/runtime.h"

#include "BufferCache.h"
#include "CpuFeatures.h"
#include "Error.h"
#include "Matmul.h"
#include "Metadata.h"
#include "QuantMatmul.h"
#include "WeightsFile.h"

#include "xfc-c/artifact.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <link.h>
#include <memory>
#include <new>
#include <omp.h>
#include <type_traits>
#include <unistd.h>
#include <unordered_map>
#include <utility>

using namespace xfc::runtime;

struct xfc_error {
  xfc_status status;
  std::string message;
};

namespace {

/// A dlopen handle, closed on destruction.
class Library {
public:
  Library() = default;
  Library(const Library &) = delete;
  Library &operator=(const Library &) = delete;
  ~Library() {
    if (handle)
      ::dlclose(handle);
  }

  void *handle = nullptr;
};

} // namespace

struct xfc_model {
  // Declared first so it is destroyed last: nothing below may outlive the
  // code it was loaded from.
  Library library;
  std::string libraryPath;
  xfc_entry_fn entry = nullptr;
  Metadata metadata;
  WeightsFile weights;
  int numThreads = 0;
  dnnl::engine engine;
  std::unordered_map<int64_t, MatmulPrimitive> matmuls;
  std::unordered_map<int64_t, xfc::runtime::AttentionShape> attentions;
  std::unordered_map<int64_t, QuantMatmulPrimitive> qmatmuls;
  /// The largest scratchpad any primitive needs: one buffer of this size
  /// per run serves all its matmuls and qmatmuls, which run one after
  /// another.
  size_t scratchpadSize = 0;
  /// The intermediate buffers of runs, kept for the next run.
  mutable xfc::runtime::BufferCache buffers;
  /// What xfc_model_input/output return; they point into `metadata`.
  std::vector<xfc_tensor> inputDescs, outputDescs;
};

namespace {

std::pair<xfc_status, std::string> describeCurrentException() {
  try {
    throw;
  } catch (const RuntimeError &error) {
    return {error.getStatus(), error.what()};
  } catch (const dnnl::error &error) {
    return {XFC_ERROR_INTERNAL, std::string("oneDNN failed: ") + error.what()};
  } catch (const std::bad_alloc &) {
    return {XFC_ERROR_INTERNAL, "out of memory"};
  } catch (const std::exception &error) {
    return {XFC_ERROR_INTERNAL, error.what()};
  } catch (...) {
    return {XFC_ERROR_INTERNAL, "unknown internal failure"};
  }
}

/// Runs `body`; a failure becomes the returned status and, when `error` is
/// not NULL, a heap-allocated xfc_error.
template <typename Body> xfc_status guard(xfc_error **error, Body &&body) {
  try {
    body();
    return XFC_OK;
  } catch (...) {
    auto [status, message] = describeCurrentException();
    if (error)
      *error = new (std::nothrow) xfc_error{status, std::move(message)};
    return status;
  }
}

//===----------------------------------------------------------------------===//
// Loading
//===----------------------------------------------------------------------===//

struct ArtifactPaths {
  std::string library;
  std::string weights;
};

/// PATH → PATH.so + PATH.weights; PATH.so names the library itself.
ArtifactPaths resolvePaths(const std::string &path) {
  constexpr std::string_view kSuffix = ".so";
  bool namesLibrary =
      path.size() > kSuffix.size() &&
      std::string_view(path).substr(path.size() - kSuffix.size()) == kSuffix;
  std::string base =
      namesLibrary ? path.substr(0, path.size() - kSuffix.size()) : path;
  return {base + ".so", base + ".weights"};
}

/// The metadata string, bounded by the symbol's size where the ELF symbol
/// table records it, so a damaged library without a terminating NUL is
/// refused instead of read past its end.
std::string_view getMetadataText(const void *symbol,
                                 const std::string &libraryPath) {
  size_t limit = SIZE_MAX;
  Dl_info info;
  void *found = nullptr;
  if (::dladdr1(symbol, &info, &found, RTLD_DL_SYMENT) && found) {
    auto *elfSymbol = static_cast<const ElfW(Sym) *>(found);
    if (elfSymbol->st_size > 0)
      limit = elfSymbol->st_size;
  }
  const char *text = static_cast<const char *>(symbol);
  size_t length = ::strnlen(text, limit);
  if (length == limit)
    throw RuntimeError(XFC_ERROR_FORMAT, libraryPath +
                                             ": " XFC_METADATA_SYMBOL
                                             " is not NUL-terminated");
  return {text, length};
}

void checkCpuFeatures(const Metadata &metadata,
                      const std::string &libraryPath) {
  std::vector<std::string> missing =
      findMissingCpuFeatures(metadata.cpuFeatures);
  if (missing.empty())
    return;
  std::string list;
  for (const std::string &feature : missing)
    list += (list.empty() ? "" : ", ") + feature;
  std::string compiledFor =
      metadata.cpu.empty() ? "" : " (compiled for --cpu=" + metadata.cpu + ")";
  throw RuntimeError(XFC_ERROR_CPU,
                     libraryPath + " needs CPU features this machine lacks: " +
                         list + compiledFor +
                         "; recompile with a lower --cpu= (e.g. "
                         "--cpu=x86-64-v3)");
}

std::vector<xfc_tensor> describeTensors(const std::vector<TensorDesc> &list) {
  std::vector<xfc_tensor> descs;
  for (const TensorDesc &tensor : list)
    descs.push_back({tensor.name.c_str(), tensor.dtype,
                     static_cast<int32_t>(tensor.dims.size()),
                     tensor.dims.data(), nullptr});
  return descs;
}

std::unique_ptr<xfc_model> loadModel(const char *path,
                                     const xfc_load_options *options) {
  if (!path)
    throw RuntimeError(XFC_ERROR_ARGUMENT, "the artifact path is NULL");
  if (options && options->num_threads < 0)
    throw RuntimeError(XFC_ERROR_ARGUMENT,
                       "num_threads must be 0 (the default) or positive, "
                       "got " +
                           std::to_string(options->num_threads));
  ArtifactPaths paths = resolvePaths(path);
  auto model = std::make_unique<xfc_model>();
  model->libraryPath = paths.library;

  // Checked before dlopen, whose message for a missing file is vaguer.
  if (::access(paths.library.c_str(), R_OK) != 0)
    throw RuntimeError(XFC_ERROR_IO, "cannot open " + paths.library + ": " +
                                         std::strerror(errno));
  // dlopen searches the library path for a name without a slash; the
  // caller means a file.
  std::string openPath = paths.library.find('/') == std::string::npos
                             ? "./" + paths.library
                             : paths.library;
  model->library.handle = ::dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!model->library.handle) {
    const char *reason = ::dlerror();
    throw RuntimeError(XFC_ERROR_FORMAT,
                       "cannot load " + paths.library + ": " +
                           (reason ? reason : "dlopen failed"));
  }
  auto findSymbol = [&](const char *name) {
    void *symbol = ::dlsym(model->library.handle, name);
    if (!symbol)
      throw RuntimeError(XFC_ERROR_FORMAT,
                         paths.library + " is not an xfc artifact: no symbol " +
                             name);
    return symbol;
  };
  const void *metadataSymbol = findSymbol(XFC_METADATA_SYMBOL);
  model->entry = reinterpret_cast<xfc_entry_fn>(findSymbol(XFC_ENTRY_SYMBOL));

  model->metadata = parseMetadata(
      getMetadataText(metadataSymbol, paths.library), paths.library);
  checkCpuFeatures(model->metadata, paths.library);
  model->weights.open(paths.weights, model->metadata);

  // Before creating primitives: oneDNN sizes its work split by the calling
  // thread's OpenMP thread count at creation.
  if (options && options->num_threads > 0) {
    model->numThreads = options->num_threads;
    omp_set_num_threads(model->numThreads);
  }
  model->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
  for (const MatmulDesc &desc : model->metadata.matmuls) {
    MatmulPrimitive primitive(model->engine, desc, model->weights.getData(),
                              paths.library,
                              model->metadata.fpmath == "bf16");
    model->scratchpadSize =
        std::max(model->scratchpadSize, primitive.getScratchpadSize());
    model->matmuls.emplace(desc.id, std::move(primitive));
  }
  for (const AttentionDesc &desc : model->metadata.attentions) {
    std::string problem = checkAttentionShape(desc.shape);
    if (!problem.empty())
      throw RuntimeError(XFC_ERROR_FORMAT,
                         paths.library + ": metadata line " +
                             std::to_string(desc.lineNumber) +
                             ": attention " + std::to_string(desc.id) +
                             ": " + problem);
    model->attentions.emplace(desc.id, desc.shape);
  }
  for (const QuantMatmulDesc &desc : model->metadata.qmatmuls) {
    QuantMatmulPrimitive primitive(model->engine, desc,
                                   model->weights.getData(), paths.library);
    model->scratchpadSize =
        std::max(model->scratchpadSize, primitive.getScratchpadSize());
    model->qmatmuls.emplace(desc.id, std::move(primitive));
  }
  model->inputDescs = describeTensors(model->metadata.inputs);
  model->outputDescs = describeTensors(model->metadata.outputs);
  return model;
}

//===----------------------------------------------------------------------===//
// Running
//===----------------------------------------------------------------------===//

/// "i64 [1x128]", or as much of it as a malformed tensor allows.
std::string describeGiven(const xfc_tensor &tensor) {
  const char *dtype = getDtypeName(tensor.dtype);
  std::string text =
      dtype ? dtype : "dtype " + std::to_string(static_cast<int>(tensor.dtype));
  if (tensor.rank < 0)
    return text + " of rank " + std::to_string(tensor.rank);
  if (tensor.rank > 0 && !tensor.dims)
    return text + " of rank " + std::to_string(tensor.rank) + " with NULL dims";
  return text + " [" + formatDims(tensor.dims, tensor.rank) + "]";
}

std::string describeExpected(const TensorDesc &tensor) {
  return std::string(getDtypeName(tensor.dtype)) + " [" +
         formatDims(tensor.dims.data(), tensor.dims.size()) + "]";
}

/// Checks what the caller passed against the descriptions and returns the
/// data pointers in description order. `kind` is "input" or "output".
std::vector<void *> checkTensors(const char *kind,
                                 const std::vector<TensorDesc> &expected,
                                 const xfc_tensor *given, size_t count) {
  if (count != expected.size()) {
    std::string names;
    for (const TensorDesc &tensor : expected)
      names += (names.empty() ? "" : ", ") + tensor.name;
    throw RuntimeError(XFC_ERROR_ARGUMENT,
                       "expected " + std::to_string(expected.size()) + " " +
                           kind + (expected.size() == 1 ? "" : "s") + " (" +
                           names + "), got " + std::to_string(count));
  }
  if (count > 0 && !given)
    throw RuntimeError(XFC_ERROR_ARGUMENT,
                       std::string("the ") + kind + "s array is NULL");
  std::vector<void *> pointers;
  for (size_t i = 0; i < count; ++i) {
    const xfc_tensor &tensor = given[i];
    const TensorDesc &want = expected[i];
    bool matches = tensor.dtype == want.dtype &&
                   tensor.rank == static_cast<int64_t>(want.dims.size()) &&
                   (tensor.rank == 0 ||
                    (tensor.dims && std::equal(want.dims.begin(),
                                               want.dims.end(), tensor.dims)));
    if (!matches)
      throw RuntimeError(XFC_ERROR_ARGUMENT,
                         std::string(kind) + " '" + want.name + "': expected " +
                             describeExpected(want) + ", got " +
                             describeGiven(tensor));
    bool empty = std::count(want.dims.begin(), want.dims.end(), 0) > 0;
    if (!tensor.data && !empty)
      throw RuntimeError(XFC_ERROR_ARGUMENT, std::string(kind) + " '" +
                                                 want.name + "' has NULL data");
    pointers.push_back(tensor.data);
  }
  return pointers;
}

/// What one run's matmul calls share.
struct RunState {
  const xfc_model &model;
  dnnl::stream stream;
  void *scratchpad;
  /// The first failure inside a matmul call: the callback cannot return an
  /// error to generated code, so the run reports it when the entry returns.
  xfc_status failureStatus = XFC_OK;
  std::string failure;
};

/// The context generated code receives. Only the C struct and a pointer,
/// so it is standard-layout and the xfc_model_context * generated code
/// passes back converts to it.
struct RunContext {
  xfc_model_context base;
  RunState *state;
};
static_assert(std::is_standard_layout_v<RunContext> &&
                  offsetof(RunContext, base) == 0,
              "generated code reads the function pointers at offset 0 on");
static_assert(offsetof(xfc_model_context, qmatmul) == 40,
              "generated code loads ctx->qmatmul from offset 40");

/// Runs `call(state, entry)` with entry `id` of the model's `table`
/// (its matmuls, attentions or qmatmuls, named `what`) for a callback of
/// generated code. No
/// exception may unwind into generated code and a callback cannot return
/// an error to it, so the first failure is recorded, later calls are
/// skipped (the outputs are void anyway) and the run reports it when the
/// entry returns.
template <typename Table, typename Call>
void runRecordingFailures(xfc_model_context *context, const char *what,
                          Table xfc_model::*table, int64_t id, Call call) {
  RunState &state = *reinterpret_cast<RunContext *>(context)->state;
  if (state.failureStatus != XFC_OK)
    return;
  try {
    const Table &entries = state.model.*table;
    auto it = entries.find(id);
    if (it == entries.end())
      throw RuntimeError(XFC_ERROR_INTERNAL,
                         std::string("the model called ") + what + " " +
                             std::to_string(id) +
                             ", which its metadata does not declare");
    call(state, it->second);
  } catch (...) {
    std::tie(state.failureStatus, state.failure) = describeCurrentException();
  }
}

/// The xfc_matmul_fn generated code calls.
void runMatmul(xfc_model_context *context, int64_t id, const void *a,
               const void *b, const void *bias, const void *residual,
               void *c) {
  runRecordingFailures(context, "matmul", &xfc_model::matmuls, id,
                       [&](RunState &state, const MatmulPrimitive &matmul) {
                         matmul.execute(state.stream, a, b, bias, residual, c,
                                        state.scratchpad);
                       });
}

/// The xfc_attention_fn generated code calls: the flash kernel, which
/// runs its own parallel loop on the same OpenMP pool.
void runAttentionCall(xfc_model_context *context, int64_t id,
                      const void *query, const void *key, const void *value,
                      const void *mask, void *output) {
  runRecordingFailures(
      context, "attention", &xfc_model::attentions, id,
      [&](RunState &, const AttentionShape &shape) {
        runAttention(shape, static_cast<const float *>(query),
                     static_cast<const float *>(key),
                     static_cast<const float *>(value), mask,
                     static_cast<float *>(output));
      });
}

/// The xfc_qmatmul_fn generated code calls: oneDNN's int8 matmul or the
/// runtime's weight-only kernel, on the same OpenMP pool.
void runQuantMatmul(xfc_model_context *context, int64_t id, const void *a,
                    const void *residual, void *c) {
  runRecordingFailures(
      context, "qmatmul", &xfc_model::qmatmuls, id,
      [&](RunState &state, const QuantMatmulPrimitive &qmatmul) {
        qmatmul.execute(state.stream, a, residual, c, state.scratchpad);
      });
}

/// The xfc_parallel_for_fn generated code calls for split kernels: one
/// contiguous share of [0, n) per thread of the OpenMP pool oneDNN also
/// runs on, so the two never oversubscribe the cores.
void runParallelFor(xfc_model_context *, xfc_task_fn task, void *args,
                    int64_t n) {
  int threads = std::min<int64_t>(omp_get_max_threads(), n);
  if (threads <= 1) {
    task(args, 0, n);
    return;
  }
#pragma omp parallel num_threads(threads)
  {
    int64_t thread = omp_get_thread_num(), count = omp_get_num_threads();
    int64_t begin = n * thread / count, end = n * (thread + 1) / count;
    if (begin < end)
      task(args, begin, end);
  }
}

/// The xfc_alloc_fn / xfc_free_fn generated code calls for intermediate
/// buffers.
void *allocateBuffer(xfc_model_context *context, int64_t size) {
  RunState &state = *reinterpret_cast<RunContext *>(context)->state;
  void *block = state.model.buffers.allocate(static_cast<size_t>(size));
  // Generated code has no way to handle NULL: fail loudly instead of
  // writing through it.
  if (!block)
    std::abort();
  return block;
}

void releaseBuffer(xfc_model_context *context, void *block) {
  reinterpret_cast<RunContext *>(context)->state->model.buffers.release(block);
}

/// A block of the model's buffer cache, returned to it on destruction.
class CachedBlock {
public:
  CachedBlock(xfc::runtime::BufferCache &cache, size_t size)
      : cache(cache), block(size > 0 ? cache.allocate(size) : nullptr) {
    if (size > 0 && !block)
      throw std::bad_alloc();
  }
  CachedBlock(const CachedBlock &) = delete;
  CachedBlock &operator=(const CachedBlock &) = delete;
  ~CachedBlock() { cache.release(block); }

  void *get() const { return block; }

private:
  xfc::runtime::BufferCache &cache;
  void *block;
};

void runModel(const xfc_model *model, const xfc_tensor *inputs,
              size_t numInputs, const xfc_tensor *outputs, size_t numOutputs) {
  if (!model)
    throw RuntimeError(XFC_ERROR_ARGUMENT, "the model is NULL");
  std::vector<void *> inputPointers =
      checkTensors("input", model->metadata.inputs, inputs, numInputs);
  std::vector<void *> outputPointers =
      checkTensors("output", model->metadata.outputs, outputs, numOutputs);

  // The OpenMP thread count is per calling thread: set it on this one, which
  // may not be the thread that loaded the model.
  if (model->numThreads > 0)
    omp_set_num_threads(model->numThreads);

  // Per run, not per model: concurrent runs must not share a scratchpad.
  // From the buffer cache (64-byte aligned), so that the next run reuses
  // it instead of faulting in fresh pages: with qmatmuls it holds their
  // quantized inputs, megabytes for long prompts.
  CachedBlock scratchpad(model->buffers, model->scratchpadSize);
  RunState state{*model, dnnl::stream(model->engine), scratchpad.get()};
  RunContext context{
      {&runMatmul, &runParallelFor, &allocateBuffer, &releaseBuffer,
       &runAttentionCall, &runQuantMatmul},
      &state};
  model->entry(&context.base, model->weights.getData(), inputPointers.data(),
               outputPointers.data());
  if (state.failureStatus != XFC_OK)
    throw RuntimeError(state.failureStatus,
                       model->libraryPath + ": " + state.failure);
}

} // namespace

//===----------------------------------------------------------------------===//
// C API
//===----------------------------------------------------------------------===//

const char *xfc_error_message(const xfc_error *error) {
  return error ? error->message.c_str() : "";
}

xfc_status xfc_error_status(const xfc_error *error) {
  return error ? error->status : XFC_OK;
}

void xfc_error_free(xfc_error *error) { delete error; }

const char *xfc_dtype_name(xfc_dtype dtype) { return getDtypeName(dtype); }

size_t xfc_dtype_size(xfc_dtype dtype) { return getDtypeSize(dtype); }

xfc_status xfc_model_load(const char *path, const xfc_load_options *options,
                          xfc_model **model, xfc_error **error) {
  return guard(error, [&] {
    if (!model)
      throw RuntimeError(XFC_ERROR_ARGUMENT, "the model out-pointer is NULL");
    *model = nullptr;
    *model = loadModel(path, options).release();
  });
}

void xfc_model_free(xfc_model *model) { delete model; }

size_t xfc_model_num_inputs(const xfc_model *model) {
  return model ? model->inputDescs.size() : 0;
}

size_t xfc_model_num_outputs(const xfc_model *model) {
  return model ? model->outputDescs.size() : 0;
}

const xfc_tensor *xfc_model_input(const xfc_model *model, size_t index) {
  if (!model || index >= model->inputDescs.size())
    return nullptr;
  return &model->inputDescs[index];
}

const xfc_tensor *xfc_model_output(const xfc_model *model, size_t index) {
  if (!model || index >= model->outputDescs.size())
    return nullptr;
  return &model->outputDescs[index];
}

xfc_status xfc_model_run(const xfc_model *model, const xfc_tensor *inputs,
                         size_t num_inputs, const xfc_tensor *outputs,
                         size_t num_outputs, xfc_error **error) {
  return guard(error, [&] {
    runModel(model, inputs, num_inputs, outputs, num_outputs);
  });
}
