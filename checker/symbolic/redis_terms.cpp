#include "checker/symbolic/redis_terms.h"

#include <optional>

#include "checker/base/diagnostics.h"

namespace racecheck::symbolic {

RedisEncoder::RedisEncoder(const ir::Program& program, Terms& terms, ExprEncoder& exprs)
    : program_(program), terms_(terms), exprs_(exprs) {}

z3::expr RedisEncoder::Number(const Element& element) {
  if (element.slots.empty()) return terms_.Slot(0);
  z3::expr number = terms_.Slot(element.slots.back().first);
  for (size_t k = element.slots.size() - 1; k-- > 0;) {
    number = terms_.Ite(element.slots[k].second, terms_.Slot(element.slots[k].first), number);
  }
  return number;
}

RedisTarget RedisEncoder::Target(const ir::RedisBlock& block, ExprEnv& env) {
  Element element = exprs_.RedisElement(block.redis, block.element, env);
  return {element.fault, Number(element)};
}

RedisOutcome RedisEncoder::Execute(const ir::RedisOp& op, ExprEnv& env) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  Element element = exprs_.RedisElement(op.redis, op.element, env);
  z3::expr error = element.fault;
  std::optional<SymValue> value, ttl;
  if (op.value >= 0) {
    value = exprs_.Eval(op.value, env);
    error = terms_.Or(error, value->fault);
  }
  if (op.ttl >= 0) {
    ttl = exprs_.Eval(op.ttl, env);
    error = terms_.Or(error, ttl->fault);
  }
  RedisOutcome out{error, terms_.Slot(0), Number(element), {}};
  z3::expr zero = terms_.Slot(0), one = terms_.Slot(1);
  // Every element the command may go to, the last one the default of the result's ite chain.
  for (size_t k = element.slots.size(); k-- > 0;) {
    auto [number, here] = element.slots[k];
    int32_t slot = decl.KeySlot(number, op.key);
    z3::expr stored = env.Global(slot);
    z3::expr present = terms_.Not(terms_.Eq(env.Global(slot + 1), zero));
    z3::expr result = zero;
    z3::expr fails = terms_.False();
    auto write = [&](int32_t at, const z3::expr& when, const z3::expr& v) {
      out.writes.push_back({at, terms_.And(here, when), v});
    };
    switch (op.command) {
      case ir::RedisCommand::kGet:
        // An absent key reads as 0 (racecheck has no nil).
        result = terms_.Ite(present, stored, zero);
        break;
      case ir::RedisCommand::kExists:
        result = terms_.Ite(present, one, zero);
        break;
      case ir::RedisCommand::kSet:
      case ir::RedisCommand::kSetNx: {
        RACECHECK_CHECK(value.has_value(), "a SET without a value");
        z3::expr skip = terms_.False();
        if (op.nx) skip = terms_.Or(skip, present);
        if (op.xx) skip = terms_.Or(skip, terms_.Not(present));
        z3::expr sets = terms_.Not(skip);
        if (ttl) fails = terms_.Or(fails, exprs_.Le(ttl->value, terms_.Num(0, 1)));
        fails = terms_.And(sets, terms_.Or(fails, terms_.Not(exprs_.Fits32(value->value))));
        write(slot, sets, exprs_.Low32(value->value));
        write(slot + 1, sets, one);
        // SET without a time to live drops any lease the key had, as in Redis.
        write(slot + 2, sets, ttl ? one : zero);
        result = terms_.Ite(sets, one, zero);
        break;
      }
      case ir::RedisCommand::kIncr:
      case ir::RedisCommand::kDecr:
      case ir::RedisCommand::kIncrBy:
      case ir::RedisCommand::kDecrBy: {
        bool by = op.command == ir::RedisCommand::kIncrBy || op.command == ir::RedisCommand::kDecrBy;
        bool down = op.command == ir::RedisCommand::kDecr || op.command == ir::RedisCommand::kDecrBy;
        RACECHECK_CHECK(!by || value.has_value(), "an INCRBY or DECRBY without an amount");
        // Two bits past the explicit engine's int64, so that no sum here wraps.
        auto wide = [&](const z3::expr& v) { return terms_.bit_vector() ? z3::sext(exprs_.Wide(v), 2) : exprs_.Wide(v); };
        z3::expr amount = wide(by ? value->value : terms_.Num(1, 2));
        z3::expr base = wide(terms_.Ite(present, stored, zero));
        z3::expr next = down ? base - amount : base + amount;
        fails = terms_.Not(exprs_.Fits32(next));
        result = exprs_.Low32(next);
        write(slot, terms_.True(), result);
        write(slot + 1, terms_.True(), one);
        break;
      }
      case ir::RedisCommand::kDel:
        write(slot, present, zero);
        write(slot + 1, present, zero);
        write(slot + 2, present, zero);
        result = terms_.Ite(present, one, zero);
        break;
      case ir::RedisCommand::kWatch:
        RACECHECK_CHECK(false, "encoding a Redis command the engine refuses");
    }
    out.error = terms_.Or(out.error, terms_.And(here, fails));
    out.result = k + 1 == element.slots.size() ? result : terms_.Ite(here, result, out.result);
  }
  return out;
}

}  // namespace racecheck::symbolic
