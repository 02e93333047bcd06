//===- XFOps.td - Operations of the xf dialect ---------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XF_OPS_TD
#define XF_OPS_TD

include "XF/XFDialect.td"
include "XF/XFAttrs.td"
include "XF/XFTypes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Op classes
//===----------------------------------------------------------------------===//

// Result types are inferred from operands and attributes, and the inferred
// type is checked against the written one. A written type may be more
// static than the inferred one (a `?` the writer knows), never different.
def XF_InferResultTypes : InferTypeOpAdaptorBase<[{
  static bool isCompatibleReturnTypes(::mlir::TypeRange lhs,
                                      ::mlir::TypeRange rhs) {
    return ::xfc::xf::areCompatibleReturnTypes(lhs, rhs);
  }
}]>;

// Elementwise binary op with numpy broadcasting.
class XF_BroadcastBinaryOp<string mnemonic, list<Trait> traits = []>
    : XF_Op<mnemonic, !listconcat(traits, [Pure, XF_InferResultTypes])> {
  let arguments = (ins XF_ArithTensor:$lhs, XF_ArithTensor:$rhs);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

// Elementwise unary op on floating-point tensors.
class XF_UnaryFloatOp<string mnemonic, list<Trait> traits = []>
    : XF_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let arguments = (ins XF_FloatTensor:$input);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

// Reduction over a set of axes.
class XF_ReduceOp<string mnemonic, string what>
    : XF_Op<mnemonic, [Pure, XF_InferResultTypes]> {
  let summary = "reduction computing the " # what # " over `axes`";
  let description = [{
    Reduces `input` over the dimensions listed in `axes` (each in
    `[-rank, rank)`, no duplicates, not empty). With `keep_dims` the reduced
    dimensions stay as size 1 (the ONNX default); without it they are
    dropped.

    ```mlir
    %0 = xf.}] # mnemonic # [{ %x axes = [-1] keep_dims
           : (tensor<2x8x768xf32>) -> tensor<2x8x1xf32>
    ```
  }];
  let arguments = (ins XF_ArithTensor:$input, DenseI64ArrayAttr:$axes,
                       UnitAttr:$keep_dims);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = [{
    $input `axes` `=` $axes (`keep_dims` $keep_dims^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

def XF_AddOp : XF_BroadcastBinaryOp<"add", [Commutative]> {
  let summary = "elementwise addition with broadcasting";
  let description = [{
    `lhs + rhs` elementwise. The operands have the same element type and
    shapes that broadcast with numpy rules; the result has the broadcast
    shape.

    ```mlir
    %0 = xf.add %x, %bias : (tensor<2x8x768xf32>, tensor<768xf32>) -> tensor<2x8x768xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_SubOp : XF_BroadcastBinaryOp<"sub"> {
  let summary = "elementwise subtraction with broadcasting";
  let description = [{
    `lhs - rhs` elementwise, broadcasting as `xf.add` does.

    ```mlir
    %0 = xf.sub %one, %mask : (tensor<f32>, tensor<1x1x1x8xf32>) -> tensor<1x1x1x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_MulOp : XF_BroadcastBinaryOp<"mul", [Commutative]> {
  let summary = "elementwise multiplication with broadcasting";
  let description = [{
    `lhs * rhs` elementwise, broadcasting as `xf.add` does.

    ```mlir
    %0 = xf.mul %scores, %scale : (tensor<1x12x8x8xf32>, tensor<f32>) -> tensor<1x12x8x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_DivOp : XF_BroadcastBinaryOp<"div"> {
  let summary = "elementwise division with broadcasting";
  let description = [{
    `lhs / rhs` elementwise, broadcasting as `xf.add` does. Integer division
    truncates toward zero, as ONNX `Div` does.

    ```mlir
    %0 = xf.div %scores, %sqrt_d : (tensor<1x12x8x8xf32>, tensor<f32>) -> tensor<1x12x8x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_PowOp : XF_BroadcastBinaryOp<"pow"> {
  let summary = "elementwise power with broadcasting";
  let description = [{
    `lhs ^ rhs` elementwise, broadcasting as `xf.add` does. Exporters emit
    it for `x^2` in decomposed LayerNorm/RMSNorm and `x^3` in tanh-GELU.

    ```mlir
    %0 = xf.pow %x, %two : (tensor<2x8x768xf32>, tensor<f32>) -> tensor<2x8x768xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_MaxOp : XF_BroadcastBinaryOp<"max", [Commutative]> {
  let summary = "elementwise maximum with broadcasting";
  let description = [{
    The larger of `lhs` and `rhs` elementwise; NaN if either is NaN.

    ```mlir
    %0 = xf.max %x, %floor : (tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_MinOp : XF_BroadcastBinaryOp<"min", [Commutative]> {
  let summary = "elementwise minimum with broadcasting";
  let description = [{
    The smaller of `lhs` and `rhs` elementwise; NaN if either is NaN.

    ```mlir
    %0 = xf.min %x, %ceiling : (tensor<4x4xf32>, tensor<f32>) -> tensor<4x4xf32>
    ```
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Comparison and selection
//===----------------------------------------------------------------------===//

def XF_CmpOp : XF_Op<"cmp", [Pure, XF_InferResultTypes]> {
  let summary = "elementwise comparison with broadcasting";
  let description = [{
    Compares `lhs` and `rhs` elementwise with `predicate` (`eq`, `ne`, `lt`,
    `le`, `gt`, `ge`) and yields an `i1` tensor of the broadcast shape.
    Floating-point comparisons are ordered: any comparison with NaN is false
    except `ne`.

    ```mlir
    %0 = xf.cmp eq, %mask, %zero : (tensor<1x8xi64>, tensor<i64>) -> tensor<1x8xi1>
    ```
  }];
  let arguments = (ins XF_ComparisonPredicate:$predicate,
                       XF_NumericTensor:$lhs, XF_NumericTensor:$rhs);
  let results = (outs XF_BoolTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def XF_SelectOp : XF_Op<"select", [Pure, XF_InferResultTypes]> {
  let summary = "elementwise choice between two tensors with broadcasting";
  let description = [{
    `condition ? true_value : false_value` elementwise (ONNX `Where`). All
    three operands broadcast together; the values share an element type.

    ```mlir
    %0 = xf.select %keep, %scores, %neg_inf
           : (tensor<1x1x8x8xi1>, tensor<1x12x8x8xf32>, tensor<f32>) -> tensor<1x12x8x8xf32>
    ```
  }];
  let arguments = (ins XF_BoolTensor:$condition, XF_NumericTensor:$true_value,
                       XF_NumericTensor:$false_value);
  let results = (outs XF_NumericTensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    functional-type(operands, results)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary math
//===----------------------------------------------------------------------===//

def XF_ExpOp : XF_UnaryFloatOp<"exp"> {
  let summary = "elementwise exponential";
  let description = [{
    `e^input` elementwise.

    ```mlir
    %0 = xf.exp %x : tensor<2x8xf32>
    ```
  }];
}

def XF_LogOp : XF_UnaryFloatOp<"log"> {
  let summary = "elementwise natural logarithm";
  let description = [{
    `ln(input)` elementwise.

    ```mlir
    %0 = xf.log %x : tensor<2x8xf32>
    ```
  }];
}

def XF_TanhOp : XF_UnaryFloatOp<"tanh"> {
  let summary = "elementwise hyperbolic tangent";
  let description = [{
    ```mlir
    %0 = xf.tanh %x : tensor<2x8xf32>
    ```
  }];
}

def XF_ErfOp : XF_UnaryFloatOp<"erf"> {
  let summary = "elementwise Gauss error function";
  let description = [{
    Exporters emit it inside exact GELU: `0.5 * x * (1 + erf(x / sqrt(2)))`.

    ```mlir
    %0 = xf.erf %x : tensor<2x8xf32>
    ```
  }];
}

def XF_SqrtOp : XF_UnaryFloatOp<"sqrt"> {
  let summary = "elementwise square root";
  let description = [{
    ```mlir
    %0 = xf.sqrt %var : tensor<2x8x1xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_RsqrtOp : XF_UnaryFloatOp<"rsqrt"> {
  let summary = "elementwise reciprocal square root";
  let description = [{
    `1 / sqrt(input)` elementwise (RMSNorm's normalizer).

    ```mlir
    %0 = xf.rsqrt %ms : tensor<2x8x1xf32>
    ```
  }];
}

def XF_RoundOp : XF_UnaryFloatOp<"round"> {
  let summary = "elementwise round to nearest, ties to even";
  let description = [{
    Rounds each element to the nearest integer value, halves to even, as
    ONNX `Round` and the quantization formulas (`round(x / scale)`) do.

    ```mlir
    %0 = xf.round %x : tensor<2x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_ReciprocalOp : XF_UnaryFloatOp<"reciprocal"> {
  let summary = "elementwise reciprocal";
  let description = [{
    `1 / input` elementwise.

    ```mlir
    %0 = xf.reciprocal %x : tensor<2x8xf32>
    ```
  }];
  let hasFolder = 1;
}

def XF_SigmoidOp : XF_UnaryFloatOp<"sigmoid"> {
  let summary = "elementwise logistic sigmoid";
  let description = [{
    `1 / (1 + e^-input)` elementwise.

    ```mlir
    %0 = xf.sigmoid %gate : tensor<1x8x2048xf32>
    ```
  }];
}

def XF_NegOp : XF_Op<"neg", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise negation";
  let description = [{
    `-input` elementwise, on floats and signless integers (two's
    complement). Exporters emit it in `rotate_half` of RoPE.

    ```mlir
    %0 = xf.neg %x : tensor<1x8x32xf32>
    ```
  }];
  let arguments = (ins XF_ArithTensor:$input);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasFolder = 1;
}

def XF_AbsOp : XF_Op<"abs", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise absolute value";
  let description = [{
    `|input|` elementwise, on floats and signless integers (as signed).

    ```mlir
    %0 = xf.abs %x : tensor<4x4xf32>
    ```
  }];
  let arguments = (ins XF_ArithTensor:$input);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

def XF_GeluOp : XF_UnaryFloatOp<"gelu"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `x * Φ(x)` elementwise. `approximate = none` (the default, omitted when
    printed) evaluates Φ exactly with erf, as BERT does;
    `approximate = tanh` uses
    `0.5 * x * (1 + tanh(sqrt(2/π) * (x + 0.044715 x³)))`, as GPT-2 does.
    The two differ by up to about 1e-3, so fusion keeps them apart.

    ```mlir
    %0 = xf.gelu %h : tensor<1x8x3072xf32>
    %1 = xf.gelu %h approximate = tanh : tensor<1x8x3072xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input,
      DefaultValuedAttr<XF_GeluApproximation,
                        "::xfc::xf::GeluApproximation::None">:$approximate);
  let assemblyFormat = [{
    $input (`approximate` `=` $approximate^)? attr-dict `:` type($result)
  }];
}

def XF_SiluOp : XF_UnaryFloatOp<"silu"> {
  let summary = "sigmoid linear unit (swish)";
  let description = [{
    `x * sigmoid(x)` elementwise (LLaMA's SwiGLU gate).

    ```mlir
    %0 = xf.silu %gate : tensor<1x8x2048xf32>
    ```
  }];
}

def XF_ReluOp : XF_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "rectified linear unit";
  let description = [{
    `max(x, 0)` elementwise.

    ```mlir
    %0 = xf.relu %h : tensor<1x8x3072xf32>
    ```
  }];
  let arguments = (ins XF_ArithTensor:$input);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// GEMM-class ops
//===----------------------------------------------------------------------===//

def XF_MatmulOp : XF_Op<"matmul", [Pure, XF_InferResultTypes]> {
  let summary = "batched matrix multiplication";
  let description = [{
    Multiplies the matrices in the last two dimensions of `lhs` and `rhs`;
    leading (batch) dimensions broadcast with numpy rules. `transpose_lhs`
    and `transpose_rhs` swap the last two dimensions of that operand first,
    so `Q·Kᵀ` needs no separate transpose.

    Integer operands (ONNX `MatMulInteger` after its zero points are
    subtracted) multiply and accumulate in their own type, normally `i32`.

    Constraints:
    (C1) `lhs` and `rhs` have rank ≥ 2 and the same element type.
    (C2) the contraction sizes agree: `K` of `lhs` (`[..., M, K]`, or
         `[..., K, M]` with `transpose_lhs`) equals `K` of `rhs`
         (`[..., K, N]`, or `[..., N, K]` with `transpose_rhs`).
    (C3) the batch dimensions broadcast.
    The result is `[broadcast(batch), M, N]`.

    ```mlir
    %s = xf.matmul %q, %k transpose_rhs
           : (tensor<1x12x8x64xf32>, tensor<1x12x8x64xf32>) -> tensor<1x12x8x8xf32>
    ```
  }];
  let arguments = (ins XF_ArithTensor:$lhs, XF_ArithTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs XF_ArithTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)?
    (`transpose_rhs` $transpose_rhs^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def XF_LinearOp : XF_Op<"linear", [Pure, XF_InferResultTypes]> {
  let summary = "fully connected layer: input · weightᵀ + bias";
  let description = [{
    `input[..., K] · weight[N, K]ᵀ (+ bias[N])` → `[..., N]`. The weight is
    stored `[out_features, in_features]` as PyTorch's `nn.Linear` and
    oneDNN's inner product hold it. This is the GEMM-class op that fusion
    passes extend with epilogues (bias, activation, residual).

    Constraints:
    (C1) `input` has rank ≥ 1; all operands share a floating-point element
         type.
    (C2) `weight` has rank 2 and `weight[1]` equals the last dimension of
         `input`.
    (C3) `bias`, when present, has shape `[weight[0]]`.

    ```mlir
    %0 = xf.linear %x, %w, %b
           : (tensor<1x8x768xf32>, tensor<3072x768xf32>, tensor<3072xf32>) -> tensor<1x8x3072xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input, XF_FloatTensor:$weight,
                       Optional<XF_FloatTensor>:$bias);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

def XF_LayerNormOp : XF_Op<"layer_norm",
    [Pure, AttrSizedOperandSegments, XF_InferResultTypes]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes `input` over the dimensions `[axis, rank)` to zero mean and
    unit variance (biased variance, `epsilon` added before the square root),
    then multiplies by `scale` (γ) and adds `bias` (β) when present, as ONNX
    `LayerNormalization` does.

    With `residual`, the op normalizes `input + residual` instead: the
    residual add of a post-LN block (BERT), or of the last block before a
    final norm (GPT-2's `ln_f`), which `xf-fuse-residual-layer-norm` folds
    in so that backends compute the sum inside the normalization's loops
    instead of materializing it. The sum is rounded to the element type
    before it is normalized, as the separate `xf.add` would round it.

    Constraints:
    (C1) `axis` is in `[-rank, rank)`.
    (C2) `scale` and `bias`, when present, have the normalized shape
         `input.shape[axis:]` and the element type of `input`.
    (C3) `epsilon` is positive.
    (C4) `residual`, when present, has the type of `input` (no
         broadcasting).

    ```mlir
    %0 = xf.layer_norm %x scale(%gamma) bias(%beta) {epsilon = 1.0e-12 : f32}
           : (tensor<1x8x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x8x768xf32>
    %1 = xf.layer_norm %h residual(%x) scale(%gamma) bias(%beta) {epsilon = 1.0e-12 : f32}
           : (tensor<1x8x768xf32>, tensor<1x8x768xf32>, tensor<768xf32>, tensor<768xf32>)
             -> tensor<1x8x768xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input,
                       Optional<XF_FloatTensor>:$residual,
                       Optional<XF_FloatTensor>:$scale,
                       Optional<XF_FloatTensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs XF_FloatTensor:$result);
  // Each optional operand is introduced by its keyword, so any subset of
  // them prints and parses unambiguously; the functional type lists the
  // present ones in the same order.
  let assemblyFormat = [{
    $input (`residual` `(` $residual^ `)`)? (`scale` `(` $scale^ `)`)?
    (`bias` `(` $bias^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

def XF_RMSNormOp : XF_Op<"rms_norm", [Pure, XF_InferResultTypes]> {
  let summary = "root-mean-square normalization over the trailing dimensions";
  let description = [{
    `input / sqrt(mean(input², axes=[axis, rank)) + epsilon) * scale`, as
    LLaMA's RMSNorm and ONNX `RMSNormalization` compute it. No mean is
    subtracted and there is no bias.

    Constraints:
    (C1) `axis` is in `[-rank, rank)`.
    (C2) `scale`, when present, has the normalized shape `input.shape[axis:]`
         and the element type of `input`.
    (C3) `epsilon` is positive.

    ```mlir
    %0 = xf.rms_norm %x scale(%w) {epsilon = 1.0e-6 : f32}
           : (tensor<1x8x2048xf32>, tensor<2048xf32>) -> tensor<1x8x2048xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input,
                       Optional<XF_FloatTensor>:$scale,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`scale` `(` $scale^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def XF_SoftmaxOp : XF_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (default the
    last), as ONNX `Softmax` from opset 13 computes it.

    ```mlir
    %0 = xf.softmax %scores {axis = -1 : i64} : tensor<1x12x8x8xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def XF_ReduceSumOp : XF_ReduceOp<"reduce_sum", "sum">;
def XF_ReduceMeanOp : XF_ReduceOp<"reduce_mean", "arithmetic mean">;
def XF_ReduceMaxOp : XF_ReduceOp<"reduce_max", "maximum">;

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def XF_ReshapeOp : XF_Op<"reshape", [Pure]> {
  let summary = "reinterpret a tensor with another shape";
  let description = [{
    Returns `input` with the shape of the result type, elements in row-major
    order unchanged. Element types match; when both shapes are static their
    element counts match. A result with `?` dimensions is allowed when the
    input has them too (the count is then checked at run time).

    ```mlir
    %0 = xf.reshape %x : tensor<1x8x768xf32> -> tensor<1x8x12x64xf32>
    ```
  }];
  let arguments = (ins XF_Tensor:$input);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def XF_TransposeOp : XF_Op<"transpose", [Pure, XF_InferResultTypes]> {
  let summary = "permute the dimensions of a tensor";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`; `permutation`
    is a permutation of `[0, rank)`.

    ```mlir
    %0 = xf.transpose %x, [0, 2, 1, 3]
           : (tensor<1x8x12x64xf32>) -> tensor<1x12x8x64xf32>
    ```
  }];
  let arguments = (ins XF_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $permutation attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def XF_ConcatOp : XF_Op<"concat", [Pure, XF_InferResultTypes]> {
  let summary = "join tensors along one axis";
  let description = [{
    Concatenates `inputs` (at least one, same rank and element type, equal
    sizes except along `axis`) along `axis`.

    ```mlir
    %0 = xf.concat %neg_x2, %x1 axis = -1
           : (tensor<1x8x32xf32>, tensor<1x8x32xf32>) -> tensor<1x8x64xf32>
    ```
  }];
  let arguments = (ins Variadic<XF_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = [{
    $inputs `axis` `=` $axis attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def XF_SliceOp : XF_Op<"slice", [Pure, XF_InferResultTypes]> {
  let summary = "extract a strided box of a tensor";
  let description = [{
    Takes, in every dimension `d`, the `sizes[d]` elements starting at
    `offsets[d]` with step `strides[d]`. ONNX `Slice` with constant
    starts/ends/axes/steps maps here once clamped and normalized.

    Constraints:
    (C1) `offsets`, `sizes` and `strides` each have one entry per dimension.
    (C2) offsets and sizes are non-negative; strides are positive.
    (C3) the last element taken, `offsets[d] + (sizes[d] - 1) * strides[d]`,
         lies inside a static dimension (when `sizes[d] > 0`).
    The result shape is `sizes`.

    ```mlir
    %0 = xf.slice %x offsets = [0, 0, 0] sizes = [1, 8, 32] strides = [1, 1, 1]
           : (tensor<1x8x64xf32>) -> tensor<1x8x32xf32>
    ```
  }];
  let arguments = (ins XF_Tensor:$input, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = [{
    $input `offsets` `=` $offsets `sizes` `=` $sizes `strides` `=` $strides
    attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def XF_GatherOp : XF_Op<"gather", [Pure, XF_InferResultTypes]> {
  let summary = "gather slices of a tensor along one axis (embedding lookup)";
  let description = [{
    As ONNX `Gather`: the result is
    `input.shape[:axis] ++ indices.shape ++ input.shape[axis+1:]`, each
    index selecting one slice along `axis`. Negative indices count from the
    back; an index outside `[-dim, dim)` is undefined behaviour at run time
    (the frontend rejects constant ones).

    ```mlir
    %0 = xf.gather %word_embeddings[%input_ids] axis = 0
           : (tensor<30522x768xf32>, tensor<1x8xi64>) -> tensor<1x8x768xf32>
    ```
  }];
  let arguments = (ins XF_Tensor:$input, XF_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = [{
    $input `[` $indices `]` `axis` `=` $axis attr-dict `:`
    functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def XF_TopKOp : XF_Op<"top_k", [Pure, XF_InferResultTypes]> {
  let summary = "the k largest elements along the last dimension";
  let description = [{
    Selects, in every row of the last dimension (length `N`), the `k`
    largest elements of `input` and returns them (`values`, the input's
    element type) and their positions in the row (`indices`, `i64`), both
    of shape `input.shape[:-1] ++ [k]`. Equal values are ordered by
    position (the earlier one counts as larger), so the selection is
    deterministic. By default the results are in decreasing order of value
    (ONNX `TopK` with `largest = 1, sorted = 1`); with `index_order` they
    are in increasing order of position, which keeps the selected elements
    in their original order (token pruning gathers tokens by them). With a
    NaN in a row, which elements are selected is unspecified, but every
    index is in `[0, N)`.

    Constraints:
    (C1) `input` has rank ≥ 1.
    (C2) `k` ≥ 1, and `k` ≤ `N` when `N` is static.

    ```mlir
    %values, %indices = xf.top_k %scores k = 2
           : (tensor<1x5xf32>) -> (tensor<1x2xf32>, tensor<1x2xi64>)
    %kept_values, %kept = xf.top_k %importance k = 90 index_order
           : (tensor<1x128xf32>) -> (tensor<1x90xf32>, tensor<1x90xi64>)
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input, I64Attr:$k,
                       UnitAttr:$index_order);
  let results = (outs XF_FloatTensor:$values, TensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input `k` `=` $k (`index_order` $index_order^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def XF_SplitOp : XF_Op<"split", [Pure, XF_InferResultTypes]> {
  let summary = "split a tensor into pieces along one axis";
  let description = [{
    Splits `input` along `axis` into one result per entry of `sizes`; the
    sizes are non-negative and add up to the dimension (when static).

    ```mlir
    %q, %k, %v = xf.split %qkv axis = -1 sizes = [768, 768, 768]
           : (tensor<1x8x2304xf32>) -> (tensor<1x8x768xf32>, tensor<1x8x768xf32>, tensor<1x8x768xf32>)
    ```
  }];
  let arguments = (ins XF_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<XF_Tensor>:$results);
  let assemblyFormat = [{
    $input `axis` `=` $axis `sizes` `=` $sizes attr-dict `:`
    functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def XF_ExpandOp : XF_Op<"expand", [Pure]> {
  let summary = "broadcast a tensor to a larger shape";
  let description = [{
    Broadcasts `input` to the result shape with numpy rules: the input's
    dimensions align to the right and each is equal to the result's or 1.
    ONNX `Expand` (bidirectional) maps here once its result shape is known.
    GQA's key/value head repetition is the typical use.

    ```mlir
    %0 = xf.expand %kv : tensor<1x4x1x8x64xf32> -> tensor<1x4x2x8x64xf32>
    ```
  }];
  let arguments = (ins XF_Tensor:$input);
  let results = (outs XF_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def XF_CastOp : XF_Op<"cast", [Pure]> {
  let summary = "convert the element type of a tensor";
  let description = [{
    Converts each element to the result's element type, keeping the shape.
    Float → int truncates toward zero; int → float rounds to nearest; to
    `i1` is `!= 0`; signless integers are read as signed (except `i1`) and
    `ui8` as unsigned.

    ```mlir
    %0 = xf.cast %attention_mask : tensor<1x8xi64> -> tensor<1x8xf32>
    ```
  }];
  let arguments = (ins XF_NumericTensor:$input);
  let results = (outs XF_NumericTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def XF_AttentionOp : XF_Op<"attention", [Pure, XF_InferResultTypes]> {
  let summary = "scaled dot-product multi-head attention";
  let description = [{
    `softmax(scale · Q·Kᵀ + mask) · V`, per batch and head, the target of
    attention fusion. Backends lower it flash-style (online softmax, no
    sequence × sequence buffer).

    Two layouts are accepted; all of `query`, `key`, `value` use the same:
    * heads split, rank 4: `query [B, Hq, Sq, D]`, `key [B, Hkv, Skv, D]`,
      `value [B, Hkv, Skv, Dv]` → result `[B, Hq, Sq, Dv]`;
    * heads packed, rank 3: `query [B, Sq, Hq·D]`, `key [B, Skv, Hkv·D]`,
      `value [B, Skv, Hkv·Dv]` → result `[B, Sq, Hq·Dv]` (the layout that
      linear projections produce, before the head-split reshape).

    `num_kv_heads < num_heads` is grouped-query attention (MQA when 1):
    query head `h` reads key/value head `h / (num_heads / num_kv_heads)`.
    `scale` defaults to `1/sqrt(D)`. With `causal`, query `i` attends to
    key `j` only when `j <= i + (Skv - Sq)` (aligned bottom-right, so a
    decode step with a KV cache is causal too). `mask`, broadcast to
    `[B, Hq, Sq, Skv]`, is either `i1` (true = attend) or additive, of the
    query's element type.

    Constraints:
    (C1) `query`, `key`, `value` have the same rank, 3 or 4, and the same
         floating-point element type.
    (C2) `num_heads` ≥ 1 and `num_kv_heads` ≥ 1 (default `num_heads`), and
         `num_kv_heads` divides `num_heads`.
    (C3) the batch sizes of `query`, `key`, `value` agree.
    (C4) rank 4: the head dimensions are `num_heads` (query) and
         `num_kv_heads` (key, value); rank 3: `num_heads` divides the query
         hidden size and `num_kv_heads` divides the key and value hidden
         sizes.
    (C5) the key's head size `D` equals the query's.
    (C6) key and value have the same sequence length `Skv`.
    (C7) `mask`, when present, has rank ≤ 4, element type `i1` or the
         query's, and broadcasts to `[B, Hq, Sq, Skv]`.
    (C8) `scale`, when present, is finite and positive.

    ```mlir
    %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 12 : i64}
           : (tensor<1x12x8x64xf32>, tensor<1x12x8x64xf32>, tensor<1x12x8x64xf32>,
              tensor<1x1x1x8xf32>) -> tensor<1x12x8x64xf32>
    %1 = xf.attention %q2, %k2, %v2 {num_heads = 32 : i64, num_kv_heads = 8 : i64, causal}
           : (tensor<1x32x8x64xf32>, tensor<1x8x8x64xf32>, tensor<1x8x8x64xf32>) -> tensor<1x32x8x64xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$query, XF_FloatTensor:$key,
                       XF_FloatTensor:$value, Optional<XF_Tensor>:$mask,
                       ConfinedAttr<I64Attr, [IntPositive]>:$num_heads,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:$num_kv_heads,
                       OptionalAttr<F32Attr>:$scale,
                       UnitAttr:$causal);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `)`)? attr-dict `:`
    functional-type(operands, results)
  }];
  let extraClassDeclaration = [{
    /// The number of key/value heads: `num_kv_heads`, or `num_heads` when
    /// it is absent (plain multi-head attention).
    int64_t getEffectiveNumKvHeads() {
      return getNumKvHeads().value_or(getNumHeads());
    }
  }];
}

def XF_RopeOp : XF_Op<"rope", [Pure, XF_InferResultTypes]> {
  let summary = "rotary position embedding";
  let description = [{
    Rotates pairs of features of `input [..., S, D]` by position-dependent
    angles whose cosines and sines are given (already gathered for the
    positions in use) as `cos` and `sin` of shape `[..., S, R/2]`,
    broadcasting to `input.shape[:-1] ++ [R/2]`. The first `R` features
    rotate (`R = D` unless partial rotary); the rest pass through.

    Pairs are `(x[i], x[i + R/2])` by default ("rotate half", GPT-NeoX and
    LLaMA in Hugging Face), or `(x[2i], x[2i+1])` with `interleaved`
    (GPT-J, Meta's LLaMA).

    Constraints:
    (C1) `input` has rank ≥ 2; `cos` and `sin` have the same type, rank ≥ 1,
         and the element type of `input`.
    (C2) `R = 2 · cos.shape[-1]` is at most `D`.
    (C3) `cos.shape[:-1]` broadcasts to `input.shape[:-1]`.

    ```mlir
    %0 = xf.rope %q, %cos, %sin
           : (tensor<1x32x8x64xf32>, tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<1x32x8x64xf32>
    ```
  }];
  let arguments = (ins XF_FloatTensor:$input, XF_FloatTensor:$cos,
                       XF_FloatTensor:$sin, UnitAttr:$interleaved);
  let results = (outs XF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $cos `,` $sin (`interleaved` $interleaved^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Quantized ops
//===----------------------------------------------------------------------===//

def XF_QuantLinearOp : XF_Op<"quant.linear", [Pure, XF_InferResultTypes]> {
  let summary = "linear layer with quantized weights";
  let description = [{
    `input[..., K] · dequantize(weight)[N, K]ᵀ (+ bias[N])` → `[..., N]`,
    where `weight` carries an upstream `quant` type:
    * per-channel int8: `!quant.uniform<i8:f32:0, {s0, s1, ...}>`, one scale
      (and zero point) per output channel;
    * group-wise int4 (or int8): `!quant.uniform<i4:f32:{1:G}, {...}>`, a
      sub-channel type with one scale per `G` input features of each output
      channel;
    * per-tensor, `!quant.uniform<i8:f32, s>`.
    `input` is floating point (weight-only quantization: backends dequantize
    inside the GEMM, never materializing the float weight) or a per-tensor
    quantized tensor (W8A8: the GEMM runs on integers and the result is
    dequantized in its epilogue). Quantize and dequantize themselves are the
    upstream `quant.qcast` and `quant.dcast`.

    `dynamic_input` (W8A8 dynamic) quantizes a floating-point `input` at run
    time, one scale per row (every index of its leading dimensions, i.e.
    per token): `r = max|row| / 127` (1 for an all-zero row),
    `q = round_half_even(x / r)`, and the row takes part as `q · r`. The
    integer GEMM then needs no calibration of the activations.

    Constraints:
    (C1) `weight` is `[N, K]` with a quantized element type whose storage is
         an integer of at most 8 bits.
    (C2) a per-axis `weight` is quantized along axis 0; a sub-channel one
         has block size 1 along axis 0 and a block size along axis 1 that
         divides `K`.
    (C3) `input` has rank ≥ 1, last dimension `K`, and is floating point
         or per-tensor quantized with the weight's expressed type.
    (C4) `bias`, when present, is `[N]` of the weight's expressed type.
    (C5) the result is `input.shape[:-1] ++ [N]` of the weight's expressed
         type.
    (C6) `dynamic_input` needs a floating-point `input`.

    ```mlir
    %0 = xf.quant.linear %x, %w, %b
           : (tensor<1x8x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25}>>,
              tensor<2xf32>) -> tensor<1x8x2xf32>
    ```
  }];
  let arguments = (ins XF_FloatOrQuantTensor:$input, XF_QuantTensor:$weight,
                       Optional<XF_FloatTensor>:$bias, UnitAttr:$dynamic_input);
  let results = (outs XF_FloatTensor:$result);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? (`dynamic_input` $dynamic_input^)?
    attr-dict `:`
    functional-type(operands, results)
  }];
}

#endif // XF_OPS_TD
