// Table constraints: check constraints and unique constraints (the primary key among them), as an
// insert or an update meets them (docs/semantics.md, "Constraints").
#include "checker/explore/db.h"

#include "checker/explore/db_detail.h"

namespace racecheck::explore {

using ir::Value;
using namespace db_detail;

namespace {

// Whether two versions ([exists, values...]) agree on the columns; NULL agrees with nothing,
// as in PostgreSQL's unique indexes.
bool Agree(const Value* a, const Value* b, const std::vector<int32_t>& columns) {
  for (int32_t c : columns) {
    if (a[1 + c] != b[1 + c] || a[1 + c] == ir::kNull) return false;
  }
  return true;
}

}  // namespace

DbOutcome Database::Admit(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t self_row,
                          const ir::Value* version, const EvalContext& context) {
  DbOutcome checked = CheckRow(sql, version, context);
  if (checked.kind != DbOutcome::Kind::kDone) return checked;
  return Unique(state, instance, sql, self_row, version, sql.uniques, nullptr);
}

DbOutcome Database::CheckRow(const ir::SqlStatement& sql, const ir::Value* version, const EvalContext& context) {
  EvalContext row_context = context;
  row_context.row = version + 1;
  for (int32_t check : program_.tables[sql.table].checks) {
    bool holds = eval_.Eval(check, row_context) != 0;
    if (eval_.failed()) return Error(eval_.fault());
    if (!holds) return Failed(ir::DbFailure::kCheckViolation);
  }
  return {};
}

DbOutcome Database::Unique(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t self_row,
                           const ir::Value* version, const std::vector<int32_t>& uniques, int32_t* conflict) {
  const ir::Table& table = program_.tables[sql.table];
  const ir::Value* flags = Flags(state, instance, sql.table);
  bool serializable = IsolationOf(state, instance, sql) == ir::Isolation::kSerializable;
  for (int32_t u : uniques) {
    const std::vector<int32_t>& columns = table.uniques[u];
    for (int32_t r = 0; r < table.capacity; ++r) {
      if (r == self_row) continue;
      Value owner = state[table.OwnerSlot(r)];
      bool duplicate = false;
      if (owner == instance + 1) {
        // Its own rows, as it last wrote them.
        const Value* newest = Newest(state, instance, sql.table, r);
        duplicate = newest[0] != 0 && Agree(newest, version, columns);
      } else {
        bool dirty = state[table.DirtySlot(r)] != 0;
        bool committed = state[table.ExistsSlot(r)] != 0 && Agree(state + table.ExistsSlot(r), version, columns);
        bool pending = dirty && state[table.PendingExistsSlot(r)] != 0 &&
                       Agree(state + table.PendingExistsSlot(r), version, columns);
        if (!committed && !pending) continue;
        // Another transaction writes the row: PostgreSQL waits for it to end, then looks again.
        if (dirty) return Waiting(DbOutcome::Kind::kBlocked, table.OwnerSlot(r));
        duplicate = true;
      }
      if (!duplicate) continue;
      if (conflict) {
        *conflict = r;
        return {};
      }
      // PostgreSQL's SSI sees the duplicate only when its writer was serializable too: a read
      // committed writer's duplicate is 23505 (docs/semantics.md, "Constraints").
      bool stale = owner != instance + 1 && flags && (flags[r] & ir::kRowStaleSerializable) != 0;
      return Failed(serializable && stale ? ir::DbFailure::kSerializable : ir::DbFailure::kUniqueViolation);
    }
  }
  return {};
}

}  // namespace racecheck::explore
