// Redis as Z3 terms: the rules of checker/explore/redis.cpp (the reference), rewritten for a
// state whose slots are terms. A key's three slots (value, present, lease) are global slots like
// any other, so frames, footprints and the reductions treat them as they treat variables.
// Design: docs/z3-encoding.md, "Redis".
#pragma once

#include <z3++.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "checker/ir/program.h"
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

// A slot a command may write: its value after the command when `when` holds.
struct SlotWrite {
  int32_t slot = 0;
  z3::expr when;
  z3::expr value;
};

// What one command does from the state the ExprEnv reads (which records the reads).
struct RedisOutcome {
  z3::expr error;    // a runtime error: the command does nothing else
  z3::expr result;   // its result as a slot value (a bool as 0 or 1), when no error
  z3::expr element;  // the element it goes to (0..size-1), as a slot value
  std::vector<SlotWrite> writes;
};

// The element a script or multi block runs on.
struct RedisTarget {
  z3::expr error;    // its index is out of range
  z3::expr element;  // 0..size-1, as a slot value
  Element alternatives;  // each element it may be
};

// EXEC of a multi block (Redis::Exec): whether it is refused, and the watches it ends.
struct RedisExec {
  z3::expr refused;  // a key the instance WATCHes on the element changed since
  std::vector<SlotWrite> writes;
};

class RedisEncoder {
 public:
  RedisEncoder(const ir::Program& program, Terms& terms, ExprEncoder& exprs);

  // Redis::Execute of a command of `instance`, for every element the command may go to.
  RedisOutcome Execute(int32_t instance, const ir::RedisOp& op, ExprEnv& env);
  RedisTarget Target(const ir::RedisBlock& block, ExprEnv& env);
  // BLPOP, BRPOP, BLMOVE outside eval/multi: whether the list is empty, so the instance waits.
  z3::expr Waits(const ir::RedisOp& op, ExprEnv& env);
  // Whether the instance's multi blocks on declaration `redis` can be refused (it uses WATCH there).
  bool Watches(int32_t instance, int32_t redis) const;
  RedisExec Exec(int32_t instance, const ir::RedisBlock& block, const RedisTarget& target, ExprEnv& env);
  // Redis::Touch: a change to key `key` of element `number`, when `when` holds: each WATCH of
  // it by any instance (1) becomes "changed" (2).
  void Touch(int32_t redis, int32_t number, int32_t key, const z3::expr& when, ExprEnv& env,
             std::vector<SlotWrite>& writes);

 private:
  // Execute of a command on one key (and LMOVE destination), for the elements in `element`.
  RedisOutcome ExecuteKey(int32_t instance, const ir::RedisOp& op, const Element& element, ExprEnv& env);
  // A list key's length and its elements from the left end, as terms.
  struct List {
    z3::expr length;
    std::vector<z3::expr> elements;
  };
  List ReadList(int32_t slot, int32_t capacity, ExprEnv& env);
  z3::expr LongerThan(const List& list, int32_t i);
  List Pop(const List& list, bool left, z3::expr* value);
  List Push(const List& list, const z3::expr& value, bool left);
  List Remove(const List& list, const z3::expr& count, const z3::expr& value, z3::expr* removed);
  // A list command on element `number` (when `here`): its writes into `out`.
  void ListCommand(const ir::RedisOp& op, int32_t number, const z3::expr& here, const std::optional<SymValue>& value,
                   ExprEnv& env, RedisOutcome& out, z3::expr* result, z3::expr* fails);
  // A hash's or set's count and its fields or members in ascending order, with a hash's values
  // (redis_collections.cpp).
  struct Collection {
    z3::expr count;
    std::vector<z3::expr> keys;
    std::vector<z3::expr> values;  // empty for a set
  };
  Collection ReadCollection(const ir::RedisKey& key, int32_t slot, ExprEnv& env);
  // Whether place i holds `x`.
  std::vector<z3::expr> Places(const Collection& c, const z3::expr& x);
  // `x` (absent) put in its place, with `value` for a hash; `c` has room.
  Collection Insert(const Collection& c, const z3::expr& x, const z3::expr& value);
  // Place `places` (at most one holds) taken out.
  Collection Erase(const Collection& c, const std::vector<z3::expr>& places);
  Collection Choose(const z3::expr& when, const Collection& a, const Collection& b);
  // HGET .. HLEN, SADD .. SCARD on element `number` (when `here`): its writes into `out`.
  void CollectionCommand(const ir::RedisOp& op, int32_t number, const z3::expr& here, ExprEnv& env, RedisOutcome& out,
                         z3::expr* result, z3::expr* fails);
  // The element number as a slot value, from the element's alternatives.
  z3::expr Number(const Element& element);
  // The instance's WATCH slot of key `key` of element `number`.
  int32_t WatchSlot(int32_t instance, int32_t redis, int32_t number, int32_t key) const;

  const ir::Program& program_;
  Terms& terms_;
  ExprEncoder& exprs_;
};

}  // namespace racecheck::symbolic
