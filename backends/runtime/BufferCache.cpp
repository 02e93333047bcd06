//===- BufferCache.cpp - Reuse of a model's intermediate buffers ----------===//
//
// SPDX-License-Identifier: Apache-2.0
//
//===----------------------------------------------------------------------===//

#include "BufferCache.h"

#include <cstdlib>

namespace xfc::runtime {

BufferCache::~BufferCache() {
  for (auto &[size, block] : available)
    std::free(block);
  for (auto &[block, size] : inUse)
    std::free(block);
}

void *BufferCache::allocate(size_t size) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = available.find(size);
    if (it != available.end()) {
      void *block = it->second;
      available.erase(it);
      inUse.emplace(block, size);
      return block;
    }
  }
  constexpr size_t kAlignment = 64;
  size_t rounded = (size + kAlignment - 1) / kAlignment * kAlignment;
  void *block = std::aligned_alloc(kAlignment, rounded ? rounded : kAlignment);
  if (!block)
    return nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  inUse.emplace(block, size);
  return block;
}

void BufferCache::release(void *block) {
  if (!block)
    return;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = inUse.find(block);
  if (it == inUse.end())
    return; // Not ours: never free what we did not allocate.
  available.emplace(it->second, block);
  inUse.erase(it);
}

} // namespace xfc::runtime
