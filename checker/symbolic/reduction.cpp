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

std::vector<std::vector<int32_t>> Engine::SymmetricGroups() const {
  // Whether an expression (or what it reads) names `self`.
  std::vector<int8_t> uses_self(program_.exprs.size(), -1);
  auto uses = [&](auto&& self_fn, int32_t expr) -> bool {
    if (expr < 0) return false;
    int8_t& known = uses_self[expr];
    if (known >= 0) return known != 0;
    const ir::Expr& e = program_.exprs[expr];
    bool result = e.op == ir::ExprOp::kSelf || self_fn(self_fn, e.a) || self_fn(self_fn, e.b);
    known = result ? 1 : 0;
    return result;
  };
  std::vector<std::vector<int32_t>> groups;
  for (size_t p = 0; p < program_.processes.size(); ++p) {
    const ir::Process& process = program_.processes[p];
    bool alike = true;
    for (const ir::Instr& instr : process.code) {
      alike = alike && !uses(uses, instr.expr) && !uses(uses, instr.expr2) && !uses(uses, instr.index);
      if (instr.op == ir::Op::kRedis) {
        const ir::RedisOp& op = program_.redis_ops[instr.call];
        alike = alike && !uses(uses, op.element) && !uses(uses, op.value) && !uses(uses, op.ttl) &&
                !uses(uses, op.count) && !uses(uses, op.key_index) && !uses(uses, op.target_index);
        for (int32_t arg : op.args) alike = alike && !uses(uses, arg);
      } else if (instr.op == ir::Op::kRedisBegin) {
        alike = alike && !uses(uses, program_.redis_blocks[instr.call].element);
      } else if (instr.op == ir::Op::kSql) {
        // A SQL statement's clauses are expressions too. No database rule looks at instance
        // numbers otherwise: row locks, waiters and victims treat every instance alike.
        const ir::SqlStatement& sql = program_.sql[instr.call];
        alike = alike && !uses(uses, sql.where) && !uses(uses, sql.key_expr);
        for (const ir::SqlSet& set : sql.sets) alike = alike && !uses(uses, set.expr);
        for (int32_t value : sql.values) alike = alike && !uses(uses, value);
      }
    }
    for (const ir::ProcessParam& param : process.params) {
      alike = alike && !uses(uses, param.value_expr) && !uses(uses, param.lo_expr) && !uses(uses, param.hi_expr);
    }
    std::vector<int32_t> group;
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      const ir::Instance& inst = program_.instances[i];
      if (inst.process != static_cast<int32_t>(p)) continue;
      // Instances on different replicas see different copies of memory and locks.
      if (!group.empty() && inst.replica != program_.instances[group[0]].replica) alike = false;
      group.push_back(static_cast<int32_t>(i));
    }
    if (alike && group.size() > 1) groups.push_back(std::move(group));
  }
  return groups;
}

// An instance of a group takes its first step only after the one before it in the group has
// started. Renaming the instances of any run makes one that does, with the same states up to
// the renaming (which no property can see), so no violation or cover is lost; and moving a
// lower instance's step earlier, as the peephole reduction does, keeps the order.
z3::expr Engine::FirstMovesInOrder(int32_t level) {
  z3::expr all = terms_.True();
  for (const std::vector<int32_t>& group : groups_) {
    for (size_t k = 1; k < group.size(); ++k) {
      int32_t before = group[k - 1], after = group[k];
      z3::expr unstarted = terms_.Eq(frames_[level].pcs[after], PcValue(0, shapes_[after].pc_bits));
      z3::expr started = terms_.Not(terms_.Eq(frames_[level].pcs[before], PcValue(0, shapes_[before].pc_bits)));
      all = terms_.And(all, z3::implies(terms_.And(InstanceMoves(level, after), unstarted), started));
    }
  }
  return all;
}

}  // namespace racecheck::symbolic
