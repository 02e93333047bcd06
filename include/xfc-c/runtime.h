/*===- xfc-c/runtime.h - The xfc runtime C API --------------------*- C -*-===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * Loads an artifact written by `xfc --target=cpu -o PATH`, describes its
 * inputs and outputs, and runs it. libxfc_runtime depends on libc, libdl
 * and oneDNN only (no MLIR, no LLVM).
 *
 *   xfc_model *model;
 *   xfc_error *error = NULL;
 *   if (xfc_model_load("out/bert", NULL, &model, &error) != XFC_OK) {
 *     fprintf(stderr, "%s\n", xfc_error_message(error));
 *     xfc_error_free(error);
 *   }
 *
 * Every function that can fail returns a status code and, when `error` is
 * not NULL, stores a heap-allocated error whose message says what is wrong
 * and what to do; free it with xfc_error_free. A loaded model is immutable:
 * any number of threads may call xfc_model_run on it at once.
 *
 *===----------------------------------------------------------------------===*/

#ifndef XFC_C_RUNTIME_H
#define XFC_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xfc_status {
  XFC_OK = 0,
  XFC_ERROR_IO,        /* a file is missing, unreadable or unmappable */
  XFC_ERROR_FORMAT,    /* not an xfc artifact, or a malformed one */
  XFC_ERROR_VERSION,   /* written for another artifact format version */
  XFC_ERROR_TARGET,    /* compiled for another target */
  XFC_ERROR_CPU,       /* needs CPU features this machine lacks */
  XFC_ERROR_CHECKSUM,  /* the weights do not match the code */
  XFC_ERROR_ARGUMENT,  /* wrong inputs/outputs passed to a call */
  XFC_ERROR_INTERNAL,  /* oneDNN or the system failed */
} xfc_status;

typedef enum xfc_dtype {
  XFC_DTYPE_F32 = 0,
  XFC_DTYPE_F16,
  XFC_DTYPE_BF16,
  XFC_DTYPE_F64,
  XFC_DTYPE_I8,
  XFC_DTYPE_U8,
  XFC_DTYPE_I16,
  XFC_DTYPE_I32,
  XFC_DTYPE_I64,
  XFC_DTYPE_BOOL, /* one byte per element, 0 or 1 */
} xfc_dtype;

typedef struct xfc_error xfc_error;
typedef struct xfc_model xfc_model;

/* A tensor passed to or described by the runtime: dense, row-major. */
typedef struct xfc_tensor {
  const char *name; /* ignored when passed to xfc_model_run */
  xfc_dtype dtype;
  int32_t rank;
  const int64_t *dims;
  void *data; /* NULL in descriptions */
} xfc_tensor;

typedef struct xfc_load_options {
  /* Threads for the model's oneDNN work; 0 keeps the default
     (OMP_NUM_THREADS, else all cores). OpenMP keeps this setting per
     thread, so xfc_model_load and each xfc_model_run of the model set it
     (omp_set_num_threads) on the thread that calls them; other OpenMP code
     run later on those threads sees it too. */
  int32_t num_threads;
} xfc_load_options;

/* A NULL error reads as "" and XFC_OK. */
const char *xfc_error_message(const xfc_error *error);
xfc_status xfc_error_status(const xfc_error *error);
void xfc_error_free(xfc_error *error);

/* The spelling used in metadata and messages: "f32", "i64", "bool", ...
   A value outside the enum has no name (NULL) and size 0. */
const char *xfc_dtype_name(xfc_dtype dtype);
size_t xfc_dtype_size(xfc_dtype dtype);

/* `path` is what was given to `xfc -o`: loads PATH.so and PATH.weights
   (a path ending in ".so" names the library itself). Checks the format
   version, the target, the CPU features and the weights checksum, creates
   the oneDNN primitives and reorders constant weights once. */
xfc_status xfc_model_load(const char *path, const xfc_load_options *options,
                          xfc_model **model, xfc_error **error);
void xfc_model_free(xfc_model *model);

size_t xfc_model_num_inputs(const xfc_model *model);
size_t xfc_model_num_outputs(const xfc_model *model);
/* Descriptions owned by the model, valid until xfc_model_free. */
const xfc_tensor *xfc_model_input(const xfc_model *model, size_t index);
const xfc_tensor *xfc_model_output(const xfc_model *model, size_t index);

/* Runs the model once. Inputs and outputs in description order; each must
   match its description's dtype and shape exactly (the error names the
   tensor, expected and got). Output buffers are caller-allocated. */
xfc_status xfc_model_run(const xfc_model *model, const xfc_tensor *inputs,
                         size_t num_inputs, const xfc_tensor *outputs,
                         size_t num_outputs, xfc_error **error);

#ifdef __cplusplus
}
#endif

#endif /* XFC_C_RUNTIME_H */
