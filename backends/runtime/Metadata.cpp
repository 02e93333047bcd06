//===- Metadata.cpp - Parse the artifact's metadata text ------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "Metadata.h"

#include "Error.h"

#include "xfc-c/artifact.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>

namespace xfc::runtime {

namespace {

struct DtypeInfo {
  xfc_dtype dtype;
  const char *name;
  size_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {XFC_DTYPE_F32, "f32", 4},   {XFC_DTYPE_F16, "f16", 2},
    {XFC_DTYPE_BF16, "bf16", 2}, {XFC_DTYPE_F64, "f64", 8},
    {XFC_DTYPE_I8, "i8", 1},     {XFC_DTYPE_U8, "u8", 1},
    {XFC_DTYPE_I16, "i16", 2},   {XFC_DTYPE_I32, "i32", 4},
    {XFC_DTYPE_I64, "i64", 8},   {XFC_DTYPE_BOOL, "bool", 1},
};

struct QuantKindInfo {
  QuantMatmulKind kind;
  const char *name;
};

constexpr QuantKindInfo kQuantKinds[] = {
    {QuantMatmulKind::W8A8, "w8a8"},
    {QuantMatmulKind::W8A8Dynamic, "w8a8-dynamic"},
    {QuantMatmulKind::W8, "w8"},
    {QuantMatmulKind::W4, "w4"},
};

const DtypeInfo *lookupDtype(xfc_dtype dtype) {
  for (const DtypeInfo &info : kDtypes)
    if (info.dtype == dtype)
      return &info;
  return nullptr;
}

/// Splits on every `separator`, keeping empty pieces: the grammar uses
/// single separators, so an empty piece is an error the caller reports.
std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

std::optional<int64_t> parseInt64(std::string_view text) {
  int64_t value;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

/// A non-negative decimal without sign.
std::optional<uint64_t> parseUint64(std::string_view text) {
  uint64_t value;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

/// A decimal float as strtof reads it, the whole field.
std::optional<float> parseFloat(std::string_view text) {
  std::string copy(text);
  char *end = nullptr;
  float value = std::strtof(copy.c_str(), &end);
  if (copy.empty() || *end != '\0')
    return std::nullopt;
  return value;
}

std::optional<uint64_t> parseChecksum(std::string_view text) {
  if (text.size() != 16)
    return std::nullopt;
  uint64_t value;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, 16);
  if (ec != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

/// "2x3" → {2, 3}; every entry a non-negative integer.
std::optional<std::vector<int64_t>> parseIntList(std::string_view text) {
  std::vector<int64_t> values;
  for (std::string_view piece : split(text, 'x')) {
    std::optional<int64_t> value = parseInt64(piece);
    if (!value || *value < 0 || piece[0] == '-')
      return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

bool isPlainNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':' ||
         c == '/' || c == '-';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decodeName(std::string_view text) {
  std::string name;
  for (size_t i = 0; i < text.size(); ++i) {
    if (isPlainNameChar(text[i])) {
      name.push_back(text[i]);
      continue;
    }
    if (text[i] != '%' || i + 2 >= text.size() || hexValue(text[i + 1]) < 0 ||
        hexValue(text[i + 2]) < 0)
      return std::nullopt;
    name.push_back(
        static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2])));
    i += 2;
  }
  if (name.empty())
    return std::nullopt;
  return name;
}

/// Bytes from the first to one past the last element of a strided f32
/// operand, or nullopt on overflow.
std::optional<uint64_t> getExtentInBytes(const OperandLayout &layout) {
  uint64_t lastOffset = 0;
  for (size_t i = 0; i < layout.dims.size(); ++i) {
    if (layout.dims[i] == 0)
      return 0;
    uint64_t step;
    if (__builtin_mul_overflow(static_cast<uint64_t>(layout.dims[i] - 1),
                               static_cast<uint64_t>(layout.strides[i]),
                               &step) ||
        __builtin_add_overflow(lastOffset, step, &lastOffset))
      return std::nullopt;
  }
  uint64_t bytes;
  if (__builtin_mul_overflow(lastOffset + 1, uint64_t{4}, &bytes))
    return std::nullopt;
  return bytes;
}

/// Makes a metadata line printable in a one-line message, whatever bytes a
/// damaged library holds.
std::string quoteLine(std::string_view line) {
  constexpr size_t kMaxShown = 160;
  std::string shown;
  for (char c : line.substr(0, kMaxShown))
    shown.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (line.size() > kMaxShown)
    shown += "...";
  return "'" + shown + "'";
}

class Parser {
public:
  Parser(std::string_view text, const std::string &source)
      : text(text), source(source) {}

  Metadata parse();

private:
  [[noreturn]] void fail(const std::string &why) const {
    throw RuntimeError(XFC_ERROR_FORMAT, source + ": malformed metadata line " +
                                             std::to_string(lineNumber) + " " +
                                             quoteLine(line) + ": " + why);
  }
  [[noreturn]] void failWhole(const std::string &why) const {
    throw RuntimeError(XFC_ERROR_FORMAT, source + ": " + why);
  }

  void parseVersionLine();
  void expectFieldCount(size_t count, const char *form) const;
  /// Each singleton record may appear once.
  void markSeen(std::string_view keyword);
  TensorDesc parseTensor();
  MatmulDesc parseMatmul();
  AttentionDesc parseAttention();
  QuantMatmulDesc parseQuantMatmul();
  /// The <id> field.
  int64_t parseId() const;
  /// The <id> and <dtype> fields of a `record` line (f32 only).
  int64_t parseIdAndDtype(const char *record) const;
  /// An <act> field: "" for "-".
  std::string parseActivation(std::string_view field) const;
  /// A byte offset of a qmatmul operand in the weights region (64-byte
  /// aligned), or -1 for "-" when the operand is `optional`.
  int64_t parseWeightsOffset(std::string_view field, const char *operand,
                             bool optional) const;
  /// "AxBxC" with exactly `count` integers.
  std::vector<int64_t> parseFixedList(std::string_view field, size_t count,
                                      const char *what) const;
  OperandLayout parseLayout(std::string_view field, const char *operand) const;
  void checkMatmulShapes(const MatmulDesc &matmul) const;
  void checkConstantB(const MatmulDesc &matmul, uint64_t weightsSize) const;
  void checkQuantOperands(const QuantMatmulDesc &qmatmul,
                          uint64_t weightsSize) const;
  /// For checks after parsing: names line `lineNumber` ("metadata line 12
  /// (qmatmul 3)"), which is no longer the current one.
  [[noreturn]] void failAt(int lineNumber, const char *record, int64_t id,
                           const std::string &why) const {
    throw RuntimeError(XFC_ERROR_FORMAT,
                       source + ": metadata line " +
                           std::to_string(lineNumber) + " (" + record + " " +
                           std::to_string(id) + "): " + why);
  }

  std::string_view text;
  const std::string &source;
  int lineNumber = 0;
  std::string_view line;
  std::vector<std::string_view> fields;
  std::set<std::string, std::less<>> seen;
};

void Parser::parseVersionLine() {
  constexpr std::string_view kPrefix = "xfc-artifact ";
  if (line.substr(0, kPrefix.size()) != kPrefix)
    failWhole("the metadata does not start with 'xfc-artifact <version>': "
              "not an xfc artifact");
  std::optional<int64_t> version = parseInt64(line.substr(kPrefix.size()));
  if (!version)
    fail("the version must be an integer");
  if (*version != XFC_ARTIFACT_VERSION)
    throw RuntimeError(XFC_ERROR_VERSION,
                       source + ": artifact format version " +
                           std::to_string(*version) +
                           ", this runtime reads version " +
                           std::to_string(XFC_ARTIFACT_VERSION) +
                           ": recompile the model with this xfc");
}

void Parser::expectFieldCount(size_t count, const char *form) const {
  if (fields.size() != count)
    fail(std::string("expected '") + form + "'");
}

void Parser::markSeen(std::string_view keyword) {
  if (!seen.emplace(keyword).second)
    fail("a second '" + std::string(keyword) + "' line");
}

TensorDesc Parser::parseTensor() {
  expectFieldCount(4, "<input|output> <name> <dtype> <dims>");
  TensorDesc tensor;
  std::optional<std::string> name = decodeName(fields[1]);
  if (!name)
    fail("bad name: names are percent-encoded, every byte outside "
         "[A-Za-z0-9_.:/-] as %XX");
  tensor.name = std::move(*name);
  const DtypeInfo *dtype = nullptr;
  for (const DtypeInfo &info : kDtypes)
    if (fields[2] == info.name)
      dtype = &info;
  if (!dtype)
    fail("unknown dtype " + quoteLine(fields[2]));
  tensor.dtype = dtype->dtype;
  if (fields[3] != "-") {
    std::optional<std::vector<int64_t>> dims = parseIntList(fields[3]);
    if (!dims)
      fail("dims must be like '1x128', or '-' for a scalar");
    tensor.dims = std::move(*dims);
  }
  return tensor;
}

OperandLayout Parser::parseLayout(std::string_view field,
                                  const char *operand) const {
  std::vector<std::string_view> parts = split(field, ':');
  std::optional<std::vector<int64_t>> dims, strides;
  if (parts.size() == 2) {
    dims = parseIntList(parts[0]);
    strides = parseIntList(parts[1]);
  }
  if (!dims || !strides)
    fail(std::string("operand ") + operand +
         " must be 'DIMS:STRIDES' like '2x3:3x1'");
  if (dims->size() != strides->size())
    fail(std::string("operand ") + operand + " has " +
         std::to_string(dims->size()) + " dims but " +
         std::to_string(strides->size()) + " strides");
  return {std::move(*dims), std::move(*strides)};
}

MatmulDesc Parser::parseMatmul() {
  if (fields.size() != 10)
    expectFieldCount(9, "matmul <id> <dtype> <a> <b> <c> <bias> <beta> "
                        "<b-weight-offset> [<activation>]");
  MatmulDesc matmul;
  matmul.lineNumber = lineNumber;
  matmul.id = parseIdAndDtype("matmul");
  matmul.a = parseLayout(fields[3], "a");
  matmul.b = parseLayout(fields[4], "b");
  matmul.c = parseLayout(fields[5], "c");
  if (fields[6] != "-")
    matmul.bias = parseLayout(fields[6], "bias");
  if (fields[7] != "0" && fields[7] != "1")
    fail("beta must be 0 or 1");
  matmul.accumulate = fields[7] == "1";
  std::optional<int64_t> offset = parseInt64(fields[8]);
  if (!offset || *offset < -1)
    fail("b-weight-offset must be -1 or a byte offset");
  matmul.bWeightOffset = *offset;
  if (fields.size() == 10) {
    matmul.activation = parseActivation(fields[9]);
    if (matmul.activation == "add" && matmul.accumulate)
      fail("a residual 'add' needs beta 0");
  }
  checkMatmulShapes(matmul);
  return matmul;
}

std::string Parser::parseActivation(std::string_view field) const {
  if (field == "-")
    return "";
  if (field != "gelu_erf" && field != "gelu_tanh" && field != "add")
    fail("unknown activation " + quoteLine(field) +
         ": expected '-', 'gelu_erf', 'gelu_tanh' or 'add'");
  return std::string(field);
}

int64_t Parser::parseId() const {
  std::optional<int64_t> id = parseInt64(fields[1]);
  if (!id || *id < 0)
    fail("the id must be a non-negative integer");
  return *id;
}

int64_t Parser::parseIdAndDtype(const char *record) const {
  int64_t id = parseId();
  if (fields[2] != "f32")
    fail(std::string(record) + " dtype '" + std::string(fields[2]) +
         "': this runtime supports f32 only");
  return id;
}

std::vector<int64_t> Parser::parseFixedList(std::string_view field,
                                            size_t count,
                                            const char *what) const {
  std::optional<std::vector<int64_t>> values = parseIntList(field);
  if (!values || values->size() != count)
    fail(std::string(what) + " must be " + std::to_string(count) +
         " integers like '1x2x3'");
  return std::move(*values);
}

AttentionDesc Parser::parseAttention() {
  expectFieldCount(11, "attention <id> <dtype> <sizes> <q-strides> "
                       "<k-strides> <v-strides> <out-strides> <mask> "
                       "<scale> <causal>");
  AttentionDesc attention;
  attention.lineNumber = lineNumber;
  attention.id = parseIdAndDtype("attention");
  AttentionShape &shape = attention.shape;
  std::vector<int64_t> sizes = parseFixedList(fields[3], 7, "sizes");
  shape.batch = sizes[0];
  shape.numHeads = sizes[1];
  shape.numKvHeads = sizes[2];
  shape.querySeq = sizes[3];
  shape.keySeq = sizes[4];
  shape.headDim = sizes[5];
  shape.valueHeadDim = sizes[6];
  int64_t *strides[] = {shape.queryStrides, shape.keyStrides,
                        shape.valueStrides, shape.outputStrides};
  const char *names[] = {"q-strides", "k-strides", "v-strides",
                         "out-strides"};
  for (int i = 0; i < 4; ++i) {
    std::vector<int64_t> values = parseFixedList(fields[4 + i], 3, names[i]);
    std::copy(values.begin(), values.end(), strides[i]);
  }
  shape.maskKind = AttentionMaskKind::None;
  if (fields[8] != "-") {
    std::vector<std::string_view> parts = split(fields[8], ':');
    if (parts.size() != 2 || (parts[0] != "bool" && parts[0] != "f32"))
      fail("mask must be '-', 'bool:STRIDES' or 'f32:STRIDES'");
    shape.maskKind = parts[0] == "bool" ? AttentionMaskKind::Bool
                                        : AttentionMaskKind::Additive;
    std::vector<int64_t> values = parseFixedList(parts[1], 4, "mask strides");
    std::copy(values.begin(), values.end(), shape.maskStrides);
  }
  std::optional<float> scale = parseFloat(fields[9]);
  if (!scale)
    fail("scale must be a number");
  shape.scale = *scale;
  if (fields[10] != "0" && fields[10] != "1")
    fail("causal must be 0 or 1");
  shape.causal = fields[10] == "1";
  return attention;
}

int64_t Parser::parseWeightsOffset(std::string_view field,
                                   const char *operand, bool optional) const {
  if (field == "-") {
    if (!optional)
      fail(std::string("the ") + operand + " operand is required");
    return -1;
  }
  std::optional<int64_t> offset = parseInt64(field);
  if (!offset || *offset < 0 || field[0] == '-')
    fail(std::string(operand) + " must be a byte offset into the weights" +
         (optional ? " or '-'" : ""));
  // The kernels load these with aligned vector loads, and the compiler
  // places every weight tensor on a 64-byte boundary anyway.
  if (*offset % XFC_WEIGHTS_ALIGNMENT != 0)
    fail(std::string(operand) + " offset " + std::to_string(*offset) +
         " is not a multiple of " + std::to_string(XFC_WEIGHTS_ALIGNMENT));
  return *offset;
}

QuantMatmulDesc Parser::parseQuantMatmul() {
  expectFieldCount(13, "qmatmul <id> <kind> <MxNxK> <a-row-stride> "
                       "<c-row-stride> <weight> <scales> <offsets> <bias> "
                       "<group> <input-quant> <act>");
  QuantMatmulDesc qmatmul;
  qmatmul.lineNumber = lineNumber;
  qmatmul.id = parseId();
  const QuantKindInfo *kind = nullptr;
  for (const QuantKindInfo &info : kQuantKinds)
    if (fields[2] == info.name)
      kind = &info;
  if (!kind)
    fail("unknown qmatmul kind " + quoteLine(fields[2]) +
         ": expected 'w8a8', 'w8a8-dynamic', 'w8' or 'w4'");
  qmatmul.kind = kind->kind;
  bool weightOnly = qmatmul.kind == QuantMatmulKind::W8 ||
                    qmatmul.kind == QuantMatmulKind::W4;

  std::vector<int64_t> sizes = parseFixedList(fields[3], 3, "MxNxK");
  if (std::count(sizes.begin(), sizes.end(), 0) > 0)
    fail("M, N and K must be positive");
  qmatmul.m = sizes[0];
  qmatmul.n = sizes[1];
  qmatmul.k = sizes[2];
  std::optional<int64_t> aStride = parseInt64(fields[4]);
  if (!aStride || *aStride < qmatmul.k)
    fail("a-row-stride must be an integer >= K (" +
         std::to_string(qmatmul.k) + ")");
  qmatmul.aRowStride = *aStride;
  std::optional<int64_t> cStride = parseInt64(fields[5]);
  if (!cStride || *cStride < qmatmul.n)
    fail("c-row-stride must be an integer >= N (" +
         std::to_string(qmatmul.n) + ")");
  qmatmul.cRowStride = *cStride;

  qmatmul.weightOffset = parseWeightsOffset(fields[6], "weight", false);
  qmatmul.scalesOffset = parseWeightsOffset(fields[7], "scales", false);
  qmatmul.offsetsOffset = parseWeightsOffset(fields[8], "offsets", true);
  qmatmul.biasOffset = parseWeightsOffset(fields[9], "bias", true);
  if (!weightOnly && qmatmul.offsetsOffset >= 0)
    fail(std::string(kind->name) +
         " has no offsets (zero points are folded into the bias): expected "
         "'-'");
  if (qmatmul.kind == QuantMatmulKind::W8A8 && qmatmul.biasOffset < 0)
    fail("w8a8 needs a bias: it holds the zero-point compensation");

  if (weightOnly) {
    std::optional<int64_t> group = parseInt64(fields[10]);
    if (!group || *group <= 0 || fields[10][0] == '-' ||
        qmatmul.k % *group != 0)
      fail("group must be a positive integer dividing K (" +
           std::to_string(qmatmul.k) + ")");
    qmatmul.group = *group;
    if (qmatmul.kind == QuantMatmulKind::W4 && qmatmul.k % 2 != 0)
      fail("w4 packs two weights per byte along K: K (" +
           std::to_string(qmatmul.k) + ") must be even");
  } else if (fields[10] != "-") {
    fail(std::string(kind->name) + " has no group: expected '-'");
  }

  if (qmatmul.kind == QuantMatmulKind::W8A8) {
    std::vector<std::string_view> parts = split(fields[11], ':');
    std::optional<float> scale;
    std::optional<int64_t> zeroPoint;
    if (parts.size() == 2) {
      scale = parseFloat(parts[0]);
      zeroPoint = parseInt64(parts[1]);
    }
    if (!scale || !zeroPoint)
      fail("w8a8 needs input-quant 'S:Z' (the input's scale and u8 zero "
           "point)");
    if (!std::isfinite(*scale) || *scale <= 0.0f)
      fail("the input scale must be finite and positive");
    if (*zeroPoint < 0 || *zeroPoint > 255)
      fail("the input zero point must be in [0, 255] (u8)");
    qmatmul.inputScale = *scale;
    qmatmul.inputZeroPoint = static_cast<int32_t>(*zeroPoint);
  } else if (fields[11] != "-") {
    fail(std::string(kind->name) + " has no input-quant: expected '-'");
  }
  qmatmul.activation = parseActivation(fields[12]);
  return qmatmul;
}

/// oneDNN would also refuse most of these, but only with "could not create
/// a primitive descriptor"; checking here names the line and the operand.
void Parser::checkMatmulShapes(const MatmulDesc &matmul) const {
  size_t rank = matmul.a.dims.size();
  if (rank < 2)
    fail("operands must have rank 2 or more");
  if (matmul.b.dims.size() != rank || matmul.c.dims.size() != rank ||
      (matmul.bias && matmul.bias->dims.size() != rank))
    fail("operands a, b, c and bias must all have the same rank");
  const std::vector<int64_t> &a = matmul.a.dims, &b = matmul.b.dims,
                             &c = matmul.c.dims;
  int64_t m = a[rank - 2], k = a[rank - 1], n = b[rank - 1];
  if (b[rank - 2] != k)
    fail("a is [..., M, K] and b is [..., K, N], but their K differ");
  if (c[rank - 2] != m || c[rank - 1] != n)
    fail("c must be [..., M, N]");
  for (size_t i = 0; i + 2 < rank; ++i) {
    bool broadcastable = a[i] == b[i] || a[i] == 1 || b[i] == 1;
    if (!broadcastable || c[i] != std::max(a[i], b[i]))
      fail("batch dim " + std::to_string(i) +
           " of a and b must be equal or 1, and c's their maximum");
  }
  if (matmul.bias) {
    const std::vector<int64_t> &bias = matmul.bias->dims;
    for (size_t i = 0; i + 2 < rank; ++i)
      if (bias[i] != 1)
        fail("bias must be [1..., 1 or M, N]");
    if ((bias[rank - 2] != 1 && bias[rank - 2] != m) || bias[rank - 1] != n)
      fail("bias must be [1..., 1 or M, N]");
  }
}

/// B is read straight out of the mapped weights: it must lie inside them.
void Parser::checkConstantB(const MatmulDesc &matmul,
                            uint64_t weightsSize) const {
  if (matmul.bWeightOffset < 0)
    return;
  // No alignment is required: B may be a view into a weight tensor, and
  // the reorder reads any layout.
  uint64_t offset = matmul.bWeightOffset;
  std::optional<uint64_t> extent = getExtentInBytes(matmul.b);
  if (!extent || *extent > weightsSize || offset > weightsSize - *extent)
    failAt(matmul.lineNumber, "matmul", matmul.id,
           "constant b at byte " + std::to_string(offset) +
           " extends past the end of the " + std::to_string(weightsSize) +
           "-byte weights");
}

/// The kernels read every operand straight out of the mapped weights (or
/// repack it at load): each must lie inside them.
void Parser::checkQuantOperands(const QuantMatmulDesc &qmatmul,
                                uint64_t weightsSize) const {
  uint64_t n = qmatmul.n, k = qmatmul.k;
  bool weightOnly = qmatmul.kind == QuantMatmulKind::W8 ||
                    qmatmul.kind == QuantMatmulKind::W4;
  // Products of sizes that each fit int64 may overflow: nullopt then.
  auto multiply = [](uint64_t a, uint64_t b) -> std::optional<uint64_t> {
    uint64_t product;
    if (__builtin_mul_overflow(a, b, &product))
      return std::nullopt;
    return product;
  };
  std::optional<uint64_t> weightBytes = multiply(n, k);
  if (weightBytes && qmatmul.kind == QuantMatmulKind::W4)
    *weightBytes /= 2;
  std::optional<uint64_t> parameterCount = multiply(
      n, weightOnly ? k / static_cast<uint64_t>(qmatmul.group) : 1);
  std::optional<uint64_t> parameterBytes =
      parameterCount ? multiply(*parameterCount, 4) : std::nullopt;
  const struct {
    const char *name;
    int64_t offset;
    std::optional<uint64_t> bytes;
  } operands[] = {
      {"weight", qmatmul.weightOffset, weightBytes},
      {"scales", qmatmul.scalesOffset, parameterBytes},
      {"offsets", qmatmul.offsetsOffset, parameterBytes},
      {"bias", qmatmul.biasOffset, multiply(n, 4)},
  };
  for (const auto &operand : operands) {
    if (operand.offset < 0)
      continue;
    uint64_t offset = operand.offset;
    if (!operand.bytes || *operand.bytes > weightsSize ||
        offset > weightsSize - *operand.bytes)
      failAt(qmatmul.lineNumber, "qmatmul", qmatmul.id,
             std::string(operand.name) + " at byte " +
                 std::to_string(offset) +
                 (operand.bytes
                      ? " (" + std::to_string(*operand.bytes) + " bytes)"
                      : "") +
                 " extends past the end of the " +
                 std::to_string(weightsSize) + "-byte weights");
  }
}

Metadata Parser::parse() {
  std::vector<std::string_view> lines = split(text, '\n');
  // The text normally ends with "end\n": that leaves one empty last piece.
  if (lines.size() > 1 && lines.back().empty())
    lines.pop_back();
  lineNumber = 1;
  line = lines[0];
  parseVersionLine();

  Metadata metadata;
  std::set<int64_t> matmulIds, attentionIds, qmatmulIds;
  bool sawEnd = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    lineNumber = static_cast<int>(i + 1);
    line = lines[i];
    if (sawEnd)
      fail("text after the 'end' line");
    fields = split(line, ' ');
    std::string_view keyword = fields[0];
    if (keyword == "target") {
      markSeen(keyword);
      expectFieldCount(2, "target <name>");
      metadata.target = std::string(fields[1]);
      // Checked here, not after the loop: another target's artifact may
      // use records this runtime does not know, and "wrong target" is the
      // useful message then.
      if (metadata.target != "cpu")
        throw RuntimeError(XFC_ERROR_TARGET,
                           source + " was compiled for target '" +
                               metadata.target +
                               "'; this runtime runs 'cpu' artifacts: "
                               "recompile with --target=cpu");
    } else if (keyword == "triple") {
      markSeen(keyword);
      expectFieldCount(2, "triple <llvm target triple>");
      metadata.triple = std::string(fields[1]);
    } else if (keyword == "cpu") {
      markSeen(keyword);
      expectFieldCount(2, "cpu <cpu name>");
      metadata.cpu = std::string(fields[1]);
    } else if (keyword == "cpu-features") {
      markSeen(keyword);
      for (size_t f = 1; f < fields.size(); ++f) {
        if (fields[f].empty())
          fail("features are separated by single spaces");
        metadata.cpuFeatures.emplace_back(fields[f]);
      }
    } else if (keyword == "fpmath") {
      markSeen(keyword);
      expectFieldCount(2, "fpmath bf16");
      if (fields[1] != "bf16")
        fail("the only fpmath mode is bf16");
      metadata.fpmath = std::string(fields[1]);
    } else if (keyword == "weights-size") {
      markSeen(keyword);
      expectFieldCount(2, "weights-size <bytes>");
      std::optional<uint64_t> size = parseUint64(fields[1]);
      if (!size)
        fail("the size must be a non-negative integer");
      metadata.weightsSize = *size;
    } else if (keyword == "weights-checksum") {
      markSeen(keyword);
      expectFieldCount(2, "weights-checksum <16 hex digits>");
      std::optional<uint64_t> checksum = parseChecksum(fields[1]);
      if (!checksum)
        fail("the checksum must be 16 hex digits");
      metadata.weightsChecksum = *checksum;
    } else if (keyword == "weights-sparse") {
      markSeen(keyword);
      expectFieldCount(3, "weights-sparse <stored-size> <sparse-size>");
      std::optional<uint64_t> stored = parseUint64(fields[1]);
      std::optional<uint64_t> sparse = parseUint64(fields[2]);
      if (!stored || !sparse || *sparse == 0 ||
          *stored % XFC_WEIGHTS_HEADER_SIZE != 0)
        fail("the stored size must be a multiple of " +
             std::to_string(XFC_WEIGHTS_HEADER_SIZE) +
             " and the sparse size a positive integer");
      metadata.weightsStoredSize = *stored;
      metadata.weightsSparseSize = *sparse;
    } else if (keyword == "input") {
      metadata.inputs.push_back(parseTensor());
    } else if (keyword == "output") {
      metadata.outputs.push_back(parseTensor());
    } else if (keyword == "matmul") {
      metadata.matmuls.push_back(parseMatmul());
      if (!matmulIds.insert(metadata.matmuls.back().id).second)
        fail("a second matmul with id " +
             std::to_string(metadata.matmuls.back().id));
    } else if (keyword == "attention") {
      metadata.attentions.push_back(parseAttention());
      if (!attentionIds.insert(metadata.attentions.back().id).second)
        fail("a second attention with id " +
             std::to_string(metadata.attentions.back().id));
    } else if (keyword == "qmatmul") {
      metadata.qmatmuls.push_back(parseQuantMatmul());
      if (!qmatmulIds.insert(metadata.qmatmuls.back().id).second)
        fail("a second qmatmul with id " +
             std::to_string(metadata.qmatmuls.back().id));
    } else if (keyword == "end") {
      expectFieldCount(1, "end");
      sawEnd = true;
    } else {
      fail("unknown record " + quoteLine(keyword));
    }
  }

  if (!sawEnd)
    failWhole("the metadata has no 'end' line: the library is truncated or "
              "damaged");
  for (const char *required : {"target", "weights-size", "weights-checksum"})
    if (!seen.count(required))
      failWhole(std::string("the metadata has no '") + required + "' line");
  if (!seen.count("weights-sparse"))
    metadata.weightsStoredSize = metadata.weightsSize;
  else if (metadata.weightsStoredSize >= metadata.weightsSize)
    failWhole("the weights-sparse line's stored size " +
              std::to_string(metadata.weightsStoredSize) +
              " is not below the weights-size " +
              std::to_string(metadata.weightsSize));
  for (const MatmulDesc &matmul : metadata.matmuls)
    checkConstantB(matmul, metadata.weightsSize);
  for (const QuantMatmulDesc &qmatmul : metadata.qmatmuls)
    checkQuantOperands(qmatmul, metadata.weightsSize);
  return metadata;
}

} // namespace

Metadata parseMetadata(std::string_view text, const std::string &source) {
  return Parser(text, source).parse();
}

const char *getQuantMatmulKindName(QuantMatmulKind kind) {
  for (const QuantKindInfo &info : kQuantKinds)
    if (info.kind == kind)
      return info.name;
  return "?";
}

const char *getDtypeName(xfc_dtype dtype) {
  const DtypeInfo *info = lookupDtype(dtype);
  return info ? info->name : nullptr;
}

size_t getDtypeSize(xfc_dtype dtype) {
  const DtypeInfo *info = lookupDtype(dtype);
  return info ? info->size : 0;
}

std::string formatDims(const int64_t *dims, size_t rank) {
  std::string text;
  for (size_t i = 0; i < rank; ++i) {
    if (i)
      text += 'x';
    text += std::to_string(dims[i]);
  }
  return text;
}

} // namespace xfc::runtime
