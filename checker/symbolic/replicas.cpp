// Replica crashes, the environment's move (Stepper::CrashReplica; docs/semantics.md, "Replica
// crashes"; docs/z3-encoding.md, "Replica crashes").
#include "checker/symbolic/engine.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

void Footprint(std::map<int32_t, z3::expr>& footprint, int32_t slot, const z3::expr& when, Terms& terms) {
  auto it = footprint.find(slot);
  if (it == footprint.end()) {
    footprint.emplace(slot, when);
  } else {
    it->second = terms.Or(it->second, when);
  }
}

}  // namespace

InstanceStep Engine::EncodeReplicaCrash(int32_t level, std::map<int32_t, z3::expr>& new_globals,
                                        std::vector<z3::expr>& new_pcs, std::vector<std::vector<z3::expr>>& new_locals) {
  const Frame& frame = frames_[level];
  const z3::expr moves = steps_[level].moves[ReplicaCrashMover()];
  InstanceStep env{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
  int32_t replicas = program_.replicas;
  // Which replica crashes: the one choice the environment makes.
  z3::expr which = replicas == 1 ? terms_.Slot(0) : SlotVar(fmt::format("replica_crash_{}", level));
  if (replicas > 1) Assert(which >= terms_.Slot(0) && which <= terms_.Slot(replicas - 1));
  int32_t count_slot = program_.replica_crash_slot;
  const z3::expr& count = frame.globals[count_slot];
  env.succeeded = exprs_.Lt(count, terms_.Slot(program_.replica_crash_bound));
  // The globals after the crash, whichever replica it is (ites on `which`).
  std::vector<z3::expr> after = frame.globals;
  auto write = [&](int32_t slot, const z3::expr& when, const z3::expr& value) {
    after[slot] = terms_.Ite(when, value, after[slot]);
    Footprint(env.writes, slot, when, terms_);
  };
  Footprint(env.reads, count_slot, terms_.True(), terms_);
  write(count_slot, terms_.True(), count + terms_.Slot(1));
  for (int32_t replica = 0; replica < replicas; ++replica) {
    z3::expr chosen = replicas == 1 ? terms_.True() : terms_.Eq(which, terms_.Slot(replica));
    steps_[level].expiring.push_back(terms_.And(moves, chosen));
    // Memory as it started (the initial frame's values, which may depend on params), locks free.
    for (const ir::Variable& var : program_.vars) {
      if (var.kind != ir::VarKind::kShared) continue;
      int32_t first = var.first_slot + (var.copies > 1 ? replica : 0) * var.size;
      for (int32_t slot = first; slot < first + var.size; ++slot) write(slot, chosen, frames_[0].globals[slot]);
    }
    for (const ir::Lock& lock : program_.locks) {
      int32_t first = lock.first_slot + (lock.copies > 1 ? replica : 0) * lock.size;
      for (int32_t slot = first; slot < first + lock.size; ++slot) write(slot, chosen, terms_.Slot(0));
    }
    // The requests on it die in index order, each seeing what the ones before it left.
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      const ir::Instance& inst = program_.instances[i];
      if (inst.replica != replica) continue;
      // The instance's position, which the crash may change: no reduction swaps its steps past it.
      Footprint(env.writes, inst.base_slot, chosen, terms_);
      const Shape& shape = shapes_[i];
      std::vector<int32_t> window = Window(i, level);
      z3::expr pc_after = frame.pcs[i];
      std::vector<z3::expr> locals_after = frame.locals[i];
      std::map<int32_t, z3::expr> written;
      for (int32_t k : window) {
        // Not yet on the replica (pc 0), or finished: untouched.
        int32_t to = shape.killed_to[k];
        if (to < 0) continue;
        if (Stopped()) return env;
        z3::expr at = window.size() == 1 ? terms_.True() : terms_.Eq(frame.pcs[i], PcValue(k, shape.pc_bits));
        std::string tag = fmt::format("{}_crash_{}_{}", level, i, k);
        StepEncoding enc = steps_encoder_->EncodeKill(static_cast<int32_t>(i), shape.starts[k], to != shape.done_id,
                                                      shape.starts[to], after, frame.locals[i], tag);
        z3::expr dies = terms_.And(chosen, at);
        for (const auto& [slot, when] : enc.reads) Footprint(env.reads, slot, terms_.And(dies, when), terms_);
        for (const auto& [slot, when] : enc.writes) Footprint(env.writes, slot, terms_.And(dies, when), terms_);
        for (const auto& [slot, value] : enc.globals) {
          auto it = written.find(slot);
          z3::expr before = it != written.end() ? it->second : after[slot];
          written.insert_or_assign(slot, terms_.Ite(at, value, before));
        }
        pc_after = terms_.Ite(at, PcValue(to, shape.pc_bits), pc_after);
        for (size_t l = 0; l < locals_after.size(); ++l) locals_after[l] = terms_.Ite(at, enc.locals[l], locals_after[l]);
      }
      for (const auto& [slot, value] : written) after[slot] = terms_.Ite(chosen, value, after[slot]);
      z3::expr dies = terms_.And(moves, chosen);
      if (!z3::eq(pc_after, frame.pcs[i])) new_pcs[i] = terms_.Ite(dies, pc_after, new_pcs[i]);
      for (size_t l = 0; l < locals_after.size(); ++l) {
        if (!z3::eq(locals_after[l], frame.locals[i][l])) new_locals[i][l] = terms_.Ite(dies, locals_after[l], new_locals[i][l]);
      }
    }
  }
  for (int32_t slot = 0; slot < global_count_; ++slot) {
    if (z3::eq(after[slot], frame.globals[slot])) continue;
    auto it = new_globals.find(slot);
    z3::expr before = it != new_globals.end() ? it->second : frame.globals[slot];
    new_globals.insert_or_assign(slot, terms_.Ite(moves, after[slot], before));
  }
  env.choices.push_back(ChoicePoint{-1, 0, which, terms_.True(), terms_.Slot(0)});
  return env;
}

void Engine::ReplicaCrashes() {
  if (program_.replica_crash_bound == 0) return;
  // Each crash is a move of the environment; in a timed model time may pass once more after each.
  expiries_ += program_.replica_crash_bound * (program_.timed ? 2 : 1);
}

std::string Engine::KilledTo(size_t instance, int32_t node, int32_t* target) const {
  *target = -1;
  const UnrolledInstance& unrolled = unrolled_.instances[instance];
  if (program_.replica_crash_bound == 0 || node == unrolled.done || unrolled.nodes[node].pc == 0) return "";
  const ir::Instance& inst = program_.instances[instance];
  const ir::Process& process = program_.processes[inst.process];
  *target = unrolled.done;
  if (process.crash_local < 0 || process.crash_retries == 0) return "";
  // Sent again while retries are left: to pc 0 of the next attempt, the node whose crash count
  // is one more. The unrolling knows the count wherever a crash point can still come.
  const Node& at = unrolled.nodes[node];
  int32_t local = process.crash_local;
  if (!at.known[local]) {
    *target = -1;
    return fmt::format("a replica crash where the crash count of {} is not known (a retried request in a "
                       "loop that never ends)",
                       inst.display_name);
  }
  if (at.value[local] >= process.crash_retries) return "";
  for (size_t k = 0; k < unrolled.nodes.size(); ++k) {
    const Node& candidate = unrolled.nodes[k];
    if (candidate.pc == 0 && candidate.known[local] && candidate.value[local] == at.value[local] + 1) {
      *target = static_cast<int32_t>(k);
      return "";
    }
  }
  *target = -1;
  return fmt::format("a replica crash that retries {}, whose next attempt the unrolling does not hold",
                     inst.display_name);
}

}  // namespace racecheck::symbolic
