#include "checker/symbolic/engine.h"


namespace racecheck::symbolic {

// Neighbouring steps level-1 and level may come in descending instance order only when they
// touch a common slot and one of them writes it: other pairs are one run in two orders.
z3::expr Engine::Independent(int32_t level) {
  size_t n = Movers();
  auto selected = [&](int32_t at, bool writes) {
    std::map<int32_t, z3::expr> footprint;
    const StepFrame& step = steps_[at];
    for (size_t i = 0; i < n; ++i) {
      const z3::expr& moves = step.moves[i];
      for (const auto& [slot, when] : writes ? step.instances[i].writes : step.instances[i].reads) {
        z3::expr w = terms_.And(moves, when);
        auto it = footprint.find(slot);
        if (it == footprint.end()) footprint.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
    }
    return footprint;
  };
  std::map<int32_t, z3::expr> r1 = selected(level - 1, false), w1 = selected(level - 1, true);
  std::map<int32_t, z3::expr> r2 = selected(level, false), w2 = selected(level, true);
  z3::expr dependent = terms_.False();
  for (const auto& [slot, when] : w1) {
    z3::expr other = terms_.False();
    if (auto it = r2.find(slot); it != r2.end()) other = terms_.Or(other, it->second);
    if (auto it = w2.find(slot); it != w2.end()) other = terms_.Or(other, it->second);
    dependent = terms_.Or(dependent, terms_.And(when, other));
  }
  for (const auto& [slot, when] : r1) {
    if (auto it = w2.find(slot); it != w2.end()) dependent = terms_.Or(dependent, terms_.And(when, it->second));
  }
  // A deadlock victim's step depends on whether others wait for rows, which no footprint shows:
  // it is never swapped.
  for (size_t m = program_.instances.size(); m < InstanceMovers(); ++m) {
    dependent = terms_.Or(dependent, terms_.Or(steps_[level - 1].moves[m], steps_[level].moves[m]));
  }
  // Nor is time passing where an instance with a takes region may wait: it depends on who
  // waits (Engine::EncodeTime).
  if (TimeSeesWaits(level - 1) || TimeSeesWaits(level)) {
    dependent = terms_.Or(dependent, terms_.Or(steps_[level - 1].moves[InstanceMovers()], steps_[level].moves[InstanceMovers()]));
  }
  // The earlier step's mover is above the later one's, in the order breadth-first search
  // generates them: the instance movers, then the expiry of each key (so independent expiries,
  // too, come in one order only).
  auto order = [&](int32_t at) {
    std::vector<z3::expr> movers(steps_[at].moves.begin(), steps_[at].moves.begin() + InstanceMovers());
    movers.insert(movers.end(), steps_[at].expiring.begin(), steps_[at].expiring.end());
    return movers;
  };
  std::vector<z3::expr> earlier = order(level - 1), later = order(level);
  z3::expr descending = terms_.False();
  z3::expr above = terms_.False();  // some mover above j moved at level - 1
  for (size_t j = later.size(); j-- > 0;) {
    descending = terms_.Or(descending, terms_.And(later[j], above));
    above = terms_.Or(above, earlier[j]);
  }
  return z3::implies(descending, dependent);
}

bool Engine::TimeSeesWaits(int32_t level) const {
  if (!program_.timed || leases_.empty()) return false;
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    if (program_.region_slots[i] < 0) continue;
    if (!steps_[level].instances[i].blocked.is_false() || !steps_[level].polling[i].is_false()) return true;
  }
  return false;
}

bool Engine::MayRestAtStart(size_t instance) const {
  const ir::Process& process = program_.processes[program_.instances[instance].process];
  if (process.code.empty()) return false;
  ir::Op first = process.code[0].op;
  return first == ir::Op::kSql || first == ir::Op::kAtomicBegin;
}

// An instance of a group takes its first step only after the one before it in the group has
// moved. Renaming the instances of any run makes one that does, of the same length, through
// states equal up to the renaming (which no property, deadlock or failure can see), so no
// violation or cover is lost; and moving a lower instance's step earlier, as the peephole
// reduction does, keeps the order (docs/z3-encoding.md, "Reductions"). An instance has moved
// when it has left its start node, unless its first step may end there (MayRestAtStart): then
// the moves of the levels before say it.
z3::expr Engine::FirstMovesInOrder(int32_t level) {
  size_t n = program_.instances.size();
  if (moved_before_.empty()) moved_before_.assign(n, terms_.False());
  auto moved = [&](int32_t i) {
    if (MayRestAtStart(i)) return moved_before_[i];
    return terms_.Not(terms_.Eq(frames_[level].pcs[i], PcValue(0, shapes_[i].pc_bits)));
  };
  z3::expr all = terms_.True();
  for (const std::vector<int32_t>& group : groups_) {
    for (size_t k = 1; k < group.size(); ++k) {
      int32_t before = group[k - 1], after = group[k];
      // Named first, in this order: the order terms are made in steers Z3's search.
      z3::expr unstarted = terms_.Not(moved(after));
      z3::expr started = moved(before);
      all = terms_.And(all, z3::implies(terms_.And(InstanceMoves(level, after), unstarted), started));
    }
  }
  for (const std::vector<int32_t>& group : groups_) {
    for (int32_t i : group) {
      if (MayRestAtStart(i)) moved_before_[i] = terms_.Or(moved_before_[i], InstanceMoves(level, i));
    }
  }
  return all;
}

}  // namespace racecheck::symbolic
