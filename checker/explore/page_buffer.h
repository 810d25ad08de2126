// Large zeroed buffers straight from the kernel, in 2 MiB pages where it allows: the state
// store reads its table and rows at random, and with 4 KiB pages nearly every read would
// also miss the TLB.
#pragma once

#include <cstddef>

namespace racecheck::explore {

class PageBuffer {
 public:
  PageBuffer() = default;
  // `bytes` zeroed bytes; pages are committed when first touched.
  explicit PageBuffer(size_t bytes);
  ~PageBuffer();
  PageBuffer(PageBuffer&& other) noexcept;
  PageBuffer& operator=(PageBuffer&& other) noexcept;
  PageBuffer(const PageBuffer&) = delete;
  PageBuffer& operator=(const PageBuffer&) = delete;

  void* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  void Release();

  void* data_ = nullptr;
  size_t size_ = 0;     // as asked
  size_t mapped_ = 0;   // as mapped, a whole number of pages
};

}  // namespace racecheck::explore
