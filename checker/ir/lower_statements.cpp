// Lowering of process code: statements on memory, locks, control flow and retries.
#include "checker/ir/lowerer.h"

namespace racecheck::ir::lowering {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

void Lowerer::LowerProcess(int p) {
  const ast::ProcessDecl& decl = model_.processes[p];
  process_index_ = p;
  Process process;
  process.name = decl.name;
  process.instance_count = decl.count ? static_cast<int32_t>(decl.count->int_value) : 1;
  process.range = decl.range;
  for (const ast::LocalDecl& local : decl.locals) {
    process.local_names.push_back(local.name);
    process.local_types.push_back(TypeOf(local.type));
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
  crash_anywhere_ = decl.may_crash;
  // A retried request starts over at pc 0: a place of its own, so that the restart is a loop no
  // loop of the body shares a header with (the z3 engine's unrolling counts each loop's rounds).
  // Where replicas may crash, pc 0 also tells a request that has not reached its replica yet
  // (no step taken): no loop of the body comes back there.
  if (decl.crash_retries || model_.replica_crash.declared) {
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, 1));
    process.restarts_at_zero = model_.replica_crash.declared;
  }
  LowerBlock(decl.body);
  for (size_t jump : process_returns_) PatchTo(jump, Here());
  process_returns_.clear();
  // A request may also die after its last step, before its reply reaches the client, which then
  // sends it again: the lost reply behind every double charge that idempotency keys prevent.
  // Without a retry such a crash is the end it would have had anyway.
  if (decl.may_crash && decl.crash_retries && decl.crash_retries->int_value > 0) EmitCrashPoint(&decl);
  if (model_.replica_crash.declared && decl.crash_retries && process_->crash_local >= 0) {
    // A replica crash may send the request again from wherever it is, also past its last crash
    // point: a branch never taken from the end of the body to the crash tail puts the whole body
    // inside the retry loop, so that the z3 engine's unrolling tells the attempts apart there too.
    int32_t saved_statement = current_statement_;
    current_statement_ = -1;
    crash_jumps_.push_back(Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Const(1))));
    current_statement_ = saved_statement;
  }
  Emit(MakeInstr(Op::kEnd));
  EmitCrashTail(decl);
  if (region_var_[process_index_] >= 0) {
    process_->rounds_local = NewTemp("rounds");
    process_->local_names.back() = "steps on a loop that waits";
  }
  WarnGhostWrittenTwiceInOneStep(process);
  process_ = nullptr;
  program_.processes.push_back(std::move(process));
}

size_t Lowerer::Emit(Instr instr) {
  if (instr.op == Op::kAtomicEnd || instr.op == Op::kRedisEnd) --block_depth_;
  bool may_crash_here = crash_anywhere_ && !crash_suppressed_ && block_depth_ == 0;
  if (may_crash_here && (StartsStep(instr.op) || RecordsWork(instr))) EmitCrashPoint();
  if (instr.op == Op::kAtomicBegin || instr.op == Op::kRedisBegin) ++block_depth_;
  // A Redis script or multi block is one call, answered at its end.
  bool call = instr.op == Op::kRedisEnd || (IsExternal(instr.op) && instr.op != Op::kRedisBegin && instr.op != Op::kCrash);
  bool resumes = may_crash_here && program_.runtime == Runtime::kEventLoop && call;
  instr.statement = current_statement_;
  process_->code.push_back(std::move(instr));
  size_t at = process_->code.size() - 1;
  // A task resumes after its awaited call's answer, and the code after the call runs in a step
  // of its own, as after a bare `await`: the request may die before it (round 32: `await insert
  // ...`, then `paid = true`, was proved never to leave the row without the flag). The point
  // sits right after the call, on its path alone; its crash is a step of its own (kCrash is
  // external), so other tasks may run between the answer and the death.
  if (resumes) EmitCrashPoint(nullptr, /*after_call=*/true);
  return at;
}

bool Lowerer::StartsStep(Op op) const {
  // Under the event loop a task runs on to its next await or call; a held lock stops it too.
  if (program_.runtime == Runtime::kEventLoop) return IsExternal(op) || op == Op::kAcquire;
  return IsVisible(op);
}

bool Lowerer::RecordsWork(const Instr& instr) const {
  // A ghost update stands for something the request does (`handled += 1` for handling the job
  // it just popped): a crash may come first, though the update rides along with the step before.
  // Under the event loop the point after the call stands there already, and one before every
  // ghost would split a synchronous run, where no step starts (round 33: `a += 1; done += 1; b
  // += 1` with no call was found to crash between a and b).
  return instr.op == Op::kGhostWrite && !program_.vars[instr.var].internal && program_.runtime != Runtime::kEventLoop;
}

void Lowerer::EmitCrashPoint(const ast::ProcessDecl* at_end, bool after_call) {
  crash_suppressed_ = true;
  if (process_->crash_local < 0) {
    process_->crash_local = NewTemp("crashes");
    process_->local_names.back() = "crashes";
    crash_choice_ = NewTemp("crash");
    process_->local_names.back() = "crash";
  }
  // The crash is its own step, named at the line where the instance was.
  Statement statement;
  if (at_end != nullptr) {
    statement.range = base::SourceRange{at_end->range.end, at_end->range.end};
  } else if (current_statement_ >= 0) {
    // Inside an inlined fn the crash is named as its statements are: `line 7 in take, called from line 11`.
    statement.range = program_.statements[current_statement_].range;
    statement.called_from = program_.statements[current_statement_].called_from;
  } else {
    statement.range = process_->range;
  }
  statement.text = at_end != nullptr ? "crashes after its last step: the client never gets the reply"
                   : after_call      ? "crashes after the answer, before what follows"
                                     : "crashes";
  program_.statements.push_back(std::move(statement));
  int32_t crash_statement = static_cast<int32_t>(program_.statements.size() - 1);
  // 0 first: breadth-first search meets the run without the crash first.
  Emit(MakeInstr(Op::kChoose, crash_choice_, -1, -1, Const(0), Const(1)));
  size_t go_on = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LocalRef(crash_choice_)));
  CrashPoint point;
  point.lock_blocks.assign(lock_blocks_.rbegin(), lock_blocks_.rend());
  point.after_last_step = at_end != nullptr;
  program_.crashes.push_back(std::move(point));
  size_t crash = Emit(MakeCall(Op::kCrash, static_cast<int32_t>(program_.crashes.size() - 1)));
  process_->code[crash].statement = crash_statement;
  crash_jumps_.push_back(Emit(MakeInstr(Op::kJump)));
  PatchTo(go_on, Here());
  crash_suppressed_ = false;
}

void Lowerer::EmitCrashTail(const ast::ProcessDecl& decl) {
  crash_anywhere_ = false;
  lock_blocks_.clear();
  block_depth_ = 0;
  if (process_->crash_local < 0) return;
  int32_t retries = decl.crash_retries ? static_cast<int32_t>(decl.crash_retries->int_value) : 0;
  process_->crash_retries = retries;
  int32_t crashes = process_->crash_local;
  int32_t saved_statement = current_statement_;
  current_statement_ = -1;
  for (size_t jump : crash_jumps_) PatchTo(jump, Here());
  crash_jumps_.clear();
  CloseRegionAfterCrash();
  if (retries > 0) {
    // The client sends the request again: from the start, with the same parameters.
    size_t give_up = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(crashes), Const(retries))));
    Emit(MakeInstr(Op::kLet, crashes, -1, -1, Binary(ExprOp::kAdd, LocalRef(crashes), Const(1))));
    Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, 0));
    PatchTo(give_up, Here());
  }
  Emit(MakeInstr(Op::kLet, crashes, -1, -1, Const(retries + 1)));
  Emit(MakeInstr(Op::kEnd));
  current_statement_ = saved_statement;
}

// A fresh hidden local that holds one shared read until its statement is done.
int32_t Lowerer::NewTemp(const std::string& holds, ValueType type) {
  int32_t local = static_cast<int32_t>(process_->local_names.size());
  process_->local_names.push_back("read " + holds);
  process_->local_types.push_back(type);
  hidden_local_.back().insert(local);
  return local;
}

void Lowerer::BeginStatement(const ast::Stmt& s) {
  Statement statement;
  statement.range = s.range;
  statement.text = StatementText(file_, s.range);
  for (const ast::CallSite& call : s.called_from) statement.called_from.push_back({call.function, call.line});
  program_.statements.push_back(std::move(statement));
  current_statement_ = static_cast<int32_t>(program_.statements.size() - 1);
}

void Lowerer::LowerStmt(const ast::Stmt& s) {
  int32_t saved_statement = current_statement_;
  BeginStatement(s);
  std::vector<int32_t> saved_temps = std::move(temps_);
  temps_.clear();
  // The target is read before the value: `a[i] = f()` and `x += f()` read i and x before the fn
  // runs (and before a select), as JavaScript and Java do.
  TargetReads target;
  if (s.kind == StmtKind::kAssign && s.target.kind != RefKind::kLocal) target = ReadTarget(s);
  if (!s.inlined.empty()) {
    LowerInlined(s.inlined);
    // `await f()`: Node resumes the caller in a later microtask even when f did no I/O, so
    // other ready tasks may run between f's end and what follows (asyncio would not when f
    // never suspends: more interleavings there, never fewer). Inside a transaction, where a bare
    // await is refused, every statement is a call already.
    // `let n = await f()` and `x = await f()` alike (round 33: only the statement form yielded).
    bool awaited = s.awaited || (s.value && s.value->awaited);
    if (awaited && program_.runtime == Runtime::kEventLoop && txn_ == nullptr && block_depth_ == 0) {
      Emit(MakeInstr(Op::kAwait));
      // The caller resumes there, as after a bare await (round 33: no crash came between).
      if (crash_anywhere_) EmitCrashPoint();
    }
  }
  switch (s.kind) {
    case StmtKind::kLet:
      if (s.sql) {
        LowerSql(*s.sql, {s.locals[0]});
      } else if (s.value->kind == ExprKind::kRedis) {
        LowerRedis(*s.value->redis, s.locals[0]);
      } else {
        LowerLet(s);
      }
      break;
    case StmtKind::kLetTuple:
      LowerSql(*s.sql, s.locals);
      break;
    case StmtKind::kAssign:
      if (s.target.kind == RefKind::kLocal && s.assign_op == ast::AssignOp::kSet && s.sql) {
        LowerSql(*s.sql, {s.target.index});
      } else if (s.target.kind == RefKind::kLocal && s.assign_op == ast::AssignOp::kSet &&
                 s.value->kind == ExprKind::kRedis) {
        LowerRedis(*s.value->redis, s.target.index);
      } else {
        LowerAssign(s, target);
      }
      break;
    case StmtKind::kIf: LowerIf(s); break;
    case StmtKind::kWhile: LowerWhile(s); break;
    case StmtKind::kRetry: LowerRetry(s); break;
    case StmtKind::kFor: LowerFor(s); break;
    case StmtKind::kBreak:
      loops_.back().breaks.push_back(Emit(MakeInstr(Op::kJump)));
      break;
    case StmtKind::kContinue:
      loops_.back().continues.push_back(Emit(MakeInstr(Op::kJump)));
      break;
    case StmtKind::kMayCrash: EmitCrashPoint(); break;
    case StmtKind::kTakes: LowerTakes(s); break;
    case StmtKind::kPause: LowerPause(s); break;
    case StmtKind::kAtomic:
      Emit(MakeInstr(Op::kAtomicBegin));
      LowerBlock(s.body);
      Emit(MakeInstr(Op::kAtomicEnd));
      break;
    case StmtKind::kLock: {
      auto [lock, index] = LowerLockRef(s.lock);
      Emit(MakeInstr(Op::kAcquire, -1, lock, index));
      if (txn_) txn_->held.push_back({lock, index, current_statement_});
      lock_blocks_.push_back({lock, index});
      LowerBlock(s.body);
      if (txn_) txn_->held.pop_back();
      // A crash just before the release still finds the block open.
      Emit(MakeInstr(Op::kRelease, -1, lock, index));
      lock_blocks_.pop_back();
      break;
    }
    case StmtKind::kAcquire:
    case StmtKind::kRelease: {
      auto [lock, index] = LowerLockRef(s.lock);
      Emit(MakeInstr(s.kind == StmtKind::kAcquire ? Op::kAcquire : Op::kRelease, -1, lock, index));
      break;
    }
    case StmtKind::kAwait:
      Emit(MakeInstr(Op::kAwait));
      // A task resumes here: a step starts.
      if (crash_anywhere_ && block_depth_ == 0) EmitCrashPoint();
      break;
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
    case StmtKind::kTransaction: LowerTransaction(s); break;
    case StmtKind::kRollback:
      Emit(MakeCall(Op::kTxRollback, txn_->index));
      txn_->exits.push_back({Emit(MakeInstr(Op::kJump)), txn_->held});
      break;
    case StmtKind::kSql:
      if (s.failure == ast::FailureKind::kNone) {
        LowerSql(*s.sql, {});
      } else {
        LowerHandledSql(s);
      }
      break;
    case StmtKind::kRedis: LowerRedis(*s.redis, -1); break;
    case StmtKind::kCall: break;  // its copy above is all it does
    case StmtKind::kReturn: LowerReturn(s); break;
  }
  ClearTemps(temps_);
  Restore(saved_statement, saved_temps);
}

void Lowerer::LowerLet(const ast::Stmt& s) { LowerValueInto(*s.value, s.locals[0]); }

void Lowerer::LowerValueInto(const ast::Expr& value, int32_t local) {
  if (value.kind == ExprKind::kRedis) {
    LowerRedis(*value.redis, local);
  } else if (IsPlainSharedRead(value)) {
    EmitRead(value, local);
  } else {
    Emit(MakeInstr(Op::kLet, local, -1, -1, LowerExpr(value, ExprContext::kProcess)));
  }
}

void Lowerer::LowerInlined(const ast::Block& inlined) {
  call_returns_.emplace_back();
  LowerBlock(inlined);
  for (size_t jump : call_returns_.back()) PatchTo(jump, Here());
  call_returns_.pop_back();
}

// `return e` sets the call's local, then leaves the fn's copy; in the process's own code `return`
// ends the instance (a jump to its kEnd).
void Lowerer::LowerReturn(const ast::Stmt& s) {
  if (s.value && s.return_local >= 0) {
    LowerValueInto(*s.value, s.return_local);
    ClearTemps(temps_);
    temps_.clear();
  }
  size_t jump = Emit(MakeInstr(Op::kJump));
  (call_returns_.empty() ? process_returns_ : call_returns_.back()).push_back(jump);
}

ExprOp Lowerer::CompoundOp(ast::AssignOp op) {
  switch (op) {
    case ast::AssignOp::kAdd: return ExprOp::kAdd;
    case ast::AssignOp::kSub: return ExprOp::kSub;
    case ast::AssignOp::kMul: return ExprOp::kMul;
    case ast::AssignOp::kSet: break;
  }
  return ExprOp::kAdd;
}

Lowerer::TargetReads Lowerer::ReadTarget(const ast::Stmt& s) {
  const ast::VarDecl& decl = model_.vars[s.target.index];
  TargetReads reads;
  reads.index = s.target_index ? LowerExpr(*s.target_index, ExprContext::kProcess) : -1;
  if (s.assign_op != ast::AssignOp::kSet && !decl.ghost) {
    // x += e on shared memory: read x (a step), then write (another step).
    reads.old = NewTemp(decl.name, TypeOf(decl.type));
    temps_.push_back(reads.old);
    Emit(MakeInstr(Op::kRead, reads.old, var_index_.at(s.target.index), reads.index));
  }
  return reads;
}

void Lowerer::LowerAssign(const ast::Stmt& s, const TargetReads& target) {
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
  if (s.sql) {
    // `x = select ...` into shared memory: the statement into a temporary, then the write.
    int32_t temp = NewTemp(decl.name, TypeOf(decl.type));
    temps_.push_back(temp);
    LowerSql(*s.sql, {temp});
    int32_t value = LocalRef(temp);
    if (s.assign_op != ast::AssignOp::kSet) {
      int32_t old = target.old >= 0 ? LocalRef(target.old)
                                    : AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, target.index));
      value = Binary(CompoundOp(s.assign_op), old, value);
    }
    Emit(MakeInstr(ghost ? Op::kGhostWrite : Op::kWrite, -1, var, target.index, value));
    return;
  }
  ExprContext context = ghost ? ExprContext::kGhostUpdate : ExprContext::kProcess;
  int32_t index = target.index;
  int32_t value;
  if (s.assign_op == ast::AssignOp::kSet) {
    value = LowerExpr(*s.value, context);
  } else if (ghost) {
    value = Binary(CompoundOp(s.assign_op), AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index)),
                   LowerExpr(*s.value, context));
  } else {
    value = Binary(CompoundOp(s.assign_op), LocalRef(target.old), LowerExpr(*s.value, context));
  }
  Emit(MakeInstr(ghost ? Op::kGhostWrite : Op::kWrite, -1, var, index, value));
}

void Lowerer::LowerIf(const ast::Stmt& s) {
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

void Lowerer::LowerWhile(const ast::Stmt& s) {
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

// for r in select c1, .., cn from t ... { body }, with capacity C of t:
//   kSql -> rows[0..C-1][1..n], count;  r = 0
//   top:  if not r < C jump exit;  r += 1;  if not r <= count jump exit
//         r.c = if r == 1 then rows[0][c] else if ... else rows[C-1][c]  (each column);  body;  jump top
//   exit: r, r.c, rows and count = 0
// The bound C is a constant, so the z3 engine unrolls the loop exactly; `continue` goes to top.
void Lowerer::LowerFor(const ast::Stmt& s) {
  const Table& table = program_.tables[s.sql->table];
  int32_t capacity = table.capacity;
  int32_t columns = static_cast<int32_t>(s.sql->items.size());
  int32_t row = s.locals[0];
  std::vector<int32_t> rows;
  for (int32_t r = 0; r < capacity; ++r) {
    for (int32_t c = 0; c < columns; ++c) {
      rows.push_back(NewTemp(fmt::format("{} row {}", table.name, r + 1), process_->local_types[s.locals[1 + c]]));
    }
  }
  int32_t count = NewTemp(table.name + " rows");
  std::vector<int32_t> results = rows;
  results.push_back(count);
  LowerSql(*s.sql, results, /*many_rows=*/true);
  ClearTemps(temps_);
  temps_.clear();
  Emit(MakeInstr(Op::kLet, row, -1, -1, Const(0)));
  int32_t top = Here();
  size_t bound = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLt, LocalRef(row), Const(capacity))));
  Emit(MakeInstr(Op::kLet, row, -1, -1, Binary(ExprOp::kAdd, LocalRef(row), Const(1))));
  size_t found = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, Binary(ExprOp::kLe, LocalRef(row), LocalRef(count))));
  for (int32_t c = 0; c < columns; ++c) {
    int32_t value = LocalRef(rows[(capacity - 1) * columns + c]);
    for (int32_t r = capacity - 2; r >= 0; --r) {
      int32_t is = Binary(ExprOp::kEq, LocalRef(row), Const(r + 1));
      value = Binary(ExprOp::kIte, is, Binary(ExprOp::kBranches, LocalRef(rows[r * columns + c]), value));
    }
    Emit(MakeInstr(Op::kLet, s.locals[1 + c], -1, -1, value));
  }
  loops_.emplace_back();
  LowerBlock(s.body);
  Emit(MakeInstr(Op::kJump, -1, -1, -1, -1, -1, top));
  int32_t exit = Here();
  PatchTo(bound, exit);
  PatchTo(found, exit);
  for (size_t b : loops_.back().breaks) PatchTo(b, exit);
  for (size_t c : loops_.back().continues) PatchTo(c, top);
  loops_.pop_back();
  process_->row_scope.resize(process_->local_names.size(), {-1, -1});
  for (int32_t local : s.locals) process_->row_scope[local] = {top, exit};
  // What the loop leaves behind would only tell states apart.
  ClearTemps(std::vector<int32_t>(s.locals.begin(), s.locals.end()));
  ClearTemps(results);
}

// retry at most K { body } else { exhausted }: the body runs at most K times; `continue`
// starts the next attempt, `break` or the body's end leaves; the K-th `continue` runs else.
void Lowerer::LowerRetry(const ast::Stmt& s) {
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

}  // namespace racecheck::ir::lowering
