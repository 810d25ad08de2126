// DbEncoder::Run: row versions, where clauses and results.
#include "checker/symbolic/db_run.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

Version DbEncoder::Run::Committed(const ir::Table& table, int32_t r) {
  Version v{Get(table.ExistsSlot(r))};
  for (int32_t c = 0; c < table.column_count(); ++c) v.push_back(Get(table.ValueSlot(r, c)));
  return v;
}

Version DbEncoder::Run::Pending(const ir::Table& table, int32_t r) {
  Version v;
  for (int32_t c = -1; c < table.column_count(); ++c) v.push_back(PendingValue(table, r, c));
  return v;
}

int32_t DbEncoder::Run::PendingSlot(const ir::Table& table, int32_t r, int32_t column) const {
  int32_t committed = column < 0 ? table.ExistsSlot(r) : table.ValueSlot(r, column);
  if (layout_.Stable(committed)) return -1;
  return column < 0 ? table.PendingExistsSlot(r) : table.PendingValueSlot(r, column);
}

z3::expr DbEncoder::Run::PendingValue(const ir::Table& table, int32_t r, int32_t column) {
  int32_t slot = PendingSlot(table, r, column);
  if (slot >= 0) return Get(slot);
  return Get(column < 0 ? table.ExistsSlot(r) : table.ValueSlot(r, column));
}

// The dirty flag and the pending version matter only to the row's owner.
z3::expr DbEncoder::Run::OwnsDirty(const ir::Table& table, int32_t r) {
  z3::expr mine = Mine(table.OwnerSlot(r));
  Focus scope = Narrow(mine);
  z3::expr dirty = NonZero(Get(table.DirtySlot(r)));
  Widen(scope);
  return And(mine, dirty);
}

std::pair<z3::expr, Version> DbEncoder::Run::OwnPending(const ir::Table& table, int32_t r) {
  z3::expr own = OwnsDirty(table, r);
  Focus scope = Narrow(own);
  Version pending = Pending(table, r);
  Widen(scope);
  return {own, pending};
}

std::optional<z3::expr> DbEncoder::Run::KeyValue(const ir::SqlStatement& sql) {
  const ir::Table& table = program_.tables[sql.table];
  if (sql.key_expr < 0 || table.capacity == 0) return std::nullopt;
  for (int32_t r = 0; r < table.capacity; ++r) {
    if (!layout_.Stable(table.ExistsSlot(r)) || !layout_.Stable(table.ValueSlot(r, table.key_column))) {
      return std::nullopt;
    }
  }
  // Its faults are the where clause's, which Error reports row by row.
  return Eval(sql.key_expr, nullptr).value;
}

// The where clause has `key = e` among its top-level conjuncts, so a row it is true on has the
// key on its visible version, which is the committed one's (the key and the existence are stable:
// a snapshot or a pending version copies them). A row it faults on leaves Matches' fault true,
// which the caller checks.
z3::expr DbEncoder::Run::Candidate(const ir::SqlStatement& sql, int32_t r, const std::optional<z3::expr>& key) {
  if (!key) return terms_.True();
  const ir::Table& table = program_.tables[sql.table];
  z3::expr exists = NonZero(Get(table.ExistsSlot(r)));
  return And(exists, exprs_.Equal(Get(table.ValueSlot(r, table.key_column)), *key));
}

std::vector<bool> DbEncoder::Run::NeverPicked(const ir::SqlStatement& sql, const std::optional<z3::expr>& key) {
  std::vector<bool> never;
  for (int32_t r = 0; r < program_.tables[sql.table].capacity; ++r) never.push_back(Candidate(sql, r, key).is_false());
  return never;
}

Version DbEncoder::Run::Unread(const ir::Table& table) { return Version(table.column_count() + 1, Slot(0)); }

Version DbEncoder::Run::Pick(const z3::expr& which, const Version& a, const Version& b) {
  Version v;
  for (size_t k = 0; k < a.size(); ++k) v.push_back(terms_.Ite(which, a[k], b[k]));
  return v;
}

Version DbEncoder::Run::Visible(int32_t t, int32_t r) {
  const ir::Table& table = program_.tables[t];
  Version seen = Committed(table, r);
  if (layout_.Snapshot(instance_, t, r, -1) >= 0) {
    Version snapshot{Get(layout_.Snapshot(instance_, t, r, -1))};
    for (int32_t c = 0; c < table.column_count(); ++c) snapshot.push_back(Get(layout_.Snapshot(instance_, t, r, c)));
    seen = Pick(HasSnapshot(instance_), snapshot, seen);
  }
  auto [own, pending] = OwnPending(table, r);
  return Pick(own, pending, seen);
}

Version DbEncoder::Run::Newest(int32_t t, int32_t r) {
  const ir::Table& table = program_.tables[t];
  auto [own, pending] = OwnPending(table, r);
  return Pick(own, pending, Committed(table, r));
}

SymValue DbEncoder::Run::Eval(int32_t expr, const Version* row) {
  Env env(*this, row);
  return exprs_.Eval(expr, env);
}

std::pair<z3::expr, z3::expr> DbEncoder::Run::Matches(const Version& version, const ir::SqlStatement& sql) {
  z3::expr exists = NonZero(version[0]);
  if (sql.where < 0) return {exists, terms_.False()};
  SymValue v = Eval(sql.where, &version);
  return {And(exists, exprs_.Truth(v)), And(exists, v.fault)};
}

z3::expr DbEncoder::Run::Stored(const SymValue& v) {
  Error(Or(v.fault, Not(exprs_.Fits32(v.value))));
  return exprs_.Low32(v.value);
}

void DbEncoder::Run::Results(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows,
                             const std::vector<z3::expr>& positions) {
  z3::expr zero = terms_.Num(0, 64);
  z3::expr count = zero;
  for (const auto& [found, version] : rows) count = Plus(count, terms_.Ite(found, terms_.Num(1, 64), zero));
  if (sql.many_rows) {
    // A for loop's select: the k-th row found goes to the k-th group of results (0 past the last).
    RACECHECK_CHECK(positions.size() == rows.size(), "a for loop's rows without their places");
    size_t columns = sql.items.size();
    for (size_t k = 0; k + 1 < sql.results.size(); ++k) {
      z3::expr place = terms_.Num(static_cast<int64_t>(k / columns), 64);
      z3::expr value = Slot(0);
      for (size_t r = 0; r < rows.size(); ++r) {
        z3::expr here = And(rows[r].first, terms_.Eq(positions[r], place));
        value = terms_.Ite(here, rows[r].second[1 + sql.items[k % columns].column], value);
      }
      locals_[sql.results[k]] = value;
    }
    locals_[sql.results.back()] = exprs_.Low32(count);
    return;
  }
  z3::expr null = terms_.Num(ir::kNull, 64);
  for (size_t k = 0; k < sql.items.size(); ++k) {
    const ir::SelectItem& item = sql.items[k];
    z3::expr value = count;
    switch (item.kind) {
      case ir::SelectItem::Kind::kCount:
        // count(column): the rows where it is not NULL.
        if (item.column < 0) break;
        value = zero;
        for (const auto& [found, version] : rows) {
          z3::expr counted = And(found, Not(exprs_.IsNull(version[1 + item.column])));
          value = Plus(value, terms_.Ite(counted, terms_.Num(1, 64), zero));
        }
        break;
      case ir::SelectItem::Kind::kColumn:
        Error(exprs_.Lt(terms_.Num(1, 64), count));
        // One row at most: the sum is its value; NULL when there is none.
        value = zero;
        for (const auto& [found, version] : rows) {
          value = Plus(value, terms_.Ite(found, exprs_.Wide(version[1 + item.column]), zero));
        }
        value = terms_.Ite(terms_.Eq(count, zero), null, value);
        break;
      case ir::SelectItem::Kind::kSum: {
        // The values that are not NULL; NULL when there are none.
        z3::expr any = terms_.False();
        value = zero;
        for (const auto& [found, version] : rows) {
          z3::expr added = And(found, Not(exprs_.IsNull(version[1 + item.column])));
          any = Or(any, added);
          value = Plus(value, terms_.Ite(added, exprs_.Wide(version[1 + item.column]), zero));
        }
        Error(And(any, Not(exprs_.FitsInt(value))));
        value = terms_.Ite(any, value, null);
        break;
      }
      case ir::SelectItem::Kind::kMin:
      case ir::SelectItem::Kind::kMax: {
        // The least (greatest) value that is not NULL; NULL when there is none.
        bool least = item.kind == ir::SelectItem::Kind::kMin;
        z3::expr any = terms_.False();
        value = null;
        for (const auto& [found, version] : rows) {
          z3::expr v = exprs_.Wide(version[1 + item.column]);
          z3::expr added = And(found, Not(exprs_.IsNull(version[1 + item.column])));
          z3::expr better = least ? exprs_.Lt(v, value) : exprs_.Lt(value, v);
          value = terms_.Ite(And(added, Or(Not(any), better)), v, value);
          any = Or(any, added);
        }
        break;
      }
    }
    if (k < sql.results.size()) locals_[sql.results[k]] = exprs_.Low32(value);
  }
}

z3::expr DbEncoder::Run::Plus(const z3::expr& a, const z3::expr& b) {
  int64_t x = 0, y = 0;
  if (Terms::Numeral(b, &y) && y == 0) return a;
  if (Terms::Numeral(a, &x) && x == 0) return b;
  return a + b;
}

z3::expr DbEncoder::Run::OneIf(const z3::expr& condition) {
  // Made one after the other: the order in which terms are made steers Z3's search, and C++
  // leaves the order of a call's arguments unspecified (gcc and clang differ).
  z3::expr one = terms_.Num(1, 64), zero = terms_.Num(0, 64);
  return terms_.Ite(condition, one, zero);
}

void DbEncoder::Run::Store(const ir::SqlStatement& sql, const z3::expr& count) {
  if (!sql.results.empty()) locals_[sql.results[0]] = exprs_.Low32(count);
}

}  // namespace racecheck::symbolic
