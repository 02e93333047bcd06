//===- SparseWeights.h - The weights file's sparse section -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#ifndef XFC_BACKENDS_RUNTIME_SPARSEWEIGHTS_H
#define XFC_BACKENDS_RUNTIME_SPARSEWEIGHTS_H

#include <cstdint>
#include <string>

namespace xfc::runtime {

/// Expands the sparse section of artifact.h (`section`, `sectionSize`
/// bytes) into `region`, the data region of `dataSize` bytes whose bytes
/// from `storedSize` on are zero. Every read is bounds-checked; a malformed
/// section throws RuntimeError(XFC_ERROR_FORMAT) naming `path` and the
/// record. The caller checks the expanded region's checksum.
void expandSparseSection(const unsigned char *section, uint64_t sectionSize,
                         unsigned char *region, uint64_t storedSize,
                         uint64_t dataSize, const std::string &path);

} // namespace xfc::runtime

#endif // XFC_BACKENDS_RUNTIME_SPARSEWEIGHTS_H
