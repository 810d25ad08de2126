#include "checker/explore/state_store.h"

#include <bit>
#include <cstring>

#include "checker/base/diagnostics.h"

namespace racecheck::explore {
namespace {

constexpr uint64_t kMul1 = 0x9E3779B97F4A7C15ull;
constexpr uint64_t kMul2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kInitialCapacity = 1024;
// The table grows when more than 7 in 10 entries are used.
constexpr uint64_t kLoadNumerator = 7;
constexpr uint64_t kLoadDenominator = 10;
// Rows come in chunks of a power of two rows, mapped in 2 MiB huge pages: a chunk's last huge
// page is partly unused, so chunks are large enough (32 to 64 MiB) for that to cost at most 6%
// (with 4 MiB chunks a 132-byte row used 2.1 MiB of every 4: the process took 1.9x the
// memory the store counted, and the memory limit came too late).
constexpr size_t kChunkBytes = size_t{64} << 20;

uint64_t Finalize(uint64_t h) {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return h;
}

uint64_t GrowAt(uint64_t capacity) { return capacity / kLoadDenominator * kLoadNumerator; }

// The fewest bytes (1, 2 or 4) that hold every slot of `state`.
int SlotBytesFor(const ir::Value* state, int32_t width) {
  int bytes = 1;
  for (int32_t i = 0; i < width; ++i) {
    ir::Value v = state[i];
    if (v < INT16_MIN || v > INT16_MAX) return 4;
    if (v < INT8_MIN || v > INT8_MAX) bytes = 2;
  }
  return bytes;
}

template <typename Slot>
void PackAs(const ir::Value* state, int32_t width, uint8_t* out) {
  for (int32_t i = 0; i < width; ++i) {
    auto v = static_cast<Slot>(state[i]);
    std::memcpy(out + i * sizeof(Slot), &v, sizeof(Slot));
  }
}

template <typename Slot>
void UnpackAs(const uint8_t* in, int32_t width, ir::Value* state) {
  for (int32_t i = 0; i < width; ++i) {
    Slot v;
    std::memcpy(&v, in + i * sizeof(Slot), sizeof(Slot));
    state[i] = v;
  }
}

// `state` in slots of `bytes` bytes, each of which must hold its value.
void Pack(const ir::Value* state, int32_t width, int bytes, uint8_t* out) {
  switch (bytes) {
    case 1: return PackAs<int8_t>(state, width, out);
    case 2: return PackAs<int16_t>(state, width, out);
    default: return PackAs<int32_t>(state, width, out);
  }
}

void Unpack(const uint8_t* in, int32_t width, int bytes, ir::Value* state) {
  switch (bytes) {
    case 1: return UnpackAs<int8_t>(in, width, state);
    case 2: return UnpackAs<int16_t>(in, width, state);
    default: return UnpackAs<int32_t>(in, width, state);
  }
}

}  // namespace

uint64_t HashState(const ir::Value* state, int32_t width) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(state);
  size_t n = static_cast<size_t>(width) * sizeof(ir::Value);
  uint64_t h = kMul2 ^ (n * kMul1);
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, bytes, 8);
    h = std::rotl(h ^ (word * kMul1), 31) * kMul2;
    bytes += 8;
    n -= 8;
  }
  if (n > 0) {
    uint32_t word;
    std::memcpy(&word, bytes, 4);
    h = std::rotl(h ^ (word * kMul1), 31) * kMul2;
  }
  return Finalize(h);
}

StateStore::StateStore(int32_t width) : width_(width), packed_(static_cast<size_t>(width) * sizeof(ir::Value)) {
  RACECHECK_CHECK(width >= 0, "negative state width");
  Layout(1);
  table_buffer_ = PageBuffer(kInitialCapacity * sizeof(uint64_t));
  table_ = static_cast<uint64_t*>(table_buffer_.data());
  capacity_ = kInitialCapacity;
  table_mask_ = kInitialCapacity - 1;
  grow_at_ = GrowAt(kInitialCapacity);
}

void StateStore::Layout(int slot_bytes) {
  slot_bytes_ = slot_bytes;
  row_bytes_ = static_cast<size_t>(width_) * slot_bytes + 2 * sizeof(uint32_t);
  size_t rows = std::bit_floor(std::max<size_t>(kChunkBytes / row_bytes_, 1));
  chunk_shift_ = std::countr_zero(rows);
  chunk_mask_ = static_cast<uint32_t>(rows - 1);
}

uint8_t* StateStore::NewRow(uint32_t index) {
  if ((index & chunk_mask_) == 0) {
    chunks_.emplace_back(static_cast<size_t>(chunk_mask_ + 1) * row_bytes_);
    chunk_rows_.push_back(static_cast<uint8_t*>(chunks_.back().data()));
  }
  return const_cast<uint8_t*>(Row(index));
}

void StateStore::Widen(int slot_bytes) {
  std::vector<PageBuffer> old_chunks = std::move(chunks_);
  std::vector<uint8_t*> old_rows = std::move(chunk_rows_);
  int old_bytes = slot_bytes_;
  size_t old_row_bytes = row_bytes_;
  int old_shift = chunk_shift_;
  uint32_t old_mask = chunk_mask_;
  chunks_.clear();
  chunk_rows_.clear();
  Layout(slot_bytes);
  std::vector<ir::Value> state(width_);
  size_t old_slots = static_cast<size_t>(width_) * old_bytes;
  for (uint64_t i = 0; i < size_; ++i) {
    auto index = static_cast<uint32_t>(i);
    const uint8_t* from = old_rows[index >> old_shift] + static_cast<size_t>(index & old_mask) * old_row_bytes;
    uint8_t* to = NewRow(index);
    Unpack(from, width_, old_bytes, state.data());
    Pack(state.data(), width_, slot_bytes_, to);
    std::memcpy(to + static_cast<size_t>(width_) * slot_bytes_, from + old_slots, 2 * sizeof(uint32_t));
    // Copied out of its chunk's last row: the chunk can go, so the two copies never coexist whole.
    if ((index & old_mask) == old_mask) old_chunks[index >> old_shift] = PageBuffer();
  }
}

void StateStore::Load(uint32_t index, ir::Value* out) const { Unpack(Row(index), width_, slot_bytes_, out); }

std::vector<ir::Value> StateStore::state(uint32_t index) const {
  std::vector<ir::Value> out(width_);
  Load(index, out.data());
  return out;
}

uint32_t StateStore::parent(uint32_t index) const {
  uint32_t parent;
  std::memcpy(&parent, Row(index) + static_cast<size_t>(width_) * slot_bytes_, sizeof(parent));
  return parent;
}

int32_t StateStore::mover(uint32_t index) const {
  int32_t mover;
  std::memcpy(&mover, Row(index) + static_cast<size_t>(width_) * slot_bytes_ + sizeof(uint32_t), sizeof(mover));
  return mover;
}

void StateStore::PrefetchEntry(uint64_t hash) const { __builtin_prefetch(&table_[Tag(hash) & table_mask_]); }

void StateStore::PrefetchRows(uint64_t hash) const {
  uint32_t tag = Tag(hash);
  uint64_t position = tag & table_mask_;
  // A look at the first few entries of the cluster is enough for a hint.
  for (int i = 0; i < 4; ++i) {
    uint64_t entry = table_[position];
    if (entry == 0) return;
    if (static_cast<uint32_t>(entry >> 32) == tag) __builtin_prefetch(Row(static_cast<uint32_t>(entry) - 1));
    position = (position + 1) & table_mask_;
  }
}

StateStore::Probe StateStore::Find(const ir::Value* state, uint64_t hash) const {
  Probe probe;
  probe.hash = Tag(hash);
  probe.slot_bytes = SlotBytesFor(state, width_);
  // A state that needs wider slots than the rows have is none of them.
  bool comparable = probe.slot_bytes <= slot_bytes_;
  if (comparable) Pack(state, width_, slot_bytes_, packed_.data());
  uint64_t position = probe.hash & table_mask_;
  size_t bytes = static_cast<size_t>(width_) * slot_bytes_;
  for (;;) {
    uint64_t entry = table_[position];
    if (entry == 0) break;
    if (comparable && static_cast<uint32_t>(entry >> 32) == probe.hash) {
      auto index = static_cast<uint32_t>(entry) - 1;
      if (std::memcmp(Row(index), packed_.data(), bytes) == 0) {
        probe.index = index;
        break;
      }
    }
    position = (position + 1) & table_mask_;
  }
  probe.position = position;
  return probe;
}

uint32_t StateStore::Insert(const Probe& probe, const ir::Value* state, uint32_t parent, int32_t mover) {
  RACECHECK_CHECK(!probe.found(), "inserting a state that is already stored");
  RACECHECK_CHECK(size_ < kMaxStates, "the state store is full");
  // The table holds tags and indices only, so widening the rows leaves the probe valid.
  if (probe.slot_bytes > slot_bytes_) Widen(probe.slot_bytes);
  auto index = static_cast<uint32_t>(size_);
  uint8_t* row = NewRow(index);
  Pack(state, width_, slot_bytes_, row);
  std::memcpy(row + static_cast<size_t>(width_) * slot_bytes_, &parent, sizeof(parent));
  std::memcpy(row + static_cast<size_t>(width_) * slot_bytes_ + sizeof(parent), &mover, sizeof(mover));
  ++size_;

  uint64_t entry = (static_cast<uint64_t>(probe.hash) << 32) | (uint64_t{index} + 1);
  if (size_ > grow_at_) {
    Grow();
    uint64_t position = probe.hash & table_mask_;
    while (table_[position] != 0) position = (position + 1) & table_mask_;
    table_[position] = entry;
  } else {
    table_[probe.position] = entry;
  }
  return index;
}

uint32_t StateStore::FindOrInsert(const ir::Value* state, uint32_t parent, int32_t mover, bool* inserted) {
  Probe probe = Find(state);
  *inserted = !probe.found();
  return probe.found() ? probe.index : Insert(probe, state, parent, mover);
}

void StateStore::Grow() {
  uint64_t capacity = capacity_ * 2;
  RACECHECK_CHECK(capacity <= (uint64_t{1} << 32), "state table larger than its 32-bit tags address");
  PageBuffer bigger_buffer(capacity * sizeof(uint64_t));
  auto* bigger = static_cast<uint64_t*>(bigger_buffer.data());
  uint64_t mask = capacity - 1;
  for (uint64_t i = 0; i < capacity_; ++i) {
    uint64_t entry = table_[i];
    if (entry == 0) continue;
    uint64_t position = (entry >> 32) & mask;
    while (bigger[position] != 0) position = (position + 1) & mask;
    bigger[position] = entry;
  }
  table_buffer_ = std::move(bigger_buffer);
  table_ = bigger;
  capacity_ = capacity;
  table_mask_ = mask;
  grow_at_ = GrowAt(capacity);
}

uint64_t StateStore::memory_bytes() const {
  return size_ * row_bytes_ + capacity_ * sizeof(uint64_t);
}

uint64_t StateStore::memory_bytes_after_insert(int slot_bytes) const {
  // A state that needs wider slots widens every row (chunk by chunk, so the copies never
  // coexist whole).
  size_t row_bytes = static_cast<size_t>(width_) * std::max(slot_bytes, slot_bytes_) + 2 * sizeof(uint32_t);
  uint64_t bytes = (size_ + 1) * row_bytes + capacity_ * sizeof(uint64_t);
  // During a resize the old and the new table exist together.
  if (size_ + 1 > grow_at_) bytes += capacity_ * 2 * sizeof(uint64_t);
  return bytes;
}

}  // namespace racecheck::explore
