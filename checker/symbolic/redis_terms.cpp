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
    z3::expr watched = terms_.Eq(watch, terms_.Slot(1));
    writes.push_back({slot, when, terms_.Ite(watched, terms_.Slot(2), watch)});
  }
}

RedisExec RedisEncoder::Exec(int32_t instance, const ir::RedisBlock& block, const RedisTarget& target, ExprEnv& env) {
  RedisExec out{terms_.False(), {}};
  if (!Watches(instance, block.redis)) return out;
  // Either way EXEC ends the instance's watches on the element.
  for (const auto& [number, here] : target.alternatives.slots) {
    for (size_t k = 0; k < program_.redis[block.redis].keys.size(); ++k) {
      int32_t slot = WatchSlot(instance, block.redis, number, static_cast<int32_t>(k));
      z3::expr watch = env.Global(slot);
      out.refused = terms_.Or(out.refused, terms_.And(here, terms_.Eq(watch, terms_.Slot(2))));
      out.writes.push_back({slot, here, terms_.Slot(0)});
    }
  }
  return out;
}

RedisOutcome RedisEncoder::Execute(int32_t instance, const ir::RedisOp& op, ExprEnv& env) {
  Element element = exprs_.RedisElement(op.redis, op.element, env);
  if (op.key_index < 0 && op.target_index < 0) return ExecuteKey(instance, op, element, env);
  // A member of a key family (explore::Redis::ResolveMembers): the command on each member the
  // indices may name, the element alternatives narrowed to it.
  Element keys = exprs_.RedisMember(op.redis, op.key, op.key_index, env);
  Element targets = op.target >= 0 ? exprs_.RedisMember(op.redis, op.target, op.target_index, env)
                                   : Element{{{-1, terms_.True()}}, terms_.False()};
  RedisOutcome out{terms_.Or(element.fault, terms_.Or(keys.fault, targets.fault)), terms_.Slot(0), Number(element), {}};
  bool first = true;
  for (size_t k = keys.slots.size(); k-- > 0;) {
    for (size_t t = targets.slots.size(); t-- > 0;) {
      z3::expr chosen = terms_.And(keys.slots[k].second, targets.slots[t].second);
      ir::RedisOp member = op;
      member.key = keys.slots[k].first;
      member.target = targets.slots[t].first;
      member.key_index = member.target_index = -1;
      Element narrowed{{}, element.fault};
      for (const auto& [number, here] : element.slots) narrowed.slots.push_back({number, terms_.And(here, chosen)});
      RedisOutcome one = ExecuteKey(instance, member, narrowed, env);
      out.error = terms_.Or(out.error, one.error);
      out.result = first ? one.result : terms_.Ite(chosen, one.result, out.result);
      first = false;
      for (SlotWrite& write : one.writes) out.writes.push_back(std::move(write));
    }
  }
  return out;
}

RedisOutcome RedisEncoder::ExecuteKey(int32_t instance, const ir::RedisOp& op, const Element& element, ExprEnv& env) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
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
      for (int32_t at = slot; at < slot + decl.keys[op.key].Width(); ++at) write(at, when, zero);
      changed(when);
    };
    // DEL and EXISTS treat every list, hash and set alike: by its count slot.
    if (decl.keys[op.key].IsCollection() && op.command != ir::RedisCommand::kWatch) {
      if (ir::IsHashOrSetCommand(op.command)) {
        CollectionCommand(op, number, here, env, out, &result, &fails);
      } else {
        ListCommand(op, number, here, value, env, out, &result, &fails);
      }
      out.error = terms_.Or(out.error, terms_.And(here, fails));
      out.result = k + 1 == element.slots.size() ? result : terms_.Ite(here, result, out.result);
      continue;
    }
    switch (op.command) {
      case ir::RedisCommand::kPush:
      case ir::RedisCommand::kPop:
      case ir::RedisCommand::kLen:
      case ir::RedisCommand::kRem:
      case ir::RedisCommand::kMove:
      case ir::RedisCommand::kHGet:
      case ir::RedisCommand::kHSet:
      case ir::RedisCommand::kHSetNx:
      case ir::RedisCommand::kHIncrBy:
      case ir::RedisCommand::kHDel:
      case ir::RedisCommand::kHExists:
      case ir::RedisCommand::kHLen:
      case ir::RedisCommand::kSAdd:
      case ir::RedisCommand::kSRem:
      case ir::RedisCommand::kSIsMember:
      case ir::RedisCommand::kSCard:
        RACECHECK_CHECK(false, "a list, hash or set command on a plain key");
        break;
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
        if (!op.keep_ttl) write(slot + 2, sets, ttl ? terms_.Slot(op.lease_time) : zero);
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
        write(slot + 2, leases, terms_.Slot(op.lease_time));
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
        // refused when an untimed model is compiled); in a timed model the time left.
        if (program_.timed) {
          // A lease holds 1..kMaxLeaseMs ms, so TTL's rounding is whether half a second is left.
          static_assert(ir::TtlSeconds(499) == 0 && ir::TtlSeconds(500) == 1 && ir::TtlSeconds(ir::kMaxLeaseMs) == 1);
          z3::expr lease = env.Global(slot + 2);
          z3::expr left = op.milliseconds ? lease : terms_.Ite(exprs_.Le(terms_.Slot(500), lease), one, zero);
          z3::expr no_ttl = terms_.Slot(-1), missing = terms_.Slot(-2);
          result = terms_.Ite(present, terms_.Ite(terms_.Eq(lease, zero), no_ttl, left), missing);
        } else {
          z3::expr no_ttl = terms_.Slot(-1), missing = terms_.Slot(-2);
          result = terms_.Ite(present, no_ttl, missing);
        }
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

// ---- lists (explore::Redis::ExecuteList) ----

RedisEncoder::List RedisEncoder::ReadList(int32_t slot, int32_t capacity, ExprEnv& env) {
  List list{env.Global(slot), {}};
  for (int32_t i = 0; i < capacity; ++i) list.elements.push_back(env.Global(slot + 1 + i));
  return list;
}

// Whether the list's length is above i (its length is 0..capacity).
z3::expr RedisEncoder::LongerThan(const List& list, int32_t i) {
  z3::expr at_most = terms_.False();
  for (int32_t k = 0; k <= i; ++k) at_most = terms_.Or(at_most, terms_.Eq(list.length, terms_.Slot(k)));
  return terms_.Not(at_most);
}

// The element at the popped end; the list without it (unused places hold 0, as in explore).
RedisEncoder::List RedisEncoder::Pop(const List& list, bool left, z3::expr* value) {
  int32_t n = static_cast<int32_t>(list.elements.size());
  List out{list.length - terms_.Slot(1), list.elements};
  if (left) {
    *value = list.elements[0];
    for (int32_t i = 0; i < n; ++i) out.elements[i] = i + 1 < n ? list.elements[i + 1] : terms_.Slot(0);
    return out;
  }
  *value = terms_.Slot(0);
  for (int32_t i = 0; i < n; ++i) {
    z3::expr last = terms_.Eq(list.length, terms_.Slot(i + 1));
    *value = terms_.Ite(last, list.elements[i], *value);
    out.elements[i] = terms_.Ite(last, terms_.Slot(0), list.elements[i]);
  }
  return out;
}

// The list with `value` pushed onto one end (the caller checks it is not full).
RedisEncoder::List RedisEncoder::Push(const List& list, const z3::expr& value, bool left) {
  int32_t n = static_cast<int32_t>(list.elements.size());
  List out{list.length + terms_.Slot(1), list.elements};
  for (int32_t i = 0; i < n; ++i) {
    out.elements[i] = left ? (i == 0 ? value : list.elements[i - 1])
                           : terms_.Ite(terms_.Eq(list.length, terms_.Slot(i)), value, list.elements[i]);
  }
  return out;
}

// LREM: up to |count| occurrences of `value` (all when 0), from the left when count > 0.
RedisEncoder::List RedisEncoder::Remove(const List& list, const z3::expr& count, const z3::expr& value,
                                        z3::expr* removed) {
  int32_t n = static_cast<int32_t>(list.elements.size());
  z3::expr zero = terms_.Slot(0), one = terms_.Slot(1);
  std::vector<z3::expr> matches, removes;
  for (int32_t i = 0; i < n; ++i) {
    z3::expr there = LongerThan(list, i);
    matches.push_back(terms_.And(there, exprs_.Equal(list.elements[i], value)));
  }
  z3::expr from_right = exprs_.Lt(count, zero);
  z3::expr limit = terms_.Ite(from_right, zero - count, count);
  z3::expr all = terms_.Eq(count, zero);
  for (int32_t i = 0; i < n; ++i) {
    // How many matches the scan passed before it reaches place i.
    z3::expr before = zero, after = zero;
    for (int32_t j = 0; j < i; ++j) before = before + terms_.Ite(matches[j], one, zero);
    for (int32_t j = i + 1; j < n; ++j) after = after + terms_.Ite(matches[j], one, zero);
    z3::expr passed = terms_.Ite(from_right, after, before);
    removes.push_back(terms_.And(matches[i], terms_.Or(all, exprs_.Lt(passed, limit))));
  }
  *removed = zero;
  for (int32_t i = 0; i < n; ++i) *removed = *removed + terms_.Ite(removes[i], one, zero);
  List out{list.length - *removed, {}};
  // Place p takes the element that has exactly p kept elements before it.
  std::vector<z3::expr> kept_before;
  z3::expr kept = zero;
  for (int32_t i = 0; i < n; ++i) {
    kept_before.push_back(kept);
    z3::expr there = LongerThan(list, i);
    kept = kept + terms_.Ite(terms_.And(there, terms_.Not(removes[i])), one, zero);
  }
  for (int32_t p = 0; p < n; ++p) {
    z3::expr at = zero;
    for (int32_t i = n; i-- > p;) {
      z3::expr there = LongerThan(list, i);
      z3::expr stays = terms_.And(there, terms_.Not(removes[i]));
      z3::expr here = terms_.And(stays, terms_.Eq(kept_before[i], terms_.Slot(p)));
      at = terms_.Ite(here, list.elements[i], at);
    }
    out.elements.push_back(at);
  }
  return out;
}

void RedisEncoder::ListCommand(const ir::RedisOp& op, int32_t number, const z3::expr& here,
                               const std::optional<SymValue>& value, ExprEnv& env, RedisOutcome& out,
                               z3::expr* result, z3::expr* fails) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  const ir::RedisKey& key = decl.keys[op.key];
  int32_t slot = decl.KeySlot(number, op.key);
  // A hash's pairs are two slots each: DEL and EXISTS see them as 2N "elements".
  List list = ReadList(slot, key.Width() - 1, env);
  z3::expr zero = terms_.Slot(0), one = terms_.Slot(1);
  z3::expr present = terms_.Not(terms_.Eq(list.length, zero));
  auto store = [&](int32_t at, const List& next, const z3::expr& when, int32_t changed_key) {
    z3::expr guard = terms_.And(here, when);
    out.writes.push_back({at, guard, next.length});
    for (size_t i = 0; i < next.elements.size(); ++i) {
      out.writes.push_back({at + 1 + static_cast<int32_t>(i), guard, next.elements[i]});
    }
    Touch(op.redis, number, changed_key, guard, env, out.writes);
  };
  auto full = [&](const List& target, int32_t capacity) { return terms_.Eq(target.length, terms_.Slot(capacity)); };
  switch (op.command) {
    case ir::RedisCommand::kPush: {
      RACECHECK_CHECK(value.has_value(), "a push without a value");
      *fails = full(list, key.capacity);
      List next = Push(list, exprs_.Low32(value->value), op.to_left);
      store(slot, next, terms_.Not(*fails), op.key);
      *result = next.length;
      return;
    }
    case ir::RedisCommand::kPop: {
      z3::expr popped = zero;
      List next = Pop(list, op.from_left, &popped);
      store(slot, next, present, op.key);
      *result = terms_.Ite(present, popped, terms_.Slot(ir::kNull));
      return;
    }
    case ir::RedisCommand::kLen:
      *result = list.length;
      return;
    case ir::RedisCommand::kRem: {
      SymValue count = exprs_.Eval(op.count, env);
      out.error = terms_.Or(out.error, terms_.And(here, terms_.Or(count.fault, exprs_.IsNull(count.value))));
      RACECHECK_CHECK(value.has_value(), "an LREM without a value");
      z3::expr removed = zero;
      z3::expr how_many = exprs_.Low32(count.value);
      List next = Remove(list, how_many, exprs_.Low32(value->value), &removed);
      store(slot, next, terms_.Not(terms_.Eq(removed, zero)), op.key);
      *result = removed;
      return;
    }
    case ir::RedisCommand::kMove: {
      z3::expr moved = zero;
      List popped = Pop(list, op.from_left, &moved);
      *result = terms_.Ite(present, moved, terms_.Slot(ir::kNull));
      if (op.target == op.key) {
        store(slot, Push(popped, moved, op.to_left), present, op.key);
        return;
      }
      const ir::RedisKey& target_key = decl.keys[op.target];
      int32_t target_slot = decl.KeySlot(number, op.target);
      List target = ReadList(target_slot, target_key.capacity, env);
      *fails = terms_.And(present, full(target, target_key.capacity));
      z3::expr moves = terms_.And(present, terms_.Not(*fails));
      store(slot, popped, moves, op.key);
      store(target_slot, Push(target, moved, op.to_left), moves, op.target);
      return;
    }
    case ir::RedisCommand::kExists:
      *result = terms_.Ite(present, one, zero);
      return;
    case ir::RedisCommand::kDel: {
      *result = terms_.Ite(present, one, zero);
      List empty{zero, std::vector<z3::expr>(key.Width() - 1, zero)};
      store(slot, empty, present, op.key);
      return;
    }
    default:
      RACECHECK_CHECK(false, "a command on a list that the front end refuses");
  }
}

z3::expr RedisEncoder::Waits(const ir::RedisOp& op, ExprEnv& env) {
  if (!op.blocking) return terms_.False();
  const ir::RedisDecl& decl = program_.redis[op.redis];
  Element element = exprs_.RedisElement(op.redis, op.element, env);
  Element keys = exprs_.RedisMember(op.redis, op.key, op.key_index, env);
  z3::expr empty = terms_.False();
  for (const auto& [number, here] : element.slots) {
    for (const auto& [key, chosen] : keys.slots) {
      z3::expr at = terms_.And(here, chosen);
      z3::expr length = env.Global(decl.KeySlot(number, key));
      empty = terms_.Or(empty, terms_.And(at, terms_.Eq(length, terms_.Slot(0))));
    }
  }
  return terms_.And(terms_.Not(terms_.Or(element.fault, keys.fault)), empty);
}

}  // namespace racecheck::symbolic
