/*===- runtime-test.c - Drive libxfc_runtime from the lit tests ---*- C -*-===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * Plain C, so it also checks that xfc-c/runtime.h is valid C.
 *
 *   xfc-runtime-test load PATH              print the descriptions
 *   xfc-runtime-test run PATH [THREADS]     run on inputs whose element i is
 *                                           i % 10 + 1; print every output
 *   xfc-runtime-test bad-run PATH CASE      run with one thing wrong (CASE:
 *                                           input-dtype input-rank input-dims
 *                                           input-count output-count
 *                                           output-dtype null-data null-dims)
 *   xfc-runtime-test concurrent PATH THREADS RUNS
 *                                           THREADS threads each load the
 *                                           model and run it once, then run
 *                                           one shared model RUNS times;
 *                                           every result must equal a lone
 *                                           run's
 *   xfc-runtime-test api                    NULL and out-of-range arguments
 *
 * A failure prints "error XFC_ERROR_<STATUS>: <message>" on stdout and
 * exits with 1.
 *
 *===----------------------------------------------------------------------===*/

#include "xfc-c/runtime.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *status_name(xfc_status status) {
  switch (status) {
  case XFC_OK:
    return "XFC_OK";
  case XFC_ERROR_IO:
    return "XFC_ERROR_IO";
  case XFC_ERROR_FORMAT:
    return "XFC_ERROR_FORMAT";
  case XFC_ERROR_VERSION:
    return "XFC_ERROR_VERSION";
  case XFC_ERROR_TARGET:
    return "XFC_ERROR_TARGET";
  case XFC_ERROR_CPU:
    return "XFC_ERROR_CPU";
  case XFC_ERROR_CHECKSUM:
    return "XFC_ERROR_CHECKSUM";
  case XFC_ERROR_ARGUMENT:
    return "XFC_ERROR_ARGUMENT";
  case XFC_ERROR_INTERNAL:
    return "XFC_ERROR_INTERNAL";
  }
  return "?";
}

static int report(xfc_status status, xfc_error *error) {
  printf("error %s: %s\n", status_name(status), xfc_error_message(error));
  xfc_error_free(error);
  return 1;
}

/* Loads PATH or prints the error and exits. */
static xfc_model *load_or_exit(const char *path, int num_threads) {
  xfc_load_options options = {num_threads};
  xfc_model *model = NULL;
  xfc_error *error = NULL;
  xfc_status status = xfc_model_load(path, &options, &model, &error);
  if (status != XFC_OK)
    exit(report(status, error));
  return model;
}

static size_t count_elements(const xfc_tensor *tensor) {
  size_t count = 1;
  for (int32_t i = 0; i < tensor->rank; ++i)
    count *= (size_t)tensor->dims[i];
  return count;
}

/* Element i of an input is i % 10 + 1 in its dtype (f32 and i64 here;
   other dtypes get zeros, enough for argument checks). */
static void fill_input(xfc_tensor *tensor) {
  size_t count = count_elements(tensor);
  for (size_t i = 0; i < count; ++i) {
    if (tensor->dtype == XFC_DTYPE_F32)
      ((float *)tensor->data)[i] = (float)(i % 10 + 1);
    else if (tensor->dtype == XFC_DTYPE_I64)
      ((int64_t *)tensor->data)[i] = (int64_t)(i % 10 + 1);
  }
}

/* Tensors matching the model's descriptions, with allocated data. */
typedef struct buffers {
  size_t num_inputs, num_outputs;
  xfc_tensor *inputs, *outputs;
} buffers;

static buffers make_buffers(const xfc_model *model) {
  buffers b;
  b.num_inputs = xfc_model_num_inputs(model);
  b.num_outputs = xfc_model_num_outputs(model);
  b.inputs = calloc(b.num_inputs + 1, sizeof(xfc_tensor));
  b.outputs = calloc(b.num_outputs + 1, sizeof(xfc_tensor));
  for (size_t i = 0; i < b.num_inputs; ++i) {
    b.inputs[i] = *xfc_model_input(model, i);
    b.inputs[i].data = calloc(count_elements(&b.inputs[i]) + 1,
                              xfc_dtype_size(b.inputs[i].dtype));
    fill_input(&b.inputs[i]);
  }
  for (size_t i = 0; i < b.num_outputs; ++i) {
    b.outputs[i] = *xfc_model_output(model, i);
    b.outputs[i].data = calloc(count_elements(&b.outputs[i]) + 1,
                               xfc_dtype_size(b.outputs[i].dtype));
  }
  return b;
}

static void free_buffers(buffers *b) {
  for (size_t i = 0; i < b->num_inputs; ++i)
    free(b->inputs[i].data);
  for (size_t i = 0; i < b->num_outputs; ++i)
    free(b->outputs[i].data);
  free(b->inputs);
  free(b->outputs);
}

static void print_description(const char *kind, const xfc_tensor *tensor) {
  printf("%s '%s' %s [", kind, tensor->name, xfc_dtype_name(tensor->dtype));
  for (int32_t i = 0; i < tensor->rank; ++i)
    printf(i ? "x%" PRId64 : "%" PRId64, tensor->dims[i]);
  printf("]\n");
}

static int command_load(const char *path) {
  xfc_model *model = load_or_exit(path, 0);
  for (size_t i = 0; i < xfc_model_num_inputs(model); ++i)
    print_description("input", xfc_model_input(model, i));
  for (size_t i = 0; i < xfc_model_num_outputs(model); ++i)
    print_description("output", xfc_model_output(model, i));
  printf("loaded\n");
  xfc_model_free(model);
  return 0;
}

static void print_outputs(const buffers *b) {
  for (size_t i = 0; i < b->num_outputs; ++i) {
    printf("%s:", b->outputs[i].name);
    size_t count = count_elements(&b->outputs[i]);
    for (size_t j = 0; j < count; ++j)
      printf(" %g", ((const float *)b->outputs[i].data)[j]);
    printf("\n");
  }
}

static int command_run(const char *path, int num_threads) {
  xfc_model *model = load_or_exit(path, num_threads);
  buffers b = make_buffers(model);
  xfc_error *error = NULL;
  xfc_status status = xfc_model_run(model, b.inputs, b.num_inputs, b.outputs,
                                    b.num_outputs, &error);
  int result = 0;
  if (status == XFC_OK)
    print_outputs(&b);
  else
    result = report(status, error);
  free_buffers(&b);
  xfc_model_free(model);
  return result;
}

static int command_bad_run(const char *path, const char *which) {
  xfc_model *model = load_or_exit(path, 0);
  buffers b = make_buffers(model);
  size_t num_inputs = b.num_inputs, num_outputs = b.num_outputs;
  int64_t dims[8] = {0};
  if (!strcmp(which, "input-dtype")) {
    b.inputs[0].dtype = XFC_DTYPE_I32;
  } else if (!strcmp(which, "input-rank")) {
    b.inputs[0].rank -= 1;
  } else if (!strcmp(which, "input-dims")) {
    memcpy(dims, b.inputs[0].dims, b.inputs[0].rank * sizeof(int64_t));
    dims[b.inputs[0].rank - 1] += 1;
    b.inputs[0].dims = dims;
  } else if (!strcmp(which, "input-count")) {
    num_inputs -= 1;
  } else if (!strcmp(which, "output-count")) {
    num_outputs += 1;
  } else if (!strcmp(which, "output-dtype")) {
    b.outputs[0].dtype = (xfc_dtype)42;
  } else if (!strcmp(which, "null-data")) {
    free(b.outputs[0].data);
    b.outputs[0].data = NULL;
  } else if (!strcmp(which, "null-dims")) {
    b.inputs[0].dims = NULL;
  } else {
    fprintf(stderr, "unknown case %s\n", which);
    return 2;
  }
  xfc_error *error = NULL;
  xfc_status status = xfc_model_run(model, b.inputs, num_inputs, b.outputs,
                                    num_outputs, &error);
  int result = 0;
  if (status == XFC_OK)
    printf("unexpectedly ran\n");
  else
    result = report(status, error);
  free_buffers(&b);
  xfc_model_free(model);
  return result;
}

typedef struct worker {
  pthread_t thread;
  const char *path;
  const xfc_model *model;
  const buffers *reference;
  int runs;
  int mismatches;
  int failures;
} worker;

/* Compares every output of `b` with the reference run's. */
static int matches_reference(const buffers *b, const buffers *reference) {
  for (size_t i = 0; i < b->num_outputs; ++i)
    if (memcmp(b->outputs[i].data, reference->outputs[i].data,
               count_elements(&b->outputs[i]) *
                   xfc_dtype_size(b->outputs[i].dtype)))
      return 0;
  return 1;
}

/* Loads its own copy of the model (loads run concurrently too) and runs it
   once, then runs the shared model `runs` times. */
static void *run_worker(void *argument) {
  worker *w = argument;
  xfc_model *own = NULL;
  if (xfc_model_load(w->path, NULL, &own, NULL) != XFC_OK) {
    ++w->failures;
  } else {
    buffers b = make_buffers(own);
    if (xfc_model_run(own, b.inputs, b.num_inputs, b.outputs, b.num_outputs,
                      NULL) != XFC_OK)
      ++w->failures;
    else if (!matches_reference(&b, w->reference))
      ++w->mismatches;
    free_buffers(&b);
    xfc_model_free(own);
  }

  buffers b = make_buffers(w->model);
  for (int run = 0; run < w->runs; ++run) {
    for (size_t i = 0; i < b.num_outputs; ++i)
      memset(b.outputs[i].data, 0xff,
             count_elements(&b.outputs[i]) *
                 xfc_dtype_size(b.outputs[i].dtype));
    xfc_error *error = NULL;
    if (xfc_model_run(w->model, b.inputs, b.num_inputs, b.outputs,
                      b.num_outputs, &error) != XFC_OK) {
      ++w->failures;
      xfc_error_free(error);
      continue;
    }
    if (!matches_reference(&b, w->reference))
      ++w->mismatches;
  }
  free_buffers(&b);
  return NULL;
}

static int command_concurrent(const char *path, int num_threads, int runs) {
  xfc_model *model = load_or_exit(path, 0);
  buffers reference = make_buffers(model);
  xfc_error *error = NULL;
  xfc_status status =
      xfc_model_run(model, reference.inputs, reference.num_inputs,
                    reference.outputs, reference.num_outputs, &error);
  if (status != XFC_OK)
    return report(status, error);
  worker *workers = calloc((size_t)num_threads, sizeof(worker));
  for (int t = 0; t < num_threads; ++t) {
    workers[t].path = path;
    workers[t].model = model;
    workers[t].reference = &reference;
    workers[t].runs = runs;
    pthread_create(&workers[t].thread, NULL, run_worker, &workers[t]);
  }
  int mismatches = 0, failures = 0;
  for (int t = 0; t < num_threads; ++t) {
    pthread_join(workers[t].thread, NULL);
    mismatches += workers[t].mismatches;
    failures += workers[t].failures;
  }
  printf("%d threads x %d runs: %d failures, %d mismatches\n", num_threads,
         runs, failures, mismatches);
  free(workers);
  free_buffers(&reference);
  xfc_model_free(model);
  return failures || mismatches;
}

static int command_api(void) {
  xfc_model *model = NULL;
  xfc_error *error = NULL;
  xfc_status status = xfc_model_load(NULL, NULL, &model, &error);
  printf("load(NULL path): %s: %s\n", status_name(status),
         xfc_error_message(error));
  xfc_error_free(error);

  error = NULL;
  status = xfc_model_load("x", NULL, NULL, &error);
  printf("load(NULL model): %s: %s\n", status_name(status),
         xfc_error_message(error));
  xfc_error_free(error);

  xfc_load_options options = {-1};
  error = NULL;
  status = xfc_model_load("x", &options, &model, &error);
  printf("load(num_threads -1): %s: %s\n", status_name(status),
         xfc_error_message(error));
  xfc_error_free(error);

  /* No error out-parameter: only the status. */
  status = xfc_model_load("/nonexistent/model", NULL, &model, NULL);
  printf("load(no error pointer): %s, model %s\n", status_name(status),
         model ? "set" : "NULL");

  error = NULL;
  status = xfc_model_run(NULL, NULL, 0, NULL, 0, &error);
  printf("run(NULL model): %s: %s\n", status_name(status),
         xfc_error_message(error));
  xfc_error_free(error);

  printf("error_message(NULL): '%s', error_status(NULL): %s\n",
         xfc_error_message(NULL), status_name(xfc_error_status(NULL)));
  printf("dtype_name(i64): %s, dtype_size(i64): %zu, dtype_size(bf16): "
         "%zu\n",
         xfc_dtype_name(XFC_DTYPE_I64), xfc_dtype_size(XFC_DTYPE_I64),
         xfc_dtype_size(XFC_DTYPE_BF16));
  printf("dtype_name(42): %s, dtype_size(42): %zu\n",
         xfc_dtype_name((xfc_dtype)42) ? "non-NULL" : "NULL",
         xfc_dtype_size((xfc_dtype)42));
  printf("num_inputs(NULL): %zu, input(NULL, 0): %s\n",
         xfc_model_num_inputs(NULL),
         xfc_model_input(NULL, 0) ? "non-NULL" : "NULL");
  xfc_model_free(NULL);
  xfc_error_free(NULL);
  return 0;
}

int main(int argc, char **argv) {
  const char *command = argc > 1 ? argv[1] : "";
  if (!strcmp(command, "load") && argc == 3)
    return command_load(argv[2]);
  if (!strcmp(command, "run") && (argc == 3 || argc == 4))
    return command_run(argv[2], argc == 4 ? atoi(argv[3]) : 0);
  if (!strcmp(command, "bad-run") && argc == 4)
    return command_bad_run(argv[2], argv[3]);
  if (!strcmp(command, "concurrent") && argc == 5)
    return command_concurrent(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (!strcmp(command, "api") && argc == 2)
    return command_api();
  fprintf(stderr, "usage: see the comment at the top of runtime-test.c\n");
  return 2;
}
