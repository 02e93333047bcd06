//===- SparseWeights.cpp - The weights file's sparse section --------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "SparseWeights.h"

#include "Error.h"

#include "xfc-c/artifact.h"

#include <cstring>

namespace xfc::runtime {

namespace {

uint64_t padTo8(uint64_t bytes) { return (bytes + 7) / 8 * 8; }

} // namespace

void expandSparseSection(const unsigned char *section, uint64_t sectionSize,
                         unsigned char *region, uint64_t storedSize,
                         uint64_t dataSize, const std::string &path) {
  uint64_t position = 0;
  uint64_t end = storedSize; // of the previous tensor
  for (uint64_t index = 0; position < sectionSize; ++index) {
    auto fail = [&](const std::string &what) {
      return RuntimeError(XFC_ERROR_FORMAT,
                          "weights file " + path +
                              ": malformed sparse section: record " +
                              std::to_string(index) + " at byte " +
                              std::to_string(position) + ": " + what +
                              "; recompile");
    };
    xfc_sparse_record record;
    if (sectionSize - position < sizeof(record))
      throw fail("truncated record header");
    std::memcpy(&record, section + position, sizeof(record));
    if (record.size == 0 || record.size % 4 != 0)
      throw fail("size " + std::to_string(record.size) +
                 " is not a positive multiple of 4");
    if (record.offset < end || record.offset > dataSize ||
        record.size > dataSize - record.offset)
      throw fail("tensor [" + std::to_string(record.offset) + ", +" +
                 std::to_string(record.size) +
                 ") overlaps another tensor or lies outside [" +
                 std::to_string(storedSize) + ", " + std::to_string(dataSize) +
                 ")");
    uint64_t words = record.size / 4;
    if (record.nonzeros > words)
      throw fail(std::to_string(record.nonzeros) + " nonzeros in " +
                 std::to_string(words) + " words");
    uint64_t bitmapBytes = (words + 7) / 8;
    uint64_t valueBytes = record.nonzeros * 4;
    uint64_t remaining = sectionSize - position - sizeof(record);
    if (padTo8(bitmapBytes) > remaining ||
        padTo8(valueBytes) > remaining - padTo8(bitmapBytes))
      throw fail("bitmap and values run past the end of the section");
    const unsigned char *bitmap = section + position + sizeof(record);
    const unsigned char *values = bitmap + padTo8(bitmapBytes);
    // Count first: nothing is written for a record whose bitmap disagrees.
    uint64_t count = 0;
    for (uint64_t byte = 0; byte < bitmapBytes; ++byte)
      count += __builtin_popcount(bitmap[byte]);
    if (words % 8 != 0 && (bitmap[bitmapBytes - 1] >> (words % 8)) != 0)
      throw fail("bitmap bits set past the tensor's end");
    if (count != record.nonzeros)
      throw fail("the bitmap has " + std::to_string(count) +
                 " bits set, the record says " +
                 std::to_string(record.nonzeros) + " nonzeros");
    unsigned char *tensor = region + record.offset;
    uint64_t next = 0;
    for (uint64_t word = 0; word < words; ++word)
      if (bitmap[word / 8] >> (word % 8) & 1)
        std::memcpy(tensor + 4 * word, values + 4 * next++, 4);
    position += sizeof(record) + padTo8(bitmapBytes) + padTo8(valueBytes);
    end = record.offset + record.size;
  }
}

} // namespace xfc::runtime
