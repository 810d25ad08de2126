// DbEncoder::Run: one database operation encoded over Z3 terms, split by domain across
// db_run_state.cpp (the state, returning, transactions), db_run_ssi.cpp (serializable snapshot
// isolation), db_run_rows.cpp (row versions and results) and db_run_statements.cpp (the statements).
// Each function mirrors the explicit engine's code of the same name in checker/explore/db*.cpp.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/symbolic/db_terms.h"

namespace racecheck::symbolic {

// A row version as db.cpp's pointers see it: [exists, values...].
using Version = std::vector<z3::expr>;

class DbEncoder::Run {
 public:
  Run(DbEncoder& owner, int32_t instance, const z3::expr& guard, const Base& base, const std::vector<z3::expr>& locals)
      : program_(owner.program_),
        layout_(owner.layout_),
        terms_(owner.terms_),
        exprs_(owner.exprs_),
        instance_(instance),
        base_(base),
        guard_(guard),
        live_(guard),
        locals_(locals),
        me_(terms_.Slot(instance + 1)),
        focus_(terms_.True()),
        out_{Empty(), Empty(), terms_.False(), terms_.Slot(0), {}, Empty(), {}, terms_.False(), {}, {}} {
    if (layout_.shares()) out_.also.assign(program_.instances.size(), terms_.False());
  }

  DbOutcome Finish();

  // ---- the state ----
  // The slot's value; a read of the footprint where the states are live and in focus.
  z3::expr Get(int32_t slot);
  // Whether a row's owner or waiter slot holds this instance: a read only where it does, since
  // no other instance's step makes the slot hold this one or stop holding it.
  z3::expr Mine(int32_t slot);
  // Another instance's transaction slot, a read of the footprint only where the focus holds (as
  // a row slot's read is): for a decision that looks at it only there.
  z3::expr GetInFocus(int32_t slot);
  // Footprint reads past the statement's own: reads made while `Narrow` is in force matter only
  // where `focus` holds (the outcome does not depend on them elsewhere), until `Widen` ends it;
  // `precise` false records them as if no focus had been given.
  struct Focus {
    z3::expr focus;
    z3::expr live;
    size_t mark;
  };
  Focus Narrow(const z3::expr& focus);
  void Widen(const Focus& scope, bool precise = true);
  // The condition under which row r of the statement's table may be one its where clause picks
  // or fails on: the row exists and has the key the where clause asks for. True unless the
  // statement names a key (`key`: its value) and that key and the row's existence never change
  // (DbLayout::Stable), so that the condition reads nothing another step changes.
  z3::expr Candidate(const ir::SqlStatement& sql, int32_t r, const std::optional<z3::expr>& key);
  // Per row: Candidate is false whatever the state, since the row never exists or its stable
  // key differs from a key that is a constant here. A statement left waiting for a row lock
  // resumes at the same program point, where the key is the same constant (a global is a
  // constant term only until some step may write it), so its scan never marked such a row: the
  // row's flags stay 0 (statements end with them cleared) and need no terms.
  std::vector<bool> NeverPicked(const ir::SqlStatement& sql, const std::optional<z3::expr>& key);
  // A row version that is never read (a row NeverPicked leaves out): all zeros.
  Version Unread(const ir::Table& table);
  // The value of the statement's key, where Candidate can use it.
  std::optional<z3::expr> KeyValue(const ir::SqlStatement& sql);
  // Values in states that have already returned do not matter: writes need no `live_`. The
  // value kept where `when` fails is no read: the write is in the footprint anyway.
  // The write counts for the footprint where the states are live and `when` holds.
  void Set(int32_t slot, const z3::expr& value, const z3::expr& when);
  // Set to a numeral made after `when`: Set(slot, Slot(v), And(...)) would leave the order in
  // which the two terms are made to the compiler, and that order steers Z3's search.
  void SetTo(int32_t slot, int64_t value, const z3::expr& when) { Set(slot, Slot(value), when); }
  z3::expr Slot(int64_t v) { return terms_.Slot(v); }
  // A Boolean slot's value (DbLayout::Boolean) is its own truth.
  z3::expr NonZero(const z3::expr& v) { return v.is_bool() ? v : terms_.Not(terms_.Eq(v, Slot(0))); }
  z3::expr Is(const z3::expr& v, int64_t n) {
    if (v.is_bool()) return n == 0 ? terms_.Not(v) : n == 1 ? v : terms_.False();
    return terms_.Eq(v, Slot(n));
  }
  z3::expr And(const z3::expr& a, const z3::expr& b) { return terms_.And(a, b); }
  z3::expr Or(const z3::expr& a, const z3::expr& b) { return terms_.Or(a, b); }
  z3::expr Not(const z3::expr& a) { return terms_.Not(a); }

  // ---- returning ----
  // The states where `when` holds leave the operation through `branch`.
  void Keep(DbBranch& branch, const z3::expr& when);
  // The transaction fails with `failure` where `when` holds.
  void Failed(const z3::expr& when, ir::DbFailure failure) { Failed(when, Slot(ir::FailureName(failure))); }
  void Failed(const z3::expr& when, const z3::expr& name);
  // `sharers`: with share locks, whether it waits for each instance's share lock too (empty: none).
  void Block(const z3::expr& when, const z3::expr& holder, const std::vector<z3::expr>& sharers = {});
  void Error(const z3::expr& when);
  DbOutcome& out() { return out_; }

  // ---- transactions (db.cpp's Begin, Start, CommitRows, ReleaseRows, EndTransaction) ----
  z3::expr Txn(ir::TxnSlot slot) { return Get(layout_.Txn(instance_, slot)); }
  z3::expr HasSnapshot(int32_t instance);
  z3::expr ReadCommitted(const ir::SqlStatement& sql);

  void Begin(ir::Isolation isolation);

  // The transaction's first statement: repeatable read takes its snapshot.
  void Start(const ir::SqlStatement& sql, const z3::expr& when);
  // An insert that must wait for the lock at `slot` where `when` holds: a repeatable-read or
  // serializable transaction's first statement takes its snapshot first, a step that then waits
  // (out_.wait, the open statement marked slot + 1); elsewhere it blocks (explore's
  // Database::StartBeforeWaiting).
  void StartBeforeWaiting(const ir::SqlStatement& sql, const z3::expr& when, int32_t slot, const z3::expr& holder);

  // `pivot_writer`: a serializable writer with an rw-antidependency to an earlier commit;
  // `serializable_writer`: a serializable one at all.
  void CommitRows(const z3::expr& when, const z3::expr& pivot_writer, const z3::expr& serializable_writer);
  // Whether this serializable instance read table `t` (SSI's row and predicate read flags).
  z3::expr ReadTable(int32_t t);

  void ClearRowLock(const ir::Table& table, int32_t r, const z3::expr& when);

  void ReleaseRows(const z3::expr& when);

  // Clears the transaction block; a committed serializable transaction keeps its read marks.
  void EndTransaction(const z3::expr& when);

  // ---- serializable snapshot isolation (db.cpp's Ssi*) ----
  z3::expr SsiIs(int32_t instance, ir::SsiStatus status);
  z3::expr InSet(int32_t instance, ir::TxnSlot set, int32_t other);
  void ClearSets(int32_t instance, const z3::expr& when);
  // Instances whose serializable transaction is active, as conditions.
  std::map<int32_t, z3::expr> SsiActive();
  z3::expr OverlapsActive(int32_t instance, const std::map<int32_t, z3::expr>& active);

  void SsiBegin(const z3::expr& when);

  // A committed transaction that may still matter becomes "a committed transaction" (kSsiOther)
  // to the others, and its reads go into the table summary while anything overlapping it is active.
  void SsiFold(const z3::expr& when);

  // A transaction that no longer counts: its marks and every edge to or from it go.
  void SsiForget(int32_t instance, const z3::expr& when);

  void SsiCleanup(const z3::expr& when);

  z3::expr SsiCommittedOut();

  // ---- share locks ----
  // Whether `instance` holds a share lock on the row (false when no statement takes one).
  z3::expr Shares(int32_t instance, int32_t t, int32_t r);
  // Frees this instance's share locks, when `when`.
  void DropShares(const z3::expr& when);

  // The statement's reads (when `when`): marks, and rw-antidependencies to writers whose versions
  // it does not see. The condition that it reads past a committed pivot (40001).
  z3::expr SsiRead(const ir::SqlStatement& sql, const z3::expr& when);

  void SsiWrite(int32_t t, int32_t r, const z3::expr& when);

  // db.cpp's Commit and Rollback.
  void Commit();

  void Rollback();

  // ---- rows ----
  Version Committed(const ir::Table& table, int32_t r);
  Version Pending(const ir::Table& table, int32_t r);
  // The slot of row r's pending version (column -1: whether it exists), or -1 where the committed
  // slot is stable (DbLayout::Stable): a pending version copies such a value from the newest
  // version, so wherever the row is dirty it is the committed value, and it needs no slot.
  int32_t PendingSlot(const ir::Table& table, int32_t r, int32_t column) const;
  // That value, read where the row is dirty.
  z3::expr PendingValue(const ir::Table& table, int32_t r, int32_t column);
  z3::expr OwnsDirty(const ir::Table& table, int32_t r);
  // Whether this instance owns row r's pending version, and that version, read only where it does.
  std::pair<z3::expr, Version> OwnPending(const ir::Table& table, int32_t r);
  Version Pick(const z3::expr& which, const Version& a, const Version& b);
  // Its own uncommitted version, else its snapshot's, else the latest committed.
  Version Visible(int32_t t, int32_t r);
  Version Newest(int32_t t, int32_t r);

  // Expressions of the statement: the instance's locals, the state, and a row's columns.
  class Env final : public ExprEnv {
   public:
    Env(Run& run, const Version* row) : run_(run), row_(row) {
      const ir::Instance& inst = run.program_.instances[run.instance_];
      self = inst.self;
      replica = inst.replica;
    }
    z3::expr Local(int32_t index) override { return run_.locals_[index]; }
    z3::expr Global(int32_t slot) override { return run_.Get(slot); }
    z3::expr Column(int32_t column) override {
      RACECHECK_CHECK(row_ != nullptr, "a column read outside a row");
      return (*row_)[1 + column];
    }

   private:
    Run& run_;
    const Version* row_;
  };

  SymValue Eval(int32_t expr, const Version* row);

  // Whether the version matches the where clause, and when evaluating it fails.
  std::pair<z3::expr, z3::expr> Matches(const Version& version, const ir::SqlStatement& sql);

  // A value stored in a slot: a runtime error unless it fits in 32 bits.
  z3::expr Stored(const SymValue& v);

  // The rows a statement found (each with the condition that it did), as select results. A for
  // loop's select (many_rows) also gives each row's place among those found.
  void Results(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows,
               const std::vector<z3::expr>& positions);
  z3::expr Plus(const z3::expr& a, const z3::expr& b);
  // 1 (64 bits) when `condition` holds, else 0: a term to count with.
  z3::expr OneIf(const z3::expr& condition);
  void Store(const ir::SqlStatement& sql, const z3::expr& count);

  // ---- order (db_order.cpp's Before, Rank, NextTodo, TakeInOrder) ----
  // Value x comes before y in ascending order (NULL last).
  z3::expr SortsBefore(const z3::expr& x, const z3::expr& y);
  z3::expr Before(const ir::SqlStatement& sql, const Version& a, int32_t row_a, const Version& b, int32_t row_b);
  // How many found rows come before row r.
  z3::expr Earlier(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows, int32_t r);
  // Each matching row's place in the order, into its rank slot (when `when`).
  void Rank(const ir::SqlStatement& sql, const std::vector<std::pair<z3::expr, Version>>& rows, const z3::expr& when);
  // Per row: it is the first row still to do.
  std::vector<z3::expr> NextTodo(const ir::SqlStatement& sql);
  // The rows found, each kept when fewer than `limit` found rows come before it.
  std::vector<std::pair<z3::expr, Version>> TakeInOrder(const ir::SqlStatement& sql,
                                                        const std::vector<std::pair<z3::expr, Version>>& rows);

  // ---- statements ----
  // The statement runs in a serializable transaction.
  z3::expr Serializable(const ir::SqlStatement& sql);

  void Select(const ir::SqlStatement& sql);

  // update, delete, select ... for update (db.cpp's Locking).
  void Locking(const ir::SqlStatement& sql);
  // One row of Locking, when `todo`: skip it, fail, wait for it, drop it, or lock and change it.
  void LockRow(const ir::SqlStatement& sql, int32_t r, z3::expr todo, z3::expr& progressed, z3::expr& took_row,
               const z3::expr& read_committed, const z3::expr& serializable);
  void LockTodoRow(const ir::SqlStatement& sql, int32_t r, z3::expr todo, z3::expr& progressed, z3::expr& took_row,
                   const z3::expr& read_committed, const z3::expr& serializable);

  // Where `when` holds the statement waits for a row lock or another writer: the open statement
  // marks the lock it waits for (`marker`, slot + 1); a step when that or `progressed` changed the
  // state, else blocked on `holder`.
  void WaitMarked(const z3::expr& when, const z3::expr& marker, const z3::expr& holder, const z3::expr& progressed,
                  const std::vector<z3::expr>& sharers = {});
  // A free row slot may take an insert unless some transaction still looks at what it held.
  z3::expr Reserved(int32_t t, int32_t r);
  // Whether a new row's values (column, value) put NULL into a column that is not nullable (23502).
  z3::expr NotNullViolation(const ir::Table& table, const std::vector<std::pair<int32_t, z3::expr>>& values);
  // An update's new values (its sets, evaluated on `row`), with their runtime errors and the NOT
  // NULL check where `when` holds: every update, and an upsert's do update.
  std::vector<std::pair<int32_t, z3::expr>> NewValues(const ir::SqlStatement& sql, const Version& row,
                                                      const z3::expr& when);

  void Insert(const ir::SqlStatement& sql);
  // `on conflict (...) do update` where the insert met its duplicate in row r (when `conflict`):
  // lock the row, then update it (db_run_upsert.cpp). The condition that it updated the row.
  // `updated`: the row's new version.
  z3::expr Upsert(const ir::SqlStatement& sql, int32_t r, const z3::expr& conflict, Version& updated);
  // Where `when` holds, the instance leaves the line of every row of the table but keep_row; the
  // condition that it was in one.
  z3::expr LeaveLines(const ir::Table& table, int32_t keep_row, const z3::expr& when);

  // ---- constraints (db_constraints.cpp's Admit) ----
  // Whether two versions agree on the columns (NULL agrees with nothing).
  z3::expr Agree(const Version& a, const Version& b, const std::vector<int32_t>& columns);
  // How a statement waits for another writer of a duplicate: the condition, the owner slot of the
  // row it waits for, and that slot's value.
  using WaitFor = std::function<void(const z3::expr& when, int32_t slot, const z3::expr& holder)>;
  // Where `when` holds, `version` is to become row `self_row` (-1: a new row): the states where a
  // check constraint fails or a unique constraint of the statement finds a duplicate leave through
  // `failed` (or an error), those where another transaction writes a duplicate through `wait_for`.
  void Admit(const ir::SqlStatement& sql, int32_t self_row, const Version& version, const z3::expr& when,
             const WaitFor& wait_for);
  // The table's check constraints on `version`, where `when` holds.
  void CheckRow(const ir::SqlStatement& sql, const Version& version, const z3::expr& when);
  // Where an `on conflict` insert meets a duplicate: the condition, its row, and whether the row is its own.
  using Conflict = std::function<void(const z3::expr& when, int32_t row, const z3::expr& own)>;
  // The unique constraints `uniques` as Admit keeps them; with `conflict`, a duplicate is reported
  // there rather than failing.
  void Unique(const ir::SqlStatement& sql, int32_t self_row, const Version& version, const z3::expr& when,
              const std::vector<int32_t>& uniques, const WaitFor& wait_for, const Conflict& conflict);

 private:
  DbBranch Empty() { return DbBranch{terms_.False(), {}, locals_}; }

  const ir::Program& program_;
  const DbLayout& layout_;
  Terms& terms_;
  ExprEncoder& exprs_;
  int32_t instance_;
  const Base& base_;
  z3::expr guard_;  // the operation runs
  z3::expr live_;
  std::vector<z3::expr> locals_;
  z3::expr me_;
  z3::expr focus_;
  std::vector<int32_t> noted_;  // the slots read, in order (Widen goes back over them)
  void Note(int32_t slot, const z3::expr& when, bool in_focus = false);
  std::map<int32_t, z3::expr> current_;
  DbOutcome out_;
};

}  // namespace racecheck::symbolic
