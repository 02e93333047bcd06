//===- ArtifactTest.cpp - Metadata, weights and CPU checks of the runtime -===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// The runtime's load-time checks on inputs that are tedious to build as
// shared libraries (each malformed metadata line) or as files written in lit
// (each bad weights header). test/Runtime covers the same paths end to end.
//
//===----------------------------------------------------------------------===//

#include "CpuFeatures.h"
#include "Error.h"
#include "Metadata.h"
#include "WeightsFile.h"

#include "xfc-c/artifact.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <unistd.h>
#include <vector>

using namespace xfc::runtime;

namespace {

constexpr const char *kGood = "xfc-artifact 4\n"
                              "target cpu\n"
                              "triple x86_64-unknown-linux-gnu\n"
                              "cpu skylake-avx512\n"
                              "cpu-features avx2 avx512f\n"
                              "weights-size 512\n"
                              "weights-checksum 00000000deadBEEF\n"
                              "input input_ids i64 1x128\n"
                              "input a%20b%2Fc bool -\n"
                              "output logits f32 1x128x2\n"
                              "matmul 3 f32 2x1x4x8:32x32x8x1 "
                              "1x3x8x4:96x32x4x1 2x3x4x4:48x16x4x1 "
                              "1x1x1x4:4x4x4x1 1 0\n"
                              "end\n";

/// Runs `body`, expecting a RuntimeError with `status` whose message
/// contains `part`.
void expectError(const std::function<void()> &body, xfc_status status,
                 const std::string &part) {
  try {
    body();
    ADD_FAILURE() << "no error; expected one containing: " << part;
  } catch (const RuntimeError &error) {
    EXPECT_EQ(error.getStatus(), status) << error.what();
    EXPECT_NE(std::string(error.what()).find(part), std::string::npos)
        << "message: " << error.what() << "\nexpected to contain: " << part;
  }
}

/// kGood with the line starting with `prefix` replaced by `line` (or
/// removed when `line` is empty).
std::string replaceLine(const std::string &prefix, const std::string &line) {
  std::string text = kGood;
  size_t start = text.find("\n" + prefix) + 1;
  size_t end = text.find('\n', start) + 1;
  return text.replace(start, end - start, line.empty() ? "" : line + "\n");
}

TEST(Metadata, ParsesEveryRecord) {
  Metadata metadata = parseMetadata(kGood, "m.so");
  EXPECT_EQ(metadata.target, "cpu");
  EXPECT_EQ(metadata.triple, "x86_64-unknown-linux-gnu");
  EXPECT_EQ(metadata.cpu, "skylake-avx512");
  EXPECT_EQ(metadata.cpuFeatures,
            (std::vector<std::string>{"avx2", "avx512f"}));
  EXPECT_EQ(metadata.weightsSize, 512u);
  EXPECT_EQ(metadata.weightsChecksum, 0xdeadbeefULL);
  ASSERT_EQ(metadata.inputs.size(), 2u);
  EXPECT_EQ(metadata.inputs[0].name, "input_ids");
  EXPECT_EQ(metadata.inputs[0].dtype, XFC_DTYPE_I64);
  EXPECT_EQ(metadata.inputs[0].dims, (std::vector<int64_t>{1, 128}));
  EXPECT_EQ(metadata.inputs[1].name, "a b/c");
  EXPECT_EQ(metadata.inputs[1].dtype, XFC_DTYPE_BOOL);
  EXPECT_TRUE(metadata.inputs[1].dims.empty());
  ASSERT_EQ(metadata.outputs.size(), 1u);
  EXPECT_EQ(metadata.outputs[0].dims, (std::vector<int64_t>{1, 128, 2}));
  ASSERT_EQ(metadata.matmuls.size(), 1u);
  const MatmulDesc &matmul = metadata.matmuls[0];
  EXPECT_EQ(matmul.id, 3);
  EXPECT_EQ(matmul.lineNumber, 11);
  EXPECT_EQ(matmul.a.dims, (std::vector<int64_t>{2, 1, 4, 8}));
  EXPECT_EQ(matmul.b.strides, (std::vector<int64_t>{96, 32, 4, 1}));
  ASSERT_TRUE(matmul.bias.has_value());
  EXPECT_EQ(matmul.bias->dims, (std::vector<int64_t>{1, 1, 1, 4}));
  EXPECT_TRUE(matmul.accumulate);
  EXPECT_EQ(matmul.bWeightOffset, 0);
}

TEST(Metadata, OtherVersion) {
  expectError([] { parseMetadata("xfc-artifact 2\nanything\n", "m.so"); },
              XFC_ERROR_VERSION,
              "m.so: artifact format version 2, this runtime reads version "
              "4: recompile the model with this xfc");
}

TEST(Metadata, OtherTargetBeforeItsRecords) {
  expectError(
      [] {
        parseMetadata("xfc-artifact 4\ntarget cuda\nptx-kernel k\n", "m.so");
      },
      XFC_ERROR_TARGET, "m.so was compiled for target 'cuda'");
}

TEST(Metadata, NotAnArtifact) {
  expectError([] { parseMetadata("", "m.so"); }, XFC_ERROR_FORMAT,
              "m.so: the metadata does not start with 'xfc-artifact");
  expectError([] { parseMetadata("hello\n", "m.so"); }, XFC_ERROR_FORMAT,
              "not an xfc artifact");
}

TEST(Metadata, MissingLines) {
  std::string text = kGood;
  expectError([&] { parseMetadata(text.substr(0, text.size() - 4), "m.so"); },
              XFC_ERROR_FORMAT, "m.so: the metadata has no 'end' line");
  expectError([] { parseMetadata(replaceLine("target", ""), "m.so"); },
              XFC_ERROR_FORMAT, "the metadata has no 'target' line");
  expectError(
      [] { parseMetadata(replaceLine("weights-checksum", ""), "m.so"); },
      XFC_ERROR_FORMAT, "the metadata has no 'weights-checksum' line");
}

struct MalformedCase {
  const char *prefix; ///< The line of kGood to replace.
  const char *line;
  const char *message;
};

TEST(Metadata, SparseWeightsLine) {
  Metadata metadata = parseMetadata(
      replaceLine("weights-checksum",
                  "weights-checksum 00000000deadBEEF\nweights-sparse 0 48"),
      "m.so");
  EXPECT_EQ(metadata.weightsStoredSize, 0u);
  EXPECT_EQ(metadata.weightsSparseSize, 48u);
  EXPECT_EQ(parseMetadata(kGood, "m.so").weightsStoredSize, 512u);
  expectError(
      [] {
        parseMetadata(replaceLine("weights-checksum",
                                  "weights-checksum 00000000deadBEEF\n"
                                  "weights-sparse 4096 48"),
                      "m.so");
      },
      XFC_ERROR_FORMAT,
      "the weights-sparse line's stored size 4096 is not below the "
      "weights-size 512");
}

TEST(Metadata, MalformedLinesNameTheLine) {
  const MalformedCase cases[] = {
      {"xfc-artifact", "xfc-artifact one",
       "line 1 'xfc-artifact one': the "
       "version must be an integer"},
      {"target", "target  cpu", "line 2 'target  cpu': expected 'target"},
      {"cpu-features", "cpu-features avx2  avx512f",
       "features are separated by single spaces"},
      {"weights-size", "weights-size -1",
       "line 6 'weights-size -1': the size must be a non-negative integer"},
      {"weights-checksum", "weights-checksum 1234",
       "the checksum must be 16 hex digits"},
      {"weights-checksum", "weights-checksum 00000000deadbeeg",
       "the checksum must be 16 hex digits"},
      {"weights-checksum", "weights-checksum 00000000deadBEEF\nweights-sparse 100 48",
       "the stored size must be a multiple of 4096 and the sparse size a "
       "positive integer"},
      {"weights-checksum", "weights-checksum 00000000deadBEEF\nweights-sparse 0 0",
       "the stored size must be a multiple of 4096 and the sparse size a "
       "positive integer"},
      {"weights-checksum", "weights-checksum 00000000deadBEEF\nweights-sparse 0",
       "expected 'weights-sparse <stored-size> <sparse-size>'"},
      {"input input_ids", "input input_ids i64 1x128 extra",
       "expected '<input|output> <name> <dtype> <dims>'"},
      {"input input_ids", "input input_ids int64 1x128",
       "unknown dtype 'int64'"},
      {"input input_ids", "input input_ids i64 1x-128", "dims must be like"},
      {"input input_ids", "input input_ids i64 1xx128", "dims must be like"},
      {"input input_ids", "input input%2 i64 1x128", "bad name"},
      {"input input_ids", "input in$put i64 1x128", "bad name"},
      {"output", "output logits f32 ", "dims must be like"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0",
       "expected 'matmul <id> <dtype>"},
      {"matmul", "matmul -2 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1",
       "the id must be a non-negative integer"},
      {"matmul", "matmul 0 bf16 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1",
       "matmul dtype 'bf16': this runtime supports f32 only"},
      {"matmul", "matmul 0 f32 2x3 3x4:4x1 2x4:4x1 - 0 -1",
       "operand a must be 'DIMS:STRIDES'"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4 2x4:4x1 - 0 -1",
       "operand b has 2 dims but 1 strides"},
      {"matmul", "matmul 0 f32 6:1 6:1 1:1 - 0 -1",
       "operands must have rank 2 or more"},
      {"matmul", "matmul 0 f32 2x3:3x1 1x3x4:12x4x1 2x4:4x1 - 0 -1",
       "must all have the same rank"},
      {"matmul", "matmul 0 f32 2x3:3x1 5x4:4x1 2x4:4x1 - 0 -1",
       "their K differ"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x5:5x1 - 0 -1",
       "c must be [..., M, N]"},
      {"matmul", "matmul 0 f32 2x2x3:6x3x1 3x3x4:12x4x1 3x2x4:8x4x1 - 0 -1",
       "batch dim 0 of a and b must be equal or 1"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 2x1:1x1 0 -1",
       "bias must be [1..., 1 or M, N]"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 2 -1",
       "beta must be 0 or 1"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -7",
       "b-weight-offset must be -1 or a byte offset"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1 relu",
       "unknown activation 'relu': expected '-', 'gelu_erf', 'gelu_tanh' or "
       "'add'"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 1 -1 add",
       "a residual 'add' needs beta 0"},
      {"matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1 gelu_erf x",
       "expected 'matmul <id> <dtype>"},
      {"end", "end now", "expected 'end'"},
      {"end", "frobnicate 1", "unknown record 'frobnicate'"},
      {"triple", "target cpu", "a second 'target' line"},
      {"end", "end\nend", "line 13 'end': text after the 'end' line"},
      {"end", "\x01\x02", "line 12 '?\?': unknown record '?\?'"},
  };
  for (const MalformedCase &c : cases) {
    SCOPED_TRACE(c.line);
    expectError([&] { parseMetadata(replaceLine(c.prefix, c.line), "m.so"); },
                XFC_ERROR_FORMAT, "m.so: malformed metadata line ");
    expectError([&] { parseMetadata(replaceLine(c.prefix, c.line), "m.so"); },
                XFC_ERROR_FORMAT, c.message);
  }
}

TEST(Metadata, DuplicateMatmulIds) {
  std::string text =
      replaceLine("matmul", "matmul 1 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1\n"
                            "matmul 1 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1");
  expectError([&] { parseMetadata(text, "m.so"); }, XFC_ERROR_FORMAT,
              "line 12 'matmul 1 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1': a "
              "second matmul with id 1");
}

constexpr const char *kMatmulLine =
    "matmul 3 f32 2x1x4x8:32x32x8x1 1x3x8x4:96x32x4x1 2x3x4x4:48x16x4x1 "
    "1x1x1x4:4x4x4x1 1 0";

TEST(Metadata, Fpmath) {
  EXPECT_EQ(parseMetadata(kGood, "m.so").fpmath, "");
  Metadata metadata = parseMetadata(
      replaceLine("weights-size", "fpmath bf16\nweights-size 512"), "m.so");
  EXPECT_EQ(metadata.fpmath, "bf16");
  expectError(
      [] {
        parseMetadata(replaceLine("weights-size", "fpmath f16\nweights-size 512"),
                      "m.so");
      },
      XFC_ERROR_FORMAT, "the only fpmath mode is bf16");
  expectError(
      [] {
        parseMetadata(replaceLine("weights-size", "fpmath\nweights-size 512"),
                      "m.so");
      },
      XFC_ERROR_FORMAT, "fpmath bf16");
}

TEST(Metadata, MatmulActivation) {
  Metadata metadata = parseMetadata(
      replaceLine("matmul",
                  "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1 gelu_tanh\n"
                  "matmul 1 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 -1 -"),
      "m.so");
  ASSERT_EQ(metadata.matmuls.size(), 2u);
  EXPECT_EQ(metadata.matmuls[0].activation, "gelu_tanh");
  EXPECT_EQ(metadata.matmuls[1].activation, "");
}

TEST(Metadata, Attention) {
  Metadata metadata = parseMetadata(
      replaceLine("matmul", std::string(kMatmulLine) +
                                "\nattention 0 f32 2x12x4x128x130x64x32 "
                                "98304x64x768 33280x64x256 16640x32x128 "
                                "49152x32x384 bool:130x0x0x1 1.25e-01 1"),
      "m.so");
  ASSERT_EQ(metadata.attentions.size(), 1u);
  const AttentionDesc &attention = metadata.attentions[0];
  EXPECT_EQ(attention.lineNumber, 12);
  const AttentionShape &shape = attention.shape;
  EXPECT_EQ(shape.batch, 2);
  EXPECT_EQ(shape.numHeads, 12);
  EXPECT_EQ(shape.numKvHeads, 4);
  EXPECT_EQ(shape.querySeq, 128);
  EXPECT_EQ(shape.keySeq, 130);
  EXPECT_EQ(shape.headDim, 64);
  EXPECT_EQ(shape.valueHeadDim, 32);
  EXPECT_EQ(shape.keyStrides[0], 33280);
  EXPECT_EQ(shape.outputStrides[2], 384);
  EXPECT_EQ(shape.maskKind, AttentionMaskKind::Bool);
  EXPECT_EQ(shape.maskStrides[0], 130);
  EXPECT_EQ(shape.maskStrides[3], 1);
  EXPECT_FLOAT_EQ(shape.scale, 0.125f);
  EXPECT_TRUE(shape.causal);
  EXPECT_EQ(checkAttentionShape(shape), "");

  const std::string good =
      "attention 0 f32 1x2x2x4x4x8x8 64x32x8 64x32x8 64x32x8 64x32x8";
  const std::pair<std::string, const char *> cases[] = {
      {"attention 0 f32 1x2x2x4x4x8x8 64x32x8 64x32x8",
       "expected 'attention <id> <dtype> <sizes>"},
      {"attention x f32 1x2x2x4x4x8x8 64x32x8 64x32x8 64x32x8 64x32x8 - 1 0",
       "the id must be a non-negative integer"},
      {"attention 0 f16 1x2x2x4x4x8x8 64x32x8 64x32x8 64x32x8 64x32x8 - 1 0",
       "attention dtype 'f16': this runtime supports f32 only"},
      {"attention 0 f32 1x2x2x4x4x8 64x32x8 64x32x8 64x32x8 64x32x8 - 1 0",
       "sizes must be 7 integers"},
      {"attention 0 f32 1x2x2x4x4x8x8 64x32 64x32x8 64x32x8 64x32x8 - 1 0",
       "q-strides must be 3 integers"},
      {good + " f16:0x0x0x1 1 0",
       "mask must be '-', 'bool:STRIDES' or 'f32:STRIDES'"},
      {good + " f32:0x0x1 1 0", "mask strides must be 4 integers"},
      {good + " - x 0", "scale must be a number"},
      {good + " - 1 2", "causal must be 0 or 1"},
  };
  for (const auto &[line, message] : cases) {
    SCOPED_TRACE(line);
    expectError([&] { parseMetadata(replaceLine("matmul", line), "m.so"); },
                XFC_ERROR_FORMAT, message);
  }
  std::string twice =
      "attention 1 f32 1x2x2x4x4x8x8 64x32x8 64x32x8 64x32x8 64x32x8 - 1 0";
  expectError(
      [&] { parseMetadata(replaceLine("matmul", twice + "\n" + twice), "m.so"); },
      XFC_ERROR_FORMAT, "a second attention with id 1");
}

TEST(Metadata, ConstantBMustLieInTheWeights) {
  // B is 3x4 f32 = 48 bytes; the region is 512 bytes.
  parseMetadata(
      replaceLine("matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 464"),
      "m.so");
  // Unaligned offsets are fine: B may be a view into a weight tensor.
  parseMetadata(
      replaceLine("matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 2x4:4x1 - 0 4"),
      "m.so");
  expectError(
      [] {
        parseMetadata(replaceLine("matmul", "matmul 0 f32 2x3:3x1 3x4:4x1 "
                                            "2x4:4x1 - 0 468"),
                      "m.so");
      },
      XFC_ERROR_FORMAT,
      "m.so: metadata line 11 (matmul 0): constant b at byte 468 extends past "
      "the end of the 512-byte weights");
  // Strides reaching far past the dims' dense size.
  expectError(
      [] {
        parseMetadata(replaceLine("matmul", "matmul 0 f32 2x3:3x1 "
                                            "3x4:1000x1 2x4:4x1 - 0 0"),
                      "m.so");
      },
      XFC_ERROR_FORMAT, "extends past the end");
  // Overflowing extents.
  expectError(
      [] {
        parseMetadata(replaceLine("matmul",
                                  "matmul 0 f32 2x3:3x1 "
                                  "3x4:4611686018427387904x1 2x4:4x1 - 0 0"),
                      "m.so");
      },
      XFC_ERROR_FORMAT, "extends past the end");
}

TEST(Metadata, QuantMatmul) {
  Metadata metadata = parseMetadata(
      replaceLine("matmul",
                  std::string(kMatmulLine) +
                      "\nqmatmul 2 w8a8 4x8x16 20 9 0 128 - 192 - 0.05:128 "
                      "gelu_erf\nqmatmul 3 w4 1x8x32 32 8 256 384 448 - 16 - "
                      "add\nqmatmul 4 w8a8-dynamic 2x8x16 16 8 0 128 - - - - -"),
      "m.so");
  ASSERT_EQ(metadata.qmatmuls.size(), 3u);
  const QuantMatmulDesc &w8a8 = metadata.qmatmuls[0];
  EXPECT_EQ(w8a8.id, 2);
  EXPECT_EQ(w8a8.lineNumber, 12);
  EXPECT_EQ(w8a8.kind, QuantMatmulKind::W8A8);
  EXPECT_EQ(w8a8.m, 4);
  EXPECT_EQ(w8a8.n, 8);
  EXPECT_EQ(w8a8.k, 16);
  EXPECT_EQ(w8a8.aRowStride, 20);
  EXPECT_EQ(w8a8.cRowStride, 9);
  EXPECT_EQ(w8a8.weightOffset, 0);
  EXPECT_EQ(w8a8.scalesOffset, 128);
  EXPECT_EQ(w8a8.offsetsOffset, -1);
  EXPECT_EQ(w8a8.biasOffset, 192);
  EXPECT_EQ(w8a8.group, 0);
  EXPECT_FLOAT_EQ(w8a8.inputScale, 0.05f);
  EXPECT_EQ(w8a8.inputZeroPoint, 128);
  EXPECT_EQ(w8a8.activation, "gelu_erf");
  const QuantMatmulDesc &w4 = metadata.qmatmuls[1];
  EXPECT_EQ(w4.kind, QuantMatmulKind::W4);
  EXPECT_EQ(w4.offsetsOffset, 448);
  EXPECT_EQ(w4.biasOffset, -1);
  EXPECT_EQ(w4.group, 16);
  EXPECT_EQ(w4.activation, "add");
  EXPECT_EQ(metadata.qmatmuls[2].kind, QuantMatmulKind::W8A8Dynamic);
  EXPECT_EQ(metadata.qmatmuls[2].activation, "");
  EXPECT_STREQ(getQuantMatmulKindName(QuantMatmulKind::W8A8Dynamic),
               "w8a8-dynamic");
}

TEST(Metadata, MalformedQuantMatmulLinesNameTheLine) {
  // Prefixes of a good w8a8 line and a good w8 line (N 8, K 16).
  const std::string w8a8 = "qmatmul 2 w8a8 4x8x16 16 8 0 128 - 192";
  const std::string w8 = "qmatmul 2 w8 4x8x16 16 8 0 128";
  const std::pair<std::string, const char *> cases[] = {
      {w8a8 + " - 0.05:128", "expected 'qmatmul <id> <kind> <MxNxK>"},
      {"qmatmul x w8a8 4x8x16 16 8 0 128 - 192 - 0.05:128 -",
       "the id must be a non-negative integer"},
      {"qmatmul 2 w2 4x8x16 16 8 0 128 - 192 - 0.05:128 -",
       "unknown qmatmul kind 'w2': expected 'w8a8', 'w8a8-dynamic', 'w8' or "
       "'w4'"},
      {"qmatmul 2 w8a8 4x8 16 8 0 128 - 192 - 0.05:128 -",
       "MxNxK must be 3 integers"},
      {"qmatmul 2 w8a8 0x8x16 16 8 0 128 - 192 - 0.05:128 -",
       "M, N and K must be positive"},
      {"qmatmul 2 w8a8 4x8x16 15 8 0 128 - 192 - 0.05:128 -",
       "a-row-stride must be an integer >= K (16)"},
      {"qmatmul 2 w8a8 4x8x16 16 x 0 128 - 192 - 0.05:128 -",
       "c-row-stride must be an integer >= N (8)"},
      {"qmatmul 2 w8a8 4x8x16 16 8 - 128 - 192 - 0.05:128 -",
       "the weight operand is required"},
      {"qmatmul 2 w8a8 4x8x16 16 8 32 128 - 192 - 0.05:128 -",
       "weight offset 32 is not a multiple of 64"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 -64 - 192 - 0.05:128 -",
       "scales must be a byte offset into the weights"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 128 256 192 - 0.05:128 -",
       "w8a8 has no offsets (zero points are folded into the bias)"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 128 - - - 0.05:128 -",
       "w8a8 needs a bias: it holds the zero-point compensation"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 128 - 192 16 0.05:128 -",
       "w8a8 has no group: expected '-'"},
      {w8a8 + " - - -",
       "w8a8 needs input-quant 'S:Z' (the input's scale and u8 zero point)"},
      {w8a8 + " - 0.05 -", "w8a8 needs input-quant 'S:Z'"},
      {w8a8 + " - 0.05:1:2 -", "w8a8 needs input-quant 'S:Z'"},
      {w8a8 + " - 0:128 -", "the input scale must be finite and positive"},
      {w8a8 + " - inf:128 -", "the input scale must be finite and positive"},
      {w8a8 + " - 0.05:256 -",
       "the input zero point must be in [0, 255] (u8)"},
      {w8a8 + " - 0.05:128 relu", "unknown activation 'relu'"},
      {w8 + " - - - - -", "group must be a positive integer dividing K (16)"},
      {w8 + " - - 5 - -", "group must be a positive integer dividing K (16)"},
      {w8 + " - - 0 - -", "group must be a positive integer dividing K (16)"},
      {w8 + " - - 4 0.05:1 -", "w8 has no input-quant: expected '-'"},
      {"qmatmul 2 w4 4x8x15 15 8 0 128 - - 5 - -",
       "w4 packs two weights per byte along K: K (15) must be even"},
      {"qmatmul 2 w8a8-dynamic 4x8x16 16 8 0 128 - - - 0.05:1 -",
       "w8a8-dynamic has no input-quant: expected '-'"},
  };
  for (const auto &[line, message] : cases) {
    SCOPED_TRACE(line);
    expectError([&] { parseMetadata(replaceLine("matmul", line), "m.so"); },
                XFC_ERROR_FORMAT,
                "m.so: malformed metadata line 11 '" + line.substr(0, 20));
    expectError([&] { parseMetadata(replaceLine("matmul", line), "m.so"); },
                XFC_ERROR_FORMAT, message);
  }
  const std::string twice = "qmatmul 1 w8 1x8x16 16 8 0 128 - - 16 - -";
  expectError(
      [&] { parseMetadata(replaceLine("matmul", twice + "\n" + twice), "m.so"); },
      XFC_ERROR_FORMAT, "line 12 '" + twice + "': a second qmatmul with id 1");
}

TEST(Metadata, QuantMatmulOperandsMustLieInTheWeights) {
  // The region is 512 bytes; N 8, K 16.
  const std::pair<std::string, std::string> cases[] = {
      {"qmatmul 2 w8a8 4x8x16 16 8 448 0 - 64 - 1:0 -",
       "weight at byte 448 (128 bytes) extends past the end of the 512-byte "
       "weights"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 512 - 192 - 1:0 -",
       "scales at byte 512 (32 bytes) extends past the end"},
      {"qmatmul 2 w8a8 4x8x16 16 8 0 128 - 512 - 1:0 -",
       "bias at byte 512 (32 bytes) extends past the end"},
      // Group scales and offsets: [N, K / group] = 8 × 8 floats.
      {"qmatmul 2 w8 4x8x16 16 8 0 320 - - 2 - -",
       "scales at byte 320 (256 bytes) extends past the end"},
      {"qmatmul 2 w4 4x8x16 16 8 0 128 320 - 2 - -",
       "offsets at byte 320 (256 bytes) extends past the end"},
      // Overflowing sizes.
      {"qmatmul 2 w8 1x4611686018427387904x16 16 4611686018427387904 0 128 - "
       "- 16 - -",
       "weight at byte 0 extends past the end"},
  };
  for (const auto &[line, message] : cases) {
    SCOPED_TRACE(line);
    expectError([&] { parseMetadata(replaceLine("matmul", line), "m.so"); },
                XFC_ERROR_FORMAT,
                "m.so: metadata line 11 (qmatmul 2): " + message);
  }
  // Right up to the end is fine; w4 takes N·K/2 bytes.
  parseMetadata(replaceLine("matmul",
                            "qmatmul 2 w8a8 4x8x16 16 8 384 0 - 448 - 1:0 -\n"
                            "qmatmul 3 w4 4x8x16 16 8 448 0 256 - 2 - -"),
                "m.so");
}

TEST(CpuFeatures, MissingAndUnknown) {
  // Every x86-64 CPU has SSE2; none made since 2017 has the Xeon Phi ones.
  EXPECT_TRUE(findMissingCpuFeatures({"sse2"}).empty());
  EXPECT_EQ(findMissingCpuFeatures({"sse2", "avx512er", "no-such-feature"}),
            (std::vector<std::string>{
                "avx512er", "no-such-feature (unknown to this runtime)"}));
}

//===----------------------------------------------------------------------===//
// Weights files
//===----------------------------------------------------------------------===//

class WeightsFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/xfc-weights-XXXXXX";
    int fd = ::mkstemp(pattern);
    ASSERT_GE(fd, 0);
    ::close(fd);
    path = pattern;
    for (int i = 0; i < 100; ++i)
      data.push_back(static_cast<char>(i * 7));
    metadata.weightsSize = data.size();
    metadata.weightsChecksum = xfc_weights_checksum(data.data(), data.size());
    std::memcpy(header.magic, XFC_WEIGHTS_MAGIC, sizeof(header.magic));
    header.version = XFC_ARTIFACT_VERSION;
    header.data_offset = XFC_WEIGHTS_HEADER_SIZE;
    header.data_size = data.size();
    header.checksum = metadata.weightsChecksum;
    header.stored_size = metadata.weightsStoredSize = data.size();
  }
  void TearDown() override { std::remove(path.c_str()); }

  /// Writes `header`, padding to XFC_WEIGHTS_HEADER_SIZE, then `data`.
  void write() {
    std::vector<char> bytes(XFC_WEIGHTS_HEADER_SIZE, 0);
    std::memcpy(bytes.data(), &header, sizeof(header));
    bytes.insert(bytes.end(), data.begin(), data.end());
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), bytes.size());
  }

  std::string path;
  std::vector<char> data;
  Metadata metadata;
  xfc_weights_header header = {};
};

TEST_F(WeightsFileTest, Good) {
  write();
  WeightsFile weights;
  weights.open(path, metadata);
  ASSERT_EQ(weights.getDataSize(), data.size());
  EXPECT_EQ(std::memcmp(weights.getData(), data.data(), data.size()), 0);
}

TEST_F(WeightsFileTest, EmptyRegion) {
  data.clear();
  metadata.weightsSize = 0;
  metadata.weightsChecksum = header.checksum = xfc_weights_checksum("", 0);
  header.data_size = 0;
  header.stored_size = metadata.weightsStoredSize = 0;
  write();
  WeightsFile weights;
  weights.open(path, metadata);
  EXPECT_EQ(weights.getDataSize(), 0u);
}

/// A region of 4096 stored bytes and one 64-byte tensor (16 words, 3 of
/// them nonzero) at 4096 in the sparse section, which the tests damage.
class SparseWeightsTest : public WeightsFileTest {
protected:
  void SetUp() override {
    WeightsFileTest::SetUp();
    data.assign(4096 + 64, 0);
    for (int i = 0; i < 4096; ++i)
      data[i] = static_cast<char>(i * 13);
    const uint32_t values[3] = {0x3f800000u, 7u, 0xbf000000u};
    const int words[3] = {0, 5, 15};
    for (int i = 0; i < 3; ++i)
      std::memcpy(data.data() + 4096 + 4 * words[i], &values[i], 4);
    record = {4096, 64, 3};
    bitmap.assign(8, 0);
    bitmap[0] = 0x21;             // words 0 and 5
    bitmap[1] = char(0x80);       // word 15
    packed.assign(16, 0);
    std::memcpy(packed.data(), values, 12);
  }

  /// The section, header and metadata for the current record, bitmap and
  /// values (cut to `sectionSize` bytes when given), then the file.
  void writeSparse(std::optional<size_t> sectionSize = std::nullopt) {
    std::vector<char> section(sizeof(record));
    std::memcpy(section.data(), &record, sizeof(record));
    section.insert(section.end(), bitmap.begin(), bitmap.end());
    section.insert(section.end(), packed.begin(), packed.end());
    if (sectionSize)
      section.resize(*sectionSize);
    metadata.weightsSize = header.data_size = data.size();
    metadata.weightsChecksum = header.checksum =
        xfc_weights_checksum(data.data(), data.size());
    metadata.weightsStoredSize = header.stored_size = 4096;
    metadata.weightsSparseSize = header.sparse_size = section.size();
    std::vector<char> bytes(XFC_WEIGHTS_HEADER_SIZE, 0);
    std::memcpy(bytes.data(), &header, sizeof(header));
    bytes.insert(bytes.end(), data.begin(), data.begin() + 4096);
    bytes.insert(bytes.end(), section.begin(), section.end());
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), bytes.size());
  }

  void expectMalformed(const std::string &part) {
    WeightsFile weights;
    expectError([&] { weights.open(path, metadata); }, XFC_ERROR_FORMAT,
                part);
  }

  xfc_sparse_record record;
  std::vector<char> bitmap, packed;
};

TEST_F(SparseWeightsTest, Expands) {
  writeSparse();
  WeightsFile weights;
  weights.open(path, metadata);
  ASSERT_EQ(weights.getDataSize(), data.size());
  EXPECT_EQ(std::memcmp(weights.getData(), data.data(), data.size()), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(weights.getData()) % 64, 0u);
}

TEST_F(SparseWeightsTest, TruncatedRecord) {
  writeSparse(/*sectionSize=*/16);
  expectMalformed("weights file " + path +
                  ": malformed sparse section: record 0 at byte 0: "
                  "truncated record header; recompile");
}

TEST_F(SparseWeightsTest, SizeNotWords) {
  record.size = 62;
  writeSparse();
  expectMalformed("size 62 is not a positive multiple of 4");
}

TEST_F(SparseWeightsTest, OffsetInTheStoredPart) {
  record.offset = 4032;
  writeSparse();
  expectMalformed("tensor [4032, +64) overlaps another tensor or lies "
                  "outside [4096, 4160)");
}

TEST_F(SparseWeightsTest, PastTheRegion) {
  record.offset = 4160;
  writeSparse();
  expectMalformed("lies outside [4096, 4160)");
  record.offset = ~0ull - 8;
  writeSparse();
  expectMalformed("lies outside [4096, 4160)");
}

TEST_F(SparseWeightsTest, MoreNonzerosThanWords) {
  record.nonzeros = 17;
  writeSparse();
  expectMalformed("17 nonzeros in 16 words");
}

TEST_F(SparseWeightsTest, ValuesPastTheEnd) {
  writeSparse(/*sectionSize=*/sizeof(xfc_sparse_record) + 8 + 8);
  expectMalformed("bitmap and values run past the end of the section");
}

TEST_F(SparseWeightsTest, BitmapDisagrees) {
  bitmap[0] = 0x01;
  writeSparse();
  expectMalformed("the bitmap has 2 bits set, the record says 3 nonzeros");
}

TEST_F(SparseWeightsTest, BitsPastTheTensor) {
  data.resize(4096 + 60);
  record.size = 60; // 15 words: word 15's bit is past the end
  writeSparse();
  expectMalformed("bitmap bits set past the tensor's end");
}

TEST_F(SparseWeightsTest, SecondRecordOverlaps) {
  writeSparse();
  // The same record twice: the second overlaps the first.
  std::vector<char> one(sizeof(record) + 24);
  std::memcpy(one.data(), &record, sizeof(record));
  std::memcpy(one.data() + sizeof(record), bitmap.data(), 8);
  std::memcpy(one.data() + sizeof(record) + 8, packed.data(), 16);
  packed.insert(packed.end(), one.begin(), one.end());
  writeSparse();
  expectMalformed("record 1 at byte 48: tensor [4096, +64) overlaps");
}

TEST_F(SparseWeightsTest, ValueCorrupted) {
  packed[4] ^= 1;
  writeSparse();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "checksum mismatch");
}

TEST_F(SparseWeightsTest, HeaderDisagreesWithTheLibrary) {
  writeSparse();
  metadata.weightsSparseSize += 8;
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "sparse, the library expects 4096 and 56");
}

TEST_F(WeightsFileTest, Missing) {
  WeightsFile weights;
  expectError([&] { weights.open(path + ".missing", metadata); }, XFC_ERROR_IO,
              "cannot open weights file " + path +
                  ".missing: No such file or directory");
}

TEST_F(WeightsFileTest, ShorterThanTheHeader) {
  std::ofstream(path, std::ios::binary).write("XFCWEIGH", 8);
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "weights file " + path +
                  " is truncated (8 bytes, expected 4196)");
}

TEST_F(WeightsFileTest, BadMagic) {
  std::memcpy(header.magic, "GGUF\0\0\0\0", 8);
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_FORMAT,
              path + " is not an xfc weights file (no XFCWEIGH header)");
}

TEST_F(WeightsFileTest, OtherVersion) {
  header.version = 7;
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_VERSION,
              "has format version 7, this runtime reads version 4");
}

TEST_F(WeightsFileTest, OtherDataOffset) {
  header.data_offset = 64;
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_FORMAT,
              "has data offset 64, expected 4096");
}

TEST_F(WeightsFileTest, OtherModelsSize) {
  header.data_size = 99;
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "holds 99 bytes of weights, the library expects 100: the "
              "weights file does not belong to this library; recompile");
}

TEST_F(WeightsFileTest, TrailingBytes) {
  write();
  std::ofstream(path, std::ios::binary | std::ios::app).write("x", 1);
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "has 1 bytes of trailing data (4197 bytes, expected 4196)");
}

TEST_F(WeightsFileTest, HeaderChecksumDisagrees) {
  header.checksum ^= 1;
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "checksum mismatch");
}

TEST_F(WeightsFileTest, DataCorrupted) {
  data[42] ^= 0x10;
  write();
  WeightsFile weights;
  expectError([&] { weights.open(path, metadata); }, XFC_ERROR_CHECKSUM,
              "weights file " + path +
                  ": checksum mismatch: the weights file does not belong to "
                  "this library or is corrupted; recompile");
}

} // namespace
