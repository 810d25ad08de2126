// DbEncoder::Run: the statements: select, update, delete, insert (db_statements.cpp in the explicit engine).
#include "checker/symbolic/db_run.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

z3::expr DbEncoder::Run::Serializable(const ir::SqlStatement& sql) {
  if (sql.autocommit || !layout_.serializable()) return terms_.False();
  return Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable));
}

void DbEncoder::Run::Select(const ir::SqlStatement& sql) {
  Start(sql, terms_.True());
  z3::expr serializable = Serializable(sql);
  if (!serializable.is_false()) Failed(SsiRead(sql, serializable), ir::DbFailure::kSerializable);
  std::vector<std::pair<z3::expr, Version>> rows;
  std::optional<z3::expr> key = KeyValue(sql);
  for (int32_t r = 0; r < program_.tables[sql.table].capacity; ++r) {
    z3::expr candidate = Candidate(sql, r, key);
    if (candidate.is_false()) {
      rows.emplace_back(candidate, Unread(program_.tables[sql.table]));
      continue;
    }
    Focus scope = Narrow(candidate);
    Version version = Visible(sql.table, r);
    auto [match, fault] = Matches(version, sql);
    Error(fault);
    Widen(scope, fault.is_false());
    rows.emplace_back(match, std::move(version));
  }
  if (sql.limit > 0) rows = TakeInOrder(sql, rows);
  std::vector<z3::expr> positions;
  if (sql.many_rows) {
    for (int32_t r = 0; r < static_cast<int32_t>(rows.size()); ++r) positions.push_back(Earlier(sql, rows, r));
  }
  Results(sql, rows, positions);
}

z3::expr DbEncoder::Run::NotNullViolation(const ir::Table& table,
                                          const std::vector<std::pair<int32_t, z3::expr>>& values) {
  z3::expr violation = terms_.False();
  for (const auto& [column, value] : values) {
    if (!table.column_nullable[column]) violation = Or(violation, exprs_.IsNull(value));
  }
  return violation;
}

void DbEncoder::Run::Locking(const ir::SqlStatement& sql) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t t = sql.table;
  int32_t open_slot = layout_.Txn(instance_, ir::kTxnStatementOpen);
  RACECHECK_CHECK(layout_.Flag(instance_, t, 0, ir::kRowTodo) >= 0, "a statement on a table without flags");
  RACECHECK_CHECK(sql.limit == 0 || sql.Ordered(), "a limit without an order");
  z3::expr fresh = Is(Get(open_slot), 0);
  Start(sql, fresh);
  z3::expr serializable = Serializable(sql);
  if (!serializable.is_false()) Failed(SsiRead(sql, And(fresh, serializable)), ir::DbFailure::kSerializable);
  std::vector<std::pair<z3::expr, Version>> found;
  std::optional<z3::expr> key = KeyValue(sql);
  std::vector<bool> never = NeverPicked(sql, key);
  for (int32_t r = 0; r < table.capacity && !fresh.is_false(); ++r) {
    if (never[r]) {
      found.emplace_back(terms_.False(), Unread(table));
      continue;
    }
    // The scan matters only to a statement that starts here.
    Focus scope = Narrow(And(fresh, Candidate(sql, r, key)));
    Version version = Visible(t, r);
    auto [match, fault] = Matches(version, sql);
    Error(And(fresh, fault));
    SetTo(layout_.Flag(instance_, t, r, ir::kRowTodo), 1, And(fresh, match));
    Widen(scope, fault.is_false());
    found.emplace_back(match, std::move(version));
  }
  if (sql.Ordered() && !fresh.is_false()) Rank(sql, found, fresh);
  Set(open_slot, Slot(1), fresh);
  z3::expr progressed = fresh;
  z3::expr took_row = terms_.False();
  z3::expr read_committed = ReadCommitted(sql);
  if (!sql.Ordered()) {
    for (int32_t r = 0; r < table.capacity; ++r) {
      if (never[r]) continue;
      LockRow(sql, r, NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowTodo))), progressed, took_row,
              read_committed, serializable);
    }
  }
  // In order: each round does the first row still to do (db_order.cpp's NextTodo).
  for (int32_t round = 0; round < table.capacity && sql.Ordered(); ++round) {
    std::vector<z3::expr> next = NextTodo(sql);
    for (int32_t r = 0; r < table.capacity; ++r) {
      LockRow(sql, r, next[r], progressed, took_row, read_committed, serializable);
    }
    if (sql.limit == 0) continue;
    // Limit sits above LockRows: once it has its rows, the rest are never locked.
    z3::expr taken = terms_.Num(0, 64);
    for (int32_t r = 0; r < table.capacity; ++r) {
      z3::expr matched = NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowMatched)));
      taken = Plus(taken, OneIf(matched));
    }
    z3::expr full = exprs_.Le(terms_.Num(sql.limit, 64), taken);
    for (int32_t r = 0; r < table.capacity; ++r) Set(layout_.Flag(instance_, t, r, ir::kRowTodo), Slot(0), full);
  }
  // Every row is done: the statement's result, in the statement's order (its ranks).
  std::vector<std::pair<z3::expr, Version>> rows;
  std::vector<z3::expr> ranks;
  for (int32_t r = 0; r < table.capacity; ++r) {
    if (never[r]) {
      rows.emplace_back(terms_.False(), Unread(table));
      ranks.push_back(terms_.Num(r, 64));
      continue;
    }
    z3::expr matched = NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowMatched)));
    // The result reads only the rows the statement took.
    Focus scope = Narrow(matched);
    rows.emplace_back(matched, Newest(t, r));
    Widen(scope);
    ranks.push_back(sql.Ordered() ? exprs_.Wide(Get(layout_.Rank(instance_, t, r))) : terms_.Num(r, 64));
  }
  std::vector<z3::expr> positions;
  for (int32_t r = 0; r < table.capacity && sql.many_rows; ++r) {
    z3::expr earlier = terms_.Num(0, 64);
    for (int32_t other = 0; other < table.capacity; ++other) {
      z3::expr before = And(rows[other].first, exprs_.Lt(ranks[other], ranks[r]));
      if (other != r) earlier = Plus(earlier, OneIf(before));
    }
    positions.push_back(earlier);
  }
  for (int32_t r = 0; r < table.capacity; ++r) {
    Set(layout_.Flag(instance_, t, r, ir::kRowMatched), Slot(0), rows[r].first);
    if (sql.Ordered()) SetTo(layout_.Rank(instance_, t, r), 0, terms_.True());
  }
  SetTo(open_slot, 0, terms_.True());
  // A select's items, or `returning`'s columns (db_statements.cpp's Locking).
  if (!sql.items.empty()) {
    Results(sql, rows, positions);
  } else {
    z3::expr count = terms_.Num(0, 64);
    for (const auto& row : rows) count = Plus(count, OneIf(row.first));
    Store(sql, count);
  }
  if (sql.autocommit) CommitRows(terms_.True(), terms_.False(), terms_.False());
}

void DbEncoder::Run::LockRow(const ir::SqlStatement& sql, int32_t r, z3::expr todo, z3::expr& progressed,
                             z3::expr& took_row, const z3::expr& read_committed, const z3::expr& serializable) {
  if (todo.is_false()) return;
  if (sql.row_by_row) {
    // One row a step (db_statements.cpp's Locking): after a row locked in this step, the step
    // ends before the next, the statement still open.
    Keep(out_.wait, And(todo, took_row));
    todo = And(todo, Not(took_row));
    if (todo.is_false()) return;
  }
  // Everything below happens where the row is still to do.
  Focus scope = Narrow(todo);
  LockTodoRow(sql, r, todo, progressed, took_row, read_committed, serializable);
  Widen(scope);
}

void DbEncoder::Run::LockTodoRow(const ir::SqlStatement& sql, int32_t r, z3::expr todo, z3::expr& progressed,
                                 z3::expr& took_row, const z3::expr& read_committed,
                                 const z3::expr& serializable) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t t = sql.table;
  int32_t todo_slot = layout_.Flag(instance_, t, r, ir::kRowTodo);
  z3::expr owner = Get(table.OwnerSlot(r));
  z3::expr waiter = Get(table.WaiterSlot(r));
  z3::expr owned = NonZero(owner);
  z3::expr other_owner = And(owned, Not(terms_.Eq(owner, me_)));
  z3::expr line_free = Is(waiter, 0);
  z3::expr first_in_line = terms_.Eq(waiter, me_);
  z3::expr line_taken = Not(line_free);
  z3::expr someone_in_line = And(line_taken, Not(first_in_line));
  // db_statements.cpp's Locking: who conflicts, and whether it queues behind the first in line.
  z3::expr mine_share = Shares(instance_, t, r);
  std::vector<z3::expr> sharers;
  z3::expr others_share = terms_.False();
  if (layout_.shares()) {
    for (size_t j = 0; j < program_.instances.size(); ++j) {
      auto other = static_cast<int32_t>(j);
      sharers.push_back(other == instance_ || sql.share ? terms_.False() : Shares(other, t, r));
      if (other != instance_) others_share = Or(others_share, Shares(other, t, r));
    }
  }
  z3::expr held = Or(terms_.Eq(owner, me_), sql.share ? mine_share : terms_.False());
  z3::expr conflict = And(Not(held), Or(other_owner, sql.share ? terms_.False() : others_share));
  z3::expr not_held = Not(held);
  z3::expr not_mine_share = Not(mine_share);
  z3::expr queued = And(And(not_held, someone_in_line), And(not_mine_share, conflict));
  // db_statements.cpp's Locking: one that comes while another is next in line waits further back.
  z3::expr line_mark = Slot(table.WaiterSlot(r) + 1);
  z3::expr i_am_next = terms_.Eq(Get(layout_.Txn(instance_, ir::kTxnStatementOpen)), line_mark);
  z3::expr may_be_back = And(Or(queued, And(conflict, And(line_free, not_mine_share))), Not(i_am_next));
  // The others' marks are read only where they decide (the footprints keep steps on rows nobody
  // holds independent of other transactions' waits).
  Focus order = Narrow(may_be_back);
  z3::expr other_next = terms_.False();
  for (int32_t other : layout_.txn_instances()) {
    if (other != instance_) {
      other_next = Or(other_next, terms_.Eq(GetInFocus(layout_.Txn(other, ir::kTxnStatementOpen)), line_mark));
    }
  }
  Widen(order);
  z3::expr further_back = And(may_be_back, other_next);
  // db_statements.cpp's Locking: a share lock waits beside a first in line that asks for one too.
  z3::expr behind = queued;
  if (sql.share) {
    z3::expr may_be_beside = And(queued, Not(further_back));
    Focus side = Narrow(may_be_beside);
    z3::expr share_first = terms_.False();
    for (int32_t other : layout_.txn_instances()) {
      int32_t flag = layout_.Flag(other, t, r, ir::kRowShareWaiting);
      if (other == instance_ || flag < 0) continue;
      share_first = Or(share_first, And(terms_.Eq(waiter, Slot(other + 1)), NonZero(GetInFocus(flag))));
    }
    Widen(side);
    behind = And(queued, Not(And(may_be_beside, share_first)));
  }
  if (sql.lock_wait != ir::LockWait::kWait) {
    z3::expr locked = And(todo, Or(conflict, behind));
    if (sql.lock_wait == ir::LockWait::kSkipLocked) {
      Set(todo_slot, Slot(0), locked);
      progressed = Or(progressed, locked);
      todo = And(todo, Not(locked));
    } else {
      Failed(locked, ir::DbFailure::kLockNotAvailable);
    }
  }
  // Whom it waits for: the holders, or whoever is first in line for the row.
  z3::expr on_waiter = And(todo, Or(behind, further_back));
  z3::expr on_owner = And(todo, And(conflict, Not(Or(behind, further_back))));
  z3::expr take_line = And(on_owner, And(line_free, Not(mine_share)));
  Set(table.WaiterSlot(r), me_, take_line);
  if (sql.share) SetTo(layout_.Flag(instance_, t, r, ir::kRowShareWaiting), 1, take_line);
  progressed = Or(progressed, take_line);
  z3::expr waits = Or(on_owner, on_waiter);
  for (z3::expr& sharer : sharers) sharer = And(on_owner, sharer);
  z3::expr owner_slot = Slot(table.OwnerSlot(r) + 1);
  // Further back in line the mark is the row's lock, the wait the line's.
  z3::expr mark = terms_.Ite(Or(on_owner, And(todo, further_back)), owner_slot, line_mark);
  WaitMarked(waits, mark, terms_.Ite(on_owner, owner, waiter), progressed, sharers);
  SetTo(table.WaiterSlot(r), 0, And(todo, first_in_line));
  if (sql.share) SetTo(layout_.Flag(instance_, t, r, ir::kRowShareWaiting), 0, And(todo, first_in_line));
  // Repeatable read: the row changed after the snapshot.
  z3::expr stale = NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStale)));
  Failed(And(todo, And(Not(read_committed), stale)), ir::DbFailure::kConcurrentUpdate);
  Version newest = Newest(t, r);
  // EvalPlanQual: read committed checks the where clause again on the newest version.
  auto [match, fault] = Matches(newest, sql);
  Error(And(todo, And(read_committed, fault)));
  z3::expr skip = And(todo, And(read_committed, Not(match)));
  Set(todo_slot, Slot(0), skip);
  progressed = Or(progressed, skip);
  z3::expr act = And(todo, Not(skip));
  if (sql.share) {
    SetTo(layout_.Flag(instance_, t, r, ir::kRowShared), 1, And(act, Not(held)));
  } else {
    Set(table.OwnerSlot(r), me_, And(act, Is(owner, 0)));
  }
  if (sql.kind == ir::SqlKind::kUpdate) {
    std::vector<std::pair<int32_t, z3::expr>> values = NewValues(sql, newest, act);
    // No terms at all for a table without constraints the update can break: the encoding of
    // the other models stays as it was.
    if (!sql.uniques.empty() || !table.checks.empty()) {
      Version updated = newest;
      updated[0] = Slot(1);
      for (const auto& [column, value] : values) updated[1 + column] = value;
      // Waiting for another writer of a duplicate leaves the row to do again (the row lock stays).
      z3::expr took = Or(progressed, And(act, Or(Is(owner, 0), first_in_line)));
      Admit(sql, r, updated, act, [&](const z3::expr& when, int32_t slot, const z3::expr& holder) {
        WaitMarked(when, Slot(slot + 1), holder, took);
      });
    }
    for (int32_t c = 0; c < table.column_count(); ++c) Set(PendingSlot(table, r, c), newest[1 + c], act);
    for (const auto& [column, value] : values) Set(PendingSlot(table, r, column), value, act);
    Set(PendingSlot(table, r, -1), Slot(1), act);
    Set(table.DirtySlot(r), Slot(1), act);
  } else if (sql.kind == ir::SqlKind::kDelete) {
    Set(PendingSlot(table, r, -1), Slot(0), act);
    for (int32_t c = 0; c < table.column_count(); ++c) Set(PendingSlot(table, r, c), newest[1 + c], act);
    Set(table.DirtySlot(r), Slot(1), act);
  }
  if (sql.kind != ir::SqlKind::kSelect && !serializable.is_false()) SsiWrite(t, r, And(act, serializable));
  Set(todo_slot, Slot(0), act);
  Set(layout_.Flag(instance_, t, r, ir::kRowMatched), Slot(1), act);
  progressed = Or(progressed, act);
  took_row = Or(took_row, act);
}

std::vector<std::pair<int32_t, z3::expr>> DbEncoder::Run::NewValues(const ir::SqlStatement& sql, const Version& row,
                                                                    const z3::expr& when) {
  std::vector<std::pair<int32_t, z3::expr>> values;
  for (const ir::SqlSet& set : sql.sets) {
    SymValue v = Eval(set.expr, &row);
    Error(And(when, Or(v.fault, Not(exprs_.Fits32(v.value)))));
    values.emplace_back(set.column, exprs_.Low32(v.value));
  }
  Failed(And(when, NotNullViolation(program_.tables[sql.table], values)), ir::DbFailure::kNotNullViolation);
  return values;
}

void DbEncoder::Run::WaitMarked(const z3::expr& when, const z3::expr& marker, const z3::expr& holder,
                                 const z3::expr& progressed, const std::vector<z3::expr>& sharers) {
  int32_t open_slot = layout_.Txn(instance_, ir::kTxnStatementOpen);
  z3::expr moved = Not(terms_.Eq(Get(open_slot), marker));
  Set(open_slot, marker, And(when, moved));
  z3::expr did = Or(progressed, moved);
  Keep(out_.wait, And(when, did));
  Block(And(when, Not(did)), holder, sharers);
}

z3::expr DbEncoder::Run::Reserved(int32_t t, int32_t r) {
  const ir::Table& table = program_.tables[t];
  z3::expr reserved = table.summary_slot >= 0 ? NonZero(Get(table.summary_slot + r)) : terms_.False();
  for (int32_t other : layout_.txn_instances()) {
    for (ir::RowFlag flag : {ir::kRowTodo, ir::kRowMatched, ir::kRowRead}) {
      int32_t slot = layout_.Flag(other, t, r, flag);
      if (slot >= 0) reserved = Or(reserved, NonZero(Get(slot)));
    }
    int32_t snapshot = layout_.Snapshot(other, t, r, -1);
    if (snapshot < 0) continue;
    z3::expr has_snapshot = HasSnapshot(other);
    reserved = Or(reserved, And(has_snapshot, NonZero(Get(snapshot))));
  }
  return reserved;
}

void DbEncoder::Run::Insert(const ir::SqlStatement& sql) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t columns = table.column_count();
  Version row{Slot(1)};
  for (int32_t c = 0; c < columns; ++c) row.push_back(sql.values[c] < 0 ? Slot(0) : Stored(Eval(sql.values[c], nullptr)));
  // NOT NULL first (23502), then checks and unique constraints, as db_statements.cpp.
  std::vector<std::pair<int32_t, z3::expr>> values;
  for (int32_t c = 0; c < columns; ++c) values.emplace_back(c, row[1 + c]);
  Failed(NotNullViolation(table, values), ir::DbFailure::kNotNullViolation);
  // The key and every unique column must be new: a row with the same values, committed or being
  // written by another transaction, makes the insert wait for that transaction, then fail if the row is there.
  // `on conflict ... do nothing`: its arbiters first, as PostgreSQL's speculative insertion does.
  WaitFor block = [this, &sql](const z3::expr& when, int32_t slot, const z3::expr& holder) {
    StartBeforeWaiting(sql, when, slot, holder);
  };
  CheckRow(sql, row, terms_.True());
  z3::expr nothing = terms_.False();
  // Per row: where the duplicate is that row and not its own; where it is that row.
  std::vector<std::pair<int32_t, z3::expr>> others;
  std::vector<std::pair<int32_t, z3::expr>> conflicts;
  if (sql.on_conflict_do_nothing || sql.on_conflict_do_update) {
    Unique(sql, -1, row, terms_.True(), sql.arbiters, block, [&](const z3::expr& when, int32_t r, const z3::expr& own) {
      nothing = Or(nothing, when);
      others.emplace_back(r, And(when, Not(own)));
      conflicts.emplace_back(r, when);
    });
  }
  // do update: where it updated the conflicting row, and the row's new version.
  z3::expr upserted = terms_.False();
  std::vector<std::pair<z3::expr, Version>> written;
  for (const auto& [r, when] : conflicts) {
    if (!sql.on_conflict_do_update) continue;
    Version updated;
    z3::expr act = Upsert(sql, r, when, updated);
    upserted = Or(upserted, act);
    written.emplace_back(act, std::move(updated));
  }
  if (sql.on_conflict_do_nothing && !nothing.is_false()) {
    Start(sql, nothing);
    SetTo(layout_.Txn(instance_, ir::kTxnStatementOpen), 0, nothing);
    // Repeatable read and serializable: a conflicting row the snapshot does not see.
    z3::expr unseen = terms_.False();
    for (const auto& [r, other] : others) {
      unseen = Or(unseen, And(other, NonZero(Get(layout_.Flag(instance_, sql.table, r, ir::kRowStale)))));
    }
    Failed(And(nothing, And(HasSnapshot(instance_), unseen)), ir::DbFailure::kConcurrentUpdate);
  }
  z3::expr inserting = Not(nothing);
  Unique(sql, -1, row, inserting, sql.uniques, block, nullptr);
  // An earlier attempt may have waited for a conflicting row that is gone now.
  if (sql.on_conflict_do_update) LeaveLines(table, -1, inserting);
  Set(layout_.Txn(instance_, ir::kTxnStatementOpen), Slot(0), inserting);
  z3::expr taken = terms_.False();  // an earlier row slot took it
  std::vector<z3::expr> chosen;
  for (int32_t r = 0; r < table.capacity; ++r) {
    z3::expr empty = Not(NonZero(Get(table.ExistsSlot(r))));
    z3::expr unowned = Is(Get(table.OwnerSlot(r)), 0);
    z3::expr no_waiter = Is(Get(table.WaiterSlot(r)), 0);
    z3::expr free = And(empty, And(unowned, And(no_waiter, Not(Reserved(sql.table, r)))));
    z3::expr not_taken = Not(taken);
    chosen.push_back(And(inserting, And(not_taken, free)));
    taken = Or(taken, free);
  }
  Error(And(inserting, Not(taken)));  // the table is full
  Start(sql, inserting);
  for (int32_t r = 0; r < table.capacity; ++r) {
    Set(table.OwnerSlot(r), me_, chosen[r]);
    Set(table.DirtySlot(r), Slot(1), chosen[r]);
    for (int32_t c = -1; c < columns; ++c) Set(PendingSlot(table, r, c), row[1 + c], chosen[r]);
    z3::expr serializable = Serializable(sql);
    if (!serializable.is_false()) SsiWrite(sql.table, r, And(chosen[r], serializable));
  }
  if (sql.items.empty()) {
    z3::expr inserted = Not(And(nothing, Not(upserted)));
    Store(sql, OneIf(inserted));
  } else {
    written.emplace_back(inserting, row);
    Results(sql, written, {});
  }
  if (sql.autocommit) CommitRows(terms_.True(), terms_.False(), terms_.False());
}

}  // namespace racecheck::symbolic
