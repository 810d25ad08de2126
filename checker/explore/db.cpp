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

std::string FailureText(ir::DbFailure failure) {
  switch (failure) {
    case ir::DbFailure::kNone: return "no failure";
    case ir::DbFailure::kConcurrentUpdate:
      return "serialization failure (40001: could not serialize access due to concurrent update or delete)";
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

bool HoldsShare(const ir::Program& program, const ir::Value* state, int32_t instance, int32_t table, int32_t row) {
  const ir::Instance& inst = program.instances[instance];
  const ir::ProcessDb& db = program.processes[inst.process].db;
  int32_t flags = db.row_flags.empty() ? -1 : db.row_flags[table];
  return flags >= 0 && (state[inst.base_slot + flags + row] & ir::kRowShared) != 0;
}

void LockHolders(const ir::Program& program, const ir::Value* state, int32_t lock_slot, int32_t instance,
                 std::vector<int32_t>* holders) {
  holders->clear();
  for (size_t t = 0; t < program.tables.size(); ++t) {
    const ir::Table& table = program.tables[t];
    int32_t offset = lock_slot - table.first_slot;
    if (offset < 0 || offset >= table.capacity * table.row_width()) continue;
    if (offset % table.row_width() != table.OwnerSlot(0) - table.first_slot) break;
    int32_t row = offset / table.row_width();
    Value owner = state[lock_slot];
    for (int32_t i = 0; i < static_cast<int32_t>(program.instances.size()); ++i) {
      if (i == instance) continue;
      if (owner == i + 1 || HoldsShare(program, state, i, static_cast<int32_t>(t), row)) holders->push_back(i);
    }
    return;
  }
  if (state[lock_slot] > 0) holders->push_back(state[lock_slot] - 1);
}

bool InWaitCycle(const std::vector<std::vector<int32_t>>& waits_for, int32_t instance) {
  // Asked for every waiting instance of every expanded state: scratch kept, not allocated each time.
  thread_local std::vector<char> seen;
  thread_local std::vector<int32_t> todo;
  seen.assign(waits_for.size(), 0);
  todo.assign(waits_for[instance].begin(), waits_for[instance].end());
  while (!todo.empty()) {
    int32_t at = todo.back();
    todo.pop_back();
    if (at == instance) return true;
    if (seen[at]) continue;
    seen[at] = true;
    todo.insert(todo.end(), waits_for[at].begin(), waits_for[at].end());
  }
  return false;
}

std::string HolderNames(const ir::Program& program, const std::vector<int32_t>& holders, const ir::Value* state) {
  std::string names;
  for (int32_t h : holders) {
    const ir::Instance& inst = program.instances[h];
    names += (names.empty() ? "" : ", ") + inst.display_name;
    if (state && state[inst.base_slot] == ir::kDonePc) {
      // A holder that is done never releases: it died, or its code ended (or returned) with the
      // lock still taken, a bare acquire without its release.
      names += program.processes[inst.process].Crashed(state + inst.base_slot + 1)
                   ? ", which crashed"
                   : ", which has finished without releasing it";
    }
  }
  return names;
}

Database::Database(const ir::Program& program, Evaluator& eval) : program_(program), eval_(eval) {
  size_t widest = 1;
  for (const ir::Table& table : program.tables) widest = std::max(widest, table.columns.size() + 1);
  buffer_.resize(widest);
  updated_.resize(widest);
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
  return Evaluator::IsTrue(eval_.Eval(sql.where, row_context));
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
  auto isolation = static_cast<ir::Isolation>(txn[ir::kTxnIsolation]);
  Event({.kind = DbEvent::Kind::kBegin, .instance = instance, .serializable = isolation == ir::Isolation::kSerializable});
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
  CommitRows(state, instance, pivot_writer, serializable);
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

void Database::RecordFailure(ir::Value* state, int32_t instance, ir::DbFailure failure, int32_t statement) {
  ir::Value* txn = Txn(state, instance);
  txn[ir::kTxnFailure] = static_cast<Value>(failure);
  WroteSlot(static_cast<int32_t>(&txn[ir::kTxnFailure] - state));
  txn[ir::kTxnFailureStmt] = statement + 1;
  Event({.kind = DbEvent::Kind::kFailed, .instance = instance, .value = static_cast<Value>(failure)});
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

void Database::DropShares(ir::Value* state, int32_t instance) {
  for (size_t t = 0; t < program_.tables.size(); ++t) {
    ir::Value* flags = Flags(state, instance, static_cast<int32_t>(t));
    if (!flags) continue;
    for (int32_t r = 0; r < program_.tables[t].capacity; ++r) flags[r] &= ~ir::kRowShared;
  }
}

bool Database::ReadTable(ir::Value* state, int32_t instance, int32_t table) const {
  const ir::Value* flags = Flags(state, instance, table);
  if (!flags) return false;
  const ir::Table& t = program_.tables[table];
  if ((flags[t.capacity] & ir::kTablePredicateRead) != 0) return true;
  for (int32_t r = 0; r < t.capacity; ++r) {
    if ((flags[r] & ir::kRowRead) != 0) return true;
  }
  return false;
}

void Database::CommitRows(ir::Value* state, int32_t instance, bool pivot_writer, bool serializable_writer) {
  DropShares(state, instance);
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    int32_t columns = table.column_count();
    // PostgreSQL's SSI reports a later duplicate of this writer's row as 40001 only when the
    // writer read the key before it wrote (its SIREAD lock on the index page): any read of the
    // table stands for that here (round 12, confirmed on PostgreSQL 15).
    bool read_then_wrote = serializable_writer && ReadTable(state, instance, t);
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
          flags[r] |= ir::kRowStale | (pivot_writer ? ir::kRowStaleOut : 0) |
                      (read_then_wrote ? ir::kRowStaleSerializable : 0);
        }
      }
      state[table.OwnerSlot(r)] = 0;
      state[table.DirtySlot(r)] = 0;
      std::fill(state + table.PendingExistsSlot(r), state + table.PendingExistsSlot(r) + columns + 1, 0);
    }
  }
}

void Database::ReleaseRows(ir::Value* state, int32_t instance) {
  DropShares(state, instance);
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

bool Database::SharedByOthers(const ir::Value* state, int32_t instance, int32_t table, int32_t row) const {
  for (int32_t other : txn_instances_) {
    if (other != instance && HoldsShare(program_, state, other, table, row)) return true;
  }
  return false;
}

bool Database::NextInLine(const ir::Value* state, int32_t instance, int32_t line_slot) const {
  for (int32_t other : txn_instances_) {
    if (other != instance && Txn(state, other)[ir::kTxnStatementOpen] == line_slot + 1) return true;
  }
  return false;
}

bool Database::ShareFirstInLine(const ir::Value* state, int32_t table, int32_t row) const {
  Value waiter = state[program_.tables[table].WaiterSlot(row)];
  if (waiter == 0) return false;
  const ir::Value* flags = Flags(const_cast<ir::Value*>(state), waiter - 1, table);
  return flags != nullptr && (flags[row] & ir::kRowShareWaiting) != 0;
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

}  // namespace racecheck::explore
