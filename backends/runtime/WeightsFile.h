//===- WeightsFile.h - The mapped, checked .weights file -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_WEIGHTSFILE_H
#define XFC_BACKENDS_RUNTIME_WEIGHTSFILE_H

#include "Metadata.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace xfc::runtime {

/// A read-only private mapping of a .weights file whose header and checksum
/// match the library's metadata. Generated code reads the weights straight
/// from the mapping, so pages are loaded on first touch and shared with
/// other processes using the same file.
class WeightsFile {
public:
  WeightsFile() = default;
  WeightsFile(const WeightsFile &) = delete;
  WeightsFile &operator=(const WeightsFile &) = delete;
  ~WeightsFile();

  /// Maps `path` and checks it against `metadata`. Throws RuntimeError:
  /// XFC_ERROR_IO when it cannot be opened or mapped, XFC_ERROR_FORMAT for
  /// a bad magic or layout, XFC_ERROR_VERSION for another format version,
  /// XFC_ERROR_CHECKSUM when its size or checksum does not match.
  void open(const std::string &path, const Metadata &metadata);

  /// The data region (what generated code gets as `weights`): inside the
  /// file's mapping, or, when the file has a sparse section, a region whose
  /// stored part maps the file and whose tail holds the expanded tensors.
  const void *getData() const {
    if (expanded)
      return expanded;
    return static_cast<const char *>(mapping) + dataOffset;
  }
  uint64_t getDataSize() const { return dataSize; }

private:
  /// Builds `expanded` from the stored part and the sparse section.
  void expand(int fd, const std::string &path);

  void *mapping = nullptr;
  size_t mappingSize = 0;
  void *expanded = nullptr;
  size_t expandedSize = 0;
  uint64_t storedSize = 0;
  uint64_t sparseSize = 0;
  uint64_t dataOffset = 0;
  uint64_t dataSize = 0;
};

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_WEIGHTSFILE_H
