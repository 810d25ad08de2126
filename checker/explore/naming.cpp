#include "checker/explore/naming.h"

#include "checker/base/diagnostics.h"
#include "checker/explore/db.h"
#include "checker/ir/value_text.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

std::string ElementName(const std::string& name, bool is_array, int32_t index, int32_t copies, int32_t copy) {
  std::string result = is_array ? fmt::format("{}[{}]", name, index) : name;
  if (copies > 1) result += fmt::format(" of replica {}", copy);
  return result;
}

}  // namespace

Naming::Naming(const ir::Program& program)
    : program_(program),
      names_(program.slot_count),
      kind_(program.slot_count, Kind::kOther),
      owner_(program.slot_count, -1),
      type_(program.slot_count),
      hidden_(program.slot_count, false),
      is_failure_(program.slot_count, false),
      external_(program.slot_count, External::kNone),
      collection_(program.slot_count, ir::RedisKeyKind::kPlain),
      row_place_(program.slot_count) {
  auto in_range = [&](int32_t slot) {
    RACECHECK_CHECK(slot >= 0 && slot < program.slot_count, "slot outside the state");
    return slot;
  };
  for (const ir::Param& param : program.params) names_[in_range(param.slot)] = param.name;
  for (const ir::Variable& var : program.vars) {
    for (int32_t copy = 0; copy < var.copies; ++copy) {
      for (int32_t i = 0; i < var.size; ++i) {
        int32_t slot = in_range(var.first_slot + copy * var.size + i);
        names_[slot] = ElementName(var.name, var.is_array, var.index_lo + i, var.copies, copy);
        type_[slot] = var.type;
      }
    }
  }
  for (const ir::Lock& lock : program.locks) {
    for (int32_t copy = 0; copy < lock.copies; ++copy) {
      for (int32_t i = 0; i < lock.size; ++i) {
        int32_t slot = in_range(lock.first_slot + copy * lock.size + i);
        names_[slot] = "lock " + ElementName(lock.name, lock.is_array, lock.index_lo + i, lock.copies, copy);
        kind_[slot] = Kind::kLock;
      }
    }
  }
  if (program.replica_busy_slot >= 0) {
    for (int32_t r = 0; r < program.replicas; ++r) {
      names_[in_range(program.replica_busy_slot + r)] = fmt::format("busy[{}]", r);
    }
  }
  for (size_t i = 0; i < program.instances.size(); ++i) {
    const ir::Instance& inst = program.instances[i];
    const ir::Process& process = program.processes[inst.process];
    int32_t pc = in_range(inst.base_slot);
    names_[pc] = inst.display_name + ".pc";
    kind_[pc] = Kind::kPc;
    owner_[pc] = static_cast<int32_t>(i);
    for (size_t k = 0; k < process.local_names.size(); ++k) {
      int32_t slot = in_range(inst.base_slot + 1 + static_cast<int32_t>(k));
      names_[slot] = inst.display_name + "." + process.local_names[k];
      kind_[slot] = Kind::kLocal;
      owner_[slot] = static_cast<int32_t>(i);
      if (k < process.local_types.size()) type_[slot] = process.local_types[k];
    }
  }
  // The front end's names win where it gave them (it names locals by their short name).
  if (program.slots.size() == static_cast<size_t>(program.slot_count)) {
    for (int32_t slot = 0; slot < program.slot_count; ++slot) {
      const ir::SlotInfo& info = program.slots[slot];
      if (!info.name.empty() && kind_[slot] != Kind::kLocal) names_[slot] = info.name;
      if (info.is_lock) kind_[slot] = Kind::kLock;
      if (kind_[slot] != Kind::kLock) type_[slot] = info.type;
      hidden_[slot] = info.hidden;
      is_failure_[slot] = info.is_failure;
      if (info.is_failure) external_[slot] = External::kFailure;
    }
  }
  for (size_t t = 0; t < program.tables.size(); ++t) {
    const ir::Table& table = program.tables[t];
    int32_t columns = table.column_count();
    for (int32_t r = 0; r < table.capacity; ++r) {
      auto place = [&](int32_t slot, External kind, int32_t column) {
        external_[in_range(slot)] = kind;
        row_place_[slot] = {static_cast<int32_t>(t), r, column};
      };
      place(table.ExistsSlot(r), External::kRowExists, -1);
      for (int32_t c = 0; c < columns; ++c) place(table.ValueSlot(r, c), External::kRowValue, c);
      for (int32_t c = 0; c < columns && static_cast<size_t>(c) < table.column_types.size(); ++c) {
        type_[table.ValueSlot(r, c)] = table.column_types[c];
        type_[table.PendingValueSlot(r, c)] = table.column_types[c];
      }
      place(table.OwnerSlot(r), External::kRowOwner, -1);
      place(table.WaiterSlot(r), External::kRowWaiter, -1);
      place(table.DirtySlot(r), External::kHidden, -1);
      place(table.PendingExistsSlot(r), External::kPending, -1);
      for (int32_t c = 0; c < columns; ++c) place(table.PendingValueSlot(r, c), External::kPending, c);
      kind_[table.OwnerSlot(r)] = Kind::kLock;
      kind_[table.WaiterSlot(r)] = Kind::kLock;
    }
  }
  for (size_t i = 0; i < program.instances.size(); ++i) {
    const ir::Instance& inst = program.instances[i];
    const ir::ProcessDb& db = program.processes[inst.process].db;
    if (db.txn >= 0) {
      int32_t slot = in_range(inst.base_slot + db.txn + ir::kTxnStatementOpen);
      external_[slot] = External::kWaitsFor;
      owner_[slot] = static_cast<int32_t>(i);
    }
    for (size_t t = 0; t < db.row_flags.size(); ++t) {
      if (db.row_flags[t] < 0) continue;
      for (int32_t r = 0; r < program.tables[t].capacity; ++r) {
        int32_t slot = in_range(inst.base_slot + db.row_flags[t] + r);
        external_[slot] = External::kRowShares;
        row_place_[slot] = {static_cast<int32_t>(t), r, -1};
      }
    }
  }
  for (const ir::RedisDecl& decl : program.redis) {
    for (int32_t e = 0; e < decl.size; ++e) {
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        int32_t slot = in_range(decl.KeySlot(e, static_cast<int32_t>(k)));
        const ir::RedisKey& key = decl.keys[k];
        if (key.IsCollection()) {
          external_[slot] = External::kRedisList;
          collection_[slot] = key.kind;
          for (int32_t i = 1; i < key.Width(); ++i) {
            external_[slot + i] = External::kHidden;
            // A hash's values are ints; its fields, like list elements and set members, of the key's type.
            if (!key.IsHash() || i % 2 == 1) type_[slot + i] = key.type;
          }
          continue;
        }
        external_[slot] = External::kRedisValue;
        type_[slot] = decl.keys[k].type;
        external_[slot + 1] = External::kHidden;
        external_[slot + 2] = External::kHidden;
      }
    }
  }
}

std::string Naming::CollectionText(int32_t slot, const ir::Value* state) const {
  bool hash = collection_[slot] == ir::RedisKeyKind::kHash;
  bool list = collection_[slot] == ir::RedisKeyKind::kList;
  int32_t stride = hash ? 2 : 1;
  std::string text = list ? "[" : "{";
  for (int32_t i = 0; i < state[slot]; ++i) {
    int32_t at = slot + 1 + i * stride;
    text += (i ? ", " : "") + Value(at, state[at]);
    if (hash) text += ": " + Value(at + 1, state[at + 1]);
  }
  return text + (list ? "]" : "}");
}

std::string Naming::ExternalName(int32_t slot, const ir::Value* state, const ir::Value* other) const {
  const RowPlace& place = row_place_[slot];
  if (place.table < 0) return names_[slot];
  const ir::Table& table = program_.tables[place.table];
  // The row's key: committed, else being inserted; from `state`, else from `other`.
  std::string row;
  for (const ir::Value* s : {state, other}) {
    if (!s || !row.empty()) continue;
    if (s[table.ExistsSlot(place.row)] != 0) {
      row = fmt::format("{}[{}]", table.name, s[table.ValueSlot(place.row, table.key_column)]);
    } else if (s[table.DirtySlot(place.row)] != 0) {
      row = fmt::format("{}[{}]", table.name, s[table.PendingValueSlot(place.row, table.key_column)]);
    }
  }
  if (row.empty()) return names_[slot];
  std::string column = place.column >= 0 ? "." + table.columns[place.column] : "";
  switch (external_[slot]) {
    case External::kRowExists: return row + " exists";
    case External::kRowValue: return row + column;
    case External::kRowOwner:
    case External::kRowShares: return "row lock " + row;
    case External::kRowWaiter: return "the queue for row lock " + row;
    case External::kPending: return row + (place.column >= 0 ? column : " exists") + ", uncommitted";
    default: return names_[slot];
  }
}

int32_t Naming::DirtySlot(int32_t slot) const {
  const RowPlace& place = row_place_[slot];
  return program_.tables[place.table].DirtySlot(place.row);
}

int32_t Naming::OwnerSlot(int32_t slot) const {
  const RowPlace& place = row_place_[slot];
  return program_.tables[place.table].OwnerSlot(place.row);
}

std::string Naming::RowLockText(int32_t slot, const ir::Value* state) const {
  const RowPlace& place = row_place_[slot];
  ir::Value owner = state[OwnerSlot(slot)];
  if (owner > 0) return Value(OwnerSlot(slot), owner);
  std::vector<int32_t> sharers;
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (HoldsShare(program_, state, static_cast<int32_t>(i), place.table, place.row)) {
      sharers.push_back(static_cast<int32_t>(i));
    }
  }
  return sharers.empty() ? "free" : "shared by " + HolderNames(program_, sharers);
}

int32_t Naming::ExistsSlot(int32_t slot) const {
  const RowPlace& place = row_place_[slot];
  return program_.tables[place.table].ExistsSlot(place.row);
}

std::string Naming::ShortName(int32_t slot) const {
  if (kind_[slot] != Kind::kLocal) return names_[slot];
  const ir::Instance& inst = program_.instances[owner_[slot]];
  return program_.processes[inst.process].local_names[slot - inst.base_slot - 1];
}

std::string Naming::Value(int32_t slot, ir::Value value) const {
  if (kind_[slot] == Kind::kLock) {
    if (value == 0) return "free";
    if (value > 0 && static_cast<size_t>(value) <= program_.instances.size()) {
      return program_.instances[value - 1].display_name;
    }
  }
  if (is_failure_[slot]) return FailureCode(static_cast<ir::DbFailure>(value));
  return ir::ValueText(program_, type_[slot], value);
}

std::string Naming::LockName(int32_t slot) const {
  const std::string& name = names_[slot];
  return name.starts_with("lock ") || name.starts_with("row lock ") ? name : "lock " + name;
}

std::string Naming::LockName(int32_t slot, const ir::Value* state) const {
  // A blocking list command waits for an element rather than a lock.
  if (external_[slot] == External::kRedisList) return "an element of " + names_[slot];
  if (external_[slot] == External::kRowOwner || external_[slot] == External::kRowWaiter) {
    return ExternalName(slot, state, nullptr);
  }
  return LockName(slot);
}

std::string WaitText(const ir::Program& program, const Naming& naming, const ir::Value* state, int32_t instance,
                     int32_t slot, std::vector<int32_t>* holders) {
  const std::string& name = program.instances[instance].display_name;
  RACECHECK_CHECK(slot >= 0, "a disabled instance that waits for no lock");
  if (naming.external(slot) == Naming::External::kRedisList) {
    return fmt::format("{} waits for an element of {}, which is empty", name, naming.SlotName(slot));
  }
  return name + " waits for " + WaitTarget(program, naming, state, instance, slot, holders);
}

std::string WaitTarget(const ir::Program& program, const Naming& naming, const ir::Value* state, int32_t instance,
                       int32_t lock, std::vector<int32_t>* holders) {
  LockHolders(program, state, lock, instance, holders);
  std::string text = naming.LockName(lock, state);
  if (holders->empty()) return text;
  bool queue = naming.external(lock) == Naming::External::kRowWaiter;
  return text + (queue ? ", first in line: " : " held by ") + HolderNames(program, *holders, state);
}

}  // namespace racecheck::explore
