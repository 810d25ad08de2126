// DbEncoder::Run: table constraints (db_constraints.cpp in the explicit engine).
#include "checker/symbolic/db_run.h"

namespace racecheck::symbolic {

z3::expr DbEncoder::Run::Agree(const Version& a, const Version& b, const std::vector<int32_t>& columns) {
  z3::expr agree = terms_.True();
  for (int32_t c : columns) {
    z3::expr same = terms_.Eq(a[1 + c], b[1 + c]);
    agree = And(agree, And(same, Not(Is(a[1 + c], ir::kNull))));
  }
  return agree;
}

void DbEncoder::Run::Admit(const ir::SqlStatement& sql, int32_t self_row, const Version& version, const z3::expr& when,
                           const WaitFor& wait_for) {
  if (when.is_false()) return;
  CheckRow(sql, version, when);
  Unique(sql, self_row, version, when, sql.uniques, wait_for, nullptr);
}

void DbEncoder::Run::CheckRow(const ir::SqlStatement& sql, const Version& version, const z3::expr& when) {
  for (int32_t check : program_.tables[sql.table].checks) {
    SymValue v = Eval(check, &version);
    Error(And(when, v.fault));
    Failed(And(when, Not(exprs_.Truth(v))), ir::DbFailure::kCheckViolation);
  }
}

void DbEncoder::Run::Unique(const ir::SqlStatement& sql, int32_t self_row, const Version& version, const z3::expr& when,
                            const std::vector<int32_t>& uniques, const WaitFor& wait_for, const Conflict& conflict) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t t = sql.table;
  // The states where no row decided yet: the first duplicate (or wait) in constraint and slot order wins.
  z3::expr open = when;
  for (int32_t u : uniques) {
    const std::vector<int32_t>& columns = table.uniques[u];
    for (int32_t r = 0; r < table.capacity && !open.is_false(); ++r) {
      if (r == self_row) continue;
      z3::expr owner = Get(table.OwnerSlot(r));
      z3::expr mine = terms_.Eq(owner, me_);
      // Its own rows, as it last wrote them.
      Version newest = Newest(t, r);
      z3::expr newest_exists = NonZero(newest[0]);
      z3::expr own = And(open, And(mine, And(newest_exists, Agree(newest, version, columns))));
      z3::expr dirty = NonZero(Get(table.DirtySlot(r)));
      z3::expr committed_exists = NonZero(Get(table.ExistsSlot(r)));
      z3::expr committed = And(committed_exists, Agree(Committed(table, r), version, columns));
      z3::expr pending_exists = NonZero(PendingValue(table, r, -1));
      z3::expr pending = And(dirty, And(pending_exists, Agree(Pending(table, r), version, columns)));
      z3::expr not_mine = Not(mine);
      z3::expr hit = And(open, And(not_mine, Or(committed, pending)));
      // Another transaction writes the row: PostgreSQL waits for it to end, then looks again.
      wait_for(And(hit, dirty), table.OwnerSlot(r), owner);
      z3::expr duplicate = Or(own, And(hit, Not(dirty)));
      if (conflict) {
        conflict(duplicate, r, own);
      } else {
        // A serializable transaction that cannot see another serializable transaction's row (it
        // came after the snapshot) fails 40001, as db_constraints.cpp says.
        int32_t stale_flag = layout_.Flag(instance_, t, r, ir::kRowStaleSerializable);
        z3::expr serializable = Serializable(sql);
        z3::expr stale = terms_.False();
        if (stale_flag >= 0 && !serializable.is_false()) {
          z3::expr not_own = Not(own);
          stale = And(not_own, And(serializable, NonZero(Get(stale_flag))));
        }
        z3::expr unique_violation = Slot(ir::FailureName(ir::DbFailure::kUniqueViolation));
        z3::expr serialization = Slot(ir::FailureName(ir::DbFailure::kSerializable));
        Failed(duplicate, terms_.Ite(stale, serialization, unique_violation));
      }
      open = And(open, Not(Or(duplicate, hit)));
    }
  }
}

}  // namespace racecheck::symbolic
