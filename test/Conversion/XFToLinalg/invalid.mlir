// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file -verify-diagnostics

// The lowering handles static shapes only; every xf op with a dynamic
// dimension is reported on its own, and the pass fails.

func.func @xf.add$dynamic(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'xf.add' op has dynamic dimensions; --convert-xf-to-linalg lowers static shapes only}}
  %0 = xf.add %x, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @xf.reshape$dynamic(%x: tensor<?x8xf32>) -> tensor<?x2x4xf32> {
  // expected-error @+1 {{'xf.reshape' op has dynamic dimensions; --convert-xf-to-linalg lowers static shapes only}}
  %0 = xf.reshape %x : tensor<?x8xf32> -> tensor<?x2x4xf32>
  return %0 : tensor<?x2x4xf32>
}

// -----

func.func @xf.attention$dynamic_sequence(%q: tensor<1x2x?x8xf32>, %k: tensor<1x2x?x8xf32>, %v: tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32> {
  // expected-error @+1 {{'xf.attention' op has dynamic dimensions; --convert-xf-to-linalg lowers static shapes only}}
  %0 = xf.attention %q, %k, %v {num_heads = 2 : i64} : (tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>, tensor<1x2x?x8xf32>) -> tensor<1x2x?x8xf32>
  return %0 : tensor<1x2x?x8xf32>
}

// -----

// Every refused op is named, not only the first.
func.func @xf.matmul$dynamic_then_softmax(%a: tensor<?x4xf32>, %b: tensor<4x5xf32>) -> tensor<?x5xf32> {
  // expected-error @+1 {{'xf.matmul' op has dynamic dimensions}}
  %0 = xf.matmul %a, %b : (tensor<?x4xf32>, tensor<4x5xf32>) -> tensor<?x5xf32>
  // expected-error @+1 {{'xf.softmax' op has dynamic dimensions}}
  %1 = xf.softmax %0 : tensor<?x5xf32>
  return %1 : tensor<?x5xf32>
}
