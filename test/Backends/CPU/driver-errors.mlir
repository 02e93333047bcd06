// The driver's errors for the CPU target, each with its message, and no
// file written where it fails. This file is the model.
// REQUIRES: system-linux
// RUN: rm -rf %t && mkdir -p %t/out %t/tmp

// Options checked before anything is compiled.
// RUN: not xfc %s --emit=bogus -o %t/out/model 2>&1 | FileCheck %s --check-prefix=EMIT
// EMIT: xfc: error: unknown --emit=bogus; choose xf, linalg, llvm-mlir, llvm-ir, asm, obj or artifact
// RUN: not xfc %s --target=gpu -o %t/out/model 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: xfc: error: unknown --target=gpu; this build compiles for: cpu
// RUN: not xfc %s --target=cpu --cpu-gemm=mkl -o %t/out/model 2>&1 | FileCheck %s --check-prefix=GEMM
// GEMM: xfc: error: unknown --cpu-gemm=mkl; choose onednn or codegen
// RUN: not xfc %s --target=cpu --cpu-attention=sdpa -o %t/out/model 2>&1 | FileCheck %s --check-prefix=ATTENTION
// ATTENTION: xfc: error: unknown --cpu-attention=sdpa; choose flash or reference
// RUN: not xfc %s --target=cpu --emit=artifact -o - 2>&1 | FileCheck %s --check-prefix=STDOUT
// RUN: not xfc %s --target=cpu -o - 2>&1 | FileCheck %s --check-prefix=STDOUT
// STDOUT: xfc: error: an artifact is two files: give -o PATH (writes PATH.so and PATH.weights)
// RUN: not xfc %s --target=cpu -o %t/out/model --compile-to=import 2>&1 | FileCheck %s --check-prefix=PHASE
// PHASE: xfc: error: --compile-to=import stops before --emit=artifact can be produced
// RUN: not xfc %s --emit=linalg --compile-to=import -o %t/out/model 2>&1 | FileCheck %s --check-prefix=PHASE-LINALG
// PHASE-LINALG: xfc: error: --compile-to=import stops before --emit=linalg can be produced
// RUN: not xfc %s --target=cpu 2>&1 | FileCheck %s --check-prefix=USAGE
// USAGE: xfc: error: usage: xfc MODEL -o OUTPUT [options]; see xfc --help

// A CPU name LLVM does not know: reported before anything is compiled,
// for every backend emit, with nothing else printed.
// RUN: not xfc %s --target=cpu --cpu=no-such-cpu -o %t/out/model 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not xfc %s --target=cpu --cpu=no-such-cpu --emit=obj -o %t/out/model.o 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not xfc %s --cpu=no-such-cpu --emit=linalg -o %t/out/model.mlir 2>&1 | FileCheck %s --check-prefix=CPU
// CPU-NOT: recognized processor
// CPU: xfc: error: unknown CPU 'no-such-cpu' for --cpu: use host, x86-64, x86-64-v2, x86-64-v3, x86-64-v4 or an LLVM CPU name (skylake-avx512, znver4, ...)

// An output directory that cannot be written (a path through a regular
// file, which even root cannot create; a missing directory): an error
// naming the file, nothing written, no temporary left behind.
// RUN: touch %t/file
// RUN: env TMPDIR=%t/tmp not xfc %s --target=cpu -o %t/file/model 2>&1 | FileCheck %s --check-prefix=UNWRITABLE-SO -DFILE=%s -DOUT=%t/file/model
// UNWRITABLE-SO: [[FILE]]: error: cannot write '[[OUT]].so': {{.+}}
// RUN: env TMPDIR=%t/tmp not xfc %s --target=cpu -o %t/missing/model 2>&1 | FileCheck %s --check-prefix=UNWRITABLE-SO -DFILE=%s -DOUT=%t/missing/model
// RUN: env TMPDIR=%t/tmp not xfc %s --target=cpu --emit=llvm-ir -o %t/file/model.ll 2>&1 | FileCheck %s --check-prefix=UNWRITABLE -DFILE=%s -DOUT=%t/file/model.ll
// RUN: env TMPDIR=%t/tmp not xfc %s --target=cpu --emit=asm -o %t/file/model.s 2>&1 | FileCheck %s --check-prefix=UNWRITABLE -DFILE=%s -DOUT=%t/file/model.s
// RUN: env TMPDIR=%t/tmp not xfc %s --target=cpu --emit=obj -o %t/file/model.o 2>&1 | FileCheck %s --check-prefix=UNWRITABLE -DFILE=%s -DOUT=%t/file/model.o
// UNWRITABLE: [[FILE]]: error: cannot write '[[OUT]]': {{.+}}
// RUN: not xfc %s --target=cpu --emit=llvm-mlir -o %t/file/model.mlir 2>&1 | FileCheck %s --check-prefix=UNWRITABLE-MLIR -DOUT=%t/file/model.mlir
// RUN: not xfc %s --target=cpu --emit=linalg -o %t/file/model.mlir 2>&1 | FileCheck %s --check-prefix=UNWRITABLE-MLIR -DOUT=%t/file/model.mlir
// UNWRITABLE-MLIR: xfc: error: cannot write '[[OUT]]': {{.+}}
// RUN: test -f %t/file
// RUN: not test -e %t/missing

// None of the failures above wrote anything.
// RUN: ls -A %t/out | count 0
// RUN: ls -A %t/tmp | count 0

func.func @main(%x: tensor<2x8xf32> {xf.name = "x"}, %w: tensor<16x8xf32> {xf.name = "w"}) -> (tensor<2x16xf32> {xf.name = "y"}) {
  %0 = xf.linear %x, %w : (tensor<2x8xf32>, tensor<16x8xf32>) -> tensor<2x16xf32>
  return %0 : tensor<2x16xf32>
}
