//===- WeightsFile.cpp - The mapped, checked .weights file ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "WeightsFile.h"

#include "Error.h"

#include "xfc-c/artifact.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// The header's fields are little-endian and read in place.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the runtime reads the weights header on little-endian hosts");

namespace xfc::runtime {

namespace {

/// Closes a descriptor on every path out of open(): the mapping keeps the
/// file alive on its own.
struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace

WeightsFile::~WeightsFile() {
  if (mapping)
    ::munmap(mapping, mappingSize);
}

void WeightsFile::open(const std::string &path, const Metadata &metadata) {
  FileDescriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0)
    throw RuntimeError(XFC_ERROR_IO, "cannot open weights file " + path + ": " +
                                         std::strerror(errno));
  struct stat status;
  if (::fstat(file.fd, &status) != 0)
    throw RuntimeError(XFC_ERROR_IO, "cannot stat weights file " + path + ": " +
                                         std::strerror(errno));
  if (!S_ISREG(status.st_mode))
    throw RuntimeError(XFC_ERROR_IO,
                       "weights file " + path + " is not a regular file");

  uint64_t fileSize = status.st_size;
  uint64_t expectedSize = XFC_WEIGHTS_HEADER_SIZE + metadata.weightsSize;
  auto truncated = [&] {
    return RuntimeError(XFC_ERROR_CHECKSUM,
                        "weights file " + path + " is truncated (" +
                            std::to_string(fileSize) + " bytes, expected " +
                            std::to_string(expectedSize) + ")");
  };
  if (fileSize < XFC_WEIGHTS_HEADER_SIZE)
    throw truncated();

  mappingSize = fileSize;
  void *address =
      ::mmap(nullptr, mappingSize, PROT_READ, MAP_PRIVATE, file.fd, 0);
  if (address == MAP_FAILED)
    throw RuntimeError(XFC_ERROR_IO, "cannot map weights file " + path + ": " +
                                         std::strerror(errno));
  mapping = address;

  xfc_weights_header header;
  std::memcpy(&header, mapping, sizeof(header));
  if (std::memcmp(header.magic, XFC_WEIGHTS_MAGIC, sizeof(header.magic)) != 0)
    throw RuntimeError(XFC_ERROR_FORMAT,
                       path + " is not an xfc weights file (no " +
                           XFC_WEIGHTS_MAGIC + " header)");
  if (header.version != XFC_ARTIFACT_VERSION)
    throw RuntimeError(XFC_ERROR_VERSION,
                       "weights file " + path + " has format version " +
                           std::to_string(header.version) +
                           ", this runtime reads version " +
                           std::to_string(XFC_ARTIFACT_VERSION) +
                           ": recompile the model with this xfc");
  if (header.data_offset != XFC_WEIGHTS_HEADER_SIZE)
    throw RuntimeError(XFC_ERROR_FORMAT,
                       "weights file " + path + " has data offset " +
                           std::to_string(header.data_offset) + ", expected " +
                           std::to_string(XFC_WEIGHTS_HEADER_SIZE));
  if (header.data_size != metadata.weightsSize)
    throw RuntimeError(XFC_ERROR_CHECKSUM,
                       "weights file " + path + " holds " +
                           std::to_string(header.data_size) +
                           " bytes of weights, the library expects " +
                           std::to_string(metadata.weightsSize) +
                           ": the weights file does not belong to this "
                           "library; recompile");
  if (fileSize < expectedSize)
    throw truncated();
  if (fileSize > expectedSize)
    throw RuntimeError(XFC_ERROR_CHECKSUM,
                       "weights file " + path + " has " +
                           std::to_string(fileSize - expectedSize) +
                           " bytes of trailing data (" +
                           std::to_string(fileSize) + " bytes, expected " +
                           std::to_string(expectedSize) +
                           "): it is corrupted; recompile");

  dataOffset = header.data_offset;
  dataSize = header.data_size;
  // The header's recorded checksum must match as well as the data's: a
  // header that disagrees is damage even when the data happens not to be.
  if (header.checksum != metadata.weightsChecksum ||
      xfc_weights_checksum(getData(), dataSize) != metadata.weightsChecksum)
    throw RuntimeError(XFC_ERROR_CHECKSUM,
                       "weights file " + path +
                           ": checksum mismatch: the weights file does not "
                           "belong to this library or is corrupted; "
                           "recompile");
}

} // namespace xfc::runtime
