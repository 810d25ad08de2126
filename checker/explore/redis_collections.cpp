// Redis hashes and sets in the explicit engine (docs/semantics.md, "Redis hashes and sets"). A set
// keeps its members in ascending order and a hash its (field, value) pairs in ascending order of
// field, so that equal collections are one state; an empty one is an absent key.
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/explore/redis.h"
#include "checker/explore/step.h"
#include "checker/ir/arith.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

// A hash or a set in the state: its count slot, then `stride` slots per field or member.
class Collection {
 public:
  Collection(ir::Value* slots, int32_t stride) : slots_(slots), stride_(stride) {}

  ir::Value count() const { return slots_[0]; }
  ir::Value& at(int32_t i) { return slots_[1 + i * stride_]; }
  ir::Value& value_at(int32_t i) { return slots_[2 + i * stride_]; }
  // Where `x` is, or -1.
  int32_t Find(ir::Value x) {
    for (int32_t i = 0; i < count(); ++i) {
      if (at(i) == x) return i;
    }
    return -1;
  }
  // Inserts `x` (absent) in order, with `value` for a hash; the caller checks there is room.
  void Insert(ir::Value x, ir::Value value) {
    int32_t place = 0;
    while (place < count() && at(place) < x) ++place;
    for (int32_t i = count(); i > place; --i) {
      for (int32_t s = 0; s < stride_; ++s) slots_[1 + i * stride_ + s] = slots_[1 + (i - 1) * stride_ + s];
    }
    at(place) = x;
    if (stride_ == 2) value_at(place) = value;
    ++slots_[0];
  }
  // Removes place i; the freed slots hold 0 (one state per collection).
  void Erase(int32_t i) {
    for (int32_t j = i; j + 1 < count(); ++j) {
      for (int32_t s = 0; s < stride_; ++s) slots_[1 + j * stride_ + s] = slots_[1 + (j + 1) * stride_ + s];
    }
    --slots_[0];
    for (int32_t s = 0; s < stride_; ++s) slots_[1 + count() * stride_ + s] = 0;
  }

 private:
  ir::Value* slots_;
  int32_t stride_;
};

}  // namespace

std::string Redis::ExecuteCollection(ir::Value* state, const ir::RedisOp& op, int32_t element,
                                     const EvalContext& context, int64_t* result) {
  const ir::RedisDecl& decl = program_.redis[op.redis];
  const ir::RedisKey& key = decl.keys[op.key];
  int32_t slot = decl.KeySlot(element, op.key);
  std::vector<int64_t> args;
  for (int32_t arg : op.args) {
    args.push_back(eval_.Eval(arg, context));
    if (eval_.failed()) return eval_.fault();
  }
  // Redis stores strings: a client library refuses nil as a field, a member or a value.
  for (int64_t arg : args) {
    if (arg == ir::kNull) {
      return fmt::format("null as an argument of {} of {}: Redis cannot store nil", CommandName(op), key.name);
    }
  }
  for (int64_t arg : args) {
    if (!FitsValue(arg)) return fmt::format("value {} does not fit in 32 bits", arg);
  }
  Collection c(state + slot, key.IsHash() ? 2 : 1);
  bool changed = false;
  auto full = [&]() {
    return fmt::format("{} of {}, which already holds {} {}, the bound the model gives it: raise it in '{}: {}({})' "
                       "to model a larger {}", CommandName(op), key.name, key.capacity,
                       key.IsHash() ? "fields" : "members", key.family_size > 0 ? key.family : key.name,
                       key.IsHash() ? "hash" : "set", key.capacity, key.IsHash() ? "hash" : "set");
  };
  auto field = [&](size_t i) { return static_cast<ir::Value>(args[i]); };
  switch (op.command) {
    case ir::RedisCommand::kHGet: {
      int32_t i = c.Find(field(0));
      *result = i < 0 ? ir::kNull : c.value_at(i);
      break;
    }
    case ir::RedisCommand::kHExists:
    case ir::RedisCommand::kSIsMember:
      *result = c.Find(field(0)) >= 0 ? 1 : 0;
      break;
    case ir::RedisCommand::kHLen:
    case ir::RedisCommand::kSCard:
      *result = c.count();
      break;
    case ir::RedisCommand::kHSet:
    case ir::RedisCommand::kHSetNx:
    case ir::RedisCommand::kSAdd: {
      // HSET's pairs and SADD's members in turn, as Redis does: a repeated field takes the last value.
      bool pairs = op.command != ir::RedisCommand::kSAdd;
      int64_t added = 0;
      for (size_t a = 0; a < args.size(); a += pairs ? 2 : 1) {
        int32_t i = c.Find(field(a));
        if (i >= 0) {
          if (op.command == ir::RedisCommand::kHSet) c.value_at(i) = field(a + 1);
          continue;
        }
        if (c.count() == key.capacity) return full();
        c.Insert(field(a), pairs ? field(a + 1) : 0);
        ++added;
      }
      // Redis's HSET signals the key modified (its watchers see a change) even when no value changes.
      changed = added > 0 || op.command == ir::RedisCommand::kHSet;
      *result = added;
      break;
    }
    case ir::RedisCommand::kHIncrBy: {
      // A missing field (or key) counts from 0, as in Redis; the sum is checked as INCRBY's is.
      int32_t i = c.Find(field(0));
      int64_t old = i < 0 ? 0 : c.value_at(i);
      int64_t next = 0;
      if (ir::Add(old, args[1], &next) != ir::ArithFault::kNone) {
        return fmt::format("arithmetic overflow: HINCRBY of {} field {} by {} would take it from {} to {}, outside "
                           "32 bits", key.name, args[0], args[1], old, next);
      }
      if (i < 0 && c.count() == key.capacity) return full();
      if (i < 0) {
        c.Insert(field(0), static_cast<ir::Value>(next));
      } else {
        c.value_at(i) = static_cast<ir::Value>(next);
      }
      changed = true;
      *result = next;
      break;
    }
    case ir::RedisCommand::kHDel:
    case ir::RedisCommand::kSRem: {
      // The last field or member removed takes the key with it: its slots are all 0 again.
      int64_t removed = 0;
      for (size_t a = 0; a < args.size(); ++a) {
        int32_t i = c.Find(field(a));
        if (i < 0) continue;
        c.Erase(i);
        ++removed;
      }
      changed = removed > 0;
      *result = removed;
      break;
    }
    default:
      RACECHECK_CHECK(false, "a command on a hash or a set that the front end refuses");
  }
  if (changed) {
    if (writes_) writes_->push_back(EncodeGlobalWrite(slot));
    Touch(state, op.redis, element, op.key);
  }
  return "";
}

}  // namespace racecheck::explore
