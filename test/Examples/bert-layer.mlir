// The README's main-job command runs this example; keep it valid and check
// that canonicalization does what the example promises.
// RUN: xfc-opt %xfc_src_root/examples/bert_layer.mlir --canonicalize --cse | FileCheck %s

// CHECK-LABEL: func.func @bert_layer
// The two transposes on K compose into one.
// CHECK: xf.transpose %{{.*}}, [0, 2, 3, 1] : (tensor<1x8x4x16xf32>) -> tensor<1x4x16x8xf32>
// The identity cast is gone and the mask reshapes compose.
// CHECK-NOT: xf.cast
// CHECK: xf.reshape %{{.*}} : tensor<1x8xf32> -> tensor<1x1x1x8xf32>
// CHECK: xf.softmax
// CHECK-COUNT-2: xf.layer_norm
