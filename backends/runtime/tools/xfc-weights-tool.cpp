//===- xfc-weights-tool.cpp - Write and inspect .weights files ------------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// A test and debugging aid that uses the same header as the compiler and the
// runtime (xfc-c/artifact.h), so it cannot disagree with them:
//
//   xfc-weights-tool write OUT.weights RAW   wrap RAW's bytes as a data region
//   xfc-weights-tool checksum RAW            checksum of RAW's bytes
//   xfc-weights-tool info FILE.weights       header fields, checksum verdict
//
// `write` and `checksum` print the two metadata lines that describe the data
// ("weights-size N", "weights-checksum H").
//
//===----------------------------------------------------------------------===//

#include "SparseWeights.h"

#include "xfc-c/artifact.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

bool readFile(const char *path, std::vector<char> &bytes) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "xfc-weights-tool: cannot open %s\n", path);
    return false;
  }
  bytes.assign(std::istreambuf_iterator<char>(file),
               std::istreambuf_iterator<char>());
  return true;
}

void printMetadataLines(const std::vector<char> &data) {
  std::printf("weights-size %zu\nweights-checksum %016" PRIx64 "\n",
              data.size(), xfc_weights_checksum(data.data(), data.size()));
}

int write(const char *outPath, const char *rawPath) {
  std::vector<char> data;
  if (!readFile(rawPath, data))
    return 1;
  std::vector<char> header(XFC_WEIGHTS_HEADER_SIZE, 0);
  xfc_weights_header fields = {};
  std::memcpy(fields.magic, XFC_WEIGHTS_MAGIC, sizeof(fields.magic));
  fields.version = XFC_ARTIFACT_VERSION;
  fields.data_offset = XFC_WEIGHTS_HEADER_SIZE;
  fields.data_size = data.size();
  fields.checksum = xfc_weights_checksum(data.data(), data.size());
  fields.stored_size = data.size();
  fields.sparse_size = 0;
  std::memcpy(header.data(), &fields, sizeof(fields));

  std::ofstream out(outPath, std::ios::binary | std::ios::trunc);
  out.write(header.data(), header.size());
  out.write(data.data(), data.size());
  if (!out.flush()) {
    std::fprintf(stderr, "xfc-weights-tool: cannot write %s\n", outPath);
    return 1;
  }
  printMetadataLines(data);
  return 0;
}

int checksum(const char *rawPath) {
  std::vector<char> data;
  if (!readFile(rawPath, data))
    return 1;
  printMetadataLines(data);
  return 0;
}

int info(const char *path) {
  std::vector<char> bytes;
  if (!readFile(path, bytes))
    return 1;
  if (bytes.size() < sizeof(xfc_weights_header)) {
    std::printf("file-size %zu: too small for a header\n", bytes.size());
    return 1;
  }
  xfc_weights_header header;
  std::memcpy(&header, bytes.data(), sizeof(header));
  bool magicOk =
      std::memcmp(header.magic, XFC_WEIGHTS_MAGIC, sizeof(header.magic)) == 0;
  std::printf("magic %s\n", magicOk ? "ok" : "bad");
  std::printf("version %" PRIu64 "\n", header.version);
  std::printf("data-offset %" PRIu64 "\n", header.data_offset);
  std::printf("data-size %" PRIu64 "\n", header.data_size);
  std::printf("file-size %zu\n", bytes.size());
  std::printf("header-checksum %016" PRIx64 "\n", header.checksum);
  std::printf("stored-size %" PRIu64 "\n", header.stored_size);
  std::printf("sparse-size %" PRIu64 "\n", header.sparse_size);
  if (header.data_offset > bytes.size() ||
      header.stored_size > header.data_size ||
      (header.sparse_size == 0) != (header.stored_size == header.data_size) ||
      header.stored_size > bytes.size() - header.data_offset ||
      header.sparse_size !=
          bytes.size() - header.data_offset - header.stored_size) {
    std::printf("verdict: size mismatch\n");
    return 1;
  }
  // The region as the runtime sees it: the sparse section expanded.
  std::vector<unsigned char> region(
      bytes.begin() + header.data_offset,
      bytes.begin() + header.data_offset + header.stored_size);
  region.resize(header.data_size, 0);
  try {
    xfc::runtime::expandSparseSection(
        reinterpret_cast<const unsigned char *>(bytes.data()) +
            header.data_offset + header.stored_size,
        header.sparse_size, region.data(), header.stored_size,
        header.data_size, path);
  } catch (const std::exception &error) {
    std::printf("verdict: %s\n", error.what());
    return 1;
  }
  uint64_t actual = xfc_weights_checksum(region.data(), region.size());
  std::printf("data-checksum %016" PRIx64 "\n", actual);
  bool ok = magicOk && actual == header.checksum;
  std::printf("verdict: %s\n", ok ? "ok" : "checksum mismatch");
  return ok ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  std::string command = argc > 1 ? argv[1] : "";
  if (command == "write" && argc == 4)
    return write(argv[2], argv[3]);
  if (command == "checksum" && argc == 3)
    return checksum(argv[2]);
  if (command == "info" && argc == 3)
    return info(argv[2]);
  std::fprintf(stderr, "usage: xfc-weights-tool write OUT.weights RAW\n"
                       "       xfc-weights-tool checksum RAW\n"
                       "       xfc-weights-tool info FILE.weights\n");
  return 2;
}
