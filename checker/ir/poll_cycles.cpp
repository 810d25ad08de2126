#include "checker/ir/poll_cycles.h"

#include <algorithm>
#include <utility>

#include "checker/ir/assigned_locals.h"
#include "checker/ir/footprint.h"
#include "checker/ir/ops.h"
#include "checker/ir/process_exprs.h"

namespace racecheck::ir {
namespace {

// A value the same every time the instance computes it: numbers, `self`, global params, the
// locals marked in `fixed_locals` (LocalsFixedInLoops: the same in every round of a loop) and
// operators on them (SameEveryRound; without `fixed_locals`, no local).
bool Fixed(const Program& program, int32_t expr, const std::vector<uint8_t>* fixed_locals = nullptr) {
  static const std::vector<uint8_t> kNoLocal;
  return SameEveryRound(program, expr, fixed_locals ? *fixed_locals : kNoLocal);
}

// A heartbeat: a write that puts a fixed value in a fixed place (`SET(hb[self], 1)`, `PEXPIRE(hb,
// 20)`, `alive = true`), so that from the second round on a round writes what is there already
// (but a lease's time left). A loop that writes nothing else waits as a poll does (round 19: a
// heartbeat in a poll inside a takes block held time back for everyone, and a lease race in two
// other requests was proved absent).
bool Heartbeat(const Program& program, const Instr& instr) {
  if (instr.op == Op::kWrite) return Fixed(program, instr.index) && Fixed(program, instr.expr);
  if (instr.op != Op::kRedis) return false;
  const RedisOp& op = program.redis_ops[instr.call];
  if (!Fixed(program, op.element) || !Fixed(program, op.key_index) || !Fixed(program, op.ttl)) return false;
  if (op.command == RedisCommand::kExpire) return true;
  return op.command == RedisCommand::kSet && !op.get && Fixed(program, op.value);
}

// Whether the instruction only reads: it leaves the other requests as they were (shared memory,
// rows, Redis keys), writing at most the instance's locals, pc, transaction state and ghosts. A
// select that locks no row counts (its SSI marks, under serializable, decide outcomes of
// transactions, not when time may pass), and so does WATCH (the instance's own watch slot); a
// blocking pop, which may wait, does not. Marking too much only makes a request wait where it
// works: a false alarm at worst, never a wrong SAFE.
bool LeavesStateAlone(const Program& program, const Instr& instr) {
  if (Heartbeat(program, instr)) return true;
  switch (instr.op) {
    case Op::kLet:
    case Op::kRead:
    case Op::kAwait:
    case Op::kJump:
    case Op::kBranchFalse:
    case Op::kAssert:
    case Op::kAssume:
    case Op::kChoose:
      return true;
    case Op::kGhostWrite:
      return true;
    case Op::kRedis: {
      const RedisOp& op = program.redis_ops[instr.call];
      // A SET NX or XX that fails writes nothing: a spin lock's try (`while not redis.SET(mu, v,
      // NX) { let who = redis.GET(mu) }`) goes round only when it failed. One that succeeds and
      // still goes round is over-marked, as above (round 16 found such a spin proved safe).
      bool try_set = op.command == RedisCommand::kSet && (op.nx || op.xx);
      // Likewise a pop or move from an empty list, a worker's poll of its queue (round 19: with a
      // heartbeat beside it, `while go { SET(hb, 1); let j = LPOP(q) ... }`).
      bool try_pop = op.command == RedisCommand::kPop || op.command == RedisCommand::kMove;
      return (RedisReadsOnly(op.command) || try_set || try_pop) && !op.blocking;
    }
    case Op::kSql: {
      const SqlStatement& sql = program.sql[instr.call];
      return sql.kind == SqlKind::kSelect && !sql.for_update;
    }
    default:
      return false;
  }
}

// Where a step starts, as the engines cut steps: a visible access under threads; a call or an
// await under the event loop.
bool StartsStep(const Program& program, Op op) {
  if (program.runtime == Runtime::kEventLoop) return IsExternal(op) || op == Op::kAwait;
  return IsVisible(op);
}

}  // namespace

// The strongly connected components of the kept instructions (Tarjan's, without recursion): per
// pc its component, -1 where not kept; `count` the number of components.
std::vector<int32_t> Components(const std::vector<Instr>& code, const std::vector<uint8_t>& kept, int32_t* count) {
  const auto n = static_cast<int32_t>(code.size());
  std::vector<int32_t> index(n, -1), low(n, 0), component(n, -1), stack;
  std::vector<uint8_t> on_stack(n, 0);
  int32_t next_index = 0, components = 0;
  struct Frame {
    int32_t pc;
    std::vector<int32_t> next;
    size_t at = 0;
  };
  auto successors = [&](int32_t pc) {
    std::vector<int32_t> next;
    for (int32_t s : Successors(code, pc)) {
      if (s >= 0 && s < n && kept[s]) next.push_back(s);
    }
    return next;
  };
  for (int32_t root = 0; root < n; ++root) {
    if (!kept[root] || index[root] >= 0) continue;
    std::vector<Frame> frames;
    auto enter = [&](int32_t pc) {
      index[pc] = low[pc] = next_index++;
      stack.push_back(pc);
      on_stack[pc] = 1;
      frames.push_back({pc, successors(pc)});
    };
    enter(root);
    while (!frames.empty()) {
      Frame& frame = frames.back();
      if (frame.at < frame.next.size()) {
        int32_t s = frame.next[frame.at++];
        if (index[s] < 0) {
          enter(s);
        } else if (on_stack[s]) {
          low[frame.pc] = std::min(low[frame.pc], index[s]);
        }
        continue;
      }
      int32_t pc = frame.pc;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().pc] = std::min(low[frames.back().pc], low[pc]);
      if (low[pc] != index[pc]) continue;
      int32_t member;
      do {
        member = stack.back();
        stack.pop_back();
        on_stack[member] = 0;
        component[member] = components;
      } while (member != pc);
      ++components;
    }
  }
  *count = components;
  return component;
}

// Per pc, whether it lies inside an atomic block or a Redis script or multi block, which runs as
// one step from its begin: nothing there starts a step. Blocks are lexical, and nothing jumps out
// of one, so a count of begins and ends in code order says.
std::vector<uint8_t> InsideOneStepBlocks(const std::vector<Instr>& code) {
  std::vector<uint8_t> inside(code.size(), 0);
  int32_t depth = 0;
  for (size_t pc = 0; pc < code.size(); ++pc) {
    Op op = code[pc].op;
    if (op == Op::kAtomicEnd || op == Op::kRedisEnd) --depth;
    inside[pc] = depth > 0;
    if (op == Op::kAtomicBegin || op == Op::kRedisBegin) ++depth;
  }
  return inside;
}

// Per component: its members, and how many of them start a step.
std::pair<std::vector<int32_t>, std::vector<int32_t>> Sizes(const Program& program, const std::vector<Instr>& code,
                                                            const std::vector<int32_t>& component, int32_t components) {
  std::vector<int32_t> size(components, 0), steps(components, 0);
  std::vector<uint8_t> inside = InsideOneStepBlocks(code);
  for (size_t pc = 0; pc < code.size(); ++pc) {
    if (component[pc] < 0) continue;
    ++size[component[pc]];
    if (!inside[pc] && StartsStep(program, code[pc].op)) ++steps[component[pc]];
  }
  return {size, steps};
}

// Whether `expr` reads the local `local` alone.
bool IsLocal(const Program& program, int32_t expr, int32_t local) {
  return expr >= 0 && program.exprs[expr].op == ExprOp::kLocal && program.exprs[expr].index == local;
}

// Per local of the process: 1 when no instruction on a cycle of its code (every instruction kept)
// writes it, so that a loop reads the same value in every round: `let lim = 3` before the loop, a
// process parameter (`tries = 3`), a value read once before it. Round 21: a counter bounded by one
// was taken for a wait, a false alarm.
std::vector<uint8_t> LocalsFixedInLoops(const Program& program, const std::vector<Instr>& code, size_t locals) {
  const auto n = static_cast<int32_t>(code.size());
  int32_t components = 0;
  std::vector<int32_t> component = Components(code, std::vector<uint8_t>(n, 1), &components);
  std::vector<int32_t> size = Sizes(program, code, component, components).first;
  std::vector<uint8_t> fixed(locals, 1);
  for (int32_t pc = 0; pc < n; ++pc) {
    auto self_loop = [&] {
      std::vector<int32_t> next = Successors(code, pc);
      return std::find(next.begin(), next.end(), pc) != next.end();
    };
    if (size[component[pc]] < 2 && !self_loop()) continue;
    for (size_t local = 0; local < locals; ++local) {
      if (MayWrite(program, code[pc], static_cast<int32_t>(local))) fixed[local] = 0;
    }
  }
  return fixed;
}

bool SameEveryRound(const Program& program, int32_t expr, const std::vector<uint8_t>& fixed_locals) {
  if (expr < 0) return true;
  const Expr& e = program.exprs[expr];
  switch (e.op) {
    case ExprOp::kConst:
    case ExprOp::kSelf:
    case ExprOp::kParam:
      return true;
    case ExprOp::kLocal:
      return e.index >= 0 && static_cast<size_t>(e.index) < fixed_locals.size() && fixed_locals[e.index];
    case ExprOp::kGlobal:
    case ExprOp::kColumn:
    case ExprOp::kCell:
    case ExprOp::kTableCount:
    case ExprOp::kTableSum:
    case ExprOp::kRedisValue:
    case ExprOp::kRedisLease:
    case ExprOp::kRedisLength:
    case ExprOp::kRedisContains:
    case ExprOp::kRedisHashGet:
      return false;
    default:
      return SameEveryRound(program, e.a, fixed_locals) && SameEveryRound(program, e.b, fixed_locals);
  }
}

// For a counter `local` that only grows: whether `expr` holding means the loop goes on
// (`going_on`: `local < F`, `local <= F`, `F > local`, `F >= local`, `local != F` (raised by 1
// from below it meets F; from above it overflows into a runtime error), an `and` holding one) or
// ends (not `going_on`: `local > F`, `local >= F`, `local == F` and their mirrors, an `or` holding
// one, as `if i > 2 { break }`), `not` turning one into the other. Either way the counter ends it.
bool CounterBound(const Program& program, int32_t expr, int32_t local, bool going_on,
                  const std::vector<uint8_t>& fixed_locals) {
  if (expr < 0) return false;
  const Expr& e = program.exprs[expr];
  auto bound = [&](int32_t x) { return Fixed(program, x, &fixed_locals); };
  bool local_first = IsLocal(program, e.a, local) && e.b >= 0 && bound(e.b);
  bool local_second = e.a >= 0 && bound(e.a) && IsLocal(program, e.b, local);
  switch (e.op) {
    case ExprOp::kLt:
    case ExprOp::kLe:
      return going_on ? local_first : local_second;
    case ExprOp::kGt:
    case ExprOp::kGe:
      return going_on ? local_second : local_first;
    case ExprOp::kNe:
      return going_on && (local_first || local_second);
    case ExprOp::kEq:
      return !going_on && (local_first || local_second);
    case ExprOp::kAnd:
    case ExprOp::kOr: {
      // Going on while both hold (`and`): either bound ends it; ending when either holds (`or`).
      bool either = e.op == ExprOp::kAnd ? going_on : !going_on;
      return either && (CounterBound(program, e.a, local, going_on, fixed_locals) ||
                        CounterBound(program, e.b, local, going_on, fixed_locals));
    }
    case ExprOp::kNot:
      return CounterBound(program, e.a, local, !going_on, fixed_locals);
    default:
      return false;
  }
}

// A branch at `b` on the temporary of a short-circuit `A and B` (`A or B`) whose first operand
// decides (Lowerer::LowerShortCircuit: `t = 1 and A`, a branch past the rest while t is false
// (true), the rest setting t only there): true at `b` only where A held (held wherever A held).
// A, or -1 when `b` is not such a branch; `and_op` says which.
int32_t ShortCircuitFirst(const Program& program, const std::vector<Instr>& code, int32_t b, bool* and_op) {
  const Instr& branch = code[b];
  if (branch.expr < 0 || program.exprs[branch.expr].op != ExprOp::kLocal) return -1;
  int32_t t = program.exprs[branch.expr].index;
  for (int32_t l = b - 1; l >= 1; --l) {
    const Instr& first = code[l - 1];
    const Instr& skip = code[l];
    if (skip.op != Op::kBranchFalse || first.op != Op::kLet || first.dst != t) continue;
    if (skip.target <= l || skip.target > b) return -1;
    const Expr& e = program.exprs[first.expr];
    bool is_and = e.op == ExprOp::kAnd, is_or = e.op == ExprOp::kOr;
    if (!(is_and || is_or) || program.exprs[e.a].op != ExprOp::kConst) return -1;
    std::vector<int32_t> read = LocalsReadBy(program, skip);
    if (read.size() != 1 || read[0] != t) return -1;
    // Where A did not hold (did), the skip lands past every other write of t before the branch.
    for (int32_t k = skip.target; k < b; ++k) {
      if (MayWrite(program, code[k], t)) return -1;
    }
    *and_op = is_and;
    return e.b;
  }
  return -1;
}

// Whether every cycle of component `c` passes `pc`: taking it out leaves no cycle. A bound tested
// only on some rounds (`if st == 2 { if tries > 2 { break } }`, where others decide st) bounds
// none of the others (round 25: a holder spun without end while no time passed).
bool OnEveryCycle(const Program& program, const std::vector<Instr>& code, const std::vector<int32_t>& component,
                  int32_t c, int32_t pc) {
  std::vector<uint8_t> kept(code.size(), 0);
  for (size_t k = 0; k < code.size(); ++k) kept[k] = component[k] == c && static_cast<int32_t>(k) != pc;
  int32_t count = 0;
  std::vector<int32_t> rest = Components(code, kept, &count);
  std::vector<int32_t> sizes = Sizes(program, code, rest, count).first;
  return std::none_of(sizes.begin(), sizes.end(), [](int32_t members) { return members > 1; });
}

// `local = local + c` with c a positive number.
bool Increments(const Program& program, const Instr& instr, int32_t local) {
  if (instr.op != Op::kLet || instr.dst != local) return false;
  const Expr& e = program.exprs[instr.expr];
  auto positive = [&](int32_t x) { return program.exprs[x].op == ExprOp::kConst && program.exprs[x].value > 0; };
  auto is_local = [&](int32_t x) { return IsLocal(program, x, local); };
  return e.op == ExprOp::kAdd && ((is_local(e.a) && positive(e.b)) || (positive(e.a) && is_local(e.b)));
}

// Per cycle, the locals only ever raised on it by a positive number and tested against a fixed
// bound by a branch on it (`while i <= 2 { ...; i += 1 }`, `while rounds < 3`): their increments
// are taken out of `kept`. Whether any was.
bool CutCountedLoops(const Program& program, const std::vector<Instr>& code, const std::vector<int32_t>& component,
                     const std::vector<uint8_t>& fixed_locals, std::vector<uint8_t>* kept) {
  const auto n = static_cast<int32_t>(code.size());
  bool cut = false;
  for (int32_t pc = 0; pc < n; ++pc) {
    int32_t c = component[pc];
    if (c < 0 || code[pc].op != Op::kLet || !Increments(program, code[pc], code[pc].dst)) continue;
    int32_t local = code[pc].dst;
    bool only_raised = true, bounded = false;
    for (int32_t other = 0; other < n && only_raised; ++other) {
      if (component[other] != c) continue;
      const Instr& instr = code[other];
      if (MayWrite(program, instr, local) && !Increments(program, instr, local)) only_raised = false;
      if (instr.op != Op::kBranchFalse) continue;
      // Going on while the bound holds: its false side leaves; or leaving once the counter is
      // past it: its true side (the next instruction, a `break`) is off the cycle.
      bool true_side_leaves = other + 1 < n && component[other + 1] != c;
      auto goes_on_while = [&](int32_t e) { return CounterBound(program, e, local, true, fixed_locals); };
      auto ends_once = [&](int32_t e) {
        return true_side_leaves && CounterBound(program, e, local, false, fixed_locals);
      };
      // `while i < 3 and redis.GET(go) != 1`: the read runs only where i < 3 held (round 24), so the
      // branch is on a temporary whose first operand is the bound; likewise `if i > 2 or ... { break }`.
      bool and_op = false;
      int32_t first = ShortCircuitFirst(program, code, other, &and_op);
      bool bounds = goes_on_while(instr.expr) || ends_once(instr.expr) ||
                    (first >= 0 && (and_op ? goes_on_while(first) : ends_once(first)));
      if (bounds && OnEveryCycle(program, code, component, c, other)) bounded = true;
    }
    if (!only_raised || !bounded) continue;
    for (int32_t other = 0; other < n; ++other) {
      if (component[other] == c && Increments(program, code[other], local)) (*kept)[other] = 0;
    }
    cut = true;
  }
  return cut;
}

std::vector<uint8_t> PollCycles(const Program& program, const Process& process) {
  const std::vector<Instr>& code = process.code;
  const auto n = static_cast<int32_t>(code.size());
  std::vector<uint8_t> kept(n), on_cycle(n, 0);
  for (int32_t pc = 0; pc < n; ++pc) kept[pc] = LeavesStateAlone(program, code[pc]);
  int32_t components = 0;
  std::vector<int32_t> component = Components(code, kept, &components);
  // A counted loop goes round a bounded number of times whatever the others do: it works, it
  // does not wait. Its counter's increments leave the graph, and what still cycles is a poll.
  std::vector<uint8_t> fixed_locals = LocalsFixedInLoops(program, code, process.local_names.size());
  while (CutCountedLoops(program, code, component, fixed_locals, &kept)) component = Components(code, kept, &components);
  // A component is a cycle when it has two members, or one that jumps to itself; it polls in
  // several steps when two or more of its members start a step.
  auto [size, steps] = Sizes(program, code, component, components);
  for (int32_t pc = 0; pc < n; ++pc) {
    int32_t c = component[pc];
    on_cycle[pc] = c >= 0 && size[c] > 1 && steps[c] >= 2;
  }
  return on_cycle;
}

namespace {

// Whether the instruction reads a local marked in `tainted`. (Process code reads shared state
// only through kRead and the calls, whose answers land in locals: no expression of a kLet or a
// branch names a global.)
bool FromOthers(const Program& program, const Instr& instr, const std::vector<uint8_t>& tainted) {
  for (int32_t r : LocalsReadBy(program, instr)) {
    if (r >= 0 && static_cast<size_t>(r) < tainted.size() && tainted[r]) return true;
  }
  return false;
}

}  // namespace

namespace {

// Per pc, whether it lies inside a takes block: reachable from a region's opening (a write of
// -(bound + 1) to the process's region slot) without passing its closing (a write of 0).
std::vector<uint8_t> InsideTakes(const Program& program, const Process& process) {
  const std::vector<Instr>& code = process.code;
  const auto n = static_cast<int32_t>(code.size());
  std::vector<uint8_t> inside(n, 0);
  auto region_write = [&](int32_t pc, bool opens) {
    const Instr& instr = code[pc];
    if (instr.op != Op::kGhostWrite || instr.var != process.region_var || instr.expr < 0) return false;
    const Expr& e = program.exprs[instr.expr];
    return e.op == ExprOp::kConst && (opens ? e.value < 0 : e.value == 0);
  };
  std::vector<int32_t> todo;
  for (int32_t pc = 0; pc < n; ++pc) {
    if (region_write(pc, true)) todo.push_back(pc);
  }
  while (!todo.empty()) {
    int32_t pc = todo.back();
    todo.pop_back();
    for (int32_t next : Successors(code, pc)) {
      if (next < 0 || next >= n || inside[next] || region_write(next, false)) continue;
      inside[next] = 1;
      todo.push_back(next);
    }
  }
  return inside;
}

}  // namespace

WaitProbes ProbeSteps(const Program& program, const Process& process) {
  const std::vector<Instr>& code = process.code;
  const auto n = static_cast<int32_t>(code.size());
  // Every instruction but the compiler's own ghosts (a takes region opened, paused or closed): a
  // cycle that leaves its takes block is no round inside it.
  std::vector<uint8_t> kept(n);
  for (int32_t pc = 0; pc < n; ++pc) {
    const Instr& instr = code[pc];
    kept[pc] = !(instr.op == Op::kGhostWrite && program.vars[instr.var].internal);
  }
  int32_t components = 0;
  std::vector<int32_t> component = Components(code, kept, &components);
  std::vector<uint8_t> looped(n, 0);
  {
    auto [size, steps] = Sizes(program, code, component, components);
    for (int32_t pc = 0; pc < n; ++pc) looped[pc] = component[pc] >= 0 && size[component[pc]] > 1;
  }
  std::vector<uint8_t> fixed_locals = LocalsFixedInLoops(program, code, process.local_names.size());
  while (CutCountedLoops(program, code, component, fixed_locals, &kept)) component = Components(code, kept, &components);
  auto [size, steps] = Sizes(program, code, component, components);
  WaitProbes found{std::vector<int32_t>(n, 1), std::vector<uint8_t>(n, 0), {}};
  // On a loop before the counted loops' cut and on none after: every round through the pc raises
  // a counter that ends it, so the rounds are work, and one that changes only its counter
  // (`while i < 2 { let a = redis.GET(go); i += 1 }`, one step a round) is no poll.
  for (int32_t pc = 0; pc < n; ++pc) {
    if (looped[pc] && (component[pc] < 0 || size[component[pc]] < 2)) found.probe_steps[pc] = 0;
  }
  std::vector<uint8_t> in_takes = InsideTakes(program, process);
  for (int32_t c = 0; c < components; ++c) {
    if (size[c] < 2 || steps[c] < 1) continue;
    // A loop outside every takes block holds no time back: nothing to probe or warn about.
    bool polls = false, timed = false;
    for (int32_t pc = 0; pc < n; ++pc) {
      if (component[pc] != c) continue;
      polls = polls || process.OnPollCycle(pc);
      timed = timed || in_takes[pc];
    }
    if (polls || !timed) continue;
    // The locals that hold what others did: a read, a command's or a query's answer, and what is
    // computed from them on the cycle.
    std::vector<uint8_t> tainted(process.local_names.size(), 0);
    for (bool grew = true; grew;) {
      grew = false;
      for (int32_t pc = 0; pc < n; ++pc) {
        if (component[pc] != c) continue;
        const Instr& instr = code[pc];
        for (size_t local = 0; local < tainted.size(); ++local) {
          if (tainted[local] || !MayWrite(program, instr, static_cast<int32_t>(local))) continue;
          bool from_others = instr.op != Op::kLet && instr.op != Op::kChoose;
          if (instr.op == Op::kLet) from_others = FromOthers(program, instr, tainted);
          if (from_others) tainted[local] = grew = true;
        }
      }
    }
    int32_t branch = -1;
    bool writes = false;
    for (int32_t pc = 0; pc < n; ++pc) {
      if (component[pc] != c) continue;
      writes = writes || !LeavesStateAlone(program, code[pc]);
      if (branch < 0 && code[pc].op == Op::kBranchFalse && FromOthers(program, code[pc], tainted)) branch = pc;
      // A statement that jumps to its failure label when another request holds a row (`nowait`)
      // or its key (a duplicate insert), or a commit that fails: others decide where it goes
      // (round 22: a loop retried on a failed `for update nowait` was neither probed nor warned).
      const Instr& instr = code[pc];
      bool fails_by_others = (instr.op == Op::kSql || instr.op == Op::kTxCommit) && instr.target >= 0;
      if (branch < 0 && fails_by_others) branch = pc;
    }
    if (branch < 0) continue;
    // Warned at the loop's first statement in the code (its `while`), not at an inner `if`:
    // where rounds write (one that changes something for good is work to the probe) or nest.
    int32_t first = static_cast<int32_t>(std::find(component.begin(), component.end(), c) - component.begin());
    int32_t head = first;
    while (head < n && (component[head] != c || code[head].statement < 0)) ++head;
    // An inner loop (a cycle left without the loop's first instruction, which every round passes
    // in structured code) runs more steps a round than the code shows, beyond the probe's budget
    // (round 22: a spin with an inner loop of four reads was proved safe): the request waits
    // wherever on the loop it is, as on a poll (over-approximated: a false alarm at worst).
    bool nested = !OnEveryCycle(program, code, component, c, first);
    if (writes || nested) found.write_and_wait.push_back({head < n ? head : branch, nested});
    if (nested) {
      for (int32_t pc = 0; pc < n; ++pc) {
        if (component[pc] == c) found.waits_on_loop[pc] = 1;
      }
    }
    // A round passes each step start of the loop at most once; two rounds bring a toggled value
    // (`SET(hb, t); t = 1 - t`) back, and a value another request wrote over (`SET(last, self)`
    // beside another waiter): the run passes a state twice.
    for (int32_t pc = 0; pc < n; ++pc) {
      if (component[pc] == c) found.probe_steps[pc] = 2 * steps[c];
    }
  }
  return found;
}

std::vector<uint8_t> GhostSlots(const Program& program) {
  std::vector<uint8_t> ghost(static_cast<size_t>(program.slot_count), 0);
  for (const Variable& var : program.vars) {
    if (var.kind != VarKind::kGhost) continue;
    for (int32_t s = 0; s < var.size * var.copies; ++s) ghost[var.first_slot + s] = 1;
  }
  return ghost;
}

std::vector<uint8_t> WatchSlots(const Program& program) {
  std::vector<uint8_t> watch(static_cast<size_t>(program.slot_count), 0);
  for (const Instance& inst : program.instances) {
    const ProcessDb& db = program.processes[inst.process].db;
    for (size_t r = 0; r < db.watches.size(); ++r) {
      if (db.watches[r] < 0) continue;
      const auto count = static_cast<int32_t>(program.redis[r].size * program.redis[r].keys.size());
      for (int32_t k = 0; k < count; ++k) watch[inst.base_slot + db.watches[r] + k] = 1;
    }
  }
  return watch;
}

}  // namespace racecheck::ir
