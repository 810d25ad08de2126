#include "checker/ir/lower.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "checker/ast/printer.h"

namespace racecheck::ir {
namespace {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

// Byte offset of a 1-based code-point column in a UTF-8 line.
size_t ByteOffset(std::string_view line, int column) {
  size_t i = 0;
  for (int c = 1; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// The statement's own text for traces: from its first column to its end on that line (a
// statement spanning lines, like an `if`, shows its first line).
std::string StatementText(const base::SourceFile& file, base::SourceRange range) {
  std::string_view line = file.Line(range.begin.line);
  size_t begin = ByteOffset(line, range.begin.column);
  size_t end = range.end.line == range.begin.line ? ByteOffset(line, range.end.column) : line.size();
  std::string_view text = line.substr(begin, end > begin ? end - begin : 0);
  size_t comment = text.find("//");
  if (comment != std::string_view::npos) text = text.substr(0, comment);
  size_t last = text.find_last_not_of(" \t\r");
  return std::string(last == std::string_view::npos ? std::string_view() : text.substr(0, last + 1));
}

Instr MakeInstr(Op op, int32_t dst = -1, int32_t var = -1, int32_t index = -1, int32_t expr = -1,
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

Expr MakeExpr(ExprOp op, Value value = 0, int32_t index = -1, int32_t var = -1, int32_t a = -1, int32_t b = -1) {
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
    RejectUnsupportedDeclarations();
    LayOutGlobals();
    for (size_t p = 0; p < model_.processes.size(); ++p) LowerProcess(static_cast<int>(p));
    LayOutInstances();
    for (const ast::PropertyDecl& property : model_.properties) LowerProperty(property);
    LowerExpectation();
    if (diags_.has_errors()) return std::nullopt;
    return std::move(program_);
  }

 private:
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

  void LayOutGlobals() {
    for (const ast::ParamDecl& p : model_.params) {
      Param param{p.name, static_cast<Value>(p.lo->int_value), static_cast<Value>(p.hi->int_value), 0, p.range};
      param.slot = AddSlot({p.name, false, false, false, false, -1});
      program_.params.push_back(param);
    }
    // Shared variables first, then ghosts, so every replica's shared memory is contiguous.
    for (bool ghost : {false, true}) {
      for (size_t i = 0; i < model_.vars.size(); ++i) {
        const ast::VarDecl& decl = model_.vars[i];
        if (decl.ghost == ghost) LayOutVariable(decl, static_cast<int>(i));
      }
    }
    for (const ast::LockDecl& decl : model_.locks) {
      Lock lock;
      lock.name = decl.name;
      lock.is_array = decl.shape != nullptr;
      lock.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
      lock.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
      lock.copies = program_.replicas;
      lock.range = decl.range;
      lock.first_slot = program_.slot_count;
      for (int32_t copy = 0; copy < lock.copies; ++copy) {
        for (int32_t i = 0; i < lock.size; ++i) {
          AddSlot({"lock " + CopyPrefix(lock.copies, copy) + ElementName(lock.name, lock.is_array, lock.index_lo + i),
                   false, false, true, false, -1});
        }
      }
      program_.locks.push_back(std::move(lock));
    }
  }

  void LayOutVariable(const ast::VarDecl& decl, int ast_index) {
    Variable var;
    var.name = decl.name;
    var.kind = decl.ghost ? VarKind::kGhost : VarKind::kShared;
    var.is_bool = decl.type == ast::Type::kBool;
    var.is_array = decl.shape != nullptr;
    var.index_lo = decl.shape ? static_cast<int32_t>(decl.shape->index_lo) : 0;
    var.size = decl.shape ? static_cast<int32_t>(decl.shape->size) : 1;
    // In-process memory exists once per replica; ghosts are the observer's, so once.
    var.copies = decl.ghost ? 1 : program_.replicas;
    var.range = decl.range;
    for (int32_t i = 0; i < var.size; ++i) {
      const ast::Expr& init = decl.init_is_list ? *decl.init[i] : *decl.init[0];
      var.initial.push_back(init.kind == ExprKind::kBool ? Value{init.bool_value} : static_cast<Value>(init.int_value));
    }
    var.first_slot = program_.slot_count;
    for (int32_t copy = 0; copy < var.copies; ++copy) {
      for (int32_t i = 0; i < var.size; ++i) {
        AddSlot({CopyPrefix(var.copies, copy) + ElementName(var.name, var.is_array, var.index_lo + i), var.is_bool,
                 false, false, false, -1});
      }
    }
    var_index_[ast_index] = static_cast<int32_t>(program_.vars.size());
    program_.vars.push_back(std::move(var));
  }

  void LayOutInstances() {
    int32_t round_robin = 0;
    for (size_t p = 0; p < program_.processes.size(); ++p) {
      const ast::ProcessDecl& decl = model_.processes[p];
      Process& process = program_.processes[p];
      for (int32_t self = 0; self < process.instance_count; ++self) {
        Instance instance;
        instance.process = static_cast<int32_t>(p);
        instance.self = self;
        instance.replica = round_robin++ % program_.replicas;
        if (decl.replica) instance.replica = ReplicaOf(*decl.replica, self);
        instance.display_name = process.instance_count > 1 ? fmt::format("{}[{}]", process.name, self) : process.name;
        instance.base_slot = program_.slot_count;
        int32_t index = static_cast<int32_t>(program_.instances.size());
        AddSlot({instance.display_name + ".pc", false, true, false, false, index});
        for (size_t l = 0; l < process.local_names.size(); ++l) {
          AddSlot({process.local_names[l], process.local_is_bool[l], false, false, hidden_local_[p].count(l) > 0, index});
        }
        program_.instances.push_back(std::move(instance));
      }
    }
  }

  // `on replica e`: e may use self and constants only, evaluated here once per instance.
  int32_t ReplicaOf(const ast::Expr& e, int32_t self) {
    std::optional<int64_t> value = EvaluateWithSelf(e, self);
    if (!value) {
      diags_.Error(e.range.begin, "a replica number may use only 'self', numbers and constants");
      return 0;
    }
    if (*value < 0 || *value >= program_.replicas) {
      diags_.Error(e.range.begin, fmt::format("instance {} would run on replica {}, but replicas are numbered 0 to {}",
                                              self, *value, program_.replicas - 1));
      return 0;
    }
    return static_cast<int32_t>(*value);
  }

  static std::optional<int64_t> EvaluateWithSelf(const ast::Expr& e, int64_t self) {
    switch (e.kind) {
      case ExprKind::kInt: return e.int_value;
      case ExprKind::kSelf: return self;
      case ExprKind::kUnary:
        if (auto v = EvaluateWithSelf(*e.operands[0], self); v && e.unary_op == ast::UnaryOp::kNeg) return -*v;
        return std::nullopt;
      case ExprKind::kBinary: {
        auto a = EvaluateWithSelf(*e.operands[0], self);
        auto b = EvaluateWithSelf(*e.operands[1], self);
        if (!a || !b) return std::nullopt;
        switch (e.binary_op) {
          case ast::BinaryOp::kAdd: return *a + *b;
          case ast::BinaryOp::kSub: return *a - *b;
          case ast::BinaryOp::kMul: return *a * *b;
          case ast::BinaryOp::kDiv: return *b == 0 ? std::nullopt : std::optional<int64_t>(*a / *b);
          case ast::BinaryOp::kMod: return *b == 0 ? std::nullopt : std::optional<int64_t>(*a % *b);
          default: return std::nullopt;
        }
      }
      default: return std::nullopt;
    }
  }

  // ---- what the engines do not run yet ----------------------------------------

  void NotYet(base::SourceRange range, const std::string& what) {
    diags_.Error(range.begin, fmt::format("{} parse and check, but the engines do not run them yet "
                                          "(database and Redis semantics are coming); racecheck will not guess "
                                          "what they do", what));
  }

  void RejectUnsupportedDeclarations() {
    for (const ast::TableDecl& t : model_.tables) NotYet(t.range, "tables");
    for (const ast::RedisDecl& r : model_.redis) NotYet(r.range, "Redis keyspaces");
    if (model_.allow_failure) {
      for (const ast::AllowDecl& a : model_.allows) {
        if (a.what == "failure") NotYet(a.range, "transaction failures ('allow failure')");
      }
    }
    if (model_.expect.kind == ast::ExpectKind::kFailure) NotYet(model_.expect.range, "transaction failures ('expect failure')");
  }

  // ---- processes ----------------------------------------------------------------

  struct Loop {
    std::vector<size_t> breaks;     // jumps to patch to the loop's exit
    std::vector<size_t> continues;  // jumps to patch to the loop's next iteration
  };

  void LowerProcess(int p) {
    const ast::ProcessDecl& decl = model_.processes[p];
    Process process;
    process.name = decl.name;
    process.instance_count = decl.count ? static_cast<int32_t>(decl.count->int_value) : 1;
    process.range = decl.range;
    for (const ast::LocalDecl& local : decl.locals) {
      process.local_names.push_back(local.name);
      process.local_is_bool.push_back(local.type == ast::Type::kBool);
    }
    process_ = &process;
    hidden_local_.emplace_back();
    for (const ast::ProcessParam& param : decl.params) {
      ProcessParam lowered;
      lowered.name = param.name;
      lowered.local = param.local;
      lowered.is_range = param.is_range;
      if (param.is_range) {
        lowered.lo_expr = LowerExpr(*param.lo, ExprContext::kProperty);
        lowered.hi_expr = LowerExpr(*param.hi, ExprContext::kProperty);
      } else {
        lowered.value_expr = LowerExpr(*param.value, ExprContext::kProperty);
      }
      process.params.push_back(lowered);
    }
    LowerBlock(decl.body);
    Emit(MakeInstr(Op::kEnd));
    process_ = nullptr;
    program_.processes.push_back(std::move(process));
  }

  size_t Emit(Instr instr) {
    instr.statement = current_statement_;
    process_->code.push_back(std::move(instr));
    return process_->code.size() - 1;
  }

  int32_t Here() const { return static_cast<int32_t>(process_->code.size()); }

  int32_t AddExpr(Expr e) {
    program_.exprs.push_back(e);
    return static_cast<int32_t>(program_.exprs.size() - 1);
  }

  int32_t Const(Value v) { return AddExpr(MakeExpr(ExprOp::kConst, v)); }
  int32_t LocalRef(int32_t local) { return AddExpr(MakeExpr(ExprOp::kLocal, 0, local)); }
  int32_t Binary(ExprOp op, int32_t a, int32_t b) { return AddExpr(MakeExpr(op, 0, -1, -1, a, b)); }

  // A fresh hidden local that holds one shared read until its statement is done.
  int32_t NewTemp(const std::string& holds) {
    int32_t local = static_cast<int32_t>(process_->local_names.size());
    process_->local_names.push_back("read " + holds);
    process_->local_is_bool.push_back(false);
    hidden_local_.back().insert(local);
    return local;
  }

  void BeginStatement(const ast::Stmt& s) {
    Statement statement;
    statement.range = s.range;
    statement.text = StatementText(file_, s.range);
    program_.statements.push_back(std::move(statement));
    current_statement_ = static_cast<int32_t>(program_.statements.size() - 1);
  }

  // Temporaries hold a value only within their statement; clearing them keeps states
  // that differ only in stale temporaries from multiplying the state space.
  void ClearTemps(const std::vector<int32_t>& temps) {
    for (int32_t t : temps) Emit(MakeInstr(Op::kLet, t, -1, -1, Const(0)));
  }

  void LowerBlock(const ast::Block& block) {
    for (const ast::StmtPtr& s : block) LowerStmt(*s);
  }

  void LowerStmt(const ast::Stmt& s) {
    int32_t saved_statement = current_statement_;
    BeginStatement(s);
    std::vector<int32_t> saved_temps = std::move(temps_);
    temps_.clear();
    switch (s.kind) {
      case StmtKind::kLet:
        if (s.sql) {
          NotYet(s.range, "SQL statements");
          break;
        }
        LowerLet(s);
        break;
      case StmtKind::kLetTuple:
        NotYet(s.range, "SQL statements");
        break;
      case StmtKind::kAssign:
        if (s.sql) {
          NotYet(s.range, "SQL statements");
          break;
        }
        LowerAssign(s);
        break;
      case StmtKind::kIf: LowerIf(s); break;
      case StmtKind::kWhile: LowerWhile(s); break;
      case StmtKind::kRetry: LowerRetry(s); break;
      case StmtKind::kBreak:
        loops_.back().breaks.push_back(Emit(MakeInstr(Op::kJump)));
        break;
      case StmtKind::kContinue:
        loops_.back().continues.push_back(Emit(MakeInstr(Op::kJump)));
        break;
      case StmtKind::kAtomic:
        Emit(MakeInstr(Op::kAtomicBegin));
        LowerBlock(s.body);
        Emit(MakeInstr(Op::kAtomicEnd));
        break;
      case StmtKind::kLock: {
        auto [lock, index] = LowerLockRef(s.lock);
        Emit(MakeInstr(Op::kAcquire, -1, lock, index));
        LowerBlock(s.body);
        Emit(MakeInstr(Op::kRelease, -1, lock, index));
        break;
      }
      case StmtKind::kAcquire:
      case StmtKind::kRelease: {
        auto [lock, index] = LowerLockRef(s.lock);
        Emit(MakeInstr(s.kind == StmtKind::kAcquire ? Op::kAcquire : Op::kRelease, -1, lock, index));
        break;
      }
      case StmtKind::kAwait: Emit(MakeInstr(Op::kAwait)); break;
      case StmtKind::kAssert: {
        Instr instr = MakeInstr(Op::kAssert, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess));
        instr.message = s.message.empty() ? ast::ExprText(*s.value) : s.message;
        Emit(std::move(instr));
        break;
      }
      case StmtKind::kAssume: Emit(MakeInstr(Op::kAssume, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess))); break;
      case StmtKind::kChoose: {
        int32_t lo = LowerExpr(*s.value, ExprContext::kProcess);
        int32_t hi = LowerExpr(*s.value2, ExprContext::kProcess);
        Emit(MakeInstr(Op::kChoose, s.locals[0], -1, -1, lo, hi));
        break;
      }
      case StmtKind::kSkip: break;
      case StmtKind::kTransaction: NotYet(s.range, "transactions"); break;
      case StmtKind::kRollback: NotYet(s.range, "rollback"); break;
      case StmtKind::kSql: NotYet(s.range, "SQL statements"); break;
      case StmtKind::kRedis: NotYet(s.range, "Redis commands"); break;
    }
    ClearTemps(temps_);
    Restore(saved_statement, saved_temps);
  }

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

  void LowerLet(const ast::Stmt& s) {
    int32_t local = s.locals[0];
    if (IsPlainSharedRead(*s.value)) {
      EmitRead(*s.value, local);
      return;
    }
    Emit(MakeInstr(Op::kLet, local, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
  }

  void EmitRead(const ast::Expr& e, int32_t dst) {
    int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], ExprContext::kProcess) : -1;
    Emit(MakeInstr(Op::kRead, dst, var_index_.at(e.ref.index), index));
  }

  static ExprOp CompoundOp(ast::AssignOp op) {
    switch (op) {
      case ast::AssignOp::kAdd: return ExprOp::kAdd;
      case ast::AssignOp::kSub: return ExprOp::kSub;
      case ast::AssignOp::kMul: return ExprOp::kMul;
      case ast::AssignOp::kSet: break;
    }
    return ExprOp::kAdd;
  }

  void LowerAssign(const ast::Stmt& s) {
    if (s.target.kind == RefKind::kLocal) {
      int32_t local = s.target.index;
      if (s.assign_op == ast::AssignOp::kSet && IsPlainSharedRead(*s.value)) {
        EmitRead(*s.value, local);
        return;
      }
      int32_t value = LowerExpr(*s.value, ExprContext::kProcess);
      if (s.assign_op != ast::AssignOp::kSet) value = Binary(CompoundOp(s.assign_op), LocalRef(local), value);
      Emit(MakeInstr(Op::kLet, local, -1, -1, value));
      return;
    }
    const ast::VarDecl& decl = model_.vars[s.target.index];
    int32_t var = var_index_.at(s.target.index);
    bool ghost = decl.ghost;
    ExprContext context = ghost ? ExprContext::kGhostUpdate : ExprContext::kProcess;
    int32_t index = s.target_index ? LowerExpr(*s.target_index, ExprContext::kProcess) : -1;
    int32_t value;
    if (s.assign_op == ast::AssignOp::kSet) {
      value = LowerExpr(*s.value, context);
    } else if (ghost) {
      value = Binary(CompoundOp(s.assign_op), AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index)),
                     LowerExpr(*s.value, context));
    } else {
      // x += e on shared memory: read x (a step), then write (another step).
      int32_t old = NewTemp(decl.name);
      temps_.push_back(old);
      Emit(MakeInstr(Op::kRead, old, var, index));
      value = Binary(CompoundOp(s.assign_op), LocalRef(old), LowerExpr(*s.value, context));
    }
    Emit(MakeInstr(ghost ? Op::kGhostWrite : Op::kWrite, -1, var, index, value));
  }

  void PatchTo(size_t instr, int32_t target) { process_->code[instr].target = target; }

  void LowerIf(const ast::Stmt& s) {
    size_t branch = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
    std::vector<int32_t> temps = std::move(temps_);
    temps_.clear();
    ClearTemps(temps);
    LowerBlock(s.body);
    if (!s.has_else) {
      PatchTo(branch, Here());
      ClearTemps(temps);
      return;
    }
    size_t skip_else = Emit(MakeInstr(Op::kJump));
    PatchTo(branch, Here());
    ClearTemps(temps);
    LowerBlock(s.else_body);
    PatchTo(skip_else, Here());
  }

  void LowerWhile(const ast::Stmt& s) {
    int32_t top = Here();
    size_t branch = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LowerExpr(*s.value, ExprContext::kProcess)));
    std::vector<int32_t> temps = std::move(temps_);
    temps_.clear();
    ClearTemps(temps);
    loops_.emplace_back();
    LowerBlock(s.body);
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
    int32_t exit = Here();
    PatchTo(branch, exit);
    ClearTemps(temps);
    for (size_t b : loops_.back().breaks) PatchTo(b, exit);
    for (size_t c : loops_.back().continues) PatchTo(c, top);
    loops_.pop_back();
  }

  // retry at most K { body } else { exhausted }: the body runs at most K times; `continue`
  // starts the next attempt, `break` or the body's end leaves; the K-th `continue` runs else.
  void LowerRetry(const ast::Stmt& s) {
    int32_t attempt = NewTemp("attempt");
    int32_t limit = static_cast<int32_t>(s.value->int_value);
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    int32_t top = Here();
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Binary(ExprOp::kAdd, LocalRef(attempt), Const(1))));
    loops_.emplace_back();
    LowerBlock(s.body);
    size_t done = Emit(MakeInstr(Op::kJump));
    int32_t next_attempt = Here();
    size_t exhausted = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(attempt), Const(limit))));
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
    PatchTo(exhausted, Here());
    Loop loop = std::move(loops_.back());
    loops_.pop_back();
    LowerBlock(s.else_body);
    int32_t exit = Here();
    Emit(MakeInstr(Op::kLet, attempt, -1, -1, Const(0)));
    PatchTo(done, exit);
    for (size_t b : loop.breaks) PatchTo(b, exit);
    for (size_t c : loop.continues) PatchTo(c, next_attempt);
  }

  // ---- expressions --------------------------------------------------------------

  static ExprOp BinaryOpOf(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::kMul: return ExprOp::kMul;
      case ast::BinaryOp::kDiv: return ExprOp::kDiv;
      case ast::BinaryOp::kMod: return ExprOp::kMod;
      case ast::BinaryOp::kAdd: return ExprOp::kAdd;
      case ast::BinaryOp::kSub: return ExprOp::kSub;
      case ast::BinaryOp::kLt: return ExprOp::kLt;
      case ast::BinaryOp::kLe: return ExprOp::kLe;
      case ast::BinaryOp::kGt: return ExprOp::kGt;
      case ast::BinaryOp::kGe: return ExprOp::kGe;
      case ast::BinaryOp::kEq: case ast::BinaryOp::kSqlEq: return ExprOp::kEq;
      case ast::BinaryOp::kNe: return ExprOp::kNe;
      case ast::BinaryOp::kAnd: return ExprOp::kAnd;
      case ast::BinaryOp::kOr: return ExprOp::kOr;
    }
    return ExprOp::kAdd;
  }

  // In process code every shared read is emitted as its own kRead into a temporary, left
  // to right, before the expression that uses it: each one is a step.
  int32_t LowerExpr(const ast::Expr& e, ExprContext context) {
    switch (e.kind) {
      case ExprKind::kInt: return Const(static_cast<Value>(e.int_value));
      case ExprKind::kBool: return Const(e.bool_value ? 1 : 0);
      case ExprKind::kSelf: return AddExpr(MakeExpr(ExprOp::kSelf));
      case ExprKind::kName:
      case ExprKind::kIndex:
        return LowerName(e, context);
      case ExprKind::kMember:
        NotYet(e.range, "table cells and Redis keys in properties");
        return Const(0);
      case ExprKind::kCall: {
        int32_t a = LowerExpr(*e.operands[0], context);
        if (e.name == "abs") return AddExpr(MakeExpr(ExprOp::kAbs, 0, -1, -1, a));
        int32_t b = LowerExpr(*e.operands[1], context);
        return Binary(e.name == "min" ? ExprOp::kMin : ExprOp::kMax, a, b);
      }
      case ExprKind::kUnary:
        return AddExpr(MakeExpr(e.unary_op == ast::UnaryOp::kNeg ? ExprOp::kNeg : ExprOp::kNot, 0, -1, -1,
                        LowerExpr(*e.operands[0], context)));
      case ExprKind::kBinary: {
        int32_t a = LowerExpr(*e.operands[0], context);
        int32_t b = LowerExpr(*e.operands[1], context);
        return Binary(BinaryOpOf(e.binary_op), a, b);
      }
      case ExprKind::kRedis:
        NotYet(e.range, "Redis commands");
        return Const(0);
    }
    return Const(0);
  }

  int32_t LowerName(const ast::Expr& e, ExprContext context) {
    switch (e.ref.kind) {
      case RefKind::kLocal: return LocalRef(e.ref.index);
      case RefKind::kParam: return AddExpr(MakeExpr(ExprOp::kParam, 0, e.ref.index));
      case RefKind::kVar: {
        const ast::VarDecl& decl = model_.vars[e.ref.index];
        int32_t var = var_index_.at(e.ref.index);
        if (context == ExprContext::kProperty || (decl.ghost && context == ExprContext::kGhostUpdate)) {
          if (context == ExprContext::kProperty) mentioned_.insert(var);
          int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], context) : -1;
          return AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index));
        }
        int32_t temp = NewTemp(decl.name);
        temps_.push_back(temp);
        EmitRead(e, temp);
        return LocalRef(temp);
      }
      case RefKind::kNone:
      case RefKind::kConst:  // folded away by FoldConstants
      case RefKind::kLock:
      case RefKind::kColumn:
      case RefKind::kRedisKey:
        break;
    }
    RACECHECK_CHECK(false, fmt::format("'{}' reached lowering unresolved", e.name));
  }

  // ---- properties and expectation -----------------------------------------------

  void LowerProperty(const ast::PropertyDecl& decl) {
    Property property;
    property.kind = decl.kind == ast::PropertyKind::kInvariant ? PropertyKind::kInvariant
                    : decl.kind == ast::PropertyKind::kFinal  ? PropertyKind::kFinal
                                                              : PropertyKind::kCover;
    property.name = decl.name;
    mentioned_.clear();
    property.expr = LowerExpr(*decl.expr, ExprContext::kProperty);
    property.vars.assign(mentioned_.begin(), mentioned_.end());
    property.text = ast::ExprText(*decl.expr);
    property.range = decl.range;
    program_.properties.push_back(std::move(property));
  }

  void LowerExpectation() {
    switch (model_.expect.kind) {
      case ast::ExpectKind::kNone: break;
      case ast::ExpectKind::kSafe: program_.expect.kind = ExpectKind::kSafe; break;
      case ast::ExpectKind::kDeadlock: program_.expect.kind = ExpectKind::kDeadlock; break;
      case ast::ExpectKind::kFailure: break;  // rejected in RejectUnsupportedDeclarations
      case ast::ExpectKind::kViolation:
        program_.expect.kind = ExpectKind::kViolation;
        program_.expect.properties = model_.expect.names;
        break;
    }
  }

  const ast::Model& model_;
  const base::SourceFile& file_;
  base::DiagnosticEngine& diags_;
  Program program_;
  std::map<int, int32_t> var_index_;  // ast var index -> ir var index
  std::vector<std::set<size_t>> hidden_local_;  // per process: locals that are temporaries
  Process* process_ = nullptr;
  int32_t current_statement_ = -1;
  std::vector<int32_t> temps_;
  std::vector<Loop> loops_;
  std::set<int32_t> mentioned_;
};

}  // namespace

std::optional<Program> Lower(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags) {
  return Lowerer(model, file, diags).Run();
}

}  // namespace racecheck::ir
