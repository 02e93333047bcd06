//===- Passes.td - xfc graph passes -------------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The xf → xf passes, one banner per family, alphabetical within each.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_TRANSFORMS_PASSES_TD
#define XFC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

def ExternalizeConstantsPass
    : Pass<"xf-externalize-constants", "mlir::ModuleOp"> {
  let summary = "Move large inline tensor constants into dense_resource blobs";
  let description = [{
    Weights must never travel as IR text: a dense constant with thousands of
    elements makes printing, parsing and every pattern that looks at
    attributes slow, and is duplicated by each uniquing step. This pass
    rewrites every `arith.constant` holding a non-splat dense tensor of at
    least `min-bytes` bytes into a `dense_resource` blob, which the printer
    writes once, as hex, in the file's `dialect_resources` section (elide it
    with `--mlir-elide-resource-strings-if-larger`) and bytecode stores
    aligned and mmappable. Splats stay inline: they are one value. Element
    types narrower than a byte (i1, i4) stay inline, as their packed layout
    differs between the two attribute kinds.

    Before:
    ```mlir
    %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    ```
    After (`--xf-externalize-constants=min-bytes=16`):
    ```mlir
    %w = arith.constant dense_resource<xf_weight> : tensor<2x2xf32>
    ...
    {-#
      dialect_resources: {
        builtin: {
          xf_weight: "0x040000000000803F000000400000404000008040"
        }
      }
    #-}
    ```
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"1024",
           "Externalize constants of at least this many bytes">
  ];
}

#endif // XFC_TRANSFORMS_PASSES_TD
