/*===- xfc-c/artifact.h - The CPU artifact format and model ABI ---*- C -*-===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * What the compiler writes and the runtime reads; both include this header,
 * so the two sides cannot drift. `xfc model.onnx --target=cpu -o PATH`
 * writes two files:
 *
 *   PATH.so       host code. Exports exactly two symbols:
 *                   const char xfc_model_metadata[];   (text, see below)
 *                   void xfc_model_entry(xfc_model_context *ctx,
 *                                        const void *weights,
 *                                        void *const *inputs,
 *                                        void *const *outputs);
 *                 and needs nothing but libc: every call into the runtime
 *                 goes through the function pointers in `ctx`.
 *   PATH.weights  XFC_WEIGHTS_HEADER_SIZE bytes of header, then the data
 *                 region (`weights` above points at its first byte; every
 *                 tensor in it starts at a multiple of 64 bytes): its first
 *                 `stored_size` bytes as they are, then, when
 *                 `sparse_size` is not 0, the sparse section that holds the
 *                 rest compressed (see below).
 *
 * `inputs[i]` / `outputs[i]` point at dense row-major buffers in the order
 * of the metadata's `input` / `output` lines.
 *
 * Metadata: one record per line, fields separated by single spaces, names
 * percent-encoded (every byte outside [A-Za-z0-9_.:/-] as %XX):
 *
 *   xfc-artifact <XFC_ARTIFACT_VERSION>             always the first line
 *   target cpu
 *   triple <llvm target triple>
 *   cpu <cpu name the code was compiled for>
 *   cpu-features <f1> <f2> ...   x86 features the code needs, spelled as
 *                                GCC's __builtin_cpu_supports names
 *   fpmath bf16                  optional: the f32 matmuls may multiply in
 *                                bf16 (oneDNN's fpmath mode; f32 sums)
 *   weights-size <bytes of the data region>
 *   weights-checksum <16 hex digits: xfc_weights_checksum of the region>
 *   weights-sparse <stored-size> <sparse-size>   optional: the weights file
 *                                stores the region's tail compressed (the
 *                                header's stored_size and sparse_size)
 *   input <name> <dtype> <dims>     dims "1x128", "-" for a scalar
 *   output <name> <dtype> <dims>
 *   matmul <id> <dtype> <a> <b> <c> <bias> <beta> <b-weight-offset> [<act>]
 *   attention <id> <dtype> <sizes> <q> <k> <v> <out> <mask> <scale> <causal>
 *   qmatmul <id> <kind> <MxNxK> <a-row-stride> <c-row-stride> <weight>
 *           <scales> <offsets> <bias> <group> <input-quant> <act>
 *   end
 *
 * A matmul line describes one oneDNN matmul primitive (the runtime creates
 * it once at load): C = A·B (+ bias) (+ C when beta is 1). <a>, <b>, <c>,
 * <bias> are "DIMS:STRIDES" with oneDNN's logical layouts, all of one rank
 * R >= 2: A [batch..., M, K], B [batch..., K, N], C [batch..., M, N], bias
 * [1..., 1 or M, N] (or "-" for none); strides in elements, "2x1" style;
 * a batch dim of size 1 broadcasts. <b-weight-offset> is -1, or the byte
 * offset of B in the weights region: then B is a constant that the runtime
 * reorders once into oneDNN's preferred layout at load and the `b` pointer
 * passed at run time is ignored. <act>, when present and not "-", is what
 * oneDNN applies to the result before writing it (a post-op): gelu_erf or
 * gelu_tanh, or add (with beta 0): + the `residual` operand, laid out as
 * C. dtype is f32 for now.
 *
 * An attention line describes one call of the runtime's flash-attention
 * kernel, softmax(scale·Q·Kᵀ + mask)·V per batch and query head. <sizes>
 * is "BxHqxHkvxSqxSkvxDxDv" (Hkv < Hq: grouped-query attention, query head
 * h reads key/value head h / (Hq/Hkv)). <q>, <k>, <v>, <out> are the
 * element strides "SBxSHxSS" of their [batch, head, sequence] dimensions
 * (Q [B, Hq, Sq, D], K [B, Hkv, Skv, D], V [B, Hkv, Skv, Dv], out [B, Hq,
 * Sq, Dv]; the feature dimension is contiguous). <mask> is "-", or
 * "bool:STRIDES" (one byte per element, nonzero = attend) or
 * "f32:STRIDES" (added to the scores), STRIDES being "SBxSHxSIxSJ" over
 * [batch, query head, query, key], 0 where the mask broadcasts. <scale>
 * is a decimal float; <causal> is 1 when query i may attend key j only if
 * j <= i + Skv - Sq.
 *
 * A qmatmul line describes one GEMM with quantized constant weights,
 * C[M, N] = act(A[M, K] · dequantize(W)[N, K]ᵀ + bias) (+ residual), A and
 * C f32 with contiguous rows <a-row-stride> / <c-row-stride> elements
 * apart. Every weight operand lives in the weights region: <weight>,
 * <scales>, <offsets> and <bias> are byte offsets into it (64-byte
 * aligned), "-" where absent. <kind> says how it runs:
 *   w8a8          W s8 [N, K]; A is quantized per tensor to u8,
 *                 q = saturate(round_half_even(a / S) + Z), with <input-quant>
 *                 "S:Z" (decimal float, integer); the u8·s8 products sum
 *                 exactly in s32 and C = float(acc) · scales[n] + bias[n]:
 *                 scales [N] f32 already include S, and bias [N] f32
 *                 already includes the zero-point compensation
 *                 -Z·S·scale_w[n]·Σk W[n, k] (so bias is always present).
 *   w8a8-dynamic  W s8 [N, K]; each row of A is quantized to s8 at run
 *                 time, r[m] = max|A[m, :]| / 127 (1 when the row is 0),
 *                 q = round_half_even(a / r[m]) (within ±127), and
 *                 C = float(acc) · scales[n] · r[m] + bias[n]; scales [N].
 *   w8            weight-only: W s8 [N, K]; w = scales[n, g] · q +
 *                 offsets[n, g] for k in group g = k / <group>; scales and
 *                 offsets (or "-": 0) [N, K / group] f32. A stays f32.
 *   w4            weight-only like w8, W [N, K / 2] bytes of two unsigned
 *                 4-bit values q in [0, 15] (element 2j in the low nibble of
 *                 byte j); symmetric int4 is stored as q + 8 with offsets
 *                 -8 · scales.
 * <group> is the group size (dividing K) for w8/w4 and "-" otherwise;
 * <input-quant> is "-" except for w8a8. <act> is as for matmul lines:
 * "-", gelu_erf, gelu_tanh, or add (+ the `residual` operand, laid out as
 * C).
 *
 *
 * The sparse section. Weights that are at least half zeros (pruned ones)
 * are laid out at the end of the data region, from `stored_size` (a
 * multiple of XFC_WEIGHTS_HEADER_SIZE, so the section starts on a 4096-byte
 * boundary of the file), and the file stores them compressed; the runtime
 * expands them into zero-filled memory at load, so generated code sees the
 * dense region either way. The section is a sequence of records, each
 *   xfc_sparse_record  {offset, size, nonzeros}: a tensor of `size` bytes
 *                      (a multiple of 4) at `offset` in the data region,
 *                      `nonzeros` of its 4-byte words not all-zero bits;
 *   bitmap             one bit per word (bit i % 8 of byte i / 8), 1 for
 *                      a nonzero word, ceil(size / 32) bytes, zero-padded
 *                      to a multiple of 8;
 *   values             the nonzero words in order, zero-padded to a
 *                      multiple of 8 bytes;
 * with offsets increasing, every tensor inside [stored_size, data_size),
 * nothing between the last record and the end of the file. The checksum
 * is of the expanded region.
 *===----------------------------------------------------------------------===*/

#ifndef XFC_C_ARTIFACT_H
#define XFC_C_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the metadata grammar, the entry signature, the context
   layout or the weights file layout changes; the runtime refuses other
   versions. 4: the sparse section. */
#define XFC_ARTIFACT_VERSION 4

#define XFC_METADATA_SYMBOL "xfc_model_metadata"
#define XFC_ENTRY_SYMBOL "xfc_model_entry"

/* The weights file header: the magic, then little-endian uint64 fields. */
#define XFC_WEIGHTS_MAGIC "XFCWEIGH"
#define XFC_WEIGHTS_HEADER_SIZE 4096
#define XFC_WEIGHTS_ALIGNMENT 64
typedef struct xfc_weights_header {
  char magic[8];          /* XFC_WEIGHTS_MAGIC, not NUL-terminated */
  uint64_t version;       /* XFC_ARTIFACT_VERSION */
  uint64_t data_offset;   /* XFC_WEIGHTS_HEADER_SIZE */
  uint64_t data_size;     /* bytes in the data region */
  uint64_t checksum;      /* xfc_weights_checksum of the data region */
  uint64_t stored_size;   /* bytes of the region stored as they are */
  uint64_t sparse_size;   /* bytes of the sparse section after them */
} xfc_weights_header;

/* One tensor of the sparse section (little-endian). */
typedef struct xfc_sparse_record {
  uint64_t offset;   /* in the data region */
  uint64_t size;     /* bytes, a multiple of 4 */
  uint64_t nonzeros; /* 4-byte words stored */
} xfc_sparse_record;

/* What generated code sees of the per-run context: it loads the function
   pointers from offsets 0, 8, 16, 24, 32 and 40 and calls them. The runtime keeps its own
   data after them. */
typedef struct xfc_model_context xfc_model_context;
typedef void (*xfc_matmul_fn)(xfc_model_context *ctx, int64_t id,
                              const void *a, const void *b, const void *bias,
                              const void *residual, void *c);
/* A kernel split along its outermost parallel loop: computes iterations
   [begin, end) of it; `args` holds its operands. */
typedef void (*xfc_task_fn)(void *args, int64_t begin, int64_t end);
/* Runs task(args, b, e) over disjoint ranges covering [0, n), on the
   runtime's threads (the OpenMP pool oneDNN uses), and returns when all
   are done. */
typedef void (*xfc_parallel_for_fn)(xfc_model_context *ctx, xfc_task_fn task,
                                    void *args, int64_t n);
/* Intermediate buffers of a run (64-byte aligned; never NULL: the runtime
   aborts when memory is exhausted, as generated code cannot recover). */
typedef void *(*xfc_alloc_fn)(xfc_model_context *ctx, int64_t size);
typedef void (*xfc_free_fn)(xfc_model_context *ctx, void *block);
/* softmax(scale·Q·Kᵀ + mask)·V as the `attention` line `id` describes;
   `mask` is NULL when the line has none. */
typedef void (*xfc_attention_fn)(xfc_model_context *ctx, int64_t id,
                                 const void *q, const void *k, const void *v,
                                 const void *mask, void *out);
/* C = act(A · dequantize(W)ᵀ + bias) (+ residual) as the `qmatmul` line
   `id` describes (its weights come from the weights region); `residual`
   is NULL unless the line's act is add. */
typedef void (*xfc_qmatmul_fn)(xfc_model_context *ctx, int64_t id,
                               const void *a, const void *residual, void *c);
struct xfc_model_context {
  xfc_matmul_fn matmul;
  xfc_parallel_for_fn parallel_for;
  xfc_alloc_fn alloc;
  xfc_free_fn free;
  xfc_attention_fn attention;
  xfc_qmatmul_fn qmatmul;
};

typedef void (*xfc_entry_fn)(xfc_model_context *ctx, const void *weights,
                             void *const *inputs, void *const *outputs);

/* A 64-bit checksum of the weights: four interleaved multiply-rotate lanes
   over little-endian 8-byte words (fast enough for gigabytes at load),
   then the tail bytes and the length, then a final avalanche. Not a
   cryptographic hash: it catches truncation and corruption, not tampering.
   Incremental (init, update any number of times, final) so that the
   compiler can checksum weights while streaming them;
   xfc_weights_checksum is the one-shot form. */
typedef struct xfc_checksum_state {
  uint64_t lane[4];
  unsigned char pending[32]; /* bytes of an incomplete 32-byte block */
  uint64_t pending_size;
  uint64_t total_size;
} xfc_checksum_state;

static inline uint64_t xfc_checksum_rotl(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}
static inline uint64_t xfc_checksum_round(uint64_t acc, uint64_t word) {
  acc += word * 0xC2B2AE3D27D4EB4FULL;
  acc = xfc_checksum_rotl(acc, 31);
  return acc * 0x9E3779B185EBCA87ULL;
}
static inline void xfc_checksum_block(xfc_checksum_state *state,
                                      const unsigned char *block) {
  for (int l = 0; l < 4; ++l) {
    uint64_t word;
    memcpy(&word, block + 8 * l, 8);
    state->lane[l] = xfc_checksum_round(state->lane[l], word);
  }
}
static inline void xfc_checksum_init(xfc_checksum_state *state) {
  state->lane[0] = 0x243F6A8885A308D3ULL;
  state->lane[1] = 0x13198A2E03707344ULL;
  state->lane[2] = 0xA4093822299F31D0ULL;
  state->lane[3] = 0x082EFA98EC4E6C89ULL;
  state->pending_size = 0;
  state->total_size = 0;
}
static inline void xfc_checksum_update(xfc_checksum_state *state,
                                       const void *data, uint64_t size) {
  const unsigned char *p = (const unsigned char *)data;
  state->total_size += size;
  if (state->pending_size > 0) {
    uint64_t take = 32 - state->pending_size;
    if (take > size)
      take = size;
    memcpy(state->pending + state->pending_size, p, take);
    state->pending_size += take;
    p += take;
    size -= take;
    if (state->pending_size < 32)
      return;
    xfc_checksum_block(state, state->pending);
    state->pending_size = 0;
  }
  for (; size >= 32; p += 32, size -= 32)
    xfc_checksum_block(state, p);
  memcpy(state->pending, p, size);
  state->pending_size = size;
}
static inline uint64_t xfc_checksum_final(const xfc_checksum_state *state) {
  uint64_t h = xfc_checksum_rotl(state->lane[0], 1) +
               xfc_checksum_rotl(state->lane[1], 7) +
               xfc_checksum_rotl(state->lane[2], 12) +
               xfc_checksum_rotl(state->lane[3], 18);
  for (uint64_t i = 0; i < state->pending_size; ++i)
    h = xfc_checksum_round(h, state->pending[i]);
  h ^= state->total_size;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}
static inline uint64_t xfc_weights_checksum(const void *data, uint64_t size) {
  xfc_checksum_state state;
  xfc_checksum_init(&state);
  xfc_checksum_update(&state, data, size);
  return xfc_checksum_final(&state);
}

#ifdef __cplusplus
}
#endif

#endif /* XFC_C_ARTIFACT_H */
