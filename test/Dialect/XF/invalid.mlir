// RUN: xfc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Result type checking (InferTypeOpInterface)
//===----------------------------------------------------------------------===//

func.func @add_result_type_mismatch(%a: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  %0 = xf.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @matmul_result_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf16> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op inferred type(s) 'tensor<2x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf16>'}}
  %0 = xf.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

func.func @transpose_result_less_static_than_inferred(%a: tensor<2x3xf32>) -> tensor<?x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<?x2xf32>'}}
  %0 = xf.transpose %a, [1, 0] : (tensor<2x3xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

func.func @add_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.add' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.add %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @add_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.add' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @sub_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.sub' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.sub %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @sub_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.sub' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.sub %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @mul_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.mul' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.mul %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @mul_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.mul' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @div_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.div' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.div %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @div_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.div' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.div %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @pow_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.pow' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.pow %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @pow_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.pow' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.pow %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @max_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.max' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.max %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @max_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.max' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.max %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @min_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.min' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.min %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @min_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.min' op operand shapes (2x3, 4) do not broadcast}}
  %0 = xf.min %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_integer_and_float_operands(%a: tensor<2xi32>, %b: tensor<2xf32>) -> tensor<2xi32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.add' op lhs element type 'i32' does not match rhs element type 'f32'}}
  %0 = xf.add %a, %b : (tensor<2xi32>, tensor<2xf32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @add_dynamic_does_not_hide_static_mismatch(%a: tensor<?x3xf32>, %b: tensor<2x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.add' op operand shapes (?x3, 2x4) do not broadcast}}
  %0 = xf.add %a, %b : (tensor<?x3xf32>, tensor<2x4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @add_unsigned_operand(%a: tensor<2xui8>, %b: tensor<2xui8>) -> tensor<2xui8> {
  // expected-error @+1 {{'xf.add' op operand #0 must be ranked tensor of floating-point or 8/16/32/64-bit signless integer values, but got 'tensor<2xui8>'}}
  %0 = xf.add %a, %b : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

//===----------------------------------------------------------------------===//
// Comparison and selection
//===----------------------------------------------------------------------===//

func.func @cmp_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xi32>) -> tensor<2xi1> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.cmp' op lhs element type 'f32' does not match rhs element type 'i32'}}
  %0 = xf.cmp eq, %a, %b : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @cmp_shapes_do_not_broadcast(%a: tensor<3xf32>, %b: tensor<2xf32>) -> tensor<3xi1> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.cmp' op operand shapes (3, 2) do not broadcast}}
  %0 = xf.cmp lt, %a, %b : (tensor<3xf32>, tensor<2xf32>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

func.func @cmp_non_bool_result(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'xf.cmp' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = xf.cmp eq, %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @select_value_element_type_mismatch(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.select' op true_value element type 'f32' does not match false_value element type 'f16'}}
  %0 = xf.select %c, %a, %b : (tensor<2xi1>, tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @select_shapes_do_not_broadcast(%c: tensor<3xi1>, %a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.select' op operand shapes (3, 2, 2) do not broadcast}}
  %0 = xf.select %c, %a, %b : (tensor<3xi1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @select_value_shapes_do_not_broadcast(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.select' op operand shapes (scalar, 2, 3) do not broadcast}}
  %0 = xf.select %c, %a, %b : (tensor<i1>, tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @select_i32_condition(%c: tensor<2xi32>, %a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'xf.select' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<2xi32>'}}
  %0 = xf.select %c, %a, %a : (tensor<2xi32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise unary ops and activations (ODS constraints)
//===----------------------------------------------------------------------===//

func.func @exp_integer_operand(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'xf.exp' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = xf.exp %a : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @gelu_integer_operand(%a: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'xf.gelu' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = xf.gelu %a : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

func.func @neg_index_operand(%a: tensor<2xindex>) -> tensor<2xindex> {
  // expected-error @+1 {{'xf.neg' op operand #0 must be ranked tensor of floating-point or 8/16/32/64-bit signless integer values, but got 'tensor<2xindex>'}}
  %0 = xf.neg %a : tensor<2xindex>
  return %0 : tensor<2xindex>
}

// -----

//===----------------------------------------------------------------------===//
// xf.matmul
//===----------------------------------------------------------------------===//

func.func @matmul_c1_lhs_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op lhs has rank 1 but matmul needs rank >= 2}}
  %0 = xf.matmul %a, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @matmul_c1_rhs_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op rhs has rank 1 but matmul needs rank >= 2}}
  %0 = xf.matmul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @matmul_c1_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op lhs element type 'f32' does not match rhs element type 'f16'}}
  %0 = xf.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @matmul_c1_bool_operand(%a: tensor<2x3xi1>, %b: tensor<3x4xi1>) -> tensor<2x4xi1> {
  // expected-error @+1 {{'xf.matmul' op operand #0 must be ranked tensor of floating-point or 8/16/32/64-bit signless integer values, but got 'tensor<2x3xi1>'}}
  %0 = xf.matmul %a, %b : (tensor<2x3xi1>, tensor<3x4xi1>) -> tensor<2x4xi1>
  return %0 : tensor<2x4xi1>
}

// -----

func.func @matmul_c2_contraction_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op contraction size of lhs (3) does not match contraction size of rhs (4)}}
  %0 = xf.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_c2_transpose_lhs(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> tensor<3x5xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op contraction size of lhs (2) does not match contraction size of rhs (3)}}
  %0 = xf.matmul %a, %b transpose_lhs : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @matmul_c2_transpose_rhs(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op contraction size of lhs (3) does not match contraction size of rhs (5)}}
  %0 = xf.matmul %a, %b transpose_rhs : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @matmul_c2_transpose_both(%a: tensor<3x2xf32>, %b: tensor<5x2xf32>) -> tensor<2x5xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op contraction size of lhs (3) does not match contraction size of rhs (2)}}
  %0 = xf.matmul %a, %b transpose_lhs transpose_rhs : (tensor<3x2xf32>, tensor<5x2xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

func.func @matmul_c3_batch_mismatch(%a: tensor<2x4x3xf32>, %b: tensor<3x3x5xf32>) -> tensor<2x4x5xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op batch dimensions of lhs (2) and rhs (3) do not broadcast}}
  %0 = xf.matmul %a, %b : (tensor<2x4x3xf32>, tensor<3x3x5xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// -----

func.func @matmul_c3_batch_rank2_vs_rank4(%a: tensor<2x3x4x3xf32>, %b: tensor<2x3x5xf32>) -> tensor<2x3x4x5xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.matmul' op batch dimensions of lhs (2x3) and rhs (2) do not broadcast}}
  %0 = xf.matmul %a, %b : (tensor<2x3x4x3xf32>, tensor<2x3x5xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.linear
//===----------------------------------------------------------------------===//

func.func @linear_c1_element_type_mismatch(%x: tensor<2x3xf32>, %w: tensor<4x3xf16>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op input element type 'f32' does not match weight element type 'f16'}}
  %0 = xf.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_c1_rank0_input(%x: tensor<f32>, %w: tensor<4x3xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op input must have rank >= 1}}
  %0 = xf.linear %x, %w : (tensor<f32>, tensor<4x3xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @linear_c2_weight_rank(%x: tensor<2x3xf32>, %w: tensor<4x3x1xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op weight must have rank 2 ([N, K]) but has rank 3}}
  %0 = xf.linear %x, %w : (tensor<2x3xf32>, tensor<4x3x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_c2_in_features_mismatch(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op input feature size 3 does not match weight in_features 5}}
  %0 = xf.linear %x, %w : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_c3_bias_shape(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op bias shape 3 does not match weight out_features [4]}}
  %0 = xf.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_c3_bias_rank(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<1x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op bias shape 1x4 does not match weight out_features [4]}}
  %0 = xf.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_c1_bias_element_type(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf16>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.linear' op bias element type 'f16' does not match the result element type 'f32'}}
  %0 = xf.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.layer_norm and xf.rms_norm
//===----------------------------------------------------------------------===//

func.func @layer_norm_c1_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.layer_norm %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c1_negative_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op axis -3 is out of range [-2, 2) for rank 2}}
  %0 = xf.layer_norm %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c2_scale_element_type(%x: tensor<2x3xf32>, %s: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op scale element type must match input element type 'f32'}}
  %0 = xf.layer_norm %x scale(%s) : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c2_scale_shape(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op scale shape 2 does not match the normalized shape 3}}
  %0 = xf.layer_norm %x scale(%s) : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c2_scale_rank(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op scale shape 3 does not match the normalized shape 2x3}}
  %0 = xf.layer_norm %x scale(%s) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c3_zero_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op epsilon must be positive and finite, got 0.000000e+00}}
  %0 = xf.layer_norm %x {epsilon = 0.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c3_negative_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op epsilon must be positive and finite, got -1.000000e-05}}
  %0 = xf.layer_norm %x {epsilon = -1.0e-05 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c3_infinite_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op epsilon must be positive and finite, got INF}}
  %0 = xf.layer_norm %x {epsilon = 0x7F800000 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c4_residual_broadcasts(%x: tensor<2x3xf32>, %r: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op residual type 'tensor<3xf32>' does not match input type 'tensor<2x3xf32>'}}
  %0 = xf.layer_norm %x residual(%r) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c4_residual_element_type(%x: tensor<2x3xf32>, %r: tensor<2x3xf16>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op residual type 'tensor<2x3xf16>' does not match input type 'tensor<2x3xf32>'}}
  %0 = xf.layer_norm %x residual(%r) : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c1_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.rms_norm %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c1_negative_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op axis -3 is out of range [-2, 2) for rank 2}}
  %0 = xf.rms_norm %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c2_scale_element_type(%x: tensor<2x3xf32>, %s: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op scale element type must match input element type 'f32'}}
  %0 = xf.rms_norm %x scale(%s) : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c2_scale_shape(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op scale shape 2 does not match the normalized shape 3}}
  %0 = xf.rms_norm %x scale(%s) : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c2_scale_rank(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op scale shape 3 does not match the normalized shape 2x3}}
  %0 = xf.rms_norm %x scale(%s) {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c3_zero_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op epsilon must be positive and finite, got 0.000000e+00}}
  %0 = xf.rms_norm %x {epsilon = 0.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c3_negative_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op epsilon must be positive and finite, got -1.000000e-05}}
  %0 = xf.rms_norm %x {epsilon = -1.0e-05 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @rms_norm_c3_infinite_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rms_norm' op epsilon must be positive and finite, got INF}}
  %0 = xf.rms_norm %x {epsilon = 0x7F800000 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c2_bias_element_type(%x: tensor<2x3xf32>, %b: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op bias element type must match input element type 'f32'}}
  %0 = xf.layer_norm %x bias(%b) : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_c2_bias_shape(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.layer_norm' op bias shape 4 does not match the normalized shape 3}}
  %0 = xf.layer_norm %x scale(%s) bias(%b) : (tensor<2x3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.softmax
//===----------------------------------------------------------------------===//

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'xf.softmax' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_negative_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'xf.softmax' op axis -3 is out of range [-2, 2) for rank 2}}
  %0 = xf.softmax %x {axis = -3 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_rank0_input(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'xf.softmax' op axis -1 is out of range [0, 0) for rank 0}}
  %0 = xf.softmax %x : tensor<f32>
  return %0 : tensor<f32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

func.func @reduce_sum_empty_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_sum' op axes must not be empty}}
  %0 = xf.reduce_sum %x axes = [] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_sum_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_sum' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.reduce_sum %x axes = [2] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_sum_duplicate_axis(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_sum' op axes 1 and 1 both name dimension 1}}
  %0 = xf.reduce_sum %x axes = [1, 1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_mean_empty_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_mean' op axes must not be empty}}
  %0 = xf.reduce_mean %x axes = [] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_mean_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_mean' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.reduce_mean %x axes = [2] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_mean_duplicate_axis(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_mean' op axes 1 and 1 both name dimension 1}}
  %0 = xf.reduce_mean %x axes = [1, 1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_max_empty_axes(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_max' op axes must not be empty}}
  %0 = xf.reduce_max %x axes = [] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reduce_max_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_max' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.reduce_max %x axes = [2] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_max_duplicate_axis(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_max' op axes 1 and 1 both name dimension 1}}
  %0 = xf.reduce_max %x axes = [1, 1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_sum_duplicate_axis_negative_alias(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.reduce_sum' op axes -1 and 1 both name dimension 1}}
  %0 = xf.reduce_sum %x axes = [-1, 1] : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.reshape
//===----------------------------------------------------------------------===//

func.func @reshape_element_type_mismatch(%x: tensor<2x3xf32>) -> tensor<6xf16> {
  // expected-error @+1 {{'xf.reshape' op result element type 'f16' does not match input element type 'f32'}}
  %0 = xf.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return %0 : tensor<6xf16>
}

// -----

func.func @reshape_element_count_mismatch(%x: tensor<2x3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'xf.reshape' op input has 6 elements but the result type 'tensor<4xf32>' has 4}}
  %0 = xf.reshape %x : tensor<2x3xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reshape_dynamic_result_for_static_input(%x: tensor<2x3xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'xf.reshape' op result type 'tensor<?xf32>' has dynamic dimensions but the input shape 2x3 is static}}
  %0 = xf.reshape %x : tensor<2x3xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.transpose
//===----------------------------------------------------------------------===//

func.func @transpose_permutation_length(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.transpose' op permutation length 3 does not match the input rank 2}}
  %0 = xf.transpose %x, [1, 0, 2] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @transpose_not_a_permutation(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.transpose' op permutation is not a permutation of [0, 2)}}
  %0 = xf.transpose %x, [0, 0] : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @transpose_permutation_entry_out_of_range(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.transpose' op permutation is not a permutation of [0, 2)}}
  %0 = xf.transpose %x, [1, 2] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.concat
//===----------------------------------------------------------------------===//

func.func @concat_no_inputs() -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op needs at least one input}}
  %0 = xf.concat axis = 0 : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @concat_element_type_mismatch(%a: tensor<2xf32>, %b: tensor<2xf16>) -> tensor<4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op input #1 element type 'f16' does not match input #0 element type 'f32'}}
  %0 = xf.concat %a, %b axis = 0 : (tensor<2xf32>, tensor<2xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op input #1 has rank 3 but input #0 has rank 2}}
  %0 = xf.concat %a, %b axis = 0 : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_non_axis_size_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x4xf32>) -> tensor<6x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op input #2 has size 4 in dimension 1 but input #0 has 3 (only the concatenation axis may differ)}}
  %0 = xf.concat %a, %b, %c axis = 0 : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}

// -----

func.func @concat_axis_out_of_range(%a: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.concat %a, %a axis = 2 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_rank0_inputs(%a: tensor<f32>) -> tensor<f32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op axis 0 is out of range [0, 0) for rank 0}}
  %0 = xf.concat %a, %a axis = 0 : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.slice
//===----------------------------------------------------------------------===//

func.func @slice_c1_offsets_length(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op offsets length 1 does not match the input rank 2}}
  %0 = xf.slice %x offsets = [0] sizes = [2, 2] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c1_sizes_length(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op sizes length 3 does not match the input rank 2}}
  %0 = xf.slice %x offsets = [0, 0] sizes = [2, 2, 1] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c1_strides_length(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op strides length 0 does not match the input rank 2}}
  %0 = xf.slice %x offsets = [0, 0] sizes = [2, 2] strides = [] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c2_negative_offset(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op offset -1 and size 2 in dimension 1 must be non-negative}}
  %0 = xf.slice %x offsets = [0, -1] sizes = [2, 2] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c2_negative_size(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op offset 0 and size -2 in dimension 0 must be non-negative}}
  %0 = xf.slice %x offsets = [0, 0] sizes = [-2, 2] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c2_zero_stride(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op stride 0 in dimension 1 must be positive}}
  %0 = xf.slice %x offsets = [0, 0] sizes = [2, 2] strides = [1, 0] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c3_out_of_bounds(%x: tensor<4x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op slice (offset 2, size 3, stride 1) exceeds dimension 1 of size 4}}
  %0 = xf.slice %x offsets = [0, 2] sizes = [2, 3] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_c3_stride_out_of_bounds(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op slice (offset 1, size 2, stride 3) exceeds dimension 0 of size 4}}
  %0 = xf.slice %x offsets = [1, 0] sizes = [2, 2] strides = [3, 1] : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @slice_c3_offset_past_end(%x: tensor<4x4xf32>) -> tensor<1x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.slice' op slice (offset 4, size 1, stride 1) exceeds dimension 0 of size 4}}
  %0 = xf.slice %x offsets = [4, 0] sizes = [1, 2] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.gather
//===----------------------------------------------------------------------===//

func.func @gather_axis_out_of_range(%x: tensor<4x3xf32>, %i: tensor<2xi64>) -> tensor<2x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.gather' op axis 2 is out of range [-2, 2) for rank 2}}
  %0 = xf.gather %x[%i] axis = 2 : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gather_rank0_input(%x: tensor<f32>, %i: tensor<2xi64>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.gather' op input must have rank >= 1}}
  %0 = xf.gather %x[%i] axis = 0 : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_float_indices(%x: tensor<4x3xf32>, %i: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'xf.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = xf.gather %x[%i] axis = 0 : (tensor<4x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.top_k
//===----------------------------------------------------------------------===//

func.func @top_k_c1_rank0(%x: tensor<f32>) -> (tensor<1xf32>, tensor<1xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.top_k' op input must have rank >= 1}}
  %v, %i = xf.top_k %x k = 1 : (tensor<f32>) -> (tensor<1xf32>, tensor<1xi64>)
  return %v, %i : tensor<1xf32>, tensor<1xi64>
}

// -----

func.func @top_k_c2_k_zero(%x: tensor<2x5xf32>) -> (tensor<2x0xf32>, tensor<2x0xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.top_k' op k must be >= 1, got 0}}
  %v, %i = xf.top_k %x k = 0 : (tensor<2x5xf32>) -> (tensor<2x0xf32>, tensor<2x0xi64>)
  return %v, %i : tensor<2x0xf32>, tensor<2x0xi64>
}

// -----

func.func @top_k_c2_k_too_large(%x: tensor<2x5xf32>) -> (tensor<2x6xf32>, tensor<2x6xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.top_k' op k 6 exceeds the last dimension's size 5}}
  %v, %i = xf.top_k %x k = 6 : (tensor<2x5xf32>) -> (tensor<2x6xf32>, tensor<2x6xi64>)
  return %v, %i : tensor<2x6xf32>, tensor<2x6xi64>
}

// -----

func.func @top_k_wrong_result_shape(%x: tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x2xi64>) {
  // expected-error @+2 {{'xf.top_k' op failed to infer returned types}}
  // expected-error @+1 {{'xf.top_k' op inferred type(s) 'tensor<2x2xf32>', 'tensor<2x2xi64>' are incompatible with return type(s) of operation 'tensor<2x3xf32>', 'tensor<2x2xi64>'}}
  %v, %i = xf.top_k %x k = 2 : (tensor<2x5xf32>) -> (tensor<2x3xf32>, tensor<2x2xi64>)
  return %v, %i : tensor<2x3xf32>, tensor<2x2xi64>
}

// -----

func.func @top_k_integer_input(%x: tensor<2x5xi64>) -> (tensor<2x2xi64>, tensor<2x2xi64>) {
  // expected-error @+1 {{'xf.top_k' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2x5xi64>'}}
  %v, %i = xf.top_k %x k = 2 : (tensor<2x5xi64>) -> (tensor<2x2xi64>, tensor<2x2xi64>)
  return %v, %i : tensor<2x2xi64>, tensor<2x2xi64>
}

// -----

func.func @top_k_i32_indices(%x: tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi32>) {
  // expected-error @+1 {{'xf.top_k' op result #1 must be tensor of 64-bit signless integer values, but got 'tensor<2x2xi32>'}}
  %v, %i = xf.top_k %x k = 2 : (tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi32>)
  return %v, %i : tensor<2x2xf32>, tensor<2x2xi32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.split
//===----------------------------------------------------------------------===//

func.func @split_axis_out_of_range(%x: tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.split' op axis 2 is out of range [-2, 2) for rank 2}}
  %0:2 = xf.split %x axis = 2 sizes = [2, 2] : (tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return %0#0, %0#1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

func.func @split_empty_sizes(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.split' op sizes must not be empty}}
  xf.split %x axis = 0 sizes = [] : (tensor<4x3xf32>) -> ()
  return
}

// -----

func.func @split_negative_size(%x: tensor<4x3xf32>) -> (tensor<5x3xf32>, tensor<1x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.split' op size -1 must be non-negative}}
  %0:2 = xf.split %x axis = 0 sizes = [5, -1] : (tensor<4x3xf32>) -> (tensor<5x3xf32>, tensor<1x3xf32>)
  return %0#0, %0#1 : tensor<5x3xf32>, tensor<1x3xf32>
}

// -----

func.func @split_sizes_do_not_add_up(%x: tensor<4x3xf32>) -> (tensor<1x3xf32>, tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.split' op sizes add up to 3 but dimension 0 has size 4}}
  %0:2 = xf.split %x axis = 0 sizes = [1, 2] : (tensor<4x3xf32>) -> (tensor<1x3xf32>, tensor<2x3xf32>)
  return %0#0, %0#1 : tensor<1x3xf32>, tensor<2x3xf32>
}

// -----

func.func @split_sizes_overflow(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.split' op sizes overflow int64}}
  %0:2 = xf.split %x axis = 0 sizes = [9223372036854775807, 1] : (tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>)
  return %0#0, %0#1 : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.expand and xf.cast
//===----------------------------------------------------------------------===//

func.func @expand_element_type_mismatch(%x: tensor<1x3xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'xf.expand' op result element type 'f16' does not match input element type 'f32'}}
  %0 = xf.expand %x : tensor<1x3xf32> -> tensor<2x3xf16>
  return %0 : tensor<2x3xf16>
}

// -----

func.func @expand_not_broadcastable(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'xf.expand' op input shape 2x3 does not broadcast to the result shape 4x3}}
  %0 = xf.expand %x : tensor<2x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @expand_to_lower_rank(%x: tensor<1x2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'xf.expand' op input shape 1x2x3 does not broadcast to the result shape 2x3}}
  %0 = xf.expand %x : tensor<1x2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @cast_shape_mismatch(%x: tensor<2x3xf32>) -> tensor<3x2xi32> {
  // expected-error @+1 {{'xf.cast' op result shape 3x2 does not match input shape 2x3}}
  %0 = xf.cast %x : tensor<2x3xf32> -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

func.func @cast_rank_mismatch(%x: tensor<2x3xf32>) -> tensor<6xi32> {
  // expected-error @+1 {{'xf.cast' op result shape 6 does not match input shape 2x3}}
  %0 = xf.cast %x : tensor<2x3xf32> -> tensor<6xi32>
  return %0 : tensor<6xi32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.attention
//===----------------------------------------------------------------------===//

func.func @attention_c1_query_rank(%q: tensor<2x8xf32>, %k: tensor<2x8xf32>, %v: tensor<2x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op query has rank 2 but attention takes rank 4 [B, H, S, D] or rank 3 [B, S, H*D]}}
  %0 = xf.attention %q, %k, %v {num_heads = 1 : i64} : (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

func.func @attention_c1_query_rank5(%q: tensor<1x1x2x4x8xf32>, %k: tensor<1x1x2x4x8xf32>, %v: tensor<1x1x2x4x8xf32>) -> tensor<1x1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op query has rank 5 but attention takes rank 4 [B, H, S, D] or rank 3 [B, S, H*D]}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x1x2x4x8xf32>, tensor<1x1x2x4x8xf32>, tensor<1x1x2x4x8xf32>) -> tensor<1x1x2x4x8xf32>
  return %0 : tensor<1x1x2x4x8xf32>
}

// -----

func.func @attention_c1_key_rank(%q: tensor<1x2x4x8xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key has rank 3 but query has rank 4}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x4x16xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c1_value_rank(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x4x16xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op value has rank 3 but query has rank 4}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x4x16xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c1_key_element_type(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf16>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key element type 'f16' does not match query element type 'f32'}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf16>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c1_value_element_type(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xbf16>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op value element type 'bf16' does not match query element type 'f32'}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xbf16>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c2_zero_num_heads(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+1 {{custom op 'xf.attention' 'xf.attention' op attribute 'num_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = xf.attention %q, %k, %v {num_heads = 0 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c2_negative_num_kv_heads(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+1 {{custom op 'xf.attention' 'xf.attention' op attribute 'num_kv_heads' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64, num_kv_heads = -1 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c2_num_kv_heads_does_not_divide(%q: tensor<1x4x4x8xf32>, %k: tensor<1x3x4x8xf32>, %v: tensor<1x3x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op num_kv_heads (3) must divide num_heads (4)}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 3 : i64} : (tensor<1x4x4x8xf32>, tensor<1x3x4x8xf32>, tensor<1x3x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @attention_c3_key_batch(%q: tensor<1x2x4x8xf32>, %k: tensor<2x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key batch size 2 does not match query batch size 1}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<2x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c3_value_batch(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<3x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op value batch size 3 does not match query batch size 1}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<3x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c4_heads_mismatch(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op query dimension 1 (heads) is 2 but num_heads is 4}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c4_kv_heads_mismatch(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key dimension 1 (heads) is 2 but num_kv_heads is 1}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 1 : i64} : (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @attention_c4_value_heads_mismatch(%q: tensor<1x4x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x1x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op value dimension 1 (heads) is 1 but num_kv_heads is 2}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<1x4x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @attention_c4_rank3_query_hidden_not_divisible(%q: tensor<1x4x10xf32>, %k: tensor<1x4x10xf32>, %v: tensor<1x4x10xf32>) -> tensor<1x4x10xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op num_heads (4) does not divide the query hidden size 10}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64} : (tensor<1x4x10xf32>, tensor<1x4x10xf32>, tensor<1x4x10xf32>) -> tensor<1x4x10xf32>
  return %0 : tensor<1x4x10xf32>
}

// -----

func.func @attention_c4_rank3_key_hidden_not_divisible(%q: tensor<1x4x16xf32>, %k: tensor<1x4x9xf32>, %v: tensor<1x4x8xf32>) -> tensor<1x4x16xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op num_kv_heads (2) does not divide the key hidden size 9}}
  %0 = xf.attention %q, %k, %v {num_heads = 4 : i64, num_kv_heads = 2 : i64} : (tensor<1x4x16xf32>, tensor<1x4x9xf32>, tensor<1x4x8xf32>) -> tensor<1x4x16xf32>
  return %0 : tensor<1x4x16xf32>
}

// -----

func.func @attention_c5_head_size(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key head size 16 does not match query head size 8}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x16xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c5_rank3_head_size(%q: tensor<1x4x16xf32>, %k: tensor<1x4x16xf32>, %v: tensor<1x4x16xf32>) -> tensor<1x4x32xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key head size 16 does not match query head size 8}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64, num_kv_heads = 1 : i64} : (tensor<1x4x16xf32>, tensor<1x4x16xf32>, tensor<1x4x16xf32>) -> tensor<1x4x32xf32>
  return %0 : tensor<1x4x32xf32>
}

// -----

func.func @attention_c6_seq_length(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x6x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op key sequence length 4 does not match value sequence length 6}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x6x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c7_mask_element_type(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<1x1x4x4xi32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op mask element type 'i32' must be i1 (true = attend) or the query element type 'f32'}}
  %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x4xi32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c7_mask_does_not_broadcast(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<1x1x4x3xi1>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op mask shape 1x1x4x3 does not broadcast to the score shape [B, Hq, Sq, Skv] = 1x2x4x4}}
  %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x3xi1>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c7_mask_rank5(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %m: tensor<1x1x1x4x4xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op mask shape 1x1x1x4x4 does not broadcast to the score shape [B, Hq, Sq, Skv] = 1x2x4x4}}
  %0 = xf.attention %q, %k, %v mask(%m) {num_heads = 2 : i64} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x1x4x4xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c8_zero_scale(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op scale must be positive and finite, got 0.000000e+00}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64, scale = 0.0 : f32} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c8_negative_scale(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op scale must be positive and finite, got -1.000000e+00}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64, scale = -1.0 : f32} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_c8_nan_scale(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op scale must be positive and finite, got nan}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64, scale = 0x7FC00000 : f32} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %0 : tensor<1x2x4x8xf32>
}

// -----

func.func @attention_integer_query(%q: tensor<1x2x4x8xi32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xi32> {
  // expected-error @+1 {{'xf.attention' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<1x2x4x8xi32>'}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x4x8xi32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xi32>
  return %0 : tensor<1x2x4x8xi32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.rope
//===----------------------------------------------------------------------===//

func.func @rope_c1_input_rank(%x: tensor<8xf32>, %c: tensor<4xf32>, %s: tensor<4xf32>) -> tensor<8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op input has rank 1 but rope needs rank >= 2 ([..., S, D])}}
  %0 = xf.rope %x, %c, %s : (tensor<8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @rope_c1_cos_sin_type_mismatch(%x: tensor<4x8xf32>, %c: tensor<4x4xf32>, %s: tensor<4x2xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos type 'tensor<4x4xf32>' does not match sin type 'tensor<4x2xf32>'}}
  %0 = xf.rope %x, %c, %s : (tensor<4x8xf32>, tensor<4x4xf32>, tensor<4x2xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @rope_c1_cos_rank0(%x: tensor<4x8xf32>, %c: tensor<f32>, %s: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos and sin must have rank >= 1}}
  %0 = xf.rope %x, %c, %s : (tensor<4x8xf32>, tensor<f32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @rope_c1_element_type(%x: tensor<4x8xf32>, %c: tensor<4x4xf16>, %s: tensor<4x4xf16>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos element type 'f16' does not match input element type 'f32'}}
  %0 = xf.rope %x, %c, %s : (tensor<4x8xf32>, tensor<4x4xf16>, tensor<4x4xf16>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @rope_c2_too_many_rotary_features(%x: tensor<4x8xf32>, %c: tensor<4x5xf32>, %s: tensor<4x5xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos and sin describe 5 rotary pairs but the input's 8 features hold only 4}}
  %0 = xf.rope %x, %c, %s : (tensor<4x8xf32>, tensor<4x5xf32>, tensor<4x5xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @rope_c3_leading_shape(%x: tensor<2x4x8xf32>, %c: tensor<3x4xf32>, %s: tensor<3x4xf32>) -> tensor<2x4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos and sin leading shape 3 does not broadcast to the input's 2x4}}
  %0 = xf.rope %x, %c, %s : (tensor<2x4x8xf32>, tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<2x4x8xf32>
  return %0 : tensor<2x4x8xf32>
}

// -----

func.func @rope_c3_leading_rank(%x: tensor<4x8xf32>, %c: tensor<2x4x4xf32>, %s: tensor<2x4x4xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos and sin leading shape 2x4 does not broadcast to the input's 4}}
  %0 = xf.rope %x, %c, %s : (tensor<4x8xf32>, tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// xf.quant.linear
//===----------------------------------------------------------------------===//

func.func @quant_linear_c1_non_quantized_weight(%x: tensor<2x4xf32>, %w: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'xf.quant.linear' op operand #1 must be ranked tensor of quantized type values, but got 'tensor<2x4xf32>'}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c1_storage_wider_than_8_bits(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i16:f32, 0.5>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op weight storage type 'i16' is wider than 8 bits}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i16:f32, 0.5>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c1_weight_rank(%x: tensor<2x4xf32>, %w: tensor<2x2x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op weight must have rank 2 ([N, K]) but has rank 3}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x2x4x!quant.uniform<i8:f32, 0.5>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_per_axis_wrong_axis(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op per-axis weight must be quantized along axis 0 (output channels), not axis 1}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i8:f32:1, {0.5, 0.5, 0.5, 0.5}>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_sub_channel_row_block(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i4:f32:{0:2, 1:2}, {{0.5, 0.5}}>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op sub-channel weight must have block size 1 along axis 0, got 2}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i4:f32:{0:2, 1:2}, {{0.5, 0.5}}>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_group_does_not_divide_k(%x: tensor<2x6xf32>, %w: tensor<2x6x!quant.uniform<i4:f32:{0:1, 1:4}, {{0.5}, {0.5}}>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op group size 4 does not divide in_features 6}}
  %0 = xf.quant.linear %x, %w : (tensor<2x6xf32>, tensor<2x6x!quant.uniform<i4:f32:{0:1, 1:4}, {{0.5}, {0.5}}>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c3_per_axis_input(%x: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op quantized input must be per-tensor (!quant.uniform with one scale), got '!quant.uniform<i8:f32:0, {5.000000e-01,5.000000e-01}>'}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.5}>>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c3_expressed_type_mismatch(%x: tensor<2x4xf16>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op input element type 'f16' does not express weight type 'f32'}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf16>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c3_quantized_input_expressed_type_mismatch(%x: tensor<2x4x!quant.uniform<i8:f16, 0.5>>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op input element type '!quant.uniform<i8:f16, 5.000000e-01>' does not express weight type 'f32'}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4x!quant.uniform<i8:f16, 0.5>>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c3_rank0_input(%x: tensor<f32>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op input must have rank >= 1}}
  %0 = xf.quant.linear %x, %w : (tensor<f32>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @quant_linear_c3_feature_size(%x: tensor<2x3xf32>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op input feature size 3 does not match weight in_features 4}}
  %0 = xf.quant.linear %x, %w : (tensor<2x3xf32>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c4_bias_element_type(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>, %b: tensor<2xf16>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op bias element type 'f16' does not match the result element type 'f32'}}
  %0 = xf.quant.linear %x, %w, %b : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<2xf16>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c4_bias_shape(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>, %b: tensor<3xf32>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op bias shape 3 does not match weight out_features [2]}}
  %0 = xf.quant.linear %x, %w, %b : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>, tensor<3xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c6_dynamic_quantized_input(%x: tensor<2x4x!quant.uniform<u8:f32, 0.05:128>>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'xf.quant.linear' op dynamic_input needs a floating-point input, got '!quant.uniform<u8:f32, 5.000000e-02:128>'}}
  %0 = xf.quant.linear %x, %w dynamic_input : (tensor<2x4x!quant.uniform<u8:f32, 0.05:128>>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c5_result_type(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op inferred type(s) 'tensor<2x2xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i8:f32, 5.000000e-01>>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Regressions: overflow, sub-uniform quant types, masks in arithmetic
//===----------------------------------------------------------------------===//

func.func @concat_size_overflow(%a: tensor<4611686018427387904xf32>, %b: tensor<4611686018427387905xf32>) -> tensor<?xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.concat' op concatenated size along axis 0 overflows int64}}
  %0 = xf.concat %a, %b axis = 0 : (tensor<4611686018427387904xf32>, tensor<4611686018427387905xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @reshape_element_count_overflow(%a: tensor<4294967296x4294967296xf32>) -> tensor<0xf32> {
  // expected-error @+1 {{'xf.reshape' op element count of the input type 'tensor<4294967296x4294967296xf32>' overflows int64}}
  %0 = xf.reshape %a : tensor<4294967296x4294967296xf32> -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

func.func @attention_rank3_hidden_overflow(%q: tensor<1x2x4611686018427387904xf32>, %k: tensor<1x2x1xf32>, %v: tensor<1x2x4xf32>) -> tensor<1x2x0xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.attention' op result hidden size num_heads * value head size overflows int64}}
  %0 = xf.attention %q, %k, %v {num_heads = 4611686018427387904 : i64, num_kv_heads = 1 : i64} : (tensor<1x2x4611686018427387904xf32>, tensor<1x2x1xf32>, tensor<1x2x4xf32>) -> tensor<1x2x0xf32>
  return %0 : tensor<1x2x0xf32>
}

// -----

func.func @rope_c2_huge_cos(%x: tensor<4x8xf32>, %c: tensor<4x4611686018427387904xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.rope' op cos and sin describe 4611686018427387904 rotary pairs but the input's 8 features hold only 4}}
  %0 = xf.rope %x, %c, %c : (tensor<4x8xf32>, tensor<4x4611686018427387904xf32>, tensor<4x4611686018427387904xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @quant_linear_c1_calibrated_weight(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op weight element type '!quant.calibrated<f32<-1.000000e+00:1.000000e+00>>' is not a uniform quantized type (!quant.uniform with scales)}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.calibrated<f32<-1.0:1.0>>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c1_any_weight(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.any<i8:f32>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op weight element type '!quant.any<i8:f32>' is not a uniform quantized type (!quant.uniform with scales)}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.any<i8:f32>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_per_axis_scale_count(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op per-axis weight has 3 scales but out_features is 2}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i8:f32:0, {0.5, 0.25, 0.125}>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_sub_channel_axis_out_of_rank(%x: tensor<2x4xf32>, %w: tensor<2x4x!quant.uniform<i4:f32:{7:2}, {{0.5}}>>) -> tensor<2x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op sub-channel weight has a block size on axis 7 but the weight has rank 2}}
  %0 = xf.quant.linear %x, %w : (tensor<2x4xf32>, tensor<2x4x!quant.uniform<i4:f32:{7:2}, {{0.5}}>>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @quant_linear_c2_sub_channel_scale_shape(%x: tensor<3x8xf32>, %w: tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0}, {4.0}}>>) -> tensor<3x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'xf.quant.linear' op sub-channel weight has scales of shape 2x1 but [out_features, in_features / group] is 2x2}}
  %0 = xf.quant.linear %x, %w : (tensor<3x8xf32>, tensor<2x8x!quant.uniform<i4:f32:{0:1, 1:4}, {{2.0}, {4.0}}>>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @add_i1_operands(%a: tensor<4xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'xf.add' op operand #0 must be ranked tensor of floating-point or 8/16/32/64-bit signless integer values, but got 'tensor<4xi1>'}}
  %0 = xf.add %a, %a : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}
