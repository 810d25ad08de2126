// DbEncoder::Run: the state an operation reads and writes, how it returns, and transactions.
#include "checker/symbolic/db_run.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

DbOutcome DbEncoder::Run::Finish() {
  Keep(out_.done, terms_.True());
  return std::move(out_);
}

z3::expr DbEncoder::Run::Get(int32_t slot) {
  RACECHECK_CHECK(slot >= 0, "a database slot the program does not have");
  Note(slot, terms_.True());
  auto it = current_.find(slot);
  return it != current_.end() ? it->second : base_(slot);
}

// A slot no step changes is no read: no step's write can conflict with it.
void DbEncoder::Run::Note(int32_t slot, const z3::expr& when, bool in_focus) {
  if (layout_.Stable(slot)) return;
  noted_.push_back(slot);
  z3::expr c = layout_.RowSlot(slot) || in_focus ? And(live_, And(focus_, when)) : guard_;
  if (c.is_false()) return;
  auto it = out_.reads.find(slot);
  if (it == out_.reads.end()) out_.reads.emplace(slot, c); else it->second = Or(it->second, c);
}

z3::expr DbEncoder::Run::GetInFocus(int32_t slot) {
  RACECHECK_CHECK(slot >= 0, "a database slot the program does not have");
  Note(slot, terms_.True(), /*in_focus=*/true);
  auto it = current_.find(slot);
  return it != current_.end() ? it->second : base_(slot);
}

z3::expr DbEncoder::Run::Mine(int32_t slot) {
  RACECHECK_CHECK(slot >= 0, "a database slot the program does not have");
  auto it = current_.find(slot);
  z3::expr mine = terms_.Eq(it != current_.end() ? it->second : base_(slot), me_);
  Note(slot, mine);
  return mine;
}

DbEncoder::Run::Focus DbEncoder::Run::Narrow(const z3::expr& focus) {
  Focus scope{focus_, live_, noted_.size()};
  focus_ = And(focus_, focus);
  return scope;
}

// Live states only leave while a focus is in force, so the states live where it began cover
// every state the reads made under it could matter to.
void DbEncoder::Run::Widen(const Focus& scope, bool precise) {
  focus_ = scope.focus;
  if (precise) return;
  z3::expr live = live_;
  live_ = scope.live;
  std::vector<int32_t> slots(noted_.begin() + static_cast<std::ptrdiff_t>(scope.mark), noted_.end());
  for (int32_t slot : slots) Note(slot, terms_.True());
  live_ = live;
}

void DbEncoder::Run::Set(int32_t slot, const z3::expr& given, const z3::expr& when) {
  if (slot < 0 || when.is_false()) return;
  z3::expr value = given;
  if (layout_.Boolean(slot) && !given.is_bool()) {
    int64_t v = 0;
    RACECHECK_CHECK(Terms::Numeral(given, &v) && (v == 0 || v == 1), "a Boolean slot set to a value other than 0 or 1");
    value = terms_.ctx().bool_val(v != 0);
  }
  if (!layout_.Stable(slot)) {
    z3::expr c = layout_.RowSlot(slot) ? And(live_, when) : guard_;
    auto w = out_.writes.find(slot);
    if (w == out_.writes.end()) out_.writes.emplace(slot, c); else w->second = Or(w->second, c);
  }
  auto it = current_.find(slot);
  z3::expr before = it != current_.end() ? it->second : base_(slot);
  current_.insert_or_assign(slot, when.is_true() ? value : terms_.Ite(when, value, before));
}

void DbEncoder::Run::Keep(DbBranch& branch, const z3::expr& when) {
  z3::expr c = And(live_, when);
  if (c.is_false()) return;
  for (const auto& [slot, value] : current_) {
    auto it = branch.slots.find(slot);
    z3::expr before = it != branch.slots.end() ? it->second : base_(slot);
    branch.slots.insert_or_assign(slot, terms_.Ite(c, value, before));
  }
  for (auto& [slot, value] : branch.slots) {
    if (!current_.contains(slot)) value = terms_.Ite(c, base_(slot), value);
  }
  for (size_t k = 0; k < locals_.size(); ++k) branch.locals[k] = terms_.Ite(c, locals_[k], branch.locals[k]);
  branch.when = Or(branch.when, c);
  live_ = And(live_, Not(when));
}

void DbEncoder::Run::Failed(const z3::expr& when, const z3::expr& name) {
  z3::expr c = And(live_, when);
  if (c.is_false()) return;
  out_.failure_names.emplace_back(c, name);
  Keep(out_.failed, when);
}

void DbEncoder::Run::Block(const z3::expr& when, const z3::expr& holder, const std::vector<z3::expr>& sharers) {
  z3::expr c = And(live_, when);
  if (c.is_false()) return;
  out_.blocked = Or(out_.blocked, c);
  out_.holder = terms_.Ite(c, holder, out_.holder);
  for (size_t j = 0; j < sharers.size() && j < out_.also.size(); ++j) out_.also[j] = Or(out_.also[j], And(c, sharers[j]));
  live_ = And(live_, Not(when));
}

void DbEncoder::Run::Error(const z3::expr& when) {
  z3::expr c = And(live_, when);
  if (c.is_false()) return;
  out_.error = Or(out_.error, c);
  live_ = And(live_, Not(when));
}

z3::expr DbEncoder::Run::HasSnapshot(int32_t instance) {
  z3::expr status = Get(layout_.Txn(instance, ir::kTxnStatus));
  z3::expr isolation = Get(layout_.Txn(instance, ir::kTxnIsolation));
  z3::expr snapshot = Is(status, static_cast<int64_t>(ir::TxnStatus::kSnapshot));
  return And(snapshot, Not(Is(isolation, static_cast<int64_t>(ir::Isolation::kReadCommitted))));
}

z3::expr DbEncoder::Run::ReadCommitted(const ir::SqlStatement& sql) {
  if (sql.autocommit) return terms_.True();
  return Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kReadCommitted));
}

void DbEncoder::Run::Begin(ir::Isolation isolation) {
  SetTo(layout_.Txn(instance_, ir::kTxnStatus), static_cast<int64_t>(ir::TxnStatus::kBegun), terms_.True());
  SetTo(layout_.Txn(instance_, ir::kTxnIsolation), static_cast<int64_t>(isolation), terms_.True());
}

void DbEncoder::Run::Start(const ir::SqlStatement& sql, const z3::expr& when) {
  if (sql.autocommit) return;
  z3::expr begun = And(when, Is(Txn(ir::kTxnStatus), static_cast<int64_t>(ir::TxnStatus::kBegun)));
  z3::expr snapshot = And(begun, Not(Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kReadCommitted))));
  z3::expr serializable = And(begun, Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable)));
  Set(layout_.Txn(instance_, ir::kTxnStatus), Slot(static_cast<int64_t>(ir::TxnStatus::kSnapshot)), begun);
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    if (layout_.Snapshot(instance_, t, 0, -1) < 0) continue;
    // The committed rows matter only to a snapshot taken here.
    Focus scope = Narrow(snapshot);
    for (int32_t r = 0; r < table.capacity; ++r) {
      Set(layout_.Snapshot(instance_, t, r, -1), Get(table.ExistsSlot(r)), snapshot);
      for (int32_t c = 0; c < table.column_count(); ++c) {
        Set(layout_.Snapshot(instance_, t, r, c), Get(table.ValueSlot(r, c)), snapshot);
      }
    }
    Widen(scope);
  }
  if (layout_.serializable()) SsiBegin(serializable);
}

void DbEncoder::Run::StartBeforeWaiting(const ir::SqlStatement& sql, const z3::expr& when, int32_t slot,
                                         const z3::expr& holder) {
  if (!sql.autocommit) {
    z3::expr begun = Is(Txn(ir::kTxnStatus), static_cast<int64_t>(ir::TxnStatus::kBegun));
    z3::expr starts = And(when, And(begun, Not(ReadCommitted(sql))));
    Start(sql, starts);
    SetTo(layout_.Txn(instance_, ir::kTxnStatementOpen), slot + 1, starts);
    Keep(out_.wait, starts);
  }
  Block(when, holder);
}

z3::expr DbEncoder::Run::Shares(int32_t instance, int32_t t, int32_t r) {
  int32_t slot = layout_.Flag(instance, t, r, ir::kRowShared);
  return slot < 0 ? terms_.False() : NonZero(Get(slot));
}

void DbEncoder::Run::DropShares(const z3::expr& when) {
  if (!layout_.shares()) return;
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    for (int32_t r = 0; r < program_.tables[t].capacity; ++r) {
      Set(layout_.Flag(instance_, static_cast<int32_t>(t), r, ir::kRowShared), Slot(0), when);
    }
  }
}

z3::expr DbEncoder::Run::ReadTable(int32_t t) {
  z3::expr read = terms_.False();
  int32_t predicate = layout_.PredicateRead(instance_, t);
  if (predicate >= 0) read = NonZero(Get(predicate));
  for (int32_t r = 0; r < program_.tables[t].capacity; ++r) {
    int32_t slot = layout_.Flag(instance_, t, r, ir::kRowRead);
    if (slot >= 0) read = Or(read, NonZero(Get(slot)));
  }
  return read;
}

void DbEncoder::Run::CommitRows(const z3::expr& when, const z3::expr& pivot_writer,
                                const z3::expr& serializable_writer) {
  DropShares(when);
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    // db.cpp's CommitRows: a late duplicate is 40001 only from a writer that read the table.
    z3::expr read_then_wrote = And(serializable_writer, ReadTable(t));
    for (int32_t r = 0; r < table.capacity; ++r) {
      z3::expr mine = And(when, Mine(table.OwnerSlot(r)));
      if (mine.is_false()) continue;
      // A row it does not hold is none of its business.
      Focus scope = Narrow(mine);
      z3::expr dirty = And(mine, NonZero(Get(table.DirtySlot(r))));
      z3::expr exists = NonZero(PendingValue(table, r, -1));
      z3::expr one = Slot(1), zero = Slot(0);
      Set(table.ExistsSlot(r), terms_.Ite(exists, one, zero), dirty);
      for (int32_t c = 0; c < table.column_count(); ++c) {
        // A deleted row keeps no values.
        Set(table.ValueSlot(r, c), terms_.Ite(exists, PendingValue(table, r, c), zero), dirty);
      }
      // Transactions whose snapshot predates this commit see an older version now.
      for (int32_t other : layout_.txn_instances()) {
        if (other == instance_ || layout_.Snapshot(other, t, 0, -1) < 0) continue;
        z3::expr behind = And(dirty, HasSnapshot(other));
        Set(layout_.Flag(other, t, r, ir::kRowStale), Slot(1), behind);
        SetTo(layout_.Flag(other, t, r, ir::kRowStaleOut), 1, And(behind, pivot_writer));
        SetTo(layout_.Flag(other, t, r, ir::kRowStaleSerializable), 1, And(behind, read_then_wrote));
      }
      ClearRowLock(table, r, mine);
      Widen(scope);
    }
  }
}

void DbEncoder::Run::ClearRowLock(const ir::Table& table, int32_t r, const z3::expr& when) {
  Set(table.OwnerSlot(r), Slot(0), when);
  Set(table.DirtySlot(r), Slot(0), when);
  for (int32_t c = -1; c < table.column_count(); ++c) Set(PendingSlot(table, r, c), Slot(0), when);
}

void DbEncoder::Run::ReleaseRows(const z3::expr& when) {
  DropShares(when);
  for (const ir::Table& table : program_.tables) {
    for (int32_t r = 0; r < table.capacity; ++r) {
      SetTo(table.WaiterSlot(r), 0, And(when, Mine(table.WaiterSlot(r))));
      ClearRowLock(table, r, And(when, Mine(table.OwnerSlot(r))));
    }
  }
}

void DbEncoder::Run::EndTransaction(const z3::expr& when) {
  for (ir::TxnSlot slot : {ir::kTxnStatus, ir::kTxnIsolation, ir::kTxnStatementOpen}) {
    Set(layout_.Txn(instance_, slot), Slot(0), when);
  }
  z3::expr forget_reads = when;
  if (layout_.serializable()) forget_reads = And(when, Not(SsiIs(instance_, ir::SsiStatus::kCommitted)));
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    Set(layout_.PredicateRead(instance_, t), Slot(0), forget_reads);
    for (int32_t r = 0; r < table.capacity; ++r) {
      for (ir::RowFlag flag : kSplitFlags) {
        Set(layout_.Flag(instance_, t, r, flag), Slot(0), flag == ir::kRowRead ? forget_reads : when);
      }
      if (layout_.Snapshot(instance_, t, 0, -1) < 0) continue;
      for (int32_t c = -1; c < table.column_count(); ++c) Set(layout_.Snapshot(instance_, t, r, c), Slot(0), when);
    }
  }
}

}  // namespace racecheck::symbolic
