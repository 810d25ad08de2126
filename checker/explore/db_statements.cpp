// The SQL statements: select, update, delete, insert (docs/semantics.md, "Database").
#include "checker/explore/db.h"

#include <algorithm>
#include <cstring>

#include "checker/base/diagnostics.h"
#include "checker/explore/db_detail.h"
#include "checker/explore/step.h"
#include "fmt/format.h"

namespace racecheck::explore {

using ir::Value;
using namespace db_detail;
// ---- statements ----------------------------------------------------------------------

DbOutcome Database::Execute(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                            const EvalContext& context, ir::Value* locals) {
  switch (sql.kind) {
    case ir::SqlKind::kSelect:
      return sql.for_update ? Locking(state, instance, sql, context, locals) : Select(state, instance, sql, context, locals);
    case ir::SqlKind::kUpdate:
    case ir::SqlKind::kDelete:
      return Locking(state, instance, sql, context, locals);
    case ir::SqlKind::kInsert:
      return Insert(state, instance, sql, context, locals);
  }
  return {};
}

DbOutcome Database::Store(const ir::SqlStatement& sql, ir::Value* locals, int64_t value) {
  if (!sql.results.empty()) {
    if (!FitsValue(value)) return Error(fmt::format("value {} does not fit in 32 bits", value));
    locals[sql.results[0]] = static_cast<Value>(value);
  }
  return {};
}

DbOutcome Database::Results(const std::vector<const ir::Value*>& rows, const ir::SqlStatement& sql, ir::Value* locals) {
  if (sql.many_rows) {
    // A for loop's select: every row, in order, then how many (the items are plain columns).
    size_t columns = sql.items.size();
    for (size_t k = 0; k + 1 < sql.results.size(); ++k) {
      size_t r = k / columns;
      locals[sql.results[k]] = r < rows.size() ? rows[r][1 + sql.items[k % columns].column] : 0;
    }
    locals[sql.results.back()] = static_cast<Value>(rows.size());
    return {};
  }
  for (size_t k = 0; k < sql.items.size(); ++k) {
    const ir::SelectItem& item = sql.items[k];
    int64_t value = 0;
    switch (item.kind) {
      case ir::SelectItem::Kind::kCount:
        // count(column) counts the rows where it is not NULL.
        for (const ir::Value* row : rows) value += item.column < 0 || row[1 + item.column] != ir::kNull ? 1 : 0;
        break;
      case ir::SelectItem::Kind::kSum: {
        // The sum of the values that are not NULL; NULL when there are none, as in SQL.
        bool any = false;
        for (const ir::Value* row : rows) {
          if (row[1 + item.column] == ir::kNull) continue;
          value += row[1 + item.column];
          any = true;
        }
        if (!any) value = ir::kNull;
        break;
      }
      case ir::SelectItem::Kind::kMin:
      case ir::SelectItem::Kind::kMax: {
        // The least (greatest) value that is not NULL; NULL when there is none, as in SQL.
        value = ir::kNull;
        for (const ir::Value* row : rows) {
          int64_t v = row[1 + item.column];
          if (v == ir::kNull) continue;
          bool better = item.kind == ir::SelectItem::Kind::kMin ? v < value : v > value;
          if (value == ir::kNull || better) value = v;
        }
        break;
      }
      case ir::SelectItem::Kind::kColumn:
        if (rows.size() > 1 && sql.kind == ir::SqlKind::kSelect) {
          return Error(fmt::format("the select found {} rows for one value (narrow its where clause to one "
                                       "row, add 'order by ... limit 1', or use an aggregate: count, sum, min, max)", rows.size()));
        }
        if (rows.size() > 1) {
          // PostgreSQL would return every row; racecheck's locals hold one.
          const char* word = sql.kind == ir::SqlKind::kUpdate ? "update" : "delete";
          return Error(fmt::format("the {} {} {} rows, and 'returning' into locals gives one row's values (narrow "
                                   "its where clause to one row, or run over every row with 'for r in {} ... "
                                   "returning ...')",
                                   word, sql.kind == ir::SqlKind::kUpdate ? "changed" : "deleted", rows.size(), word));
        }
        // No row: NULL, as the application sees it.
        value = rows.empty() ? ir::kNull : rows[0][1 + item.column];
        break;
    }
    // A sum must be an integer (-2^31 is NULL's representation); a column's value is anything stored.
    if (item.kind == ir::SelectItem::Kind::kSum ? value != ir::kNull && !ir::FitsInt(value) : !FitsValue(value)) {
      return Error(fmt::format("value {} does not fit in 32 bits", value));
    }
    if (k < sql.results.size()) locals[sql.results[k]] = static_cast<Value>(value);
  }
  return {};
}

DbOutcome Database::Select(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                           const EvalContext& context, ir::Value* locals) {
  Start(state, instance, sql);
  if (Serializable(state, instance, sql)) {
    ir::DbFailure failure = SsiRead(state, instance, sql, context);
    if (eval_.failed()) return Error(eval_.fault());
    if (failure != ir::DbFailure::kNone) return Failed(failure);
  }
  const ir::Table& table = program_.tables[sql.table];
  taken_.clear();
  Value matched = 0;
  for (int32_t r = 0; r < table.capacity; ++r) {
    const ir::Value* version = Visible(state, instance, sql.table, r);
    if (version[0] != 0 && sql.key_expr < 0) {
      for (int32_t c : sql.where_columns) {
        Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r,
               .key = version[1 + table.key_column], .column = c, .value = version[1 + c]});
      }
    }
    bool match = Matches(version, sql, context);
    if (eval_.failed()) return Error(eval_.fault());
    if (!match) continue;
    taken_.push_back(r);
    if (r < 31) matched |= Value{1} << r;
  }
  TakeInOrder(state, instance, sql, locals, taken_);
  std::vector<const ir::Value*>& rows = result_rows_;
  rows.clear();
  for (int32_t r : taken_) {
    const ir::Value* version = Visible(state, instance, sql.table, r);
    rows.push_back(version);
    for (const ir::SelectItem& item : sql.items) {
      if (item.column < 0) continue;
      Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r,
             .key = version[1 + table.key_column], .column = item.column, .value = version[1 + item.column]});
    }
  }
  if (sql.key_expr < 0) {
    Event({.kind = DbEvent::Kind::kPredicate, .instance = instance, .table = sql.table, .value = matched});
  }
  DbOutcome outcome = Results(rows, sql, locals);
  if (sql.autocommit) Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  return outcome;
}

// update, delete and select ... for update: find the rows (the statement's snapshot), then
// lock and change them one by one, waiting where another transaction holds a row.
DbOutcome Database::Locking(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                            const EvalContext& context, ir::Value* locals) {
  const ir::Table& table = program_.tables[sql.table];
  ir::Value* txn = Txn(state, instance);
  ir::Value* flags = Flags(state, instance, sql.table);
  RACECHECK_CHECK(flags != nullptr, "a statement on a table its process has no flags for");
  ir::Isolation isolation = IsolationOf(state, instance, sql);
  bool serializable = isolation == ir::Isolation::kSerializable;
  bool progressed = false;
  if (txn[ir::kTxnStatementOpen] == 0) {
    Start(state, instance, sql);
    if (serializable) {
      ir::DbFailure failure = SsiRead(state, instance, sql, context);
      if (eval_.failed()) return Error(eval_.fault());
      if (failure != ir::DbFailure::kNone) return Failed(failure);
    }
    Value matched = 0;
    for (int32_t r = 0; r < table.capacity; ++r) {
      const ir::Value* version = Visible(state, instance, sql.table, r);
      if (version[0] != 0 && sql.key_expr < 0) {
        for (int32_t c : sql.where_columns) {
          Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r,
                 .key = version[1 + table.key_column], .column = c, .value = version[1 + c]});
        }
      }
      bool match = Matches(version, sql, context);
      if (eval_.failed()) return Error(eval_.fault());
      if (!match) continue;
      flags[r] |= ir::kRowTodo;
      if (r < 31) matched |= Value{1} << r;
    }
    if (sql.key_expr < 0) {
      Event({.kind = DbEvent::Kind::kPredicate, .instance = instance, .table = sql.table, .value = matched});
    }
    if (sql.Ordered()) Rank(state, instance, sql, flags, locals);
    txn[ir::kTxnStatementOpen] = 1;
    progressed = true;
  }
  int32_t columns = table.column_count();
  // Rows it has locked so far, for `limit`: PostgreSQL's Limit sits above LockRows, so a row
  // skipped or dropped on the way does not count, and rows past the limit are never locked.
  int32_t taken = 0;
  for (int32_t r = 0; r < table.capacity && sql.limit > 0; ++r) taken += (flags[r] & ir::kRowMatched) != 0 ? 1 : 0;
  bool took_row = false;  // a row locked in this step
  for (int32_t r = NextTodo(flags, table.capacity, sql.Ordered()); r >= 0;
       r = NextTodo(flags, table.capacity, sql.Ordered())) {
    // PostgreSQL locks the rows one at a time: another transaction may come between two.
    if (took_row && sql.row_by_row) return Waiting(DbOutcome::Kind::kWait, -1);
    Value me = instance + 1;
    Value owner = state[table.OwnerSlot(r)];
    Value waiter = state[table.WaiterSlot(r)];
    // PostgreSQL's heap_lock_tuple: a share lock conflicts with another's exclusive lock only, an
    // exclusive one (update, delete, for [no key] update) with every other holder. Where it
    // conflicts it waits behind the transaction first in line, unless it holds a share lock on
    // the row already (it skips the tuple lock then). A row nobody holds is taken at once, even
    // with a first waiter not yet woken: heap_lock_tuple finds the tuple free and takes no tuple
    // lock, and the waiter then waits for the newcomer.
    bool mine_share = (flags[r] & ir::kRowShared) != 0;
    bool others_share = SharedByOthers(state, instance, sql.table, r);
    bool held = owner == me || (sql.share && mine_share);
    bool conflict = !held && ((owner != 0 && owner != me) || (!sql.share && others_share));
    bool queued = conflict && waiter != 0 && waiter != me && !mine_share;
    // The line's first two places keep their order: the first in line (`waiter`) holds
    // PostgreSQL's tuple lock, and the next one queued (its open statement marks the line) is
    // granted it when the first takes the row or aborts. One that comes while another is next
    // waits further back, marked on the row's owner slot, until no one is next: it never jumps
    // ahead (a deadlock victim's retry queues behind a transaction that waited before it).
    Value line_mark = table.WaiterSlot(r) + 1;
    bool further_back = (queued || (conflict && waiter == 0 && !mine_share)) &&
                        txn[ir::kTxnStatementOpen] != line_mark && NextInLine(state, instance, table.WaiterSlot(r));
    // A share lock asked while the first in line asks for one too (and no one is next) waits for
    // the holder beside it: PostgreSQL grants both the tuple lock, in share mode.
    bool beside = sql.share && queued && !further_back && ShareFirstInLine(state, sql.table, r);
    bool behind = queued && !beside;
    bool locked = conflict || behind;
    if (locked && sql.lock_wait == ir::LockWait::kSkipLocked) {
      flags[r] &= ~ir::kRowTodo;
      progressed = true;
      continue;
    }
    if (locked && sql.lock_wait == ir::LockWait::kNoWait) return Failed(ir::DbFailure::kLockNotAvailable);
    // Whom it waits for: the row lock's holder, or else whoever is first in line for the row
    // (PostgreSQL's first waiter holds the tuple lock, so of those that conflict it goes next).
    int32_t wait_slot = -1;
    if (behind || further_back) {
      wait_slot = table.WaiterSlot(r);
    } else if (conflict) {
      wait_slot = table.OwnerSlot(r);
      if (waiter == 0 && !mine_share) {
        state[table.WaiterSlot(r)] = me;
        if (sql.share) flags[r] |= ir::kRowShareWaiting;
        progressed = true;
      }
    }
    if (wait_slot >= 0) {
      // The open statement remembers the lock it waits for (slot + 1), for traces; further back
      // in line, the row's lock.
      Value mark = further_back ? table.OwnerSlot(r) + 1 : wait_slot + 1;
      if (txn[ir::kTxnStatementOpen] != mark) {
        txn[ir::kTxnStatementOpen] = mark;
        progressed = true;
      }
      return Waiting(progressed ? DbOutcome::Kind::kWait : DbOutcome::Kind::kBlocked, wait_slot);
    }
    if (waiter == instance + 1) {
      state[table.WaiterSlot(r)] = 0;
      flags[r] &= ~ir::kRowShareWaiting;
    }
    if (isolation != ir::Isolation::kReadCommitted && (flags[r] & ir::kRowStale) != 0) {
      // Repeatable read: the row changed after the snapshot; PostgreSQL refuses to build on it.
      return Failed(ir::DbFailure::kConcurrentUpdate);
    }
    const ir::Value* newest = Newest(state, instance, sql.table, r);
    std::copy(newest, newest + columns + 1, buffer_.begin());
    if (isolation == ir::Isolation::kReadCommitted) {
      // EvalPlanQual: the where clause again, on the newest committed version.
      bool match = Matches(buffer_.data(), sql, context);
      if (eval_.failed()) return Error(eval_.fault());
      if (!match) {
        flags[r] &= ~ir::kRowTodo;
        progressed = true;
        continue;
      }
    }
    int32_t key = buffer_[1 + table.key_column];
    if (sql.share && !held) {
      flags[r] |= ir::kRowShared;
      progressed = true;
    } else if (!sql.share && owner == 0) {
      state[table.OwnerSlot(r)] = me;
      progressed = true;
    }
    if (waiter == instance + 1) progressed = true;
    if (sql.kind == ir::SqlKind::kUpdate) {
      DbOutcome set = SetValues(instance, sql, r, context);
      if (set.kind != DbOutcome::Kind::kDone) return set;
      // The new version meets the table's constraints; waiting for another writer of a duplicate
      // leaves the row to do again (the row lock stays), as a wait for a row lock does.
      DbOutcome admitted = Admit(state, instance, sql, r, updated_.data(), context);
      if (admitted.kind == DbOutcome::Kind::kBlocked) {
        if (txn[ir::kTxnStatementOpen] != admitted.blocked_slot + 1) {
          txn[ir::kTxnStatementOpen] = admitted.blocked_slot + 1;
          progressed = true;
        }
        return Waiting(progressed ? DbOutcome::Kind::kWait : DbOutcome::Kind::kBlocked, admitted.blocked_slot);
      }
      if (admitted.kind != DbOutcome::Kind::kDone) return admitted;
      WriteUpdate(state, instance, sql, r);
    } else if (sql.kind == ir::SqlKind::kDelete) {
      state[table.PendingExistsSlot(r)] = 0;
      for (int32_t c = 0; c < columns; ++c) state[table.PendingValueSlot(r, c)] = buffer_[1 + c];
      state[table.DirtySlot(r)] |= 1;
      WroteSlot(table.PendingExistsSlot(r));
      Event({.kind = DbEvent::Kind::kDelete, .instance = instance, .table = sql.table, .row = r, .key = key});
    }
    if (serializable && sql.kind != ir::SqlKind::kSelect) {
      ir::DbFailure failure = SsiWrite(state, instance, sql.table, r);
      if (failure != ir::DbFailure::kNone) return Failed(failure);
    }
    flags[r] = (flags[r] & ~ir::kRowTodo) | ir::kRowMatched;
    progressed = true;
    took_row = true;
    if (++taken == sql.limit) {
      for (int32_t rest = 0; rest < table.capacity; ++rest) flags[rest] &= ~ir::kRowTodo;
    }
  }
  // Every row is done: the statement's result, in the statement's order (its ranks).
  std::vector<int32_t>& done = taken_;
  done.clear();
  for (int32_t r = 0; r < table.capacity; ++r) {
    if ((flags[r] & ir::kRowMatched) != 0) done.push_back(r);
  }
  if (sql.many_rows && sql.Ordered()) {
    std::stable_sort(done.begin(), done.end(), [&](int32_t a, int32_t b) {
      return (flags[a] >> ir::kRowRankShift) < (flags[b] >> ir::kRowRankShift);
    });
  }
  for (int32_t r = 0; r < table.capacity; ++r) flags[r] &= ~ir::kRowMatched & ((Value{1} << ir::kRowRankShift) - 1);
  std::vector<const ir::Value*>& rows = result_rows_;
  rows.clear();
  for (int32_t r : done) {
    rows.push_back(Newest(state, instance, sql.table, r));
    if (sql.kind == ir::SqlKind::kSelect) {
      for (const ir::SelectItem& item : sql.items) {
        if (item.column < 0) continue;
        Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r,
               .key = rows.back()[1 + table.key_column], .column = item.column, .value = rows.back()[1 + item.column]});
      }
    }
  }
  txn[ir::kTxnStatementOpen] = 0;
  // A select's items, or `returning`'s columns: the new version of an updated row, the deleted
  // row's last values (a deleted row's pending version keeps them).
  DbOutcome outcome = !sql.items.empty() ? Results(rows, sql, locals)
                                         : Store(sql, locals, static_cast<int64_t>(rows.size()));
  if (outcome.kind != DbOutcome::Kind::kDone) return outcome;
  if (sql.autocommit) {
    CommitRows(state, instance, false, false);
    Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  }
  return outcome;
}

DbOutcome Database::SetValues(int32_t instance, const ir::SqlStatement& sql, int32_t r, const EvalContext& context) {
  const ir::Table& table = program_.tables[sql.table];
  Value key = buffer_[1 + table.key_column];
  EvalContext row_context = context;
  row_context.row = buffer_.data() + 1;
  for (const ir::SqlSet& set : sql.sets) {
    if (set.reads_own_column) {
      Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r, .key = key,
             .column = set.column, .value = buffer_[1 + set.column]});
    }
  }
  std::copy(buffer_.begin(), buffer_.begin() + table.column_count() + 1, updated_.begin());
  updated_[0] = 1;
  for (const ir::SqlSet& set : sql.sets) {
    int64_t value = eval_.Eval(set.expr, row_context);
    if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
    if (eval_.failed()) return Error(eval_.fault());
    updated_[1 + set.column] = static_cast<Value>(value);
  }
  // NOT NULL first (23502), then the table's constraints, as PostgreSQL checks the new row.
  for (const ir::SqlSet& set : sql.sets) {
    if (updated_[1 + set.column] == ir::kNull && !table.column_nullable[set.column]) {
      return Failed(ir::DbFailure::kNotNullViolation);
    }
  }
  return {};
}

void Database::WriteUpdate(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t r) {
  const ir::Table& table = program_.tables[sql.table];
  Value key = updated_[1 + table.key_column];
  std::copy(updated_.begin(), updated_.begin() + table.column_count() + 1, state + table.PendingExistsSlot(r));
  for (const ir::SqlSet& set : sql.sets) state[table.DirtySlot(r)] |= 1 | DirtyBit(set.column);
  for (const ir::SqlSet& set : sql.sets) {
    WroteSlot(table.PendingValueSlot(r, set.column));
    Event({.kind = DbEvent::Kind::kWrite, .instance = instance, .table = sql.table, .row = r, .key = key,
           .column = set.column, .value = state[table.PendingValueSlot(r, set.column)],
           .blind = !set.reads_own_column});
  }
}

// PostgreSQL takes the snapshot as the statement begins, so a row that commits while the
// statement waits is newer than the snapshot (40001 for an `on conflict` that then meets it).
DbOutcome Database::StartBeforeWaiting(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                                       DbOutcome outcome) {
  if (outcome.kind != DbOutcome::Kind::kBlocked || sql.autocommit) return outcome;
  ir::Value* txn = Txn(state, instance);
  if (txn[ir::kTxnStatus] != StatusValue(ir::TxnStatus::kBegun) ||
      txn[ir::kTxnIsolation] == static_cast<Value>(ir::Isolation::kReadCommitted)) {
    return outcome;
  }
  Start(state, instance, sql);
  // The statement remembers the lock it waits for (slot + 1), for traces; it ends with 0.
  txn[ir::kTxnStatementOpen] = outcome.blocked_slot + 1;
  outcome.kind = DbOutcome::Kind::kWait;
  return outcome;
}

DbOutcome Database::Insert(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                           const EvalContext& context, ir::Value* locals) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t columns = table.column_count();
  buffer_[0] = 1;
  for (int32_t c = 0; c < columns; ++c) {
    int64_t value = sql.values[c] < 0 ? 0 : eval_.Eval(sql.values[c], context);
    if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
    if (eval_.failed()) return Error(eval_.fault());
    buffer_[1 + c] = static_cast<Value>(value);
  }
  for (int32_t c = 0; c < columns; ++c) {
    if (buffer_[1 + c] == ir::kNull && !table.column_nullable[c]) return Failed(ir::DbFailure::kNotNullViolation);
  }
  Value key = buffer_[1 + table.key_column];
  ir::Isolation isolation = IsolationOf(state, instance, sql);
  // The key and every unique column must be new: a row with the same values, committed or being
  // written by another transaction, makes the insert wait for that transaction, then fail if the row is there.
  // `on conflict ... do nothing`: its arbiters first, as PostgreSQL's speculative insertion does.
  DbOutcome admitted = CheckRow(sql, buffer_.data(), context);
  int32_t conflict = -1;
  if (admitted.kind == DbOutcome::Kind::kDone && (sql.on_conflict_do_nothing || sql.on_conflict_do_update)) {
    admitted = Unique(state, instance, sql, -1, buffer_.data(), sql.arbiters, &conflict);
  }
  if (admitted.kind == DbOutcome::Kind::kDone && conflict < 0) {
    admitted = Unique(state, instance, sql, -1, buffer_.data(), sql.uniques, nullptr);
  }
  if (admitted.kind != DbOutcome::Kind::kDone) return StartBeforeWaiting(state, instance, sql, admitted);
  if (conflict >= 0 && sql.on_conflict_do_update) return Upsert(state, instance, sql, context, locals, conflict);
  if (conflict >= 0) {
    Start(state, instance, sql);
    Txn(state, instance)[ir::kTxnStatementOpen] = 0;
    // Repeatable read and serializable: a conflicting row the snapshot does not see
    // (PostgreSQL's ExecCheckTIDVisible).
    const ir::Value* flags = Flags(state, instance, sql.table);
    bool own = state[table.OwnerSlot(conflict)] == instance + 1;
    if (!own && HasSnapshot(state, instance) && flags && (flags[conflict] & ir::kRowStale) != 0) {
      return Failed(ir::DbFailure::kConcurrentUpdate);
    }
    return Finish(state, instance, sql, locals, nullptr);
  }
  // An earlier attempt may have waited for a conflicting row that is gone now.
  if (sql.on_conflict_do_update) LeaveLines(state, instance, sql.table, -1);
  Txn(state, instance)[ir::kTxnStatementOpen] = 0;
  int32_t row = -1;
  for (int32_t r = 0; r < table.capacity && row < 0; ++r) {
    if (state[table.ExistsSlot(r)] == 0 && state[table.OwnerSlot(r)] == 0 && state[table.WaiterSlot(r)] == 0 &&
        !Reserved(state, sql.table, r)) {
      row = r;
    }
  }
  if (row < 0) {
    if (table.room_declared) {
      return Error(fmt::format("table {} is full: it has room for {} ('rows {}'); give it more room", table.name,
                               table.capacity == 1 ? "1 row" : fmt::format("{} rows", table.capacity), table.capacity));
    }
    return Error(fmt::format("table {} is full: racecheck gives it {} rows (its initial rows and one per insert "
                             "statement, instance and attempt; an insert in a loop counts once); give it the room "
                             "it needs with 'rows N' after its columns",
                             table.name, table.capacity));
  }
  Start(state, instance, sql);
  state[table.OwnerSlot(row)] = instance + 1;
  state[table.DirtySlot(row)] = 1;
  for (int32_t c = 0; c < columns; ++c) state[table.DirtySlot(row)] |= DirtyBit(c);
  std::copy(buffer_.begin(), buffer_.begin() + columns + 1, state + table.PendingExistsSlot(row));
  WroteSlot(table.PendingExistsSlot(row));
  for (int32_t c = 0; c < columns; ++c) WroteSlot(table.PendingValueSlot(row, c));
  Event({.kind = DbEvent::Kind::kInsert, .instance = instance, .table = sql.table, .row = row, .key = key});
  if (isolation == ir::Isolation::kSerializable) {
    ir::DbFailure failure = SsiWrite(state, instance, sql.table, row);
    if (failure != ir::DbFailure::kNone) return Failed(failure);
  }
  return Finish(state, instance, sql, locals, buffer_.data());
}

DbOutcome Database::Finish(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, ir::Value* locals,
                           const ir::Value* row) {
  result_rows_.clear();
  if (row) result_rows_.push_back(row);
  DbOutcome outcome = sql.items.empty() ? Store(sql, locals, row ? 1 : 0) : Results(result_rows_, sql, locals);
  if (outcome.kind == DbOutcome::Kind::kDone && sql.autocommit) {
    CommitRows(state, instance, false, false);
    Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  }
  return outcome;
}

}  // namespace racecheck::explore
