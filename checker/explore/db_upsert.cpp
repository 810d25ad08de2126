// `insert ... on conflict (...) do update set ... where ...` once the insert met its duplicate
// (docs/semantics.md, "Upsert"): the conflicting row is locked as for update, then updated.
#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/explore/db.h"
#include "checker/explore/db_detail.h"
#include "fmt/format.h"

namespace racecheck::explore {

using ir::Value;
using namespace db_detail;

bool Database::LeaveLines(ir::Value* state, int32_t instance, int32_t table_index, int32_t keep_row) {
  const ir::Table& table = program_.tables[table_index];
  bool left = false;
  for (int32_t r = 0; r < table.capacity; ++r) {
    if (r == keep_row || state[table.WaiterSlot(r)] != instance + 1) continue;
    state[table.WaiterSlot(r)] = 0;
    left = true;
  }
  return left;
}

DbOutcome Database::Upsert(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                           const EvalContext& context, ir::Value* locals, int32_t r) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t columns = table.column_count();
  ir::Value* txn = Txn(state, instance);
  // Whether this attempt changed the state: then it is a step even when it waits.
  bool progressed = !sql.autocommit && txn[ir::kTxnStatus] == StatusValue(ir::TxnStatus::kBegun);
  Start(state, instance, sql);
  // Each attempt starts over (PostgreSQL retries the insert when the row it waited for changed):
  // it leaves the line of a row it no longer waits for.
  progressed = LeaveLines(state, instance, sql.table, r) || progressed;
  auto wait = [&](int32_t slot) {
    // The statement remembers the lock it waits for (slot + 1), for traces.
    if (txn[ir::kTxnStatementOpen] != slot + 1) {
      txn[ir::kTxnStatementOpen] = slot + 1;
      progressed = true;
    }
    return Waiting(progressed ? DbOutcome::Kind::kWait : DbOutcome::Kind::kBlocked, slot);
  };
  Value owner = state[table.OwnerSlot(r)];
  Value waiter = state[table.WaiterSlot(r)];
  bool own = owner == instance + 1;
  // It locks the row as for update: it waits for the holder, or for whoever is first in line, as Locking does.
  if (owner != 0 && !own) {
    if (waiter == 0) {
      state[table.WaiterSlot(r)] = instance + 1;
      progressed = true;
    }
    return wait(waiter == 0 || waiter == instance + 1 ? table.OwnerSlot(r) : table.WaiterSlot(r));
  }
  // A row nobody holds is taken at once, even with a first waiter not yet woken (Locking).
  if (waiter == instance + 1) state[table.WaiterSlot(r)] = 0;
  // Repeatable read and serializable: a row its snapshot does not see, inserted or changed since
  // (PostgreSQL's ExecCheckTupleVisible), is 40001.
  const ir::Value* flags = Flags(state, instance, sql.table);
  if (!own && HasSnapshot(state, instance) && flags && (flags[r] & ir::kRowStale) != 0) {
    return Failed(ir::DbFailure::kConcurrentUpdate);
  }
  if (owner == 0) {
    state[table.OwnerSlot(r)] = instance + 1;
    progressed = true;
  }
  if (waiter == instance + 1) progressed = true;
  const ir::Value* newest = Newest(state, instance, sql.table, r);
  std::copy(newest, newest + columns + 1, buffer_.begin());
  // The where clause on the row as it is now: when false, the row stays locked and nothing changes.
  bool match = Matches(buffer_.data(), sql, context);
  if (eval_.failed()) return Error(eval_.fault());
  if (!match) {
    txn[ir::kTxnStatementOpen] = 0;
    return Finish(state, instance, sql, locals, nullptr);
  }
  // The new version meets the constraints as an update's does: NOT NULL, checks, then the unique
  // constraints on the columns it sets (waiting for another writer of a duplicate, the row lock kept).
  DbOutcome set = SetValues(instance, sql, r, context);
  if (set.kind != DbOutcome::Kind::kDone) return set;
  DbOutcome admitted = CheckRow(sql, updated_.data(), context);
  if (admitted.kind == DbOutcome::Kind::kDone) {
    admitted = Unique(state, instance, sql, r, updated_.data(), sql.update_uniques, nullptr);
  }
  if (admitted.kind == DbOutcome::Kind::kBlocked) return wait(admitted.blocked_slot);
  if (admitted.kind != DbOutcome::Kind::kDone) return admitted;
  WriteUpdate(state, instance, sql, r);
  if (IsolationOf(state, instance, sql) == ir::Isolation::kSerializable) {
    ir::DbFailure failure = SsiWrite(state, instance, sql.table, r);
    if (failure != ir::DbFailure::kNone) return Failed(failure);
  }
  txn[ir::kTxnStatementOpen] = 0;
  return Finish(state, instance, sql, locals, updated_.data());
}

}  // namespace racecheck::explore
