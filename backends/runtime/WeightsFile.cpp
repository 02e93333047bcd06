//===- WeightsFile.cpp - The mapped, checked .weights file ----------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "WeightsFile.h"

#include "Error.h"
#include "SparseWeights.h"

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
  if (expanded)
    ::munmap(expanded, expandedSize);
}

void WeightsFile::expand(int fd, const std::string &path) {
  // Anonymous memory (zeros) for the whole region, the stored part mapped
  // over its start from the file (still shared, paged in on first touch),
  // the sparse tensors written into the rest, which then becomes read-only.
  long page = ::sysconf(_SC_PAGESIZE);
  // The stored part starts and ends on 4096-byte boundaries of the file;
  // with larger pages it is copied instead of mapped.
  bool mapStored = page > 0 && XFC_WEIGHTS_HEADER_SIZE % page == 0;
  if (page <= 0)
    page = XFC_WEIGHTS_HEADER_SIZE;
  expandedSize = (dataSize + page - 1) / page * page;
  void *address = ::mmap(nullptr, expandedSize, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (address == MAP_FAILED)
    throw RuntimeError(XFC_ERROR_IO,
                       "cannot allocate " + std::to_string(dataSize) +
                           " bytes for the weights of " + path + ": " +
                           std::strerror(errno));
  expanded = address;
  auto *region = static_cast<unsigned char *>(expanded);
  if (storedSize > 0 && !mapStored)
    std::memcpy(region, static_cast<const char *>(mapping) + dataOffset,
                storedSize);
  else if (storedSize > 0 &&
           ::mmap(region, storedSize, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd,
                  dataOffset) == MAP_FAILED)
    throw RuntimeError(XFC_ERROR_IO, "cannot map weights file " + path +
                                         ": " + std::strerror(errno));
  expandSparseSection(static_cast<const unsigned char *>(mapping) +
                          dataOffset + storedSize,
                      sparseSize, region, storedSize, dataSize, path);
  uint64_t writable = mapStored ? storedSize : 0;
  if (::mprotect(region + writable, expandedSize - writable, PROT_READ) != 0)
    throw RuntimeError(XFC_ERROR_IO, "cannot protect the weights of " + path +
                                         ": " + std::strerror(errno));
  // The file mapping held only the header and the section: done with it.
  ::munmap(mapping, mappingSize);
  mapping = nullptr;
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
  uint64_t expectedSize = XFC_WEIGHTS_HEADER_SIZE +
                          metadata.weightsStoredSize +
                          metadata.weightsSparseSize;
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
  if (header.stored_size != metadata.weightsStoredSize ||
      header.sparse_size != metadata.weightsSparseSize)
    throw RuntimeError(XFC_ERROR_CHECKSUM,
                       "weights file " + path + " stores " +
                           std::to_string(header.stored_size) +
                           " bytes as they are and " +
                           std::to_string(header.sparse_size) +
                           " sparse, the library expects " +
                           std::to_string(metadata.weightsStoredSize) +
                           " and " +
                           std::to_string(metadata.weightsSparseSize) +
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
  storedSize = header.stored_size;
  sparseSize = header.sparse_size;
  if (sparseSize > 0)
    expand(file.fd, path);
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
