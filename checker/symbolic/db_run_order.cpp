// DbEncoder::Run: the order a select takes rows in (db_order.cpp in the explicit engine).
#include "checker/symbolic/db_run.h"

#include <algorithm>

namespace racecheck::symbolic {

z3::expr DbEncoder::Run::SortsBefore(const z3::expr& x, const z3::expr& y) {
  // NULL sorts after every value.
  z3::expr null = Slot(ir::kNull);
  z3::expr x_not_null = Not(terms_.Eq(x, null));
  z3::expr y_null = terms_.Eq(y, null);
  z3::expr wide_x = exprs_.Wide(x);
  return And(x_not_null, Or(y_null, exprs_.Lt(wide_x, exprs_.Wide(y))));
}

z3::expr DbEncoder::Run::Before(const ir::SqlStatement& sql, const Version& a, int32_t row_a, const Version& b,
                                int32_t row_b) {
  // Ties: table order, from the chosen start s on: row_a < row_b keep their order unless
  // row_a < s <= row_b; row_a > row_b swap theirs when row_b < s <= row_a.
  z3::expr tie = terms_.False();
  if (sql.start < 0) {
    tie = row_a < row_b ? terms_.True() : terms_.False();
  } else {
    z3::expr s = exprs_.Wide(locals_[sql.start]);
    int32_t lo = std::min(row_a, row_b);
    int32_t hi = std::max(row_a, row_b);
    z3::expr above = exprs_.Lt(terms_.Num(lo, 64), s);
    z3::expr between = And(above, exprs_.Le(s, terms_.Num(hi, 64)));
    tie = row_a < row_b ? Not(between) : between;
  }
  z3::expr before = tie;
  for (auto order = sql.order_by.rbegin(); order != sql.order_by.rend(); ++order) {
    const z3::expr& x = a[1 + order->column];
    const z3::expr& y = b[1 + order->column];
    z3::expr first = order->descending ? SortsBefore(y, x) : SortsBefore(x, y);
    before = Or(first, And(terms_.Eq(x, y), before));
  }
  return before;
}

z3::expr DbEncoder::Run::Earlier(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows,
                                 int32_t r) {
  z3::expr earlier = terms_.Num(0, 64);
  for (int32_t other = 0; other < static_cast<int32_t>(rows.size()); ++other) {
    if (other == r) continue;
    z3::expr first = And(rows[other].first, Before(sql, rows[other].second, other, rows[r].second, r));
    earlier = Plus(earlier, OneIf(first));
  }
  return earlier;
}

void DbEncoder::Run::Rank(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows,
                          const z3::expr& when) {
  for (int32_t r = 0; r < static_cast<int32_t>(rows.size()); ++r) {
    Set(layout_.Rank(instance_, sql.table, r), exprs_.Low32(Earlier(sql, rows, r)), And(when, rows[r].first));
  }
}

std::vector<z3::expr> DbEncoder::Run::NextTodo(const ir::SqlStatement& sql) {
  int32_t capacity = program_.tables[sql.table].capacity;
  std::vector<z3::expr> todo, rank, next;
  for (int32_t r = 0; r < capacity; ++r) {
    todo.push_back(NonZero(Get(layout_.Flag(instance_, sql.table, r, ir::kRowTodo))));
    rank.push_back(exprs_.Wide(Get(layout_.Rank(instance_, sql.table, r))));
  }
  for (int32_t r = 0; r < capacity; ++r) {
    z3::expr first = todo[r];
    for (int32_t other = 0; other < capacity; ++other) {
      if (other == r) continue;
      z3::expr not_todo = Not(todo[other]);
      first = And(first, Or(not_todo, exprs_.Lt(rank[r], rank[other])));
    }
    next.push_back(first);
  }
  return next;
}

std::vector<std::pair<z3::expr, Version>> DbEncoder::Run::TakeInOrder(
    const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows) {
  std::vector<std::pair<z3::expr, Version>> taken;
  for (int32_t r = 0; r < static_cast<int32_t>(rows.size()); ++r) {
    z3::expr earlier = Earlier(sql, rows, r);
    taken.emplace_back(And(rows[r].first, exprs_.Lt(earlier, terms_.Num(sql.limit, 64))), rows[r].second);
  }
  return taken;
}

}  // namespace racecheck::symbolic
