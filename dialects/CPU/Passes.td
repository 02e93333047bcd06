//===- Passes.td - The CPU backend's passes -----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The passes of backends/cpu/Codegen, in pipeline order. The pipelines that
// string them together with upstream passes are registered as
// `xfc-cpu-linalg-pipeline` and `xfc-cpu-llvm-pipeline`.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_CPU_PASSES_TD
#define XFC_BACKENDS_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUFuseElementwisePass : Pass<"xfc-cpu-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops into their consumers, keeping "
                "contractions whole";
  let description = [{
    Upstream's elementwise fusion (`linalg-fuse-elementwise-ops` without
    its reshape propagation), controlled so that the CPU backend's GEMMs
    stay recognizable:

    * a producer is fused only into its single user (nothing is computed
      twice);
    * nothing is fused into a contraction except pure data movement — a
      producer whose body yields its input through a permutation map, i.e.
      a transpose, which becomes the contraction's strides;
    * a contraction is never fused into its consumer (upstream never fuses
      a producer with reduction loops anyway).

    Before fusing, a bias add after a zero-initialized contraction
    (`add(matmul, broadcast(b))` along the contraction's last dimension, as
    ONNX exporters write a linear layer) is folded into the contraction: it
    starts from the broadcast bias instead, which
    `xfc-cpu-outline-matmuls` turns into oneDNN's bias.
    `linalg.transpose` ops are generalized first, so that they can fuse.
    A fused op's location fuses those of the ops it merges
    (`loc(fused[...])`), so profiles and diagnostics still name every
    ONNX node.
    What is left is one `linalg.generic` per chain of elementwise ops
    between two reductions or contractions (a bias-add + GELU, a residual
    add + the LayerNorm statistics' input), each read and written once.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def CPUBindWeightsPass : Pass<"xfc-cpu-bind-weights", "::mlir::ModuleOp"> {
  let summary = "Move large constants into the weights file and add the "
                "entry function's runtime arguments";
  let description = [{
    The module's public function is the model's entry. This pass prepends
    two arguments to it: the runtime context (`!llvm.ptr`, passed to every
    runtime call) and the weights region (`memref<Nxi8>`, the mmapped data
    of `PATH.weights`). Each `arith.constant` holding a tensor of at least
    `min-bytes` bytes (any `dense_resource`, or non-splat dense data)
    becomes a `memref.view` into that region, read as a tensor with
    `bufferization.to_tensor ... restrict` (bufferization copies before any
    in-place write: the weights are read-only). Offsets are multiples of
    64 bytes.

    The layout is recorded on the module as `xfc.cpu.weights`: an array of
    `[offset, value]` pairs, from which the artifact writer writes the
    weights file (and its checksum) once code generation is done, and
    `xfc.cpu.weights_size`.

    With `sparse` (default), weights whose 4-byte words are at least half
    zero (pruned ones: `xf-prune-unstructured`, `xf-prune-nm`) go last,
    from a 4096-byte boundary recorded as `xfc.cpu.weights_sparse_offset`:
    the artifact writer stores that part of the weights file compressed
    (a bitmap of the nonzero words and the words), and the runtime expands
    it at load (artifact.h).
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"256",
           "Smallest constant (in bytes) moved into the weights file; "
           "smaller ones stay in the code">,
    Option<"sparse", "sparse", "bool", /*default=*/"true",
           "Lay out weights that are at least half zeros last, for the "
           "weights file to store compressed">,
  ];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def CPUOutlineMatmulsPass : Pass<"xfc-cpu-outline-matmuls",
                                 "::mlir::ModuleOp"> {
  let summary = "Replace f32 contractions on buffers with oneDNN matmul "
                "calls through the runtime";
  let description = [{
    Runs after bufferization. Every `linalg` contraction (a multiply-add
    body with batch, M, N and K dimensions, `linalg::inferContractionDims`)
    on `f32` memrefs with static strides becomes a call

    ```mlir
    func.call @xfc_rt_matmul(%ctx, %id, %a, %b, %bias, %residual, %c)
        : (!llvm.ptr, i64, index, index, index, index, index) -> ()
    ```

    with the addresses of each operand's first element, and a descriptor
    `matmul <id> f32 <a> <b> <c> <bias> <beta> <b-weight-offset>` (the
    grammar of `include/xfc-c/artifact.h`) appended to the module's
    `xfc.cpu.matmuls` array, from which the runtime creates one oneDNN
    primitive per call site at load time. Several loop dimensions of one
    role are merged when they are contiguous in every operand; M dimensions
    that cannot be merged become batch dimensions.

    The op that initializes the accumulator, when it is the op just
    before, is folded into the call: a `linalg.fill` with 0 is dropped, a
    broadcast of a vector along N becomes oneDNN's bias; any other
    initial value is kept and accumulated onto (`beta` 1, oneDNN's sum
    post-op). The loop right after, when it only reads the result, becomes
    a post-op and the call writes its output instead: xf.gelu's loop (an
    eltwise `gelu_erf` / `gelu_tanh`) or the add of a residual of the
    result's layout (`add`, a binary post-op; the residual's address is
    passed). A B operand that is a view of the weights region is marked
    with its offset: the runtime reorders it once, at load, into oneDNN's
    blocked layout.

    Contractions this cannot express (another element type, dynamic
    strides, K dimensions that are not contiguous) stay as they are and
    are compiled as loops; a remark says why. (Leftover N dimensions, like
    M ones, become batch dimensions.)
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def CPUOutlineAttentionPass : Pass<"xfc-cpu-outline-attention",
                                   "::mlir::ModuleOp"> {
  let summary = "Route f32 xf.attention ops to the runtime's flash kernel";
  let description = [{
    Runs on tensors, before `convert-xf-to-linalg` (which would otherwise
    lower `xf.attention` to its reference decomposition with the full
    score matrix). Each `xf.attention` on static `f32` tensors becomes a
    call to a private declaration that carries the op's attributes
    (`xfc.attention`), with read-only arguments
    (`bufferization.access = "read"`) so that bufferization neither copies
    them nor assumes they are written:

    ```mlir
    %o = func.call @xfc_attention_0(%q, %k, %v, %mask)
        : (tensor<1x128x768xf32>, tensor<1x128x768xf32>,
           tensor<1x128x768xf32>, tensor<1x1x1x128xf32>) -> tensor<1x128x768xf32>
    ```

    Packed `[B, S, H·D]` keys and values of sequences of 1024 or more are
    first copied head-major (`xf.reshape` + `xf.transpose` to
    `[B, H, S, D]`): the kernel streams them once per block of queries,
    and rows H·D floats apart cost it about a fifth of its speed there.
    `xfc-cpu-attention-out-params` and `xfc-cpu-call-attention` finish the
    job on buffers. Ops of other element types keep the reference
    lowering.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def CPUKernelOutParamsPass : Pass<"xfc-cpu-kernel-out-params",
                                  "::mlir::ModuleOp"> {
  let summary = "Give the runtime kernel calls a destination buffer";
  let description = [{
    Runs right after one-shot bufferization, before deallocation is
    placed. The calls `xfc-cpu-outline-attention` and
    `xfc-cpu-outline-quant-matmuls` created return a new buffer; this
    allocates it at the call site and passes it as a last argument instead
    (`upstream buffer-results-to-out-params` leaves declarations alone), so
    deallocation sees an ordinary buffer. An operand that bufferization
    copied into a fresh buffer only to give it the call's identity layout
    is passed as the original strided view instead: the runtime kernels
    take strides, and the copy would cost a pass over Q, K, V or the GEMM's
    input.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def CPUCallAttentionPass : Pass<"xfc-cpu-call-attention",
                                "::mlir::ModuleOp"> {
  let summary = "Replace attention calls on buffers by calls through the "
                "runtime";
  let description = [{
    Runs after deallocation is placed (the runtime call passes addresses,
    which hide the buffers from it). Each destination-passing attention
    call becomes

    ```mlir
    func.call @xfc_rt_attention(%ctx, %id, %q, %k, %v, %mask, %out)
        : (!llvm.ptr, i64, index, index, index, index, index) -> ()
    ```

    with the addresses of the operands' first elements, and a descriptor
    `attention <id> f32 <sizes> <q> <k> <v> <out> <mask> <scale> <causal>`
    (grammar in `include/xfc-c/artifact.h`: sizes, element strides of the
    batch, head and sequence dimensions, the mask's broadcast strides) in
    the module's `xfc.cpu.attentions` array. The packed layout
    `[B, S, H·D]` needs no copy: its head stride is `D`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def CPUOutlineQuantMatmulsPass : Pass<"xfc-cpu-outline-quant-matmuls",
                                      "::mlir::ModuleOp"> {
  let summary = "Route xf.quant.linear to the runtime's quantized GEMMs";
  let description = [{
    Runs on xf, before convert-xf-to-linalg. Each `xf.quant.linear` the
    runtime can run becomes a call to a private kernel declaration
    (`xfc.qmatmul` attribute) on an `[M, K]` view of its float input, with
    the weight repacked for the runtime as new constants:
    * W8A8 (input `quant.qcast` per tensor, s8 weights per channel without
      zero points): the s8 weight, `scale_x · scale_w[n]`, and the bias with
      the zero-point compensation `-Z · scale · Σk W[n, k]` folded in —
      oneDNN's u8·s8 GEMM (VNNI) then dequantizes in its epilogue;
    * W8A8 dynamic (`dynamic_input`): the s8 weight and `scale_w[n]`;
    * weight-only int8 / int4 (float input, per-channel or group-wise
      weights): the weight as s8 or as two 4-bit values per byte, and
      per-group scales and offsets (`-scale · zero_point`), which the
      runtime's kernel applies while it reads the weight.
    A GELU or a residual add that is the result's only user becomes the
    kernel's epilogue. Ops it cannot run (other storage types, per-channel
    zero points in W8A8, dynamic shapes) keep the reference lowering.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::arith::ArithDialect"];
}

def CPUCallQuantMatmulsPass : Pass<"xfc-cpu-call-quant-matmuls",
                                   "::mlir::ModuleOp"> {
  let summary = "Replace quantized matmul calls on buffers by calls "
                "through the runtime";
  let description = [{
    Runs after deallocation is placed, like `xfc-cpu-call-attention`. Each
    destination-passing quantized matmul call becomes

    ```mlir
    func.call @xfc_rt_qmatmul(%ctx, %id, %a, %residual, %c)
        : (!llvm.ptr, i64, index, index, index) -> ()
    ```

    and a `qmatmul` line (grammar in `include/xfc-c/artifact.h`) in the
    module's `xfc.cpu.qmatmuls` attribute: sizes, row strides, and the
    byte offsets of the repacked weights in the weights file, which must
    all be there (run after `xfc-cpu-bind-weights`).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def CPUOutlineKernelsPass : Pass<"xfc-cpu-outline-kernels",
                                 "::mlir::ModuleOp"> {
  let summary = "Move each linalg op on buffers into a private function, "
                "one function per distinct op";
  let description = [{
    Runs after bufferization and matmul outlining. Each `linalg` op of the
    entry function becomes a call to a private `xfc_kernel*` function
    whose body is that op (its operands become the function's arguments;
    constants it captures are cloned in). Structurally identical ops —
    the same op, types and body, as in every layer of a Transformer —
    share one function.

    Why: the entry function would otherwise hold every loop nest of the
    model, and LLVM's optimizer and code generator cost grows faster than
    linearly with function size; with kernels shared across layers, a
    12-layer model compiles about as fast as a 1-layer one, and the
    library holds each kernel once. The artifact writer marks the kernels
    `noinline` to keep it so.

    A `memref.copy` between buffers that are not both contiguous (a concat
    along an outer axis writes each piece into a strided slot) becomes a
    `linalg.copy` first, hence a kernel: its LLVM lowering would call
    MLIR's `memrefCopy` runtime helper, which an artifact cannot link.

    A kernel with enough work (at least 2^14 iterations) is split along its
    outermost parallel loop of extent >= 2, when that loop indexes every
    operand plainly:
    `xfc_kernel_par_N` takes two more `index` arguments, the range
    `[begin, end)` of that loop, and works on subviews; its call sites pass
    `0` and the extent, and the artifact writer turns them into calls of
    the runtime's `parallel_for`, which spreads the range over the threads
    oneDNN also uses.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
  ];
}

def CPUApproximateMathPass : Pass<"xfc-cpu-approximate-math"> {
  let summary = "Replace transcendental math ops with vectorizable "
                "polynomial approximations";
  let description = [{
    `math.erf`, `math.tanh`, `math.exp`, `math.log` (and the others upstream
    approximates) become arithmetic with the accuracy of upstream's
    polynomial approximations (a few ulp in f32), so the loops that contain
    them vectorize: libm calls would not. Runs upstream's
    `populateMathPolynomialApproximationPatterns` on f32. Before that,
    `math.powf` with a constant exponent becomes multiplications, `sqrt` or
    `rsqrt` (upstream's algebraic simplification) and any other `powf`
    becomes `exp(y · log x)` (upstream's expansion), so it vectorizes too.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // XFC_BACKENDS_CPU_PASSES_TD
