#include "checker/symbolic/db_terms.h"

#include "checker/symbolic/db_run.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

// ---- layout ------------------------------------------------------------------------------

namespace {

int32_t FlagIndex(ir::RowFlag flag) {
  for (int32_t k = 0; k < 6; ++k) {
    if (kSplitFlags[k] == flag) return k;
  }
  RACECHECK_CHECK(false, "a row flag the z3 engine does not keep");
}

}  // namespace

DbLayout::DbLayout(const ir::Program& program) : program_(program), slot_count_(program.slot_count) {
  for (const ir::Transaction& txn : program.transactions) {
    serializable_ = serializable_ || txn.isolation == ir::Isolation::kSerializable;
  }
  flags_per_row_ = serializable_ ? 6 : 3;
  for (const ir::SqlStatement& sql : program.sql) ranks_ = ranks_ || (sql.for_update && sql.Ordered());
  for (const ir::SqlStatement& sql : program.sql) shares_ = shares_ || sql.share;
  auto n = static_cast<int32_t>(program.instances.size());
  // Every engine slot but the ranks holds 0 or 1.
  auto boolean = [&](int32_t count, bool is) { boolean_.resize(slot_count_ + count, is); slot_count_ += count; };
  boolean_.assign(slot_count_, false);
  for (int32_t i = 0; i < n; ++i) {
    const ir::ProcessDb& db = program.processes[program.instances[i].process].db;
    if (db.txn >= 0) txn_instances_.push_back(i);
    std::vector<int32_t> per_table(program.tables.size(), -1);
    for (size_t t = 0; t < program.tables.size() && t < db.row_flags.size(); ++t) {
      if (db.row_flags[t] < 0) continue;
      per_table[t] = slot_count_;
      int32_t capacity = program.tables[t].capacity;
      boolean(capacity * flags_per_row_ + 1, true);
      if (ranks_) boolean(capacity, false);
      if (shares_) boolean(2 * capacity, true);
    }
    flags_.push_back(std::move(per_table));
    ssi_.push_back(serializable_ && db.txn >= 0 ? slot_count_ : -1);
    if (ssi_.back() >= 0) boolean(3 * n + 2, true);
  }
  stable_.assign(program.slot_count, false);
  row_.assign(program.slot_count, false);
  for (size_t t = 0; t < program.tables.size(); ++t) {
    const ir::Table& table = program.tables[t];
    for (int32_t slot = table.first_slot; slot < table.Row(table.capacity); ++slot) row_[slot] = true;
    std::vector<bool> fixed(table.column_count(), true);
    bool rows_fixed = true;
    for (const ir::SqlStatement& sql : program.sql) {
      if (sql.table != static_cast<int32_t>(t)) continue;
      if (sql.kind == ir::SqlKind::kInsert || sql.kind == ir::SqlKind::kDelete) rows_fixed = false;
      for (const ir::SqlSet& set : sql.sets) fixed[set.column] = false;
    }
    if (!rows_fixed) continue;
    for (int32_t r = 0; r < table.capacity; ++r) {
      stable_[table.ExistsSlot(r)] = true;
      for (int32_t c = 0; c < table.column_count(); ++c) stable_[table.ValueSlot(r, c)] = fixed[c];
    }
  }
}

int32_t DbLayout::Flag(int32_t instance, int32_t table, int32_t row, ir::RowFlag flag) const {
  int32_t first = flags_[instance][table];
  if (flag == ir::kRowShared || flag == ir::kRowShareWaiting) {
    int32_t capacity = program_.tables[table].capacity;
    int32_t block = flag == ir::kRowShared ? 0 : capacity;
    return first < 0 || !shares_ ? -1 : first + capacity * (flags_per_row_ + (ranks_ ? 1 : 0)) + 1 + block + row;
  }
  int32_t index = FlagIndex(flag);
  return first < 0 || index >= flags_per_row_ ? -1 : first + row * flags_per_row_ + index;
}

int32_t DbLayout::Rank(int32_t instance, int32_t table, int32_t row) const {
  int32_t first = flags_[instance][table];
  return first < 0 || !ranks_ ? -1 : first + program_.tables[table].capacity * flags_per_row_ + 1 + row;
}

int32_t DbLayout::PredicateRead(int32_t instance, int32_t table) const {
  int32_t first = flags_[instance][table];
  return first < 0 || !serializable_ ? -1 : first + program_.tables[table].capacity * flags_per_row_;
}

int32_t DbLayout::Ssi(int32_t instance, ir::TxnSlot set, int32_t other) const {
  int32_t first = ssi_[instance];
  if (first < 0) return -1;
  auto n = static_cast<int32_t>(program_.instances.size());
  // db.cpp keeps each rw-antidependency twice (the reader's kSsiOut, the writer's kSsiIn) and
  // each overlap twice (both kSsiConcurrent sets), always set and cleared together: here both
  // are one slot, so the solver carries each fact once. An edge's is the reader's kSsiOut slot,
  // an overlap's the lower instance's kSsiConcurrent slot.
  switch (set) {
    case ir::kSsiIn:
      if (other < 0) return first + n;
      return ssi_[other] >= 0 ? ssi_[other] + n + 1 + instance : first + other;
    case ir::kSsiOut: return first + n + 1 + (other < 0 ? n : other);
    case ir::kSsiConcurrent: {
      RACECHECK_CHECK(other >= 0, "kSsiOther in the set of concurrent transactions");
      int32_t low = std::min(instance, other);
      return ssi_[low] >= 0 ? ssi_[low] + 2 * n + 2 + std::max(instance, other) : first + 2 * n + 2 + other;
    }
    default: break;
  }
  RACECHECK_CHECK(false, "an SSI set the z3 engine does not keep");
}

int32_t DbLayout::Txn(int32_t instance, ir::TxnSlot slot) const {
  const ir::Instance& inst = program_.instances[instance];
  int32_t txn = program_.processes[inst.process].db.txn;
  return txn < 0 ? -1 : inst.base_slot + txn + slot;
}

int32_t DbLayout::Snapshot(int32_t instance, int32_t table, int32_t row, int32_t column) const {
  const ir::Instance& inst = program_.instances[instance];
  const ir::ProcessDb& db = program_.processes[inst.process].db;
  if (db.snapshot.empty() || db.snapshot[table] < 0) return -1;
  const ir::Table& t = program_.tables[table];
  return inst.base_slot + db.snapshot[table] + row * (t.column_count() + 1) + 1 + column;
}

// ---- one operation -------------------------------------------------------------------------


DbEncoder::DbEncoder(const ir::Program& program, const DbLayout& layout, Terms& terms, ExprEncoder& exprs)
    : program_(program), layout_(layout), terms_(terms), exprs_(exprs) {}

DbOutcome DbEncoder::Execute(int32_t instance, const ir::SqlStatement& sql, const z3::expr& guard, const Base& base,
                             const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  switch (sql.kind) {
    case ir::SqlKind::kSelect:
      if (sql.for_update) {
        run.Locking(sql);
      } else {
        run.Select(sql);
      }
      break;
    case ir::SqlKind::kUpdate:
    case ir::SqlKind::kDelete:
      run.Locking(sql);
      break;
    case ir::SqlKind::kInsert:
      run.Insert(sql);
      break;
  }
  return run.Finish();
}

DbOutcome DbEncoder::Begin(int32_t instance, ir::Isolation isolation, const z3::expr& guard, const Base& base,
                           const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Begin(isolation);
  return run.Finish();
}

DbOutcome DbEncoder::Commit(int32_t instance, const z3::expr& guard, const Base& base,
                            const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Commit();
  return run.Finish();
}

DbOutcome DbEncoder::Rollback(int32_t instance, const z3::expr& guard, const Base& base,
                              const std::vector<z3::expr>& locals) {
  Run run(*this, instance, guard, base, locals);
  run.Rollback();
  return run.Finish();
}

}  // namespace racecheck::symbolic
