//===- ArtifactWriter.cpp - LLVM IR, object and artifact for the CPU ------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The last step of the CPU backend: the LLVM-dialect module becomes LLVM IR,
// gains what makes it an artifact (the entry wrapper of artifact.h, the
// runtime trampoline, the metadata), is optimized for the target CPU (LLVM
// vectorizes the remaining loops here) and is written as IR, assembly, an
// object, or linked by the system C compiler driver into PATH.so beside
// PATH.weights.
//
//===----------------------------------------------------------------------===//

#include "xfc/Backends/CPU/Codegen.h"
#include "xfc/Backends/CPU/Passes.h"

#include "xfc/Support/AtomicFile.h"

#include "xfc-c/artifact.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Operator.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace xfc::cpu {
namespace {

/// x86 features an artifact may depend on, spelled as both LLVM and GCC's
/// __builtin_cpu_supports (which the runtime checks) spell them.
constexpr llvm::StringLiteral kCheckedFeatures[] = {
    "sse4.2",     "avx",        "avx2",       "fma",        "f16c",
    "bmi",        "bmi2",       "avx512f",    "avx512bw",   "avx512vl",
    "avx512dq",   "avx512cd",   "avx512vnni", "avx512bf16", "avx512fp16",
    "avxvnni"};

/// Percent-encodes a name for the metadata (artifact.h's grammar).
std::string encodeName(StringRef name) {
  std::string encoded;
  for (unsigned char c : name) {
    if (llvm::isAlnum(c) || StringRef("_.:/-").contains(c))
      encoded += c;
    else
      encoded += llvm::formatv("%{0:X2}", static_cast<unsigned>(c)).str();
  }
  return encoded;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "-";
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) { return std::to_string(d); }),
                    "x");
}

/// The weights region described by xfc-cpu-bind-weights' module
/// attributes: each constant's bytes at its offset, zeros between. It is
/// streamed from the constants (which the module keeps alive), never
/// assembled in memory: compiling needs about the weights' size once.
struct WeightsRegion {
  uint64_t size = 0;
  /// Where the compressed tail starts (xfc.cpu.weights_sparse_offset);
  /// `size` when the whole region is stored as it is.
  uint64_t storedSize = 0;
  /// (offset, bytes), by offset.
  SmallVector<std::pair<uint64_t, ArrayRef<char>>> pieces;

  /// Calls `consume` with consecutive chunks covering the region's first
  /// `end` bytes (all of it by default).
  void forEachChunk(llvm::function_ref<void(ArrayRef<char>)> consume,
                    std::optional<uint64_t> end = std::nullopt) const {
    static const char zeros[4096] = {};
    uint64_t position = 0;
    auto pad = [&](uint64_t to) {
      while (position < to) {
        uint64_t count = std::min<uint64_t>(to - position, sizeof(zeros));
        consume(ArrayRef<char>(zeros, count));
        position += count;
      }
    };
    uint64_t limit = end.value_or(size);
    for (auto [offset, bytes] : pieces) {
      if (offset >= limit)
        break;
      pad(offset);
      consume(bytes);
      position += bytes.size();
    }
    pad(limit);
  }

  /// The sparse section of artifact.h for the tensors from `storedSize` on,
  /// record by record; `consume` is called with consecutive chunks.
  void forEachSparseChunk(
      llvm::function_ref<void(ArrayRef<char>)> consume) const {
    static const char zeros[8] = {};
    auto padTo8 = [&](uint64_t written) {
      consume(ArrayRef<char>(zeros, (8 - written % 8) % 8));
    };
    for (auto [offset, bytes] : pieces) {
      if (offset < storedSize)
        continue;
      uint64_t words = bytes.size() / 4;
      std::vector<unsigned char> bitmap((words + 7) / 8, 0);
      std::vector<char> values;
      for (uint64_t word = 0; word < words; ++word) {
        uint32_t value;
        memcpy(&value, bytes.data() + 4 * word, 4);
        if (value == 0)
          continue;
        bitmap[word / 8] |= 1u << (word % 8);
        values.insert(values.end(), bytes.data() + 4 * word,
                      bytes.data() + 4 * word + 4);
      }
      xfc_sparse_record record = {offset, bytes.size(), values.size() / 4};
      consume(ArrayRef<char>(reinterpret_cast<const char *>(&record),
                             sizeof(record)));
      consume(ArrayRef<char>(reinterpret_cast<const char *>(bitmap.data()),
                             bitmap.size()));
      padTo8(bitmap.size());
      consume(values);
      padTo8(values.size());
    }
  }

  uint64_t sparseSize() const {
    uint64_t total = 0;
    forEachSparseChunk([&](ArrayRef<char> chunk) { total += chunk.size(); });
    return total;
  }

  uint64_t checksum() const {
    xfc_checksum_state state;
    xfc_checksum_init(&state);
    forEachChunk([&](ArrayRef<char> chunk) {
      xfc_checksum_update(&state, chunk.data(), chunk.size());
    });
    return xfc_checksum_final(&state);
  }
};

FailureOr<WeightsRegion> getWeightsRegion(ModuleOp module) {
  auto size = module->getAttrOfType<IntegerAttr>(kWeightsSizeAttrName);
  auto layout = module->getAttrOfType<ArrayAttr>(kWeightsAttrName);
  if (!size || !layout)
    return module.emitError("no weights layout on the module: run the "
                            "xfc-cpu-llvm-pipeline first");
  WeightsRegion region;
  region.size = size.getInt();
  for (Attribute entry : layout) {
    auto pair = cast<ArrayAttr>(entry);
    int64_t offset = cast<IntegerAttr>(pair[0]).getInt();
    ArrayRef<char> bytes;
    if (auto resource = dyn_cast<DenseResourceElementsAttr>(pair[1])) {
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return module.emitError("weight '")
               << resource.getRawHandle().getKey() << "' has no data";
      bytes = blob->getData();
    } else {
      bytes = cast<DenseElementsAttr>(pair[1]).getRawData();
    }
    region.pieces.push_back({static_cast<uint64_t>(offset), bytes});
  }
  llvm::sort(region.pieces, [](const auto &a, const auto &b) {
    return a.first < b.first;
  });
  region.storedSize = region.size;
  if (auto sparse =
          module->getAttrOfType<IntegerAttr>(kWeightsSparseOffsetAttrName)) {
    region.storedSize = sparse.getInt();
    if (region.storedSize % XFC_WEIGHTS_HEADER_SIZE != 0 ||
        region.storedSize >= region.size)
      return module.emitError("sparse weights offset ")
             << region.storedSize << " is not a multiple of "
             << XFC_WEIGHTS_HEADER_SIZE << " inside the region";
    for (auto [offset, bytes] : region.pieces)
      if (offset < region.storedSize
              ? offset + bytes.size() > region.storedSize
              : bytes.size() % 4 != 0)
        return module.emitError("weight at offset ")
               << offset << " straddles the sparse offset or is not whole "
               << "4-byte words";
  }
  uint64_t end = 0;
  for (auto [offset, bytes] : region.pieces) {
    if (offset < end || offset + bytes.size() > region.size)
      return module.emitError("weight at offset ")
             << offset << " overlaps another or lies outside the region";
    end = offset + bytes.size();
  }
  return region;
}

/// Builds the metadata text of artifact.h.
std::string buildMetadata(ModuleOp module, const llvm::TargetMachine &machine,
                          ArrayRef<TensorSignature> inputs,
                          ArrayRef<TensorSignature> outputs,
                          uint64_t weightsSize, uint64_t checksum,
                          uint64_t storedSize, uint64_t sparseSize,
                          StringRef precision) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "xfc-artifact " << XFC_ARTIFACT_VERSION << "\n";
  os << "target cpu\n";
  os << "triple " << machine.getTargetTriple().str() << "\n";
  os << "cpu " << machine.getTargetCPU() << "\n";
  os << "cpu-features";
  const llvm::MCSubtargetInfo *subtarget = machine.getMCSubtargetInfo();
  for (StringRef feature : kCheckedFeatures)
    if (subtarget->checkFeatures(("+" + feature).str()))
      os << " " << feature;
  os << "\n";
  if (precision == "bf16")
    os << "fpmath bf16\n";
  os << "weights-size " << weightsSize << "\n";
  os << "weights-checksum " << llvm::format_hex_no_prefix(checksum, 16) << "\n";
  if (sparseSize > 0)
    os << "weights-sparse " << storedSize << " " << sparseSize << "\n";
  for (const TensorSignature &input : inputs)
    os << "input " << encodeName(input.name) << " " << input.dtype << " "
       << formatShape(input.shape) << "\n";
  for (const TensorSignature &output : outputs)
    os << "output " << encodeName(output.name) << " " << output.dtype << " "
       << formatShape(output.shape) << "\n";
  for (StringRef name :
       {kMatmulsAttrName, kAttentionsAttrName, kQuantMatmulsAttrName})
    if (auto descriptors = module->getAttrOfType<ArrayAttr>(name))
      for (Attribute descriptor : descriptors)
        os << cast<StringAttr>(descriptor).getValue() << "\n";
  os << "end\n";
  return text;
}

/// Adds the artifact's interface to the translated module: the exported
/// entry wrapper and metadata, and the trampoline through which outlined
/// matmuls reach the runtime. Everything else becomes internal.
LogicalResult addArtifactInterface(ModuleOp module, llvm::Module &llvmModule,
                                   StringRef entryName, uint64_t weightsSize,
                                   ArrayRef<TensorSignature> inputs,
                                   ArrayRef<TensorSignature> outputs,
                                   StringRef metadata) {
  llvm::LLVMContext &context = llvmModule.getContext();
  llvm::IRBuilder<> b(context);
  llvm::Type *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();

  // The lowered entry takes the context, then each memref as MLIR's
  // expanded descriptor: allocated and aligned pointer, offset, sizes,
  // strides.
  size_t numParams = 1 + 5;
  for (const TensorSignature &tensor : llvm::concat<const TensorSignature>(
           inputs, outputs))
    numParams += 3 + 2 * tensor.shape.size();
  llvm::Function *main = llvmModule.getFunction(entryName);
  if (!main || main->arg_size() != numParams)
    return module.emitError("the lowered entry function '")
           << entryName << "' does not take (context, weights, "
           << inputs.size() << " inputs, " << outputs.size() << " outputs)";
  for (llvm::Function &function : llvmModule) {
    if (function.isDeclaration())
      continue;
    function.setLinkage(llvm::GlobalValue::InternalLinkage);
    // Shared kernels stay functions (xfc-cpu-outline-kernels says why).
    if (function.getName().starts_with("xfc_kernel"))
      function.addFnAttr(llvm::Attribute::NoInline);
  }

  // void xfc_model_entry(ctx, weights, inputs, outputs)
  auto *entryType =
      llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr, ptr, ptr}, false);
  auto *entry = llvm::Function::Create(entryType,
                                       llvm::GlobalValue::ExternalLinkage,
                                       XFC_ENTRY_SYMBOL, llvmModule);
  b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", entry));
  SmallVector<llvm::Value *> args = {entry->getArg(0)};
  auto addDescriptor = [&](llvm::Value *data, ArrayRef<int64_t> shape) {
    args.append({data, data, b.getInt64(0)});
    for (int64_t size : shape)
      args.push_back(b.getInt64(size));
    int64_t stride = 1;
    SmallVector<llvm::Value *> strides(shape.size());
    for (int i = shape.size() - 1; i >= 0; --i) {
      strides[i] = b.getInt64(stride);
      stride *= shape[i];
    }
    args.append(strides.begin(), strides.end());
  };
  addDescriptor(entry->getArg(1), {static_cast<int64_t>(weightsSize)});
  auto addDescriptors = [&](llvm::Value *array,
                            ArrayRef<TensorSignature> tensors) {
    for (auto [i, tensor] : llvm::enumerate(tensors))
      addDescriptor(b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, array, i)),
                    tensor.shape);
  };
  addDescriptors(entry->getArg(2), inputs);
  addDescriptors(entry->getArg(3), outputs);
  b.CreateCall(main, args);
  b.CreateRetVoid();

  // The runtime trampolines: the call sites pass addresses as integers
  // (index); the runtime's function pointers sit in ctx (artifact.h).
  auto defineTrampoline = [&](StringRef name, unsigned slot,
                              unsigned numAddresses) {
    llvm::Function *function = llvmModule.getFunction(name.str());
    if (!function)
      return;
    function->setLinkage(llvm::GlobalValue::InternalLinkage);
    b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", function));
    llvm::Value *ctx = function->getArg(0);
    SmallVector<llvm::Type *> params = {ptr, i64};
    params.append(numAddresses, ptr);
    auto *calleeType = llvm::FunctionType::get(b.getVoidTy(), params, false);
    llvm::Value *callee =
        b.CreateLoad(ptr, b.CreateConstGEP1_64(ptr, ctx, slot));
    SmallVector<llvm::Value *> calleeArgs = {ctx, function->getArg(1)};
    for (unsigned i = 0; i < numAddresses; ++i)
      calleeArgs.push_back(b.CreateIntToPtr(function->getArg(2 + i), ptr));
    b.CreateCall(calleeType, callee, calleeArgs);
    b.CreateRetVoid();
  };
  defineTrampoline(kMatmulFunctionName,
                   offsetof(xfc_model_context, matmul) / sizeof(void *), 5);
  defineTrampoline(kAttentionFunctionName,
                   offsetof(xfc_model_context, attention) / sizeof(void *), 5);
  defineTrampoline(kQuantMatmulFunctionName,
                   offsetof(xfc_model_context, qmatmul) / sizeof(void *), 3);

  llvm::Constant *text =
      llvm::ConstantDataArray::getString(context, metadata, true);
  auto *global = new llvm::GlobalVariable(
      llvmModule, text->getType(), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, text, XFC_METADATA_SYMBOL);
  global->setAlignment(llvm::Align(1));
  return success();
}

/// Turns each call of a split kernel (`xfc_kernel_par*`, whose last two
/// arguments are the range of its outermost loop) into a call of the
/// runtime's parallel_for: the other arguments are packed into a struct
/// on the caller's stack, and a task function unpacks them.
LogicalResult parallelizeKernelCalls(ModuleOp module,
                                     llvm::Module &llvmModule) {
  llvm::LLVMContext &context = llvmModule.getContext();
  llvm::IRBuilder<> b(context);
  llvm::Type *ptr = b.getPtrTy();
  llvm::Type *i64 = b.getInt64Ty();
  auto *taskType = llvm::FunctionType::get(b.getVoidTy(), {ptr, i64, i64},
                                           /*isVarArg=*/false);
  auto *parallelForType = llvm::FunctionType::get(
      b.getVoidTy(), {ptr, ptr, ptr, i64}, /*isVarArg=*/false);
  // Collected first: the loop adds task functions to the module.
  SmallVector<llvm::Function *> kernels;
  for (llvm::Function &function : llvmModule)
    if (function.getName().starts_with("xfc_kernel_par") &&
        !function.isDeclaration())
      kernels.push_back(&function);
  for (llvm::Function *kernelPointer : kernels) {
    llvm::Function &kernel = *kernelPointer;
    unsigned numPacked = kernel.arg_size() - 2;
    SmallVector<llvm::Type *> fieldTypes;
    for (unsigned i = 0; i < numPacked; ++i)
      fieldTypes.push_back(kernel.getArg(i)->getType());
    auto *packType = llvm::StructType::get(context, fieldTypes);

    auto *task = llvm::Function::Create(
        taskType, llvm::GlobalValue::InternalLinkage,
        kernel.getName() + "_task", llvmModule);
    b.SetInsertPoint(llvm::BasicBlock::Create(context, "entry", task));
    SmallVector<llvm::Value *> args;
    for (unsigned i = 0; i < numPacked; ++i)
      args.push_back(b.CreateLoad(
          fieldTypes[i], b.CreateStructGEP(packType, task->getArg(0), i)));
    args.append({task->getArg(1), task->getArg(2)});
    b.CreateCall(&kernel, args);
    b.CreateRetVoid();

    for (llvm::User *user : llvm::make_early_inc_range(kernel.users())) {
      auto *call = dyn_cast<llvm::CallInst>(user);
      if (!call || call->getCalledFunction() != &kernel ||
          call->getFunction() == task)
        continue;
      llvm::Function *caller = call->getFunction();
      if (caller->arg_size() == 0 || !caller->getArg(0)->getType()->isPointerTy())
        return module.emitError("split kernel '")
               << kernel.getName().str()
               << "' is called outside the entry function";
      b.SetInsertPoint(&caller->getEntryBlock(),
                       caller->getEntryBlock().getFirstInsertionPt());
      llvm::Value *pack = b.CreateAlloca(packType);
      b.SetInsertPoint(call);
      for (unsigned i = 0; i < numPacked; ++i)
        b.CreateStore(call->getArgOperand(i),
                      b.CreateStructGEP(packType, pack, i));
      llvm::Value *ctx = caller->getArg(0);
      llvm::Value *parallelFor = b.CreateLoad(
          ptr, b.CreateConstGEP1_64(ptr, ctx, 1));
      b.CreateCall(parallelForType, parallelFor,
                   {ctx, task, pack, call->getArgOperand(numPacked + 1)});
      call->eraseFromParent();
    }
  }
  return success();
}

/// Routes the entry function's buffer allocations to the runtime (context
/// slots 2 and 3), which keeps freed buffers for the next run instead of
/// returning them to the system: no page faults on intermediates after
/// the first run.
void useRuntimeAllocator(llvm::Function &main) {
  llvm::LLVMContext &context = main.getContext();
  llvm::IRBuilder<> b(context);
  llvm::Type *ptr = b.getPtrTy();
  auto *allocType =
      llvm::FunctionType::get(ptr, {ptr, b.getInt64Ty()}, /*isVarArg=*/false);
  auto *freeType =
      llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr}, /*isVarArg=*/false);
  llvm::Value *ctx = main.getArg(0);
  for (llvm::Instruction &inst :
       llvm::make_early_inc_range(llvm::instructions(main))) {
    auto *call = dyn_cast<llvm::CallInst>(&inst);
    llvm::Function *callee = call ? call->getCalledFunction() : nullptr;
    if (!callee || (callee->getName() != "malloc" && callee->getName() != "free"))
      continue;
    b.SetInsertPoint(call);
    bool isAlloc = callee->getName() == "malloc";
    llvm::Value *function = b.CreateLoad(
        ptr, b.CreateConstGEP1_64(ptr, ctx, isAlloc ? 2 : 3));
    llvm::CallInst *replacement =
        isAlloc ? b.CreateCall(allocType, function, {ctx, call->getArgOperand(0)})
                : b.CreateCall(freeType, function, {ctx, call->getArgOperand(0)});
    call->replaceAllUsesWith(replacement);
    call->eraseFromParent();
  }
}

/// Lets LLVM reassociate and contract floating-point arithmetic (what
/// vectorizes reductions — the sums of LayerNorm and softmax — and forms
/// FMAs) and use reciprocals. No nnan/ninf: NaN and infinity keep their
/// meaning.
void allowReassociation(llvm::Module &module) {
  for (llvm::Function &function : module)
    for (llvm::Instruction &inst : llvm::instructions(function))
      if (isa<llvm::FPMathOperator>(inst)) {
        inst.setHasAllowReassoc(true);
        inst.setHasAllowContract(true);
        // x / c becomes x · (1/c): GELU's x/√2 would otherwise divide.
        inst.setHasAllowReciprocal(true);
      }
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(ModuleOp module, const CPUTargetOptions &options) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("no LLVM target for ") << triple.str() << ": "
                                                   << error;
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (std::string error = checkCPUName(cpu); !error.empty())
    return module.emitError(error);
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> hostFeatures;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      hostFeatures.push_back((feature.second ? "+" : "-") +
                             feature.first().str());
    if (!features.empty())
      hostFeatures.push_back(features);
    features = llvm::join(hostFeatures, ",");
  }
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return module.emitError("cannot create an LLVM target machine for CPU '")
           << cpu << "'";
  return machine;
}

void optimize(llvm::Module &module, llvm::TargetMachine &machine) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager passes =
      builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  passes.run(module, mam);
}

/// writeFileAtomically with errors as diagnostics on `module`.
LogicalResult writeAtomically(
    ModuleOp module, StringRef path,
    llvm::function_ref<LogicalResult(llvm::raw_fd_ostream &)> write) {
  if (llvm::Error error = writeFileAtomically(path, write))
    return module.emitError(llvm::toString(std::move(error)));
  return success();
}

LogicalResult emitMachineCode(ModuleOp module, llvm::Module &llvmModule,
                              llvm::TargetMachine &machine,
                              llvm::raw_pwrite_stream &os,
                              llvm::CodeGenFileType type) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, type))
    return module.emitError("LLVM cannot emit this file type for ")
           << machine.getTargetTriple().str();
  passes.run(llvmModule);
  return success();
}

/// Links `objectPath` into the shared library `libraryPath` with the
/// system's C compiler driver.
LogicalResult linkSharedLibrary(ModuleOp module, StringRef objectPath,
                                StringRef libraryPath) {
  llvm::ErrorOr<std::string> cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    return module.emitError("no C compiler driver 'cc' on PATH to link the "
                            "shared library: install gcc or clang");
  SmallVector<StringRef> args = {*cc, "-shared", "-o", libraryPath, objectPath,
                                 "-lm", "-Wl,-z,noexecstack"};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0,
                                         &error);
  if (status != 0)
    return module.emitError("linking '")
           << libraryPath << "' with " << *cc << " failed"
           << (error.empty() ? "" : ": " + error);
  return success();
}

} // namespace

std::string checkCPUName(StringRef cpu) {
  if (cpu == "host")
    return "";
  llvm::InitializeNativeTarget();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target ? target->createMCSubtargetInfo(triple, "", "") : nullptr);
  if (subtarget && subtarget->isCPUStringValid(cpu))
    return "";
  return ("unknown CPU '" + cpu +
          "' for --cpu: use host, x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or "
          "an LLVM CPU name (skylake-avx512, znver4, ...)")
      .str();
}

LogicalResult writeCPUOutput(ModuleOp module, StringRef outputPath,
                             CPUOutputKind kind,
                             const CPUTargetOptions &targetOptions,
                             ArrayRef<TensorSignature> inputs,
                             ArrayRef<TensorSignature> outputs) {
  FailureOr<WeightsRegion> weights = getWeightsRegion(module);
  if (failed(weights))
    return failure();
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(module, targetOptions);
  if (failed(machine))
    return failure();

  // The entry function, then the attributes only this writer reads.
  StringRef entryName;
  for (auto func : module.getOps<LLVM::LLVMFuncOp>())
    if (!func.isExternal() && !func.isPrivate() &&
        !func.getSymName().starts_with("xfc_kernel"))
      entryName = func.getSymName();
  std::string metadataModuleCopy;
  uint64_t checksum = weights->checksum();
  uint64_t sparseSize = weights->sparseSize();
  std::string metadata = buildMetadata(
      module, **machine, inputs, outputs, weights->size, checksum,
      weights->storedSize, sparseSize, targetOptions.precision);
  for (StringRef name :
       {kWeightsAttrName, kWeightsSizeAttrName, kWeightsSparseOffsetAttrName,
        kMatmulsAttrName,
        kAttentionsAttrName, kQuantMatmulsAttrName})
    module->removeAttr(name);
  // The names are in the metadata; LLVM has no use for them.
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    func.removeArgAttrsAttr();
    func.removeResAttrsAttr();
  }

  registerBuiltinDialectTranslation(*module->getContext());
  registerLLVMDialectTranslation(*module->getContext());
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvmModule->setDataLayout((*machine)->createDataLayout());
  std::string entry = entryName.str();
  if (failed(addArtifactInterface(module, *llvmModule, entry,
                                  weights->size, inputs, outputs, metadata)))
    return failure();
  if (failed(parallelizeKernelCalls(module, *llvmModule)))
    return failure();
  useRuntimeAllocator(*llvmModule->getFunction(entry));
  std::string cpu = (*machine)->getTargetCPU().str();
  std::string features = (*machine)->getTargetFeatureString().str();
  bool hasAVX512 =
      (*machine)->getMCSubtargetInfo()->checkFeatures("+avx512f");
  for (llvm::Function &function : *llvmModule) {
    function.addFnAttr("target-cpu", cpu);
    if (!features.empty())
      function.addFnAttr("target-features", features);
    // LLVM's tuning for recent x86 cores prefers 256-bit vectors (a guard
    // against frequency drops on old ones); the kernels here are long
    // streaming loops, measured 3% faster end to end with 512-bit ones
    // (MiniLM, 1 thread).
    if (hasAVX512)
      function.addFnAttr("prefer-vector-width", "512");
  }
  allowReassociation(*llvmModule);
  optimize(*llvmModule, **machine);

  switch (kind) {
  case CPUOutputKind::LLVMIR:
    return writeAtomically(module, outputPath, [&](llvm::raw_fd_ostream &os) {
      llvmModule->print(os, nullptr);
      return success();
    });
  case CPUOutputKind::Assembly:
  case CPUOutputKind::Object:
    return writeAtomically(module, outputPath, [&](llvm::raw_fd_ostream &os) {
      return emitMachineCode(module, *llvmModule, **machine, os,
                             kind == CPUOutputKind::Object
                                 ? llvm::CodeGenFileType::ObjectFile
                                 : llvm::CodeGenFileType::AssemblyFile);
    });
  case CPUOutputKind::Artifact:
    break;
  }

  // The object goes to the system temporary directory; the two artifact
  // files are written beside their final names and renamed at the end,
  // the weights first: a crash in between leaves a library whose checksum
  // refuses the old weights, never a silently mismatched pair.
  SmallString<128> objectPath;
  int objectFD;
  if (std::error_code error = llvm::sys::fs::createTemporaryFile(
          "xfc-model", "o", objectFD, objectPath))
    return module.emitError("cannot create a temporary object file: ")
           << error.message();
  llvm::scope_exit removeObject([&] { llvm::sys::fs::remove(objectPath); });
  {
    llvm::raw_fd_ostream os(objectFD, /*shouldClose=*/true);
    if (failed(emitMachineCode(module, *llvmModule, **machine, os,
                               llvm::CodeGenFileType::ObjectFile)))
      return failure();
  }

  std::string libraryPath = (outputPath + ".so").str();
  std::string weightsPath = (outputPath + ".weights").str();
  llvm::Expected<llvm::sys::fs::TempFile> library =
      llvm::sys::fs::TempFile::create(libraryPath + ".tmp-%%%%%%");
  if (!library)
    return module.emitError("cannot write '")
           << libraryPath << "': " << llvm::toString(library.takeError());
  auto discardLibrary = [&] { llvm::consumeError(library->discard()); };
  if (failed(linkSharedLibrary(module, objectPath, library->TmpName))) {
    discardLibrary();
    return failure();
  }
  llvm::Expected<llvm::sys::fs::TempFile> weightsFile =
      llvm::sys::fs::TempFile::create(weightsPath + ".tmp-%%%%%%");
  if (!weightsFile) {
    discardLibrary();
    return module.emitError("cannot write '")
           << weightsPath << "': " << llvm::toString(weightsFile.takeError());
  }
  bool written;
  {
    llvm::raw_fd_ostream os(weightsFile->FD, /*shouldClose=*/false);
    xfc_weights_header header = {};
    memcpy(header.magic, XFC_WEIGHTS_MAGIC, sizeof(header.magic));
    header.version = XFC_ARTIFACT_VERSION;
    header.data_offset = XFC_WEIGHTS_HEADER_SIZE;
    header.data_size = weights->size;
    header.checksum = checksum;
    header.stored_size = weights->storedSize;
    header.sparse_size = sparseSize;
    std::vector<char> headerBytes(XFC_WEIGHTS_HEADER_SIZE, 0);
    memcpy(headerBytes.data(), &header, sizeof(header));
    os.write(headerBytes.data(), headerBytes.size());
    auto write = [&](ArrayRef<char> chunk) {
      os.write(chunk.data(), chunk.size());
    };
    weights->forEachChunk(write, weights->storedSize);
    weights->forEachSparseChunk(write);
    os.flush();
    written = !os.has_error();
    if (os.has_error())
      os.clear_error();
  }
  if (!written) {
    discardLibrary();
    llvm::consumeError(weightsFile->discard());
    return module.emitError("failed writing '") << weightsPath << "'";
  }
  if (llvm::Error error = weightsFile->keep(weightsPath)) {
    discardLibrary();
    return module.emitError("cannot write '")
           << weightsPath << "': " << llvm::toString(std::move(error));
  }
  if (llvm::Error error = library->keep(libraryPath)) {
    llvm::sys::fs::remove(weightsPath);
    return module.emitError("cannot write '")
           << libraryPath << "': " << llvm::toString(std::move(error));
  }
  return success();
}

} // namespace xfc::cpu
