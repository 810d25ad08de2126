// How the explicit engine names slots and formats values in results: "balance", "acct[1]",
// "Withdraw[0].b", "lock row[2]"; "100", "true", "free".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::explore {

class Naming {
 public:
  explicit Naming(const ir::Program& program);

  // The slot's full name: Program::slots when the front end filled them, else one made up
  // here; locals are always "Instance.local".
  const std::string& SlotName(int32_t slot) const { return names_[slot]; }
  // A local's name without its instance ("b"); other slots keep their full name.
  std::string ShortName(int32_t slot) const;
  int32_t Owner(int32_t slot) const { return owner_[slot]; }
  bool IsPc(int32_t slot) const { return kind_[slot] == Kind::kPc; }
  bool IsLocal(int32_t slot) const { return kind_[slot] == Kind::kLocal; }
  // A compiler temporary, never shown in traces.
  bool IsHidden(int32_t slot) const { return hidden_[slot]; }
  // "100", "true"/"false" for bools, an enum value's name, "free" or the holder's name for locks.
  std::string Value(int32_t slot, ir::Value value) const;
  // "lock row[2]"; with replicas "lock row[2] of replica 1".
  std::string LockName(int32_t slot) const;
  // The same, naming a row lock by the row's key in `state` ("row lock accounts[1]").
  std::string LockName(int32_t slot, const ir::Value* state) const;

  // Database and Redis slots, which traces show their own way.
  enum class External {
    kNone,
    kHidden,     // bookkeeping: dirty flags, Redis presence and leases
    kRowExists,  // committed version of a row
    kRowValue,
    kRowOwner,   // the row lock
    kRowShares,  // an instance's flags for a row: its share lock on it shows as a change of the row lock
    kRowWaiter,  // the first transaction in line for it (hidden in changes)
    kPending,    // uncommitted version (exists or a value)
    kFailure,    // an instance's last transaction failure
    kWaitsFor,   // the row lock an instance's open statement waits for (owner slot + 1)
    kRedisValue, // a Redis key (its presence is the next slot)
    kRedisList,  // a Redis list's, hash's or set's count (its elements, pairs or members follow)
  };
  // A Redis list, hash or set whose count slot is `slot`, as `state` has it: "[3, 1]", "{1: 2, 4: 0}",
  // "{1, 3}".
  std::string CollectionText(int32_t slot, const ir::Value* state) const;
  External external(int32_t slot) const { return external_[slot]; }
  // A database slot's name with the row's key as `state` has it (else `other`): "accounts[3].balance".
  std::string ExternalName(int32_t slot, const ir::Value* state, const ir::Value* other) const;
  // For a row slot: the row's dirty flag and committed "exists" slot.
  int32_t DirtySlot(int32_t slot) const;
  int32_t ExistsSlot(int32_t slot) const;
  // For a row slot: the row lock (its owner slot).
  int32_t OwnerSlot(int32_t slot) const;
  // Who holds a row's lock in `state` ("free", "Withdraw[0]", "shared by P[0], P[1]"); `slot` is
  // a slot of the row.
  std::string RowLockText(int32_t slot, const ir::Value* state) const;

 private:
  enum class Kind { kOther, kPc, kLocal, kLock };

  const ir::Program& program_;
  std::vector<std::string> names_;
  std::vector<Kind> kind_;
  std::vector<int32_t> owner_;
  std::vector<ir::ValueType> type_;
  std::vector<bool> hidden_;
  std::vector<bool> is_failure_;
  std::vector<External> external_;
  std::vector<ir::RedisKeyKind> collection_;  // of a kRedisList slot
  // Row slots: (table, row, column or -1) for naming by key.
  struct RowPlace {
    int32_t table = -1;
    int32_t row = -1;
    int32_t column = -1;
  };
  std::vector<RowPlace> row_place_;
};

// "Transfer[0] waits for lock acct[1] held by Transfer[1]", "Worker[1] waits for an element of
// redis.jobs, which is empty": a deadlock's line for an instance waiting at `slot` in `state`.
std::string WaitText(const ir::Program& program, const Naming& naming, const ir::Value* state, int32_t instance,
                     int32_t slot, std::vector<int32_t>* holders);
// "lock mu held by W[0]", "row lock of accounts[1], first in line: T[0]": the lock at `lock` that
// `instance` waits for, and whom it waits for (left in `holders`; a crashed holder is named so).
std::string WaitTarget(const ir::Program& program, const Naming& naming, const ir::Value* state, int32_t instance,
                       int32_t lock, std::vector<int32_t>* holders);

}  // namespace racecheck::explore
