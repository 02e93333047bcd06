//===- XFTypes.td - Type constraints of the xf dialect -------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// xf defines no types of its own: values are builtin ranked tensors, and
// quantized values use the upstream `quant` dialect's types. This file names
// the tensor constraints the ops use.
//
//===----------------------------------------------------------------------===//

#ifndef XF_TYPES_TD
#define XF_TYPES_TD

include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

def XF_Tensor : RankedTensorOf<[AnyType]>;
def XF_FloatTensor : RankedTensorOf<[AnyFloat]>;
// Arithmetic works on floats and signless integers of 8 to 64 bits; i1 is
// for masks (comparisons, select, cast), never arithmetic.
def XF_ArithTensor
    : RankedTensorOf<[AnyFloat, SignlessIntOfWidths<[8, 16, 32, 64]>]>;
// Comparisons, select and cast also take ui8: ONNX's uint8 tensors appear
// around quantized operators (DynamicQuantizeLinear, MatMulInteger).
def XF_NumericTensor : RankedTensorOf<[AnyFloat, AnySignlessInteger, UI8]>;
def XF_BoolTensor : RankedTensorOf<[I1]>;
def XF_IndexTensor : RankedTensorOf<[I32, I64]>;
def XF_QuantTensor : RankedTensorOf<[quant_QuantizedType]>;
def XF_FloatOrQuantTensor : RankedTensorOf<[AnyFloat, quant_QuantizedType]>;

#endif // XF_TYPES_TD
