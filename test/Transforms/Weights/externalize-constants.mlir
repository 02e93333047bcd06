// RUN: xfc-opt %s --xf-externalize-constants=min-bytes=16 --split-input-file | FileCheck %s
// The default threshold (1024 bytes) leaves these small constants inline.
// RUN: xfc-opt %s --xf-externalize-constants --split-input-file | FileCheck %s --check-prefix=DEFAULT

// CHECK-LABEL: func.func @externalize$weight
func.func @externalize$weight(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // CHECK: %[[W:.*]] = arith.constant dense_resource<[[BLOB:.*]]> : tensor<2x2xf32>
  // DEFAULT: arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: xf.linear %{{.*}}, %[[W]]
  %0 = xf.linear %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}
// The blob holds the same bytes, little-endian f32, after its alignment
// word (64 = 0x40: a cache line).
// CHECK: dialect_resources
// CHECK: [[BLOB]]: "0x400000000000803F000000400000404000008040"

// -----

// A name location names the blob.
// CHECK-LABEL: func.func @externalize$named
func.func @externalize$named() -> tensor<4xi32> {
  // CHECK: arith.constant dense_resource<encoder.weight> : tensor<4xi32>
  %w = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32> loc("encoder.weight")
  return %w : tensor<4xi32>
}

// -----

// Near-misses: a splat is one value; a constant under the threshold; a
// sub-byte element type packs differently in dense_resource.
// CHECK-LABEL: func.func @externalize$kept_inline
func.func @externalize$kept_inline() -> (tensor<64xf32>, tensor<2xf32>, tensor<256xi1>) {
  // CHECK: arith.constant dense<1.000000e+00> : tensor<64xf32>
  %splat = arith.constant dense<1.0> : tensor<64xf32>
  // CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %small = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: arith.constant dense<"0x
  // CHECK-NOT: dense_resource
  %bits = arith.constant dense<"0x0102030405060708010203040506070801020304050607080102030405060708"> : tensor<256xi1>
  return %splat, %small, %bits : tensor<64xf32>, tensor<2xf32>, tensor<256xi1>
}
