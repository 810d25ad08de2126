#include "checker/symbolic/engine.h"

#include <algorithm>

#include "checker/base/diagnostics.h"
#include "fmt/format.h"

namespace racecheck::symbolic {

bool Engine::EncodeStep(int32_t level) {
  const Frame& frame = frames_[level];
  size_t n = program_.instances.size();
  size_t movers = Movers();
  StepFrame step;
  if (movers == 1) {
    step.moves.push_back(terms_.True());
  } else {
    z3::expr_vector all(ctx_);
    for (size_t m = 0; m < movers; ++m) {
      step.moves.push_back(terms_.Bool(fmt::format("moves_{}_{}", level, m).c_str()));
      all.push_back(step.moves.back());
    }
    Assert(z3::mk_or(all));
    // At most one: each excludes all later ones, through a running "some earlier moves".
    z3::expr earlier = step.moves[0];
    for (size_t m = 1; m < movers; ++m) {
      Assert(!(earlier && step.moves[m]));
      if (m + 1 < movers) earlier = Define(fmt::format("moved_{}_{}", level, m), earlier || step.moves[m]);
    }
  }
  Frame next;
  next.globals = frame.globals;
  std::map<int32_t, z3::expr> new_globals;  // slot -> value after the step, over all movers
  std::vector<z3::expr> new_pcs = frame.pcs;
  std::vector<std::vector<z3::expr>> new_locals = frame.locals;
  std::vector<z3::expr> holders;  // per instance: when blocked on a row lock, its holder + 1
  // Per instance, with share locks: when blocked on a row lock, the share holders it waits for.
  std::vector<std::vector<z3::expr>> sharers;
  std::vector<z3::expr> in_cycle;

  for (size_t m = 0; m < InstanceMovers(); ++m) {
    if (Stopped()) return false;
    size_t i = m % n;
    bool victim = m >= n;
    if (victim && m == n) in_cycle = RowCycles(level, holders, sharers);
    if (Stopped()) return false;
    const Shape& shape = shapes_[i];
    const z3::expr& pc = frame.pcs[i];
    const z3::expr& moves = step.moves[m];
    InstanceStep is{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
    bool probe_polls = !victim && program_.timed && program_.region_slots[i] >= 0;
    z3::expr polls = terms_.False();
    std::vector<int32_t> window = Window(i, level);
    z3::expr new_pc = pc;
    std::vector<z3::expr> locals_after = frame.locals[i];
    std::map<int32_t, z3::expr> written;
    z3::expr holder = terms_.Slot(0);
    std::vector<z3::expr> also;
    for (int32_t k : window) {
      if (Stopped()) return false;
      z3::expr at = window.size() == 1 ? terms_.True() : terms_.Eq(pc, PcValue(k, shape.pc_bits));
      if (k == shape.done_id) {
        if (!victim) is.done = terms_.Or(is.done, at);
        continue;
      }
      std::string tag = fmt::format("{}_{}_{}", level, m, k);
      StepEncoding enc = victim ? steps_encoder_->EncodeVictim(static_cast<int32_t>(i), shape.starts[k], frame.globals,
                                                               frame.locals[i], tag)
                                : steps_encoder_->Encode(static_cast<int32_t>(i), shape.starts[k], frame.globals,
                                                         frame.locals[i], tag);
      is.blocked = terms_.Or(is.blocked, terms_.And(at, enc.blocked));
      holder = terms_.Ite(at, enc.row_holder, holder);
      if (!enc.row_also.empty() && also.empty()) also.assign(n, terms_.False());
      for (size_t j = 0; j < enc.row_also.size(); ++j) also[j] = terms_.Or(also[j], terms_.And(at, enc.row_also[j]));
      is.failed = terms_.Or(is.failed, terms_.And(at, enc.failed));
      is.succeeded = terms_.Or(is.succeeded, terms_.And(at, enc.succeeded));
      if (probe_polls) polls = terms_.Or(polls, terms_.And(at, Polls(static_cast<int32_t>(i), shape.starts[k], enc, frame.globals, frame.locals[i], tag)));
      is.bounded = terms_.Or(is.bounded, terms_.And(at, enc.bounded));
      for (const auto& [slot, when] : enc.reads) {
        auto it = is.reads.find(slot);
        z3::expr w = terms_.And(at, when);
        if (it == is.reads.end()) is.reads.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
      for (const auto& [slot, when] : enc.writes) {
        auto it = is.writes.find(slot);
        z3::expr w = terms_.And(at, when);
        if (it == is.writes.end()) is.writes.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
      for (ChoicePoint& choice : enc.choices) {
        choice.taken = terms_.And(at, choice.taken);
        is.choices.push_back(std::move(choice));
      }
      // Successors: the end node by its condition, then locals and globals.
      if (!enc.ends.empty()) {
        z3::expr end = PcValue(shape.id.at(enc.ends.back().first), shape.pc_bits);
        for (size_t e = enc.ends.size() - 1; e-- > 0;) {
          end = terms_.Ite(enc.ends[e].second, PcValue(shape.id.at(enc.ends[e].first), shape.pc_bits), end);
        }
        new_pc = terms_.Ite(at, end, new_pc);
      }
      for (size_t l = 0; l < locals_after.size(); ++l) locals_after[l] = terms_.Ite(at, enc.locals[l], locals_after[l]);
      CountRounds(i, shape.starts[k], enc, frame.locals[i], at, locals_after);
      for (const auto& [slot, value] : enc.globals) {
        auto it = written.find(slot);
        z3::expr before = it != written.end() ? it->second : frame.globals[slot];
        written.insert_or_assign(slot, terms_.Ite(at, value, before));
      }
    }
    if (victim) {
      // Only a transaction waiting in a cycle of row locks can be the victim.
      is.blocked = terms_.Not(in_cycle[i]);
      is.failed = terms_.And(in_cycle[i], is.failed);
      is.succeeded = terms_.And(in_cycle[i], is.succeeded);
      is.bounded = terms_.And(in_cycle[i], is.bounded);
    } else {
      step.polling.push_back(polls);
      holders.push_back(terms_.Ite(is.blocked, holder, terms_.Slot(0)));
      for (z3::expr& a : also) a = terms_.And(is.blocked, a);
      sharers.push_back(std::move(also));
    }
    // A replica crash changes the instance's position too: its pc, as a slot, orders the two.
    if (program_.replica_crash_bound > 0) is.writes.emplace(program_.instances[i].base_slot, terms_.True());
    if (!z3::eq(new_pc, pc)) new_pcs[i] = terms_.Ite(moves, new_pc, new_pcs[i]);
    for (size_t l = 0; l < locals_after.size(); ++l) {
      if (!z3::eq(locals_after[l], frame.locals[i][l])) new_locals[i][l] = terms_.Ite(moves, locals_after[l], new_locals[i][l]);
    }
    for (const auto& [slot, value] : written) {
      auto it = new_globals.find(slot);
      z3::expr before = it != new_globals.end() ? it->second : frame.globals[slot];
      new_globals.insert_or_assign(slot, terms_.Ite(moves, value, before));
    }
    step.instances.push_back(std::move(is));
  }
  steps_.push_back(std::move(step));
  if (!leases_.empty()) {
    steps_.back().instances.push_back(program_.timed ? EncodeTime(level, new_globals) : EncodeExpiry(level, new_globals));
  }
  if (program_.replica_crash_bound > 0) {
    steps_.back().instances.push_back(EncodeReplicaCrash(level, new_globals, new_pcs, new_locals));
    if (Stopped()) return false;
  }
  for (size_t i = 0; i < n; ++i) {
    const z3::expr& pc = frame.pcs[i];
    next.pcs.push_back(z3::eq(new_pcs[i], pc) ? pc : Define(fmt::format("pc_{}_{}", level + 1, i), new_pcs[i]));
    std::vector<z3::expr> locals;
    for (size_t l = 0; l < new_locals[i].size(); ++l) {
      const z3::expr& old = frame.locals[i][l];
      locals.push_back(z3::eq(new_locals[i][l], old) ? old
                                                      : Define(fmt::format("local_{}_{}_{}", level + 1, i, l),
                                                               new_locals[i][l]));
    }
    next.locals.push_back(std::move(locals));
  }
  for (const auto& [slot, value] : new_globals) {
    if (!z3::eq(value, frame.globals[slot])) next.globals[slot] = Define(fmt::format("global_{}_{}", level + 1, slot), value);
  }
  frames_.push_back(std::move(next));
  return true;
}

std::vector<z3::expr> Engine::RowCycles(int32_t level, const std::vector<z3::expr>& holders,
                                        const std::vector<std::vector<z3::expr>>& sharers) {
  size_t n = holders.size();
  bool shared = std::any_of(sharers.begin(), sharers.end(), [](const auto& s) { return !s.empty(); });
  if (shared) return SharedRowCycles(level, holders, sharers);
  std::vector<z3::expr> holder_vars;
  for (size_t j = 0; j < n; ++j) {
    int64_t value = -1;
    bool none = Terms::Numeral(holders[j], &value) && value == 0;
    holder_vars.push_back(none ? holders[j] : Define(fmt::format("row_holder_{}_{}", level, j), holders[j]));
  }
  std::vector<z3::expr> cycles;
  for (size_t i = 0; i < n; ++i) {
    // The caller looks again and drops the step: the cycles need not be complete.
    if (Stopped()) {
      cycles.resize(n, terms_.False());
      break;
    }
    z3::expr at = holder_vars[i];
    z3::expr cycle = terms_.False();
    for (size_t steps = 0; steps < n; ++steps) {
      cycle = terms_.Or(cycle, terms_.Eq(at, terms_.Slot(static_cast<int64_t>(i) + 1)));
      z3::expr following = terms_.Slot(0);
      for (size_t j = n; j-- > 0;) following = terms_.Ite(terms_.Eq(at, terms_.Slot(static_cast<int64_t>(j) + 1)), holder_vars[j], following);
      at = following;
    }
    cycles.push_back(cycle);
  }
  return cycles;
}

std::vector<z3::expr> Engine::SharedRowCycles(int32_t level, const std::vector<z3::expr>& holders,
                                              const std::vector<std::vector<z3::expr>>& sharers) {
  size_t n = holders.size();
  // reach[i][j]: i waits for j through a chain of waits; each round doubles the chains' length.
  std::vector<std::vector<z3::expr>> reach(n);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      z3::expr edge = terms_.Eq(holders[i], terms_.Slot(static_cast<int64_t>(j) + 1));
      if (j < sharers[i].size()) edge = terms_.Or(edge, sharers[i][j]);
      reach[i].push_back(edge.is_true() || edge.is_false() ? edge : Define(fmt::format("row_wait_{}_{}_{}", level, i, j), edge));
    }
  }
  for (size_t length = 1, round = 0; length < n; length *= 2, ++round) {
    if (Stopped()) return std::vector<z3::expr>(n, terms_.False());
    std::vector<std::vector<z3::expr>> next(n);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) {
        z3::expr via = reach[i][j];
        for (size_t k = 0; k < n; ++k) via = terms_.Or(via, terms_.And(reach[i][k], reach[k][j]));
        next[i].push_back(via.is_true() || via.is_false()
                              ? via
                              : Define(fmt::format("row_reach_{}_{}_{}_{}", level, round, i, j), via));
      }
    }
    reach = std::move(next);
  }
  std::vector<z3::expr> cycles;
  for (size_t i = 0; i < n; ++i) cycles.push_back(reach[i][i]);
  return cycles;
}

std::vector<int32_t> Engine::Window(size_t instance, int32_t level) const {
  int32_t others = expiries_;
  for (size_t j = 0; j < shapes_.size(); ++j) others += j == instance ? 0 : shapes_[j].longest;
  const Shape& shape = shapes_[instance];
  std::vector<int32_t> window;
  for (size_t k = 0; k < shape.starts.size(); ++k) {
    if (shape.min_steps[k] <= level && shape.max_steps[k] >= level - others) window.push_back(static_cast<int32_t>(k));
  }
  return window;
}

z3::expr Engine::AllDone(int32_t level) {
  z3::expr all = terms_.True();
  for (size_t i = 0; i < shapes_.size() && !all.is_false(); ++i) {
    std::vector<int32_t> window = Window(i, level);
    const Shape& shape = shapes_[i];
    if (std::find(window.begin(), window.end(), shape.done_id) == window.end()) return terms_.False();
    if (window.size() > 1) all = terms_.And(all, terms_.Eq(frames_[level].pcs[i], PcValue(shape.done_id, shape.pc_bits)));
  }
  return all;
}

z3::expr Engine::Moves(int32_t level, size_t mover) {
  return steps_[level].moves[mover];
}

z3::expr Engine::InstanceMoves(int32_t level, size_t instance) {
  if (!victims_) return Moves(level, instance);
  return terms_.Or(Moves(level, instance), Moves(level, instance + program_.instances.size()));
}

z3::expr Engine::Deadlock(int32_t level) {
  if (program_.allow_deadlock || program_.instances.empty()) return terms_.False();
  const StepFrame& step = steps_[level];
  // The environment's moves do not count: a state where only they are possible is a deadlock.
  z3::expr stuck = terms_.Not(AllDone(level));
  for (size_t m = 0; m < InstanceMovers(); ++m) {
    stuck = terms_.And(stuck, terms_.Or(step.instances[m].done, step.instances[m].blocked));
  }
  return stuck;
}

z3::expr Engine::StepViolation(int32_t level, const std::vector<bool>& covers_open) {
  const StepFrame& step = steps_[level];
  z3::expr failed = terms_.False();
  z3::expr succeeded = terms_.False();
  for (size_t i = 0; i < step.instances.size(); ++i) {
    failed = terms_.Or(failed, terms_.And(Moves(level, i), step.instances[i].failed));
    succeeded = terms_.Or(succeeded, terms_.And(Moves(level, i), step.instances[i].succeeded));
  }
  return terms_.Or(failed, terms_.And(succeeded, Properties(level + 1, covers_open).bad));
}

Engine::PropertyTerms Engine::Properties(int32_t level, const std::vector<bool>& covers_open) {
  const Frame& frame = frames_[level];
  PropertyTerms out{terms_.False(), {}};
  z3::expr final_bad = terms_.False();
  // Finals are looked at only where every instance may have finished.
  z3::expr all_done = AllDone(level);
  for (size_t k = 0; k < program_.properties.size(); ++k) {
    const ir::Property& property = program_.properties[k];
    if (property.kind == ir::PropertyKind::kFinal && all_done.is_false()) {
      out.cover_reached.push_back(terms_.False());
      continue;
    }
    int32_t copies = 1;
    for (int32_t var : property.vars) copies = std::max(copies, program_.vars[var].copies);
    // The copies in order, as the explicit engine looks at them: the first that fails or
    // (for covers) holds decides.
    z3::expr bad = terms_.False();
    z3::expr reached = terms_.False();
    z3::expr fault_first = terms_.False();
    z3::expr earlier_quiet = terms_.True();
    for (int32_t copy = 0; copy < copies; ++copy) {
      FrameEnv env(frame.globals, nullptr, -1, copy);
      SymValue v = exprs_.Eval(property.expr, env);
      // A NULL property is a runtime error, as a NULL condition is (ir/null.h).
      v.fault = terms_.Or(v.fault, exprs_.IsNull(v.value));
      z3::expr truth = exprs_.Truth(v);
      bad = terms_.Or(bad, terms_.Or(v.fault, terms_.Not(truth)));
      reached = terms_.Or(reached, terms_.And(earlier_quiet, terms_.And(terms_.Not(v.fault), truth)));
      fault_first = terms_.Or(fault_first, terms_.And(earlier_quiet, v.fault));
      z3::expr no_fault = terms_.Not(v.fault);
      earlier_quiet = terms_.And(earlier_quiet, terms_.And(no_fault, terms_.Not(truth)));
    }
    switch (property.kind) {
      case ir::PropertyKind::kInvariant:
        out.bad = terms_.Or(out.bad, bad);
        out.cover_reached.push_back(terms_.False());
        break;
      case ir::PropertyKind::kFinal:
        final_bad = terms_.Or(final_bad, bad);
        out.cover_reached.push_back(terms_.False());
        break;
      case ir::PropertyKind::kCover:
        // A cover that fails to evaluate is a runtime error, until it has been reached.
        if (k < covers_open.size() && covers_open[k]) out.bad = terms_.Or(out.bad, fault_first);
        out.cover_reached.push_back(reached);
        break;
    }
  }
  if (!final_bad.is_false()) out.bad = terms_.Or(out.bad, terms_.And(all_done, final_bad));
  return out;
}

}  // namespace racecheck::symbolic
