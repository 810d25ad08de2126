#include "checker/explore/db.h"

#include <algorithm>
#include <cstring>

#include "checker/base/diagnostics.h"
#include "checker/explore/step.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

using ir::Value;

// The dirty slot of a row: bit 0 while it has an uncommitted version, and a bit per column the
// transaction wrote (columns past 29 share the last bit).
constexpr Value DirtyBit(int32_t column) { return Value{2} << std::min(column, 29); }

DbOutcome Failed(ir::DbFailure failure) {
  DbOutcome outcome;
  outcome.kind = DbOutcome::Kind::kFailed;
  outcome.failure = failure;
  return outcome;
}

DbOutcome Waiting(DbOutcome::Kind kind, int32_t slot) {
  DbOutcome outcome;
  outcome.kind = kind;
  outcome.blocked_slot = slot;
  return outcome;
}

DbOutcome Error(std::string error) {
  DbOutcome outcome;
  outcome.kind = DbOutcome::Kind::kError;
  outcome.error = std::move(error);
  return outcome;
}

constexpr Value Bit(int32_t instance) { return Value{1} << instance; }

Value StatusValue(ir::TxnStatus status) { return static_cast<Value>(status); }
Value SsiValue(ir::SsiStatus status) { return static_cast<Value>(status); }

}  // namespace

std::string FailureText(ir::DbFailure failure) {
  switch (failure) {
    case ir::DbFailure::kNone: return "no failure";
    case ir::DbFailure::kConcurrentUpdate:
      return "serialization failure (40001: could not serialize access due to concurrent update)";
    case ir::DbFailure::kSerializable:
      return "serialization failure (40001: could not serialize access due to read/write dependencies among "
             "transactions)";
    case ir::DbFailure::kDeadlock: return "deadlock detected (40P01)";
    case ir::DbFailure::kUniqueViolation: return "unique violation (23505: duplicate key value)";
    case ir::DbFailure::kLockNotAvailable: return "lock not available (55P03: could not obtain lock on row)";
    case ir::DbFailure::kCheckViolation: return "check violation (23514: a check constraint failed)";
    case ir::DbFailure::kNotNullViolation: return "not-null violation (23502: null value in a not null column)";
  }
  return "failure";
}

std::string FailureCode(ir::DbFailure failure) {
  switch (failure) {
    case ir::DbFailure::kNone: return "none";
    case ir::DbFailure::kConcurrentUpdate:
    case ir::DbFailure::kSerializable: return "serialization failure (40001)";
    case ir::DbFailure::kDeadlock: return "deadlock detected (40P01)";
    case ir::DbFailure::kUniqueViolation: return "unique violation (23505)";
    case ir::DbFailure::kLockNotAvailable: return "lock not available (55P03)";
    case ir::DbFailure::kCheckViolation: return "check violation (23514)";
    case ir::DbFailure::kNotNullViolation: return "not-null violation (23502)";
  }
  return "failure";
}

Database::Database(const ir::Program& program, Evaluator& eval) : program_(program), eval_(eval) {
  size_t widest = 1;
  for (const ir::Table& table : program.tables) widest = std::max(widest, table.columns.size() + 1);
  buffer_.resize(widest);
  for (size_t i = 0; i < program.instances.size(); ++i) {
    if (program.processes[program.instances[i].process].db.txn >= 0) txn_instances_.push_back(static_cast<int32_t>(i));
  }
}

// ---- layout --------------------------------------------------------------------------

const ir::ProcessDb& Database::Db(int32_t instance) const {
  return program_.processes[program_.instances[instance].process].db;
}

ir::Value* Database::Txn(ir::Value* state, int32_t instance) const {
  RACECHECK_CHECK(Db(instance).txn >= 0, "SQL from a process without a transaction block");
  return state + program_.instances[instance].base_slot + Db(instance).txn;
}

const ir::Value* Database::Txn(const ir::Value* state, int32_t instance) const {
  return Txn(const_cast<ir::Value*>(state), instance);
}

ir::Value* Database::Flags(ir::Value* state, int32_t instance, int32_t table) const {
  int32_t offset = Db(instance).row_flags.empty() ? -1 : Db(instance).row_flags[table];
  return offset < 0 ? nullptr : state + program_.instances[instance].base_slot + offset;
}

ir::Value* Database::Snapshot(ir::Value* state, int32_t instance, int32_t table) const {
  int32_t offset = Db(instance).snapshot.empty() ? -1 : Db(instance).snapshot[table];
  return offset < 0 ? nullptr : state + program_.instances[instance].base_slot + offset;
}

const ir::Value* Database::Visible(ir::Value* state, int32_t instance, int32_t table, int32_t row) const {
  const ir::Table& t = program_.tables[table];
  if (state[t.OwnerSlot(row)] == instance + 1 && state[t.DirtySlot(row)] != 0) return state + t.PendingExistsSlot(row);
  ir::Value* snapshot = Snapshot(state, instance, table);
  if (snapshot && HasSnapshot(state, instance)) return snapshot + row * (t.column_count() + 1);
  return state + t.ExistsSlot(row);
}

const ir::Value* Database::Newest(const ir::Value* state, int32_t instance, int32_t table, int32_t row) const {
  const ir::Table& t = program_.tables[table];
  if (state[t.OwnerSlot(row)] == instance + 1 && state[t.DirtySlot(row)] != 0) return state + t.PendingExistsSlot(row);
  return state + t.ExistsSlot(row);
}

int32_t Database::KeyOf(const ir::Value* state, int32_t table, int32_t row) const {
  const ir::Table& t = program_.tables[table];
  if (state[t.ExistsSlot(row)] != 0) return state[t.ValueSlot(row, t.key_column)];
  return state[t.PendingValueSlot(row, t.key_column)];
}

bool Database::HasSnapshot(const ir::Value* state, int32_t instance) const {
  const ir::Value* txn = Txn(state, instance);
  return txn[ir::kTxnStatus] == StatusValue(ir::TxnStatus::kSnapshot) &&
         txn[ir::kTxnIsolation] != static_cast<Value>(ir::Isolation::kReadCommitted);
}

bool Database::Matches(const ir::Value* version, const ir::SqlStatement& sql, const EvalContext& context) {
  if (version[0] == 0) return false;
  if (sql.where < 0) return true;
  EvalContext row_context = context;
  row_context.row = version + 1;
  return eval_.Eval(sql.where, row_context) != 0;
}

ir::Isolation Database::IsolationOf(const ir::Value* state, int32_t instance, const ir::SqlStatement& sql) const {
  if (sql.autocommit) return ir::Isolation::kReadCommitted;
  return static_cast<ir::Isolation>(Txn(state, instance)[ir::kTxnIsolation]);
}

bool Database::Serializable(const ir::Value* state, int32_t instance, const ir::SqlStatement& sql) const {
  return IsolationOf(state, instance, sql) == ir::Isolation::kSerializable;
}

void Database::WroteSlot(int32_t slot) {
  if (writes_) writes_->push_back(EncodeGlobalWrite(slot));
}

// ---- transactions --------------------------------------------------------------------

void Database::Begin(ir::Value* state, int32_t instance, ir::Isolation isolation) {
  ir::Value* txn = Txn(state, instance);
  txn[ir::kTxnStatus] = StatusValue(ir::TxnStatus::kBegun);
  txn[ir::kTxnIsolation] = static_cast<Value>(isolation);
}

void Database::Start(ir::Value* state, int32_t instance, const ir::SqlStatement& sql) {
  ir::Value* txn = Txn(state, instance);
  if (sql.autocommit) {
    Event({.kind = DbEvent::Kind::kBegin, .instance = instance, .value = 1});
    return;
  }
  if (txn[ir::kTxnStatus] != StatusValue(ir::TxnStatus::kBegun)) return;
  Event({.kind = DbEvent::Kind::kBegin, .instance = instance});
  auto isolation = static_cast<ir::Isolation>(txn[ir::kTxnIsolation]);
  // Read committed takes a fresh snapshot per statement: it only notes that it started.
  txn[ir::kTxnStatus] = StatusValue(ir::TxnStatus::kSnapshot);
  if (isolation == ir::Isolation::kReadCommitted) return;
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    ir::Value* snapshot = Snapshot(state, instance, static_cast<int32_t>(t));
    if (!snapshot) continue;
    const ir::Table& table = program_.tables[t];
    int32_t width = table.column_count() + 1;
    for (int32_t r = 0; r < table.capacity; ++r) {
      std::memcpy(snapshot + r * width, state + table.ExistsSlot(r), width * sizeof(Value));
    }
  }
  if (isolation == ir::Isolation::kSerializable) SsiBegin(state, instance);
}

DbOutcome Database::Commit(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  bool serializable = txn[ir::kTxnIsolation] == static_cast<Value>(ir::Isolation::kSerializable) &&
                      txn[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kActive);
  bool pivot_writer = false;
  if (serializable) {
    // PostgreSQL's rule: a transaction with an rw-antidependency in and one out to a
    // transaction that committed first would complete a dangerous structure.
    pivot_writer = SsiCommittedOut(state, instance);
    if (txn[ir::kSsiIn] != 0 && pivot_writer) {
      return Failed(ir::DbFailure::kSerializable);
    }
  }
  CommitRows(state, instance, pivot_writer);
  ClearFailure(state, instance);
  if (serializable) txn[ir::kSsiStatus] = SsiValue(ir::SsiStatus::kCommitted);
  Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  EndTransaction(state, instance);
  SsiCleanup(state);
  return {};
}

void Database::Rollback(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  bool open = txn[ir::kTxnStatus] != 0 || txn[ir::kTxnStatementOpen] != 0;
  ReleaseRows(state, instance);
  if (txn[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kActive)) SsiForget(state, instance);
  if (open) Event({.kind = DbEvent::Kind::kAbort, .instance = instance});
  EndTransaction(state, instance);
  SsiCleanup(state);
}

void Database::RecordFailure(ir::Value* state, int32_t instance, ir::DbFailure failure, int32_t statement) const {
  ir::Value* txn = Txn(state, instance);
  txn[ir::kTxnFailure] = static_cast<Value>(failure);
  txn[ir::kTxnFailureStmt] = statement + 1;
}

void Database::ClearFailure(ir::Value* state, int32_t instance) const {
  ir::Value* txn = Txn(state, instance);
  txn[ir::kTxnFailure] = 0;
  txn[ir::kTxnFailureStmt] = 0;
}

ir::DbFailure Database::Failure(const ir::Value* state, int32_t instance) const {
  return static_cast<ir::DbFailure>(Txn(state, instance)[ir::kTxnFailure]);
}

int32_t Database::FailureStatement(const ir::Value* state, int32_t instance) const {
  return Txn(state, instance)[ir::kTxnFailureStmt] - 1;
}

void Database::CommitRows(ir::Value* state, int32_t instance, bool pivot_writer) {
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    int32_t columns = table.column_count();
    for (int32_t r = 0; r < table.capacity; ++r) {
      if (state[table.OwnerSlot(r)] != instance + 1) continue;
      if (state[table.DirtySlot(r)] != 0) {
        bool exists = state[table.PendingExistsSlot(r)] != 0;
        Value written = state[table.DirtySlot(r)];
        if (state[table.ExistsSlot(r)] != (exists ? 1 : 0)) WroteSlot(table.ExistsSlot(r));
        state[table.ExistsSlot(r)] = exists ? 1 : 0;
        for (int32_t c = 0; c < columns; ++c) {
          // A deleted row keeps no values, so that it is one state whatever it held.
          state[table.ValueSlot(r, c)] = exists ? state[table.PendingValueSlot(r, c)] : 0;
          if (exists && (written & DirtyBit(c))) WroteSlot(table.ValueSlot(r, c));
        }
        // Transactions whose snapshot predates this commit see an older version now.
        for (int32_t other : txn_instances_) {
          if (other == instance) continue;
          ir::Value* flags = Flags(state, other, t);
          if (!flags || !Snapshot(state, other, t) || !HasSnapshot(state, other)) continue;
          flags[r] |= ir::kRowStale | (pivot_writer ? ir::kRowStaleOut : 0);
        }
      }
      state[table.OwnerSlot(r)] = 0;
      state[table.DirtySlot(r)] = 0;
      std::fill(state + table.PendingExistsSlot(r), state + table.PendingExistsSlot(r) + columns + 1, 0);
    }
  }
}

void Database::ReleaseRows(ir::Value* state, int32_t instance) {
  for (const ir::Table& table : program_.tables) {
    int32_t columns = table.column_count();
    for (int32_t r = 0; r < table.capacity; ++r) {
      // It leaves the line for rows it waited for.
      if (state[table.WaiterSlot(r)] == instance + 1) state[table.WaiterSlot(r)] = 0;
      if (state[table.OwnerSlot(r)] != instance + 1) continue;
      state[table.OwnerSlot(r)] = 0;
      state[table.DirtySlot(r)] = 0;
      std::fill(state + table.PendingExistsSlot(r), state + table.PendingExistsSlot(r) + columns + 1, 0);
    }
  }
}

void Database::EndTransaction(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  txn[ir::kTxnStatus] = 0;
  txn[ir::kTxnIsolation] = 0;
  txn[ir::kTxnStatementOpen] = 0;
  bool keep_reads = txn[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kCommitted);
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    const ir::Table& table = program_.tables[t];
    if (ir::Value* flags = Flags(state, instance, static_cast<int32_t>(t))) {
      for (int32_t r = 0; r < table.capacity; ++r) flags[r] = keep_reads ? flags[r] & ir::kRowRead : 0;
      if (!keep_reads) flags[table.capacity] = 0;
    }
    if (ir::Value* snapshot = Snapshot(state, instance, static_cast<int32_t>(t))) {
      std::fill(snapshot, snapshot + table.capacity * (table.column_count() + 1), 0);
    }
  }
}

// A free row slot may take an insert unless some transaction still looks at what it held.
bool Database::Reserved(const ir::Value* state, int32_t table, int32_t row) const {
  const ir::Table& t = program_.tables[table];
  if (t.summary_slot >= 0 && state[t.summary_slot + row] != 0) return true;
  for (int32_t other : txn_instances_) {
    const ir::Value* flags = Flags(const_cast<ir::Value*>(state), other, table);
    if (flags && (flags[row] & (ir::kRowTodo | ir::kRowMatched | ir::kRowRead)) != 0) return true;
    const ir::Value* snapshot = Snapshot(const_cast<ir::Value*>(state), other, table);
    if (snapshot && HasSnapshot(state, other) && snapshot[row * (t.column_count() + 1)] != 0) return true;
  }
  return false;
}

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
  for (size_t k = 0; k < sql.items.size(); ++k) {
    const ir::SelectItem& item = sql.items[k];
    int64_t value = 0;
    switch (item.kind) {
      case ir::SelectItem::Kind::kCount:
        value = static_cast<int64_t>(rows.size());
        break;
      case ir::SelectItem::Kind::kSum:
        for (const ir::Value* row : rows) value += row[1 + item.column];
        break;
      case ir::SelectItem::Kind::kColumn:
        if (rows.size() > 1) {
          return Error(fmt::format("the select found {} rows for one value (narrow its where clause to one "
                                       "row, or use count or sum)", rows.size()));
        }
        // No row: 0, as racecheck has no NULL.
        value = rows.empty() ? 0 : rows[0][1 + item.column];
        break;
    }
    if (!FitsValue(value)) {
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
  std::vector<const ir::Value*> rows;
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
    rows.push_back(version);
    if (r < 31) matched |= Value{1} << r;
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
    txn[ir::kTxnStatementOpen] = 1;
    progressed = true;
  }
  int32_t columns = table.column_count();
  for (int32_t r = 0; r < table.capacity; ++r) {
    if ((flags[r] & ir::kRowTodo) == 0) continue;
    Value owner = state[table.OwnerSlot(r)];
    Value waiter = state[table.WaiterSlot(r)];
    // Whom it waits for: the row lock's holder, or else whoever is first in line for the row
    // (PostgreSQL's first waiter holds the tuple lock, so it takes the row next).
    int32_t wait_slot = -1;
    if (owner != 0 && owner != instance + 1) {
      wait_slot = table.OwnerSlot(r);
      if (waiter == 0) {
        state[table.WaiterSlot(r)] = instance + 1;
        progressed = true;
      } else if (waiter != instance + 1) {
        wait_slot = table.WaiterSlot(r);
      }
    } else if (owner == 0 && waiter != 0 && waiter != instance + 1) {
      wait_slot = table.WaiterSlot(r);
    }
    if (wait_slot >= 0) {
      // The open statement remembers the lock it waits for (slot + 1), for traces.
      if (txn[ir::kTxnStatementOpen] != wait_slot + 1) {
        txn[ir::kTxnStatementOpen] = wait_slot + 1;
        progressed = true;
      }
      return Waiting(progressed ? DbOutcome::Kind::kWait : DbOutcome::Kind::kBlocked, wait_slot);
    }
    if (waiter == instance + 1) state[table.WaiterSlot(r)] = 0;
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
    if (owner == 0) state[table.OwnerSlot(r)] = instance + 1;
    if (sql.kind == ir::SqlKind::kUpdate) {
      EvalContext row_context = context;
      row_context.row = buffer_.data() + 1;
      for (const ir::SqlSet& set : sql.sets) {
        if (set.reads_own_column) {
          Event({.kind = DbEvent::Kind::kRead, .instance = instance, .table = sql.table, .row = r, .key = key,
                 .column = set.column, .value = buffer_[1 + set.column]});
        }
      }
      for (const ir::SqlSet& set : sql.sets) {
        int64_t value = eval_.Eval(set.expr, row_context);
        if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
        if (eval_.failed()) return Error(eval_.fault());
        state[table.PendingValueSlot(r, set.column)] = static_cast<Value>(value);
      }
      state[table.PendingExistsSlot(r)] = 1;
      for (int32_t c = 0; c < columns; ++c) {
        bool set_here = std::any_of(sql.sets.begin(), sql.sets.end(), [&](const ir::SqlSet& s) { return s.column == c; });
        if (!set_here) state[table.PendingValueSlot(r, c)] = buffer_[1 + c];
      }
      for (const ir::SqlSet& set : sql.sets) state[table.DirtySlot(r)] |= 1 | DirtyBit(set.column);
      for (const ir::SqlSet& set : sql.sets) {
        WroteSlot(table.PendingValueSlot(r, set.column));
        Event({.kind = DbEvent::Kind::kWrite, .instance = instance, .table = sql.table, .row = r, .key = key,
               .column = set.column, .value = state[table.PendingValueSlot(r, set.column)],
               .blind = !set.reads_own_column});
      }
    } else if (sql.kind == ir::SqlKind::kDelete) {
      state[table.PendingExistsSlot(r)] = 0;
      for (int32_t c = 0; c < columns; ++c) state[table.PendingValueSlot(r, c)] = buffer_[1 + c];
      state[table.DirtySlot(r)] |= 1;
      WroteSlot(table.PendingExistsSlot(r));
      Event({.kind = DbEvent::Kind::kDelete, .instance = instance, .table = sql.table, .row = r, .key = key});
    }
    if (serializable && sql.kind != ir::SqlKind::kSelect) SsiWrite(state, instance, sql.table, r, false);
    flags[r] = (flags[r] & ~ir::kRowTodo) | ir::kRowMatched;
    progressed = true;
  }
  // Every row is done: the statement's result.
  std::vector<const ir::Value*> rows;
  for (int32_t r = 0; r < table.capacity; ++r) {
    if ((flags[r] & ir::kRowMatched) == 0) continue;
    flags[r] &= ~ir::kRowMatched;
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
  DbOutcome outcome = sql.kind == ir::SqlKind::kSelect ? Results(rows, sql, locals)
                                                       : Store(sql, locals, static_cast<int64_t>(rows.size()));
  if (outcome.kind != DbOutcome::Kind::kDone) return outcome;
  if (sql.autocommit) {
    CommitRows(state, instance, false);
    Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  }
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
  Value key = buffer_[1 + table.key_column];
  ir::Isolation isolation = IsolationOf(state, instance, sql);
  ir::Value* flags = Flags(state, instance, sql.table);
  // The key must be new: a row with it, committed or being written by another transaction,
  // makes the insert wait for that transaction, then fail if the row is there.
  for (int32_t r = 0; r < table.capacity; ++r) {
    bool committed = state[table.ExistsSlot(r)] != 0 && state[table.ValueSlot(r, table.key_column)] == key;
    bool pending = state[table.DirtySlot(r)] != 0 && state[table.PendingExistsSlot(r)] != 0 &&
                   state[table.PendingValueSlot(r, table.key_column)] == key;
    if (!committed && !pending) continue;
    Value owner = state[table.OwnerSlot(r)];
    if (owner != 0 && owner != instance + 1) return Waiting(DbOutcome::Kind::kBlocked, table.OwnerSlot(r));
    if (owner == instance + 1 && state[table.DirtySlot(r)] != 0 && !pending) continue;  // it deleted the row itself
    bool stale = flags && (flags[r] & ir::kRowStale) != 0;
    ir::DbFailure failure = isolation == ir::Isolation::kSerializable && stale ? ir::DbFailure::kSerializable
                                                                              : ir::DbFailure::kUniqueViolation;
    return Failed(failure);
  }
  int32_t row = -1;
  for (int32_t r = 0; r < table.capacity && row < 0; ++r) {
    if (state[table.ExistsSlot(r)] == 0 && state[table.OwnerSlot(r)] == 0 && state[table.WaiterSlot(r)] == 0 &&
        !Reserved(state, sql.table, r)) {
      row = r;
    }
  }
  if (row < 0) {
    return Error(fmt::format("table {} is full: racecheck gives it {} rows (its initial rows and one per insert "
                                 "statement and instance)", table.name, table.capacity));
  }
  Start(state, instance, sql);
  state[table.OwnerSlot(row)] = instance + 1;
  state[table.DirtySlot(row)] = 1;
  for (int32_t c = 0; c < columns; ++c) state[table.DirtySlot(row)] |= DirtyBit(c);
  std::copy(buffer_.begin(), buffer_.begin() + columns + 1, state + table.PendingExistsSlot(row));
  WroteSlot(table.PendingExistsSlot(row));
  for (int32_t c = 0; c < columns; ++c) WroteSlot(table.PendingValueSlot(row, c));
  Event({.kind = DbEvent::Kind::kInsert, .instance = instance, .table = sql.table, .row = row, .key = key});
  if (isolation == ir::Isolation::kSerializable) SsiWrite(state, instance, sql.table, row, true);
  DbOutcome outcome = Store(sql, locals, 1);
  if (outcome.kind == DbOutcome::Kind::kDone && sql.autocommit) {
    CommitRows(state, instance, false);
    Event({.kind = DbEvent::Kind::kCommit, .instance = instance});
  }
  return outcome;
}

// ---- serializable snapshot isolation ---------------------------------------------------

ir::Value Database::SsiActive(const ir::Value* state) const {
  Value active = 0;
  for (int32_t i : txn_instances_) {
    if (Txn(state, i)[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kActive)) active |= Bit(i);
  }
  return active;
}

void Database::SsiBegin(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  if (txn[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kCommitted)) SsiFold(state, instance);
  txn[ir::kSsiStatus] = SsiValue(ir::SsiStatus::kActive);
  txn[ir::kSsiIn] = 0;
  txn[ir::kSsiOut] = 0;
  txn[ir::kSsiConcurrent] = 0;
  for (int32_t other : txn_instances_) {
    if (other == instance) continue;
    ir::Value* theirs = Txn(state, other);
    if (theirs[ir::kSsiStatus] != SsiValue(ir::SsiStatus::kActive)) continue;
    txn[ir::kSsiConcurrent] |= Bit(other);
    theirs[ir::kSsiConcurrent] |= Bit(instance);
  }
}

// The instance starts another serializable transaction while its committed one may still
// matter: what others owe to it becomes "a committed transaction" (kSsiOther), and its reads
// go into the table summary, conservatively, as long as anything overlapping it is active.
void Database::SsiFold(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  bool relevant = (txn[ir::kSsiConcurrent] & SsiActive(state)) != 0;
  for (int32_t other : txn_instances_) {
    if (other == instance) continue;
    ir::Value* theirs = Txn(state, other);
    if (theirs[ir::kSsiIn] & Bit(instance)) theirs[ir::kSsiIn] = (theirs[ir::kSsiIn] & ~Bit(instance)) | ir::kSsiOther;
    if (theirs[ir::kSsiOut] & Bit(instance)) theirs[ir::kSsiOut] = (theirs[ir::kSsiOut] & ~Bit(instance)) | ir::kSsiOther;
    theirs[ir::kSsiConcurrent] &= ~Bit(instance);
  }
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    const ir::Table& table = program_.tables[t];
    ir::Value* flags = Flags(state, instance, static_cast<int32_t>(t));
    if (!flags) continue;
    for (int32_t r = 0; r < table.capacity; ++r) {
      if (relevant && (flags[r] & ir::kRowRead) && table.summary_slot >= 0) state[table.summary_slot + r] = 1;
      flags[r] &= ~ir::kRowRead;
    }
    if (relevant && flags[table.capacity] && table.summary_slot >= 0) state[table.summary_slot + table.capacity] = 1;
    flags[table.capacity] = 0;
  }
  txn[ir::kSsiStatus] = 0;
  txn[ir::kSsiIn] = 0;
  txn[ir::kSsiOut] = 0;
  txn[ir::kSsiConcurrent] = 0;
}

// A transaction that no longer counts (rolled back, or committed and overlapping nothing
// active): its marks and every edge to or from it go.
void Database::SsiForget(ir::Value* state, int32_t instance) {
  ir::Value* txn = Txn(state, instance);
  for (int32_t other : txn_instances_) {
    if (other == instance) continue;
    ir::Value* theirs = Txn(state, other);
    theirs[ir::kSsiIn] &= ~Bit(instance);
    theirs[ir::kSsiOut] &= ~Bit(instance);
    theirs[ir::kSsiConcurrent] &= ~Bit(instance);
  }
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    const ir::Table& table = program_.tables[t];
    ir::Value* flags = Flags(state, instance, static_cast<int32_t>(t));
    if (!flags) continue;
    for (int32_t r = 0; r < table.capacity; ++r) flags[r] &= ~ir::kRowRead;
    flags[table.capacity] = 0;
  }
  txn[ir::kSsiStatus] = 0;
  txn[ir::kSsiIn] = 0;
  txn[ir::kSsiOut] = 0;
  txn[ir::kSsiConcurrent] = 0;
}

void Database::SsiCleanup(ir::Value* state) {
  Value active = SsiActive(state);
  for (int32_t i : txn_instances_) {
    ir::Value* txn = Txn(state, i);
    if (txn[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kCommitted) && (txn[ir::kSsiConcurrent] & active) == 0) {
      SsiForget(state, i);
    }
  }
  if (active != 0) return;
  for (const ir::Table& table : program_.tables) {
    if (table.summary_slot >= 0) std::fill(state + table.summary_slot, state + table.summary_slot + table.capacity + 1, 0);
  }
}

bool Database::SsiCommittedOut(const ir::Value* state, int32_t instance) const {
  Value out = Txn(state, instance)[ir::kSsiOut];
  if (out & ir::kSsiOther) return true;
  for (int32_t other : txn_instances_) {
    if ((out & Bit(other)) && Txn(state, other)[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kCommitted)) return true;
  }
  return false;
}

ir::DbFailure Database::SsiRead(ir::Value* state, int32_t instance, const ir::SqlStatement& sql,
                                const EvalContext& context) {
  const ir::Table& table = program_.tables[sql.table];
  ir::Value* txn = Txn(state, instance);
  ir::Value* flags = Flags(state, instance, sql.table);
  bool keyed = sql.key_expr >= 0;
  int64_t key = keyed ? eval_.Eval(sql.key_expr, context) : 0;
  if (eval_.failed()) return ir::DbFailure::kNone;
  bool found = false;
  ir::DbFailure failure = ir::DbFailure::kNone;
  int32_t key_column = table.key_column;
  for (int32_t r = 0; r < table.capacity; ++r) {
    const ir::Value* visible = Visible(state, instance, sql.table, r);
    bool visible_match = visible[0] != 0 && (!keyed || visible[1 + key_column] == key);
    if (keyed) {
      bool committed = state[table.ExistsSlot(r)] != 0 && state[table.ValueSlot(r, key_column)] == key;
      bool pending = state[table.DirtySlot(r)] != 0 && state[table.PendingExistsSlot(r)] != 0 &&
                     state[table.PendingValueSlot(r, key_column)] == key;
      if (!visible_match && !committed && !pending) continue;
    }
    if (visible_match) {
      flags[r] |= ir::kRowRead;
      found = true;
    }
    // A version this transaction does not see, written by a concurrent transaction: an
    // rw-antidependency from this one to the writer.
    if (flags[r] & ir::kRowStale) {
      txn[ir::kSsiOut] |= ir::kSsiOther;
      if (flags[r] & ir::kRowStaleOut) failure = ir::DbFailure::kSerializable;
    }
    Value owner = state[table.OwnerSlot(r)];
    if (owner != 0 && owner != instance + 1 && state[table.DirtySlot(r)] != 0) {
      ir::Value* theirs = Txn(state, owner - 1);
      if (theirs[ir::kSsiStatus] == SsiValue(ir::SsiStatus::kActive)) {
        txn[ir::kSsiOut] |= Bit(owner - 1);
        theirs[ir::kSsiIn] |= Bit(instance);
      }
    }
  }
  if (!keyed || !found) flags[table.capacity] |= ir::kTablePredicateRead;
  return failure;
}

void Database::SsiWrite(ir::Value* state, int32_t instance, int32_t table_index, int32_t row, bool /*insert*/) {
  const ir::Table& table = program_.tables[table_index];
  ir::Value* txn = Txn(state, instance);
  for (int32_t other : txn_instances_) {
    if (other == instance) continue;
    ir::Value* theirs = Txn(state, other);
    Value status = theirs[ir::kSsiStatus];
    if (status == 0) continue;
    bool concurrent = status == SsiValue(ir::SsiStatus::kActive) || (theirs[ir::kSsiConcurrent] & Bit(instance));
    if (!concurrent) continue;
    const ir::Value* flags = Flags(state, other, table_index);
    if (!flags) continue;
    // A predicate read covers every row of the table, present or future.
    if ((flags[row] & ir::kRowRead) || (flags[table.capacity] & ir::kTablePredicateRead)) {
      theirs[ir::kSsiOut] |= Bit(instance);
      txn[ir::kSsiIn] |= Bit(other);
    }
  }
  if (table.summary_slot >= 0 && (state[table.summary_slot + row] || state[table.summary_slot + table.capacity])) {
    txn[ir::kSsiIn] |= ir::kSsiOther;
  }
}

}  // namespace racecheck::explore
