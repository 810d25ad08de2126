// The compiler from the checked AST to ir::Program, shared by the files that lower one domain
// each: layout (state slots), statements (memory, locks, control), SQL, Redis, expressions.
// Internal to checker/ir: the public door is lower.h.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checker/ast/ast.h"
#include "checker/ast/printer.h"
#include "checker/base/diagnostics.h"
#include "checker/ir/row_by_row.h"
#include "checker/base/source.h"
#include "checker/ir/ops.h"
#include "checker/ir/program.h"

namespace racecheck::ir::lowering {


using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

// The statement's own text for traces: from its first column to its end on that line (a
// statement spanning lines, like an `if`, shows its first line).
inline std::string StatementText(const base::SourceFile& file, base::SourceRange range) {
  std::string_view line = file.Line(range.begin.line);
  size_t begin = base::ByteOffsetOfColumn(line, range.begin.column);
  size_t end = range.end.line == range.begin.line ? base::ByteOffsetOfColumn(line, range.end.column) : line.size();
  std::string_view text = line.substr(begin, end > begin ? end - begin : 0);
  size_t comment = text.find("//");
  if (comment != std::string_view::npos) text = text.substr(0, comment);
  size_t last = text.find_last_not_of(" \t\r");
  return std::string(last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1));
}

inline Instr MakeInstr(Op op, int32_t dst = -1, int32_t var = -1, int32_t index = -1, int32_t expr = -1,
                int32_t expr2 = -1, int32_t target = -1) {
  Instr instr;
  instr.op = op;
  instr.dst = dst;
  instr.var = var;
  instr.index = index;
  instr.expr = expr;
  instr.expr2 = expr2;
  instr.target = target;
  return instr;
}

inline Expr MakeExpr(ExprOp op, Value value = 0, int32_t index = -1, int32_t var = -1, int32_t a = -1, int32_t b = -1) {
  return Expr{op, value, index, var, a, b};
}

// What an expression is compiled for: process code (shared reads become steps), a ghost
// update (ghosts are read directly), or a property (everything is read directly).
enum class ExprContext { kProcess, kGhostUpdate, kProperty };

class Lowerer {
 public:
  Lowerer(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags)
      : model_(model), file_(file), diags_(diags) {}

  std::optional<Program> Run() {
    program_.name = model_.name;
    program_.file = file_.path();
    program_.runtime = model_.runtime.kind == ast::RuntimeKind::kThreads ? Runtime::kThreads : Runtime::kEventLoop;
    program_.replicas = model_.runtime.replicas ? static_cast<int32_t>(model_.runtime.replicas->int_value) : 1;
    program_.allow_deadlock = model_.allow_deadlock;
    program_.allow_failure = model_.allow_failure;
    for (const ast::EnumDecl& decl : model_.enums) {
      Enum lowered{decl.name, {}};
      for (const ast::EnumValue& value : decl.values) lowered.values.push_back(value.name);
      program_.enums.push_back(std::move(lowered));
    }
    LayOutGlobals();
    for (size_t p = 0; p < model_.processes.size(); ++p) needs_.push_back(CollectNeeds(model_.processes[p].body));
    LayOutTables();
    LayOutRedis();
    LayOutRegions();
    for (size_t p = 0; p < model_.processes.size(); ++p) LowerProcess(static_cast<int>(p));
    LayOutInstances();
    RegionSlots();
    CheckSerializableLimit();
    MarkRowByRow(program_);
    for (const ast::PropertyDecl& property : model_.properties) LowerProperty(property);
    WarnPropertiesOnUnwrittenVariables();
    LowerExpectation();
    if (diags_.has_errors()) return std::nullopt;
    return std::move(program_);
  }

 private:
  // ---- values -------------------------------------------------------------------

  // Program::enums are Model::enums, in the same order.
  static ValueType TypeOf(ast::Type type) {
    switch (type.kind) {
      case ast::TypeKind::kBool: return ValueType::Bool();
      case ast::TypeKind::kEnum: return ValueType::Enum(type.enum_index);
      case ast::TypeKind::kInt:
      case ast::TypeKind::kNull:
      case ast::TypeKind::kUnknown:
        break;
    }
    return ValueType::Int();
  }

  // A value known before the model runs (a folded literal or an enum value); nullopt otherwise.
  static std::optional<Value> ConstantValue(const ast::Expr& e) {
    if (e.kind == ExprKind::kInt) return static_cast<Value>(e.int_value);
    if (e.kind == ExprKind::kBool) return Value{e.bool_value};
    if (e.kind == ExprKind::kNull) return kNull;
    if (e.ref.kind == RefKind::kEnumValue && (e.kind == ExprKind::kName || e.kind == ExprKind::kString)) {
      return static_cast<Value>(e.ref.value);
    }
    return std::nullopt;
  }

  // ---- layout -----------------------------------------------------------------

  int32_t AddSlot(SlotInfo info) {
    program_.slots.push_back(std::move(info));
    return program_.slot_count++;
  }

  static std::string ElementName(const std::string& name, bool is_array, int32_t index) {
    return is_array ? fmt::format("{}[{}]", name, index) : name;
  }

  std::string CopyPrefix(int32_t copies, int32_t copy) const {
    return copies > 1 ? fmt::format("replica{}.", copy) : "";
  }

  void LayOutGlobals();

  void LayOutVariable(const ast::VarDecl& decl, int ast_index);

  void LayOutInstances();

  // `on replica e`: e may use self and constants only, evaluated here once per instance.
  int32_t ReplicaOf(const ast::Expr& e, int32_t self);

  static std::optional<int64_t> EvaluateWithSelf(const ast::Expr& e, int64_t self);

  // ---- database and Redis layout ------------------------------------------------

  // What one process's code uses of the database and Redis, to size its block.
  struct Needs {
    std::set<int> tables;           // tables its SQL touches
    std::set<int> snapshot_tables;  // ... inside repeatable_read or serializable transactions
    std::map<int, int> inserts;     // insert statements per table
    std::set<int> watched;          // Redis declarations it WATCHes
    std::set<int> ttl_keys;         // (declaration << 16 | key) it may SET with a time to live
    bool sql = false;               // it runs SQL or has a transaction block
    bool serializable = false;
  };

  static std::string IsolationOf(const ast::Stmt& s) { return s.isolation.empty() ? "read_committed" : s.isolation; }

  Needs CollectNeeds(const ast::Block& body);

  void CollectBlock(const ast::Block& block, const std::string& isolation, Needs& needs) {
    for (const ast::StmtPtr& s : block) CollectStmt(*s, isolation, needs);
  }

  void CollectStmt(const ast::Stmt& s, const std::string& isolation, Needs& needs);

  void CollectSql(const ast::Sql& sql, const std::string& isolation, Needs& needs);

  void CollectRedis(const ast::RedisCall& call, const std::string& isolation, Needs& needs);

  void CollectExpr(const ast::Expr& e, const std::string& isolation, Needs& needs) {
    if (e.kind == ExprKind::kRedis) CollectRedis(*e.redis, isolation, needs);
    for (const ast::ExprPtr& operand : e.operands) CollectExpr(*operand, isolation, needs);
  }

  void LayOutTables();
  void LowerConstraints(const ast::TableDecl& decl, Table& table);
  static std::string ColumnList(const Table& table, const std::vector<int32_t>& columns);

  void LayOutRedis();

  // The database and Redis block of one instance, after its locals (ProcessDb).
  void LayOutInstanceDb(const Needs& needs, const std::string& owner, int32_t index, int32_t base);

  // Offsets of the block LayOutInstanceDb lays out, the same for every instance of a process.
  ProcessDb DbOffsets(const Process& process, const Needs& needs) const;

  void CheckSerializableLimit();

  // ---- processes ----------------------------------------------------------------

  struct Loop {
    std::vector<size_t> breaks;     // jumps to patch to the loop's exit
    std::vector<size_t> continues;  // jumps to patch to the loop's next iteration
  };

  void LowerProcess(int p);

  size_t Emit(Instr instr);

  int32_t Here() const { return static_cast<int32_t>(process_->code.size()); }

  int32_t AddExpr(Expr e) {
    e.sql = lowering_sql_;
    program_.exprs.push_back(e);
    return static_cast<int32_t>(program_.exprs.size() - 1);
  }

  int32_t Const(Value v) { return AddExpr(MakeExpr(ExprOp::kConst, v)); }
  int32_t LocalRef(int32_t local) { return AddExpr(MakeExpr(ExprOp::kLocal, 0, local)); }
  int32_t Binary(ExprOp op, int32_t a, int32_t b) { return AddExpr(MakeExpr(op, 0, -1, -1, a, b)); }

  // A fresh hidden local that holds one shared read until its statement is done.
  int32_t NewTemp(const std::string& holds, ValueType type = ValueType::Int());

  void BeginStatement(const ast::Stmt& s);

  // Temporaries hold a value only within their statement; clearing them keeps states
  // that differ only in stale temporaries from multiplying the state space.
  void ClearTemps(const std::vector<int32_t>& temps) {
    for (int32_t t : temps) Emit(MakeInstr(Op::kLet, t, -1, -1, Const(0)));
  }

  void LowerBlock(const ast::Block& block) {
    for (const ast::StmtPtr& s : block) LowerStmt(*s);
  }

  void LowerStmt(const ast::Stmt& s);

  void Restore(int32_t statement, std::vector<int32_t>& temps) {
    current_statement_ = statement;
    temps_ = std::move(temps);
  }

  std::pair<int32_t, int32_t> LowerLockRef(const ast::LockRef& ref) {
    int32_t index = ref.index ? LowerExpr(*ref.index, ExprContext::kProcess) : -1;
    return {static_cast<int32_t>(ref.lock), index};
  }

  // `let b = balance` reads straight into b: one step, no temporary.
  bool IsPlainSharedRead(const ast::Expr& e) const {
    return (e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) && e.ref.kind == RefKind::kVar &&
           !model_.vars[e.ref.index].ghost;
  }

  void LowerLet(const ast::Stmt& s);
  // A value into a local, as `let` does: a Redis command or a plain shared read straight into it.
  void LowerValueInto(const ast::Expr& value, int32_t local);
  // A fn's copy (Stmt::inlined), its returns jumping to its end.
  void LowerInlined(const ast::Block& inlined);
  void LowerReturn(const ast::Stmt& s);

  void EmitRead(const ast::Expr& e, int32_t dst) {
    int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], ExprContext::kProcess) : -1;
    Emit(MakeInstr(Op::kRead, dst, var_index_.at(e.ref.index), index));
  }

  static ExprOp CompoundOp(ast::AssignOp op);

  // What an assignment to shared memory reads of its target: the element's index, and the old
  // value of `x += e` (-1 where none, and for a ghost, whose compound update reads it as it writes).
  struct TargetReads {
    int32_t index = -1;
    int32_t old = -1;
  };
  TargetReads ReadTarget(const ast::Stmt& s);
  void LowerAssign(const ast::Stmt& s, const TargetReads& target);

  void PatchTo(size_t instr, int32_t target) { process_->code[instr].target = target; }

  void LowerIf(const ast::Stmt& s);

  void LowerWhile(const ast::Stmt& s);

  // for r in select ... { body }: the select runs once into a bounded array of hidden locals,
  // then the body runs for each row in order (docs/semantics.md, "From statements to steps").
  void LowerFor(const ast::Stmt& s);

  // retry at most K { body } else { exhausted }: the body runs at most K times; `continue`
  // starts the next attempt, `break` or the body's end leaves; the K-th `continue` runs else.
  void LowerRetry(const ast::Stmt& s);

  // ---- database -------------------------------------------------------------------

  static Instr MakeCall(Op op, int32_t call, int32_t dst = -1);

  // Whether an expression can be evaluated again without a step: no shared reads, no Redis.
  static bool IsPure(const ast::Expr& e);

  static bool IsColumn(const ast::Expr& e, int column) {
    return e.kind == ExprKind::kName && e.ref.kind == RefKind::kColumn && e.ref.index == column;
  }

  static void CollectColumns(const ast::Expr& e, std::set<int32_t>& columns) {
    if (e.kind == ExprKind::kName && e.ref.kind == RefKind::kColumn) columns.insert(e.ref.index);
    for (const ast::ExprPtr& operand : e.operands) CollectColumns(*operand, columns);
  }

  // `key = e` among the top-level conjuncts of a where clause, with e pure.
  const ast::Expr* KeyOperand(const ast::Expr& where, int key_column);

  // `many_rows`: a for loop's select, whose results hold every row found (SqlStatement::many_rows).
  void LowerSql(const ast::Sql& sql, std::vector<int32_t> results, bool many_rows = false);
  void LowerOrder(const ast::Sql& sql, SqlStatement& st);
  void LowerInsertValues(const ast::Sql& sql, SqlStatement& st);

  // The line of the '}' that closes the first block opened at or after `begin` (skipping
  // comments and strings): where a transaction commits.
  int ClosingBraceLine(base::SourceLocation begin) const;

  // transaction { body } [on failure ...]:
  //   [attempt = 0; top: attempt += 1]  kTxBegin  body  kTxCommit  jump exit
  //   failed: the failure handler (LowerFailureHandler)
  //   exit: [attempt = 0]
  // Every statement of the body and the commit go to `failed` when the transaction fails.
  void LowerTransaction(const ast::Stmt& s);
  // An autocommit statement with `on failure ...`.
  void LowerHandledSql(const ast::Stmt& s);

  // The loop of `on failure ... retry at most K` (attempt -1 when the handler does not retry).
  struct FailureLoop {
    int32_t attempt = -1;
    int32_t limit = 1;
    int32_t top = -1;
  };
  FailureLoop BeginFailureLoop(const ast::Stmt& s);
  void EndFailureLoop(const FailureLoop& loop);
  // The code at a failure label; `failing` are the instructions that jump there, `txn` the
  // transaction (-1: an autocommit statement).
  void LowerFailureHandler(const ast::Stmt& s, const FailureLoop& loop, const std::vector<size_t>& failing,
                           int32_t txn);
  // The type of a local holding a failure's name: the failure enum, added by ResolveNames.
  ValueType FailureType() const {
    for (size_t i = 0; i < model_.enums.size(); ++i) {
      if (model_.enums[i].builtin) return ValueType::Enum(static_cast<int32_t>(i));
    }
    return ValueType::Int();
  }

  // ---- Redis ----------------------------------------------------------------------

  static std::string RedisKeyName(const ast::RedisCall& call);
  static std::string RedisCallName(const ast::RedisCall& call);
  // A key argument `lease` or `hits[u]` (a member of a key family): its first RedisDecl::keys
  // index, and into *index the member's index expr (-1 for a single key).
  int32_t RedisKeyOf(int32_t redis, const ast::Expr& key, ExprContext context, int32_t* index);

  static RedisCommand CommandOf(const std::string& command);

  // A command (one visible kRedis) or an eval/multi block; the result, if any, into local `dst`.
  void LowerRedis(const ast::RedisCall& call, int32_t dst);

  // `accounts[1].balance` or `redis.balance` in a property.
  int32_t LowerMember(const ast::Expr& e);
  int32_t LowerListFunction(const ast::Expr& e);
  // `count(t where ...)`, `exists(t where ...)` or `sum(t.c where ...)` in a property.
  int32_t LowerAggregate(const ast::Expr& e);

  // ---- expressions --------------------------------------------------------------

  static ExprOp BinaryOpOf(ast::BinaryOp op);

  // In process code every shared read is emitted as its own kRead into a temporary, left
  // to right, before the expression that uses it: each one is a step.
  int32_t LowerExpr(const ast::Expr& e, ExprContext context);
  // `a and b`, `a or b` and `coalesce(a, b, ...)` whose later operands hold a Redis command or a
  // shared read:
  // each is computed into a temporary, and a branch skips the rest once the value is known, so
  // the command runs only when needed, as in JavaScript and Python.
  enum class ShortCircuit { kAnd, kOr, kCoalesce };
  int32_t LowerShortCircuit(const std::vector<const ast::Expr*>& operands, ShortCircuit kind, const std::string& text,
                            ExprContext context);
  static bool RunsStep(const ast::Expr& e);
  int32_t LowerCond(const ast::Expr& e, ExprContext context);
  // Whether lowering an expression here emits instructions (process code, not SQL or properties).
  bool Emits(ExprContext context) const { return context != ExprContext::kProperty && !lowering_sql_; }
  // An expression of a SQL statement (where, set, values): its nodes follow SQL's NULL rule
  // (Expr::sql). Its shared reads, emitted before the statement, are process code.
  int32_t LowerSqlExpr(const ast::Expr& e) {
    lowering_sql_ = true;
    int32_t expr = LowerExpr(e, ExprContext::kProcess);
    lowering_sql_ = false;
    return expr;
  }

  int32_t LowerName(const ast::Expr& e, ExprContext context);

  // ---- properties and expectation -----------------------------------------------

  void LowerProperty(const ast::PropertyDecl& decl);

  void LowerExpectation();

  const ast::Model& model_;
  const base::SourceFile& file_;
  base::DiagnosticEngine& diags_;
  Program program_;
  std::map<int, int32_t> var_index_;  // ast var index -> ir var index
  std::vector<std::set<size_t>> hidden_local_;  // per process: locals that are temporaries
  Process* process_ = nullptr;
  int32_t current_statement_ = -1;
  std::vector<int32_t> temps_;
  // Set while a SQL statement's expressions are lowered: the nodes made then follow SQL's NULL rule.
  bool lowering_sql_ = false;
  // While a do update's clauses are lowered: per column, the expr of the value the insert proposes
  // (`excluded.column`).
  std::vector<int32_t> excluded_;
  std::vector<Loop> loops_;
  // The fn calls being lowered, innermost last: the jumps of their `return`s, to their end.
  std::vector<std::vector<size_t>> call_returns_;
  // The jumps of `return`s in the process's own code, to its kEnd.
  std::vector<size_t> process_returns_;
  std::set<int32_t> mentioned_;
  std::vector<ShownValue> shown_;
  std::vector<Needs> needs_;  // per process
  // The transaction being lowered: its index, the instructions that jump to its failure label
  // and those that leave it (rollback).
  // A `lock` block open inside the transaction being lowered: leaving the transaction early
  // (a failure, a rollback) releases it, as `defer mu.Unlock()` or `finally` would.
  struct HeldLock {
    int32_t lock = -1;
    int32_t index = -1;      // expr: the element, -1 for a scalar lock
    int32_t statement = -1;  // the `lock` statement, for traces
  };
  // An instruction that leaves the transaction early, with the lock blocks open at it.
  struct EarlyExit {
    size_t instr = 0;
    std::vector<HeldLock> held;
  };
  struct TxnContext {
    int32_t index = -1;
    std::vector<EarlyExit> failures;
    std::vector<EarlyExit> exits;
    std::vector<HeldLock> held;  // lock blocks open where lowering is now, outermost first
  };
  // Emits, for each early exit from inside lock blocks, the releases of those locks; returns
  // the jumps (the exit itself, or the jump after its releases) to point where the exit goes.
  std::vector<size_t> EmitReleases(const std::vector<EarlyExit>& exits);

  TxnContext* txn_ = nullptr;
  int redis_block_ = -1;
  // Per Redis declaration and declared key: its RedisDecl::keys index (a family's first member).
  std::vector<std::vector<int32_t>> redis_key_first_;

  // ---- crashes (docs/semantics.md, "Crashes") -------------------------------------
  // Before an instruction where a step of a `may crash` process can start, and at a `may crash`
  // statement: a hidden choice to crash here, and the kCrash that does it.
  // `at_end`: after the last step, the reply lost (the statement names the process's end).
  // `after_call`: the point where an event-loop task resumes after a call's answer.
  void EmitCrashPoint(const ast::ProcessDecl* at_end = nullptr, bool after_call = false);
  // Whether a `may crash` process may also die just before `instr`, a ghost update.
  bool RecordsWork(const Instr& instr) const;
  // After the process's kEnd: where every kCrash goes on, to restart (`on crash retry`) or end.
  void EmitCrashTail(const ast::ProcessDecl& decl);
  // Whether a step may start at `op`, so that a `may crash` process gets a crash point before it.
  bool StartsStep(Op op) const;
  // A ghost written twice with no step between the writes: a property never sees the value in
  // between (lower_warnings.cpp).
  void WarnGhostWrittenTwiceInOneStep(const Process& process);
  // A property reading a shared or ghost variable that no request writes (after the properties).
  void WarnPropertiesOnUnwrittenVariables();
  bool crash_anywhere_ = false;   // the process being lowered says `may crash`
  bool crash_suppressed_ = false; // emitting a crash point or a failure path's lock releases
  int block_depth_ = 0;           // atomic and Redis blocks open: no crash inside them
  int32_t crash_choice_ = -1;     // the hidden local of the choice to crash
  std::vector<CrashPoint::HeldLock> lock_blocks_;  // `lock { }` blocks open, outermost first
  std::vector<size_t> crash_jumps_;  // each kCrash's jump to the tail

  // ---- time (docs/semantics.md, "Time"; lower_time.cpp) ----------------------------
  // Per process with a takes block: a hidden ghost array, one element per instance (Program::timed).
  void LayOutRegions();
  // After the instances: Program::region_slots and the "time passes d ms" statements.
  void RegionSlots();
  // The running instance's region slot = value_expr.
  void EmitRegion(int32_t value_expr);
  void LowerTakes(const ast::Stmt& s);
  void LowerPause(const ast::Stmt& s);
  void CloseRegionAfterCrash();
  // SET ... PX/EX and (P)EXPIRE in a timed model: RedisOp::lease_time from the constant `arg`.
  void LeaseTime(const ast::RedisCall& call, const ast::CallArg& arg, RedisOp& op);
  std::vector<int32_t> region_var_;  // per process: its region ghost, -1 when it has no takes block
  // A takes block's code: the pcs of the writes that open and close its region, and its bound.
  struct TakesSpan {
    int32_t open;
    int32_t close;
    int64_t bound;
  };
  std::vector<std::vector<TakesSpan>> takes_spans_;  // per process, in the order lowered
  // An error at a loop inside a takes block that has no way out once it goes round (none, or only
  // tests ir::SameEveryRound marks) and that no pause grows: a block that never ends, against its
  // bound.
  void RefuseEndlessLoops(const Process& process, const std::vector<TakesSpan>& spans);
  int process_index_ = 0;            // the process being lowered  // the Redis declaration of the eval/multi block being lowered
};

}  // namespace racecheck::ir::lowering
