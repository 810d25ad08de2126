// The properties the search checks on each new state, evaluated apart from acting on them, so
// that the threads of a parallel search evaluate while one thread applies the outcomes in order
// (docs/internals-explore.md, "The parallel search").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/eval.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// An invariant or final false at a state, or a cover true there, or any of them failing to
// evaluate (a runtime error).
struct PropertyOutcome {
  int32_t property = 0;  // index in program.properties
  int32_t copy = 0;      // the replica copy where it is so (the first)
  int32_t fault = -1;    // evaluation failed: the problem is faults[fault]
};

class PropertyCheck {
 public:
  explicit PropertyCheck(const ir::Program& program);

  // Appends to `out`, in this order: every invariant false at `state`; when every instance is
  // done, every final false there; every cover true there. Finals and covers with settled[k]
  // (reported, or a cover reached) are left out. Returns whether every instance is done and
  // the model has finals (which were then evaluated).
  bool Evaluate(const ir::Value* state, const std::vector<char>& settled, std::vector<PropertyOutcome>& out,
                std::vector<std::string>& faults);

  const std::vector<int32_t>& invariants() const { return invariants_; }
  const std::vector<int32_t>& finals() const { return finals_; }
  const std::vector<int32_t>& covers() const { return covers_; }

 private:
  // The first copy where property k is not `want` (or fails to evaluate), or -1.
  int32_t Differs(int32_t k, const ir::Value* state, bool want);
  void Add(int32_t k, int32_t copy, std::vector<PropertyOutcome>& out, std::vector<std::string>& faults);

  const ir::Program& program_;
  Evaluator eval_;
  std::vector<int32_t> invariants_, finals_, covers_;
  std::vector<int32_t> copies_;  // per property
};

}  // namespace racecheck::explore
