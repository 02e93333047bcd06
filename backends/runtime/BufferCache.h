//===- BufferCache.h - Reuse of a model's intermediate buffers --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//
//
// Generated code allocates every intermediate tensor of a run and frees it
// after its last use. Served by malloc, the large ones are fresh mmaps each
// run, and first-touch page faults then cost about a tenth of a BERT-base
// run. The cache keeps freed blocks by size for the next allocation of
// that size: after the first run, a model allocates nothing.
//
//===----------------------------------------------------------------------===//

#ifndef XFC_RUNTIME_BUFFERCACHE_H
#define XFC_RUNTIME_BUFFERCACHE_H

#include <cstddef>
#include <mutex>
#include <unordered_map>

namespace xfc::runtime {

/// Thread-safe: concurrent runs of one model share it.
class BufferCache {
public:
  BufferCache() = default;
  BufferCache(const BufferCache &) = delete;
  BufferCache &operator=(const BufferCache &) = delete;
  ~BufferCache();

  /// A block of `size` bytes, 64-byte aligned; NULL when out of memory.
  void *allocate(size_t size);
  /// Returns a block from allocate() to the cache.
  void release(void *block);

private:
  std::mutex mutex;
  /// Blocks handed out, by address: their sizes.
  std::unordered_map<void *, size_t> inUse;
  /// Freed blocks by size.
  std::unordered_multimap<size_t, void *> available;
};

} // namespace xfc::runtime

#endif // XFC_RUNTIME_BUFFERCACHE_H
