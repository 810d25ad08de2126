#include "checker/explore/page_buffer.h"

#include <sys/mman.h>

#include <cstdint>
#include <utility>

#include "checker/base/diagnostics.h"

namespace racecheck::explore {
namespace {

constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

}  // namespace

PageBuffer::PageBuffer(size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  if (bytes < kHugePage) {
    mapped_ = RoundUp(bytes, 4096);
    data_ = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    RACECHECK_CHECK(data_ != MAP_FAILED, "out of memory for the state store");
    return;
  }
  // Map a huge page more than needed, then trim both ends so the buffer starts on a huge page.
  mapped_ = RoundUp(bytes, kHugePage);
  void* raw = mmap(nullptr, mapped_ + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  RACECHECK_CHECK(raw != MAP_FAILED, "out of memory for the state store");
  auto start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = RoundUp(start, kHugePage);
  if (aligned > start) munmap(raw, aligned - start);
  size_t tail = (start + mapped_ + kHugePage) - (aligned + mapped_);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + mapped_), tail);
  data_ = reinterpret_cast<void*>(aligned);
  // Only a hint: without transparent huge pages the buffer simply uses small ones.
  madvise(data_, mapped_, MADV_HUGEPAGE);
}

PageBuffer::~PageBuffer() { Release(); }

PageBuffer::PageBuffer(PageBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, 0)) {}

PageBuffer& PageBuffer::operator=(PageBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

void PageBuffer::Release() {
  if (data_ != nullptr) munmap(data_, mapped_);
  data_ = nullptr;
  size_ = 0;
  mapped_ = 0;
}

}  // namespace racecheck::explore
