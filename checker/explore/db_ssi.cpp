// Serializable snapshot isolation: rw-antidependencies and dangerous structures
// (docs/semantics.md, "Serializable").
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
  bool stale_any = false;  // it reads past a writer that has committed
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
      stale_any = true;
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
  // PostgreSQL's OnConflict_CheckForSerializationFailure for a read: an edge out to a committed
  // writer makes a transaction that has an edge in a pivot whose out-neighbour committed first;
  // PostgreSQL fails it at this read.
  if (stale_any && txn[ir::kSsiIn] != 0) return ir::DbFailure::kSerializable;
  return failure;
}

ir::DbFailure Database::SsiWrite(ir::Value* state, int32_t instance, int32_t table_index, int32_t row) {
  const ir::Table& table = program_.tables[table_index];
  ir::Value* txn = Txn(state, instance);
  Value in_before = txn[ir::kSsiIn];
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
  // PostgreSQL's OnConflict_CheckForSerializationFailure: a new rw-antidependency into a writer
  // that has one out to a committed transaction completes a dangerous structure with the writer
  // as its pivot, and the writer fails at this write ("Canceled on identification as a pivot,
  // during write"), not at its commit.
  if ((txn[ir::kSsiIn] & ~in_before) != 0 && SsiCommittedOut(state, instance)) return ir::DbFailure::kSerializable;
  return ir::DbFailure::kNone;
}

}  // namespace racecheck::explore
