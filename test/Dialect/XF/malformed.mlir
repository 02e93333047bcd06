// Malformed input gets a located parse error, never a crash.
// RUN: xfc-opt %s -split-input-file -verify-diagnostics

func.func @unknown_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{custom op 'xf.bogus' is unknown}}
  %0 = xf.bogus %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @unknown_generic_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{unregistered operation 'xf.bogus' found in dialect ('xf') that does not allow unknown operations}}
  %0 = "xf.bogus"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @unknown_predicate(%a: tensor<2xf32>) -> tensor<2xi1> {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'predicate' [eq, ne, lt, le, gt, ge]}}
  %0 = xf.cmp below, %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @unknown_gelu_approximation(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'approximate' [none, tanh]}}
  %0 = xf.gelu %a approximate = sigmoid : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @unranked_operand(%a: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = xf.exp %a : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @missing_types(%a: tensor<2xf32>) {
  // expected-error @+1 {{expected ':'}}
  %0 = xf.add %a, %a
  return
}

// -----

func.func @truncated(%a: tensor<2xf32>) {
  %0 = xf.matmul %a, %a : (tensor<2xf32>,
  // The file ends mid-type: the error points at the end of input.
  // expected-error {{expected non-function type}}
