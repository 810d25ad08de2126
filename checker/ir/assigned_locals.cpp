#include "checker/ir/assigned_locals.h"

#include <algorithm>

#include "checker/ir/ops.h"

namespace racecheck::ir {
namespace {

// What the local holds at a pc, joined over the paths reaching it.
enum class Held : char { kUnreached, kZero, kAssigned, kEither };

Held Join(Held a, Held b) {
  if (a == Held::kUnreached) return b;
  if (b == Held::kUnreached || a == b) return a;
  return Held::kEither;
}

bool IsZero(const Program& program, int32_t expr) {
  return expr >= 0 && program.exprs[expr].op == ExprOp::kConst && program.exprs[expr].value == 0;
}

}  // namespace

bool MayWrite(const Program& program, const Instr& instr, int32_t local) {
  if (instr.dst == local) return true;
  if (instr.op != Op::kSql) return false;
  const SqlStatement& sql = program.sql[instr.call];
  return sql.start == local || std::find(sql.results.begin(), sql.results.end(), local) != sql.results.end();
}

// As laid out in the process's instances (SlotInfo::hidden).
bool IsHidden(const Program& program, const Process& process, int32_t local) {
  for (const Instance& inst : program.instances) {
    if (&program.processes[inst.process] == &process) return program.slots[inst.base_slot + 1 + local].hidden;
  }
  return false;
}

bool IsReadCopy(const Program& program, const Process& process, int32_t local) {
  if (!IsHidden(program, process, local)) return false;
  for (const Instr& instr : process.code) {
    if (!MayWrite(program, instr, local)) continue;
    bool read = instr.op == Op::kRead || instr.op == Op::kRedis ||
                (instr.op == Op::kSql && instr.dst != local && program.sql[instr.call].start != local);
    if (!read && !(instr.op == Op::kLet && IsZero(program, instr.expr))) return false;
  }
  return true;
}

std::optional<std::vector<char>> AssignedAt(const Program& program, const Process& process, int32_t local) {
  const std::vector<Instr>& code = process.code;
  std::vector<Held> at(code.size(), Held::kUnreached);
  std::vector<int32_t> work;
  auto reach = [&](int32_t pc, Held held) {
    if (pc < 0 || pc >= static_cast<int32_t>(code.size())) return;
    Held joined = Join(at[pc], held);
    if (joined == at[pc]) return;
    at[pc] = joined;
    work.push_back(pc);
  };
  bool read_copy = IsReadCopy(program, process, local);
  reach(0, Held::kZero);
  while (!work.empty()) {
    int32_t pc = work.back();
    work.pop_back();
    const Instr& instr = code[pc];
    Held in = at[pc];
    // What the instruction leaves on its way on (pc + 1); its jump or failure edge leaves `in`.
    Held on = in;
    bool writes = MayWrite(program, instr, local);
    bool definite = false;
    switch (instr.op) {
      case Op::kLet: definite = instr.dst == local && !read_copy; break;
      case Op::kRead:
      case Op::kChoose:
      case Op::kRedis: definite = instr.dst == local; break;
      case Op::kSql: {
        // Its results are written when it completes (pc + 1); its failure label sees them unwritten.
        const SqlStatement& sql = program.sql[instr.call];
        definite = std::find(sql.results.begin(), sql.results.end(), local) != sql.results.end() &&
                   sql.start != local && instr.dst != local;
        break;
      }
      default: break;
    }
    bool cleared = read_copy && instr.op == Op::kLet && instr.dst == local && IsZero(program, instr.expr);
    if (writes && !definite && !cleared) return std::nullopt;
    if (definite) on = Held::kAssigned;
    if (cleared) on = Held::kZero;
    switch (instr.op) {
      case Op::kJump: reach(instr.target, in); break;
      case Op::kBranchFalse:
        reach(pc + 1, in);
        reach(instr.target, in);
        break;
      case Op::kSql:
      case Op::kTxCommit:
        reach(pc + 1, on);
        if (instr.target >= 0) reach(instr.target, in);
        break;
      case Op::kRedisBegin:
        reach(pc + 1, on);
        reach(instr.target, in);
        break;
      case Op::kCrash: reach(pc + 1, Held::kZero); break;  // the crash clears the locals
      case Op::kEnd:
      case Op::kTxRaise: break;  // the instance ends (or the run stops at a finding)
      default: reach(pc + 1, on); break;
    }
  }
  // States rest only at pc 0 (where instances start), before visible instructions (where steps
  // end, wait or block) and after an await (where an event loop's task yields); a step runs
  // through the others, so there either answer serves (only a failing step's state, which the
  // trace builder normalises, may stop there).
  // Reached both ways, a local the model or a fn declares is out of scope there: every point in
  // its scope lies after its let on every path (blocks are entered at their start; loops, retries
  // and failures jump to a block's start or out of it), and nothing reads it out of scope before
  // a let writes it again. So its value is dead there (kDeadHere). A read copy is the compiler's,
  // not scoped.
  std::vector<char> assigned(code.size(), kZeroHere);
  for (size_t pc = 0; pc < code.size(); ++pc) {
    bool rests = pc == 0 || IsVisible(code[pc].op) || code[pc - 1].op == Op::kAwait;
    if (at[pc] == Held::kEither && read_copy && rests) return std::nullopt;
    if (at[pc] == Held::kAssigned) assigned[pc] = kAssignedHere;
    if (at[pc] == Held::kEither && !read_copy) assigned[pc] = kDeadHere;
  }
  return assigned;
}

}  // namespace racecheck::ir
