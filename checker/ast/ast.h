// The typed AST of a .cr model: what the parser builds and every later phase reads.
// Fields marked "set by X" are filled once by the named front-end pass, never by the parser.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checker/base/source.h"

namespace racecheck::ast {

using base::SourceRange;

// A value's type: an int, a bool, or a value of one of the model's enums (Model::enums); kNull is
// the literal `null`'s own type, which meets any other (every type may hold null).
enum class TypeKind { kUnknown, kInt, kBool, kEnum, kNull };
struct Type {
  TypeKind kind = TypeKind::kUnknown;
  int enum_index = -1;  // kEnum: into Model::enums

  static const Type kUnknown, kInt, kBool, kNull;
  static constexpr Type Enum(int index) { return {TypeKind::kEnum, index}; }
  bool operator==(const Type&) const = default;
};
inline constexpr Type Type::kUnknown{TypeKind::kUnknown, -1};
inline constexpr Type Type::kInt{TypeKind::kInt, -1};
inline constexpr Type Type::kBool{TypeKind::kBool, -1};
inline constexpr Type Type::kNull{TypeKind::kNull, -1};

// What a name refers to, as an index into the owning list (set by ResolveNames).
enum class RefKind { kNone, kConst, kParam, kVar, kLocal, kLock, kColumn, kRedisKey, kEnumValue, kFunction };
struct NameRef {
  RefKind kind = RefKind::kNone;
  int index = -1;  // into Model::consts/params/vars/locks/enums/functions, the locals of the process or fn
                   // (ProcessDecl::locals, FnDecl::locals), a table's columns or a keyspace's keys
  int value = -1;  // kEnumValue: the value's position in its enum, which is also the number it is stored as
};

struct Expr;
struct Stmt;
struct RedisCall;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

// ---------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------

// kMember: a committed table cell `accounts[1].balance` or a Redis key `redis.balance` (properties).
// kString: 'queued' in single quotes, SQL's way to write an enum value (the enum is the column's).
// kNull: the literal `null`; kIsNull: `x is null` (`x is not null` when bool_value is set);
// kCond: `if c then a else b`, operands [c, a, b].
// kAggregate (properties): `count(jobs where status == running)`, `exists(jobs where ...)`,
// `sum(stock.qty where ...)` over a table's committed rows; operands [where] or [].
// kExcluded: `excluded.email` in `on conflict (...) do update`: the column (name) of the row the
// insert proposed (ref: kColumn, set by ResolveNames).
enum class ExprKind { kInt, kBool, kNull, kString, kSelf, kName, kIndex, kMember, kCall, kUnary, kBinary, kCond,
                      kIsNull, kRedis, kAggregate, kExcluded };
enum class UnaryOp { kNeg, kNot };
enum class AggregateOp { kCount, kExists, kSum };
enum class BinaryOp { kMul, kDiv, kMod, kAdd, kSub, kLt, kLe, kGt, kGe, kEq, kNe, kSqlEq, kAnd, kOr };

struct Expr {
  Expr(SourceRange r, ExprKind k) : range(r), kind(k) {}

  SourceRange range;
  ExprKind kind;
  int64_t int_value = 0;      // kInt
  bool bool_value = false;    // kBool; kIsNull: `is not null`
  bool literal_too_large = false;  // kInt: the digits do not fit in 64 bits
  bool key_indexed = false;   // kMember: the last operand names a member of a key family (redis.hits[u])
  bool awaited = false;       // kRedis, kCall: written with `await` before it (event_loop only; no step)
  bool from_in_list = false;  // kBinary kEq: one comparison of `x in (a, b)`, which the builder writes as ==s
  std::string name;           // kName, kIndex (the array), kCall (the function), kMember (table or instance),
                              // kString (the text between the quotes), kAggregate (the table),
                              // kExcluded (the column)
  std::string member;         // kMember: the column or key; kAggregate: sum's column (empty for count, exists)
  AggregateOp aggregate = AggregateOp::kCount;  // kAggregate
  UnaryOp unary_op = UnaryOp::kNeg;
  BinaryOp binary_op = BinaryOp::kAdd;
  std::vector<ExprPtr> operands;  // kIndex: [index]; kMember: [row key or instance index] or [], then
                                  // [key index] when key_indexed;
                                  // kCall: arguments; kUnary: [x]; kBinary: [lhs, rhs]; kCond: [c, a, b]
  std::unique_ptr<RedisCall> redis;  // kRedis

  NameRef ref;                // set by ResolveNames (kName, kIndex, kExcluded; kMember, kAggregate: the table
                              // or Redis instance); kString: set by CheckTypes to the enum value it names
  int member_index = -1;      // set by ResolveNames (kMember: the column or key; kAggregate: sum's column).
                              // A kMember `jobs.status` with no row key inside the where of an aggregate
                              // over `jobs` is the column of the row looked at (ref kColumn, no operands)
  Type type = Type::kUnknown; // set by CheckTypes
  // kCall of a fn (ref kFunction) in a process: the process local its `return` writes, which is
  // the call's value (set by InlineFunctions).
  int call_result = -1;

  // kMember: the row key or instance index (accounts[1].balance, nodes[i].k); null when none.
  const Expr* OwnerIndex() const {
    return operands.size() > (key_indexed ? 1u : 0u) ? operands[0].get() : nullptr;
  }
  // kMember: the index of a key family's member (redis.hits[u]); null when none.
  const Expr* KeyIndex() const { return key_indexed ? operands.back().get() : nullptr; }
};

// ---------------------------------------------------------------------------
// Database and Redis operations
// ---------------------------------------------------------------------------

enum class SqlKind { kSelect, kUpdate, kInsert, kDelete };

struct SelectItem {
  SourceRange range;
  std::string name;       // column, or the aggregate's function: count, sum, min, max
  std::string argument;   // aggregate argument ("*" or a column); empty for a plain column
  bool aggregate = false;
  int column = -1;        // set by ResolveNames (plain column, or the column of count, sum, min, max)
};

// `order by created desc`: one key of a select's order.
struct OrderItem {
  SourceRange range;
  std::string column_name;
  bool descending = false;
  int column = -1;        // set by ResolveNames
};

// What a row lock does when another transaction holds the row: wait for it (PostgreSQL's
// default), skip the row (`skip locked`) or fail with 55P03 (`nowait`).
enum class LockWait { kWait, kSkipLocked, kNoWait };

struct SetItem {
  SourceRange range;
  std::string column_name;
  int column = -1;        // set by ResolveNames
  ExprPtr value;
};

struct Sql {
  SourceRange range;
  SqlKind kind = SqlKind::kSelect;
  std::string table_name;
  int table = -1;                  // set by ResolveNames
  std::vector<SelectItem> items;   // kSelect; kUpdate, kInsert, kDelete: the `returning` columns
  std::vector<OrderItem> order_by; // kSelect
  ExprPtr limit;                   // kSelect; may be null
  bool for_update = false;         // kSelect: `for update` or `for no key update`
  bool no_key = false;             // kSelect: `for no key update`
  bool share = false;              // kSelect: `for share` (for_update is set too: it takes row locks)
  LockWait lock_wait = LockWait::kWait;  // kSelect
  SourceRange lock_wait_range;     // kSelect: `skip locked` or `nowait`, when given
  std::vector<SetItem> sets;       // kUpdate; kInsert with `on conflict (...) do update set ...`
  std::vector<std::string> insert_columns;  // kInsert (empty: all, in table order)
  std::vector<int> insert_column_indices;   // set by ResolveNames
  std::vector<ExprPtr> values;     // kInsert
  bool on_conflict_do_nothing = false;       // kInsert: `on conflict (...) do nothing`
  bool on_conflict_do_update = false;        // kInsert: `on conflict (cols) do update set ... [where ...]`
  SourceRange conflict_range;
  std::vector<std::string> conflict_columns;  // its target; empty: any unique constraint
  std::vector<int> conflict_column_indices;   // set by ResolveNames
  ExprPtr where;                   // may be null; kInsert: the do update's where, over the conflicting row
};

struct CallArg {
  SourceRange range;
  std::string option;   // "PX" in PX = 30; empty for a positional argument
  ExprPtr value;
};

// SET's bare-word options: `redis.SET(k, v, NX, GET)`. Any other bare word is a key or a name.
inline bool IsRedisSetFlag(const std::string& word) {
  return word == "NX" || word == "XX" || word == "GET" || word == "KEEPTTL";
}

// Every bare word a Redis command takes as a flag: SET's options and LMOVE's LEFT and RIGHT.
inline bool IsRedisFlag(const std::string& word) {
  return IsRedisSetFlag(word) || word == "LEFT" || word == "RIGHT";
}

// `redis.DECRBY(balance, 80)`, `nodes[i].SET(lock, self, NX, PX = 30)`, `redis.eval { ... }`.
struct RedisCall {
  SourceRange range;
  std::string instance_name;
  ExprPtr instance_index;       // nodes[i]; null for a single instance
  std::string command;          // upper-cased: GET, SET, ..., or EVAL/MULTI for blocks
  std::vector<CallArg> args;
  bool is_block = false;
  Block body;                   // eval/multi blocks
  int instance = -1;            // set by ResolveNames: index into Model::redis
};

// ---------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------

enum class StmtKind {
  kLet, kLetTuple, kAssign, kIf, kWhile, kRetry, kFor, kBreak, kContinue, kAtomic, kLock,
  kAcquire, kRelease, kAwait, kAssert, kAssume, kChoose, kSkip, kTransaction, kRollback,
  kSql, kRedis, kCall, kReturn,
  kMayCrash,  // `may crash`: the instance may die here (docs/semantics.md, "Crashes")
  kTakes,     // `takes lo..hi { body }`: the body's steps take lo..hi ms together (value, value2)
  kPause,     // `pause lo..hi`: inside a takes block, up to hi ms more may pass here (value, value2)
};
// The largest time a model may name, in ms (takes and pause bounds, a lease's time to live):
// every value is a state of its own, so times stay small.
inline constexpr int64_t kMaxTime = 1000;

enum class AssignOp { kSet, kAdd, kSub, kMul };
enum class FailureKind { kNone, kRetry, kBlock };

struct LockRef {
  SourceRange range;
  std::string name;
  ExprPtr index;   // null for a single lock
  int lock = -1;   // set by ResolveNames
};

// A call a statement was inlined from: `line 12 in acquire, called from line 30`.
struct CallSite {
  std::string function;
  int line = 0;  // the line of the call
};

struct Stmt {
  Stmt(SourceRange r, StmtKind k) : range(r), kind(k) {}

  SourceRange range;
  StmtKind kind;
  std::vector<std::string> names;    // kLet, kLetTuple, kChoose: the locals introduced; kFor: the row
  std::vector<SourceRange> name_ranges;
  // Set by ResolveNames: ProcessDecl::locals indices of `names`; kFor: the row's local (which
  // counts the rows), then one local per select item, named "r.column".
  std::vector<int> locals;
  std::string target_name;           // kAssign
  ExprPtr target_index;              // kAssign to an element
  NameRef target;                    // set by ResolveNames
  AssignOp assign_op = AssignOp::kSet;
  ExprPtr value;     // kLet/kAssign rhs, condition (kIf/kWhile/kAssert/kAssume), count (kRetry), lower bound (kChoose),
                     // the call (kCall: a kCall expr), the value returned (kReturn; null for a bare `return`)
  ExprPtr value2;    // kChoose upper bound; kTransaction/kSql with `on failure retry at most K`: K
  std::unique_ptr<Sql> sql;          // kLet/kLetTuple/kAssign rhs, kSql, or kFor's select
  std::unique_ptr<RedisCall> redis;  // kRedis
  Block body;        // kIf then, kWhile, kRetry, kFor, kAtomic, kLock, kTransaction
  Block else_body;   // kIf else (an else-if is one kIf inside), kRetry exhausted, kTransaction/kSql on failure
  bool has_else = false;
  LockRef lock;      // kLock, kAcquire, kRelease
  std::string message;               // kAssert
  std::string isolation;             // kTransaction: read_committed (default), repeatable_read, serializable
  SourceRange isolation_range;
  // kTransaction, and kSql outside a transaction (its own transaction): what a failure does.
  FailureKind failure = FailureKind::kNone;
  SourceRange failure_range;        // `on failure ...`
  // The names in `on failure(...)`: failures to handle, or the one local naming the failure.
  std::vector<std::string> failure_names;
  std::vector<SourceRange> failure_name_ranges;
  std::vector<int> failure_filter;  // set by ResolveNames: the failures handled (values of the failure
                                    // enum); empty: every failure
  int failure_local = -1;           // set by ResolveNames: ProcessDecl::locals index of `e` in
                                    // `on failure(e) { ... }`, -1 when none
  // `await` written before the call (kSql, kRedis, kCall) or the right-hand side (kLet, kAssign):
  // allowed under event_loop only, and no step of its own (the call is already one).
  bool awaited = false;
  // Set by InlineFunctions, in processes only. A statement that calls a fn (kCall, or kLet/kAssign
  // whose value is the call) runs `inlined` first: one `let` per parameter (ranged as the call),
  // then a copy of the fn's body whose locals are the process's own (ProcessDecl::locals).
  Block inlined;
  // kReturn inside an inlined body: the local receiving the value (-1: none); a kReturn in the
  // process's own code ends the instance.
  int return_local = -1;
  // Statements copied from fns: the calls they came from, innermost first; empty in the
  // process's own code and in FnDecl bodies.
  std::vector<CallSite> called_from;
};

// Every Redis block used as a value in an expression (`let done = redis.multi { ... }`).
template <typename ExprT, typename Visit>
void ForEachValueBlock(ExprT& e, Visit visit) {
  if (e.kind == ExprKind::kRedis && e.redis && e.redis->is_block) visit(e.redis->body);
  for (auto& operand : e.operands) ForEachValueBlock(*operand, visit);
}

// Every block a statement holds directly (not its inlined copy of a fn): its bodies, a Redis
// block statement's body, and a Redis block used as its value.
template <typename StmtT, typename Visit>
void ForEachBlock(StmtT& s, Visit visit) {
  visit(s.body);
  visit(s.else_body);
  if (s.redis) visit(s.redis->body);
  for (auto* e : {s.value.get(), s.value2.get()}) {
    if (e) ForEachValueBlock(*e, visit);
  }
}

// ---------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------

// `[N]` (indices 0..N-1) or `[lo..hi]`; folded by FoldConstants.
struct Shape {
  SourceRange range;
  ExprPtr first;    // N, or lo
  ExprPtr second;   // hi; null for [N]
  int64_t index_lo = 0;  // set by FoldConstants
  int64_t size = 1;      // set by FoldConstants
};

struct ConstDecl {
  SourceRange range;
  std::string name;
  ExprPtr value;
  bool overridden = false;  // by --set NAME=VALUE
  int64_t folded = 0;       // set by FoldConstants
  Type type = Type::kInt;   // set by FoldConstants
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct ParamDecl {
  SourceRange range;
  std::string name;
  ExprPtr lo;
  ExprPtr hi;
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct VarDecl {
  SourceRange range;
  std::string name;
  bool ghost = false;
  std::unique_ptr<Shape> shape;   // null for a scalar
  std::vector<ExprPtr> init;      // one value (fills every element) or a {list}
  bool init_is_list = false;
  Type type = Type::kUnknown;     // set by CheckTypes
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct LockDecl {
  SourceRange range;
  std::string name;
  std::unique_ptr<Shape> shape;
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct Column {
  SourceRange range;
  std::string name;
  bool is_key = false;
  bool is_unique = false;     // `email unique`
  bool nullable = false;      // declared `null`: may hold NULL; other columns refuse it (23502)
  std::string type_name;      // `status Status`: the enum; empty for a column of ints
  SourceRange type_range;
  Type type = Type::kInt;     // set by ResolveNames from type_name
};

// `unique (org, email)`: no two rows hold the same values in these columns.
struct UniqueConstraint {
  SourceRange range;
  std::vector<std::string> column_names;
  std::vector<int> columns;   // set by ResolveNames
};

struct TableDecl {
  SourceRange range;
  std::string name;
  std::vector<Column> columns;
  std::vector<UniqueConstraint> uniques;  // table-level `unique (...)`, in source order
  std::vector<ExprPtr> checks;            // `check (balance >= 0)`: over the row's columns
  ExprPtr room;                           // `rows 8`: room for at most 8 rows; null: racecheck counts
  std::vector<std::vector<ExprPtr>> rows;
  std::vector<SourceRange> row_ranges;
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct RedisKey {
  SourceRange range;
  std::string name;
  // `hits[USERS] = 0`: a key family, one key per index (indices as an array's), each starting as
  // declared; null for a single key.
  std::unique_ptr<Shape> shape;
  ExprPtr initial;  // null: the key starts absent
  // `jobs: list(4) = [1, 2]`: kind "list", its bound and initial elements (none: it starts absent).
  std::string kind;
  SourceRange kind_range;
  ExprPtr bound;
  // `cart: hash(3) = {1: 2}` and `seen: set(4) = [1, 2]` likewise: kind "hash" or "set"; a hash's
  // fields are its `elements`, their values `values`.
  bool has_elements = false;  // `= [...]` or `= {...}` was written
  bool has_fields = false;    // `= {...}` was written
  std::vector<ExprPtr> elements;
  std::vector<ExprPtr> values;
  bool IsList() const { return kind == "list"; }
  bool IsHash() const { return kind == "hash"; }
  bool IsSet() const { return kind == "set"; }
  // A list, hash or set: a bounded collection, never a lease.
  bool IsCollection() const { return IsList() || IsHash() || IsSet(); }
  // `state: Phase`, `queue: list(4) of Phase`: the enum its values (a list's elements, a set's
  // members, a hash's fields) belong to, named; empty when the initial value says (or ints).
  std::string type_name;
  SourceRange type_range;
  std::string of_word;  // the word between a collection's bound and its type: must be "of"
  SourceRange of_range;
  Type declared = Type::kUnknown;  // set by ResolveNames from type_name
  Type type = Type::kInt;  // set by CheckTypes: the declared enum, or an enum when the initial value is one of its values
};

// `enum Status { queued, running, done }`: named values, stored as 0, 1, 2 in declaration order.
struct EnumValue {
  SourceRange range;
  std::string name;
};

struct EnumDecl {
  SourceRange range;
  std::string name;
  std::vector<EnumValue> values;
  bool builtin = false;  // the failure enum, added by ResolveNames; never printed
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

// The built-in enum of database failures, whose values `on failure(e)` compares with: its name
// (a keyword, so no user enum can take it) and its values, in the order they are stored.
inline constexpr const char* kFailureEnumName = "failure";
const std::vector<std::string>& FailureNames();

struct RedisDecl {
  SourceRange range;
  std::string name;                // "redis" when unnamed
  std::unique_ptr<Shape> shape;    // several instances: redis nodes[5] { ... }
  std::vector<RedisKey> keys;
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

struct ProcessParam {
  SourceRange range;
  std::string name;
  bool is_range = false;
  ExprPtr value;   // default (may use self)
  ExprPtr lo;
  ExprPtr hi;
  int local = -1;  // set by ResolveNames
};

// A local variable of a process: a parameter, a `let`, a tuple element or a `choose`.
struct LocalDecl {
  SourceRange range;
  std::string name;
  Type type = Type::kUnknown;  // set by CheckTypes
};

struct ProcessDecl {
  SourceRange range;
  std::string name;
  ExprPtr count;      // null: one instance
  std::vector<ProcessParam> params;
  ExprPtr replica;    // `on replica e`; null: spread round-robin
  // `may crash`: the environment may stop an instance between any two of its steps.
  bool may_crash = false;
  SourceRange may_crash_range;
  // `on crash retry at most K`: the client sends a crashed request again, at most K times; null: never.
  ExprPtr crash_retries;
  Block body;
  std::vector<LocalDecl> locals;  // set by ResolveNames, params first
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

// `fn acquire(key, token) { ... return ok }`: code several processes share, inlined at each call
// by InlineFunctions (the parameters become `let`s of the caller's copy).
struct FnDecl {
  SourceRange range;
  std::string name;
  std::vector<std::string> params;
  std::vector<SourceRange> param_ranges;
  Block body;
  std::vector<LocalDecl> locals;  // set by ResolveNames, params first; the types stay unknown (each
                                  // inlined copy is typed where it is called)
  bool returns_value = false;     // set by ResolveNames: some `return` gives a value
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

enum class PropertyKind { kInvariant, kFinal, kCover };

struct PropertyDecl {
  SourceRange range;
  PropertyKind kind = PropertyKind::kInvariant;
  std::string name;
  ExprPtr expr;
  SourceRange name_range{};  // the name alone: errors about the name point at it
};

enum class RuntimeKind { kThreads, kEventLoop };

struct RuntimeDecl {
  SourceRange range;
  RuntimeKind kind = RuntimeKind::kThreads;
  ExprPtr replicas;   // null: 1
  bool declared = false;
};

// `replica may crash [at most K]`: the environment may crash a replica (and it restarts at once),
// at most K times in a run (docs/semantics.md, "Replica crashes").
struct ReplicaCrashDecl {
  SourceRange range;
  bool declared = false;
  ExprPtr bound;  // null: 1
};

enum class ExpectKind { kNone, kSafe, kDeadlock, kViolation, kFailure, kError };

struct ExpectDecl {
  SourceRange range;
  ExpectKind kind = ExpectKind::kNone;
  std::vector<std::string> names;
  std::vector<SourceRange> name_ranges;
};

struct AllowDecl {
  SourceRange range;
  std::string what;  // deadlock, failure
};

struct Model {
  SourceRange range;
  std::string name;
  RuntimeDecl runtime;
  ReplicaCrashDecl replica_crash;
  std::vector<ConstDecl> consts;
  std::vector<ParamDecl> params;
  std::vector<VarDecl> vars;
  std::vector<LockDecl> locks;
  std::vector<EnumDecl> enums;
  std::vector<TableDecl> tables;
  std::vector<RedisDecl> redis;
  std::vector<ProcessDecl> processes;
  std::vector<FnDecl> functions;
  std::vector<PropertyDecl> properties;
  std::vector<AllowDecl> allows;
  ExpectDecl expect;
  bool allow_deadlock = false;  // set by ResolveNames from allows
  bool allow_failure = false;   // set by ResolveNames from allows
  // Where `await` stands before a command or call inside an expression (Expr::awaited), for
  // CheckStructure's refusal under runtime threads.
  std::vector<base::SourceLocation> awaited_expressions;
};

const char* BinaryOpText(BinaryOp op);
const char* AggregateOpText(AggregateOp op);
const char* AssignOpText(AssignOp op);

}  // namespace racecheck::ast
