// DbEncoder::Run: `insert ... on conflict (...) do update` once the insert met its duplicate
// (db_upsert.cpp in the explicit engine).
#include "checker/symbolic/db_run.h"

namespace racecheck::symbolic {

z3::expr DbEncoder::Run::LeaveLines(const ir::Table& table, int32_t keep_row, const z3::expr& when) {
  z3::expr left = terms_.False();
  for (int32_t r = 0; r < table.capacity && !when.is_false(); ++r) {
    if (r == keep_row) continue;
    z3::expr mine = And(when, terms_.Eq(Get(table.WaiterSlot(r)), me_));
    Set(table.WaiterSlot(r), Slot(0), mine);
    left = Or(left, mine);
  }
  return left;
}

z3::expr DbEncoder::Run::Upsert(const ir::SqlStatement& sql, int32_t r, const z3::expr& conflict, Version& updated) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t t = sql.table;
  int32_t open_slot = layout_.Txn(instance_, ir::kTxnStatementOpen);
  // Whether this attempt changed the state: then it is a step even when it waits.
  z3::expr progressed =
      sql.autocommit ? terms_.False() : And(conflict, Is(Txn(ir::kTxnStatus), static_cast<int64_t>(ir::TxnStatus::kBegun)));
  Start(sql, conflict);
  progressed = Or(progressed, LeaveLines(table, r, conflict));
  auto wait = [&](const z3::expr& when, const z3::expr& marker, const z3::expr& holder) {
    WaitMarked(when, marker, holder, progressed);
  };
  z3::expr owner = Get(table.OwnerSlot(r));
  z3::expr waiter = Get(table.WaiterSlot(r));
  z3::expr own = terms_.Eq(owner, me_);
  z3::expr owned = NonZero(owner);
  z3::expr other_owner = And(owned, Not(own));
  z3::expr line_free = Is(waiter, 0);
  z3::expr first_in_line = terms_.Eq(waiter, me_);
  // It locks the row as for update: it waits for the holder, or for whoever is first in line.
  z3::expr take_line = And(conflict, And(other_owner, line_free));
  Set(table.WaiterSlot(r), me_, take_line);
  progressed = Or(progressed, take_line);
  z3::expr on_owner = And(conflict, And(other_owner, Or(line_free, first_in_line)));
  z3::expr line_taken = Not(line_free);
  z3::expr someone_in_line = And(line_taken, Not(first_in_line));
  z3::expr on_waiter = And(conflict, And(someone_in_line, other_owner));
  z3::expr waits = Or(on_owner, on_waiter);
  z3::expr owner_slot = Slot(table.OwnerSlot(r) + 1), waiter_slot = Slot(table.WaiterSlot(r) + 1);
  z3::expr wait_slot = terms_.Ite(on_owner, owner_slot, waiter_slot);
  wait(waits, wait_slot, terms_.Ite(on_owner, owner, waiter));
  z3::expr go = And(conflict, Not(waits));
  SetTo(table.WaiterSlot(r), 0, And(go, first_in_line));
  // Repeatable read and serializable: a row its snapshot does not see is 40001.
  int32_t stale_flag = layout_.Flag(instance_, t, r, ir::kRowStale);
  if (stale_flag >= 0) {
    z3::expr not_own = Not(own);
    z3::expr has_snapshot = HasSnapshot(instance_);
    z3::expr stale = And(not_own, And(has_snapshot, NonZero(Get(stale_flag))));
    Failed(And(go, stale), ir::DbFailure::kConcurrentUpdate);
  }
  Set(table.OwnerSlot(r), me_, And(go, Is(owner, 0)));
  progressed = Or(progressed, And(go, Or(Is(owner, 0), first_in_line)));
  Version newest = Newest(t, r);
  // The where clause on the row as it is now: when false, the row stays locked and nothing changes.
  auto [match, fault] = Matches(newest, sql);
  Error(And(go, fault));
  z3::expr act = And(go, match);
  std::vector<std::pair<int32_t, z3::expr>> values = NewValues(sql, newest, act);
  updated = newest;
  updated[0] = Slot(1);
  for (const auto& [column, value] : values) updated[1 + column] = value;
  CheckRow(sql, updated, act);
  Unique(sql, r, updated, act, sql.update_uniques,
         [&](const z3::expr& when, int32_t slot, const z3::expr& holder) { wait(when, Slot(slot + 1), holder); }, nullptr);
  for (int32_t c = 0; c < table.column_count(); ++c) Set(PendingSlot(table, r, c), updated[1 + c], act);
  Set(PendingSlot(table, r, -1), Slot(1), act);
  Set(table.DirtySlot(r), Slot(1), act);
  z3::expr serializable = Serializable(sql);
  if (!serializable.is_false()) SsiWrite(t, r, And(act, serializable));
  Set(open_slot, Slot(0), go);
  return act;
}

}  // namespace racecheck::symbolic
