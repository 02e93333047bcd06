// What each --emit of the CPU target writes, for this file as the model
// (an xf linear layer with bias + GELU, which oneDNN applies as the
// matmul's eltwise post-op; the 512-byte weight goes into the
// weights file).
// REQUIRES: system-linux

// --emit=llvm-ir: the metadata of artifact.h (the CPU named with --cpu),
// the exported entry wrapping the lowered function; everything else is
// internal (the oneDNN trampoline and the lowered entry are inlined; no
// kernel is left: the GELU is the matmul's post-op).
// RUN: xfc %s --target=cpu --emit=llvm-ir --cpu=x86-64-v3 -o %t.ll
// RUN: FileCheck %s --check-prefix=IR < %t.ll
// IR: @xfc_model_metadata = {{.*}}constant [{{[0-9]+}} x i8] c"xfc-artifact 4\0Atarget cpu\0Atriple {{[^\\]+}}\0Acpu x86-64-v3\0Acpu-features sse4.2 avx avx2 fma f16c bmi bmi2\0Aweights-size 512\0Aweights-checksum {{[0-9a-f]+}}\0Ainput x f32 2x8\0Aoutput y f32 2x16\0Amatmul 0 f32 2x8:8x1 8x16:1x8 2x16:16x1 1x16:16x1 0 0 gelu_erf\0Aend\0A\00"
// RUN: grep '^define' %t.ll | FileCheck %s --check-prefix=DEFINES
// DEFINES-NOT: define internal
// DEFINES: define void @xfc_model_entry(ptr {{[^,]*}}, ptr {{[^,]*}}, ptr {{[^,]*}}, ptr {{[^,]*}})
// DEFINES-NOT: define

// Assembly and an object: the same two exported symbols.
// RUN: xfc %s --target=cpu --emit=asm -o %t.s
// RUN: FileCheck %s --check-prefix=ASM < %t.s
// ASM-DAG: .globl xfc_model_entry
// ASM-DAG: xfc_model_entry:
// ASM-DAG: .globl xfc_model_metadata
// RUN: xfc %s --target=cpu --emit=obj -o %t.o
// RUN: llvm-readelf --file-header --symbols %t.o | FileCheck %s --check-prefix=OBJ
// OBJ: Type: REL (Relocatable file)
// OBJ-DAG: FUNC GLOBAL DEFAULT {{.*}} xfc_model_entry
// OBJ-DAG: OBJECT GLOBAL DEFAULT {{.*}} xfc_model_metadata

// The artifact: PATH.so and PATH.weights, nothing else beside them (the
// temporary files are renamed into place), nothing left in the temporary
// directory (the object file is removed).
// RUN: rm -rf %t.out %t.tmp && mkdir %t.out %t.tmp
// RUN: env TMPDIR=%t.tmp xfc %s --target=cpu -o %t.out/model
// RUN: ls -A %t.out | FileCheck %s --check-prefix=FILES
// FILES: model.so
// FILES-NEXT: model.weights
// FILES-NOT: {{.}}
// RUN: ls -A %t.tmp | count 0
// The library is a shared object that exports exactly the entry and the
// metadata.
// RUN: llvm-readelf --file-header %t.out/model.so | FileCheck %s --check-prefix=SO
// SO: Type: DYN (Shared object file)
// RUN: llvm-nm -D --defined-only %t.out/model.so | FileCheck %s --check-prefix=EXPORTS
// EXPORTS: T xfc_model_entry
// EXPORTS-NEXT: R xfc_model_metadata
// EXPORTS-NOT: {{.}}
// The weights file: the 4096-byte header (magic, version 4, data offset,
// data size, checksum, stored size, sparse size: all stored, the weight
// has few zeros), then the weight's bytes (0, 0.125, 0.25, ...).
// RUN: wc -c < %t.out/model.weights | FileCheck %s --check-prefix=SIZE
// SIZE: 4608
// RUN: od -A d -t c -N 8 %t.out/model.weights | FileCheck %s --check-prefix=MAGIC
// MAGIC: 0000000 X F C W E I G H
// RUN: od -A d -t u8 -j 8 -N 48 %t.out/model.weights | FileCheck %s --check-prefix=HEADER
// HEADER: 0000008 4 4096
// HEADER-NEXT: 0000024 512 {{[0-9]+}}
// HEADER-NEXT: 0000040 512 0
// RUN: od -A d -t f4 -j 4096 -N 16 %t.out/model.weights | FileCheck %s --check-prefix=DATA
// DATA: 0004096 0 0.125 0.25 0.375

// Writing again replaces both files, still leaving nothing else.
// RUN: env TMPDIR=%t.tmp xfc %s --target=cpu -o %t.out/model
// RUN: ls -A %t.out | count 2
// RUN: ls -A %t.tmp | count 0

func.func @main(%x: tensor<2x8xf32> {xf.name = "x"}) -> (tensor<2x16xf32> {xf.name = "y"}) {
  %w = arith.constant dense<"0x000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E0000803E0000C03E0000003F0000203F0000403F000000000000003E"> : tensor<16x8xf32>
  %b = arith.constant dense<[0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75]> : tensor<16xf32>
  %0 = xf.linear %x, %w, %b : (tensor<2x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<2x16xf32>
  %1 = xf.gelu %0 : tensor<2x16xf32>
  return %1 : tensor<2x16xf32>
}
