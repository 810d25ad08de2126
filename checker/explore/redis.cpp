#include "checker/explore/redis.h"

#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/explore/step.h"
#include "checker/ir/arith.h"
#include "checker/ir/poll_cycles.h"
#include "fmt/format.h"

namespace racecheck::explore {

const char* CommandName(const ir::RedisOp& op) {
  switch (op.command) {
    case ir::RedisCommand::kGet: return "GET";
    case ir::RedisCommand::kSet: return "SET";
    case ir::RedisCommand::kSetNx: return "SETNX";
    case ir::RedisCommand::kIncr: return "INCR";
    case ir::RedisCommand::kDecr: return "DECR";
    case ir::RedisCommand::kIncrBy: return "INCRBY";
    case ir::RedisCommand::kDecrBy: return "DECRBY";
    case ir::RedisCommand::kDel: return "DEL";
    case ir::RedisCommand::kExists: return "EXISTS";
    case ir::RedisCommand::kWatch: return "WATCH";
    case ir::RedisCommand::kExpire: return "EXPIRE";
    case ir::RedisCommand::kPersist: return "PERSIST";
    case ir::RedisCommand::kGetDel: return "GETDEL";
    case ir::RedisCommand::kTtl: return "TTL";
    case ir::RedisCommand::kPush: return op.to_left ? "LPUSH" : "RPUSH";
    case ir::RedisCommand::kPop: return op.blocking ? (op.from_left ? "BLPOP" : "BRPOP") : (op.from_left ? "LPOP" : "RPOP");
    case ir::RedisCommand::kLen: return "LLEN";
    case ir::RedisCommand::kRem: return "LREM";
    case ir::RedisCommand::kMove: return op.blocking ? "BLMOVE" : "LMOVE";
    case ir::RedisCommand::kHGet: return "HGET";
    case ir::RedisCommand::kHSet: return "HSET";
    case ir::RedisCommand::kHSetNx: return "HSETNX";
    case ir::RedisCommand::kHIncrBy: return "HINCRBY";
    case ir::RedisCommand::kHDel: return "HDEL";
    case ir::RedisCommand::kHExists: return "HEXISTS";
    case ir::RedisCommand::kHLen: return "HLEN";
    case ir::RedisCommand::kSAdd: return "SADD";
    case ir::RedisCommand::kSRem: return "SREM";
    case ir::RedisCommand::kSIsMember: return "SISMEMBER";
    case ir::RedisCommand::kSCard: return "SCARD";
  }
  return "?";
}

namespace {

// A list's slots: its length, then its elements from the left end.
void PushOnto(ir::Value* list, ir::Value value, bool left) {
  ir::Value& length = list[0];
  ir::Value* elements = list + 1;
  if (left) {
    for (int32_t i = length; i > 0; --i) elements[i] = elements[i - 1];
    elements[0] = value;
  } else {
    elements[length] = value;
  }
  ++length;
}

ir::Value PopFrom(ir::Value* list, bool left) {
  ir::Value& length = list[0];
  ir::Value* elements = list + 1;
  ir::Value value = left ? elements[0] : elements[length - 1];
  if (left) {
    for (int32_t i = 0; i + 1 < length; ++i) elements[i] = elements[i + 1];
  }
  elements[length - 1] = 0;  // unused slots hold 0: one state per list
  --length;
  return value;
}

// LREM: removes up to |count| occurrences (all when 0), from the left when count > 0; returns how many.
int64_t RemoveFrom(ir::Value* list, int64_t count, ir::Value value) {
  ir::Value& length = list[0];
  ir::Value* elements = list + 1;
  int64_t limit = count == 0 ? length : (count < 0 ? -count : count);
  bool removes[ir::kMaxRedisList] = {};
  int64_t removed = 0;
  for (int32_t k = 0; k < length && removed < limit; ++k) {
    int32_t i = count < 0 ? length - 1 - k : k;
    if (elements[i] == value) {
      removes[i] = true;
      ++removed;
    }
  }
  int32_t kept = 0;
  for (int32_t i = 0; i < length; ++i) {
    if (!removes[i]) elements[kept++] = elements[i];
  }
  for (int32_t i = kept; i < length; ++i) elements[i] = 0;
  length = kept;
  return removed;
}

}  // namespace

Redis::Redis(const ir::Program& program, Evaluator& eval) : program_(program), eval_(eval) {}

void Redis::Touch(ir::Value* state, int32_t redis, int32_t element, int32_t key) {
  int32_t keys = static_cast<int32_t>(program_.redis[redis].keys.size());
  for (const ir::Instance& inst : program_.instances) {
    const ir::ProcessDb& db = program_.processes[inst.process].db;
    if (db.watches.empty() || db.watches[redis] < 0) continue;
    ir::Value& watch = state[inst.base_slot + db.watches[redis] + element * keys + key];
    if (watch == 1) watch = 2;
  }
}

bool Redis::ResolveMembers(const ir::RedisOp& op, const EvalContext& context, ir::RedisOp* resolved) {
  *resolved = op;
  resolved->key = eval_.RedisMember(op.redis, op.key, op.key_index, context);
  if (resolved->key >= 0 && op.target >= 0) {
    resolved->target = eval_.RedisMember(op.redis, op.target, op.target_index, context);
  }
  resolved->key_index = resolved->target_index = -1;
  return !eval_.failed();
}

std::string Redis::Execute(ir::Value* state, int32_t instance, const ir::RedisOp& op, const EvalContext& context,
                           int64_t* result) {
  if (op.key_index < 0 && op.target_index < 0) return ExecuteKey(state, instance, op, context, result);
  ir::RedisOp member;
  if (!ResolveMembers(op, context, &member)) return eval_.fault();
  return ExecuteKey(state, instance, member, context, result);
}

std::string Redis::ExecuteKey(ir::Value* state, int32_t instance, const ir::RedisOp& op, const EvalContext& context,
                              int64_t* result) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  int32_t element = eval_.RedisElement(op.redis, op.element, context);
  int64_t value = op.value >= 0 && !eval_.failed() ? eval_.Eval(op.value, context) : 0;
  int64_t ttl = op.ttl >= 0 && !eval_.failed() ? eval_.Eval(op.ttl, context) : 0;
  if (eval_.failed()) return eval_.fault();
  const std::string& name = decl.keys[op.key].name;
  // Redis stores strings: a client library refuses nil as a value or an amount.
  if (op.value >= 0 && value == ir::kNull) {
    return fmt::format("null as the value of {} of {}: Redis cannot store nil", CommandName(op), name);
  }
  if (op.ttl >= 0 && ttl == ir::kNull) return fmt::format("null as the time to live in SET of {}", name);
  int32_t slot = decl.KeySlot(element, op.key);
  if (decl.keys[op.key].IsCollection() && ir::IsHashOrSetCommand(op.command)) {
    return ExecuteCollection(state, op, element, context, result);
  }
  // DEL and EXISTS treat every list, hash and set alike: by its count slot.
  if (decl.keys[op.key].IsCollection() && op.command != ir::RedisCommand::kWatch) {
    return ExecuteList(state, instance, op, element, context, result);
  }
  ir::Value& stored = state[slot];
  ir::Value& present = state[slot + 1];
  ir::Value& lease = state[slot + 2];
  auto changed = [&](DbEvent::Kind kind, bool blind = false) {
    if (writes_) writes_->push_back(EncodeGlobalWrite(slot));
    Touch(state, op.redis, element, op.key);
    if (!events_) return;
    Event({.kind = kind, .instance = instance, .table = op.redis, .row = element, .key = op.key, .value = stored,
           .blind = blind, .fixed_value = blind && ir::SameEveryRound(program_, op.value, {})});
  };
  switch (op.command) {
    case ir::RedisCommand::kGet:
      // An absent key reads as NULL (Redis's nil), as a select that finds no row does.
      *result = present ? stored : ir::kNull;
      Event({.kind = DbEvent::Kind::kRedisRead, .instance = instance, .table = op.redis, .row = element,
             .key = op.key, .value = static_cast<ir::Value>(*result)});
      return "";
    case ir::RedisCommand::kExists:
      *result = present ? 1 : 0;
      return "";
    case ir::RedisCommand::kSet:
    case ir::RedisCommand::kSetNx: {
      // SET ... GET answers the old value whether or not it sets.
      int64_t old = present ? stored : ir::kNull;
      if (op.get) {
        Event({.kind = DbEvent::Kind::kRedisRead, .instance = instance, .table = op.redis, .row = element,
               .key = op.key, .value = static_cast<ir::Value>(old)});
      }
      if ((op.nx && present) || (op.xx && !present)) {
        *result = op.get ? old : 0;
        return "";
      }
      if (op.ttl >= 0 && ttl <= 0) return fmt::format("invalid expire time {} in SET of {}", ttl, name);
      if (!FitsValue(value)) return fmt::format("value {} does not fit in 32 bits", value);
      stored = static_cast<ir::Value>(value);
      present = 1;
      // SET without a time to live drops any lease the key had, as in Redis, unless KEEPTTL.
      if (!op.keep_ttl) lease = op.ttl >= 0 ? op.lease_time : 0;
      changed(op.nx && op.ttl >= 0 ? DbEvent::Kind::kLeaseTaken : DbEvent::Kind::kRedisWrite, /*blind=*/true);
      *result = op.get ? old : 1;
      return "";
    }
    case ir::RedisCommand::kIncr:
    case ir::RedisCommand::kDecr:
    case ir::RedisCommand::kIncrBy:
    case ir::RedisCommand::kDecrBy: {
      // The new value is old + amount (INCR, INCRBY) or old - amount (DECR, DECRBY), checked as
      // those operations are anywhere else (ir/arith.h).
      bool by = op.command == ir::RedisCommand::kIncrBy || op.command == ir::RedisCommand::kDecrBy;
      bool up = op.command == ir::RedisCommand::kIncr || op.command == ir::RedisCommand::kIncrBy;
      int64_t amount = by ? value : 1;
      int64_t old = present ? stored : 0;
      int64_t next = 0;
      if ((up ? ir::Add(old, amount, &next) : ir::Sub(old, amount, &next)) != ir::ArithFault::kNone) {
        return fmt::format("arithmetic overflow: {} of {} by {} would take it from {} to {}, outside 32 bits",
                           CommandName(op), name, amount, old, next);
      }
      stored = static_cast<ir::Value>(next);
      present = 1;
      changed(DbEvent::Kind::kRedisWrite);
      *result = next;
      return "";
    }
    case ir::RedisCommand::kGetDel:
      *result = present ? stored : ir::kNull;
      Event({.kind = DbEvent::Kind::kRedisRead, .instance = instance, .table = op.redis, .row = element,
             .key = op.key, .value = static_cast<ir::Value>(*result)});
      if (present) Remove(state, instance, op, element);
      return "";
    case ir::RedisCommand::kDel:
      *result = present ? 1 : 0;
      if (present) Remove(state, instance, op, element);
      return "";
    case ir::RedisCommand::kExpire:
      // Redis 7: 0 for a missing key; a time to live not above 0 deletes the key at once.
      *result = present ? 1 : 0;
      if (present && ttl <= 0) {
        Remove(state, instance, op, element);
      } else if (present) {
        lease = op.lease_time;
        Modified(state, op, element);
      }
      return "";
    case ir::RedisCommand::kPersist:
      *result = present && lease ? 1 : 0;
      if (*result) {
        lease = 0;
        Modified(state, op, element);
      }
      return "";
    case ir::RedisCommand::kTtl:
      // Redis 7's ttlGenericCommand: -2 for a missing key, -1 for one without a lease, else the
      // time left. Only a timed model knows it; untimed ones are refused keys that may carry a
      // lease when compiled (ir/lower_redis.cpp).
      RACECHECK_CHECK(lease == 0 || program_.timed, "TTL of a key with a lease in an untimed model");
      *result = !present ? -2 : lease == 0 ? -1 : op.milliseconds ? lease : ir::TtlSeconds(lease);
      return "";
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
      return "";
    case ir::RedisCommand::kWatch: {
      const ir::ProcessDb& db = program_.processes[program_.instances[instance].process].db;
      ir::Value& watch =
          state[program_.instances[instance].base_slot + db.watches[op.redis] +
                element * static_cast<int32_t>(decl.keys.size()) + op.key];
      if (watch == 0) watch = 1;
      *result = 1;
      return "";
    }
  }
  return "";
}

std::string Redis::ExecuteList(ir::Value* state, int32_t instance, const ir::RedisOp& op, int32_t element,
                               const EvalContext& context, int64_t* result) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  const ir::RedisKey& key = decl.keys[op.key];
  int32_t slot = decl.KeySlot(element, op.key);
  ir::Value* list = state + slot;
  int64_t value = op.value >= 0 ? eval_.Eval(op.value, context) : 0;
  int64_t count = op.count >= 0 && !eval_.failed() ? eval_.Eval(op.count, context) : 0;
  if (eval_.failed()) return eval_.fault();
  if (op.value >= 0 && value == ir::kNull) {
    return fmt::format("null as the value of {} of {}: Redis cannot store nil", CommandName(op), key.name);
  }
  if (op.count >= 0 && count == ir::kNull) return fmt::format("null as the count of LREM of {}", key.name);
  auto changed = [&](int32_t at, int32_t changed_key) {
    if (writes_) writes_->push_back(EncodeGlobalWrite(at));
    Touch(state, op.redis, element, changed_key);
  };
  auto full = [&](const ir::RedisKey& target) {
    return fmt::format("{} onto {}, which already holds {} elements, the bound the model gives it: raise it in "
                       "'{}: list({})' to model a longer list", CommandName(op), target.name, target.capacity,
                       target.name, target.capacity);
  };
  switch (op.command) {
    case ir::RedisCommand::kPush:
      if (list[0] == key.capacity) return full(key);
      PushOnto(list, static_cast<ir::Value>(value), op.to_left);
      changed(slot, op.key);
      *result = list[0];
      return "";
    case ir::RedisCommand::kPop:
      // Popping an empty list gives nil. A blocking pop outside eval/multi never gets here empty
      // (the instance waits); inside one it behaves as LPOP/RPOP, as in Redis.
      *result = list[0] == 0 ? ir::kNull : PopFrom(list, op.from_left);
      if (*result != ir::kNull) changed(slot, op.key);
      return "";
    case ir::RedisCommand::kLen:
      *result = list[0];
      return "";
    case ir::RedisCommand::kRem:
      *result = RemoveFrom(list, count, static_cast<ir::Value>(value));
      if (*result > 0) changed(slot, op.key);
      return "";
    case ir::RedisCommand::kMove: {
      // An empty source: nil, and nothing moves. Source and destination may be the same list.
      if (list[0] == 0) {
        *result = ir::kNull;
        return "";
      }
      const ir::RedisKey& target = decl.keys[op.target];
      int32_t target_slot = decl.KeySlot(element, op.target);
      if (op.target != op.key && state[target_slot] == target.capacity) return full(target);
      ir::Value moved = PopFrom(list, op.from_left);
      PushOnto(state + target_slot, moved, op.to_left);
      changed(slot, op.key);
      if (op.target != op.key) changed(target_slot, op.target);
      *result = moved;
      return "";
    }
    case ir::RedisCommand::kExists:
      *result = list[0] > 0 ? 1 : 0;
      return "";
    case ir::RedisCommand::kDel:
      *result = list[0] > 0 ? 1 : 0;
      if (*result) Remove(state, instance, op, element);
      return "";
    default:
      RACECHECK_CHECK(false, "a command on a list that the front end refuses");
      return "";
  }
}

bool Redis::Waits(const ir::Value* state, const ir::RedisOp& op, const EvalContext& context, int32_t* list_slot) {
  if (!op.blocking) return false;
  int32_t element = eval_.RedisElement(op.redis, op.element, context);
  int32_t key = element >= 0 ? eval_.RedisMember(op.redis, op.key, op.key_index, context) : -1;
  if (eval_.failed()) return false;  // the command's own run reports it
  *list_slot = program_.redis[op.redis].KeySlot(element, key);
  return state[*list_slot] == 0;
}

void Redis::Modified(ir::Value* state, const ir::RedisOp& op, int32_t element) {
  int32_t slot = program_.redis[op.redis].KeySlot(element, op.key);
  if (writes_) writes_->push_back(EncodeGlobalWrite(slot + 2));
  Touch(state, op.redis, element, op.key);
}

void Redis::Remove(ir::Value* state, int32_t instance, const ir::RedisOp& op, int32_t element) {
  int32_t slot = program_.redis[op.redis].KeySlot(element, op.key);
  std::fill(state + slot, state + slot + program_.redis[op.redis].keys[op.key].Width(), 0);
  if (writes_) writes_->push_back(EncodeGlobalWrite(slot));
  Touch(state, op.redis, element, op.key);
  Event({.kind = DbEvent::Kind::kLeaseReleased, .instance = instance, .table = op.redis, .row = element,
         .key = op.key, .value = 0});
}

bool Redis::Exec(ir::Value* state, int32_t instance, int32_t redis, int32_t element) {
  const ir::ProcessDb& db = program_.processes[program_.instances[instance].process].db;
  if (db.watches.empty() || db.watches[redis] < 0) return true;
  int32_t keys = static_cast<int32_t>(program_.redis[redis].keys.size());
  ir::Value* watches = state + program_.instances[instance].base_slot + db.watches[redis] + element * keys;
  bool changed = false;
  for (int32_t k = 0; k < keys; ++k) {
    changed = changed || watches[k] == 2;
    watches[k] = 0;
  }
  return !changed;
}

void Redis::DropWatches(ir::Value* state, int32_t instance) {
  const ir::ProcessDb& db = program_.processes[program_.instances[instance].process].db;
  for (size_t d = 0; d < db.watches.size(); ++d) {
    if (db.watches[d] < 0) continue;
    const ir::RedisDecl& decl = program_.redis[d];
    ir::Value* watches = state + program_.instances[instance].base_slot + db.watches[d];
    std::fill(watches, watches + decl.size * static_cast<int32_t>(decl.keys.size()), 0);
  }
}

void Redis::Expire(ir::Value* state, int32_t redis, int32_t element, int32_t key) {
  int32_t slot = program_.redis[redis].KeySlot(element, key);
  state[slot] = 0;
  state[slot + 1] = 0;
  state[slot + 2] = 0;
  Touch(state, redis, element, key);
  Event({.kind = DbEvent::Kind::kLeaseExpired, .table = redis, .row = element, .key = key});
}

}  // namespace racecheck::explore
