// The order a select takes rows in: `order by`, `limit`, and the ranks an open locking
// statement keeps in its row flags (docs/semantics.md, "Database").
#include "checker/explore/db.h"

#include <algorithm>

#include "checker/explore/db_detail.h"

namespace racecheck::explore {

using ir::Value;

namespace {

// NULL sorts after every value, as in PostgreSQL (NULLS LAST ascending, FIRST descending).
int64_t SortKey(Value v) { return v == ir::kNull ? INT64_MAX : v; }

}  // namespace

bool Database::Before(const ir::SqlStatement& sql, const Value* a, int32_t row_a, const Value* b, int32_t row_b,
                      const Value* locals) const {
  for (const ir::SqlOrder& order : sql.order_by) {
    int64_t x = SortKey(a[1 + order.column]);
    int64_t y = SortKey(b[1 + order.column]);
    if (x != y) return order.descending ? x > y : x < y;
  }
  // Ties: table order, from the chosen start on.
  int32_t capacity = program_.tables[sql.table].capacity;
  Value start = sql.start >= 0 ? locals[sql.start] : 0;
  return (row_a - start + capacity) % capacity < (row_b - start + capacity) % capacity;
}

void Database::Rank(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, ir::Value* flags,
                    const ir::Value* locals) const {
  int32_t capacity = program_.tables[sql.table].capacity;
  for (int32_t r = 0; r < capacity; ++r) {
    if ((flags[r] & ir::kRowTodo) == 0) continue;
    const Value* version = Visible(state, instance, sql.table, r);
    Value rank = 0;
    for (int32_t other = 0; other < capacity; ++other) {
      if (other == r || (flags[other] & ir::kRowTodo) == 0) continue;
      if (Before(sql, Visible(state, instance, sql.table, other), other, version, r, locals)) ++rank;
    }
    flags[r] |= rank << ir::kRowRankShift;
  }
}

int32_t Database::NextTodo(const ir::Value* flags, int32_t capacity, bool ordered) {
  int32_t next = -1;
  for (int32_t r = 0; r < capacity; ++r) {
    if ((flags[r] & ir::kRowTodo) == 0) continue;
    if (!ordered) return r;
    if (next < 0 || (flags[r] >> ir::kRowRankShift) < (flags[next] >> ir::kRowRankShift)) next = r;
  }
  return next;
}

void Database::TakeInOrder(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const ir::Value* locals,
                           std::vector<int32_t>& rows) const {
  if (sql.Ordered()) {
    std::sort(rows.begin(), rows.end(), [&](int32_t a, int32_t b) {
      return Before(sql, Visible(state, instance, sql.table, a), a, Visible(state, instance, sql.table, b), b, locals);
    });
  }
  if (sql.limit > 0 && static_cast<int32_t>(rows.size()) > sql.limit) rows.resize(sql.limit);
}

}  // namespace racecheck::explore
