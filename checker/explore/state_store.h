// The visited set of the explicit search: every reached state stored once, contiguously, with
// the link back to the state it was first reached from. Design: docs/internals-explore.md.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/explore/page_buffer.h"
#include "checker/explore/workers.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// The hash of one state's slots (128-bit multiplies folding 16 bytes at a time, then a finalizer).
uint64_t HashState(const ir::Value* state, int32_t width);

// States are numbered 0, 1, 2, ... in insertion order, so under BFS the store is the queue.
// Each stored row is [ slots... | parent | mover ]; no state is a heap object of its own. Each
// slot takes 1, 2 or 4 bytes, the same in every row: as few as the values stored in it so far
// need. Slots start at 1 byte; a state with a value that needs more widens that slot in every
// row (rarely: a slot widens at most twice).
class StateStore {
 public:
  static constexpr uint32_t kNoParent = UINT32_MAX;
  static constexpr int32_t kNoMover = -1;
  // Indices are 32-bit; the top values are reserved.
  static constexpr uint64_t kMaxStates = UINT32_MAX - 1;

  // Where a state is, or where it would go: Find's answer, consumed by Insert.
  struct Probe {
    uint32_t hash = 0;
    uint64_t position = 0;  // table position of the match, or of the free entry to use
    uint32_t index = kNoParent;  // the stored state, kNoParent when absent
    // The row size after inserting the state: more than now means Insert widens some slots.
    size_t row_bytes = 0;
    bool found() const { return index != kNoParent; }
  };

  explicit StateStore(int32_t width);

  Probe Find(const ir::Value* state) const { return Find(state, HashState(state, width_)); }
  // The same with the state's HashState computed beforehand.
  Probe Find(const ir::Value* state, uint64_t hash) const { return Find(state, hash, packed_.data()); }
  // The same for a thread of a parallel search: `scratch` (scratch_bytes() long) is the
  // caller's own, and holds `state` packed as a row's slots afterwards when it fits the rows
  // (Probe::row_bytes == row_bytes()). Several threads may call this, Load and PrefetchEntry
  // together while nothing inserts (docs/internals-explore.md, "The parallel search").
  Probe Find(const ir::Value* state, uint64_t hash, uint8_t* scratch) const;
  size_t scratch_bytes() const { return packed_.size(); }
  // Hints for a batch of lookups: start loading the table entries Find will read, and once
  // those have arrived, the stored rows it will compare against. They change nothing.
  void PrefetchEntry(uint64_t hash) const;
  void PrefetchRows(uint64_t hash) const;
  // Stores `state` (absent, as `probe` from Find says) and returns its index.
  uint32_t Insert(const Probe& probe, const ir::Value* state, uint32_t parent, int32_t mover);
  // Storing many states at once, on several threads: Reserve(count) on one thread; then, on
  // any threads, StoreAt for each of the indices size() ... size() + count - 1, with states
  // that are absent, distinct from each other, and packed as the rows are now (Find's scratch,
  // or PackRow: slots_bytes() long); then Commit(count) on one thread. Nothing may Find or
  // Insert meanwhile. The indices and the table's size are those `count` Inserts in index order
  // would give. `workers`, if any, rehash the table when it grows.
  void Reserve(uint64_t count, Workers* workers = nullptr);
  void StoreAt(uint32_t index, const uint8_t* slots, uint64_t hash, uint32_t parent, int32_t mover);
  // Packs `state` as a row's slots into `out` (slots_bytes() long); false when it does not fit.
  bool PackRow(const ir::Value* state, uint8_t* out) const { return layout_.Pack(state, out); }
  size_t slots_bytes() const { return layout_.slots_bytes; }
  void Commit(uint64_t count) { size_ += count; }
  // At least the most memory_bytes_after_insert() gives over `count` more Inserts of states
  // that fit the rows as they are.
  uint64_t memory_bytes_bound(uint64_t count) const;
  // Find then Insert when absent; `inserted` tells which.
  uint32_t FindOrInsert(const ir::Value* state, uint32_t parent, int32_t mover, bool* inserted);

  // Writes the stored state's `width()` slots to `out`.
  void Load(uint32_t index, ir::Value* out) const;
  std::vector<ir::Value> state(uint32_t index) const;
  uint32_t parent(uint32_t index) const;
  int32_t mover(uint32_t index) const;

  int32_t width() const { return width_; }
  // Bytes per row: the slots at their widths, parent and mover.
  size_t row_bytes() const { return layout_.row_bytes; }
  uint64_t size() const { return size_; }
  // Bytes of stored rows and of the table (the bulk of the engine's memory).
  uint64_t memory_bytes() const;
  // memory_bytes() after one more Insert of a state whose rows take `row_bytes`
  // (Probe::row_bytes; 0: as now), counting a table resize or a widening it would cause.
  uint64_t memory_bytes_after_insert(size_t row_bytes = 0) const;

 private:
  // Where each slot is in a row, and how rows sit in chunks.
  struct Layout {
    std::vector<uint8_t> widths;    // per slot: 1, 2 or 4 bytes
    std::vector<uint32_t> offsets;  // per slot: where it starts in the row
    int uniform = 0;                // the width when every slot has the same one, else 0
    size_t slots_bytes = 0;         // the slots' part of a row
    size_t row_bytes = 0;           // slots, then parent and mover (4 bytes each)
    int chunk_shift = 0;
    uint32_t chunk_mask = 0;
    explicit Layout(std::vector<uint8_t> slot_widths);
    // Packs `state`; false (and `out` partly written) when a value needs a wider slot.
    bool Pack(const ir::Value* state, uint8_t* out) const;
    void Unpack(const uint8_t* row, ir::Value* out) const;
  };

  const uint8_t* Row(uint32_t index) const {
    return chunk_rows_[index >> layout_.chunk_shift] +
           static_cast<size_t>(index & layout_.chunk_mask) * layout_.row_bytes;
  }
  uint8_t* NewRow(uint32_t index);
  // The slot widths that also hold `state`.
  std::vector<uint8_t> WidthsFor(const ir::Value* state) const;
  // Stores every row again at these widths; old chunks go as they are copied.
  void Widen(std::vector<uint8_t> widths);
  // Doubles the table; `workers`, if any, move the entries together.
  void Grow(Workers* workers = nullptr);
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }

  int32_t width_;
  Layout layout_;
  std::vector<PageBuffer> chunks_;
  std::vector<uint8_t*> chunk_rows_;
  mutable std::vector<uint8_t> packed_;  // Find's state at the slots' widths (room for 4 bytes each)
  uint64_t size_ = 0;
  // Open addressing with linear probing; an entry is (tag << 32) | (index + 1), 0 when free,
  // where the tag is the hash's top half and its low bits give the home position.
  PageBuffer table_buffer_;
  uint64_t* table_ = nullptr;
  uint64_t capacity_ = 0;
  uint64_t table_mask_ = 0;
  uint64_t grow_at_ = 0;
};

}  // namespace racecheck::explore
