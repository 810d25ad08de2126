// DbEncoder::Run: serializable snapshot isolation (db_ssi.cpp in the explicit engine).
#include "checker/symbolic/db_run.h"

#include <algorithm>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

z3::expr DbEncoder::Run::SsiIs(int32_t instance, ir::SsiStatus status) {
  return Is(Get(layout_.Txn(instance, ir::kSsiStatus)), static_cast<int64_t>(status));
}

z3::expr DbEncoder::Run::InSet(int32_t instance, ir::TxnSlot set, int32_t other) {
  return NonZero(Get(layout_.Ssi(instance, set, other)));
}

// Its sets, and so (DbLayout::Ssi: one slot per edge and per overlap) every other instance's
// edge to or from it and overlap with it.
void DbEncoder::Run::ClearSets(int32_t instance, const z3::expr& when) {
  auto n = static_cast<int32_t>(program_.instances.size());
  for (int32_t other = -1; other < n; ++other) {
    if (other == instance) continue;
    Set(layout_.Ssi(instance, ir::kSsiIn, other), Slot(0), when);
    Set(layout_.Ssi(instance, ir::kSsiOut, other), Slot(0), when);
    if (other >= 0) Set(layout_.Ssi(instance, ir::kSsiConcurrent, other), Slot(0), when);
  }
}

std::map<int32_t, z3::expr> DbEncoder::Run::SsiActive() {
  std::map<int32_t, z3::expr> active;
  for (int32_t i : layout_.txn_instances()) active.emplace(i, SsiIs(i, ir::SsiStatus::kActive));
  return active;
}

z3::expr DbEncoder::Run::OverlapsActive(int32_t instance, const std::map<int32_t, z3::expr>& active) {
  z3::expr any = terms_.False();
  for (const auto& [other, is_active] : active) {
    if (other != instance) any = Or(any, And(InSet(instance, ir::kSsiConcurrent, other), is_active));
  }
  return any;
}

void DbEncoder::Run::SsiBegin(const z3::expr& when) {
  SsiFold(And(when, SsiIs(instance_, ir::SsiStatus::kCommitted)));
  Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(static_cast<int64_t>(ir::SsiStatus::kActive)), when);
  ClearSets(instance_, when);
  for (int32_t other : layout_.txn_instances()) {
    if (other == instance_) continue;
    z3::expr overlap = And(when, SsiIs(other, ir::SsiStatus::kActive));
    Set(layout_.Ssi(instance_, ir::kSsiConcurrent, other), Slot(1), overlap);  // and other's
  }
}

void DbEncoder::Run::SsiFold(const z3::expr& when) {
  if (when.is_false()) return;
  z3::expr relevant = OverlapsActive(instance_, SsiActive());
  // Others' edges to and from it become edges to and from kSsiOther; ClearSets below drops them.
  for (int32_t other : layout_.txn_instances()) {
    if (other == instance_) continue;
    for (ir::TxnSlot set : {ir::kSsiIn, ir::kSsiOut}) {
      z3::expr had = And(when, InSet(other, set, instance_));
      Set(layout_.Ssi(other, set, -1), Slot(1), had);
    }
  }
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    const ir::Table& table = program_.tables[t];
    int32_t predicate = layout_.PredicateRead(instance_, t);
    if (predicate < 0) continue;
    for (int32_t r = 0; r < table.capacity; ++r) {
      int32_t read = layout_.Flag(instance_, t, r, ir::kRowRead);
      if (table.summary_slot >= 0) SetTo(table.summary_slot + r, 1, And(when, And(relevant, NonZero(Get(read)))));
      Set(read, Slot(0), when);
    }
    if (table.summary_slot >= 0) {
      SetTo(table.summary_slot + table.capacity, 1, And(when, And(relevant, NonZero(Get(predicate)))));
    }
    Set(predicate, Slot(0), when);
  }
  Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(0), when);
  ClearSets(instance_, when);
}

void DbEncoder::Run::SsiForget(int32_t instance, const z3::expr& when) {
  if (when.is_false()) return;
  // Others' edges to and from it and overlaps with it go with its own sets (ClearSets below).
  for (size_t ti = 0; ti < program_.tables.size(); ++ti) {
    auto t = static_cast<int32_t>(ti);
    int32_t predicate = layout_.PredicateRead(instance, t);
    if (predicate < 0) continue;
    for (int32_t r = 0; r < program_.tables[t].capacity; ++r) Set(layout_.Flag(instance, t, r, ir::kRowRead), Slot(0), when);
    Set(predicate, Slot(0), when);
  }
  Set(layout_.Txn(instance, ir::kSsiStatus), Slot(0), when);
  ClearSets(instance, when);
}

void DbEncoder::Run::SsiCleanup(const z3::expr& when) {
  std::map<int32_t, z3::expr> active = SsiActive();
  z3::expr any_active = terms_.False();
  for (const auto& [i, is_active] : active) any_active = Or(any_active, is_active);
  for (int32_t i : layout_.txn_instances()) {
    z3::expr committed = SsiIs(i, ir::SsiStatus::kCommitted);
    SsiForget(i, And(when, And(committed, Not(OverlapsActive(i, active)))));
  }
  for (const ir::Table& table : program_.tables) {
    if (table.summary_slot < 0) continue;
    for (int32_t k = 0; k <= table.capacity; ++k) SetTo(table.summary_slot + k, 0, And(when, Not(any_active)));
  }
}

z3::expr DbEncoder::Run::SsiCommittedOut() {
  z3::expr out = InSet(instance_, ir::kSsiOut, -1);
  for (int32_t other : layout_.txn_instances()) {
    if (other == instance_) continue;
    z3::expr edge_out = InSet(instance_, ir::kSsiOut, other);
    out = Or(out, And(edge_out, SsiIs(other, ir::SsiStatus::kCommitted)));
  }
  return out;
}

z3::expr DbEncoder::Run::SsiRead(const ir::SqlStatement& sql, const z3::expr& when) {
  const ir::Table& table = program_.tables[sql.table];
  int32_t t = sql.table;
  bool keyed = sql.key_expr >= 0;
  z3::expr key = Slot(0);
  if (keyed) {
    SymValue v = Eval(sql.key_expr, nullptr);
    Error(And(when, v.fault));
    key = v.value;
  }
  z3::expr found = terms_.False();
  z3::expr failure = terms_.False();
  z3::expr stale_any = terms_.False();  // it reads past a writer that has committed
  int32_t key_column = table.key_column;
  std::optional<z3::expr> stable_key = KeyValue(sql);
  for (int32_t r = 0; r < table.capacity; ++r) {
    // Everything below is where the statement looks at the row, which needs the key.
    Focus scope = Narrow(And(when, Candidate(sql, r, stable_key)));
    Version visible = Visible(t, r);
    z3::expr visible_match = NonZero(visible[0]);
    z3::expr looks = when;
    if (keyed) {
      visible_match = And(visible_match, exprs_.Equal(visible[1 + key_column], key));
      z3::expr exists = NonZero(Get(table.ExistsSlot(r)));
      z3::expr committed = And(exists, exprs_.Equal(Get(table.ValueSlot(r, key_column)), key));
      z3::expr dirty = NonZero(Get(table.DirtySlot(r)));
      z3::expr pending_exists = NonZero(PendingValue(table, r, -1));
      z3::expr pending = And(dirty, And(pending_exists, exprs_.Equal(PendingValue(table, r, key_column), key)));
      looks = And(when, Or(visible_match, Or(committed, pending)));
    }
    Focus looking = Narrow(looks);
    SetTo(layout_.Flag(instance_, t, r, ir::kRowRead), 1, And(looks, visible_match));
    found = Or(found, And(looks, visible_match));
    z3::expr stale = And(looks, NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStale))));
    Set(layout_.Ssi(instance_, ir::kSsiOut, -1), Slot(1), stale);
    stale_any = Or(stale_any, stale);
    failure = Or(failure, And(stale, NonZero(Get(layout_.Flag(instance_, t, r, ir::kRowStaleOut)))));
    z3::expr owner = Get(table.OwnerSlot(r));
    z3::expr dirty = NonZero(Get(table.DirtySlot(r)));
    z3::expr writing = And(looks, And(dirty, Not(terms_.Eq(owner, me_))));
    for (int32_t other : layout_.txn_instances()) {
      if (other == instance_) continue;
      z3::expr owned = Is(owner, other + 1);
      z3::expr edge = And(writing, And(owned, SsiIs(other, ir::SsiStatus::kActive)));
      Set(layout_.Ssi(instance_, ir::kSsiOut, other), Slot(1), edge);  // and other's kSsiIn
    }
    Widen(looking);
    Widen(scope);
  }
  z3::expr predicate = keyed ? And(when, Not(found)) : when;
  Set(layout_.PredicateRead(instance_, t), Slot(1), predicate);
  // db_ssi.cpp's SsiRead: an edge out to a committed writer makes a transaction with an edge in a
  // pivot, failed at the read.
  z3::expr any_in = terms_.False();
  auto n = static_cast<int32_t>(program_.instances.size());
  for (int32_t other = -1; other < n; ++other) {
    if (layout_.Ssi(instance_, ir::kSsiIn, other) >= 0) any_in = Or(any_in, InSet(instance_, ir::kSsiIn, other));
  }
  return Or(failure, And(stale_any, any_in));
}

void DbEncoder::Run::SsiWrite(int32_t t, int32_t r, const z3::expr& when) {
  const ir::Table& table = program_.tables[t];
  z3::expr fresh = terms_.False();
  for (int32_t other : layout_.txn_instances()) {
    if (other == instance_) continue;
    int32_t predicate = layout_.PredicateRead(other, t);
    if (predicate < 0) continue;
    z3::expr status = Get(layout_.Txn(other, ir::kSsiStatus));
    z3::expr begun = NonZero(status);
    z3::expr active = SsiIs(other, ir::SsiStatus::kActive);
    z3::expr concurrent = And(begun, Or(active, InSet(other, ir::kSsiConcurrent, instance_)));
    // A predicate read covers every row of the table, present or future.
    z3::expr row_read = NonZero(Get(layout_.Flag(other, t, r, ir::kRowRead)));
    z3::expr read = Or(row_read, NonZero(Get(predicate)));
    z3::expr edge = And(when, And(concurrent, read));
    fresh = Or(fresh, And(edge, Not(InSet(instance_, ir::kSsiIn, other))));
    Set(layout_.Ssi(instance_, ir::kSsiIn, other), Slot(1), edge);  // and other's kSsiOut
  }
  if (table.summary_slot >= 0) {
    z3::expr row_summarized = NonZero(Get(table.summary_slot + r));
    z3::expr summarized = Or(row_summarized, NonZero(Get(table.summary_slot + table.capacity)));
    z3::expr now = And(when, summarized);
    fresh = Or(fresh, And(now, Not(InSet(instance_, ir::kSsiIn, -1))));
    SetTo(layout_.Ssi(instance_, ir::kSsiIn, -1), 1, And(when, summarized));
  }
  // db_ssi.cpp's SsiWrite: a new edge in that makes this writer a pivot whose out-neighbour has
  // committed fails it at this write.
  Failed(And(fresh, SsiCommittedOut()), ir::DbFailure::kSerializable);
}

void DbEncoder::Run::Commit() {
  z3::expr serializable = terms_.False();
  z3::expr pivot_writer = terms_.False();
  if (layout_.serializable()) {
    z3::expr isolation = Is(Txn(ir::kTxnIsolation), static_cast<int64_t>(ir::Isolation::kSerializable));
    serializable = And(isolation, SsiIs(instance_, ir::SsiStatus::kActive));
    // PostgreSQL's rule: an rw-antidependency in and one out to a transaction that committed
    // first would complete a dangerous structure.
    pivot_writer = And(serializable, SsiCommittedOut());
    z3::expr any_in = terms_.False();
    auto n = static_cast<int32_t>(program_.instances.size());
    for (int32_t other = -1; other < n; ++other) {
      if (layout_.Ssi(instance_, ir::kSsiIn, other) >= 0) any_in = Or(any_in, InSet(instance_, ir::kSsiIn, other));
    }
    Failed(And(any_in, pivot_writer), ir::DbFailure::kSerializable);
  }
  CommitRows(terms_.True(), pivot_writer, serializable);
  Set(layout_.Txn(instance_, ir::kSsiStatus), Slot(static_cast<int64_t>(ir::SsiStatus::kCommitted)), serializable);
  EndTransaction(terms_.True());
  if (layout_.serializable()) SsiCleanup(terms_.True());
}

void DbEncoder::Run::Rollback() {
  ReleaseRows(terms_.True());
  if (layout_.serializable()) SsiForget(instance_, SsiIs(instance_, ir::SsiStatus::kActive));
  EndTransaction(terms_.True());
  if (layout_.serializable()) SsiCleanup(terms_.True());
}

}  // namespace racecheck::symbolic
