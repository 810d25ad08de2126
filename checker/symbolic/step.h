// One step of one instance from one program point, as Z3 terms: every branch the explicit
// engine's Stepper (checker/explore/step.cpp) takes, with its condition, merged where the
// branches meet again. The same rules, written for terms instead of values.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checker/ir/program.h"
#include "checker/symbolic/db_terms.h"
#include "checker/symbolic/redis_terms.h"
#include "checker/symbolic/terms.h"
#include "checker/symbolic/unroll.h"

namespace racecheck::symbolic {

// A `choose` a branch of the step may run: its instruction, its variable, and when it runs.
struct ChoicePoint {
  int32_t pc = 0;
  int32_t node = 0;  // where it runs; a branch runs its choices in ascending node order
  z3::expr value;    // a slot's value
  z3::expr taken;
  z3::expr lo;       // the range's lower bound, as evaluated when it runs (an expression's value)
};

// What one step does, as conditions over the state it starts from and the choices it makes.
// Exactly one of blocked, discarded, failed and succeeded holds for a given state and choices
// (or none, when the choices are out of their range: those are not branches).
struct StepEncoding {
  z3::expr blocked;    // the instance cannot move: its first action waits for a held lock
  z3::expr row_holder; // when blocked on a row lock: the instance it waits for + 1; else 0
  z3::expr discarded;  // the branch has no successor: a false assume, an empty choose, the bound
  z3::expr bounded;    // the part of `discarded` that went past the unrolling bound
  z3::expr failed;     // the branch fails: a false assert or a runtime error
  z3::expr succeeded;
  std::vector<std::pair<int32_t, z3::expr>> ends;  // node where a successful branch ends, and when
  std::vector<z3::expr> locals;                    // after a successful branch
  std::map<int32_t, z3::expr> globals;             // global slots it may write, after it
  // Global slots the step may read or write, each with the condition that it does.
  std::map<int32_t, z3::expr> reads;
  std::map<int32_t, z3::expr> writes;
  std::vector<ChoicePoint> choices;
  // With share locks (DbLayout::shares), when blocked on a row lock: per instance, whether it
  // waits for that instance's share lock too; empty otherwise.
  std::vector<z3::expr> row_also;
};

class StepEncoder {
 public:
  StepEncoder(const ir::Program& program, const Unrolled& unrolled, const DbLayout& layout, Terms& terms,
              ExprEncoder& exprs);

  // The step of `instance` from node `start`, with globals and locals as given (known constants
  // of the node replace locals). `tag` makes the names of choice variables unique.
  StepEncoding Encode(int32_t instance, int32_t start, const std::vector<z3::expr>& globals,
                      const std::vector<z3::expr>& locals, const std::string& tag);
  // The step of an instance waiting at a SQL statement at `start` that the database's deadlock
  // detector picks as its victim (the Stepper's StepDeadlockVictim): its transaction fails with
  // 40P01, and it runs on from its failure label. Nothing succeeds or fails where `start` is no
  // SQL statement.
  StepEncoding EncodeVictim(int32_t instance, int32_t start, const std::vector<z3::expr>& globals,
                            const std::vector<z3::expr>& locals, const std::string& tag);

  // What a crash of its replica does to an instance at `start` (Stepper::CrashReplica): its
  // transaction rolled back, its WATCHes dropped, its takes region closed. With `retry` it ends at
  // node `end` (pc 0 of its next attempt) with its parameters and its crash count + 1, else at
  // the finished node with its locals cleared but the crash count, which says it crashed. Always
  // succeeds.
  StepEncoding EncodeKill(int32_t instance, int32_t start, bool retry, int32_t end,
                          const std::vector<z3::expr>& globals, const std::vector<z3::expr>& locals,
                          const std::string& tag);

  // Non-empty once a step used a construct this engine cannot schedule: what, in words.
  const std::string& problem() const { return problem_; }

 private:
  struct Path;
  struct Key;
  struct Anchor;
  class Walk;

  const ir::Program& program_;
  const Unrolled& unrolled_;
  Terms& terms_;
  ExprEncoder& exprs_;
  RedisEncoder redis_;
  DbEncoder db_;
  std::vector<std::vector<std::vector<bool>>> live_locals_;  // per process: ir::LiveLocals
  std::string problem_;
};

}  // namespace racecheck::symbolic
