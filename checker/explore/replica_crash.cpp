// The environment crashes a replica, which restarts at once (docs/semantics.md, "Replica crashes").
#include "checker/base/diagnostics.h"
#include "checker/explore/step.h"

namespace racecheck::explore {

void Stepper::StepReplicaCrashes(const ir::Value* state, StepSink& sink) {
  if (program_.replica_crash_bound == 0 || state[program_.replica_crash_slot] >= program_.replica_crash_bound) return;
  for (int32_t replica = 0; replica < program_.replicas; ++replica) {
    Start(state, -1, sink);
    if (!AddWork(1)) return;
    ir::Value* scratch = buffers_[0].data();
    CrashReplica(scratch, replica);
    if (!sink.Successor(scratch, program_.replica_crash_statement + replica)) {
      stopped_ = true;
      return;
    }
  }
}

bool Stepper::OnCrashedReplica(const ir::Value* state, int32_t instance) const {
  const ir::Instance& inst = program_.instances[instance];
  ir::Value pc = state[inst.base_slot];
  // At pc 0 the request has not reached the replica yet; a finished one is over.
  return pc != 0 && pc != ir::kDonePc;
}

void Stepper::CrashReplica(ir::Value* state, int32_t replica) {
  ++state[program_.replica_crash_slot];
  // The process restarts with its in-process memory as it starts, and every mutex free.
  for (const ir::Variable& var : program_.vars) {
    if (var.kind != ir::VarKind::kShared) continue;
    int32_t copy = var.copies > 1 ? replica : 0;
    for (int32_t i = 0; i < var.size; ++i) {
      ir::Value value = i < static_cast<int32_t>(var.initial.size()) ? var.initial[i] : 0;
      if (i < static_cast<int32_t>(var.initial_exprs.size()) && var.initial_exprs[i] >= 0) {
        // Over the global params only, which the state keeps: the value it started with.
        EvalContext context{state, nullptr, -1, 0};
        int64_t fresh = eval_.Eval(var.initial_exprs[i], context);
        RACECHECK_CHECK(!eval_.failed(), "an initial value that failed after the run began");
        value = static_cast<ir::Value>(fresh);
      }
      state[var.first_slot + copy * var.size + i] = value;
    }
  }
  for (const ir::Lock& lock : program_.locks) {
    int32_t copy = lock.copies > 1 ? replica : 0;
    std::fill(state + lock.first_slot + copy * lock.size, state + lock.first_slot + (copy + 1) * lock.size, 0);
  }
  // Every request running on it dies, as a crashed request does: sent again under `on crash
  // retry` while it has retries left, else finished.
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Instance& inst = program_.instances[i];
    if (inst.replica != replica || !OnCrashedReplica(state, static_cast<int32_t>(i))) continue;
    const ir::Process& process = program_.processes[inst.process];
    auto instance = static_cast<int32_t>(i);
    if (process.db.txn >= 0) {
      db_.Rollback(state, instance);
      db_.ClearFailure(state, instance);
    }
    redis_.DropWatches(state, instance);
    // The explanations see it die as a crashed request (a lease it held then ran out unworked).
    if (record_writes_) events_.push_back({.kind = DbEvent::Kind::kCrashed, .instance = instance});
    if (program_.timed && program_.region_slots[i] >= 0) state[program_.region_slots[i]] = 0;
    ir::Value* locals = state + inst.base_slot + 1;
    if (process.crash_local >= 0 && locals[process.crash_local] < process.crash_retries) {
      // `on crash retry`: the client sends the request again, the same request, from the start;
      // it reaches the restarted replica at its first step.
      ClearLocals(process, locals, /*keep_params=*/true);
      ++locals[process.crash_local];
      state[inst.base_slot] = 0;
      continue;
    }
    ClearLocals(process, locals, /*keep_params=*/false);
    if (process.crash_local >= 0) locals[process.crash_local] = process.crash_retries + 1;
    state[inst.base_slot] = ir::kDonePc;
  }
}

}  // namespace racecheck::explore
