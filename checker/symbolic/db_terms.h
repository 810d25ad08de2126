// The database of a model as Z3 terms: the rules of checker/explore/db.cpp (the reference),
// rewritten for a state whose slots are terms. One operation (a SQL statement, commit,
// rollback) runs as straight-line code over the rows; where db.cpp returns early, the
// operation records a branch (done, waiting, blocked, failed, runtime error) with its
// condition and the state at that point, and goes on for the states that did not return.
// Design: docs/z3-encoding.md, "Database".
#pragma once

#include <z3++.h>

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "checker/ir/program.h"
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

// Where the terms keep the database. The program's slots keep their meaning (rows, row locks,
// the per-instance transaction block and snapshots, SSI summaries); the bitmasks (row flags,
// SSI's sets of instances) are split into one slot per bit past the program's slots, so that
// no bit arithmetic reaches the solver.
// The dirty slot holds 1 rather than db.cpp's per-column bits, and the failure slots are not
// kept: nothing but traces (which the replay builds) reads them.
// The flags db.cpp keeps in one bitmask, each in a slot of its own here, in this order; the
// three after kRowStale only when some transaction is serializable.
// kRowShared (a share lock) and kRowShareWaiting (first in line for one) keep a slot of their own
// per row only when some statement is `for share`.
inline constexpr ir::RowFlag kSplitFlags[] = {ir::kRowTodo,           ir::kRowMatched,  ir::kRowStale,
                                              ir::kRowRead,           ir::kRowStaleOut, ir::kRowStaleSerializable,
                                              ir::kRowShared,         ir::kRowShareWaiting};

class DbLayout {
 public:
  explicit DbLayout(const ir::Program& program);

  // The program's slots and the engine's own.
  int32_t slot_count() const { return slot_count_; }
  // Flag `flag` of `row` of `table` for `instance`; -1 when its process keeps no flags for the
  // table (or, for kRowRead and kRowStaleOut, when no transaction is serializable).
  int32_t Flag(int32_t instance, int32_t table, int32_t row, ir::RowFlag flag) const;
  // The rank (explicit: the flags above ir::kRowRankShift) of `row` while an ordered statement
  // is open; -1 when no statement of the model is ordered, or as for Flag.
  int32_t Rank(int32_t instance, int32_t table, int32_t row) const;
  // The instance's kTablePredicateRead flag for the table; -1 as for Flag.
  int32_t PredicateRead(int32_t instance, int32_t table) const;
  // SSI: whether `other` (-1: kSsiOther) is in the instance's set kSsiIn, kSsiOut or
  // kSsiConcurrent; -1 when no transaction is serializable or the instance runs no SQL. The two
  // sides of one fact are one slot: Ssi(w, kSsiIn, r) == Ssi(r, kSsiOut, w) (the rw-antidependency
  // from reader r to writer w) and Ssi(i, kSsiConcurrent, j) == Ssi(j, kSsiConcurrent, i).
  int32_t Ssi(int32_t instance, ir::TxnSlot set, int32_t other) const;
  bool serializable() const { return serializable_; }
  // Some statement takes share locks (`for share`): rows may have several holders.
  bool shares() const { return shares_; }
  // A slot of the instance's transaction block; -1 when its process runs no SQL.
  int32_t Txn(int32_t instance, ir::TxnSlot slot) const;
  // The instance's snapshot of `row` (column -1: whether it exists); -1 when it keeps none.
  int32_t Snapshot(int32_t instance, int32_t table, int32_t row, int32_t column) const;
  // Instances whose process runs SQL, ascending.
  const std::vector<int32_t>& txn_instances() const { return txn_instances_; }
  // A committed row slot whose value no step changes: the existence and the columns no update
  // sets, of a table no statement inserts into or deletes from (a commit writes them back with
  // the values they had). Footprints leave them out (docs/z3-encoding.md, "Reductions").
  bool Stable(int32_t slot) const { return slot < static_cast<int32_t>(stable_.size()) && stable_[slot]; }
  // A slot of a table's rows (committed, lock, pending); footprints are precise only on these
  // (elsewhere a condition would cost the solver more than the swaps it allows).
  bool RowSlot(int32_t slot) const { return slot < static_cast<int32_t>(row_.size()) && row_[slot]; }
  // An engine slot that only holds 0 or 1 (the row flags, predicate-read flags and SSI sets, not
  // the ranks): a Z3 Bool, false for 0. As a 32-bit vector each of its values cost the solver 32
  // bits where one does (docs/z3-encoding.md, "Database").
  bool Boolean(int32_t slot) const { return slot >= 0 && slot < static_cast<int32_t>(boolean_.size()) && boolean_[slot]; }

 private:
  const ir::Program& program_;
  int32_t slot_count_ = 0;
  bool serializable_ = false;
  int32_t flags_per_row_ = 3;
  bool ranks_ = false;  // some locking statement is ordered: a rank slot per row after the flags
  bool shares_ = false;  // some statement is `for share`: kRowShared and kRowShareWaiting slots per row after the ranks
  // Per instance, per table: the first of its flag slots (flags_per_row_ per row, then the
  // predicate flag), or -1.
  std::vector<std::vector<int32_t>> flags_;
  // Per instance: the first of its SSI slots (kSsiIn and kSsiOut: one per instance and one for
  // kSsiOther; kSsiConcurrent: one per instance), or -1. The kSsiIn slots of other instances and
  // the kSsiConcurrent slots of lower ones stay unused (Ssi maps them to the shared slot).
  std::vector<int32_t> ssi_;
  std::vector<int32_t> txn_instances_;
  std::vector<bool> stable_;  // per program slot
  std::vector<bool> row_;     // per program slot
  std::vector<bool> boolean_;  // per slot
};

// A branch of a database operation: when it is taken, and the slots and locals then.
struct DbBranch {
  z3::expr when;
  std::map<int32_t, z3::expr> slots;  // slots the operation wrote, with their values
  std::vector<z3::expr> locals;
};

// Everything one operation may do, each branch with its condition. For a given state exactly
// one of done, wait, blocked, failed and error holds (they include the operation's guard).
struct DbOutcome {
  DbBranch done;    // it finished; the step goes on
  DbBranch wait;    // it did part of its work and waits for a row lock: the step ends before it
  z3::expr blocked; // it waits for a row lock and did nothing
  z3::expr holder;  // then: the instance it waits for, + 1 (0: it waits for share holders only)
  // Then, with share locks (DbLayout::shares): per instance, whether it waits for that instance's
  // share lock too; empty otherwise.
  std::vector<z3::expr> also;
  DbBranch failed;  // the transaction failed (40001, 40P01 or 23505), not yet rolled back
  // Then: the failure's name (ir::FailureName) where each condition holds, for `on failure(e)`;
  // kept apart so that no term is made for a model that never reads it.
  std::vector<std::pair<z3::expr, z3::expr>> failure_names;
  z3::expr error;   // a runtime error of the model
  // Its footprint: each slot it reads, with the condition that its value matters to the
  // outcome, and each slot it writes, with the condition that it does (both include the guard).
  std::map<int32_t, z3::expr> reads;
  std::map<int32_t, z3::expr> writes;
};

class DbEncoder {
 public:
  // `base` gives a slot's value where the operation starts.
  DbEncoder(const ir::Program& program, const DbLayout& layout, Terms& terms, ExprEncoder& exprs);

  using Base = std::function<z3::expr(int32_t)>;
  DbOutcome Execute(int32_t instance, const ir::SqlStatement& sql, const z3::expr& guard, const Base& base,
                    const std::vector<z3::expr>& locals);
  DbOutcome Begin(int32_t instance, ir::Isolation isolation, const z3::expr& guard, const Base& base,
                  const std::vector<z3::expr>& locals);
  DbOutcome Commit(int32_t instance, const z3::expr& guard, const Base& base, const std::vector<z3::expr>& locals);
  DbOutcome Rollback(int32_t instance, const z3::expr& guard, const Base& base, const std::vector<z3::expr>& locals);

 private:
  class Run;

  const ir::Program& program_;
  const DbLayout& layout_;
  Terms& terms_;
  ExprEncoder& exprs_;
};

}  // namespace racecheck::symbolic
