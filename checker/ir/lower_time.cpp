// Lowering of time (docs/semantics.md, "Time"): takes blocks and pauses become writes of a hidden
// ghost per instance that holds how long its open region may still last; leases hold their time.
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
                                 : fmt::format("this loop inside a takes block writes each round and waits on other requests: "
                                   "racecheck counts a request on it as waiting unless, run alone, it leaves the loop "
                                   "within two rounds, and after {} rounds in a row (two, and one for each other "
                                   "request, which may fail it once; more mean others keep failing it), so work that "
                                   "needs more rounds may give a false alarm (docs/semantics.md, Time, Waits)",
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
  EmitRegion(Const(-(static_cast<Value>(s.value2->int_value) + 1)));
  LowerBlock(s.body);
  EmitRegion(Const(0));
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
