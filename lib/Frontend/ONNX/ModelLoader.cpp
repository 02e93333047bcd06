//===- ModelLoader.cpp - Parse and validate ONNX models and tensors -------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Everything here reads attacker-controlled bytes, so every size is checked
// before it is used: element counts against int64 overflow, byte counts
// against the data actually present, external data paths against the model
// directory (no absolute paths, no "..", no symbolic or hard links, regular
// files only, ranges inside the file).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "xfc/Dialect/XF/XFTypes.h"

#include "mlir/IR/AsmState.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "onnx/defs/parser.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mlir;

namespace xfc::onnx_import {

StringRef dataTypeName(int32_t dataType) {
  if (onnx::TensorProto_DataType_IsValid(dataType))
    return onnx::TensorProto_DataType_Name(
        static_cast<onnx::TensorProto_DataType>(dataType));
  // Types newer than the ONNX library xfc builds against (1.12).
  switch (dataType) {
  case 17:
    return "FLOAT8E4M3FN";
  case 18:
    return "FLOAT8E4M3FNUZ";
  case 19:
    return "FLOAT8E5M2";
  case 20:
    return "FLOAT8E5M2FNUZ";
  case 21:
    return "UINT4";
  case 22:
    return "INT4";
  case 23:
    return "FLOAT4E2M1";
  case 24:
    return "FLOAT8E8M0";
  default:
    return "unknown";
  }
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

std::unique_ptr<onnx::ModelProto> parseModelFile(StringRef path,
                                                 Location loc) {
  auto model = std::make_unique<onnx::ModelProto>();
  auto fail = [&](const Twine &reason) {
    emitError(loc) << "failed to parse '" << path
                   << "' as an ONNX ModelProto: " << reason;
    return nullptr;
  };

  if (path.ends_with(".onnxtxt")) {
    auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
    if (!buffer)
      return fail(buffer.getError().message());
    std::string text = (*buffer)->getBuffer().str();
    onnx::Common::Status status = onnx::OnnxParser::Parse(*model, text.c_str());
    if (!status.IsOK())
      return fail(status.ErrorMessage());
    return model;
  }

  int fd = ::open(path.str().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(std::strerror(errno));
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return fail("not a regular file");
  }
  if (info.st_size == 0) {
    ::close(fd);
    return fail("the file is empty");
  }
  bool parsed;
  {
    // Stream the file through a small buffer: the parsed message is the only
    // full copy of the weights in memory.
    google::protobuf::io::FileInputStream fileStream(fd);
    google::protobuf::io::CodedInputStream coded(&fileStream);
    coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
    parsed = model->ParseFromCodedStream(&coded) &&
             coded.ConsumedEntireMessage();
  }
  ::close(fd);
  if (!parsed)
    return fail("the file is truncated, corrupt, nested too deeply or "
                "not a model");
  return model;
}

//===----------------------------------------------------------------------===//
// TensorReader
//===----------------------------------------------------------------------===//

/// A read-only mapping of a whole external data file, shared by the blobs
/// that point into it and unmapped when the last one goes.
struct TensorReader::MappedFile {
  MappedFile(const char *data, size_t size) : data(data), size(size) {}
  ~MappedFile() {
    if (size)
      ::munmap(const_cast<char *>(data), size);
  }
  const char *data;
  size_t size;
};

TensorReader::TensorReader(MLIRContext &context, StringRef modelDir,
                           int64_t resourceThresholdBytes)
    : context(context), modelDir(modelDir.str()),
      resourceThresholdBytes(resourceThresholdBytes) {}

TensorReader::~TensorReader() = default;

Type TensorReader::getElementType(MLIRContext &context, int32_t dataType) {
  Builder b(&context);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::UINT8:
    // Only quantized operators take uint8; they reinterpret it through a
    // quant type whose storage is u8. Elsewhere xf rejects it by name.
    return b.getIntegerType(8, /*isSigned=*/false);
  default:
    return {};
  }
}

/// Bytes per element of the in-memory layout (bool as one byte, as ONNX
/// raw_data stores it).
static int64_t elementByteSize(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
    return 8;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
    return 4;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::INT16:
    return 2;
  default:
    return 1;
  }
}

/// The largest power-of-two alignment of `data`, capped at 64 bytes.
static size_t alignmentOf(const void *data) {
  auto address = reinterpret_cast<uintptr_t>(data);
  size_t alignment = 64;
  while (alignment > 1 && address % alignment != 0)
    alignment /= 2;
  return alignment;
}

FailureOr<ArrayRef<char>>
TensorReader::readExternal(const onnx::TensorProto &tensor, int64_t byteSize,
                           StringRef what, Location loc,
                           std::shared_ptr<MappedFile> &owner) {
  std::string location;
  std::optional<int64_t> offset, length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    int64_t number;
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      if (StringRef(entry.value()).getAsInteger(10, number) || number < 0)
        return emitError(loc) << "external data " << entry.key() << " '"
                              << entry.value() << "' of " << what
                              << " is not a non-negative integer";
      (entry.key() == "offset" ? offset : length) = number;
    }
  }
  auto locationError = [&](const Twine &problem) {
    return emitError(loc) << "external data location '" << location << "' of "
                          << what << " " << problem
                          << "; external data must be a regular file inside "
                             "the model's directory";
  };
  if (location.empty())
    return emitError(loc) << what
                          << " is stored externally but names no location";
  if (llvm::sys::path::is_absolute(location))
    return locationError("is an absolute path");
  for (StringRef component : llvm::make_range(
           llvm::sys::path::begin(location), llvm::sys::path::end(location)))
    if (component == "..")
      return locationError("leaves the model directory");

  // Walk the path one component at a time with lstat, so that no symbolic
  // link anywhere along it can lead outside the directory.
  SmallString<256> path(modelDir);
  for (StringRef component : llvm::make_range(
           llvm::sys::path::begin(location), llvm::sys::path::end(location))) {
    if (component == ".")
      continue;
    llvm::sys::path::append(path, component);
    struct stat info;
    if (::lstat(path.c_str(), &info) != 0)
      return emitError(loc) << "cannot open external data '" << location
                            << "' of " << what << ": "
                            << std::strerror(errno);
    if (S_ISLNK(info.st_mode))
      return locationError("is a symbolic link");
  }

  std::shared_ptr<MappedFile> &mapped = mappedFiles[path];
  if (!mapped) {
    // O_NONBLOCK: a FIFO that slipped past the checks must not hang us;
    // O_NOFOLLOW and the fstat below re-check what was actually opened.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
                                      O_NONBLOCK);
    if (fd < 0)
      return emitError(loc) << "cannot open external data '" << location
                            << "' of " << what << ": "
                            << std::strerror(errno);
    struct stat info;
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd);
      mappedFiles.erase(path);
      return locationError("is not a regular file");
    }
    if (info.st_nlink > 1) {
      ::close(fd);
      mappedFiles.erase(path);
      return locationError("has more than one hard link");
    }
    size_t size = info.st_size;
    const char *data = nullptr;
    if (size > 0) {
      void *map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (map == MAP_FAILED) {
        ::close(fd);
        mappedFiles.erase(path);
        return emitError(loc) << "cannot map external data '" << location
                              << "' of " << what << ": "
                              << std::strerror(errno);
      }
      data = static_cast<const char *>(map);
    }
    ::close(fd);
    mapped = std::make_shared<MappedFile>(data, size);
  }

  int64_t fileSize = mapped->size;
  int64_t start = offset.value_or(0);
  int64_t count = length.value_or(byteSize);
  std::optional<int64_t> end = llvm::checkedAdd(start, count);
  if (!end || *end > fileSize)
    return emitError(loc) << "external data of " << what << " (offset "
                          << start << ", length " << count
                          << ") lies past the end of '" << location << "' ("
                          << fileSize << " bytes)";
  if (count != byteSize)
    return emitError(loc) << what << " has " << count
                          << " bytes of external data but its shape needs "
                          << byteSize;
  owner = mapped;
  return ArrayRef<char>(mapped->data + start, count);
}

FailureOr<ElementsAttr> TensorReader::read(onnx::TensorProto &tensor,
                                           StringRef what, Location loc) {
  int32_t dataType = tensor.data_type();
  Type elementType = getElementType(context, dataType);
  if (!elementType) {
    InFlightDiagnostic diag = emitError(loc);
    diag << what << " has unsupported element type " << dataType;
    if (!dataTypeName(dataType).empty())
      diag << " (" << dataTypeName(dataType) << ")";
    diag << "; xfc imports FLOAT, FLOAT16, BFLOAT16, DOUBLE, BOOL, INT8, "
            "INT16, INT32, INT64 and (for quantized operators) UINT8";
    return failure();
  }

  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  for (int64_t dim : shape)
    if (dim < 0)
      return emitError(loc) << what << " has negative dimension " << dim;
  std::optional<int64_t> count = xf::getElementCount(shape);
  std::optional<int64_t> byteSize =
      count ? llvm::checkedMul(*count, elementByteSize(dataType))
            : std::nullopt;
  if (!byteSize)
    return emitError(loc) << what << " has shape " << xf::formatShape(shape)
                          << " whose size overflows int64";
  auto type = RankedTensorType::get(shape, elementType);
  auto shapeText = [&] {
    return xf::formatShape(shape) + " of " + dataTypeName(dataType).str();
  };

  // Locate the bytes: external file, raw_data, or a typed repeated field.
  ArrayRef<char> bytes;
  std::shared_ptr<MappedFile> mappedOwner;
  std::string *rawOwner = nullptr;
  std::vector<char> converted;
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<ArrayRef<char>> external =
        readExternal(tensor, *byteSize, what, loc, mappedOwner);
    if (failed(external))
      return failure();
    bytes = *external;
  } else if (tensor.has_raw_data()) {
    if (static_cast<int64_t>(tensor.raw_data().size()) != *byteSize)
      return emitError(loc)
             << what << " has " << tensor.raw_data().size()
             << " bytes of raw_data but its shape " << shapeText()
             << " needs " << *byteSize;
    rawOwner = tensor.release_raw_data();
    bytes = ArrayRef<char>(rawOwner->data(), rawOwner->size());
  } else {
    // Typed fields: each has its own storage type and count.
    auto checkCount = [&](int64_t present, StringRef field) -> LogicalResult {
      if (present == *count)
        return success();
      return emitError(loc) << what << " has " << present << " " << field
                            << " values but its shape "
                            << xf::formatShape(shape) << " needs " << *count;
    };
    converted.resize(*byteSize);
    switch (dataType) {
    case onnx::TensorProto::FLOAT:
      if (failed(checkCount(tensor.float_data_size(), "float_data")))
        return failure();
      std::memcpy(converted.data(), tensor.float_data().data(), *byteSize);
      break;
    case onnx::TensorProto::DOUBLE:
      if (failed(checkCount(tensor.double_data_size(), "double_data")))
        return failure();
      std::memcpy(converted.data(), tensor.double_data().data(), *byteSize);
      break;
    case onnx::TensorProto::INT64:
      if (failed(checkCount(tensor.int64_data_size(), "int64_data")))
        return failure();
      std::memcpy(converted.data(), tensor.int64_data().data(), *byteSize);
      break;
    default: {
      // int32_data holds every narrower type, one value per element.
      if (failed(checkCount(tensor.int32_data_size(), "int32_data")))
        return failure();
      int64_t width = elementByteSize(dataType);
      for (int64_t i = 0; i < *count; ++i) {
        int32_t value = tensor.int32_data(i);
        std::memcpy(converted.data() + i * width, &value, width);
      }
      break;
    }
    }
    bytes = ArrayRef<char>(converted.data(), converted.size());
  }

  // Booleans: one byte each in ONNX, bit-packed in DenseElementsAttr.
  if (elementType.isInteger(1)) {
    SmallVector<bool> values(bytes.size());
    for (auto [i, byte] : llvm::enumerate(bytes))
      values[i] = byte != 0;
    delete rawOwner;
    return cast<ElementsAttr>(DenseElementsAttr::get(type, values));
  }

  if (*byteSize < resourceThresholdBytes || *count <= 1) {
    auto attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
    delete rawOwner;
    return cast<ElementsAttr>(attr);
  }

  // A blob that owns (or shares) the bytes it points at: no copy.
  AsmResourceBlob blob;
  if (rawOwner) {
    blob = AsmResourceBlob(bytes, alignmentOf(bytes.data()),
                           [rawOwner](void *, size_t, size_t) {
                             delete rawOwner;
                           },
                           /*dataIsMutable=*/false);
  } else if (mappedOwner) {
    blob = AsmResourceBlob(bytes, alignmentOf(bytes.data()),
                           [mappedOwner](void *, size_t, size_t) {},
                           /*dataIsMutable=*/false);
  } else {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64);
  }
  return cast<ElementsAttr>(
      DenseResourceElementsAttr::get(
          type, tensor.name().empty() ? "constant" : tensor.name(),
          std::move(blob)));
}

} // namespace xfc::onnx_import
