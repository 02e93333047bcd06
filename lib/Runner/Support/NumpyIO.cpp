//===- NumpyIO.cpp - Read and write .npy files ----------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/NumpyIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"

#include <algorithm>
#include <cstring>
#include <limits>

using namespace llvm;

namespace xfc::runner {

static constexpr StringLiteral kMagic("\x93NUMPY");
static constexpr size_t kAlignment = 64;

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// Header dictionary
//===----------------------------------------------------------------------===//

namespace {

/// A value of the header dictionary: the Python literal subset np.save
/// writes (strings, True/False, and tuples of integers).
struct HeaderValue {
  enum Kind { String, Bool, Integer, Tuple, List } kind = String;
  std::string string;
  bool boolean = false;
  SmallVector<int64_t, 4> integers;
};

/// A recursive-descent parser for the dictionary literal.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : rest(text) {}

  Expected<NumpyHeader> parse();

private:
  void skipSpace() { rest = rest.ltrim(" \t\r\n"); }
  bool consume(char c) {
    skipSpace();
    return rest.consume_front(StringRef(&c, 1));
  }
  Error expected(StringRef what) {
    StringRef near = rest.take_front(20).split('\n').first.rtrim();
    if (near.empty())
      return makeError("malformed header: expected " + what +
                       " at the end of the header");
    return makeError("malformed header: expected " + what + " at '" + near +
                     "'");
  }
  Error parseString(std::string &result);
  Error parseInteger(int64_t &result);
  Error parseValue(HeaderValue &value);

  StringRef rest;
};

} // namespace

Error HeaderParser::parseString(std::string &result) {
  skipSpace();
  if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
    return expected("a string");
  char quote = rest.front();
  size_t end = rest.find(quote, 1);
  if (end == StringRef::npos)
    return makeError("malformed header: unterminated string");
  StringRef contents = rest.slice(1, end);
  if (contents.contains('\\'))
    return makeError("malformed header: escapes in strings are not supported");
  result = contents.str();
  rest = rest.drop_front(end + 1);
  return Error::success();
}

Error HeaderParser::parseInteger(int64_t &result) {
  skipSpace();
  bool negative = rest.consume_front("-");
  size_t length = std::min(rest.find_if_not(isDigit), rest.size());
  if (length == 0)
    return expected("an integer");
  StringRef digits = rest.take_front(length);
  rest = rest.drop_front(length);
  rest.consume_front("L"); // Python 2 longs, written by old NumPy.
  uint64_t magnitude;
  if (digits.getAsInteger(10, magnitude) ||
      magnitude > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return makeError("dimension " + digits + " overflows int64");
  result = negative ? -static_cast<int64_t>(magnitude)
                    : static_cast<int64_t>(magnitude);
  return Error::success();
}

Error HeaderParser::parseValue(HeaderValue &value) {
  skipSpace();
  if (rest.starts_with("'") || rest.starts_with("\"")) {
    value.kind = HeaderValue::String;
    return parseString(value.string);
  }
  if (rest.consume_front("True")) {
    value.kind = HeaderValue::Bool;
    value.boolean = true;
    return Error::success();
  }
  if (rest.consume_front("False")) {
    value.kind = HeaderValue::Bool;
    value.boolean = false;
    return Error::success();
  }
  if (!rest.empty() && (isDigit(rest.front()) || rest.front() == '-')) {
    value.kind = HeaderValue::Integer;
    value.integers.emplace_back();
    return parseInteger(value.integers.back());
  }
  if (rest.starts_with("[")) {
    // Structured dtypes are lists of fields; xfc-run reads none of them.
    value.kind = HeaderValue::List;
    return Error::success();
  }
  if (!consume('('))
    return expected("a string, True, False, an integer or a tuple");
  value.kind = HeaderValue::Tuple;
  if (consume(')'))
    return Error::success();
  while (true) {
    int64_t integer = 0;
    if (Error error = parseInteger(integer))
      return error;
    value.integers.push_back(integer);
    if (consume(')'))
      return Error::success();
    if (!consume(','))
      return expected("',' or ')' in the shape");
    if (consume(')'))
      return Error::success();
  }
}

/// Maps a dtype string to the runtime's dtype.
static Expected<xfc_dtype> parseDescr(StringRef descr) {
  auto unsupported = [&] {
    return makeError("unsupported dtype '" + descr +
                     "'; xfc-run reads f2 f4 f8 i1 u1 i2 i4 i8 b1 "
                     "(little-endian)");
  };
  StringRef code = descr;
  char order = '|';
  if (!code.empty() && StringRef("<>|=").contains(code.front())) {
    order = code.front();
    code = code.drop_front();
  }
  xfc_dtype dtype;
  if (code == "f4")
    dtype = XFC_DTYPE_F32;
  else if (code == "f8")
    dtype = XFC_DTYPE_F64;
  else if (code == "f2")
    dtype = XFC_DTYPE_F16;
  else if (code == "i1")
    dtype = XFC_DTYPE_I8;
  else if (code == "u1")
    dtype = XFC_DTYPE_U8;
  else if (code == "i2")
    dtype = XFC_DTYPE_I16;
  else if (code == "i4")
    dtype = XFC_DTYPE_I32;
  else if (code == "i8")
    dtype = XFC_DTYPE_I64;
  else if (code == "b1" || code == "?")
    dtype = XFC_DTYPE_BOOL;
  else
    return unsupported();

  if (getDTypeSize(dtype) == 1)
    return dtype; // Byte order does not apply.
  if (order == '>' || (order == '=' && !sys::IsLittleEndianHost))
    return makeError("dtype '" + descr +
                     "' is big-endian; save the array little-endian, e.g. "
                     "with arr.astype('<" +
                     code + "')");
  if (order == '|')
    return makeError("dtype '" + descr + "' has no byte order");
  return dtype;
}

Expected<NumpyHeader> HeaderParser::parse() {
  NumpyHeader header;
  bool seenDescr = false, seenOrder = false, seenShape = false;
  if (!consume('{'))
    return expected("'{'");
  while (!consume('}')) {
    std::string key;
    if (Error error = parseString(key))
      return std::move(error);
    if (!consume(':'))
      return expected("':'");
    HeaderValue value;
    if (Error error = parseValue(value))
      return std::move(error);
    if (key == "descr") {
      if (value.kind == HeaderValue::List)
        return makeError("the dtype is structured (a record type); xfc-run "
                         "reads plain numeric and bool arrays only");
      if (value.kind != HeaderValue::String)
        return makeError("malformed header: 'descr' is not a string");
      Expected<xfc_dtype> dtype = parseDescr(value.string);
      if (!dtype)
        return dtype.takeError();
      header.descr = value.string;
      header.dtype = *dtype;
      seenDescr = true;
    } else if (key == "fortran_order") {
      if (value.kind != HeaderValue::Bool)
        return makeError("malformed header: 'fortran_order' is not True or "
                         "False");
      header.fortranOrder = value.boolean;
      seenOrder = true;
    } else if (key == "shape") {
      if (value.kind != HeaderValue::Tuple)
        return makeError("malformed header: 'shape' is not a tuple");
      for (int64_t dim : value.integers)
        if (dim < 0)
          return makeError("shape has negative dimension " + Twine(dim));
      header.shape = std::move(value.integers);
      seenShape = true;
    } else {
      return makeError("malformed header: unexpected key '" + key + "'");
    }
    if (!consume(',')) {
      if (!consume('}'))
        return expected("',' or '}'");
      break;
    }
  }
  skipSpace();
  if (!rest.empty())
    return expected("the end of the header");
  if (!seenDescr || !seenOrder || !seenShape)
    return makeError("malformed header: it needs the keys 'descr', "
                     "'fortran_order' and 'shape'");
  return header;
}

Expected<NumpyHeader> parseNumpyHeader(StringRef dict) {
  return HeaderParser(dict).parse();
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

Expected<HostTensor> parseNumpy(StringRef contents) {
  if (contents.empty())
    return makeError("the file is empty");
  if (!contents.starts_with(kMagic)) {
    if (contents.size() < kMagic.size() && kMagic.starts_with(contents))
      return makeError("truncated: " + Twine(contents.size()) +
                       " bytes, too short for the .npy preamble");
    return makeError("not a .npy file: it does not start with the magic "
                     "string \\x93NUMPY");
  }
  if (contents.size() < 10)
    return makeError("truncated: " + Twine(contents.size()) +
                     " bytes, too short for the .npy preamble");
  auto major = static_cast<uint8_t>(contents[6]);
  auto minor = static_cast<uint8_t>(contents[7]);
  size_t lengthBytes;
  if (major == 1 && minor == 0)
    lengthBytes = 2;
  else if ((major == 2 || major == 3) && minor == 0)
    lengthBytes = 4;
  else
    return makeError("unsupported .npy format version " +
                     Twine(static_cast<unsigned>(major)) + "." +
                     Twine(static_cast<unsigned>(minor)) +
                     "; xfc-run reads 1.0, 2.0 and 3.0");
  size_t prefix = 8 + lengthBytes;
  if (contents.size() < prefix)
    return makeError("truncated: " + Twine(contents.size()) +
                     " bytes, too short for the .npy preamble");
  uint64_t headerLength =
      lengthBytes == 2 ? support::endian::read16le(contents.data() + 8)
                       : static_cast<uint64_t>(
                             support::endian::read32le(contents.data() + 8));
  if (headerLength > contents.size() - prefix)
    return makeError("truncated: the header of " + Twine(headerLength) +
                     " bytes runs past the end of the file (" +
                     Twine(contents.size()) + " bytes)");
  StringRef dict = contents.substr(prefix, headerLength);
  if (!llvm::all_of(dict, [](char c) { return isASCII(c); }))
    return makeError("malformed header: it is not ASCII");

  Expected<NumpyHeader> header = parseNumpyHeader(dict);
  if (!header)
    return header.takeError();
  size_t elementSize = getDTypeSize(header->dtype);
  std::optional<int64_t> count = getElementCount(header->shape, elementSize);
  if (!count)
    return makeError("shape " + formatShape(header->shape) + " of " +
                     getDTypeName(header->dtype) + " overflows int64");
  if (header->fortranOrder && *count != 0 &&
      llvm::count_if(header->shape, [](int64_t dim) { return dim > 1; }) > 1)
    return makeError("the array is stored in Fortran order; save it in C "
                     "order, e.g. np.save(path, np.ascontiguousarray(arr))");

  uint64_t needed = static_cast<uint64_t>(*count) * elementSize;
  uint64_t present = contents.size() - prefix - headerLength;
  if (present != needed) {
    std::string shape =
        formatShape(header->shape) + " of " + getDTypeName(header->dtype).str();
    if (present < needed)
      return makeError("truncated: " + Twine(present) +
                       " bytes of data but the shape " + shape + " needs " +
                       Twine(needed));
    return makeError(Twine(present - needed) +
                     " bytes after the data of the shape " + shape +
                     " (not a single .npy array?)");
  }

  Expected<HostTensor> tensor =
      HostTensor::create(header->dtype, header->shape);
  if (!tensor)
    return tensor.takeError();
  if (needed)
    std::memcpy(tensor->getData(), contents.data() + prefix + headerLength,
                needed);
  if (header->dtype == XFC_DTYPE_BOOL)
    for (char &byte : tensor->getBytes())
      byte = byte != 0;
  return tensor;
}

Expected<HostTensor> readNumpyFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  Expected<HostTensor> tensor = parseNumpy((*buffer)->getBuffer());
  if (!tensor)
    return makeError("'" + path + "': " + toString(tensor.takeError()));
  return tensor;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

static StringRef getDescr(xfc_dtype dtype) {
  switch (dtype) {
  case XFC_DTYPE_F32:
    return "<f4";
  case XFC_DTYPE_F64:
    return "<f8";
  case XFC_DTYPE_F16:
    return "<f2";
  case XFC_DTYPE_I8:
    return "|i1";
  case XFC_DTYPE_U8:
    return "|u1";
  case XFC_DTYPE_I16:
    return "<i2";
  case XFC_DTYPE_I32:
    return "<i4";
  case XFC_DTYPE_I64:
    return "<i8";
  case XFC_DTYPE_BOOL:
    return "|b1";
  case XFC_DTYPE_BF16:
    return "";
  }
  return "";
}

Error writeNumpy(raw_ostream &os, const HostTensor &tensor) {
  StringRef descr = getDescr(tensor.getDType());
  if (descr.empty())
    return makeError(Twine(getDTypeName(tensor.getDType())) +
                     " has no .npy dtype; convert the tensor to f32 first");
  if (!sys::IsLittleEndianHost)
    return makeError("writing .npy files needs a little-endian host");

  std::string dict =
      "{'descr': '" + descr.str() + "', 'fortran_order': False, 'shape': (";
  for (int64_t dim : tensor.getDims())
    dict += std::to_string(dim) + ", ";
  if (tensor.getRank() > 1)
    dict.resize(dict.size() - 2); // "(2, 3)"; a 1-d shape keeps "(3,)".
  else if (tensor.getRank() == 1)
    dict.resize(dict.size() - 1);
  dict += "), }";

  // Pad with spaces and end with '\n' so that the data starts on a 64-byte
  // boundary; version 2.0 only when the header does not fit 16 bits.
  size_t unpadded = dict.size() + 1;
  size_t lengthBytes =
      alignTo(kMagic.size() + 4 + unpadded, kAlignment) > 0xffff ? 4 : 2;
  size_t prefix = kMagic.size() + 2 + lengthBytes;
  size_t total = alignTo(prefix + unpadded, kAlignment);
  dict.append(total - prefix - unpadded, ' ');
  dict += '\n';

  os << kMagic;
  os << static_cast<char>(lengthBytes == 2 ? 1 : 2) << '\0';
  char length[4];
  if (lengthBytes == 2)
    support::endian::write16le(length, static_cast<uint16_t>(dict.size()));
  else
    support::endian::write32le(length, static_cast<uint32_t>(dict.size()));
  os.write(length, lengthBytes);
  os << dict;
  ArrayRef<char> bytes = tensor.getBytes();
  os.write(bytes.data(), bytes.size());
  return Error::success();
}

Error writeNumpyFile(StringRef path, const HostTensor &tensor) {
  Error error = writeToOutput(
      path, [&](raw_ostream &os) { return writeNumpy(os, tensor); });
  if (error)
    return makeError("cannot write '" + path +
                     "': " + toString(std::move(error)));
  return Error::success();
}

} // namespace xfc::runner
