// The compiled model: a flat, slot-indexed program that both engines run.
// Engines never see the AST; everything they need (names for reports included) is here.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/base/source.h"
#include "checker/result/report.h"

namespace racecheck::ir {

// Every value in a state is one 32-bit slot; bools are 0 or 1, enum values 0..n-1.
using Value = int32_t;

// SQL NULL (and, later, Redis nil): the one 32-bit value no integer takes. Checked arithmetic
// (ir/arith.h) treats a result equal to it as an overflow, so integers run -2^31+1 .. 2^31-1.
inline constexpr Value kNull = INT32_MIN;

// `enum Status { queued, running, done }`: value i is stored as the number i.
struct Enum {
  std::string name;
  std::vector<std::string> values;
};

// What a value means, for reports ("100", "true", "running"): the engines compute on the
// numbers and never look at it. Shared by variables, locals, columns, Redis keys and slots.
struct ValueType {
  enum class Kind { kInt, kBool, kEnum };
  Kind kind = Kind::kInt;
  int32_t enum_index = -1;  // kEnum: into Program::enums

  static constexpr ValueType Int() { return {}; }
  static constexpr ValueType Bool() { return {Kind::kBool, -1}; }
  static constexpr ValueType Enum(int32_t index) { return {Kind::kEnum, index}; }
  bool operator==(const ValueType&) const = default;
};

enum class Runtime { kThreads, kEventLoop };

// ---------------------------------------------------------------------------
// State layout (see docs/semantics.md):
//   [ params | shared vars (x replica copies) | ghost vars | locks (x replica copies) |
//     replica crashes (with `replica may crash` only) | replica_busy (event_loop with replicas > 1 only) | table rows | SSI summaries |
//     Redis keys ]
//   then one block per process instance: [ pc | locals... | database block ], all instances
//   of one process declaration with the same block layout, so that symmetry reduction can
//   permute them without knowing anything else.
// ---------------------------------------------------------------------------

enum class VarKind { kShared, kGhost };

// A shared or ghost variable: a scalar or an array indexed lo..lo+size-1.
struct Variable {
  std::string name;
  VarKind kind = VarKind::kShared;
  ValueType type{};
  bool is_array = false;
  int32_t index_lo = 0;
  int32_t size = 1;
  // In-process shared memory exists once per replica; ghosts and single-replica models have 1.
  int32_t copies = 1;
  // Slot of copy 0, element index_lo. Copy r, element i lives at first_slot + r*size + (i - index_lo).
  int32_t first_slot = 0;
  std::vector<Value> initial;  // size values, the same for every copy
  // Per element, an expression over global params giving its initial value instead (-1: the
  // constant in `initial`); empty when every element starts from a constant.
  std::vector<int32_t> initial_exprs;
  base::SourceRange range;
  // The compiler's or the replayer's own ghost (a takes region, the replay tape), no model's.
  bool internal = false;
};

// A mutex (or an array of them); the slot holds 0 when free, owner instance + 1 when held.
struct Lock {
  std::string name;
  bool is_array = false;
  int32_t index_lo = 0;
  int32_t size = 1;
  int32_t copies = 1;
  int32_t first_slot = 0;
  base::SourceRange range;
};

// A global `param NAME in lo..hi`: the environment picks one value before anything runs.
struct Param {
  std::string name;
  Value lo = 0;
  Value hi = 0;
  int32_t slot = 0;
  base::SourceRange range;
};

// ---------------------------------------------------------------------------
// Expressions: a pool of nodes in Program::exprs, children by index. They read locals,
// constants, `self`, params and ghosts freely; shared variables are read only by
// kRead instructions, except in properties, which look at a whole state at once.
//
// NULL (kNull) follows one of two rules, chosen per node by Expr::sql (docs/semantics.md, "NULL"):
// in process code and properties an arithmetic operator, an ordered comparison, min, max, abs,
// not, and, or, and a branch, assert or assume on NULL is a runtime error, while == and != compare
// NULL as a value; in SQL (Expr::sql) NULL propagates through arithmetic and comparisons and
// not/and/or follow Kleene's three-valued tables, NULL standing for unknown.
// ---------------------------------------------------------------------------

enum class ExprOp {
  kConst,     // value
  kLocal,     // local slot `index` of the running instance
  kSelf,      // the instance number within its process declaration
  kGlobal,    // variable `var`, element a (or lo when a == -1), copy of the running replica
  kParam,     // global param `index` (Program::params[index]), the same in every replica
  kNeg,       // -a
  kNot,       // not a
  kAdd, kSub, kMul, kDiv, kMod,
  kLt, kLe, kGt, kGe, kEq, kNe,
  kAnd, kOr,  // short-circuit
  kMin, kMax, // min(a, b), max(a, b)
  kAbs,       // abs(a)
  kIte,       // if a then exprs[b].a else exprs[b].b: only the branch taken is evaluated (and checked)
  kBranches,  // the two branches of the kIte above it (a, b); never evaluated by itself. Every child
              // of a kIte is under a or b, so passes that walk a and b see them all
  kColumn,    // column `index` of the row being evaluated (SQL where and set clauses only)
  kCell,      // properties: the committed value of column `var` of table `index` in the row whose key is a
              // (NULL when no committed row has that key)
  kTableCount,  // properties: how many committed rows of table `index` make a true (a: a SQL where
                // over the row's columns, kColumn; -1: every row)
  kTableSum,    // properties: the sum of column `var` over those rows, of its values that are not
                // NULL; NULL when there are none. The sum must be an integer (ir::FitsInt)
  kRedisValue,  // properties: key `var` of Redis declaration `index`, element a (-1: the only one);
                // 0 when the key is absent
  kRedisLease, // properties: whether key `var` of Redis declaration `index`, element a (-1: the only
              // one) has a lease (a time to live): 1 or 0, never NULL (`has_ttl(redis.k)`)
  kRedisLength,   // properties: the length of list key `var` of Redis declaration `index`, element a
  kRedisContains, // properties: whether that list or set holds the value b, or that hash the field b
  kRedisHashGet,  // properties: the value of field b of that hash key; NULL when missing
  kIsNull,    // a is NULL (1) or not (0), in both rules
  kCoalesce,  // a when it is not NULL, else b (evaluated only then)
};

struct Expr {
  ExprOp op = ExprOp::kConst;
  Value value = 0;
  int32_t index = -1;
  int32_t var = -1;
  int32_t a = -1;
  int32_t b = -1;
  // kRedisValue, kRedisLease, kRedisLength, kRedisContains: expr of the index of a key family's
  // member (`var` is then the family's first member, RedisKey::family_lo); -1 for a single key.
  int32_t key_index = -1;
  bool sql = false;  // SQL's three-valued rule for NULL rather than process code's (above)
};

// ---------------------------------------------------------------------------
// Instructions of one process declaration. A "visible" instruction touches state that
// other processes can see; a step is one visible instruction plus the local work after
// it (docs/semantics.md). Every instruction knows its variable, so read and write sets
// are static, for partial-order reduction.
// ---------------------------------------------------------------------------

enum class Op {
  kLet,          // local[dst] = expr                                   (local)
  kRead,         // local[dst] = var[index]                              (visible)
  kWrite,        // var[index] = expr                                    (visible)
  kGhostWrite,   // ghost var[index] = expr, rides along with its step   (local)
  kAcquire,      // lock[index]: blocks while another instance holds it  (visible)
  kRelease,      // lock[index]: must be held by this instance           (visible)
  kAtomicBegin,  // everything up to the matching kAtomicEnd is one step (visible)
  kAtomicEnd,    //                                                      (local)
  kAwait,        // event_loop: the task yields here; threads: nothing   (local)
  kJump,         // pc = target                                          (local)
  kBranchFalse,  // if not expr: pc = target                             (local)
  kAssert,       // a violation when expr is false                       (local)
  kAssume,       // the run is discarded when expr is false              (local)
  kChoose,       // local[dst] = any value in lo..hi (a branch of the search) (local)
  kEnd,          // the instance has finished                            (local)
  // Database (docs/semantics.md, "Database"). `call` indexes Program::sql or
  // Program::transactions; `target` is where a failed transaction goes on (its failure
  // label), -1 for an autocommit statement, whose failure is unhandled.
  // When dst is not -1, a failing kSql or kTxCommit writes FailureName(failure) into local dst.
  kSql,          // one SQL statement: may wait for row locks, may fail    (visible, external)
  kTxBegin,      // a transaction block starts (no snapshot yet)         (local)
  kTxCommit,     // COMMIT: may fail (serializable)                       (visible, external)
  kTxRollback,   // ROLLBACK by the model: undoes the transaction          (visible, external)
  kTxRaise,      // the failure nobody handles: a finding, or the end of the instance
                 // under `allow failure`                                 (local)
  kTxHandled,    // an `on failure { }` block starts: the failure is handled; the failure
                 // code stays in the transaction block for traces        (local, does nothing)
  // Redis (docs/semantics.md, "Redis"). `call` indexes Program::redis_ops or Program::redis_blocks.
  kRedis,        // one command, result into local dst (-1: none)        (visible, external)
  kRedisBegin,   // eval/multi: everything up to kRedisEnd is one step; a multi whose WATCHed
                 // key changed sets dst false and jumps to target (after kRedisEnd) (visible, external)
  kRedisEnd,     //                                                      (local)
  // Crashes (docs/semantics.md, "Crashes"). `call` indexes Program::crashes.
  kCrash,        // the instance dies: its lock blocks are released, its open transaction rolled
                 // back, its WATCHes dropped, its locals cleared but its parameters and
                 // Process::crash_local; the code after it restarts or ends it  (visible, external)
};

struct Instr {
  Op op = Op::kEnd;
  int32_t dst = -1;        // local slot written (kLet, kRead, kChoose; kSql, kTxCommit when they fail)
  int32_t var = -1;        // variable (kRead, kWrite, kGhostWrite) or lock (kAcquire, kRelease)
  int32_t index = -1;      // expr: element index, -1 for scalars
  int32_t expr = -1;       // expr: value written, condition, or chosen lower bound
  int32_t expr2 = -1;      // expr: chosen upper bound (kChoose)
  int32_t target = -1;     // jump target (kJump, kBranchFalse, kRedisBegin); failure label (kSql, kTxCommit)
  int32_t call = -1;       // kSql: Program::sql; kTx*: Program::transactions; kRedis: Program::redis_ops;
                           // kRedisBegin: Program::redis_blocks
  int32_t statement = -1;  // index into Program::statements, for traces
  std::string message;     // kAssert: the user's message
};

// The source of one statement, so traces can show "line 9: balance = b - amount".
struct Statement {
  base::SourceRange range;
  std::string text;
  std::vector<result::CallSite> called_from;  // a fn's statement: the calls it was inlined from, innermost first
};

// A per-instance parameter: a default value (may use `self`) or a range the environment picks from.
struct ProcessParam {
  std::string name;
  int32_t local = 0;
  bool is_range = false;
  int32_t value_expr = -1;  // default value (is_range false)
  int32_t lo_expr = -1;     // range bounds (is_range true)
  int32_t hi_expr = -1;
};

// Where an instance keeps its database and Redis state, as offsets from its base slot (its pc);
// -1 where the process needs none. Every instance of the process has the same layout.
struct ProcessDb {
  int32_t txn = -1;  // kTxnSlotCount slots (TxnSlot), when the process runs SQL
  // Per table: one flags slot per row (RowFlag) and one for the table (TableFlag), when the
  // process runs SQL on the table.
  std::vector<int32_t> row_flags;
  // Per table: the repeatable-read snapshot, (1 + columns) slots per row [exists, values...],
  // when the process runs SQL on the table inside repeatable_read or serializable transactions.
  std::vector<int32_t> snapshot;
  // Per Redis declaration: one WATCH slot per element and key (0 not watched, 1 watched,
  // 2 watched and changed since), when the process uses WATCH on it.
  std::vector<int32_t> watches;
};

// A point where an instance may crash: the `lock { }` blocks open there, innermost first, which
// the crash releases as a `finally` or `defer` would (a lock taken by a bare `acquire` stays held).
struct CrashPoint {
  struct HeldLock {
    int32_t lock = -1;
    int32_t index = -1;  // expr: the element, -1 for a scalar lock
  };
  std::vector<HeldLock> lock_blocks;
  // After the process's last step, under `on crash retry`: the reply is lost, the work is done.
  bool after_last_step = false;
};

struct Process {
  std::string name;
  int32_t instance_count = 1;
  std::vector<Instr> code;
  std::vector<std::string> local_names;
  std::vector<ValueType> local_types;
  std::vector<ProcessParam> params;
  ProcessDb db;
  // A hidden local counting the instance's crashes: retries used, or crash_retries + 1 once a
  // crash ended it (it then counts as crashed). Kept when the instance ends; -1: it never crashes.
  int32_t crash_local = -1;
  int32_t crash_retries = 0;  // `on crash retry at most K`
  // Where replicas may crash: pc 0 is the restart's own place (a jump to the body), reached
  // again only by a request sent again after its own crash; a step that gets there stops there,
  // so that a replica crash sees the request as not yet arrived (docs/semantics.md, "Replica
  // crashes"). Elsewhere the crash's step runs on to the body's first step, as it always did.
  bool restarts_at_zero = false;
  bool StopsAtRestart(int32_t pc, bool did_visible) const { return restarts_at_zero && pc == 0 && did_visible; }
  // Timed models: the hidden ghost array of its takes regions, element `self` per instance
  // (Program::region_slots); the code reads and writes it only as `region_var[self]`. -1: no takes.
  int32_t region_var = -1;
  // Timed models, with a takes block: per pc, whether it lies on a loop that only reads and takes
  // two or more steps a round (ir::PollCycles): a request there polls, and waits. Else empty.
  std::vector<uint8_t> poll_cycle;
  // Timed models, with a takes block: per pc, how many steps the engines' waiting probe runs the
  // request alone for (ir::ProbeSteps: 0 on counted loops, more on loops that write and wait).
  // Empty: 1 everywhere.
  std::vector<int32_t> probe_steps;
  // Timed models, with a takes block: a hidden local counting the steps in a row that the
  // instance ended on a loop that writes and waits (ProbeSteps > 1) after entering it, up to
  // rounds_cap. The probe runs a request alone; a retry others keep failing goes round for ever
  // in the real run, so from RoundsLimit(pc) such steps on the request waits whatever the probe
  // says (Stepper::Finish and Waiting, Engine::CountRounds and RoundsSpent; docs/semantics.md,
  // Time, Waits).
  // -1: no takes block. rounds_cap 0: no such loop, the local stays 0.
  int32_t rounds_local = -1;
  int32_t rounds_cap = 0;
  // The rounds in a row a request may go round such a loop and still work: the two a run alone
  // may need, and one for every other instance, each of which may fail its retry once.
  int32_t retry_rounds = 0;
  // Per local: the pcs [first, second) of the `for` loop whose row it holds, where it has a row
  // (traces leave it out elsewhere: the loop's end clears it); {-1, -1} for every other local.
  std::vector<std::pair<int32_t, int32_t>> row_scope;
  base::SourceRange range;

  bool OnPollCycle(int32_t pc) const { return pc >= 0 && static_cast<size_t>(pc) < poll_cycle.size() && poll_cycle[pc]; }
  int32_t ProbeSteps(int32_t pc) const {
    return pc >= 0 && static_cast<size_t>(pc) < probe_steps.size() ? probe_steps[pc] : 1;
  }
  // Steps on a loop that writes and waits after which a request there waits: retry_rounds
  // rounds' (the probe's budget is two); 0 off such loops, and on one that holds an inner loop (a
  // request there always waits).
  int32_t RoundsLimit(int32_t pc) const {
    return ProbeSteps(pc) > 1 && !OnPollCycle(pc) ? ProbeSteps(pc) / 2 * retry_rounds : 0;
  }
  // Whether the instance whose block (its pc, then its locals) is `block` has spent them.
  bool RoundsSpent(const Value* block) const {
    int32_t limit = RoundsLimit(block[0]);
    return limit > 0 && block[1 + rounds_local] >= limit;
  }
  // rounds_local's value after a step from `from` to `to` that found it at `rounds`.
  // The step that enters the loop counts no round (round 27: a one-step retry was counted one
  // round early).
  int32_t RoundsAfter(int32_t from, int32_t to, int32_t rounds) const {
    if (RoundsLimit(to) == 0 || RoundsLimit(from) == 0) return 0;
    return std::min(rounds + 1, rounds_cap);
  }

  bool OutsideRowScope(int32_t local, int32_t pc) const {
    if (local < 0 || static_cast<size_t>(local) >= row_scope.size() || row_scope[local].first < 0) return false;
    return pc < row_scope[local].first || pc >= row_scope[local].second;
  }

  // Whether the instance whose locals are these has died in a crash (and is finished).
  bool Crashed(const Value* locals) const { return crash_local >= 0 && locals[crash_local] > crash_retries; }
};

// One running copy of a process: the unit that takes steps.
struct Instance {
  int32_t process = 0;
  int32_t self = 0;        // instance number within its declaration
  int32_t replica = 0;
  int32_t base_slot = 0;   // slot of its pc; locals follow
  std::string display_name;  // "Withdraw[0]"
};

// ---------------------------------------------------------------------------
// Database: tables of int columns, one primary key, multi-version rows (docs/semantics.md).
// ---------------------------------------------------------------------------

// A table's rows live in `capacity` fixed row slots, each laid out
//   [ exists | values (columns) | owner | waiter | dirty | pending exists | pending values (columns) ]
// exists/values are the latest committed version (values 0 when the row does not exist); owner is
// the row lock held exclusively (0 free, instance + 1; share locks are kept in their holders' row
// flags, RowFlag kRowShared); waiter is the first transaction waiting for it (instance + 1),
// which PostgreSQL lets take the row next (it holds the tuple lock while it waits); the pending version is the owner's uncommitted write, valid
// when dirty is not 0 (bit 0, and bit c + 1 for each column c the owner wrote, columns past 29
// sharing bit 30); when dirty is 0 all pending slots are 0. Only the lock owner has a pending version.
struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<ValueType> column_types;  // one per column; the key column holds ints
  std::vector<bool> column_nullable;    // one per column: declared `null`; the others refuse NULL (23502)
  int32_t key_column = 0;
  // Unique constraints, each a set of columns (ascending): the primary key first, then the others
  // in source order, none twice. An insert or update that would make two rows agree on one fails (23505).
  std::vector<std::vector<int32_t>> uniques;
  // Check constraints: exprs over the row's columns (kColumn); a row where one is false is refused (23514).
  std::vector<int32_t> checks;
  std::vector<int32_t> check_lines;  // per check, its source line
  // Row slots: as many as `rows N` declares, or else the initial rows, then one per insert
  // statement, instance that can run it and attempt (crash retries).
  int32_t capacity = 0;
  bool room_declared = false;
  std::vector<std::vector<Value>> initial_rows;
  // Per initial row and column, an expression over global params giving its value instead (-1: the
  // constant in `initial_rows`); empty when every cell is a constant. Key and unique columns are
  // always constants, so the rows' uniqueness holds in every initial state.
  std::vector<std::vector<int32_t>> initial_exprs;
  int32_t first_slot = 0;
  // SSI summary of committed serializable readers no longer tracked one by one: one slot per
  // row (1: read) and one for the table (1: predicate read); -1 when no transaction is serializable.
  int32_t summary_slot = -1;
  base::SourceRange range;

  int32_t column_count() const { return static_cast<int32_t>(columns.size()); }
  int32_t row_width() const { return 2 * column_count() + 5; }
  int32_t Row(int32_t row) const { return first_slot + row * row_width(); }
  int32_t ExistsSlot(int32_t row) const { return Row(row); }
  int32_t ValueSlot(int32_t row, int32_t column) const { return Row(row) + 1 + column; }
  int32_t OwnerSlot(int32_t row) const { return Row(row) + 1 + column_count(); }
  int32_t WaiterSlot(int32_t row) const { return Row(row) + 2 + column_count(); }
  int32_t DirtySlot(int32_t row) const { return Row(row) + 3 + column_count(); }
  int32_t PendingExistsSlot(int32_t row) const { return Row(row) + 4 + column_count(); }
  int32_t PendingValueSlot(int32_t row, int32_t column) const { return Row(row) + 5 + column_count() + column; }
};

// The per-instance transaction block (ProcessDb::txn), slot by slot.
enum TxnSlot : int32_t {
  kTxnStatus,          // TxnStatus
  kTxnIsolation,       // Isolation, while in a transaction
  kTxnFailure,         // DbFailure of the last failed transaction, until a transaction commits or the
                       // instance ends (so traces show it while the handler or the retry runs)
  kTxnFailureStmt,     // statement index + 1 of the statement that failed
  kTxnStatementOpen,   // while a statement waits for a row lock part way: the lock's (owner) slot + 1;
                       // RowFlag kTodo marks the rows it still has to do
  kSsiStatus,          // SsiStatus
  kSsiIn,              // instances (bit i) with a rw-antidependency into this transaction; kSsiOther
  kSsiOut,             // instances this transaction has a rw-antidependency to; kSsiOther: a committed one
  kSsiConcurrent,      // instances whose serializable transaction overlaps this one
  kTxnSlotCount,
};
enum class TxnStatus : Value { kNone = 0, kBegun = 1, kSnapshot = 2 };
enum class Isolation : Value { kReadCommitted = 0, kRepeatableRead = 1, kSerializable = 2 };
enum class SsiStatus : Value { kNone = 0, kActive = 1, kCommitted = 2 };
// kSsiIn: an edge from a summarized (forgotten) committed reader; kSsiOut: to a committed writer.
inline constexpr Value kSsiOther = Value{1} << 30;
// Serializable transactions name instances by bit, so a model using them has at most this many.
inline constexpr int32_t kMaxSsiInstances = 30;

enum class DbFailure : Value {
  kNone = 0,
  kConcurrentUpdate = 1,  // 40001: a row changed after the snapshot (repeatable_read, serializable)
  kSerializable = 2,      // 40001: a dangerous structure of rw-antidependencies (serializable)
  kDeadlock = 3,          // 40P01
  kUniqueViolation = 4,   // 23505
  kLockNotAvailable = 5,  // 55P03: NOWAIT found the row locked
  kCheckViolation = 6,    // 23514
  kNotNullViolation = 7,  // 23502
};

// The failure's value in the failure enum (ast::FailureNames(): serialization_failure,
// deadlock_detected, unique_violation, lock_not_available, check_violation, not_null_violation),
// which a failing kSql or kTxCommit writes into its dst for `on failure(e)`; -1 for kNone.
constexpr Value FailureName(DbFailure failure) {
  switch (failure) {
    case DbFailure::kNone: return -1;
    case DbFailure::kConcurrentUpdate:
    case DbFailure::kSerializable: return 0;
    case DbFailure::kDeadlock: return 1;
    case DbFailure::kUniqueViolation: return 2;
    case DbFailure::kLockNotAvailable: return 3;
    case DbFailure::kCheckViolation: return 4;
    case DbFailure::kNotNullViolation: return 5;
  }
  return -1;
}

// Bits of a per-instance row flags slot (ProcessDb::row_flags).
enum RowFlag : Value {
  kRowTodo = 1,        // the open statement still has to process this row
  kRowMatched = 2,     // the open statement processed this row
  kRowStale = 4,       // a transaction committed a change to the row after this one's snapshot
  kRowStaleOut = 8,    // ... and that writer had a rw-antidependency to an earlier commit (SSI)
  kRowRead = 16,       // this serializable transaction read the row (SSI)
  kRowShared = 32,     // this transaction holds a share lock on the row (`for share`)
  kRowStaleSerializable = 64,  // kRowStale, by a serializable writer (its duplicate key is 40001, not 23505)
  kRowShareWaiting = 128,      // first in the row's line, for a share lock (`for share`)
};
// While an ordered statement (SqlStatement::Ordered) is open, the bits from here up hold each
// row's place in its order, so that it takes the rows in that order across its waits.
inline constexpr int32_t kRowRankShift = 8;
enum TableFlag : Value { kTablePredicateRead = 1 };

enum class SqlKind { kSelect, kUpdate, kInsert, kDelete };

// One select item: a column of the matching row, count(*) (column -1), count(column) (the rows
// where it is not NULL), or sum, min or max of a column (of the values not NULL; NULL when
// there are none).
struct SelectItem {
  enum class Kind { kColumn, kCount, kSum, kMin, kMax } kind = Kind::kColumn;
  int32_t column = -1;
};

// One key of `order by`: rows with the smaller value come first (descending: the larger);
// NULL sorts as larger than every value, as in PostgreSQL.
struct SqlOrder {
  int32_t column = 0;
  bool descending = false;
};

// What a row lock does when another transaction holds the row (docs/semantics.md).
enum class LockWait { kWait, kSkipLocked, kNoWait };

struct SqlSet {
  int32_t column = 0;
  int32_t expr = -1;       // may use kColumn (the row's current values)
  bool reads_own_column = false;  // the value uses the column it sets (balance = balance - 80)
};

struct SqlStatement {
  SqlKind kind = SqlKind::kSelect;
  int32_t table = 0;
  bool for_update = false;      // kSelect: it locks the rows it finds (for update, for no key update, for share)
  bool share = false;           // kSelect: `for share`, a lock other share locks do not conflict with
  bool autocommit = false;       // outside any transaction block: its own transaction
  int32_t where = -1;            // -1: every row
  // `key = e` among the where clause's top-level conjuncts, e not using columns: the rows a
  // serializable statement reads are those with that key (-1: a predicate over the table).
  int32_t key_expr = -1;
  std::vector<int32_t> where_columns;  // columns the where clause reads
  std::vector<SelectItem> items;       // kSelect
  // kSelect: the order rows are taken in; rows equal on every key come in table order, from
  // row slot `start` on (wrapping around).
  std::vector<SqlOrder> order_by;
  int32_t limit = 0;                   // kSelect: at most this many rows; 0: no limit
  // `limit` without `order by`: a local holding the row slot the order starts from, which a
  // kChoose just before the statement picks, so that every row can come first; -1: slot 0.
  int32_t start = -1;
  LockWait lock_wait = LockWait::kWait;  // for_update
  std::vector<SqlSet> sets;            // kUpdate
  std::vector<int32_t> values;         // kInsert: one expr per column (a column not given: NULL when
                                       // nullable, else -1 for 0)
  // Table::uniques the statement must keep: every one for an insert (but its arbiters), those with a
  // set column for an update.
  std::vector<int32_t> uniques;
  // kInsert `on conflict ... do nothing`: a duplicate on one of these Table::uniques (the arbiters)
  // makes the insert change nothing, rather than fail.
  bool on_conflict_do_nothing = false;
  std::vector<int32_t> arbiters;
  // kInsert `on conflict (...) do update set ... where ...`: a duplicate on an arbiter makes it lock
  // that row, as for update, and update it with `sets` where `where` holds on it (both read the
  // row's columns, and the values the insert proposed, `excluded`, as the exprs of `values`);
  // `update_uniques`: the Table::uniques that update must keep (those with a set column).
  bool on_conflict_do_update = false;
  std::vector<int32_t> update_uniques;
  // Locals receiving the result: one per select item, or the number of rows changed; may be empty.
  // With `many_rows`: the table's capacity times one per select item (row after row, in the
  // statement's order; 0 past the last row found), then the number of rows found.
  std::vector<int32_t> results;
  // kSelect of a `for` loop (only plain columns): every row found goes to the results.
  bool many_rows = false;
  // A statement that locks rows takes one row a step, ending the step after each row it locked
  // while rows are left, as PostgreSQL locks them one at a time (ir::MarkRowByRow: where another
  // instance may lock or write the table between two of them).
  bool row_by_row = false;

  // Whether rows are taken in an order other than table order.
  bool Ordered() const { return !order_by.empty() || start >= 0; }
};

struct Transaction {
  Isolation isolation = Isolation::kReadCommitted;
  int32_t statement = -1;         // the `transaction` statement
  int32_t commit_statement = -1;  // "commit", at the block's closing brace
};

// ---------------------------------------------------------------------------
// Redis: declarations of keyspaces, each with one or more elements (instances).
// ---------------------------------------------------------------------------

// Element e, key k of a declaration starts at first_slot + e * stride + keys[k].offset. A plain key
// holds three slots:
//   [ value | present | ttl ]   (absent keys hold 0 0 0; ttl is 1 while the key has a lease, and in a
//                                timed model the time it has left, in ms: Program::timed)
// a list of at most N elements 1 + N, its elements from the left end, unused ones 0:
//   [ length | e0 | e1 | ... | eN-1 ]   (an empty list is an absent key, as in Redis)
// a set of at most N members the same, its members in ascending order (one encoding per set):
//   [ count | m0 | m1 | ... | mN-1 ]
// a hash of at most N fields 1 + 2N, its (field, value) pairs in ascending order of field:
//   [ count | f0 | v0 | f1 | v1 | ... ]
// An empty list, hash or set is an absent key, as in Redis; none of them carries a lease.
inline constexpr int32_t kMaxRedisList = 32;  // the largest bound a list, hash or set key may declare

enum class RedisKeyKind { kPlain, kList, kHash, kSet };

struct RedisKey {
  std::string name;
  bool initially_present = false;
  Value initial = 0;
  ValueType type{};               // of the value, of the list's elements, the set's members or the hash's fields
  RedisKeyKind kind = RedisKeyKind::kPlain;
  int32_t capacity = 0;           // a list, hash or set of at most this many elements; 0: a plain key
  std::vector<Value> initial_elements;  // a hash's fields, a set's members, in the state's order
  std::vector<Value> initial_values;    // a hash's values, one per field
  int32_t offset = 0;             // of its slots within an element of the declaration
  // A key family `hits[USERS]` is `family_size` keys in a row, one per index family_lo.., each named
  // "hits[i]" and declared as the family is; a single key has family_size 0.
  std::string family;
  int32_t family_lo = 0;
  int32_t family_size = 0;
  int32_t expire_statement = -1;  // "lease expires", for the environment's move; -1 when never given a TTL
  base::SourceRange range;

  bool IsList() const { return kind == RedisKeyKind::kList; }
  bool IsHash() const { return kind == RedisKeyKind::kHash; }
  bool IsSet() const { return kind == RedisKeyKind::kSet; }
  // A list, hash or set: a count slot first, no lease.
  bool IsCollection() const { return kind != RedisKeyKind::kPlain; }
  int32_t Width() const { return IsHash() ? 1 + 2 * capacity : IsCollection() ? 1 + capacity : 3; }
  // A list's, hash's or set's slots as it starts: its count, then its elements, pairs or members.
  std::vector<Value> InitialCollection() const {
    std::vector<Value> slots(Width(), 0);
    slots[0] = static_cast<Value>(initial_elements.size());
    for (size_t i = 0; i < initial_elements.size(); ++i) {
      slots[1 + i * (IsHash() ? 2 : 1)] = initial_elements[i];
      if (IsHash()) slots[2 + i * 2] = initial_values[i];
    }
    return slots;
  }
};

struct RedisDecl {
  std::string name;
  bool is_array = false;
  int32_t index_lo = 0;
  int32_t size = 1;
  std::vector<RedisKey> keys;
  int32_t first_slot = 0;
  int32_t stride = 0;  // slots per element: the keys' widths
  base::SourceRange range;

  int32_t KeySlot(int32_t element, int32_t key) const { return first_slot + element * stride + keys[key].offset; }
};

enum class RedisCommand {
  kGet, kSet, kSetNx, kIncr, kDecr, kIncrBy, kDecrBy, kDel, kExists, kWatch,
  kExpire,   // EXPIRE and PEXPIRE: the time to live in `ttl`
  kPersist,
  kGetDel,
  kTtl,      // TTL and PTTL (`milliseconds`): of keys that never carry a lease, or in a timed model
  // Lists (RedisOp::from_left / to_left say which end)
  kPush,     // LPUSH, RPUSH: `value` onto one end; the new length
  kPop,      // LPOP, RPOP, and BLPOP, BRPOP (`blocking`): the element, null when empty
  kLen,      // LLEN
  kRem,      // LREM: `count` occurrences of `value` (count > 0 from the left, < 0 from the right, 0 all)
  kMove,     // LMOVE, RPOPLPUSH, BLMOVE: pops from `key` and pushes onto `target`
  // Hashes and sets (RedisOp::args: fields, HSET's field, value pairs, members)
  kHGet,       // the field's value, null when the field or the key is missing
  kHSet,       // each (field, value) in turn; the number of fields added
  kHSetNx,     // sets the field only when it is missing; 1 when it did
  kHIncrBy,    // the field (0 when missing) plus the amount; the new value
  kHDel,       // the number of fields removed
  kHExists,    // 1 when the field is there
  kHLen,       // the number of fields
  kSAdd,       // the number of members added
  kSRem,       // the number of members removed
  kSIsMember,  // 1 when the member is there
  kSCard,      // the number of members
};

// HGET .. HLEN, SADD .. SCARD: the commands that work on a hash's or a set's fields and members.
inline bool IsHashOrSetCommand(RedisCommand command) {
  return command >= RedisCommand::kHGet && command <= RedisCommand::kSCard;
}

// Timed models (Program::timed): the longest lease, in ms, and Redis 7's TTL of a key whose lease
// has `ms` left (ttlGenericCommand rounds to the nearest second: (ms + 500) / 1000; PTTL is ms).
inline constexpr Value kMaxLeaseMs = 1000;
constexpr Value TtlSeconds(Value ms) { return (ms + 500) / 1000; }

struct RedisOp {
  RedisCommand command = RedisCommand::kGet;
  int32_t redis = 0;      // Program::redis
  int32_t element = -1;   // expr: the element's index, -1 for a single instance
  int32_t key = 0;        // the key, or the first member of a key family
  int32_t key_index = -1; // expr: the member of the family `key` starts (hits[u]); -1 for a single key
  int32_t value = -1;     // expr: SET/SETNX value, INCRBY/DECRBY amount, pushed or removed list element
  bool nx = false;
  bool xx = false;
  bool get = false;       // SET ... GET: the result is the old value (null when absent), set or not
  bool keep_ttl = false;  // SET ... KEEPTTL: the key keeps the lease it had
  bool milliseconds = false;  // PTTL rather than TTL
  int32_t ttl = -1;       // expr: PX/EX or EXPIRE/PEXPIRE time to live (in an untimed model its size matters only
                          // as positive or not: a lease may run out any time)
  Value lease_time = 1;   // what the key's ttl slot holds once the lease is set: 1, or in a timed model the
                          // time to live in ms (a constant there)
  int32_t count = -1;     // expr: LREM's count
  std::vector<int32_t> args;  // exprs: a hash command's fields (HSET, HSETNX, HINCRBY: field, value pairs), a set's members
  int32_t target = -1;    // kMove: the destination key (the first member of a key family)
  int32_t target_index = -1;  // kMove: expr: the member of the destination family; -1 for a single key
  bool from_left = false; // kPop, kMove: pops the left end (LPOP, LMOVE ... LEFT, ...)
  bool to_left = false;   // kPush, kMove: pushes onto the left end
  bool blocking = false;  // BLPOP, BRPOP, BLMOVE: waits while the list is empty (outside eval/multi)
};

struct RedisBlock {
  bool multi = false;     // MULTI/EXEC (fails after a WATCHed key changed) rather than a script
  int32_t redis = 0;
  int32_t element = -1;
};

enum class PropertyKind { kInvariant, kFinal, kCover };

// The keyword that declares a property of `kind`, as messages and reports name it.
inline const char* PropertyKindName(PropertyKind kind) {
  return kind == PropertyKind::kInvariant ? "invariant" : kind == PropertyKind::kFinal ? "final" : "cover";
}

// A table cell or Redis key a property mentions, shown with a violation's values.
struct ShownValue {
  std::string name;  // "accounts[1].balance", "redis.balance"
  int32_t expr = -1;
  ValueType type{};
  // A list, hash or set shown whole ("redis.q = [2]"): `expr` reads its length (kRedisLength).
  bool collection = false;
};

struct Property {
  PropertyKind kind = PropertyKind::kInvariant;
  std::string name;
  int32_t expr = -1;         // evaluated with no running instance, on replica copy 0..copies-1
  std::string text;          // the expression as written, constants folded
  std::vector<int32_t> vars; // variables it mentions, for "(balance = 20, withdrawn = 160)"
  std::vector<ShownValue> shown;  // table cells and Redis keys it mentions
  base::SourceRange range;
};

enum class ExpectKind { kNone, kSafe, kDeadlock, kViolation, kFailure, kError };  // kError: a runtime error

struct Expectation {
  ExpectKind kind = ExpectKind::kNone;
  std::vector<std::string> properties;  // kViolation: the names expected to be violated
};

// What a slot is, for reports: "balance", "acct[1]", "Withdraw[0].b", "lock mu".
struct SlotInfo {
  std::string name;
  ValueType type{};
  bool is_pc = false;
  bool is_lock = false;   // 0 free, else owner instance + 1 (also row locks)
  bool hidden = false;    // compiler temporaries and engine bookkeeping: never shown in traces
  int32_t instance = -1;  // owning instance for pc, locals and its database block, -1 for globals
  bool is_failure = false;  // a DbFailure code (an instance's last transaction failure)
};

// Program counter value of an instance that has finished.
inline constexpr Value kDonePc = -1;

struct Program {
  std::string name;
  std::string file;
  Runtime runtime = Runtime::kThreads;
  int32_t replicas = 1;
  std::vector<Enum> enums;
  std::vector<Variable> vars;
  std::vector<Lock> locks;
  std::vector<Param> params;
  std::vector<Process> processes;
  std::vector<Instance> instances;
  std::vector<Expr> exprs;
  std::vector<Statement> statements;
  std::vector<Property> properties;
  std::vector<Table> tables;
  std::vector<SqlStatement> sql;
  std::vector<Transaction> transactions;
  std::vector<RedisDecl> redis;
  std::vector<RedisOp> redis_ops;
  std::vector<RedisBlock> redis_blocks;
  std::vector<CrashPoint> crashes;
  bool allow_deadlock = false;
  bool allow_failure = false;
  // Time (docs/semantics.md, "Time"): a model with a takes block is timed. Its leases hold the
  // time they have left, and the environment lets time pass rather than expiring one at will.
  bool timed = false;
  // Timed: per instance, the slot of its open takes region (a hidden ghost): 0 when none is open,
  // else the time the region may still last + 1; -1 for an instance whose process has no takes.
  std::vector<int32_t> region_slots;
  // Timed: statement time_statement + d - 1 reads "time passes d ms", for d = 1..max_time_step.
  int32_t time_statement = -1;
  int32_t max_time_step = 0;
  // Replica crashes (docs/semantics.md, "Replica crashes"): the environment may crash a replica,
  // which restarts at once, at most replica_crash_bound times in a run (0: replicas never crash).
  // Slot replica_crash_slot (a hidden global after the locks) counts the crashes so far;
  // statement replica_crash_statement + r names the crash of replica r.
  int32_t replica_crash_bound = 0;
  int32_t replica_crash_slot = -1;
  int32_t replica_crash_statement = -1;
  Expectation expect;
  // First slot of replica_busy (one per replica), or -1 when the runtime needs none.
  int32_t replica_busy_slot = -1;
  int32_t slot_count = 0;
  std::vector<SlotInfo> slots;

  // One past the last slot of the instance's block [pc | locals | database block]: the blocks
  // come last, in instance order.
  int32_t BlockEnd(size_t instance) const {
    return instance + 1 < instances.size() ? instances[instance + 1].base_slot : slot_count;
  }
};

// Calls f(redis, element, key, slot) for each key the model may give a lease (its lease is at
// slot + 2), in one fixed order, so that expiries and time passing walk the same keys alike.
template <typename F>
void ForEachLeasableKey(const Program& program, F&& f) {
  for (size_t d = 0; d < program.redis.size(); ++d) {
    const RedisDecl& decl = program.redis[d];
    for (int32_t e = 0; e < decl.size; ++e) {
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        if (decl.keys[k].expire_statement < 0) continue;  // never given a lease (lists never are)
        f(static_cast<int32_t>(d), e, static_cast<int32_t>(k), decl.KeySlot(e, static_cast<int32_t>(k)));
      }
    }
  }
}

// What a report counts as checked: properties, asserts (one per assert instruction) and, unless
// allowed, deadlock freedom.
inline int CountProperties(const Program& program) {
  int count = static_cast<int>(program.properties.size()) + (program.allow_deadlock ? 0 : 1);
  for (const Process& process : program.processes) {
    for (const Instr& instr : process.code) count += instr.op == Op::kAssert;
  }
  return count;
}

}  // namespace racecheck::ir
