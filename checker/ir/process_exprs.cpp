#include "checker/ir/process_exprs.h"

namespace racecheck::ir {
namespace {

// The pcs the instruction at `pc` may go on to (assigned_locals.cpp follows the same edges).
std::vector<int32_t> Successors(const Instr& instr, int32_t pc) {
  switch (instr.op) {
    case Op::kJump: return {instr.target};
    case Op::kBranchFalse:
    case Op::kRedisBegin: return {pc + 1, instr.target};
    case Op::kSql:
    case Op::kTxCommit:
      if (instr.target >= 0) return {pc + 1, instr.target};
      return {pc + 1};
    case Op::kEnd:
    case Op::kTxRaise: return {};
    default: return {pc + 1};
  }
}

}  // namespace

std::vector<int32_t> LocalsReadBy(const Program& program, const Instr& instr) {
  std::vector<int32_t> read;
  std::function<void(int32_t)> walk = [&](int32_t expr) {
    if (expr < 0) return;
    const Expr& e = program.exprs[expr];
    if (e.op == ExprOp::kLocal) read.push_back(e.index);
    walk(e.a);
    walk(e.b);
    walk(e.key_index);
  };
  VisitInstrExprs(program, instr, walk);
  if (instr.op == Op::kSql && program.sql[instr.call].start >= 0) read.push_back(program.sql[instr.call].start);
  return read;
}

void VisitInstrExprs(const Program& program, const Instr& instr, const std::function<void(int32_t)>& root,
                     const std::function<void(int32_t var, int32_t index)>& variable_index) {
  bool variable = instr.op == Op::kRead || instr.op == Op::kWrite || instr.op == Op::kGhostWrite;
  if (variable && variable_index) {
    variable_index(instr.var, instr.index);
  } else {
    root(instr.index);
  }
  root(instr.expr);
  root(instr.expr2);
  if (instr.call < 0) return;
  switch (instr.op) {
    case Op::kSql: {
      const SqlStatement& sql = program.sql[instr.call];
      root(sql.where);
      root(sql.key_expr);
      for (const SqlSet& set : sql.sets) root(set.expr);
      for (int32_t e : sql.values) root(e);
      for (int32_t check : program.tables[sql.table].checks) root(check);
      break;
    }
    case Op::kRedis: {
      const RedisOp& op = program.redis_ops[instr.call];
      for (int32_t e : {op.element, op.key_index, op.value, op.ttl, op.count, op.target_index}) root(e);
      for (int32_t e : op.args) root(e);
      break;
    }
    case Op::kRedisBegin: root(program.redis_blocks[instr.call].element); break;
    case Op::kCrash:
      for (const CrashPoint::HeldLock& held : program.crashes[instr.call].lock_blocks) root(held.index);
      break;
    default: break;
  }
}

void VisitProcessExprs(const Program& program, const Process& process, const std::function<void(int32_t)>& root,
                       const std::function<void(int32_t var, int32_t index)>& variable_index) {
  for (const ProcessParam& param : process.params) {
    for (int32_t e : {param.value_expr, param.lo_expr, param.hi_expr}) root(e);
  }
  for (const Instr& instr : process.code) VisitInstrExprs(program, instr, root, variable_index);
}

std::vector<std::vector<bool>> LiveLocals(const Program& program, const Process& process) {
  const std::vector<Instr>& code = process.code;
  auto n = static_cast<int32_t>(code.size());
  size_t locals = process.local_names.size();
  std::vector<bool> always(locals, false);
  for (const ProcessParam& param : process.params) always[param.local] = true;
  if (process.crash_local >= 0) always[process.crash_local] = true;
  // Read by the engines only (Process::rounds_local), never by the code.
  if (process.rounds_local >= 0) always[process.rounds_local] = true;
  std::vector<std::vector<int32_t>> reads(code.size());
  for (int32_t pc = 0; pc < n; ++pc) reads[pc] = LocalsReadBy(program, code[pc]);
  std::vector<std::vector<bool>> live(code.size(), always);
  // Backwards to a fixed point: live here = read here, or live after and not always written here.
  for (bool changed = true; changed;) {
    changed = false;
    for (int32_t pc = n - 1; pc >= 0; --pc) {
      const Instr& instr = code[pc];
      std::vector<bool> now = always;
      for (int32_t next : Successors(instr, pc)) {
        if (next < 0 || next >= n) continue;
        for (size_t k = 0; k < locals; ++k) now[k] = now[k] || live[next][k];
      }
      bool kills = instr.op == Op::kLet || instr.op == Op::kRead || instr.op == Op::kChoose;
      if (kills && instr.dst >= 0 && !always[instr.dst]) now[instr.dst] = false;
      for (int32_t k : reads[pc]) now[k] = true;
      if (now != live[pc]) {
        live[pc] = std::move(now);
        changed = true;
      }
    }
  }
  return live;
}

}  // namespace racecheck::ir
