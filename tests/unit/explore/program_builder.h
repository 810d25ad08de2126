// Builds ir::Program values by hand for the explore tests, laying out slots the way
// checker/ir/program.h describes: [ params | shared | ghosts | locks ] then one block per instance.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::explore::testing {

class ProgramBuilder;

// Appends instructions to one process; every instruction gets its own statement (and line).
class ProcessBuilder {
 public:
  ProcessBuilder(ProgramBuilder* owner, int process) : owner_(owner), process_(process) {}

  int Let(int dst, int expr, const std::string& text);
  int Read(int dst, int var, int index, const std::string& text);
  int Write(int var, int index, int expr, const std::string& text);
  int GhostWrite(int var, int index, int expr, const std::string& text);
  int Acquire(int lock, int index, const std::string& text);
  int Release(int lock, int index, const std::string& text);
  int AtomicBegin(const std::string& text = "atomic");
  int AtomicEnd();
  int Await(const std::string& text = "await");
  int Jump(int target);
  int BranchFalse(int expr, int target, const std::string& text);
  int Assert(int expr, const std::string& message, const std::string& text);
  int Assume(int expr, const std::string& text);
  int Choose(int dst, int lo, int hi, const std::string& text);
  int End();
  // The index the next instruction will get, and fixing a forward target.
  int Next() const;
  void SetTarget(int instr, int target);

  void DefaultParam(int local, int value_expr);
  void RangeParam(int local, int lo_expr, int hi_expr);

  int index() const { return process_; }

 private:
  int Add(ir::Instr instr, const std::string& text);
  ir::Process& process() const;

  ProgramBuilder* owner_;
  int process_;
};

class ProgramBuilder {
 public:
  explicit ProgramBuilder(ir::Runtime runtime = ir::Runtime::kThreads, std::string name = "test");

  int Var(const std::string& name, ir::Value initial, bool is_bool = false);
  int Array(const std::string& name, int index_lo, std::vector<ir::Value> initial);
  int Ghost(const std::string& name, ir::Value initial);
  int Lock(const std::string& name);
  int LockArray(const std::string& name, int index_lo, int size);
  int Param(const std::string& name, ir::Value lo, ir::Value hi);
  ProcessBuilder Process(const std::string& name, int instances, std::vector<std::string> locals);

  // Expressions: indices into Program::exprs.
  int C(ir::Value value);
  int L(int local);
  int Self();
  int G(int var, int index = -1);
  int P(int param);
  int Op(ir::ExprOp op, int a, int b = -1);
  int Add(int a, int b) { return Op(ir::ExprOp::kAdd, a, b); }
  int Sub(int a, int b) { return Op(ir::ExprOp::kSub, a, b); }
  int Eq(int a, int b) { return Op(ir::ExprOp::kEq, a, b); }
  int Ne(int a, int b) { return Op(ir::ExprOp::kNe, a, b); }
  int Ge(int a, int b) { return Op(ir::ExprOp::kGe, a, b); }
  int Lt(int a, int b) { return Op(ir::ExprOp::kLt, a, b); }

  void Invariant(const std::string& name, int expr, const std::string& text, std::vector<int> vars);
  void Final(const std::string& name, int expr, const std::string& text, std::vector<int> vars);
  void Cover(const std::string& name, int expr, const std::string& text, std::vector<int> vars);
  void AllowDeadlock() { program_.allow_deadlock = true; }

  // Lays out the slots and names them; the builder is spent afterwards.
  ir::Program Build();

 private:
  friend class ProcessBuilder;
  int AddExpr(ir::Expr expr);
  int AddStatement(const std::string& text);
  void AddProperty(ir::PropertyKind kind, const std::string& name, int expr, const std::string& text,
                   std::vector<int> vars);

  ir::Program program_;
};

// ---------------------------------------------------------------------------
// Definitions (header-only: the test folder globs only *_test.cpp).
// ---------------------------------------------------------------------------

inline ProgramBuilder::ProgramBuilder(ir::Runtime runtime, std::string name) {
  program_.runtime = runtime;
  program_.name = std::move(name);
  program_.file = program_.name + ".cr";
}

inline int ProgramBuilder::Var(const std::string& name, ir::Value initial, bool is_bool) {
  ir::Variable var;
  var.name = name;
  var.type = is_bool ? ir::ValueType::Bool() : ir::ValueType::Int();
  var.initial = {initial};
  program_.vars.push_back(var);
  return static_cast<int>(program_.vars.size()) - 1;
}

inline int ProgramBuilder::Array(const std::string& name, int index_lo, std::vector<ir::Value> initial) {
  ir::Variable var;
  var.name = name;
  var.is_array = true;
  var.index_lo = index_lo;
  var.size = static_cast<int32_t>(initial.size());
  var.initial = std::move(initial);
  program_.vars.push_back(var);
  return static_cast<int>(program_.vars.size()) - 1;
}

inline int ProgramBuilder::Ghost(const std::string& name, ir::Value initial) {
  int var = Var(name, initial);
  program_.vars[var].kind = ir::VarKind::kGhost;
  return var;
}

inline int ProgramBuilder::Lock(const std::string& name) {
  ir::Lock lock;
  lock.name = name;
  program_.locks.push_back(lock);
  return static_cast<int>(program_.locks.size()) - 1;
}

inline int ProgramBuilder::LockArray(const std::string& name, int index_lo, int size) {
  int lock = Lock(name);
  program_.locks[lock].is_array = true;
  program_.locks[lock].index_lo = index_lo;
  program_.locks[lock].size = size;
  return lock;
}

inline int ProgramBuilder::Param(const std::string& name, ir::Value lo, ir::Value hi) {
  ir::Param param;
  param.name = name;
  param.lo = lo;
  param.hi = hi;
  program_.params.push_back(param);
  return static_cast<int>(program_.params.size()) - 1;
}

inline ProcessBuilder ProgramBuilder::Process(const std::string& name, int instances,
                                              std::vector<std::string> locals) {
  ir::Process process;
  process.name = name;
  process.instance_count = instances;
  process.local_types.assign(locals.size(), ir::ValueType::Int());
  process.local_names = std::move(locals);
  program_.processes.push_back(std::move(process));
  return ProcessBuilder(this, static_cast<int>(program_.processes.size()) - 1);
}

inline int ProgramBuilder::AddExpr(ir::Expr expr) {
  program_.exprs.push_back(expr);
  return static_cast<int>(program_.exprs.size()) - 1;
}

inline int ProgramBuilder::C(ir::Value value) { return AddExpr({.op = ir::ExprOp::kConst, .value = value}); }
inline int ProgramBuilder::L(int local) { return AddExpr({.op = ir::ExprOp::kLocal, .index = local}); }
inline int ProgramBuilder::Self() { return AddExpr({.op = ir::ExprOp::kSelf}); }
inline int ProgramBuilder::G(int var, int index) { return AddExpr({.op = ir::ExprOp::kGlobal, .var = var, .a = index}); }
inline int ProgramBuilder::P(int param) { return AddExpr({.op = ir::ExprOp::kParam, .index = param}); }
inline int ProgramBuilder::Op(ir::ExprOp op, int a, int b) { return AddExpr({.op = op, .a = a, .b = b}); }

inline int ProgramBuilder::AddStatement(const std::string& text) {
  ir::Statement statement;
  statement.text = text;
  // Line n+1 for the n-th statement, so tests can name lines.
  statement.range.begin.line = static_cast<int>(program_.statements.size()) + 1;
  statement.range.end.line = statement.range.begin.line;
  program_.statements.push_back(statement);
  return static_cast<int>(program_.statements.size()) - 1;
}

inline void ProgramBuilder::AddProperty(ir::PropertyKind kind, const std::string& name, int expr,
                                        const std::string& text, std::vector<int> vars) {
  ir::Property property;
  property.kind = kind;
  property.name = name;
  property.expr = expr;
  property.text = text;
  property.vars.assign(vars.begin(), vars.end());
  program_.properties.push_back(property);
}

inline void ProgramBuilder::Invariant(const std::string& name, int expr, const std::string& text,
                                      std::vector<int> vars) {
  AddProperty(ir::PropertyKind::kInvariant, name, expr, text, std::move(vars));
}
inline void ProgramBuilder::Final(const std::string& name, int expr, const std::string& text, std::vector<int> vars) {
  AddProperty(ir::PropertyKind::kFinal, name, expr, text, std::move(vars));
}
inline void ProgramBuilder::Cover(const std::string& name, int expr, const std::string& text, std::vector<int> vars) {
  AddProperty(ir::PropertyKind::kCover, name, expr, text, std::move(vars));
}

inline ir::Program ProgramBuilder::Build() {
  ir::Program& p = program_;
  p.slots.clear();
  auto add_slot = [&](std::string name, ir::ValueType type = {}, bool is_pc = false, int instance = -1) {
    ir::SlotInfo info;
    info.name = std::move(name);
    info.type = type;
    info.is_pc = is_pc;
    info.instance = instance;
    p.slots.push_back(std::move(info));
    return static_cast<int32_t>(p.slots.size()) - 1;
  };
  for (ir::Param& param : p.params) param.slot = add_slot(param.name);
  for (ir::VarKind kind : {ir::VarKind::kShared, ir::VarKind::kGhost}) {
    for (ir::Variable& var : p.vars) {
      if (var.kind != kind) continue;
      var.first_slot = static_cast<int32_t>(p.slots.size());
      for (int32_t i = 0; i < var.size; ++i) {
        add_slot(var.is_array ? var.name + "[" + std::to_string(var.index_lo + i) + "]" : var.name, var.type);
      }
    }
  }
  for (ir::Lock& lock : p.locks) {
    lock.first_slot = static_cast<int32_t>(p.slots.size());
    for (int32_t i = 0; i < lock.size; ++i) {
      add_slot("lock " + (lock.is_array ? lock.name + "[" + std::to_string(lock.index_lo + i) + "]" : lock.name));
      p.slots.back().is_lock = true;
    }
  }
  p.instances.clear();
  for (size_t k = 0; k < p.processes.size(); ++k) {
    const ir::Process& process = p.processes[k];
    for (int32_t i = 0; i < process.instance_count; ++i) {
      ir::Instance inst;
      inst.process = static_cast<int32_t>(k);
      inst.self = i;
      inst.display_name = process.name + "[" + std::to_string(i) + "]";
      int instance = static_cast<int>(p.instances.size());
      inst.base_slot = add_slot(inst.display_name + ".pc", {}, true, instance);
      for (size_t l = 0; l < process.local_names.size(); ++l) {
        // Locals are recorded by their short name, as the front end does.
        add_slot(process.local_names[l], process.local_types[l], false, instance);
      }
      p.instances.push_back(inst);
    }
  }
  p.slot_count = static_cast<int32_t>(p.slots.size());
  return std::move(p);
}

inline ir::Process& ProcessBuilder::process() const { return owner_->program_.processes[process_]; }

// An instruction with the given fields; the rest keep their defaults.
inline ir::Instr MakeInstr(ir::Op op, int dst = -1, int var = -1, int index = -1, int expr = -1, int expr2 = -1,
                           int target = -1) {
  ir::Instr instr;
  instr.op = op;
  instr.dst = dst;
  instr.var = var;
  instr.index = index;
  instr.expr = expr;
  instr.expr2 = expr2;
  instr.target = target;
  return instr;
}

inline int ProcessBuilder::Add(ir::Instr instr, const std::string& text) {
  instr.statement = text.empty() ? -1 : owner_->AddStatement(text);
  process().code.push_back(std::move(instr));
  return static_cast<int>(process().code.size()) - 1;
}

inline int ProcessBuilder::Next() const { return static_cast<int>(process().code.size()); }
inline void ProcessBuilder::SetTarget(int instr, int target) { process().code[instr].target = target; }

inline int ProcessBuilder::Let(int dst, int expr, const std::string& text) {
  return Add(MakeInstr(ir::Op::kLet, dst, -1, -1, expr), text);
}
inline int ProcessBuilder::Read(int dst, int var, int index, const std::string& text) {
  return Add(MakeInstr(ir::Op::kRead, dst, var, index), text);
}
inline int ProcessBuilder::Write(int var, int index, int expr, const std::string& text) {
  return Add(MakeInstr(ir::Op::kWrite, -1, var, index, expr), text);
}
inline int ProcessBuilder::GhostWrite(int var, int index, int expr, const std::string& text) {
  return Add(MakeInstr(ir::Op::kGhostWrite, -1, var, index, expr), text);
}
inline int ProcessBuilder::Acquire(int lock, int index, const std::string& text) {
  return Add(MakeInstr(ir::Op::kAcquire, -1, lock, index), text);
}
inline int ProcessBuilder::Release(int lock, int index, const std::string& text) {
  return Add(MakeInstr(ir::Op::kRelease, -1, lock, index), text);
}
inline int ProcessBuilder::AtomicBegin(const std::string& text) { return Add(MakeInstr(ir::Op::kAtomicBegin), text); }
inline int ProcessBuilder::AtomicEnd() { return Add(MakeInstr(ir::Op::kAtomicEnd), ""); }
inline int ProcessBuilder::Await(const std::string& text) { return Add(MakeInstr(ir::Op::kAwait), text); }
inline int ProcessBuilder::Jump(int target) { return Add(MakeInstr(ir::Op::kJump, -1, -1, -1, -1, -1, target), ""); }
inline int ProcessBuilder::BranchFalse(int expr, int target, const std::string& text) {
  return Add(MakeInstr(ir::Op::kBranchFalse, -1, -1, -1, expr, -1, target), text);
}
inline int ProcessBuilder::Assert(int expr, const std::string& message, const std::string& text) {
  ir::Instr instr = MakeInstr(ir::Op::kAssert, -1, -1, -1, expr);
  instr.message = message;
  return Add(std::move(instr), text);
}
inline int ProcessBuilder::Assume(int expr, const std::string& text) {
  return Add(MakeInstr(ir::Op::kAssume, -1, -1, -1, expr), text);
}
inline int ProcessBuilder::Choose(int dst, int lo, int hi, const std::string& text) {
  return Add(MakeInstr(ir::Op::kChoose, dst, -1, -1, lo, hi), text);
}
inline int ProcessBuilder::End() { return Add(MakeInstr(ir::Op::kEnd), ""); }

inline void ProcessBuilder::DefaultParam(int local, int value_expr) {
  ir::ProcessParam param;
  param.name = process().local_names[local];
  param.local = local;
  param.value_expr = value_expr;
  process().params.push_back(std::move(param));
}
inline void ProcessBuilder::RangeParam(int local, int lo_expr, int hi_expr) {
  ir::ProcessParam param;
  param.name = process().local_names[local];
  param.local = local;
  param.is_range = true;
  param.lo_expr = lo_expr;
  param.hi_expr = hi_expr;
  process().params.push_back(std::move(param));
}

}  // namespace racecheck::explore::testing
