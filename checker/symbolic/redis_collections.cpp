// Redis hashes and sets as Z3 terms: the rules of checker/explore/redis_collections.cpp (the
// reference), over a count slot and fields or members kept in ascending order. Design:
// docs/z3-encoding.md, "Redis hashes and sets".
#include "checker/base/diagnostics.h"
#include "checker/symbolic/redis_terms.h"

namespace racecheck::symbolic {

RedisEncoder::Collection RedisEncoder::ReadCollection(const ir::RedisKey& key, int32_t slot, ExprEnv& env) {
  int32_t stride = key.IsHash() ? 2 : 1;
  Collection c{env.Global(slot), {}, {}};
  for (int32_t i = 0; i < key.capacity; ++i) {
    c.keys.push_back(env.Global(slot + 1 + i * stride));
    if (key.IsHash()) c.values.push_back(env.Global(slot + 2 + i * stride));
  }
  return c;
}

std::vector<z3::expr> RedisEncoder::Places(const Collection& c, const z3::expr& x) {
  std::vector<z3::expr> places;
  z3::expr longer = terms_.True();
  for (size_t i = 0; i < c.keys.size(); ++i) {
    longer = terms_.And(longer, terms_.Not(terms_.Eq(c.count, terms_.Slot(static_cast<ir::Value>(i)))));
    places.push_back(terms_.And(longer, exprs_.Equal(c.keys[i], x)));
  }
  return places;
}

RedisEncoder::Collection RedisEncoder::Insert(const Collection& c, const z3::expr& x, const z3::expr& value) {
  // below[i]: place i is used and holds less than x. The members are sorted, so the places that
  // do are a prefix, and x goes to the first place that does not.
  size_t n = c.keys.size();
  std::vector<z3::expr> below;
  z3::expr longer = terms_.True();
  for (size_t i = 0; i < n; ++i) {
    longer = terms_.And(longer, terms_.Not(terms_.Eq(c.count, terms_.Slot(static_cast<ir::Value>(i)))));
    below.push_back(terms_.And(longer, exprs_.Lt(c.keys[i], x)));
  }
  Collection out{c.count + terms_.Slot(1), {}, {}};
  for (size_t i = 0; i < n; ++i) {
    z3::expr goes_here = i == 0 ? terms_.True() : below[i - 1];
    // Past the last used place the shifted slot is an unused one, which holds 0.
    out.keys.push_back(terms_.Ite(below[i], c.keys[i], terms_.Ite(goes_here, x, i == 0 ? x : c.keys[i - 1])));
    if (!c.values.empty()) {
      out.values.push_back(
          terms_.Ite(below[i], c.values[i], terms_.Ite(goes_here, value, i == 0 ? value : c.values[i - 1])));
    }
  }
  return out;
}

RedisEncoder::Collection RedisEncoder::Erase(const Collection& c, const std::vector<z3::expr>& places) {
  size_t n = c.keys.size();
  z3::expr found = terms_.False();
  Collection out{c.count, {}, {}};
  for (size_t i = 0; i < n; ++i) {
    found = terms_.Or(found, places[i]);
    z3::expr next_key = i + 1 < n ? c.keys[i + 1] : terms_.Slot(0);
    out.keys.push_back(terms_.Ite(found, next_key, c.keys[i]));
    if (!c.values.empty()) {
      z3::expr next_value = i + 1 < n ? c.values[i + 1] : terms_.Slot(0);
      out.values.push_back(terms_.Ite(found, next_value, c.values[i]));
    }
  }
  out.count = terms_.Ite(found, c.count - terms_.Slot(1), c.count);
  return out;
}

RedisEncoder::Collection RedisEncoder::Choose(const z3::expr& when, const Collection& a, const Collection& b) {
  Collection out{terms_.Ite(when, a.count, b.count), {}, {}};
  for (size_t i = 0; i < a.keys.size(); ++i) out.keys.push_back(terms_.Ite(when, a.keys[i], b.keys[i]));
  for (size_t i = 0; i < a.values.size(); ++i) out.values.push_back(terms_.Ite(when, a.values[i], b.values[i]));
  return out;
}

void RedisEncoder::CollectionCommand(const ir::RedisOp& op, int32_t number, const z3::expr& here, ExprEnv& env,
                                     RedisOutcome& out, z3::expr* result, z3::expr* fails) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  const ir::RedisKey& key = decl.keys[op.key];
  int32_t slot = decl.KeySlot(number, op.key);
  z3::expr zero = terms_.Slot(0), one = terms_.Slot(1);
  // Redis stores strings: a client library refuses nil as a field, a member or a value.
  std::vector<SymValue> args;
  for (int32_t arg : op.args) {
    args.push_back(exprs_.Eval(arg, env));
    z3::expr null = exprs_.IsNull(args.back().value);
    out.error = terms_.Or(out.error, terms_.And(here, terms_.Or(args.back().fault, null)));
  }
  for (const SymValue& a : args) *fails = terms_.Or(*fails, terms_.Not(exprs_.Fits32(a.value)));
  auto arg = [&](size_t i) { return exprs_.Low32(args[i].value); };
  Collection c = ReadCollection(key, slot, env);
  z3::expr full = terms_.Eq(c.count, terms_.Slot(key.capacity));
  z3::expr changed = terms_.False();
  auto any = [&](const std::vector<z3::expr>& places) {
    z3::expr found = terms_.False();
    for (const z3::expr& p : places) found = terms_.Or(found, p);
    return found;
  };
  switch (op.command) {
    case ir::RedisCommand::kHGet: {
      std::vector<z3::expr> places = Places(c, arg(0));
      *result = terms_.Slot(ir::kNull);
      for (size_t i = 0; i < places.size(); ++i) *result = terms_.Ite(places[i], c.values[i], *result);
      return;
    }
    case ir::RedisCommand::kHExists:
    case ir::RedisCommand::kSIsMember:
      *result = terms_.Ite(any(Places(c, arg(0))), one, zero);
      return;
    case ir::RedisCommand::kHLen:
    case ir::RedisCommand::kSCard:
      *result = c.count;
      return;
    case ir::RedisCommand::kHSet:
    case ir::RedisCommand::kHSetNx:
    case ir::RedisCommand::kSAdd: {
      // HSET's pairs and SADD's members in turn (explore's ExecuteCollection).
      bool pairs = op.command != ir::RedisCommand::kSAdd;
      z3::expr added = zero;
      for (size_t a = 0; a < args.size(); a += pairs ? 2 : 1) {
        z3::expr value = pairs ? arg(a + 1) : zero;
        std::vector<z3::expr> places = Places(c, arg(a));
        z3::expr found = any(places);
        z3::expr at_capacity = terms_.Eq(c.count, terms_.Slot(key.capacity));
        *fails = terms_.Or(*fails, terms_.And(terms_.Not(found), at_capacity));
        Collection next = Insert(c, arg(a), value);
        if (op.command == ir::RedisCommand::kHSet) {
          Collection updated = c;
          for (size_t i = 0; i < places.size(); ++i) updated.values[i] = terms_.Ite(places[i], value, c.values[i]);
          next = Choose(found, updated, next);
        } else {
          next = Choose(found, c, next);
        }
        added = added + terms_.Ite(found, zero, one);
        c = next;
      }
      // Redis's HSET signals the key modified (its watchers see a change) even when no value changes.
      changed = op.command == ir::RedisCommand::kHSet ? terms_.True() : terms_.Not(terms_.Eq(added, zero));
      *result = added;
      break;
    }
    case ir::RedisCommand::kHIncrBy: {
      // A missing field (or key) counts from 0; two bits past the explicit engine's int64, as INCRBY.
      auto wide = [&](const z3::expr& v) { return terms_.bit_vector() ? z3::sext(exprs_.Wide(v), 2) : exprs_.Wide(v); };
      std::vector<z3::expr> places = Places(c, arg(0));
      z3::expr found = any(places);
      z3::expr old = zero;
      for (size_t i = 0; i < places.size(); ++i) old = terms_.Ite(places[i], c.values[i], old);
      z3::expr wide_old = wide(old);
      z3::expr next_value = wide_old + wide(args[1].value);
      z3::expr too_big = terms_.Not(exprs_.FitsInt(next_value));
      *fails = terms_.Or(*fails, terms_.Or(too_big, terms_.And(terms_.Not(found), full)));
      z3::expr stored = exprs_.Low32(next_value);
      Collection updated = c;
      for (size_t i = 0; i < places.size(); ++i) updated.values[i] = terms_.Ite(places[i], stored, c.values[i]);
      c = Choose(found, updated, Insert(c, arg(0), stored));
      changed = terms_.True();
      *result = stored;
      break;
    }
    case ir::RedisCommand::kHDel:
    case ir::RedisCommand::kSRem: {
      // The last field or member removed takes the key with it: its slots are all 0 again.
      z3::expr removed = zero;
      for (size_t a = 0; a < args.size(); ++a) {
        std::vector<z3::expr> places = Places(c, arg(a));
        removed = removed + terms_.Ite(any(places), one, zero);
        c = Erase(c, places);
      }
      changed = terms_.Not(terms_.Eq(removed, zero));
      *result = removed;
      break;
    }
    default:
      RACECHECK_CHECK(false, "a command on a hash or a set that the front end refuses");
      return;
  }
  z3::expr guard = terms_.And(here, terms_.And(changed, terms_.Not(*fails)));
  int32_t stride = key.IsHash() ? 2 : 1;
  out.writes.push_back({slot, guard, c.count});
  for (size_t i = 0; i < c.keys.size(); ++i) {
    out.writes.push_back({slot + 1 + static_cast<int32_t>(i) * stride, guard, c.keys[i]});
    if (key.IsHash()) out.writes.push_back({slot + 2 + static_cast<int32_t>(i) * stride, guard, c.values[i]});
  }
  Touch(op.redis, number, op.key, guard, env, out.writes);
}

}  // namespace racecheck::symbolic
