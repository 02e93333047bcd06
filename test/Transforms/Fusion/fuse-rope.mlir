// RUN: xfc-opt %s --xf-fuse-rope --split-input-file | FileCheck %s
// RUN: xfc-opt %s --xf-fuse-rope --split-input-file --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC

// The LLaMA exporter's rotate-half RoPE on q and k: cos/sin caches
// [max_pos, D] of equal halves, sliced to the sequence, gathered by
// position and unsqueezed. One slice of each table's first half serves
// both ropes.
// CHECK-LABEL: func.func @rope$llama_cached
// CHECK-SAME: (%[[Q:.*]]: tensor<1x2x3x4xf32>, %[[K:.*]]: tensor<1x1x3x4xf32>, %[[POS:.*]]: tensor<1x3xi64>)
func.func @rope$llama_cached(%q: tensor<1x2x3x4xf32>, %k: tensor<1x1x3x4xf32>, %pos: tensor<1x3xi64>) -> (tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32>) {
  // CHECK: %[[COS:.*]] = xf.reshape %{{.*}} : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>
  // CHECK-NEXT: %[[COSH:.*]] = xf.slice %[[COS]] offsets = [0, 0, 0, 0] sizes = [1, 1, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x1x3x4xf32>) -> tensor<1x1x3x2xf32>
  // CHECK-NEXT: %[[SIN:.*]] = xf.reshape %{{.*}} : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>
  // CHECK-NEXT: %[[SINH:.*]] = xf.slice %[[SIN]] offsets = [0, 0, 0, 0] sizes = [1, 1, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x1x3x4xf32>) -> tensor<1x1x3x2xf32>
  // CHECK-NEXT: %[[RQ:.*]] = xf.rope %[[Q]], %[[COSH]], %[[SINH]] : (tensor<1x2x3x4xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x2x3x4xf32>
  // CHECK-NEXT: %[[RK:.*]] = xf.rope %[[K]], %[[COSH]], %[[SINH]] : (tensor<1x1x3x4xf32>, tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x4xf32>
  // CHECK-NEXT: return %[[RQ]], %[[RK]]
  // LOC-LABEL: func.func @rope$llama_cached
  // LOC: xf.rope {{.*}} loc(fused["q_cos", "q_hi", "q_neg", "q_lo", "q_cat", "q_sin", "q_add"])
  %cos_cache = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [0.5, 0.9, 0.5, 0.9], [-0.4, 0.8, -0.4, 0.8], [-1.0, 0.7, -1.0, 0.7]]> : tensor<4x4xf32>
  %sin_cache = arith.constant dense<[[0.0, 0.0, 0.0, 0.0], [0.8, 0.1, 0.8, 0.1], [0.9, 0.2, 0.9, 0.2], [0.1, 0.3, 0.1, 0.3]]> : tensor<4x4xf32>
  %c0 = xf.slice %cos_cache offsets = [0, 0] sizes = [3, 4] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<3x4xf32>
  %s0 = xf.slice %sin_cache offsets = [0, 0] sizes = [3, 4] strides = [1, 1] : (tensor<4x4xf32>) -> tensor<3x4xf32>
  %c1 = xf.gather %c0[%pos] axis = 0 : (tensor<3x4xf32>, tensor<1x3xi64>) -> tensor<1x3x4xf32>
  %s1 = xf.gather %s0[%pos] axis = 0 : (tensor<3x4xf32>, tensor<1x3xi64>) -> tensor<1x3x4xf32>
  %cos = xf.reshape %c1 : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>
  %sin = xf.reshape %s1 : tensor<1x3x4xf32> -> tensor<1x1x3x4xf32>

  %q_lo = xf.slice %q offsets = [0, 0, 0, 0] sizes = [1, 2, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x2x3x4xf32>) -> tensor<1x2x3x2xf32> loc("q_lo")
  %q_hi = xf.slice %q offsets = [0, 0, 0, 2] sizes = [1, 2, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x2x3x4xf32>) -> tensor<1x2x3x2xf32> loc("q_hi")
  %q_neg = xf.neg %q_hi : tensor<1x2x3x2xf32> loc("q_neg")
  %q_rot = xf.concat %q_neg, %q_lo axis = -1 : (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x4xf32> loc("q_cat")
  %q_c = xf.mul %q, %cos : (tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32>) -> tensor<1x2x3x4xf32> loc("q_cos")
  %q_s = xf.mul %q_rot, %sin : (tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32>) -> tensor<1x2x3x4xf32> loc("q_sin")
  %q_out = xf.add %q_c, %q_s : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> loc("q_add")

  %k_lo = xf.slice %k offsets = [0, 0, 0, 0] sizes = [1, 1, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x1x3x4xf32>) -> tensor<1x1x3x2xf32>
  %k_hi = xf.slice %k offsets = [0, 0, 0, 2] sizes = [1, 1, 3, 2] strides = [1, 1, 1, 1] : (tensor<1x1x3x4xf32>) -> tensor<1x1x3x2xf32>
  %k_neg = xf.neg %k_hi : tensor<1x1x3x2xf32>
  %k_rot = xf.concat %k_neg, %k_lo axis = 3 : (tensor<1x1x3x2xf32>, tensor<1x1x3x2xf32>) -> tensor<1x1x3x4xf32>
  %k_s = xf.mul %sin, %k_rot : (tensor<1x1x3x4xf32>, tensor<1x1x3x4xf32>) -> tensor<1x1x3x4xf32>
  %k_c = xf.mul %cos, %k : (tensor<1x1x3x4xf32>, tensor<1x1x3x4xf32>) -> tensor<1x1x3x4xf32>
  %k_out = xf.add %k_s, %k_c : (tensor<1x1x3x4xf32>, tensor<1x1x3x4xf32>) -> tensor<1x1x3x4xf32>
  return %q_out, %k_out : tensor<1x2x3x4xf32>, tensor<1x1x3x4xf32>
}

// -----

// Tables in dense_resource blobs (the weights' form), broadcast over
// batch and heads; and tables built as cat(freqs, freqs) then expanded.
// CHECK-LABEL: func.func @rope$resource_and_concat
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x2x4xf32>, %[[F:.*]]: tensor<2x2xf32>, %[[G:.*]]: tensor<2x2xf32>)
func.func @rope$resource_and_concat(%x: tensor<1x2x2x4xf32>, %f: tensor<2x2xf32>, %g: tensor<2x2xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) {
  // CHECK-DAG: %[[COS:.*]] = arith.constant dense_resource<cos_cache> : tensor<2x4xf32>
  // CHECK-DAG: %[[SIN:.*]] = arith.constant dense_resource<sin_cache> : tensor<2x4xf32>
  // CHECK-DAG: %[[COSH:.*]] = xf.slice %[[COS]] offsets = [0, 0] sizes = [2, 2] strides = [1, 1]
  // CHECK-DAG: %[[SINH:.*]] = xf.slice %[[SIN]] offsets = [0, 0] sizes = [2, 2] strides = [1, 1]
  // CHECK-DAG: %[[FF:.*]] = xf.expand %{{.*}} : tensor<2x4xf32> -> tensor<1x1x2x4xf32>
  // CHECK-DAG: %[[FFH:.*]] = xf.slice %[[FF]] offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1]
  // CHECK-DAG: %[[GG:.*]] = xf.expand %{{.*}} : tensor<2x4xf32> -> tensor<1x1x2x4xf32>
  // CHECK-DAG: %[[GGH:.*]] = xf.slice %[[GG]] offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1]
  // CHECK-DAG: %[[R0:.*]] = xf.rope %[[X]], %[[COSH]], %[[SINH]] : (tensor<1x2x2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2x4xf32>
  // CHECK-DAG: %[[R1:.*]] = xf.rope %[[X]], %[[FFH]], %[[GGH]] : (tensor<1x2x2x4xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x2x2x4xf32>
  // CHECK: return %[[R0]], %[[R1]]
  %cos = arith.constant dense_resource<cos_cache> : tensor<2x4xf32>
  %sin = arith.constant dense_resource<sin_cache> : tensor<2x4xf32>
  %lo = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 2, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x2xf32>
  %hi = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 2, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x2xf32>
  %neg = xf.neg %hi : tensor<1x2x2x2xf32>
  %rot = xf.concat %neg, %lo axis = -1 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %xc = xf.mul %x, %cos : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %xs = xf.mul %rot, %sin : (tensor<1x2x2x4xf32>, tensor<2x4xf32>) -> tensor<1x2x2x4xf32>
  %r0 = xf.add %xc, %xs : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>

  %ff = xf.concat %f, %f axis = 1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %gg = xf.concat %g, %g axis = -1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %cos1 = xf.expand %ff : tensor<2x4xf32> -> tensor<1x1x2x4xf32>
  %sin1 = xf.expand %gg : tensor<2x4xf32> -> tensor<1x1x2x4xf32>
  %lo1 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 2, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x2xf32>
  %hi1 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 2, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x2xf32>
  %neg1 = xf.neg %hi1 : tensor<1x2x2x2xf32>
  %rot1 = xf.concat %neg1, %lo1 axis = -1 : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32>
  %xc1 = xf.mul %x, %cos1 : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %xs1 = xf.mul %rot1, %sin1 : (tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x2x2x4xf32>
  %r1 = xf.add %xs1, %xc1 : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %r0, %r1 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
}

// Rows [1, 0.5, 1, 0.5], [0.25, 2, 0.25, 2] and [0, 1, 0, 1], [3, 4, 3, 4].
{-#
  dialect_resources: {
    builtin: {
      cos_cache: "0x040000000000803F0000003F0000803F0000003F0000803E000000400000803E00000040",
      sin_cache: "0x04000000000000000000803F000000000000803F00004040000080400000404000008040"
    }
  }
#-}

// -----

// Partial rotary (R = 4 of D = 8): the rope of the first R features and
// the pass-through rest become one rope of all D features.
// CHECK-LABEL: func.func @rope$partial
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x2x8xf32>, %[[C:.*]]: tensor<2x2xf32>, %[[S:.*]]: tensor<2x2xf32>)
func.func @rope$partial(%x: tensor<1x1x2x8xf32>, %c: tensor<2x2xf32>, %s: tensor<2x2xf32>) -> tensor<1x1x2x8xf32> {
  // CHECK-DAG: %[[CC:.*]] = xf.concat %[[C]], %[[C]]
  // CHECK-DAG: %[[SS:.*]] = xf.concat %[[S]], %[[S]]
  // CHECK-DAG: %[[CH:.*]] = xf.slice %[[CC]] offsets = [0, 0] sizes = [2, 2] strides = [1, 1]
  // CHECK-DAG: %[[SH:.*]] = xf.slice %[[SS]] offsets = [0, 0] sizes = [2, 2] strides = [1, 1]
  // CHECK: %[[R:.*]] = xf.rope %[[X]], %[[CH]], %[[SH]] : (tensor<1x1x2x8xf32>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<1x1x2x8xf32>
  // CHECK-NEXT: return %[[R]]
  // LOC-LABEL: func.func @rope$partial
  // LOC: xf.rope {{.*}} loc(fused["rot", "cos", "hi", "neg", "lo", "cat", "sin", "add", "pass", "join"])
  %cos = xf.concat %c, %c axis = -1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %sin = xf.concat %s, %s axis = -1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x4xf32>
  %xr = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 4] strides = [1, 1, 1, 1] : (tensor<1x1x2x8xf32>) -> tensor<1x1x2x4xf32> loc("rot")
  %xp = xf.slice %x offsets = [0, 0, 0, 4] sizes = [1, 1, 2, 4] strides = [1, 1, 1, 1] : (tensor<1x1x2x8xf32>) -> tensor<1x1x2x4xf32> loc("pass")
  %lo = xf.slice %xr offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32> loc("lo")
  %hi = xf.slice %xr offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32> loc("hi")
  %neg = xf.neg %hi : tensor<1x1x2x2xf32> loc("neg")
  %rot = xf.concat %neg, %lo axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32> loc("cat")
  %xc = xf.mul %xr, %cos : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32> loc("cos")
  %xs = xf.mul %rot, %sin : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32> loc("sin")
  %r = xf.add %xc, %xs : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32> loc("add")
  %y = xf.concat %r, %xp axis = -1 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x8xf32> loc("join")
  return %y : tensor<1x1x2x8xf32>
}

// -----

// Near-misses, each left alone: a cos table whose halves differ; tables
// that are arguments (nothing to prove); halves concatenated the other
// way, concat(x1, -x2); the negation used elsewhere; a cos that broadcasts
// x (two heads from one); scalar tables.
// CHECK-LABEL: func.func @rope$no_fuse
func.func @rope$no_fuse(%x: tensor<1x1x2x4xf32>, %ca: tensor<2x4xf32>, %sa: tensor<2x4xf32>) -> (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x2xf32>, tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>) {
  // CHECK-NOT: xf.rope
  // CHECK: return
  %cos = arith.constant dense<[[1.0, 0.5, 1.0, 0.5], [0.25, 2.0, 0.25, 2.0]]> : tensor<2x4xf32>
  %bad = arith.constant dense<[[1.0, 0.5, 1.0, 0.5], [0.25, 2.0, 0.25, 2.5]]> : tensor<2x4xf32>
  %sin = arith.constant dense<[[0.0, 1.0, 0.0, 1.0], [3.0, 4.0, 3.0, 4.0]]> : tensor<2x4xf32>
  %cos2 = arith.constant dense<1.0> : tensor<1x2x2x4xf32>

  %lo0 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi0 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg0 = xf.neg %hi0 : tensor<1x1x2x2xf32>
  %rot0 = xf.concat %neg0, %lo0 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc0 = xf.mul %x, %bad : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %xs0 = xf.mul %rot0, %sin : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %r0 = xf.add %xc0, %xs0 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>

  %lo1 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi1 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg1 = xf.neg %hi1 : tensor<1x1x2x2xf32>
  %rot1 = xf.concat %neg1, %lo1 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc1 = xf.mul %x, %ca : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %xs1 = xf.mul %rot1, %sa : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %r1 = xf.add %xc1, %xs1 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>

  %lo2 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi2 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg2 = xf.neg %hi2 : tensor<1x1x2x2xf32>
  %rot2 = xf.concat %lo2, %neg2 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc2 = xf.mul %x, %cos : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %xs2 = xf.mul %rot2, %sin : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %r2 = xf.add %xc2, %xs2 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>

  %lo3 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi3 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg3 = xf.neg %hi3 : tensor<1x1x2x2xf32>
  %rot3 = xf.concat %neg3, %lo3 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc3 = xf.mul %x, %cos : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %xs3 = xf.mul %rot3, %sin : (tensor<1x1x2x4xf32>, tensor<2x4xf32>) -> tensor<1x1x2x4xf32>
  %r3 = xf.add %xc3, %xs3 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>

  %lo4 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi4 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg4 = xf.neg %hi4 : tensor<1x1x2x2xf32>
  %rot4 = xf.concat %neg4, %lo4 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc4 = xf.mul %x, %cos2 : (tensor<1x1x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %xs4 = xf.mul %rot4, %cos2 : (tensor<1x1x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %r4 = xf.add %xc4, %xs4 : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>

  %scalar = arith.constant dense<0.5> : tensor<f32>
  %lo5 = xf.slice %x offsets = [0, 0, 0, 0] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %hi5 = xf.slice %x offsets = [0, 0, 0, 2] sizes = [1, 1, 2, 2] strides = [1, 1, 1, 1] : (tensor<1x1x2x4xf32>) -> tensor<1x1x2x2xf32>
  %neg5 = xf.neg %hi5 : tensor<1x1x2x2xf32>
  %rot5 = xf.concat %neg5, %lo5 axis = -1 : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
  %xc5 = xf.mul %x, %scalar : (tensor<1x1x2x4xf32>, tensor<f32>) -> tensor<1x1x2x4xf32>
  %xs5 = xf.mul %rot5, %scalar : (tensor<1x1x2x4xf32>, tensor<f32>) -> tensor<1x1x2x4xf32>
  %r5 = xf.add %xc5, %xs5 : (tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
  return %r0, %r1, %r2, %r3, %neg3, %r4, %r5 : tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x2xf32>, tensor<1x2x2x4xf32>, tensor<1x1x2x4xf32>
}
