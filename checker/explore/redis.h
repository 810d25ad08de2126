// Redis as the model's processes see it: a single-threaded server per element of each
// declaration, every command atomic, keys that may carry a lease (a time to live) and that the
// environment may expire at any moment, and WATCH for MULTI/EXEC (docs/semantics.md, "Redis").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/db.h"
#include "checker/explore/eval.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// "LPUSH", "HSET": the command's name in Redis, for runtime errors.
const char* CommandName(const ir::RedisOp& op);

class Redis {
 public:
  Redis(const ir::Program& program, Evaluator& eval);

  // Runs one command of `instance`; its result (a bool as 0 or 1) goes to *result. Returns the
  // runtime error in words, or the empty string.
  std::string Execute(ir::Value* state, int32_t instance, const ir::RedisOp& op, const EvalContext& context,
                      int64_t* result);
  // BLPOP, BRPOP, BLMOVE (outside eval/multi) on an empty list: the instance cannot move until
  // something is pushed. *list_slot: the list's length slot, for who-waits-for-what.
  bool Waits(const ir::Value* state, const ir::RedisOp& op, const EvalContext& context, int32_t* list_slot);
  // EXEC of a multi block on one element: whether it runs (no key the instance WATCHes there
  // changed since). Either way the instance's watches on that element end.
  bool Exec(ir::Value* state, int32_t instance, int32_t redis, int32_t element);
  // The instance crashed: its connection is gone, and with it every WATCH it had.
  void DropWatches(ir::Value* state, int32_t instance);
  // The environment's move: the key's lease runs out and Redis deletes it.
  void Expire(ir::Value* state, int32_t redis, int32_t element, int32_t key);

  void set_events(std::vector<DbEvent>* events) { events_ = events; }
  void set_writes(std::vector<int32_t>* writes) { writes_ = writes; }

 private:
  // Execute of a command whose key (and LMOVE's destination) is one key, not a family's member to choose.
  std::string ExecuteKey(ir::Value* state, int32_t instance, const ir::RedisOp& op, const EvalContext& context,
                         int64_t* result);
  // The command with the members of key families its indices name in place of them (key_index -1);
  // false, with the evaluator's fault, when an index is out of range.
  bool ResolveMembers(const ir::RedisOp& op, const EvalContext& context, ir::RedisOp* resolved);
  // HGET .. HLEN on a hash, SADD .. SCARD on a set (redis_collections.cpp).
  std::string ExecuteCollection(ir::Value* state, const ir::RedisOp& op, int32_t element, const EvalContext& context,
                                int64_t* result);
  std::string ExecuteList(ir::Value* state, int32_t instance, const ir::RedisOp& op, int32_t element,
                          const EvalContext& context, int64_t* result);
  // The key's lease changed but not its value (EXPIRE, PERSIST): its watchers see a change.
  void Modified(ir::Value* state, const ir::RedisOp& op, int32_t element);
  // DEL, GETDEL, EXPIRE with a time not above 0: the key, its value and lease go.
  void Remove(ir::Value* state, int32_t instance, const ir::RedisOp& op, int32_t element);
  // A change to a key: every instance WATCHing it will see its EXEC fail.
  void Touch(ir::Value* state, int32_t redis, int32_t element, int32_t key);
  void Event(DbEvent event) {
    if (events_) events_->push_back(event);
  }

  const ir::Program& program_;
  Evaluator& eval_;
  std::vector<DbEvent>* events_ = nullptr;
  std::vector<int32_t>* writes_ = nullptr;
};

}  // namespace racecheck::explore
