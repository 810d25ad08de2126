#include "checker/explore/state_store.h"

#include <gtest/gtest.h>

#include <vector>

#include "checker/explore/workers.h"

namespace racecheck::explore {
namespace {

TEST(StateStore, InsertsOnceAndFindsAgain) {
  StateStore store(3);
  std::vector<ir::Value> a = {1, 2, 3};
  std::vector<ir::Value> b = {1, 2, 4};
  bool inserted = false;
  EXPECT_EQ(store.FindOrInsert(a.data(), StateStore::kNoParent, StateStore::kNoMover, &inserted), 0u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(store.FindOrInsert(b.data(), 0, 1, &inserted), 1u);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(store.FindOrInsert(a.data(), 1, 0, &inserted), 0u);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.Find(b.data()).index, 1u);
  std::vector<ir::Value> c = {9, 9, 9};
  EXPECT_FALSE(store.Find(c.data()).found());
  // The links are those of the first insertion.
  EXPECT_EQ(store.parent(0), StateStore::kNoParent);
  EXPECT_EQ(store.mover(0), StateStore::kNoMover);
  EXPECT_EQ(store.parent(1), 0u);
  EXPECT_EQ(store.mover(1), 1);
  EXPECT_EQ(store.state(1)[2], 4);
}

TEST(StateStore, StatesThatDifferInOneSlotAreDistinct) {
  StateStore store(5);
  std::vector<ir::Value> s(5, 0);
  bool inserted = false;
  for (int slot = 0; slot < 5; ++slot) {
    for (ir::Value v : {-1, 1, INT32_MIN, INT32_MAX}) {
      s.assign(5, 0);
      s[slot] = v;
      store.FindOrInsert(s.data(), 0, 0, &inserted);
      EXPECT_TRUE(inserted) << "slot " << slot << " value " << v;
    }
  }
  s.assign(5, 0);
  store.FindOrInsert(s.data(), 0, 0, &inserted);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(store.size(), 21u);
}

TEST(StateStore, GrowsPastMillionsOfStates) {
  constexpr uint32_t kCount = 3'000'000;
  StateStore store(3);
  uint64_t empty_bytes = store.memory_bytes();
  std::vector<ir::Value> s(3);
  bool inserted = false;
  for (uint32_t i = 0; i < kCount; ++i) {
    s = {static_cast<ir::Value>(i % 1000), static_cast<ir::Value>(i / 1000), 7};
    ASSERT_EQ(store.FindOrInsert(s.data(), i == 0 ? StateStore::kNoParent : i - 1, static_cast<int32_t>(i % 5),
                                 &inserted),
              i);
    ASSERT_TRUE(inserted);
  }
  EXPECT_EQ(store.size(), kCount);
  EXPECT_GT(store.memory_bytes(), empty_bytes);
  for (uint32_t i = 0; i < kCount; i += 997) {
    s = {static_cast<ir::Value>(i % 1000), static_cast<ir::Value>(i / 1000), 7};
    StateStore::Probe probe = store.Find(s.data());
    ASSERT_TRUE(probe.found());
    EXPECT_EQ(probe.index, i);
    EXPECT_EQ(store.mover(i), static_cast<int32_t>(i % 5));
    EXPECT_EQ(store.state(i)[1], static_cast<ir::Value>(i / 1000));
  }
  s = {0, 0, 8};
  EXPECT_FALSE(store.Find(s.data()).found());
  EXPECT_EQ(store.parent(kCount - 1), kCount - 2);
}

TEST(StateStore, StoresABatchOnSeveralThreadsAsInsertsInOrderWould) {
  // Batches of growing size, so that the table doubles inside some of them.
  constexpr int32_t kWidth = 3;
  auto state = [](uint32_t i) {
    return std::vector<ir::Value>{static_cast<ir::Value>(i % 300), static_cast<ir::Value>(i / 300), -5};
  };
  StateStore one(kWidth), many(kWidth);
  // States stored at once must fit the rows: a first state widens the slots enough.
  std::vector<ir::Value> wide = {1000, 1000, -5};
  bool inserted = false;
  one.FindOrInsert(wide.data(), StateStore::kNoParent, StateStore::kNoMover, &inserted);
  many.FindOrInsert(wide.data(), StateStore::kNoParent, StateStore::kNoMover, &inserted);
  Workers workers(3);
  uint32_t next = 1;
  for (uint32_t batch = 1; batch <= 40'000; batch *= 3) {
    uint64_t bound = many.memory_bytes_bound(batch);
    std::vector<std::vector<ir::Value>> states;
    for (uint32_t k = 0; k < batch; ++k) states.push_back(state(next + k));
    for (uint32_t k = 0; k < batch; ++k) {
      EXPECT_LE(one.memory_bytes_after_insert(), bound);
      one.FindOrInsert(states[k].data(), k, static_cast<int32_t>(k % 7), &inserted);
      ASSERT_TRUE(inserted);
    }
    uint64_t first = many.size();
    many.Reserve(batch, &workers);
    workers.Run([&](int worker) {
      std::vector<uint8_t> row(many.slots_bytes());
      for (uint32_t k = static_cast<uint32_t>(worker); k < batch; k += 3) {
        ASSERT_TRUE(many.PackRow(states[k].data(), row.data()));
        many.StoreAt(static_cast<uint32_t>(first + k), row.data(), HashState(states[k].data(), kWidth), k,
                     static_cast<int32_t>(k % 7));
      }
    });
    many.Commit(batch);
    next += batch;
    ASSERT_EQ(many.size(), one.size());
    EXPECT_EQ(many.memory_bytes(), one.memory_bytes());
  }
  for (uint32_t i = 1; i < next; ++i) {
    std::vector<ir::Value> s = state(i);
    StateStore::Probe probe = many.Find(s.data());
    ASSERT_TRUE(probe.found()) << i;
    ASSERT_EQ(probe.index, i);
    ASSERT_EQ(many.parent(i), one.parent(i));
    ASSERT_EQ(many.mover(i), one.mover(i));
  }
  std::vector<ir::Value> absent = {0, 0, 0};
  EXPECT_FALSE(many.Find(absent.data()).found());
}

TEST(StateStore, ReportsTheMemoryAnInsertWouldTake) {
  StateStore store(2);
  std::vector<ir::Value> s = {0, 0};
  bool inserted = false;
  uint64_t empty = store.memory_bytes();
  // Two one-byte slots, parent and mover.
  EXPECT_EQ(store.memory_bytes_after_insert(), empty + 10);
  store.FindOrInsert(s.data(), 0, 0, &inserted);
  EXPECT_EQ(store.memory_bytes(), empty + 10);
  // A state whose rows need 16 bytes (both slots at 4) widens the stored row too.
  EXPECT_EQ(store.memory_bytes_after_insert(16), empty + 2 * 16);
  // The insert that crosses the load limit doubles the table, and says so beforehand.
  for (ir::Value i = 1; store.memory_bytes_after_insert() < store.memory_bytes() + 1024; ++i) {
    s[0] = i;
    store.FindOrInsert(s.data(), 0, 0, &inserted);
  }
  uint64_t predicted = store.memory_bytes_after_insert();
  s[0] = -1;
  store.FindOrInsert(s.data(), 0, 0, &inserted);
  // The old table is gone again afterwards.
  EXPECT_LT(store.memory_bytes(), predicted);
  EXPECT_GT(store.memory_bytes(), empty * 2);
}

TEST(StateStore, SlotsAreAsNarrowAsTheirValuesAllowAndWidenWhenOneNeedsMore) {
  // Enough states to fill several chunks at every width, so that widening copies across chunk
  // boundaries; then a state that needs a 2-byte slot, then one that needs two 4-byte ones.
  constexpr uint32_t kCount = 9'000'000;
  auto state_of = [](uint32_t i) {
    return std::vector<ir::Value>{static_cast<ir::Value>(i % 100) - 50, static_cast<ir::Value>((i / 100) % 100),
                                  static_cast<ir::Value>((i / 10'000) % 100), static_cast<ir::Value>(i / 1'000'000)};
  };
  StateStore store(4);
  bool inserted = false;
  for (uint32_t i = 0; i < kCount; ++i) {
    std::vector<ir::Value> s = state_of(i);
    ASSERT_EQ(store.FindOrInsert(s.data(), i == 0 ? StateStore::kNoParent : i - 1, static_cast<int32_t>(i % 3) - 1,
                                 &inserted),
              i);
  }
  EXPECT_EQ(store.row_bytes(), 4u + 8u);  // one byte per slot, parent and mover
  auto expect_all_kept = [&](const char* when) {
    for (uint32_t i = 0; i < kCount; i += 997) {
      std::vector<ir::Value> s = state_of(i);
      StateStore::Probe probe = store.Find(s.data());
      ASSERT_TRUE(probe.found()) << when << ", state " << i;
      EXPECT_EQ(probe.index, i) << when;
      EXPECT_EQ(store.state(i), s) << when;
      EXPECT_EQ(store.parent(i), i == 0 ? StateStore::kNoParent : i - 1) << when;
      EXPECT_EQ(store.mover(i), static_cast<int32_t>(i % 3) - 1) << when;
    }
  };

  std::vector<ir::Value> medium = {-50, 0, 0, 200};  // like state 0, but 200 needs two bytes
  EXPECT_FALSE(store.Find(medium.data()).found());
  EXPECT_EQ(store.Find(medium.data()).row_bytes, 5u + 8u);
  EXPECT_EQ(store.FindOrInsert(medium.data(), 5, 1, &inserted), kCount);
  EXPECT_TRUE(inserted);
  EXPECT_EQ(store.row_bytes(), 5u + 8u);  // only the last slot widened
  expect_all_kept("after widening to 2 bytes");

  std::vector<ir::Value> wide = {INT32_MIN, 0, 0, INT32_MAX};
  EXPECT_FALSE(store.Find(wide.data()).found());
  EXPECT_EQ(store.FindOrInsert(wide.data(), 6, 0, &inserted), kCount + 1);
  EXPECT_EQ(store.row_bytes(), 4u + 1u + 1u + 4u + 8u);
  expect_all_kept("after widening to 4 bytes");
  EXPECT_EQ(store.Find(medium.data()).index, kCount);
  EXPECT_EQ(store.state(kCount + 1), wide);
  EXPECT_EQ(store.parent(kCount + 1), 6u);
  // Narrow states still find their wide rows, and new ones go in at the new width.
  std::vector<ir::Value> small = {1, 2, 3, 120};
  EXPECT_EQ(store.FindOrInsert(small.data(), 0, 0, &inserted), kCount + 2);
  EXPECT_EQ(store.state(kCount + 2), small);
  EXPECT_EQ(store.memory_bytes_after_insert(), store.memory_bytes() + store.row_bytes());
}

// Rows of one width pack many slots at once (PackUniform): every slot's range is checked,
// at the edges of 1 and 2 bytes, in any place of a state wide enough for the vector loop.
TEST(StateStore, AValueJustPastItsSlotWidensTheRowWhereverItSits) {
  constexpr int32_t kWidth = 41;
  for (int32_t at : {0, 7, 16, 33, 40}) {
    StateStore store(kWidth);
    bool inserted = false;
    std::vector<ir::Value> state(kWidth, 0);
    for (ir::Value edge : {-128, 127}) {
      state[at] = edge;
      store.FindOrInsert(state.data(), StateStore::kNoParent, 0, &inserted);
      EXPECT_EQ(store.row_bytes(), size_t{kWidth} + 8u) << at << " " << edge;
    }
    for (ir::Value past : {128, -129}) {
      state[at] = past;
      EXPECT_FALSE(store.Find(state.data()).found()) << at << " " << past;
      EXPECT_EQ(store.Find(state.data()).row_bytes, size_t{kWidth} + 1u + 8u) << at << " " << past;
    }
    // Every slot at two bytes: 32767 and -32768 still fit, one past them does not.
    std::vector<ir::Value> two(kWidth, 300);
    store.FindOrInsert(two.data(), 0, 0, &inserted);
    ASSERT_EQ(store.row_bytes(), 2u * kWidth + 8u) << at;
    for (ir::Value edge : {-32768, 32767}) {
      two[at] = edge;
      EXPECT_EQ(store.Find(two.data()).row_bytes, 2u * kWidth + 8u) << at << " " << edge;
    }
    for (ir::Value past : {32768, -32769, INT32_MIN}) {
      two[at] = past;
      EXPECT_EQ(store.Find(two.data()).row_bytes, 2u * kWidth + 2u + 8u) << at << " " << past;
      EXPECT_FALSE(store.Find(two.data()).found());
    }
    two[at] = 32767;
    ASSERT_TRUE(store.FindOrInsert(two.data(), 0, 0, &inserted) > 0 && inserted);
    EXPECT_EQ(store.state(store.Find(two.data()).index), two);
  }
}

TEST(StateStore, HashDependsOnEverySlot) {
  std::vector<ir::Value> a = {1, 2, 3, 4, 5};
  std::vector<ir::Value> b = a;
  b[4] = 6;
  EXPECT_NE(HashState(a.data(), 5), HashState(b.data(), 5));
  EXPECT_EQ(HashState(a.data(), 5), HashState(a.data(), 5));
}

}  // namespace
}  // namespace racecheck::explore
