/*===- fake_model.c - A hand-written artifact for runtime tests --*- C -*-===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * What `xfc --target=cpu` writes, by hand, so the runtime can be tested
 * without the compiler. The default model is y = x·Wᵀ + b, one oneDNN
 * matmul with W [4x3] (stored [out, in] like a torch Linear, hence B's
 * strides 1x3) at byte 0 of the weights and the bias [4] at byte 64; its
 * weights file comes from Inputs/fake_weights.py and xfc-weights-tool.
 *
 * test/Runtime/CMakeLists.txt builds one library per variant, each with one
 * of these flags:
 *   FAKE_NO_WEIGHTS          y = x·w + y with both operands inputs, a
 *                            broadcast batch dim, beta 1, an empty weights
 *                            region, a percent-encoded input name, and y
 *                            first set to 100 through ctx->parallel_for
 *   FAKE_BAD_VERSION         artifact format version 2
 *   FAKE_BAD_TARGET          target cuda
 *   FAKE_MISSING_FEATURES    needs Xeon Phi features no current CPU has
 *   FAKE_UNKNOWN_FEATURE     needs a feature the runtime cannot check
 *   FAKE_MALFORMED           a bad dims field
 *   FAKE_B_OUT_OF_BOUNDS     constant B reaching past the weights
 *   FAKE_UNDECLARED_MATMUL   the entry calls a matmul id not in the metadata
 *   FAKE_BAD_ATTENTION       an attention line whose 3 heads the 2 key/value
 *                            heads do not divide
 *   FAKE_UNDECLARED_ATTENTION the entry also calls an attention id not in
 *                            the metadata
 *   FAKE_QMATMUL             two quantized GEMMs instead (see below), with
 *                            Inputs/fake_weights.py's `qmatmul` region; with
 *                            it one of
 *     FAKE_QMATMUL_BAD_KIND        a kind the runtime does not know
 *     FAKE_QMATMUL_BAD_GROUP       a group that does not divide K
 *     FAKE_QMATMUL_OUT_OF_BOUNDS   a bias reaching past the weights
 *     FAKE_QMATMUL_MISALIGNED      scales not 64-byte aligned
 *     FAKE_QMATMUL_NO_INPUT_QUANT  a w8a8 line without input-quant
 *     FAKE_UNDECLARED_QMATMUL      the entry calls a qmatmul id not in the
 *                                  metadata
 *   FAKE_NO_ENTRY            no xfc_model_entry
 *   FAKE_NO_SYMBOLS          neither symbol: any other shared library
 *
 *===----------------------------------------------------------------------===*/

#include "xfc-c/artifact.h"

#define EXPORT __attribute__((visibility("default")))

#if defined(FAKE_NO_SYMBOLS)

EXPORT int fake_not_a_model(void) { return 0; }

#elif defined(FAKE_NO_WEIGHTS)

EXPORT const char xfc_model_metadata[] =
    "xfc-artifact 4\n"
    "target cpu\n"
    "triple x86_64-unknown-linux-gnu\n"
    "cpu x86-64\n"
    "cpu-features\n"
    "weights-size 0\n"
    "weights-checksum 0b82b2df01bc4321\n"
    "input x f32 2x2x3\n"
    "input attn%20w f32 1x3x4\n"
    "output y f32 2x2x4\n"
    "matmul 7 f32 2x2x3:6x3x1 1x3x4:12x4x1 2x2x4:8x4x1 - 1 -1\n"
    "end\n";

/* y[i] += 100 over [begin, end): run through ctx->parallel_for, each
   element must be visited exactly once for y to come out right. */
static void add_hundred(void *args, int64_t begin, int64_t end) {
  float *y = (float *)args;
  for (int64_t i = begin; i < end; ++i)
    y[i] += 100.0f;
}

EXPORT void xfc_model_entry(xfc_model_context *ctx, const void *weights,
                            void *const *inputs, void *const *outputs) {
  float *y = (float *)outputs[0];
  for (int i = 0; i < 16; ++i)
    y[i] = 0.0f;
  ctx->parallel_for(ctx, add_hundred, y, 16);
  ctx->matmul(ctx, 7, inputs[0], inputs[1], NULL, NULL, y);
}

#elif defined(FAKE_QMATMUL)

/* x [2x4] → y [2x3] = x·dequantize(W0)ᵀ + b0 by a w8 qmatmul (group 2,
   with offsets), and z [2x3] = x·W1ᵀ by a w8a8 qmatmul (input scale 0.5,
   zero point 10) + b1 + y (its residual). The weights region
   (Inputs/fake_weights.py qmatmul) holds W0 at byte 0, its scales at 64,
   offsets at 128 and bias at 192, then W1 at 256, its scales at 320 and
   bias at 384: 396 bytes. */
#if defined(FAKE_QMATMUL_BAD_KIND)
#define QMATMUL0_LINE "qmatmul 0 w3 2x3x4 4 3 0 64 128 192 2 - -\n"
#elif defined(FAKE_QMATMUL_BAD_GROUP)
#define QMATMUL0_LINE "qmatmul 0 w8 2x3x4 4 3 0 64 128 192 3 - -\n"
#elif defined(FAKE_QMATMUL_MISALIGNED)
#define QMATMUL0_LINE "qmatmul 0 w8 2x3x4 4 3 0 96 128 192 2 - -\n"
#else
#define QMATMUL0_LINE "qmatmul 0 w8 2x3x4 4 3 0 64 128 192 2 - -\n"
#endif

#if defined(FAKE_QMATMUL_OUT_OF_BOUNDS)
#define QMATMUL1_LINE "qmatmul 1 w8a8 2x3x4 4 3 256 320 - 448 - 0.5:10 add\n"
#elif defined(FAKE_QMATMUL_NO_INPUT_QUANT)
#define QMATMUL1_LINE "qmatmul 1 w8a8 2x3x4 4 3 256 320 - 384 - - add\n"
#else
#define QMATMUL1_LINE "qmatmul 1 w8a8 2x3x4 4 3 256 320 - 384 - 0.5:10 add\n"
#endif

/* clang-format off */
EXPORT const char xfc_model_metadata[] =
    "xfc-artifact 4\n"
    "target cpu\n"
    "triple x86_64-unknown-linux-gnu\n"
    "cpu x86-64\n"
    "cpu-features sse2\n"
    "weights-size 396\n"
    "weights-checksum 6750d2240d68bc04\n"
    "input x f32 2x4\n"
    "output y f32 2x3\n"
    "output z f32 2x3\n"
    QMATMUL0_LINE
    QMATMUL1_LINE
    "end\n";
/* clang-format on */

#if defined(FAKE_UNDECLARED_QMATMUL)
#define QMATMUL1_ID 9
#else
#define QMATMUL1_ID 1
#endif

EXPORT void xfc_model_entry(xfc_model_context *ctx, const void *weights,
                            void *const *inputs, void *const *outputs) {
  (void)weights;
  ctx->qmatmul(ctx, 0, inputs[0], NULL, outputs[0]);
  ctx->qmatmul(ctx, QMATMUL1_ID, inputs[0], outputs[0], outputs[1]);
}

#else

#if defined(FAKE_BAD_VERSION)
#define VERSION_LINE "xfc-artifact 2\n"
#else
#define VERSION_LINE "xfc-artifact 4\n"
#endif

#if defined(FAKE_BAD_TARGET)
#define TARGET_LINE "target cuda\n"
#else
#define TARGET_LINE "target cpu\n"
#endif

#if defined(FAKE_MISSING_FEATURES)
#define CPU_LINES "cpu knl\ncpu-features sse2 avx512er avx5124fmaps\n"
#elif defined(FAKE_UNKNOWN_FEATURE)
#define CPU_LINES "cpu x86-64\ncpu-features sse2 no-such-feature\n"
#else
#define CPU_LINES "cpu x86-64\ncpu-features sse2\n"
#endif

#if defined(FAKE_MALFORMED)
#define INPUT_LINE "input x f32 2xA\n"
#else
#define INPUT_LINE "input x f32 2x3\n"
#endif

/* A: x [2x3]; B: W [4x3] read transposed; C: y [2x4]; bias [1x4]; beta 0. */
#if defined(FAKE_B_OUT_OF_BOUNDS)
#define MATMUL_LINE "matmul 0 f32 2x3:3x1 3x4:1x3 2x4:4x1 1x4:4x1 0 64\n"
#else
#define MATMUL_LINE "matmul 0 f32 2x3:3x1 3x4:1x3 2x4:4x1 1x4:4x1 0 0\n"
#endif

#if defined(FAKE_BAD_ATTENTION)
#define ATTENTION_LINE                                                         \
  "attention 0 f32 1x3x2x4x4x8x8 96x8x24 64x8x16 64x8x16 96x8x24 - 1 0\n"
#else
#define ATTENTION_LINE ""
#endif

#define BIAS_OFFSET 64

/* clang-format off */
EXPORT const char xfc_model_metadata[] =
    VERSION_LINE
    TARGET_LINE
    "triple x86_64-unknown-linux-gnu\n"
    CPU_LINES
    "weights-size 80\n"
    "weights-checksum 263e63a45d1b59f5\n"
    INPUT_LINE
    "output y f32 2x4\n"
    MATMUL_LINE
    ATTENTION_LINE
    "end\n";
/* clang-format on */

#if !defined(FAKE_NO_ENTRY)
#if defined(FAKE_UNDECLARED_MATMUL)
#define MATMUL_ID 5
#else
#define MATMUL_ID 0
#endif

EXPORT void xfc_model_entry(xfc_model_context *ctx, const void *weights,
                            void *const *inputs, void *const *outputs) {
  const char *base = (const char *)weights;
  /* B is a constant (b-weight-offset 0): the runtime ignores its pointer. */
  ctx->matmul(ctx, MATMUL_ID, inputs[0], NULL, base + BIAS_OFFSET, NULL,
              outputs[0]);
#if defined(FAKE_UNDECLARED_ATTENTION)
  ctx->attention(ctx, 3, inputs[0], inputs[0], inputs[0], NULL, outputs[0]);
#endif
}
#endif

#endif
