#include "checker/explore/redis.h"

#include "checker/base/diagnostics.h"
#include "checker/explore/step.h"
#include "checker/ir/arith.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

const char* CommandName(ir::RedisCommand command) {
  switch (command) {
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
  }
  return "?";
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

std::string Redis::Execute(ir::Value* state, int32_t instance, const ir::RedisOp& op, const EvalContext& context,
                           int64_t* result) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  int32_t element = eval_.RedisElement(op.redis, op.element, context);
  int64_t value = op.value >= 0 && !eval_.failed() ? eval_.Eval(op.value, context) : 0;
  int64_t ttl = op.ttl >= 0 && !eval_.failed() ? eval_.Eval(op.ttl, context) : 0;
  if (eval_.failed()) return eval_.fault();
  const std::string& name = decl.keys[op.key].name;
  // Redis stores strings: a client library refuses nil as a value or an amount.
  if (op.value >= 0 && value == ir::kNull) {
    return fmt::format("null as the value of {} of {}: Redis cannot store nil", CommandName(op.command), name);
  }
  if (op.ttl >= 0 && ttl == ir::kNull) return fmt::format("null as the time to live in SET of {}", name);
  int32_t slot = decl.KeySlot(element, op.key);
  ir::Value& stored = state[slot];
  ir::Value& present = state[slot + 1];
  ir::Value& lease = state[slot + 2];
  auto changed = [&](DbEvent::Kind kind, bool blind = false) {
    if (writes_) writes_->push_back(EncodeGlobalWrite(slot));
    Touch(state, op.redis, element, op.key);
    Event({.kind = kind, .instance = instance, .table = op.redis, .row = element, .key = op.key, .value = stored,
           .blind = blind});
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
      if (!op.keep_ttl) lease = op.ttl >= 0 ? 1 : 0;
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
                           CommandName(op.command), name, amount, old, next);
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
        lease = 1;
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
      // Redis 7's ttlGenericCommand: -2 for a missing key, -1 for one without a lease. Keys
      // that may carry a lease are refused when the model is compiled (ir/lower_redis.cpp).
      RACECHECK_CHECK(lease == 0, "TTL of a key with a lease");
      *result = present ? -1 : -2;
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

void Redis::Modified(ir::Value* state, const ir::RedisOp& op, int32_t element) {
  int32_t slot = program_.redis[op.redis].KeySlot(element, op.key);
  if (writes_) writes_->push_back(EncodeGlobalWrite(slot + 2));
  Touch(state, op.redis, element, op.key);
}

void Redis::Remove(ir::Value* state, int32_t instance, const ir::RedisOp& op, int32_t element) {
  int32_t slot = program_.redis[op.redis].KeySlot(element, op.key);
  state[slot] = 0;
  state[slot + 1] = 0;
  state[slot + 2] = 0;
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

void Redis::Expire(ir::Value* state, int32_t redis, int32_t element, int32_t key) {
  int32_t slot = program_.redis[redis].KeySlot(element, key);
  state[slot] = 0;
  state[slot + 1] = 0;
  state[slot + 2] = 0;
  Touch(state, redis, element, key);
  Event({.kind = DbEvent::Kind::kLeaseExpired, .table = redis, .row = element, .key = key});
}

}  // namespace racecheck::explore
