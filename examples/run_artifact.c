/*===- run_artifact.c - Load and run an xfc artifact from C -------*- C -*-===*
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 *===----------------------------------------------------------------------===*
 *
 * The whole runtime API in one small program:
 *
 *   xfc model.onnx --target=cpu -o out/model
 *   run_artifact out/model [NUM_THREADS]
 *
 * prints the model's inputs and outputs, runs it once on placeholder inputs
 * (zeros; 1 in integer and bool inputs, so token ids stay in the embedding
 * table and attention masks attend) and prints the first values of each
 * output. Links only libxfc_runtime.
 *
 *===----------------------------------------------------------------------===*/

#include "xfc-c/runtime.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t count_elements(const xfc_tensor *tensor) {
  size_t count = 1;
  for (int32_t i = 0; i < tensor->rank; ++i)
    count *= (size_t)tensor->dims[i];
  return count;
}

static void print_description(const char *kind, const xfc_tensor *tensor) {
  printf("%s %s: %s [", kind, tensor->name, xfc_dtype_name(tensor->dtype));
  for (int32_t i = 0; i < tensor->rank; ++i)
    printf(i ? "x%" PRId64 : "%" PRId64, tensor->dims[i]);
  printf("]\n");
}

static int is_integer_or_bool(xfc_dtype dtype) {
  return dtype == XFC_DTYPE_I8 || dtype == XFC_DTYPE_U8 ||
         dtype == XFC_DTYPE_I16 || dtype == XFC_DTYPE_I32 ||
         dtype == XFC_DTYPE_I64 || dtype == XFC_DTYPE_BOOL;
}

static double half_to_double(uint16_t half) {
  int exponent = (half >> 10) & 0x1f;
  int mantissa = half & 0x3ff;
  double magnitude;
  if (exponent == 0) /* zero or subnormal */
    magnitude = ldexp(mantissa, -24);
  else if (exponent == 31)
    magnitude = mantissa ? NAN : INFINITY;
  else
    magnitude = ldexp(mantissa + 1024, exponent - 25);
  return (half & 0x8000) ? -magnitude : magnitude;
}

/* Element `index` of `data` as a double, for printing. */
static double element_as_double(xfc_dtype dtype, const void *data,
                                size_t index) {
  switch (dtype) {
  case XFC_DTYPE_F32:
    return ((const float *)data)[index];
  case XFC_DTYPE_F64:
    return ((const double *)data)[index];
  case XFC_DTYPE_BF16: {
    uint32_t bits = (uint32_t)((const uint16_t *)data)[index] << 16;
    float value;
    memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case XFC_DTYPE_F16:
    return half_to_double(((const uint16_t *)data)[index]);
  case XFC_DTYPE_I8:
    return ((const int8_t *)data)[index];
  case XFC_DTYPE_U8:
  case XFC_DTYPE_BOOL:
    return ((const uint8_t *)data)[index];
  case XFC_DTYPE_I16:
    return ((const int16_t *)data)[index];
  case XFC_DTYPE_I32:
    return ((const int32_t *)data)[index];
  case XFC_DTYPE_I64:
    return (double)((const int64_t *)data)[index];
  }
  return 0;
}

/* Zeros, or 1 in every integer or bool element. */
static void fill_placeholder(xfc_tensor *tensor) {
  size_t count = count_elements(tensor);
  size_t size = xfc_dtype_size(tensor->dtype);
  memset(tensor->data, 0, count * size);
  if (!is_integer_or_bool(tensor->dtype))
    return;
  for (size_t i = 0; i < count; ++i)
    ((unsigned char *)tensor->data)[i * size] = 1; /* little-endian 1 */
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr,
            "usage: %s PATH [NUM_THREADS]\n"
            "PATH is what was given to `xfc -o`: PATH.so and "
            "PATH.weights\n",
            argv[0]);
    return 2;
  }
  xfc_load_options options = {0};
  if (argc == 3)
    options.num_threads = atoi(argv[2]);

  xfc_model *model = NULL;
  xfc_error *error = NULL;
  if (xfc_model_load(argv[1], &options, &model, &error) != XFC_OK) {
    fprintf(stderr, "error: %s\n", xfc_error_message(error));
    xfc_error_free(error);
    return 1;
  }

  size_t num_inputs = xfc_model_num_inputs(model);
  size_t num_outputs = xfc_model_num_outputs(model);
  xfc_tensor *inputs = calloc(num_inputs + 1, sizeof(xfc_tensor));
  xfc_tensor *outputs = calloc(num_outputs + 1, sizeof(xfc_tensor));
  int status = 1;
  for (size_t i = 0; i < num_inputs; ++i) {
    inputs[i] = *xfc_model_input(model, i);
    print_description("input", &inputs[i]);
    inputs[i].data =
        calloc(count_elements(&inputs[i]) + 1, xfc_dtype_size(inputs[i].dtype));
    if (!inputs[i].data)
      goto cleanup;
    fill_placeholder(&inputs[i]);
  }
  for (size_t i = 0; i < num_outputs; ++i) {
    outputs[i] = *xfc_model_output(model, i);
    print_description("output", &outputs[i]);
    outputs[i].data = calloc(count_elements(&outputs[i]) + 1,
                             xfc_dtype_size(outputs[i].dtype));
    if (!outputs[i].data)
      goto cleanup;
  }

  if (xfc_model_run(model, inputs, num_inputs, outputs, num_outputs, &error) !=
      XFC_OK) {
    fprintf(stderr, "error: %s\n", xfc_error_message(error));
    xfc_error_free(error);
    goto cleanup;
  }
  for (size_t i = 0; i < num_outputs; ++i) {
    size_t count = count_elements(&outputs[i]);
    size_t shown = count < 8 ? count : 8;
    printf("%s:", outputs[i].name);
    for (size_t j = 0; j < shown; ++j)
      printf(" %g", element_as_double(outputs[i].dtype, outputs[i].data, j));
    if (count > shown)
      printf(" ... (%zu values)", count);
    printf("\n");
  }
  status = 0;

cleanup:
  for (size_t i = 0; i < num_inputs; ++i)
    free(inputs[i].data);
  for (size_t i = 0; i < num_outputs; ++i)
    free(outputs[i].data);
  free(inputs);
  free(outputs);
  xfc_model_free(model);
  return status;
}
