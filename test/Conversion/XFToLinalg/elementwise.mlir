// RUN: xfc-opt %s --convert-xf-to-linalg --split-input-file | FileCheck %s

// Broadcasting: a missing leading dimension is dropped from the map, a
// size-1 dimension facing a larger one reads index 0, rank 0 reads ().

// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$LAST:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @xf.add$broadcast_rank
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<4xf32>)
func.func @xf.add$broadcast_rank(%x: tensor<2x3x4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x3x4xf32>
  // CHECK: %[[R:.*]] = linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID3]], #[[$LAST]], #[[$ID3]]]
  // CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel"]
  // CHECK-SAME: ins(%[[X]], %[[B]] : tensor<2x3x4xf32>, tensor<4xf32>) outs(%[[EMPTY]] : tensor<2x3x4xf32>)
  // CHECK: ^bb0(%[[L:.*]]: f32, %[[RR:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[S:.*]] = arith.addf %[[L]], %[[RR]] : f32
  // CHECK-NEXT: linalg.yield %[[S]] : f32
  // CHECK: return %[[R]]
  %0 = xf.add %x, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @xf.sub$size_one_dims
func.func @xf.sub$size_one_dims(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ROW]], #[[$COL]], #[[$ID]]]
  // CHECK: arith.subf
  %0 = xf.sub %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @xf.mul$rank0
func.func @xf.mul$rank0(%a: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$ID]], #[[$SCALAR]], #[[$ID]]]
  // CHECK: arith.mulf
  %0 = xf.mul %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Same-shaped size-1 dimensions need no constant map.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @xf.div$float
func.func @xf.div$float(%a: tensor<1x3xf32>, %b: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // CHECK: indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]]]
  // CHECK: arith.divf
  %0 = xf.div %a, %b : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

// Integer arithmetic: division truncates toward zero, max/min are signed.
// CHECK-LABEL: func.func @xf.binary$integer
func.func @xf.binary$integer(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  // CHECK: arith.addi
  %0 = xf.add %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: arith.subi
  %1 = xf.sub %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: arith.muli
  %2 = xf.mul %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: arith.divsi
  %3 = xf.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: math.ipowi
  %4 = xf.pow %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: arith.maxsi
  %5 = xf.max %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: arith.minsi
  %6 = xf.min %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Float max/min propagate NaN (maximumf, not maxnumf).
// CHECK-LABEL: func.func @xf.binary$float
func.func @xf.binary$float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: math.powf
  %0 = xf.pow %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: arith.maximumf
  %1 = xf.max %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: arith.minimumf
  %2 = xf.min %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Float comparisons are ordered except ne (unordered: NaN != anything).
// CHECK-LABEL: func.func @xf.cmp$float
func.func @xf.cmp$float(%a: tensor<4xf32>, %b: tensor<f32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: linalg.generic
  // CHECK-SAME: outs(%{{.*}} : tensor<4xi1>)
  // CHECK: arith.cmpf oeq
  %0 = xf.cmp eq, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK: arith.cmpf une
  %1 = xf.cmp ne, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK: arith.cmpf olt
  %2 = xf.cmp lt, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK: arith.cmpf ole
  %3 = xf.cmp le, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK: arith.cmpf ogt
  %4 = xf.cmp gt, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK: arith.cmpf oge
  %5 = xf.cmp ge, %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// Signless integers compare signed; ui8 (now i8) and i1 unsigned.
// CHECK-LABEL: func.func @xf.cmp$integer
// CHECK-SAME: %{{.*}}: tensor<4xi64>, %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi1>
func.func @xf.cmp$integer(%a: tensor<4xi64>, %u: tensor<4xui8>, %p: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : i64
  %0 = xf.cmp lt, %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  // CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i8
  %1 = xf.cmp gt, %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  // CHECK: arith.cmpi uge, %{{.*}}, %{{.*}} : i1
  %2 = xf.cmp ge, %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: arith.cmpi eq, %{{.*}}, %{{.*}} : i64
  %3 = xf.cmp eq, %a, %a : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// -----

// ui8 tensors become i8 everywhere, constants and signatures included.
// CHECK-LABEL: func.func @xf.cmp$ui8_constant
// CHECK-SAME: (%[[U:.*]]: tensor<3xi8>) -> tensor<3xi1>
func.func @xf.cmp$ui8_constant(%u: tensor<3xui8>) -> tensor<3xi1> {
  // CHECK: %[[C:.*]] = arith.constant dense<[-56, 3, -1]> : tensor<3xi8>
  %c = arith.constant dense<[200, 3, 255]> : tensor<3xui8>
  // CHECK: linalg.generic
  // CHECK-SAME: ins(%[[U]], %[[C]] : tensor<3xi8>, tensor<3xi8>)
  // CHECK: arith.cmpi ult
  %0 = xf.cmp lt, %u, %c : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$COND:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[$TRUE:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[$FALSE:.*]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @xf.select$broadcast
func.func @xf.select$broadcast(%c: tensor<2x1x4xi1>, %t: tensor<3x1xf32>, %f: tensor<f32>) -> tensor<2x3x4xf32> {
  // CHECK: linalg.generic
  // CHECK-SAME: indexing_maps = [#[[$COND]], #[[$TRUE]], #[[$FALSE]], #[[$ID]]]
  // CHECK: ^bb0(%[[C:.*]]: i1, %[[T:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: arith.select %[[C]], %[[T]], %[[F]] : f32
  %0 = xf.select %c, %t, %f : (tensor<2x1x4xi1>, tensor<3x1xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.unary$math
func.func @xf.unary$math(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK: math.exp
  %0 = xf.exp %x : tensor<4xf32>
  // CHECK: math.log
  %1 = xf.log %0 : tensor<4xf32>
  // CHECK: math.tanh
  %2 = xf.tanh %1 : tensor<4xf32>
  // CHECK: math.erf
  %3 = xf.erf %2 : tensor<4xf32>
  // CHECK: math.sqrt
  %4 = xf.sqrt %3 : tensor<4xf32>
  // CHECK: math.rsqrt
  %5 = xf.rsqrt %4 : tensor<4xf32>
  // Ties to even.
  // CHECK: math.roundeven
  %6 = xf.round %5 : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @xf.unary$arith
func.func @xf.unary$arith(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
  // CHECK-NEXT: arith.divf %[[ONE]], %[[IN]] : f32
  %0 = xf.reciprocal %x : tensor<4xf32>
  // CHECK: arith.negf
  %1 = xf.neg %x : tensor<4xf32>
  // CHECK: math.absf
  %2 = xf.abs %x : tensor<4xf32>
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: arith.maximumf %[[IN]], %[[ZERO]] : f32
  %3 = xf.relu %x : tensor<4xf32>
  // Two's complement negation.
  // CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: i32):
  // CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : i32
  // CHECK-NEXT: arith.subi %[[ZERO]], %[[IN]] : i32
  %4 = xf.neg %i : tensor<4xi32>
  // CHECK: math.absi
  %5 = xf.abs %i : tensor<4xi32>
  // CHECK: arith.maxsi
  %6 = xf.relu %i : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// sigmoid = 1 / (1 + e^-x); silu = x · sigmoid(x).
// CHECK-LABEL: func.func @xf.sigmoid$silu
func.func @xf.sigmoid$silu(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[NEG:.*]] = arith.negf %[[IN]]
  // CHECK: %[[EXP:.*]] = math.exp %[[NEG]]
  // CHECK: %[[DEN:.*]] = arith.addf %{{.*}}, %[[EXP]]
  // CHECK: %[[SIG:.*]] = arith.divf %{{.*}}, %[[DEN]]
  // CHECK-NEXT: linalg.yield %[[SIG]]
  %0 = xf.sigmoid %x : tensor<4xf32>
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[SIG:.*]] = arith.divf
  // CHECK-NEXT: %[[SILU:.*]] = arith.mulf %[[IN]], %[[SIG]]
  // CHECK-NEXT: linalg.yield %[[SILU]]
  %1 = xf.silu %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Exact GELU: 0.5 · x · (1 + erf(x / √2)).
// CHECK-LABEL: func.func @xf.gelu$exact
func.func @xf.gelu$exact(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[RSQRT2:.*]] = arith.constant 0.707106769 : f32
  // CHECK: %[[ARG:.*]] = arith.mulf %[[IN]], %[[RSQRT2]]
  // CHECK: %[[ERF:.*]] = math.erf %[[ARG]]
  // CHECK: %[[ONEP:.*]] = arith.addf %{{.*}}, %[[ERF]]
  // CHECK: %[[HALFX:.*]] = arith.mulf %{{.*}}, %[[IN]]
  // CHECK: %[[R:.*]] = arith.mulf %[[HALFX]], %[[ONEP]]
  // CHECK-NEXT: linalg.yield %[[R]]
  %0 = xf.gelu %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// tanh GELU: 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 x³))).
// CHECK-LABEL: func.func @xf.gelu$tanh
func.func @xf.gelu$tanh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[SQ:.*]] = arith.mulf %[[IN]], %[[IN]]
  // CHECK: %[[CUBE:.*]] = arith.mulf %[[IN]], %[[SQ]]
  // CHECK: arith.constant 4.471500e-02 : f32
  // CHECK: arith.constant 0.797884583 : f32
  // CHECK: math.tanh
  // CHECK-NOT: math.erf
  // CHECK: linalg.yield
  %0 = xf.gelu %x approximate = tanh : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Narrow floats compute in f32 and round once.
// CHECK-LABEL: func.func @xf.gelu$f16
func.func @xf.gelu$f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  // CHECK: ^bb0(%[[IN:.*]]: f16, %{{.*}}: f16):
  // CHECK-NEXT: %[[WIDE:.*]] = arith.extf %[[IN]] : f16 to f32
  // CHECK: math.erf %{{.*}} : f32
  // CHECK: %[[NARROW:.*]] = arith.truncf %{{.*}} : f32 to f16
  // CHECK-NEXT: linalg.yield %[[NARROW]] : f16
  %0 = xf.gelu %x : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @xf.cast$kinds
func.func @xf.cast$kinds(%f: tensor<4xf32>, %i: tensor<4xi64>, %b: tensor<4xi1>, %u: tensor<4xui8>, %h: tensor<4xf16>) -> (tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xui8>, tensor<4xi8>) {
  // CHECK: arith.fptosi %{{.*}} : f32 to i32
  %0 = xf.cast %f : tensor<4xf32> -> tensor<4xi32>
  // To bool is != 0, unordered so that NaN is true.
  // CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK-NEXT: arith.cmpf une, %{{.*}}, %[[Z]] : f32
  %1 = xf.cast %f : tensor<4xf32> -> tensor<4xi1>
  // CHECK: arith.sitofp %{{.*}} : i64 to f32
  %2 = xf.cast %i : tensor<4xi64> -> tensor<4xf32>
  // CHECK: arith.uitofp %{{.*}} : i1 to f32
  %3 = xf.cast %b : tensor<4xi1> -> tensor<4xf32>
  // CHECK: arith.uitofp %{{.*}} : i8 to f32
  %4 = xf.cast %u : tensor<4xui8> -> tensor<4xf32>
  // CHECK: arith.extui %{{.*}} : i8 to i32
  %5 = xf.cast %u : tensor<4xui8> -> tensor<4xi32>
  // CHECK: arith.trunci %{{.*}} : i64 to i8
  %6 = xf.cast %i : tensor<4xi64> -> tensor<4xi8>
  // CHECK: %[[ZI:.*]] = arith.constant 0 : i64
  // CHECK-NEXT: arith.cmpi ne, %{{.*}}, %[[ZI]] : i64
  %7 = xf.cast %i : tensor<4xi64> -> tensor<4xi1>
  // CHECK: arith.extf %{{.*}} : f16 to f32
  %8 = xf.cast %h : tensor<4xf16> -> tensor<4xf32>
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %9 = xf.cast %f : tensor<4xf32> -> tensor<4xf16>
  // CHECK: arith.fptoui %{{.*}} : f32 to i8
  %10 = xf.cast %f : tensor<4xf32> -> tensor<4xui8>
  // ui8 -> i8 keeps the bits: no op at all.
  // CHECK-NOT: linalg.generic
  // CHECK: return
  %11 = xf.cast %u : tensor<4xui8> -> tensor<4xi8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi8>, tensor<4xi1>, tensor<4xf32>, tensor<4xf16>, tensor<4xui8>, tensor<4xi8>
}
