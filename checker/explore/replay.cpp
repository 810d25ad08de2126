#include "checker/explore/replay.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <type_traits>
#include <utility>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/explore/anomaly.h"
#include "checker/explore/eval.h"
#include "checker/explore/initial.h"
#include "checker/explore/naming.h"
#include "checker/explore/properties.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/explore/trace.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

// The branches of one step, kept.
class CollectSink final : public StepSink {
 public:
  explicit CollectSink(size_t width) : width_(width) {}

  bool Successor(const ir::Value* state, int32_t /*statement*/) override {
    successors.emplace_back(state, state + width_);
    return true;
  }
  bool Failure(const ir::Value* state, int32_t /*statement*/, StepFailure failure) override {
    failures.push_back({std::vector<ir::Value>(state, state + width_), std::move(failure)});
    return true;
  }
  // A step of up to a million instructions: Ctrl-C stops it.
  bool Poll() override { return !base::Interrupted(); }

  struct Failed {
    std::vector<ir::Value> state;
    StepFailure failure;
  };
  std::vector<std::vector<ir::Value>> successors;
  std::vector<Failed> failures;

 private:
  size_t width_;
};

int32_t AddExpr(ir::Program& program, ir::Expr expr) {
  program.exprs.push_back(expr);
  return static_cast<int32_t>(program.exprs.size() - 1);
}

int32_t Const(ir::Program& program, ir::Value value) {
  ir::Expr e;
  e.op = ir::ExprOp::kConst;
  e.value = value;
  return AddExpr(program, e);
}

int32_t Binary(ir::Program& program, ir::ExprOp op, int32_t a, int32_t b) {
  ir::Expr e;
  e.op = op;
  e.a = a;
  e.b = b;
  return AddExpr(program, e);
}

// max(bound, limit) or min(bound, limit) narrowing a choice's bound to the schedule's value. SQL's
// rule for NULL (ir/null.h): a NULL bound stays NULL, so the choose reports it as the search does.
int32_t Narrowed(ir::Program& program, ir::ExprOp op, int32_t bound, int32_t limit) {
  int32_t expr = Binary(program, op, bound, limit);
  program.exprs[expr].sql = true;
  return expr;
}

// The choices a schedule makes are met by narrowing each `choose lo..hi` to
// `max(lo, v) .. min(hi, v)`: exactly the branch v when v is in range, no branch at all when it is
// not, while the bounds are still evaluated (and fail) as written. Two copies of the program:
//   - the run copy reads v from a tape: hidden slots appended to the state hold the step's
//     choices in order and a cursor, and a ghost write inserted after each choose moves the
//     cursor on, so a choose that runs twice in one step takes two values. Its states are the
//     original ones plus those slots, with pcs renumbered; ToRun and FromRun convert.
//   - the trace copy, for TraceBuilder (which re-runs every step of the path at the end and
//     matches successor states), narrows each choose of each instance to the span of the
//     values the schedule gives it there, picking the instance's bounds by `self`, so that
//     re-running a step never enumerates a wide range.
class Replayer {
 public:
  Replayer(const ir::Program& program, const result::Schedule& schedule)
      : program_(program), schedule_(schedule), run_(program), trace_(program) {}

  ReplayResult Run();

 private:
  bool PrepareCopies();
  void PrepareRunCopy();
  bool InitialState(std::vector<ir::Value>& state);
  // The run copy's state for `state` with `choices` on the tape, and back.
  std::vector<ir::Value> ToRun(const ir::Value* state, const std::vector<result::Choice>& choices) const;
  bool FromRun(const ir::Value* run_state, std::vector<ir::Value>& state) const;
  // The first property violated in stored state `index`, as Explorer::Check finds it.
  bool CheckState(uint32_t index);
  int32_t FalseCopy(const ir::Property& property, const ir::Value* state, bool want);
  void PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy);
  bool Deadlock(uint32_t index);
  // Whether the instance waits in a cycle of row locks in `state`, as Explorer::InRowCycle finds it.
  bool InRowCycle(const ir::Value* state, int32_t instance);
  // Step `number` is the environment's: the expiry of a key with a lease, as Explorer::Expand
  // generates it. Moves `current` on; false when the run ends (a violation, or a problem).
  bool Expire(int32_t number, const result::Expiry& expiry, Stepper& stepper, uint32_t& current);
  // The same in a timed model: `time` ms pass, as Stepper::StepTime lets them.
  bool PassTime(int32_t number, int32_t time, Stepper& stepper, uint32_t& current);
  // The same for the crash of a replica (Stepper::CrashReplica).
  bool CrashReplica(int32_t number, int32_t replica, Stepper& stepper, uint32_t& current);
  void Fail(const std::string& problem) {
    if (result_.problem.empty()) result_.problem = problem;
  }
  // Ctrl-C: the replay ends where it is.
  void Interrupt() {
    result_.interrupted = true;
    Fail("interrupted (Ctrl-C) before the run was replayed to its end");
  }
  // Whether Ctrl-C stopped the stepper's last step (then the replay ends).
  bool Stopped(const Stepper& stepper) {
    if (stepper.stopped()) Interrupt();
    return stepper.stopped();
  }
  // The violation's explanation from the run just built, or that Ctrl-C cut it short.
  void Explained(const TraceBuilder& traces, result::Violation& violation) {
    if (traces.cut()) {
      result_.interrupted = true;
      violation.explanation = CutShortExplanation(violation.trace);
    } else if (!violation.trace.empty() && violation.kind != result::ViolationKind::kFailure) {
      // As Search: an unhandled failure is explained by itself, not by the anomaly it prevented.
      violation.explanation = Explain(program_, traces.events());
    }
  }

  const ir::Program& program_;
  const result::Schedule& schedule_;
  ir::Program run_;
  ir::Program trace_;
  // The run copy: pcs per process both ways (-1 for an inserted instruction), the tape.
  std::vector<std::vector<int32_t>> to_run_pc_;
  std::vector<std::vector<int32_t>> to_original_pc_;
  int32_t cursor_slot_ = 0;
  int32_t tape_lo_slot_ = 0;
  int32_t tape_hi_slot_ = 0;
  int32_t tape_size_ = 1;
  std::optional<Naming> naming_;
  std::optional<StateStore> store_;
  std::optional<Evaluator> eval_;
  std::vector<bool> cover_reached_;
  ReplayResult result_;
};

bool Replayer::PrepareCopies() {
  // Global params: the schedule's value is the range (the range must hold it).
  for (size_t k = 0; k < program_.params.size(); ++k) {
    const ir::Param& param = program_.params[k];
    auto it = std::find_if(schedule_.params.begin(), schedule_.params.end(), [&](const result::ParamChoice& c) {
      return c.instance < 0 && c.param == static_cast<int32_t>(k);
    });
    if (param.lo > param.hi) continue;  // the initial states report it
    if (it == schedule_.params.end()) {
      Fail(fmt::format("the schedule gives no value to param {}", param.name));
      return false;
    }
    if (it->value < param.lo || it->value > param.hi) {
      Fail(fmt::format("the schedule gives param {} the value {}, outside {}..{}", param.name, it->value, param.lo,
                       param.hi));
      return false;
    }
    for (ir::Program* copy : {&run_, &trace_}) copy->params[k].lo = copy->params[k].hi = it->value;
  }
  // The values each instance takes at each choose, over the whole schedule.
  std::map<std::pair<int32_t, int32_t>, std::pair<ir::Value, ir::Value>> spans;  // (instance, pc) -> [min, max]
  for (const result::ScheduleStep& step : schedule_.steps) {
    if (step.instance < 0 || static_cast<size_t>(step.instance) >= program_.instances.size()) continue;
    for (const result::Choice& choice : step.choices) {
      auto [it, fresh] = spans.try_emplace({step.instance, choice.pc}, choice.value, choice.value);
      if (!fresh) {
        it->second.first = std::min(it->second.first, choice.value);
        it->second.second = std::max(it->second.second, choice.value);
      }
    }
  }
  for (size_t p = 0; p < program_.processes.size(); ++p) {
    std::vector<int32_t> instances;
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      if (program_.instances[i].process == static_cast<int32_t>(p)) instances.push_back(static_cast<int32_t>(i));
    }
    for (size_t pc = 0; pc < program_.processes[p].code.size(); ++pc) {
      if (program_.processes[p].code[pc].op != ir::Op::kChoose) continue;
      // sum over instances of (self == k) * bound_k: the bound of whichever instance runs it.
      int32_t lo_sum = Const(trace_, 0), hi_sum = Const(trace_, 0);
      ir::Expr self_expr;
      self_expr.op = ir::ExprOp::kSelf;
      int32_t self = AddExpr(trace_, self_expr);
      for (int32_t i : instances) {
        auto it = spans.find({i, static_cast<int32_t>(pc)});
        ir::Value lo = it != spans.end() ? it->second.first : INT32_MAX;
        ir::Value hi = it != spans.end() ? it->second.second : ir::kMinInt;  // INT32_MIN is NULL, no operand of min
        int32_t is_me = Binary(trace_, ir::ExprOp::kEq, self, Const(trace_, program_.instances[i].self));
        lo_sum = Binary(trace_, ir::ExprOp::kAdd, lo_sum, Binary(trace_, ir::ExprOp::kMul, is_me, Const(trace_, lo)));
        hi_sum = Binary(trace_, ir::ExprOp::kAdd, hi_sum, Binary(trace_, ir::ExprOp::kMul, is_me, Const(trace_, hi)));
      }
      ir::Instr& trace_instr = trace_.processes[p].code[pc];
      trace_instr.expr = Narrowed(trace_, ir::ExprOp::kMax, trace_instr.expr, lo_sum);
      trace_instr.expr2 = Narrowed(trace_, ir::ExprOp::kMin, trace_instr.expr2, hi_sum);
    }
  }
  for (const result::ScheduleStep& step : schedule_.steps) {
    tape_size_ = std::max(tape_size_, static_cast<int32_t>(step.choices.size()) + 1);
  }
  PrepareRunCopy();
  return true;
}

void Replayer::PrepareRunCopy() {
  // The tape: a cursor and the step's choices, as ghost variables past the end of the state.
  auto add_var = [&](const std::string& name, int32_t size) {
    ir::Variable var;
    var.name = name;
    var.kind = ir::VarKind::kGhost;
    var.internal = true;
    var.is_array = size > 1;
    var.size = size;
    var.first_slot = run_.slot_count;
    var.initial.assign(size, 0);
    run_.slot_count += size;
    for (int32_t k = 0; k < size; ++k) run_.slots.push_back(ir::SlotInfo{.name = name, .hidden = true});
    run_.vars.push_back(var);
    return static_cast<int32_t>(run_.vars.size() - 1);
  };
  int32_t cursor = add_var("replay cursor", 1);
  int32_t tape_lo = add_var("replay tape lo", tape_size_);
  int32_t tape_hi = add_var("replay tape hi", tape_size_);
  cursor_slot_ = run_.vars[cursor].first_slot;
  tape_lo_slot_ = run_.vars[tape_lo].first_slot;
  tape_hi_slot_ = run_.vars[tape_hi].first_slot;
  auto global = [&](int32_t var, int32_t index) {
    ir::Expr e;
    e.op = ir::ExprOp::kGlobal;
    e.var = var;
    e.a = index;
    return AddExpr(run_, e);
  };
  for (ir::Process& process : run_.processes) {
    std::vector<int32_t> to_run(process.code.size() + 1), to_original;
    std::vector<ir::Instr> code;
    for (size_t pc = 0; pc < process.code.size(); ++pc) {
      to_run[pc] = static_cast<int32_t>(code.size());
      to_original.push_back(static_cast<int32_t>(pc));
      ir::Instr instr = process.code[pc];
      if (instr.op != ir::Op::kChoose) {
        code.push_back(instr);
        continue;
      }
      // Clamped to the tape's last entry: a probe of several steps (Stepper::Waiting) makes more
      // choices than one step of the trace, each left open (PassTime); a replayed step past its
      // choices reads the sentinel, which leaves none (round 22: a probe's third choice read
      // past the tape, and a time step the z3 engine found was refused).
      int32_t at_cursor = Binary(run_, ir::ExprOp::kMin, global(cursor, -1), Const(run_, tape_size_ - 1));
      instr.expr = Narrowed(run_, ir::ExprOp::kMax, instr.expr, global(tape_lo, at_cursor));
      instr.expr2 = Narrowed(run_, ir::ExprOp::kMin, instr.expr2, global(tape_hi, at_cursor));
      code.push_back(instr);
      ir::Instr step_on;
      step_on.op = ir::Op::kGhostWrite;
      step_on.var = cursor;
      step_on.expr = Binary(run_, ir::ExprOp::kAdd, global(cursor, -1), Const(run_, 1));
      step_on.statement = instr.statement;
      code.push_back(step_on);
      to_original.push_back(-1);
    }
    to_run[process.code.size()] = static_cast<int32_t>(code.size());
    for (ir::Instr& instr : code) {
      if (instr.target >= 0) instr.target = to_run[instr.target];
    }
    // The poll marks follow the code: a tape step (no step start) lies where the choice before it does.
    auto follow = [&](auto& marks) {
      if (marks.empty()) return;
      std::remove_reference_t<decltype(marks)> moved(code.size(), 0);
      for (size_t r = 0; r < code.size(); ++r) moved[r] = marks[to_original[r] >= 0 ? to_original[r] : to_original[r - 1]];
      marks = std::move(moved);
    };
    follow(process.poll_cycle);
    follow(process.probe_steps);
    process.code = std::move(code);
    to_run_pc_.push_back(std::move(to_run));
    to_original_pc_.push_back(std::move(to_original));
  }
}

std::vector<ir::Value> Replayer::ToRun(const ir::Value* state, const std::vector<result::Choice>& choices) const {
  std::vector<ir::Value> run(run_.slot_count, 0);
  std::copy(state, state + program_.slot_count, run.begin());
  for (const ir::Instance& inst : program_.instances) {
    ir::Value& pc = run[inst.base_slot];
    if (pc != ir::kDonePc) pc = to_run_pc_[inst.process][pc];
  }
  for (int32_t k = 0; k < tape_size_; ++k) {
    bool given = k < static_cast<int32_t>(choices.size());
    run[tape_lo_slot_ + k] = given ? choices[k].value : INT32_MAX;
    run[tape_hi_slot_ + k] = given ? choices[k].value : ir::kMinInt;
  }
  return run;
}

bool Replayer::FromRun(const ir::Value* run_state, std::vector<ir::Value>& state) const {
  state.assign(run_state, run_state + program_.slot_count);
  for (const ir::Instance& inst : program_.instances) {
    ir::Value& pc = state[inst.base_slot];
    if (pc == ir::kDonePc) continue;
    pc = to_original_pc_[inst.process][pc];
    if (pc < 0) return false;
  }
  return true;
}

bool Replayer::InitialState(std::vector<ir::Value>& state) {
  // With the global params fixed, the initial states either fail before the first one is made
  // (a parameter that cannot be given a value) or are made; the first suffices to tell.
  ir::Program initial = program_;
  for (size_t k = 0; k < program_.params.size(); ++k) initial.params[k] = trace_.params[k];
  std::string problem = EnumerateInitialStates(initial, [](const ir::Value*) { return false; });
  if (!problem.empty()) {
    result::Violation violation;
    violation.kind = result::ViolationKind::kRuntimeError;
    violation.message = problem;
    result_.violation = std::move(violation);
    return false;
  }
  // Then each range parameter is narrowed to the schedule's value, as a choose is.
  for (const result::ParamChoice& choice : schedule_.params) {
    if (choice.instance < 0) continue;
    if (static_cast<size_t>(choice.instance) >= initial.instances.size()) {
      Fail(fmt::format("the schedule gives a value to instance {}, which does not exist", choice.instance));
      return false;
    }
    ir::Process process = initial.processes[initial.instances[choice.instance].process];
    if (choice.param < 0 || static_cast<size_t>(choice.param) >= process.params.size() ||
        !process.params[choice.param].is_range) {
      Fail(fmt::format("the schedule gives a value to a parameter {} of {} that takes none", choice.param,
                       initial.instances[choice.instance].display_name));
      return false;
    }
    // Instances of one process share its code, so the narrowing picks the instance by `self`.
    ir::Expr self_expr;
    self_expr.op = ir::ExprOp::kSelf;
    int32_t self = AddExpr(initial, self_expr);
    int32_t is_me = Binary(initial, ir::ExprOp::kEq, self, Const(initial, initial.instances[choice.instance].self));
    int32_t not_me = Binary(initial, ir::ExprOp::kSub, Const(initial, 1), is_me);
    ir::ProcessParam& param = initial.processes[initial.instances[choice.instance].process].params[choice.param];
    // me: max(lo, v) .. min(hi, v); others: max(lo, smallest int) .. min(hi, INT32_MAX), as they were
    // (INT32_MIN is NULL, no operand of arithmetic).
    int32_t lo_bound = Binary(initial, ir::ExprOp::kAdd, Binary(initial, ir::ExprOp::kMul, is_me, Const(initial, choice.value)),
                              Binary(initial, ir::ExprOp::kMul, not_me, Const(initial, ir::kMinInt)));
    int32_t hi_bound = Binary(initial, ir::ExprOp::kAdd, Binary(initial, ir::ExprOp::kMul, is_me, Const(initial, choice.value)),
                              Binary(initial, ir::ExprOp::kMul, not_me, Const(initial, INT32_MAX)));
    param.lo_expr = Narrowed(initial, ir::ExprOp::kMax, param.lo_expr, lo_bound);
    param.hi_expr = Narrowed(initial, ir::ExprOp::kMin, param.hi_expr, hi_bound);
  }
  size_t states = 0;
  problem = EnumerateInitialStates(initial, [&](const ir::Value* s) {
    state.assign(s, s + program_.slot_count);
    ++states;
    return states < 2;
  });
  if (!problem.empty() || states != 1) {
    Fail(problem.empty() ? "the schedule leaves a range parameter without a value"
                         : "a range parameter's value in the schedule is outside its range (" + problem + ")");
    return false;
  }
  return true;
}

int32_t Replayer::FalseCopy(const ir::Property& property, const ir::Value* state, bool want) {
  eval_->ClearFault();
  for (int32_t copy = 0; copy < PropertyCopies(program_, property); ++copy) {
    EvalContext context{state, nullptr, -1, copy};
    bool value = eval_->Condition(property.expr, context, "a property") != 0;
    if (eval_->failed() || value != want) return copy;
  }
  return -1;
}

// As Explorer::PropertyFailed words it.
void Replayer::PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy) {
  const ir::Property& property = program_.properties[k];
  result::Violation violation;
  if (eval_->failed()) {
    const char* kind = property.kind == ir::PropertyKind::kInvariant ? "invariant"
                       : property.kind == ir::PropertyKind::kFinal   ? "final"
                                                                     : "cover";
    violation.kind = result::ViolationKind::kRuntimeError;
    violation.message = fmt::format("{} in {} {}: {}", eval_->fault(), kind, property.name, property.text);
    eval_->ClearFault();
  } else {
    violation.kind = property.kind == ir::PropertyKind::kFinal ? result::ViolationKind::kFinal
                                                               : result::ViolationKind::kInvariant;
    violation.property = property.name;
    violation.message = property.text + " is false";
  }
  violation.values = PropertyValues(program_, *naming_, property, state, copy);
  violation.line = property.range.begin.line;
  TraceBuilder traces(trace_, *naming_, *store_);
  traces.ProbeWaitsWith(program_);
  violation.trace = traces.Build(index);
  Explained(traces, violation);
  result_.violation = std::move(violation);
}

bool Replayer::CheckState(uint32_t index) {
  std::vector<ir::Value> state_row = store_->state(index);
  const ir::Value* state = state_row.data();
  for (size_t k = 0; k < program_.properties.size(); ++k) {
    if (program_.properties[k].kind != ir::PropertyKind::kInvariant) continue;
    int32_t copy = FalseCopy(program_.properties[k], state, true);
    if (copy >= 0) {
      PropertyFailed(static_cast<int32_t>(k), index, state, copy);
      return true;
    }
  }
  bool all_done = std::all_of(program_.instances.begin(), program_.instances.end(),
                              [&](const ir::Instance& inst) { return state[inst.base_slot] == ir::kDonePc; });
  for (size_t k = 0; k < program_.properties.size() && all_done; ++k) {
    if (program_.properties[k].kind != ir::PropertyKind::kFinal) continue;
    int32_t copy = FalseCopy(program_.properties[k], state, true);
    if (copy >= 0) {
      PropertyFailed(static_cast<int32_t>(k), index, state, copy);
      return true;
    }
  }
  for (size_t k = 0; k < program_.properties.size(); ++k) {
    if (program_.properties[k].kind != ir::PropertyKind::kCover || cover_reached_[k]) continue;
    int32_t copy = FalseCopy(program_.properties[k], state, false);
    if (eval_->failed()) {
      PropertyFailed(static_cast<int32_t>(k), index, state, copy);
      return true;
    }
    if (copy >= 0) cover_reached_[k] = true;
  }
  return false;
}

bool Replayer::InRowCycle(const ir::Value* state, int32_t instance) {
  std::vector<ir::Value> run = ToRun(state, {});
  Stepper stepper(run_);
  std::vector<std::vector<int32_t>> holders(program_.instances.size());
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (state[program_.instances[i].base_slot] == ir::kDonePc) continue;
    CollectSink sink(static_cast<size_t>(run_.slot_count));
    StepResult step = stepper.Step(run.data(), static_cast<int32_t>(i), sink);
    if (Stopped(stepper)) return false;
    if (!step.enabled && step.blocked_on_row) {
      LockHolders(program_, state, step.blocked_lock_slot, static_cast<int32_t>(i), &holders[i]);
    }
  }
  return !holders[instance].empty() && InWaitCycle(holders, instance);
}

bool Replayer::Expire(int32_t number, const result::Expiry& expiry, Stepper& stepper, uint32_t& current) {
  if (expiry.redis < 0 || static_cast<size_t>(expiry.redis) >= program_.redis.size() ||
      expiry.element < 0 || expiry.element >= program_.redis[expiry.redis].size || expiry.key < 0 ||
      static_cast<size_t>(expiry.key) >= program_.redis[expiry.redis].keys.size()) {
    Fail(fmt::format("step {}: the environment expires a Redis key that does not exist", number));
    return false;
  }
  const ir::RedisDecl& decl = program_.redis[expiry.redis];
  int32_t lease = decl.KeySlot(expiry.element, expiry.key) + 2;
  std::vector<ir::Value> state_row = store_->state(current);
  const ir::Value* state = state_row.data();
  if (decl.keys[expiry.key].IsCollection() || state[lease] == 0) {
    Fail(fmt::format("step {}: the environment expires {}.{}, which has no lease", number, decl.name,
                     decl.keys[expiry.key].name));
    return false;
  }
  // The environment's moves from this state, one per key with a lease: the one that ends this lease.
  std::vector<ir::Value> run = ToRun(state, {});
  CollectSink sink(static_cast<size_t>(run_.slot_count));
  stepper.StepEnvironment(run.data(), sink);
  if (Stopped(stepper)) return false;
  std::vector<ir::Value> next;
  for (const std::vector<ir::Value>& after : sink.successors) {
    if (after[lease] == 0 && FromRun(after.data(), next)) break;
    next.clear();
  }
  RACECHECK_CHECK(!next.empty(), "a key with a lease that the environment cannot expire");
  result_.steps_run = number;
  bool inserted = false;
  current = store_->FindOrInsert(next.data(), current, stepper.environment_mover(), &inserted);
  return !(inserted && CheckState(current));
}

bool Replayer::PassTime(int32_t number, int32_t time, Stepper& stepper, uint32_t& current) {
  std::vector<ir::Value> run = ToRun(store_->state(current).data(), {});
  CollectSink probe(static_cast<size_t>(run_.slot_count));
  // Who waits is probed as the search probes it: every choice of a step open (the tape holds
  // none for a passing of time, which would leave a step with a choice none to make).
  std::vector<ir::Value> open = run;
  for (int32_t k = 0; k < tape_size_; ++k) {
    open[tape_lo_slot_ + k] = ir::kMinInt;
    open[tape_hi_slot_ + k] = INT32_MAX;
  }
  std::vector<uint8_t> waiting = stepper.Waiting(open.data(), probe);
  if (Stopped(stepper)) return false;
  int32_t cap = stepper.TimeCap(run.data(), waiting);
  if (time < 1 || time > cap) {
    Fail(fmt::format("step {}: {} ms cannot pass here (at most {})", number, time, cap));
    return false;
  }
  stepper.PassTime(run.data(), time, waiting);
  std::vector<ir::Value> next;
  RACECHECK_CHECK(FromRun(run.data(), next), "time passing that leaves the run's tape");
  result_.steps_run = number;
  bool inserted = false;
  current = store_->FindOrInsert(next.data(), current, stepper.environment_mover(), &inserted);
  return !(inserted && CheckState(current));
}

bool Replayer::CrashReplica(int32_t number, int32_t replica, Stepper& stepper, uint32_t& current) {
  std::vector<ir::Value> run = ToRun(store_->state(current).data(), {});
  if (replica >= program_.replicas || program_.replica_crash_bound == 0) {
    Fail(fmt::format("step {}: replica {} cannot crash (the model has {} replicas{})", number, replica,
                     program_.replicas, program_.replica_crash_bound == 0 ? " that never crash" : ""));
    return false;
  }
  if (run[run_.replica_crash_slot] >= run_.replica_crash_bound) {
    Fail(fmt::format("step {}: replica {} cannot crash: the run has had its {} replica crashes", number, replica,
                     run_.replica_crash_bound));
    return false;
  }
  stepper.CrashReplica(run.data(), replica);
  std::vector<ir::Value> next;
  RACECHECK_CHECK(FromRun(run.data(), next), "a replica crash that leaves the run's tape");
  result_.steps_run = number;
  bool inserted = false;
  current = store_->FindOrInsert(next.data(), current, stepper.environment_mover(), &inserted);
  return !(inserted && CheckState(current));
}

// As Explorer::Deadlock finds and words it.
bool Replayer::Deadlock(uint32_t index) {
  std::vector<ir::Value> state_row = store_->state(index);
  const ir::Value* state = state_row.data();
  // An empty tape: a step that gets to a choose counts as able to move, and stops there.
  std::vector<ir::Value> run = ToRun(state, {});
  Stepper stepper(run_);
  std::vector<std::pair<int32_t, int32_t>> waiting;
  bool all_done = true, any_enabled = false;
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (state[program_.instances[i].base_slot] == ir::kDonePc) continue;
    all_done = false;
    CollectSink sink(static_cast<size_t>(run_.slot_count));
    StepResult step = stepper.Step(run.data(), static_cast<int32_t>(i), sink);
    if (Stopped(stepper)) return false;
    if (step.enabled) {
      any_enabled = true;
    } else {
      waiting.push_back({static_cast<int32_t>(i), step.blocked_lock_slot});
    }
  }
  if (all_done || any_enabled || program_.allow_deadlock) return false;
  result::Violation violation;
  violation.kind = result::ViolationKind::kDeadlock;
  violation.property = "deadlock";
  violation.message = fmt::format("no process can move and {} {} not finished", waiting.size(),
                                  waiting.size() == 1 ? "has" : "have");
  std::vector<int32_t> holders;
  for (auto [instance, slot] : waiting) {
    violation.blocked.push_back(WaitText(program_, *naming_, state, instance, slot, &holders));
  }
  TraceBuilder traces(trace_, *naming_, *store_);
  traces.ProbeWaitsWith(program_);
  violation.trace = traces.Build(index);
  Explained(traces, violation);
  result_.violation = std::move(violation);
  return true;
}

ReplayResult Replayer::Run() {
  if (!PrepareCopies()) return result_;
  naming_.emplace(trace_);
  eval_.emplace(program_);
  store_.emplace(program_.slot_count);
  cover_reached_.assign(program_.properties.size(), false);
  std::vector<ir::Value> initial;
  if (!InitialState(initial)) return result_;
  bool inserted = false;
  uint32_t current = store_->FindOrInsert(initial.data(), StateStore::kNoParent, StateStore::kNoMover, &inserted);
  if (CheckState(current)) return result_;

  Stepper stepper(run_);
  size_t width = static_cast<size_t>(run_.slot_count);
  std::vector<ir::Value> next;
  for (const result::ScheduleStep& step : schedule_.steps) {
    if (base::Interrupted()) {
      Interrupt();
      return result_;
    }
    int32_t number = result_.steps_run + 1;
    if (step.instance == result::kEnvironment) {
      bool ok = step.replica >= 0 ? CrashReplica(number, step.replica, stepper, current)
                : program_.timed  ? PassTime(number, step.time, stepper, current)
                                  : Expire(number, step.expiry, stepper, current);
      if (!ok) return result_;
      continue;
    }
    if (step.instance < 0 || static_cast<size_t>(step.instance) >= program_.instances.size()) {
      Fail(fmt::format("step {}: there is no instance {}", number, step.instance));
      return result_;
    }
    const ir::Instance& inst = program_.instances[step.instance];
    std::vector<ir::Value> state_row = store_->state(current);
    const ir::Value* state = state_row.data();
    if (state[inst.base_slot] == ir::kDonePc) {
      Fail(fmt::format("step {}: {} has finished", number, inst.display_name));
      return result_;
    }
    std::vector<ir::Value> run = ToRun(state, step.choices);
    CollectSink sink(width);
    StepResult moved;
    if (step.deadlock_victim) {
      if (!InRowCycle(state, step.instance)) {
        Fail(fmt::format("step {}: {} is no deadlock victim: it waits in no cycle of row locks", number,
                         inst.display_name));
        return result_;
      }
      stepper.StepDeadlockVictim(run.data(), step.instance, sink);
      moved.enabled = true;
    } else {
      moved = stepper.Step(run.data(), step.instance, sink);
    }
    if (Stopped(stepper)) return result_;
    if (!moved.enabled) {
      std::string why = moved.blocked_lock_slot >= 0 ? fmt::format(": it waits for {}", naming_->LockName(moved.blocked_lock_slot, state)) : "";
      Fail(fmt::format("step {}: {} cannot move{}", number, inst.display_name, why));
      return result_;
    }
    if (sink.successors.size() + sink.failures.size() != 1) {
      Fail(sink.successors.empty() && sink.failures.empty()
               ? fmt::format("step {}: {} takes no branch with these choices (a false assume, or a choice out of "
                             "range)", number, inst.display_name)
               : fmt::format("step {}: {} has {} branches with these choices", number, inst.display_name,
                             sink.successors.size() + sink.failures.size()));
      return result_;
    }
    result_.steps_run = number;
    const std::vector<ir::Value>& after = sink.failures.empty() ? sink.successors.front() : sink.failures.front().state;
    if (!FromRun(after.data(), next) || after[cursor_slot_] != static_cast<ir::Value>(step.choices.size())) {
      Fail(fmt::format("step {}: {} makes {} choices where the schedule gives {}", number, inst.display_name,
                       after[cursor_slot_], step.choices.size()));
      return result_;
    }
    if (!sink.failures.empty()) {
      CollectSink::Failed& failed = sink.failures.front();
      result::Violation violation;
      violation.kind = failed.failure.kind;
      bool is_assert = failed.failure.kind == result::ViolationKind::kAssert;
      if (is_assert) violation.property = fmt::format("assert at line {}", failed.failure.line);
      violation.message = failed.failure.message;
      violation.line = failed.failure.line;
      TraceBuilder traces(trace_, *naming_, *store_);
      traces.ProbeWaitsWith(program_);
  traces.ProbeWaitsWith(program_);
      violation.trace = traces.Build(FailedStep{current, step.instance, next});
      Explained(traces, violation);
      result_.violation = std::move(violation);
      return result_;
    }
    // A state seen before: the run goes on from its first visit, which is shorter.
    current = store_->FindOrInsert(next.data(), current, step.instance, &inserted);
    if (inserted && CheckState(current)) return result_;
  }
  // Covers count in the last state even when nobody can move on from it.
  std::vector<ir::Value> last_row = store_->state(current);
  const ir::Value* last = last_row.data();
  for (const ir::Property& property : program_.properties) {
    if (property.kind == ir::PropertyKind::kCover && FalseCopy(property, last, false) >= 0 && !eval_->failed()) {
      result_.covers_holding.push_back(property.name);
    }
  }
  if (Deadlock(current)) {
    result_.trace = result_.violation->trace;
    return result_;
  }
  if (result_.interrupted) return result_;
  TraceBuilder traces(trace_, *naming_, *store_);
  traces.ProbeWaitsWith(program_);
  result_.trace = traces.Build(current);
  if (traces.cut()) result_.interrupted = true;
  return result_;
}

}  // namespace

ReplayResult Replay(const ir::Program& program, const result::Schedule& schedule) {
  return Replayer(program, schedule).Run();
}

}  // namespace racecheck::explore
