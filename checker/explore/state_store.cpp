#include "checker/explore/state_store.h"

#include <atomic>
#include <bit>
#include <cstring>
#include <numeric>

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

// Puts `entry` in the first free place of its cluster in `table` while other threads may be
// doing the same: a free place is taken by compare-and-swap.
void ClaimEntry(uint64_t* table, uint64_t mask, uint64_t entry) {
  for (uint64_t position = (entry >> 32) & mask;; position = (position + 1) & mask) {
    std::atomic_ref<uint64_t> slot(table[position]);
    uint64_t expected = 0;
    if (slot.load(std::memory_order_relaxed) == 0 &&
        slot.compare_exchange_strong(expected, entry, std::memory_order_relaxed)) {
      return;
    }
  }
}

uint64_t GrowAt(uint64_t capacity) { return capacity / kLoadDenominator * kLoadNumerator; }

// The fewest bytes (1, 2 or 4) that hold `v`.
int BytesFor(ir::Value v) {
  if (v >= INT8_MIN && v <= INT8_MAX) return 1;
  return v >= INT16_MIN && v <= INT16_MAX ? 2 : 4;
}

// Without a branch per slot (a value that does not fit is rare: one answer at the end, from the
// bits a value has past the slot's, offset to be non-negative), so that the compiler packs several
// slots per instruction.
template <typename Slot>
bool PackUniform(const ir::Value* state, int32_t width, uint8_t* out) {
  constexpr uint32_t kOffset = uint32_t{1} << (8 * sizeof(Slot) - 1);
  uint32_t beyond = 0;
  for (int32_t i = 0; i < width; ++i) {
    auto v = static_cast<uint32_t>(state[i]);
    if constexpr (sizeof(Slot) < sizeof(uint32_t)) beyond |= (v + kOffset) >> (8 * sizeof(Slot));
    auto narrow = static_cast<Slot>(state[i]);
    std::memcpy(out + i * sizeof(Slot), &narrow, sizeof(Slot));
  }
  return beyond == 0;
}

template <typename Slot>
void UnpackUniform(const uint8_t* in, int32_t width, ir::Value* state) {
  for (int32_t i = 0; i < width; ++i) {
    Slot v;
    std::memcpy(&v, in + i * sizeof(Slot), sizeof(Slot));
    state[i] = v;
  }
}

template <typename Slot>
bool PackOne(ir::Value value, uint8_t* out) {
  auto v = static_cast<Slot>(value);
  std::memcpy(out, &v, sizeof(Slot));
  return v == value;
}

template <typename Slot>
ir::Value UnpackOne(const uint8_t* in) {
  Slot v;
  std::memcpy(&v, in, sizeof(Slot));
  return v;
}

}  // namespace

uint64_t HashState(const ir::Value* state, int32_t width) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(state);
  size_t n = static_cast<size_t>(width) * sizeof(ir::Value);
  auto word = [](const unsigned char* at) {
    uint64_t w;
    std::memcpy(&w, at, 8);
    return w;
  };
  // One 64 x 64 -> 128-bit multiply folds 16 bytes (its two halves xored), where a
  // multiply-rotate mix takes two multiplies per 8: a quarter of the multiplies, and two lanes
  // so that one need not wait for the other's.
  auto fold = [](uint64_t a, uint64_t b) {
    unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
  };
  uint64_t a = kMul2 ^ (n * kMul1), b = kMul1 ^ n;
  for (; n >= 32; bytes += 32, n -= 32) {
    a = fold(word(bytes) ^ kMul1, word(bytes + 8) ^ a);
    b = fold(word(bytes + 16) ^ kMul2, word(bytes + 24) ^ b);
  }
  for (; n >= 8; bytes += 8, n -= 8) a = fold(word(bytes) ^ kMul1, a ^ kMul2);
  if (n > 0) {
    uint32_t last;
    std::memcpy(&last, bytes, 4);
    b = fold(last ^ kMul1, b ^ kMul2);
  }
  return Finalize(fold(a ^ kMul2, b ^ kMul1));
}

StateStore::StateStore(int32_t width)
    : width_(width),
      layout_(std::vector<uint8_t>(std::max(width, 0), 1)),
      packed_(static_cast<size_t>(std::max(width, 0)) * sizeof(ir::Value)) {  // room for the widest layout
  RACECHECK_CHECK(width >= 0, "negative state width");
  table_buffer_ = PageBuffer(kInitialCapacity * sizeof(uint64_t));
  table_ = static_cast<uint64_t*>(table_buffer_.data());
  capacity_ = kInitialCapacity;
  table_mask_ = kInitialCapacity - 1;
  grow_at_ = GrowAt(kInitialCapacity);
}

StateStore::Layout::Layout(std::vector<uint8_t> slot_widths) : widths(std::move(slot_widths)) {
  offsets.resize(widths.size());
  uniform = widths.empty() ? 1 : widths[0];
  for (size_t i = 0; i < widths.size(); ++i) {
    offsets[i] = static_cast<uint32_t>(slots_bytes);
    slots_bytes += widths[i];
    if (widths[i] != uniform) uniform = 0;
  }
  row_bytes = slots_bytes + 2 * sizeof(uint32_t);
  size_t rows = std::bit_floor(std::max<size_t>(kChunkBytes / row_bytes, 1));
  chunk_shift = std::countr_zero(rows);
  chunk_mask = static_cast<uint32_t>(rows - 1);
}

bool StateStore::Layout::Pack(const ir::Value* state, uint8_t* out) const {
  auto width = static_cast<int32_t>(widths.size());
  // Same-width rows (the common case) take a loop without a branch per slot.
  switch (uniform) {
    case 1: return PackUniform<int8_t>(state, width, out);
    case 2: return PackUniform<int16_t>(state, width, out);
    case 4: return PackUniform<int32_t>(state, width, out);
    default: break;
  }
  bool fits = true;
  for (int32_t i = 0; i < width; ++i) {
    uint8_t* at = out + offsets[i];
    switch (widths[i]) {
      case 1: fits &= PackOne<int8_t>(state[i], at); break;
      case 2: fits &= PackOne<int16_t>(state[i], at); break;
      default: PackOne<int32_t>(state[i], at); break;
    }
  }
  return fits;
}

void StateStore::Layout::Unpack(const uint8_t* row, ir::Value* out) const {
  auto width = static_cast<int32_t>(widths.size());
  switch (uniform) {
    case 1: return UnpackUniform<int8_t>(row, width, out);
    case 2: return UnpackUniform<int16_t>(row, width, out);
    case 4: return UnpackUniform<int32_t>(row, width, out);
    default: break;
  }
  for (int32_t i = 0; i < width; ++i) {
    const uint8_t* at = row + offsets[i];
    switch (widths[i]) {
      case 1: out[i] = UnpackOne<int8_t>(at); break;
      case 2: out[i] = UnpackOne<int16_t>(at); break;
      default: out[i] = UnpackOne<int32_t>(at); break;
    }
  }
}

uint8_t* StateStore::NewRow(uint32_t index) {
  if ((index & layout_.chunk_mask) == 0) {
    chunks_.emplace_back(static_cast<size_t>(layout_.chunk_mask + 1) * layout_.row_bytes);
    chunk_rows_.push_back(static_cast<uint8_t*>(chunks_.back().data()));
  }
  return const_cast<uint8_t*>(Row(index));
}

std::vector<uint8_t> StateStore::WidthsFor(const ir::Value* state) const {
  std::vector<uint8_t> widths = layout_.widths;
  for (int32_t i = 0; i < width_; ++i) widths[i] = static_cast<uint8_t>(std::max(int{widths[i]}, BytesFor(state[i])));
  return widths;
}

void StateStore::Widen(std::vector<uint8_t> widths) {
  Layout old = std::move(layout_);
  std::vector<PageBuffer> old_chunks = std::move(chunks_);
  std::vector<uint8_t*> old_rows = std::move(chunk_rows_);
  layout_ = Layout(std::move(widths));
  chunks_.clear();
  chunk_rows_.clear();
  std::vector<ir::Value> values(width_);
  for (uint64_t i = 0; i < size_; ++i) {
    auto index = static_cast<uint32_t>(i);
    const uint8_t* from =
        old_rows[index >> old.chunk_shift] + static_cast<size_t>(index & old.chunk_mask) * old.row_bytes;
    uint8_t* to = NewRow(index);
    old.Unpack(from, values.data());
    bool fits = layout_.Pack(values.data(), to);
    RACECHECK_CHECK(fits, "a stored value does not fit its widened slot");
    std::memcpy(to + layout_.slots_bytes, from + old.slots_bytes, 2 * sizeof(uint32_t));
    // Copied out of its chunk's last row: the chunk can go, so the two copies never coexist whole.
    if ((index & old.chunk_mask) == old.chunk_mask) old_chunks[index >> old.chunk_shift] = PageBuffer();
  }
}

void StateStore::Load(uint32_t index, ir::Value* out) const { layout_.Unpack(Row(index), out); }

std::vector<ir::Value> StateStore::state(uint32_t index) const {
  std::vector<ir::Value> out(width_);
  Load(index, out.data());
  return out;
}

uint32_t StateStore::parent(uint32_t index) const {
  uint32_t parent;
  std::memcpy(&parent, Row(index) + layout_.slots_bytes, sizeof(parent));
  return parent;
}

int32_t StateStore::mover(uint32_t index) const {
  int32_t mover;
  std::memcpy(&mover, Row(index) + layout_.slots_bytes + sizeof(uint32_t), sizeof(mover));
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

StateStore::Probe StateStore::Find(const ir::Value* state, uint64_t hash, uint8_t* scratch) const {
  Probe probe;
  probe.hash = Tag(hash);
  // A state with a value wider than its slot is none of the stored ones.
  bool comparable = layout_.Pack(state, scratch);
  probe.row_bytes = layout_.row_bytes;
  if (!comparable) {
    std::vector<uint8_t> widths = WidthsFor(state);
    probe.row_bytes = std::accumulate(widths.begin(), widths.end(), size_t{0}) + 2 * sizeof(uint32_t);
  }
  uint64_t position = probe.hash & table_mask_;
  size_t bytes = layout_.slots_bytes;
  for (;;) {
    uint64_t entry = table_[position];
    if (entry == 0) break;
    if (comparable && static_cast<uint32_t>(entry >> 32) == probe.hash) {
      auto index = static_cast<uint32_t>(entry) - 1;
      if (std::memcmp(Row(index), scratch, bytes) == 0) {
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
  auto index = static_cast<uint32_t>(size_);
  uint8_t* row = NewRow(index);
  if (!layout_.Pack(state, row)) {
    // The table holds tags and indices only, so widening the rows leaves the probe valid.
    Widen(WidthsFor(state));
    row = NewRow(index);
    bool fits = layout_.Pack(state, row);
    RACECHECK_CHECK(fits, "a state that does not fit its widened slots");
  }
  std::memcpy(row + layout_.slots_bytes, &parent, sizeof(parent));
  std::memcpy(row + layout_.slots_bytes + sizeof(parent), &mover, sizeof(mover));
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

void StateStore::Reserve(uint64_t count, Workers* workers) {
  RACECHECK_CHECK(size_ + count <= kMaxStates, "the state store is full");
  // Insert grows the table once size_ passes grow_at_: the same growth, all of it beforehand.
  while (size_ + count > grow_at_) Grow(workers);
  uint64_t mask = layout_.chunk_mask;
  for (uint64_t index = (size_ + mask) & ~mask; index < size_ + count; index += mask + 1) {
    NewRow(static_cast<uint32_t>(index));
  }
}

void StateStore::StoreAt(uint32_t index, const uint8_t* slots, uint64_t hash, uint32_t parent, int32_t mover) {
  auto* row = const_cast<uint8_t*>(Row(index));
  std::memcpy(row, slots, layout_.slots_bytes);
  std::memcpy(row + layout_.slots_bytes, &parent, sizeof(parent));
  std::memcpy(row + layout_.slots_bytes + sizeof(parent), &mover, sizeof(mover));
  uint32_t tag = Tag(hash);
  uint64_t entry = (static_cast<uint64_t>(tag) << 32) | (uint64_t{index} + 1);
  // The states are all different, so where in its cluster each lands changes no lookup's answer.
  ClaimEntry(table_, table_mask_, entry);
}

uint64_t StateStore::memory_bytes_bound(uint64_t count) const {
  uint64_t capacity = capacity_;
  while (size_ + count > GrowAt(capacity)) capacity *= 2;
  // The rows, and at a resize the old table beside the new (counted as three of the largest).
  return (size_ + count) * layout_.row_bytes + 3 * capacity * sizeof(uint64_t);
}

uint32_t StateStore::FindOrInsert(const ir::Value* state, uint32_t parent, int32_t mover, bool* inserted) {
  Probe probe = Find(state);
  *inserted = !probe.found();
  return probe.found() ? probe.index : Insert(probe, state, parent, mover);
}

void StateStore::Grow(Workers* workers) {
  uint64_t capacity = capacity_ * 2;
  RACECHECK_CHECK(capacity <= (uint64_t{1} << 32), "state table larger than its 32-bit tags address");
  PageBuffer bigger_buffer(capacity * sizeof(uint64_t));
  auto* bigger = static_cast<uint64_t*>(bigger_buffer.data());
  uint64_t mask = capacity - 1;
  // Each worker moves a share of the old entries; a free entry is claimed by compare-and-swap
  // (where an entry lands in its cluster changes no lookup's answer).
  auto move = [&](int worker, int workers_count) {
    uint64_t share = (capacity_ + workers_count - 1) / workers_count;
    uint64_t from = share * worker, to = std::min(capacity_, from + share);
    for (uint64_t i = from; i < to; ++i) {
      uint64_t entry = table_[i];
      if (entry == 0) continue;
      uint64_t position = (entry >> 32) & mask;
      if (workers_count == 1) {
        while (bigger[position] != 0) position = (position + 1) & mask;
        bigger[position] = entry;
        continue;
      }
      ClaimEntry(bigger, mask, entry);
    }
  };
  if (workers != nullptr && workers->count() > 1) {
    workers->Run([&](int worker) { move(worker, workers->count()); });
  } else {
    move(0, 1);
  }
  table_buffer_ = std::move(bigger_buffer);
  table_ = bigger;
  capacity_ = capacity;
  table_mask_ = mask;
  grow_at_ = GrowAt(capacity);
}

uint64_t StateStore::memory_bytes() const {
  return size_ * layout_.row_bytes + capacity_ * sizeof(uint64_t);
}

uint64_t StateStore::memory_bytes_after_insert(size_t row_bytes) const {
  // A state that needs wider slots widens them in every row (chunk by chunk, so the two copies
  // never coexist whole).
  uint64_t bytes = (size_ + 1) * std::max(row_bytes, layout_.row_bytes) + capacity_ * sizeof(uint64_t);
  // During a resize the old and the new table exist together.
  if (size_ + 1 > grow_at_) bytes += capacity_ * 2 * sizeof(uint64_t);
  return bytes;
}

}  // namespace racecheck::explore
