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
  return {element.fault, Number(element), element};
}

bool RedisEncoder::Watches(int32_t instance, int32_t redis) const {
  const ir::ProcessDb& db = program_.processes[program_.instances[instance].process].db;
  return !db.watches.empty() && db.watches[redis] >= 0;
}

int32_t RedisEncoder::WatchSlot(int32_t instance, int32_t redis, int32_t number, int32_t key) const {
  const ir::Instance& inst = program_.instances[instance];
  int32_t keys = static_cast<int32_t>(program_.redis[redis].keys.size());
  return inst.base_slot + program_.processes[inst.process].db.watches[redis] + number * keys + key;
}

void RedisEncoder::Touch(int32_t redis, int32_t number, int32_t key, const z3::expr& when, ExprEnv& env,
                         std::vector<SlotWrite>& writes) {
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (!Watches(static_cast<int32_t>(i), redis)) continue;
    int32_t slot = WatchSlot(static_cast<int32_t>(i), redis, number, key);
    z3::expr watch = env.Global(slot);
    writes.push_back({slot, when, terms_.Ite(terms_.Eq(watch, terms_.Slot(1)), terms_.Slot(2), watch)});
  }
}

RedisExec RedisEncoder::Exec(int32_t instance, const ir::RedisBlock& block, const RedisTarget& target, ExprEnv& env) {
  RedisExec out{terms_.False(), {}};
  if (!Watches(instance, block.redis)) return out;
  // Either way EXEC ends the instance's watches on the element.
  for (const auto& [number, here] : target.alternatives.slots) {
    for (size_t k = 0; k < program_.redis[block.redis].keys.size(); ++k) {
      int32_t slot = WatchSlot(instance, block.redis, number, static_cast<int32_t>(k));
      out.refused = terms_.Or(out.refused, terms_.And(here, terms_.Eq(env.Global(slot), terms_.Slot(2))));
      out.writes.push_back({slot, here, terms_.Slot(0)});
    }
  }
  return out;
}

RedisOutcome RedisEncoder::Execute(int32_t instance, const ir::RedisOp& op, ExprEnv& env) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  Element element = exprs_.RedisElement(op.redis, op.element, env);
  z3::expr error = element.fault;
  std::optional<SymValue> value, ttl;
  // Redis stores strings: a client library refuses nil as a value, an amount or a time to live.
  if (op.value >= 0) {
    value = exprs_.Eval(op.value, env);
    error = terms_.Or(error, terms_.Or(value->fault, exprs_.IsNull(value->value)));
  }
  if (op.ttl >= 0) {
    ttl = exprs_.Eval(op.ttl, env);
    error = terms_.Or(error, terms_.Or(ttl->fault, exprs_.IsNull(ttl->value)));
  }
  RedisOutcome out{error, terms_.Slot(0), Number(element), {}};
  z3::expr zero = terms_.Slot(0), one = terms_.Slot(1);
  // Every element the command may go to, the last one the default of the result's ite chain.
  for (size_t k = element.slots.size(); k-- > 0;) {
    // Named variables, not a structured binding: clang 14 (the fuzzing build) cannot capture
    // those in the lambdas below.
    int32_t number = element.slots[k].first;
    z3::expr here = element.slots[k].second;
    int32_t slot = decl.KeySlot(number, op.key);
    z3::expr stored = env.Global(slot);
    z3::expr present = terms_.Not(terms_.Eq(env.Global(slot + 1), zero));
    z3::expr result = zero;
    z3::expr fails = terms_.False();
    auto write = [&](int32_t at, const z3::expr& when, const z3::expr& v) {
      out.writes.push_back({at, terms_.And(here, when), v});
    };
    // The key changes (Redis::Execute's `changed`): its watchers will see their EXEC refused.
    auto changed = [&](const z3::expr& when) { Touch(op.redis, number, op.key, terms_.And(here, when), env, out.writes); };
    // DEL, GETDEL, EXPIRE with a time not above 0: the key, its value and lease go.
    auto remove = [&](const z3::expr& when) {
      for (int32_t at = slot; at < slot + 3; ++at) write(at, when, zero);
      changed(when);
    };
    switch (op.command) {
      case ir::RedisCommand::kGet:
        // An absent key reads as NULL (Redis's nil).
        result = terms_.Ite(present, stored, terms_.Slot(ir::kNull));
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
        // SET without a time to live drops any lease the key had, as in Redis, unless KEEPTTL.
        if (!op.keep_ttl) write(slot + 2, sets, ttl ? one : zero);
        changed(sets);
        // SET ... GET answers the old value whether or not it sets.
        result = op.get ? terms_.Ite(present, stored, terms_.Slot(ir::kNull)) : terms_.Ite(sets, one, zero);
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
        fails = terms_.Not(exprs_.FitsInt(next));
        result = exprs_.Low32(next);
        write(slot, terms_.True(), result);
        write(slot + 1, terms_.True(), one);
        changed(terms_.True());
        break;
      }
      case ir::RedisCommand::kGetDel:
      case ir::RedisCommand::kDel:
        remove(present);
        result = op.command == ir::RedisCommand::kDel ? terms_.Ite(present, one, zero)
                                                      : terms_.Ite(present, stored, terms_.Slot(ir::kNull));
        break;
      case ir::RedisCommand::kExpire: {
        // Redis 7: 0 for a missing key; a time to live not above 0 deletes the key at once.
        RACECHECK_CHECK(ttl.has_value(), "an EXPIRE without a time to live");
        z3::expr deletes = terms_.And(present, exprs_.Le(ttl->value, terms_.Num(0, 1)));
        z3::expr leases = terms_.And(present, terms_.Not(deletes));
        remove(deletes);
        write(slot + 2, leases, one);
        changed(leases);
        result = terms_.Ite(present, one, zero);
        break;
      }
      case ir::RedisCommand::kPersist: {
        z3::expr drops = terms_.And(present, terms_.Not(terms_.Eq(env.Global(slot + 2), zero)));
        write(slot + 2, drops, zero);
        changed(drops);
        result = terms_.Ite(drops, one, zero);
        break;
      }
      case ir::RedisCommand::kTtl:
        // -2 for a missing key, -1 for one without a lease (keys that may carry one are
        // refused when the model is compiled).
        result = terms_.Ite(present, terms_.Slot(-1), terms_.Slot(-2));
        break;
      case ir::RedisCommand::kWatch: {
        int32_t watch_slot = WatchSlot(instance, op.redis, number, op.key);
        write(watch_slot, terms_.Eq(env.Global(watch_slot), zero), one);
        result = one;
        break;
      }
    }
    out.error = terms_.Or(out.error, terms_.And(here, fails));
    out.result = k + 1 == element.slots.size() ? result : terms_.Ite(here, result, out.result);
  }
  return out;
}

}  // namespace racecheck::symbolic
