//===- TensorIO.cpp - Read and write tensor files -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "xfc/Runner/TensorIO.h"

#include "xfc/Runner/NumpyIO.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/onnx_pb.h"

#include <cstring>
#include <limits>

using namespace llvm;

namespace xfc::runner {

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// ONNX TensorProto
//===----------------------------------------------------------------------===//

static std::optional<xfc_dtype> getDType(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return XFC_DTYPE_F32;
  case onnx::TensorProto::FLOAT16:
    return XFC_DTYPE_F16;
  case onnx::TensorProto::BFLOAT16:
    return XFC_DTYPE_BF16;
  case onnx::TensorProto::DOUBLE:
    return XFC_DTYPE_F64;
  case onnx::TensorProto::INT8:
    return XFC_DTYPE_I8;
  case onnx::TensorProto::UINT8:
    return XFC_DTYPE_U8;
  case onnx::TensorProto::INT16:
    return XFC_DTYPE_I16;
  case onnx::TensorProto::INT32:
    return XFC_DTYPE_I32;
  case onnx::TensorProto::INT64:
    return XFC_DTYPE_I64;
  case onnx::TensorProto::BOOL:
    return XFC_DTYPE_BOOL;
  default:
    return std::nullopt;
  }
}

static onnx::TensorProto::DataType getDataType(xfc_dtype dtype) {
  switch (dtype) {
  case XFC_DTYPE_F32:
    return onnx::TensorProto::FLOAT;
  case XFC_DTYPE_F16:
    return onnx::TensorProto::FLOAT16;
  case XFC_DTYPE_BF16:
    return onnx::TensorProto::BFLOAT16;
  case XFC_DTYPE_F64:
    return onnx::TensorProto::DOUBLE;
  case XFC_DTYPE_I8:
    return onnx::TensorProto::INT8;
  case XFC_DTYPE_U8:
    return onnx::TensorProto::UINT8;
  case XFC_DTYPE_I16:
    return onnx::TensorProto::INT16;
  case XFC_DTYPE_I32:
    return onnx::TensorProto::INT32;
  case XFC_DTYPE_I64:
    return onnx::TensorProto::INT64;
  case XFC_DTYPE_BOOL:
    return onnx::TensorProto::BOOL;
  }
  return onnx::TensorProto::UNDEFINED;
}

/// The range of int32_data values that fit `dtype`.
static std::pair<int64_t, int64_t> getInt32DataRange(xfc_dtype dtype) {
  switch (dtype) {
  case XFC_DTYPE_I8:
    return {INT8_MIN, INT8_MAX};
  case XFC_DTYPE_U8:
    return {0, UINT8_MAX};
  case XFC_DTYPE_I16:
    return {INT16_MIN, INT16_MAX};
  case XFC_DTYPE_F16:
  case XFC_DTYPE_BF16:
    return {0, UINT16_MAX}; // Bit patterns.
  case XFC_DTYPE_BOOL:
    return {0, 1};
  default:
    return {INT32_MIN, INT32_MAX};
  }
}

Expected<HostTensor> parseTensorProto(StringRef contents, std::string *name) {
  if (contents.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    return makeError("a TensorProto of " + Twine(contents.size()) +
                     " bytes is over protobuf's 2 GiB limit");
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(contents.data(), static_cast<int>(contents.size())))
    return makeError("not a valid serialized onnx.TensorProto");
  if (name)
    *name = proto.name();

  std::optional<xfc_dtype> dtype = getDType(proto.data_type());
  if (!dtype) {
    std::string typeName =
        onnx::TensorProto_DataType_IsValid(proto.data_type())
            ? onnx::TensorProto_DataType_Name(
                  static_cast<onnx::TensorProto_DataType>(proto.data_type()))
            : std::to_string(proto.data_type());
    return makeError("unsupported TensorProto data type " + typeName +
                     "; xfc-run reads FLOAT, FLOAT16, BFLOAT16, DOUBLE, INT8, "
                     "UINT8, INT16, INT32, INT64 and BOOL");
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL)
    return makeError("the tensor's data is stored in an external file; "
                     "xfc-run reads TensorProtos with their data inline");
  if (proto.has_segment())
    return makeError("segmented TensorProtos are not supported");

  SmallVector<int64_t, 4> dims(proto.dims().begin(), proto.dims().end());
  size_t elementSize = getDTypeSize(*dtype);
  std::optional<int64_t> count = getElementCount(dims, elementSize);
  if (llvm::any_of(dims, [](int64_t dim) { return dim < 0; }))
    return makeError("shape " + formatShape(dims) +
                     " has a negative dimension");
  if (!count)
    return makeError("shape " + formatShape(dims) + " of " +
                     getDTypeName(*dtype) + " overflows int64");
  auto describe = [&] {
    return formatShape(dims) + " of " + getDTypeName(*dtype).str();
  };
  uint64_t byteSize = static_cast<uint64_t>(*count) * elementSize;
  // Check the amount of data before allocating what the shape asks for.
  auto checkCount = [&](int64_t present, StringRef field) -> Error {
    if (present == *count)
      return Error::success();
    return makeError("the TensorProto has " + Twine(present) + " " + field +
                     " values but its shape " + describe() + " needs " +
                     Twine(*count));
  };
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != byteSize)
      return makeError("the TensorProto has " + Twine(proto.raw_data().size()) +
                       " bytes of raw_data but its shape " + describe() +
                       " needs " + Twine(byteSize));
  } else {
    Error error = Error::success();
    switch (*dtype) {
    case XFC_DTYPE_F32:
      error = checkCount(proto.float_data_size(), "float_data");
      break;
    case XFC_DTYPE_F64:
      error = checkCount(proto.double_data_size(), "double_data");
      break;
    case XFC_DTYPE_I64:
      error = checkCount(proto.int64_data_size(), "int64_data");
      break;
    default:
      error = checkCount(proto.int32_data_size(), "int32_data");
      break;
    }
    if (error)
      return std::move(error);
  }

  Expected<HostTensor> tensor = HostTensor::create(*dtype, dims);
  if (!tensor)
    return tensor.takeError();
  char *data = tensor->getData();
  if (proto.has_raw_data()) {
    if (byteSize)
      std::memcpy(data, proto.raw_data().data(), byteSize);
  } else if (*dtype == XFC_DTYPE_F32) {
    if (byteSize)
      std::memcpy(data, proto.float_data().data(), byteSize);
  } else if (*dtype == XFC_DTYPE_F64) {
    if (byteSize)
      std::memcpy(data, proto.double_data().data(), byteSize);
  } else if (*dtype == XFC_DTYPE_I64) {
    if (byteSize)
      std::memcpy(data, proto.int64_data().data(), byteSize);
  } else {
    auto [low, high] = getInt32DataRange(*dtype);
    for (int64_t i = 0; i < *count; ++i) {
      int32_t value = proto.int32_data(i);
      if (value < low || value > high)
        return makeError("int32_data value " + Twine(value) + " at index " +
                         Twine(i) + " does not fit " + getDTypeName(*dtype));
      // Little-endian: the low bytes of the int32 are the element.
      std::memcpy(data + i * elementSize, &value, elementSize);
    }
  }
  if (*dtype == XFC_DTYPE_BOOL)
    for (char &byte : tensor->getBytes())
      byte = byte != 0;
  return tensor;
}

Expected<std::string> serializeTensorProto(const HostTensor &tensor,
                                           StringRef name) {
  onnx::TensorProto proto;
  proto.set_name(name.str());
  proto.set_data_type(getDataType(tensor.getDType()));
  for (int64_t dim : tensor.getDims())
    proto.add_dims(dim);
  ArrayRef<char> bytes = tensor.getBytes();
  proto.set_raw_data(bytes.data(), bytes.size());
  std::string serialized;
  if (!proto.SerializeToString(&serialized))
    return makeError("cannot serialize a " + tensor.describe() +
                     " tensor as a TensorProto (over 2 GiB?)");
  return serialized;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

Expected<HostTensor> readTensorFile(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFile(path, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  StringRef contents = (*buffer)->getBuffer();
  StringRef extension = sys::path::extension(path);
  bool isNumpy = contents.starts_with("\x93NUMPY") || extension == ".npy";
  if (!isNumpy && extension != ".pb")
    return makeError("'" + path +
                     "': unknown tensor file type; xfc-run reads .npy files "
                     "and ONNX TensorProto files named *.pb");
  Expected<HostTensor> tensor =
      isNumpy ? parseNumpy(contents) : parseTensorProto(contents);
  if (!tensor)
    return makeError("'" + path + "': " + toString(tensor.takeError()));
  return tensor;
}

Error writeTensorFile(StringRef path, const HostTensor &tensor,
                      StringRef name) {
  if (sys::path::extension(path) != ".pb")
    return writeNumpyFile(path, tensor);
  Expected<std::string> serialized = serializeTensorProto(tensor, name);
  if (!serialized)
    return serialized.takeError();
  Error error = writeToOutput(path, [&](raw_ostream &os) {
    os << *serialized;
    return Error::success();
  });
  if (error)
    return makeError("cannot write '" + path +
                     "': " + toString(std::move(error)));
  return Error::success();
}

} // namespace xfc::runner
