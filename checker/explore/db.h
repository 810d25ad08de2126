// The database of a model as PostgreSQL runs it: multi-version rows, row locks held to commit,
// read committed, repeatable read and serializable (SSI) transactions, deadlock and
// serialization failures. Everything lives in the state's slots (ir::Table, ir::ProcessDb);
// the rules are docs/semantics.md, "Database".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/eval.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// What the database did in a step, for the explanation of a counterexample; recorded only
// while traces are rebuilt (Stepper::set_record_writes).
struct DbEvent {
  enum class Kind {
    kBegin,      // a transaction starts (its first statement), or (value 1) an autocommit statement
    kRead,       // read `column` of `row`, seeing `value`
    kPredicate,  // scanned `table` with a predicate; `value` has bit r set for each matching row r < 31
    kWrite,      // wrote `value` into `column` of `row` (uncommitted); `blind`: computed without reading it
    kInsert,     // inserted `row` (uncommitted)
    kDelete,     // deleted `row` (uncommitted)
    kCommit,     // the transaction committed
    kAbort,      // the transaction was rolled back (by the model or by a failure)
    kLeaseTaken,     // Redis: SET NX with a time to live succeeded on `key` of element `row` of `table`
    kLeaseReleased,  // Redis: DEL of such a key
    kLeaseExpired,   // Redis: the environment expired it
    kRedisWrite,     // Redis: a command changed `key` (table = declaration, row = element) to `value`;
                     // `blind`: a SET, whose value does not come from the key inside Redis
    kRedisRead,      // Redis: a GET of `key` saw `value`
    kLostReply,      // the instance died after its last step; its client sends the request again
    kCrashed,        // the instance died (`may crash`): what it held as a Redis lease stays until it expires
    kFailed,         // the transaction failed with `value` (an ir::DbFailure), handled or not
  };
  Kind kind = Kind::kRead;
  int32_t instance = -1;
  // Whether the event is Redis's: then `table` is a Redis declaration, not a table.
  bool is_redis() const {
    return kind == Kind::kLeaseTaken || kind == Kind::kLeaseReleased || kind == Kind::kLeaseExpired ||
           kind == Kind::kRedisWrite || kind == Kind::kRedisRead;
  }
  int32_t table = -1;
  int32_t row = -1;
  int32_t key = 0;      // the row's primary key; Redis: the key index
  int32_t column = -1;
  ir::Value value = 0;
  bool blind = false;
  bool serializable = false;  // kBegin: the transaction runs at serializable
  // kRedisWrite of a SET: its value is made of numbers, `self` and params, not of anything read
  // (a marker or a claim, `SET(idem, 1)`, rather than a counter's `SET(hits, n + 1)`)
  bool fixed_value = false;
};

struct DbOutcome {
  enum class Kind {
    kDone,     // the statement finished
    kWait,     // it did part of its work and now waits for a row lock: the step ends, the pc stays
    kBlocked,  // it waits for a row lock and did nothing: the instance cannot move
    kFailed,   // the transaction failed (not yet rolled back)
    kError,    // a runtime error of the model (in words)
  };
  Kind kind = Kind::kDone;
  int32_t blocked_slot = -1;  // kWait, kBlocked: the owner slot of the row it waits for
  ir::DbFailure failure = ir::DbFailure::kNone;
  std::string error;
};

// "serialization failure (40001: could not serialize access due to concurrent update or delete)".
std::string FailureText(ir::DbFailure failure);
// "serialization failure (40001)", for a trace's changes.
std::string FailureCode(ir::DbFailure failure);

// Whether `instance` holds a share lock (`for share`) on row `row` of table `table`.
bool HoldsShare(const ir::Program& program, const ir::Value* state, int32_t instance, int32_t table, int32_t row);
// Whom `instance` waits for when it waits for the lock in `lock_slot`, ascending: a lock's holder;
// for a row (its owner slot) the other transactions holding the row lock, exclusively or shared;
// for a row's waiter slot, the transaction first in line. A row lock is held either by one exclusive holder (which may
// hold a share lock too) or by share holders only.
void LockHolders(const ir::Program& program, const ir::Value* state, int32_t lock_slot, int32_t instance,
                 std::vector<int32_t>* holders);

// Whether `instance` waits in a cycle of waits that comes back to it; waits_for[i] lists the
// instances instance i waits for (empty: it waits for no row).
bool InWaitCycle(const std::vector<std::vector<int32_t>>& waits_for, int32_t instance);
// "P[0]", "P[0], P[1]": the holders' display names.
// With `state`, a holder that died in a crash is named so ("W[0], which crashed").
std::string HolderNames(const ir::Program& program, const std::vector<int32_t>& holders,
                        const ir::Value* state = nullptr);

class Database {
 public:
  Database(const ir::Program& program, Evaluator& eval);

  // Runs one SQL statement of `instance`; its results go to `locals`.
  DbOutcome Execute(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context,
                    ir::Value* locals);
  void Begin(ir::Value* state, int32_t instance, ir::Isolation isolation);
  // COMMIT: kDone or kFailed (a serializable transaction that would complete a dangerous structure).
  DbOutcome Commit(ir::Value* state, int32_t instance);
  // Undoes the instance's transaction or open autocommit statement: its row locks and
  // uncommitted versions go, and it no longer counts for serializability.
  void Rollback(ir::Value* state, int32_t instance);
  // Records the failure in the instance's transaction block (a write traces show even when the
  // same failure came before: a deadlock victim chosen again).
  void RecordFailure(ir::Value* state, int32_t instance, ir::DbFailure failure, int32_t statement);
  void ClearFailure(ir::Value* state, int32_t instance) const;
  ir::DbFailure Failure(const ir::Value* state, int32_t instance) const;
  int32_t FailureStatement(const ir::Value* state, int32_t instance) const;

  // Where events go while traces are rebuilt; nullptr during the search.
  void set_events(std::vector<DbEvent>* events) { events_ = events; }
  // Where writes of committed and uncommitted cells go (as EncodeGlobalWrite), for traces.
  void set_writes(std::vector<int32_t>* writes) { writes_ = writes; }

 private:
  const ir::ProcessDb& Db(int32_t instance) const;
  ir::Value* Txn(ir::Value* state, int32_t instance) const;
  const ir::Value* Txn(const ir::Value* state, int32_t instance) const;
  ir::Value* Flags(ir::Value* state, int32_t instance, int32_t table) const;
  ir::Value* Snapshot(ir::Value* state, int32_t instance, int32_t table) const;
  // The version of a row the instance sees: its own uncommitted one, else its snapshot's,
  // else the latest committed; [exists, values...].
  const ir::Value* Visible(ir::Value* state, int32_t instance, int32_t table, int32_t row) const;
  // The latest version for a writer: its own uncommitted one, else the latest committed.
  const ir::Value* Newest(const ir::Value* state, int32_t instance, int32_t table, int32_t row) const;
  // A repeatable-read or serializable transaction that has taken its snapshot.
  bool HasSnapshot(const ir::Value* state, int32_t instance) const;
  bool Matches(const ir::Value* version, const ir::SqlStatement& sql, const EvalContext& context);
  ir::Isolation IsolationOf(const ir::Value* state, int32_t instance, const ir::SqlStatement& sql) const;
  bool Serializable(const ir::Value* state, int32_t instance, const ir::SqlStatement& sql) const;

  // The transaction's first statement takes its snapshot (repeatable read, serializable).
  void Start(ir::Value* state, int32_t instance, const ir::SqlStatement& sql);
  // An insert that must wait (`outcome` kBlocked) has started all the same: a repeatable-read or
  // serializable transaction's first statement takes its snapshot before it waits, and that is a
  // step (kWait). Any other outcome is returned as it is.
  DbOutcome StartBeforeWaiting(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, DbOutcome outcome);
  DbOutcome Select(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context,
                   ir::Value* locals);
  DbOutcome Locking(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context,
                    ir::Value* locals);
  DbOutcome Insert(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context,
                   ir::Value* locals);
  // An update of row r (its newest version in buffer_): the set values into updated_, with events;
  // kFailed on NULL in a column that is not nullable (23502), kError on a runtime error.
  DbOutcome SetValues(int32_t instance, const ir::SqlStatement& sql, int32_t r, const EvalContext& context);
  // updated_ becomes row r's uncommitted version, with write events.
  void WriteUpdate(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t r);
  // `on conflict (...) do update` on the conflicting row r: lock it, then update it (db_upsert.cpp).
  DbOutcome Upsert(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context,
                   ir::Value* locals, int32_t r);
  // The instance leaves the line of every row of the table but keep_row; whether it was in one.
  bool LeaveLines(ir::Value* state, int32_t instance, int32_t table, int32_t keep_row);
  // Whether `version` ([exists, values...]) may become row `self_row` (-1: a new row): kDone when the
  // table's check constraints hold and no other row agrees with it on a unique constraint of the
  // statement; kFailed (23514, 23505, or 40001 for a serializable duplicate committed after the snapshot);
  // kBlocked while another transaction's uncommitted version of a row agrees with it.
  DbOutcome Admit(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t self_row,
                  const ir::Value* version, const EvalContext& context);
  // The table's check constraints on `version`: kDone, kFailed (23514) or kError.
  DbOutcome CheckRow(const ir::SqlStatement& sql, const ir::Value* version, const EvalContext& context);
  // The unique constraints `uniques` (indices into Table::uniques) as Admit keeps them; with `conflict`,
  // a duplicate is no failure: *conflict is set to its row, and the outcome is kDone.
  DbOutcome Unique(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, int32_t self_row,
                   const ir::Value* version, const std::vector<int32_t>& uniques, int32_t* conflict);
  // Order: whether row a (version a) comes before row b in the statement's order.
  bool Before(const ir::SqlStatement& sql, const ir::Value* a, int32_t row_a, const ir::Value* b, int32_t row_b,
              const ir::Value* locals) const;
  // Stores each kRowTodo row's place in the order in its flags (above kRowRankShift).
  void Rank(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, ir::Value* flags,
            const ir::Value* locals) const;
  // The kRowTodo row to do next: the first in the order, or in table order; -1 when none.
  static int32_t NextTodo(const ir::Value* flags, int32_t capacity, bool ordered);
  // Puts the matching rows in the statement's order and keeps the first `limit`.
  void TakeInOrder(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const ir::Value* locals,
                   std::vector<int32_t>& rows) const;
  // Select results from the given versions of the matching rows.
  DbOutcome Results(const std::vector<const ir::Value*>& rows, const ir::SqlStatement& sql, ir::Value* locals);
  DbOutcome Store(const ir::SqlStatement& sql, ir::Value* locals, int64_t value);
  // An insert's end: the number of rows it inserted or updated (`row`, its version; nullptr: none),
  // or its `returning` columns, and the commit of an autocommit statement.
  DbOutcome Finish(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, ir::Value* locals,
                   const ir::Value* row);
  // Makes the instance's uncommitted versions the committed ones and frees its row locks;
  // `pivot_writer`: a serializable writer with an rw-antidependency to an earlier commit;
  // `serializable_writer`: a serializable one at all.
  void CommitRows(ir::Value* state, int32_t instance, bool pivot_writer, bool serializable_writer);
  // Whether the serializable instance read the table (SSI's row and predicate read flags).
  bool ReadTable(ir::Value* state, int32_t instance, int32_t table) const;
  void ReleaseRows(ir::Value* state, int32_t instance);
  // Frees the instance's share locks (part of CommitRows and ReleaseRows).
  void DropShares(ir::Value* state, int32_t instance);
  // Whether another instance than `instance` holds a share lock on the row.
  bool SharedByOthers(const ir::Value* state, int32_t instance, int32_t table, int32_t row) const;
  // Whether another instance than `instance` is next in line for a row: its open statement waits
  // on the row's line, marked line_slot + 1 (`line_slot`: the row's waiter slot).
  bool NextInLine(const ir::Value* state, int32_t instance, int32_t line_slot) const;
  // Whether the first in line for the row asks for a share lock (kRowShareWaiting).
  bool ShareFirstInLine(const ir::Value* state, int32_t table, int32_t row) const;
  // Clears the transaction block; keeps SSI read marks of a committed serializable transaction.
  void EndTransaction(ir::Value* state, int32_t instance);
  bool Reserved(const ir::Value* state, int32_t table, int32_t row) const;

  // Serializable snapshot isolation (SSI).
  void SsiBegin(ir::Value* state, int32_t instance);
  void SsiFold(ir::Value* state, int32_t instance);
  void SsiForget(ir::Value* state, int32_t instance);
  void SsiCleanup(ir::Value* state);
  ir::Value SsiActive(const ir::Value* state) const;
  // The statement's reads: marks, and rw-antidependencies to writers whose versions it does
  // not see. Returns a failure when it reads past a committed pivot.
  ir::DbFailure SsiRead(ir::Value* state, int32_t instance, const ir::SqlStatement& sql, const EvalContext& context);
  // The rw-antidependencies into the writer of a row; a failure when a new one makes the writer a
  // pivot whose out-neighbour has committed.
  ir::DbFailure SsiWrite(ir::Value* state, int32_t instance, int32_t table, int32_t row);
  bool SsiCommittedOut(const ir::Value* state, int32_t instance) const;

  void Event(DbEvent event) {
    if (events_) events_->push_back(event);
  }
  void WroteSlot(int32_t slot);
  int32_t KeyOf(const ir::Value* state, int32_t table, int32_t row) const;

  const ir::Program& program_;
  Evaluator& eval_;
  std::vector<int32_t> txn_instances_;  // instances whose process runs SQL
  std::vector<ir::Value> buffer_;       // a row version being built
  std::vector<ir::Value> updated_;      // an update's new version of a row, before it is admitted
  std::vector<int32_t> taken_;          // a statement's matching rows, in its order
  std::vector<const ir::Value*> result_rows_;  // the versions of those rows, for Results
  std::vector<DbEvent>* events_ = nullptr;
  std::vector<int32_t>* writes_ = nullptr;
};

}  // namespace racecheck::explore
