// Lowering of time (docs/semantics.md, "Time"): takes blocks and pauses become writes of a hidden
// ghost per instance that holds how long its open region may still last; leases hold their time.
#include "checker/ir/footprint.h"
#include "checker/ir/lowerer.h"
#include "checker/ir/poll_cycles.h"

namespace racecheck::ir::lowering {

static_assert(ast::kMaxTime == kMaxLeaseMs, "the front end's limit on times is the longest lease");

using ast::StmtKind;

namespace {

bool UsesTakes(const ast::Block& block) {
  for (const ast::StmtPtr& s : block) {
    if (s->kind == StmtKind::kTakes || UsesTakes(s->body) || UsesTakes(s->else_body) || UsesTakes(s->inlined)) {
      return true;
    }
  }
  return false;
}

}  // namespace

void Lowerer::LayOutRegions() {
  region_var_.assign(model_.processes.size(), -1);
  takes_spans_.assign(model_.processes.size(), {});
  for (size_t p = 0; p < model_.processes.size(); ++p) {
    const ast::ProcessDecl& decl = model_.processes[p];
    if (!UsesTakes(decl.body)) continue;
    program_.timed = true;
    Variable var;
    var.name = "time left in " + decl.name + "'s takes block";
    var.kind = VarKind::kGhost;
    var.internal = true;
    var.is_array = true;
    var.size = decl.count ? static_cast<int32_t>(decl.count->int_value) : 1;
    var.initial.assign(var.size, 0);
    var.range = decl.range;
    var.first_slot = program_.slot_count;
    for (int32_t i = 0; i < var.size; ++i) AddSlot({.name = fmt::format("{}[{}]", var.name, i), .hidden = true});
    region_var_[p] = static_cast<int32_t>(program_.vars.size());
    program_.vars.push_back(std::move(var));
  }
}

void Lowerer::RegionSlots() {
  if (!program_.timed) return;
  for (size_t p = 0; p < program_.processes.size(); ++p) {
    Process& process = program_.processes[p];
    process.region_var = region_var_[p];
    if (process.region_var < 0) continue;
    RefuseEndlessLoops(process, takes_spans_[p]);
    process.poll_cycle = PollCycles(program_, process);
    WaitProbes probes = ProbeSteps(program_, process);
    process.probe_steps = std::move(probes.probe_steps);
    for (size_t pc = 0; pc < process.poll_cycle.size(); ++pc) process.poll_cycle[pc] |= probes.waits_on_loop[pc];
    process.retry_rounds = static_cast<int32_t>(program_.instances.size()) + 1;
    for (size_t pc = 0; pc < process.code.size(); ++pc) {
      process.rounds_cap = std::max(process.rounds_cap, process.RoundsLimit(static_cast<int32_t>(pc)));
    }
    for (const WaitProbes::Warned& loop : probes.write_and_wait) {
      int32_t statement = process.code[loop.pc].statement;
      if (statement < 0) continue;
      diags_.Warning(program_.statements[statement].range.begin,
                     loop.nested ? std::string("this loop inside a takes block waits on other requests and holds an "
                                               "inner loop: racecheck counts a request anywhere on it as waiting, so "
                                               "time may pass while it works too (a false alarm at worst; "
                                               "docs/semantics.md, Time, Waits)")
                                 : fmt::format("this loop inside a takes block writes each round and goes on by "
                                   "what it reads, which other requests may change, so it may be waiting on them: "
                                   "racecheck counts a request on it as waiting unless, run alone, it leaves the loop "
                                   "within two rounds, and after {} rounds in a row (two, and one for each other "
                                   "request, which may fail it once; more mean others keep failing it), so work that "
                                   "needs more rounds (a drain of three items) may give a false alarm "
                                   "(docs/semantics.md, Time, Waits)",
                                               process.retry_rounds));
    }
  }
  for (const Instance& instance : program_.instances) {
    int32_t var = region_var_[instance.process];
    program_.region_slots.push_back(var < 0 ? -1 : program_.vars[var].first_slot + instance.self);
  }
  for (const RedisOp& op : program_.redis_ops) program_.max_time_step = std::max(program_.max_time_step, op.lease_time);
  program_.time_statement = static_cast<int32_t>(program_.statements.size());
  for (int32_t d = 1; d <= program_.max_time_step; ++d) {
    program_.statements.push_back({.range = {}, .text = fmt::format("time passes {} ms", d), .called_from = {}});
  }
}

namespace {

// Where control may go from `pc`, leaving out the side of a branch on a constant (`while true`).
std::vector<int32_t> TakenSuccessors(const Program& program, const std::vector<Instr>& code, int32_t pc) {
  const Instr& instr = code[pc];
  if (instr.op == Op::kBranchFalse && instr.expr >= 0 && program.exprs[instr.expr].op == ExprOp::kConst) {
    return {program.exprs[instr.expr].value != 0 ? pc + 1 : instr.target};
  }
  return Successors(code, pc);
}

}  // namespace

// A loop with no way out inside a takes block is a model error: the block never ends, though its
// bound says it takes at most that long. While a request works on it, no more than the bound
// would pass, and then time would stand still for everyone: a lease it spans never runs out, and
// a race the real code has is proved absent. A way out that tests only what stays the same on the
// loop (`while go` with `go` written on no loop, `while i < 3` with `i` never raised) is taken in
// the first round or never (round 29: such loops were proved safe). A pause on the loop grows the
// bound each round, so time does pass; a crash is no way out (it is not the code's).
void Lowerer::RefuseEndlessLoops(const Process& process, const std::vector<TakesSpan>& spans) {
  const std::vector<Instr>& code = process.code;
  const auto n = static_cast<int32_t>(code.size());
  std::vector<uint8_t> fixed_locals = LocalsFixedInLoops(program_, code, process.local_names.size());
  for (const TakesSpan& span : spans) {
    auto inside = [&](int32_t pc) { return pc > span.open && pc < span.close; };
    // Where control may go from each pc of the block, staying in it.
    auto forward = [&](int32_t from) {
      std::vector<uint8_t> seen(n, 0);
      std::vector<int32_t> todo{from};
      while (!todo.empty()) {
        int32_t at = todo.back();
        todo.pop_back();
        for (int32_t next : TakenSuccessors(program_, code, at)) {
          if (next == span.close) seen[next] = 1;
          if (next >= 0 && next < n && inside(next) && !seen[next]) {
            seen[next] = 1;
            todo.push_back(next);
          }
        }
      }
      return seen;
    };
    std::vector<uint8_t> reached = forward(span.open);
    std::vector<std::vector<uint8_t>> from(n);
    for (int32_t pc = span.open + 1; pc < span.close; ++pc) {
      if (reached[pc]) from[pc] = forward(pc);
    }
    // Whether going to `next` (in the block, off the loop) may lead on: to the block's end, or to
    // another loop, judged by itself. A crash point's branch leads to the crash tail only.
    auto leads_on = [&](int32_t next) {
      if (next == span.close) return true;
      if (!inside(next)) return false;
      if (from[next][span.close]) return true;
      for (int32_t q = span.open + 1; q < span.close; ++q) {
        if (from[next][q] && from[q][q]) return true;
      }
      return false;
    };
    std::vector<uint8_t> reported(n, 0);
    for (int32_t pc = span.open + 1; pc < span.close; ++pc) {
      if (!reached[pc] || reported[pc] || !from[pc][pc]) continue;
      // The loop: the pcs on a cycle through pc (its strongly connected component).
      std::vector<uint8_t> loop(n, 0);
      for (int32_t at = pc; at < span.close; ++at) loop[at] = from[pc][at] && from[at][pc];
      bool way_out = false, paused = false;
      for (int32_t at = pc; at < span.close; ++at) {
        if (!loop[at]) continue;
        reported[at] = 1;  // each loop is judged once, from its first pc
        const Instr& instr = code[at];
        paused |= instr.op == Op::kGhostWrite && instr.var == process.region_var;
        bool fixed_test = instr.op == Op::kBranchFalse && SameEveryRound(program_, instr.expr, fixed_locals);
        for (int32_t next : TakenSuccessors(program_, code, at)) {
          if (next < 0 || next >= n || loop[next]) continue;
          // Not by a test that goes the same way every round, nor to a dead end (a crash).
          if (!fixed_test && leads_on(next)) way_out = true;
        }
      }
      if (way_out || paused) continue;
      int32_t statement = -1;
      for (int32_t at = pc; at < span.close && statement < 0; ++at) statement = loop[at] ? code[at].statement : -1;
      if (statement < 0) continue;
      diags_.Error(program_.statements[statement].range.begin,
                   fmt::format("this loop inside a takes block has no way out once it goes round (no exit, or "
                               "only tests of what stays the same on it: constants, parameters, locals no loop "
                               "writes) and no pause: the block could never end, though its bound says it takes at "
                               "most {} ms, and racecheck would let no more than that pass while a request runs the "
                               "loop, then stop time for every request (a lease it spans would never run out). "
                               "Give the loop a way out that its rounds change (a counted loop, `while i < 3 {{ "
                               "...; i += 1 }}`, or a test of something read), or move it out of the takes block "
                               "(docs/semantics.md, Time)",
                               span.bound));
    }
  }
}

void Lowerer::EmitRegion(int32_t value_expr) {
  int32_t self = AddExpr(MakeExpr(ExprOp::kSelf));
  Emit(MakeInstr(Op::kGhostWrite, -1, region_var_[process_index_], self, value_expr));
}

// The region opens with the step before it (or the instance's first), pending: the slot holds
// -(time left + 1), which bounds no time, and the instance's next step (its first in the block)
// starts it (Stepper::Start, StepEncoder's StartRegion): time before that step passes freely, as
// outside blocks. From then on the slot holds the time left + 1, and the block's last step closes
// it (0): steps take no time.
void Lowerer::LowerTakes(const ast::Stmt& s) {
  TakesSpan span{.open = Here(), .close = -1, .bound = s.value2->int_value};
  EmitRegion(Const(-(static_cast<Value>(s.value2->int_value) + 1)));
  LowerBlock(s.body);
  span.close = Here();
  EmitRegion(Const(0));
  takes_spans_[process_index_].push_back(span);
}

// Up to hi ms more may pass in the enclosing region, started or not (a pending region is < 0).
void Lowerer::LowerPause(const ast::Stmt& s) {
  int32_t var = region_var_[process_index_];
  auto left = [&] { return AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, AddExpr(MakeExpr(ExprOp::kSelf)))); };
  Value hi = static_cast<Value>(s.value2->int_value);
  int32_t started = Binary(ExprOp::kLt, Const(0), left());
  int32_t branches = Binary(ExprOp::kBranches, Binary(ExprOp::kAdd, left(), Const(hi)),
                            Binary(ExprOp::kSub, left(), Const(hi)));
  EmitRegion(Binary(ExprOp::kIte, started, branches));
}

// A crashed request's region closes: it no longer holds time back.
void Lowerer::CloseRegionAfterCrash() {
  if (region_var_.empty() || region_var_[process_index_] < 0) return;
  EmitRegion(Const(0));
}

// In a timed model a lease lasts its time to live: PX and PEXPIRE in ms, EX and EXPIRE in seconds
// (1000 ms). It must be a constant, small enough to explore.
void Lowerer::LeaseTime(const ast::RedisCall& call, const ast::CallArg& arg, RedisOp& op) {
  if (!program_.timed) return;
  bool seconds = arg.option == "EX" || call.command == "EXPIRE";
  if (arg.value->kind != ast::ExprKind::kInt) {
    diags_.Error(arg.value->range.begin, "in a timed model (one with a takes block) a time to live must be a "
                                         "constant, so that the lease lasts a known time");
    return;
  }
  int64_t ms = arg.value->int_value * (seconds ? 1000 : 1);
  if (ms > ast::kMaxTime) {
    diags_.Error(arg.value->range.begin,
                 fmt::format("a time to live of {} ms: timed models count every ms as a state of its own, so keep "
                             "times at most {} ms; scale the model's times down (for example 30 s as PX 30)",
                             ms, ast::kMaxTime));
    return;
  }
  // A time not above 0 deletes the key (EXPIRE) or is refused (SET): no lease is set.
  op.lease_time = ms > 0 ? static_cast<Value>(ms) : 1;
}

}  // namespace racecheck::ir::lowering
