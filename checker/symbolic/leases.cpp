#include "checker/symbolic/engine.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/ir/poll_cycles.h"
#include "checker/symbolic/redis_terms.h"
#include "fmt/format.h"

namespace racecheck::symbolic {

InstanceStep Engine::EncodeExpiry(int32_t level, std::map<int32_t, z3::expr>& new_globals) {
  const Frame& frame = frames_[level];
  const z3::expr& moves = steps_[level].moves[InstanceMovers()];
  InstanceStep env{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
  // Which key, as an index into leases_: the one choice the environment makes.
  size_t count = leases_.size();
  z3::expr key = count == 1 ? terms_.Slot(0) : SlotVar(fmt::format("expire_{}", level));
  RedisEncoder redis(program_, terms_, exprs_);
  FrameEnv frame_env(frame.globals, nullptr, -1, 0);
  if (count > 1) Assert(key >= terms_.Slot(0) && key <= terms_.Slot(static_cast<int64_t>(count) - 1));
  for (size_t j = 0; j < count; ++j) {
    z3::expr chosen = count == 1 ? terms_.True() : terms_.Eq(key, terms_.Slot(static_cast<int64_t>(j)));
    int32_t slot = lease_slots_[j];
    // Only a key with a lease expires (Redis::Expire then clears value, present and lease).
    z3::expr expires = terms_.And(chosen, terms_.Not(terms_.Eq(frame.globals[slot + 2], terms_.Slot(0))));
    env.succeeded = terms_.Or(env.succeeded, expires);
    env.reads.emplace(slot + 2, chosen);
    steps_[level].expiring.push_back(terms_.And(moves, chosen));
    std::vector<SlotWrite> writes;
    for (int32_t at = slot; at < slot + 3; ++at) writes.push_back({at, chosen, terms_.Slot(0)});
    // The instances WATCHing the key will see their EXEC refused.
    const result::Expiry& lease = leases_[j];
    redis.Touch(lease.redis, lease.element, lease.key, chosen, frame_env, writes);
    for (const SlotWrite& write : writes) {
      bool watch = write.slot < slot || write.slot >= slot + 3;
      if (watch) env.reads.emplace(write.slot, chosen);
      env.writes.emplace(write.slot, chosen);
      auto it = new_globals.find(write.slot);
      z3::expr before = it != new_globals.end() ? it->second : frame.globals[write.slot];
      new_globals.insert_or_assign(write.slot, terms_.Ite(terms_.And(moves, write.when), write.value, before));
    }
  }
  env.choices.push_back(ChoicePoint{-1, 0, key, terms_.True(), terms_.Slot(0)});
  return env;
}

// Stepper::StepTime: d ms pass, 1 <= d <= Stepper::TimeCap (the longest lease left, and no open
// takes region past its bound); leases lose d, those that reach 0 expire; open regions lose d.
// A waiting instance's region counts for neither, so time passing depends on who waits, which
// no footprint shows: where a waiting instance may have a region (TimeSeesWaits), Independent
// never swaps it.
z3::expr Engine::Polls(int32_t instance, int32_t start, const StepEncoding& enc, const std::vector<z3::expr>& globals,
                       const std::vector<z3::expr>& locals, const std::string& tag) {
  int32_t pc = unrolled_.instances[instance].nodes[start].pc;
  const ir::Process& process = program_.processes[program_.instances[instance].process];
  // On a loop that only reads and takes several steps a round (ir::PollCycles): it polls.
  if (process.OnPollCycle(pc)) return terms_.True();
  // On a counted loop its rounds are work; on a loop that writes and goes on by what others did,
  // it polls when it can come back within two rounds' steps, alone, having changed nothing
  // (ir::ProbeSteps).
  int32_t steps = process.ProbeSteps(pc);
  if (steps == 0) return terms_.False();
  // Gone round such a loop retry_rounds times in a row: others keep failing it (Stepper::Waiting).
  z3::expr spent = RoundsSpent(instance, start, locals);
  return terms_.Or(spent, GoesRound(instance, enc, globals, {{pc, {}, locals}}, {}, steps, tag));
}

z3::expr Engine::RoundsSpent(size_t instance, int32_t node, const std::vector<z3::expr>& locals) {
  const ir::Process& process = program_.processes[program_.instances[instance].process];
  int32_t limit = process.RoundsLimit(unrolled_.instances[instance].nodes[node].pc);
  if (limit == 0) return terms_.False();
  return exprs_.Le(terms_.Slot(limit), locals[process.rounds_local]);
}

void Engine::CountRounds(size_t instance, int32_t node, const StepEncoding& enc, const std::vector<z3::expr>& locals,
                         const z3::expr& at, std::vector<z3::expr>& locals_after) {
  const ir::Process& process = program_.processes[program_.instances[instance].process];
  if (process.rounds_cap == 0 || enc.ends.empty()) return;
  const std::vector<Node>& nodes = unrolled_.instances[instance].nodes;
  int32_t from = nodes[node].pc;
  const z3::expr& rounds = locals[process.rounds_local];
  z3::expr cap = terms_.Slot(process.rounds_cap);
  auto after = [&](int32_t end) {
    int32_t to = nodes[end].pc;
    if (process.RoundsLimit(to) == 0 || process.RoundsLimit(from) == 0) return terms_.Slot(0);
    return terms_.Ite(exprs_.Lt(rounds, cap), rounds + terms_.Slot(1), cap);
  };
  z3::expr value = after(enc.ends.back().first);
  for (size_t e = enc.ends.size() - 1; e-- > 0;) value = terms_.Ite(enc.ends[e].second, after(enc.ends[e].first), value);
  z3::expr& slot = locals_after[process.rounds_local];
  slot = terms_.Ite(at, value, slot);
}

z3::expr Engine::GoesRound(int32_t instance, const StepEncoding& enc, const std::vector<z3::expr>& start,
                           std::vector<Passed> passed, std::map<int32_t, z3::expr> written, int32_t steps_left,
                           const std::string& tag) {
  if (enc.ends.empty()) return terms_.False();
  const std::vector<Node>& nodes = unrolled_.instances[instance].nodes;
  const ir::Process& process = program_.processes[program_.instances[instance].process];
  for (const auto& [slot, value] : enc.globals) written.insert_or_assign(slot, value);
  // Only a probe of more steps spends a budget (a one-step probe ends where its step ends, as
  // Stepper::Waiting's: round 25 found a step into such a loop counted as waiting, which the
  // explicit engine's replay refused).
  const bool long_probe = process.ProbeSteps(passed.front().pc) > 1;
  // The instance's own block (its transaction's state; compared by a probe of more steps), the
  // model's ghosts (ir::GhostSlots) and the engine's own slots (DbLayout, past the program's) may
  // change: the explicit engine compares the rest.
  int32_t own = program_.instances[instance].base_slot, own_end = program_.BlockEnd(instance);
  auto compared = [&](int32_t slot) {
    bool outside = slot < own || slot >= own_end || watch_slots_[slot] || long_probe;
    return slot < program_.slot_count && outside && !ghost_slots_[slot];
  };
  auto value = [&](const std::map<int32_t, z3::expr>& at, int32_t slot) {
    auto it = at.find(slot);
    return it != at.end() ? it->second : start[slot];
  };
  // Whether the state after this step is one the run passed at `pc` (the probed one first).
  auto back_at = [&](int32_t pc) {
    z3::expr back = terms_.False();
    for (const Passed& earlier : passed) {
      if (earlier.pc != pc) continue;
      z3::expr same = terms_.True();
      for (const auto& [slot, now] : written) {
        if (compared(slot)) same = terms_.And(same, terms_.Eq(now, value(earlier.written, slot)));
      }
      // A probe of more steps compares the locals too, but the round count (Stepper::Waiting's
      // ComparedOwn).
      for (size_t l = 0; long_probe && l < enc.locals.size(); ++l) {
        if (static_cast<int32_t>(l) != process.rounds_local) {
          same = terms_.And(same, terms_.Eq(enc.locals[l], earlier.locals[l]));
        }
      }
      back = terms_.Or(back, same);
    }
    return back;
  };
  // The end it takes: the first whose condition holds, else the last (as the new pc's ite chain).
  z3::expr back = terms_.False(), earlier = terms_.False();
  for (size_t e = 0; e < enc.ends.size(); ++e) {
    const auto& [node, when] = enc.ends[e];
    z3::expr taken = e + 1 < enc.ends.size() ? terms_.And(terms_.Not(earlier), when) : terms_.Not(earlier);
    earlier = terms_.Or(earlier, when);
    int32_t end_pc = nodes[node].pc;
    back = terms_.Or(back, terms_.And(taken, back_at(end_pc)));
    // Not back: a longer probe goes on, depth first as Stepper::Waiting's; still on the loop
    // when the budget is spent, it counts as waiting too, as there.
    if (long_probe && steps_left <= 1 && process.ProbeSteps(end_pc) > 1) back = terms_.Or(back, taken);
    if (steps_left > 1 && process.ProbeSteps(end_pc) > 1) {
      std::vector<z3::expr> after = start;
      for (const auto& [slot, v] : written) after[slot] = v;
      std::string next_tag = fmt::format("{}_r{}", tag, e);
      StepEncoding next = steps_encoder_->Encode(instance, node, after, enc.locals, next_tag);
      std::vector<Passed> longer = passed;
      longer.push_back({end_pc, written, enc.locals});
      back = terms_.Or(back, terms_.And(taken, GoesRound(instance, next, start, std::move(longer), written,
                                                         steps_left - 1, next_tag)));
    }
  }
  return terms_.And(enc.succeeded, back);
}

InstanceStep Engine::EncodeTime(int32_t level, std::map<int32_t, z3::expr>& new_globals) {
  const Frame& frame = frames_[level];
  const z3::expr& moves = steps_[level].moves[InstanceMovers()];
  InstanceStep env{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
  // Two passings in a row are one: d1 + d2 was allowed where d1 was.
  if (level > 0) Assert(terms_.Not(terms_.And(steps_[level - 1].moves[InstanceMovers()], moves)));
  z3::expr d = SlotVar(fmt::format("time_{}", level));
  z3::expr zero = terms_.Slot(0);
  z3::expr longest = zero;
  for (int32_t slot : lease_slots_) {
    const z3::expr& lease = frame.globals[slot + 2];
    longest = terms_.Ite(exprs_.Lt(longest, lease), lease, longest);
  }
  z3::expr at_least_one = exprs_.Le(terms_.Slot(1), d);
  z3::expr allowed = terms_.And(at_least_one, exprs_.Le(d, longest));
  // Per instance with a region: whether it is open and bounds time; the region of an instance
  // that waits neither bounds time nor loses it (Stepper::RegionCounts).
  std::vector<std::optional<z3::expr>> counts(program_.region_slots.size());
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    int32_t slot = program_.region_slots[i];
    if (slot < 0) continue;
    const z3::expr& left = frame.globals[slot];
    z3::expr waits = terms_.Or(steps_[level].instances[i].blocked, steps_[level].polling[i]);
    counts[i] = terms_.And(exprs_.Lt(zero, left), terms_.Not(waits));
    allowed = terms_.And(allowed, terms_.Or(terms_.Not(*counts[i]), exprs_.Lt(d, left)));
  }
  env.succeeded = allowed;
  steps_[level].expiring.push_back(moves);
  RedisEncoder redis(program_, terms_, exprs_);
  FrameEnv frame_env(frame.globals, nullptr, -1, 0);
  std::vector<SlotWrite> writes;
  for (size_t j = 0; j < leases_.size(); ++j) {
    int32_t slot = lease_slots_[j];
    const z3::expr& lease = frame.globals[slot + 2];
    z3::expr held = terms_.Not(terms_.Eq(lease, zero));
    z3::expr ends = terms_.And(held, exprs_.Le(lease, d));
    writes.push_back({slot, ends, zero});
    writes.push_back({slot + 1, ends, zero});
    writes.push_back({slot + 2, held, terms_.Ite(ends, zero, lease - d)});
    const result::Expiry& key = leases_[j];
    redis.Touch(key.redis, key.element, key.key, ends, frame_env, writes);
  }
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    int32_t slot = program_.region_slots[i];
    if (slot >= 0) writes.push_back({slot, *counts[i], frame.globals[slot] - d});
  }
  // Time passing reads every lease and region (its bound) and may write them all.
  for (int32_t slot : lease_slots_) env.reads.emplace(slot + 2, terms_.True());
  for (int32_t slot : program_.region_slots) {
    if (slot >= 0) env.reads.emplace(slot, terms_.True());
  }
  for (const SlotWrite& write : writes) {
    env.writes.insert_or_assign(write.slot, terms_.True());
    env.reads.emplace(write.slot, terms_.True());
    auto it = new_globals.find(write.slot);
    z3::expr before = it != new_globals.end() ? it->second : frame.globals[write.slot];
    new_globals.insert_or_assign(write.slot, terms_.Ite(terms_.And(moves, write.when), write.value, before));
  }
  env.choices.push_back(ChoicePoint{-1, 0, d, terms_.True(), terms_.Slot(1)});
  return env;
}

void Engine::Leases() {
  ir::ForEachLeasableKey(program_, [&](int32_t redis, int32_t element, int32_t key, int32_t slot) {
    leases_.push_back({redis, element, key});
    lease_slots_.push_back(slot);
  });
  if (program_.timed) {
    ghost_slots_ = ir::GhostSlots(program_);
    watch_slots_ = ir::WatchSlots(program_);
    // Time passes at most once after each step of an instance (two passings in a row are one),
    // and never first: no key starts with a lease.
    for (const Shape& shape : shapes_) expiries_ += shape.longest;
    return;
  }
  // Every expiry ends a lease that a SET with a time to live began, and a run passes each
  // node of the unrolled code at most once; no key starts with a lease.
  for (size_t i = 0; i < unrolled_.instances.size() && !leases_.empty(); ++i) {
    const ir::Process& process = program_.processes[program_.instances[i].process];
    for (const Node& node : unrolled_.instances[i].nodes) {
      if (node.pc == ir::kDonePc) continue;
      const ir::Instr& instr = process.code[node.pc];
      expiries_ += instr.op == ir::Op::kRedis && program_.redis_ops[instr.call].ttl >= 0;
    }
  }
}

}  // namespace racecheck::symbolic
