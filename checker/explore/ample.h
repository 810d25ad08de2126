// Partial-order reduction for the explicit search: at a state, one instance whose step may stand
// for all the state's moves (an ample set), and the recovery of the shortest counterexample
// afterwards. Why this keeps every verdict: docs/internals-explore.md, "Partial-order reduction".
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "checker/explore/step.h"
#include "checker/ir/footprint.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

class Ample {
 public:
  explicit Ample(const ir::Program& program);

  // Whether the program allows reduction at all: not in timed models nor with replica crashes,
  // whose environment moves touch everything, nor when the footprints show that no instance's
  // step can ever pass the static conditions (ir::Footprints::AnyMayBeChosen): then the search
  // pays nothing per state for it.
  bool active() const { return active_; }

  // Tries the instances in index order: the first whose step is independent of everything the
  // others (and the environment) may still do, writes nothing an invariant or cover reads, has at
  // least one successor, no failing branch, and only successors that `known` says are not stored
  // yet (the cycle proviso). Returns it, its successors in successors(), or -1: expand fully.
  // `outer` is polled for the limits; after a stop (stepper.stopped()) the answer is -1.
  int32_t Choose(const ir::Value* state, Stepper& stepper, StepSink& outer,
                 const std::function<bool(const ir::Value*)>& known);

  // The chosen step's successors, back to back, and the statement of each.
  const std::vector<ir::Value>& successors() const { return successors_; }
  const std::vector<int32_t>& statements() const { return statements_; }

  // Whether the step of `instance` at `state` passes the static conditions (for tests).
  bool Independent(const ir::Value* state, int32_t instance) const;

 private:
  // Collects one step's outcomes.
  class Buffer;
  bool EnvironmentMayMove(const ir::Value* state) const;

  const ir::Program& program_;
  ir::Footprints footprints_;
  bool active_ = false;
  std::vector<ir::Value> successors_;
  std::vector<int32_t> statements_;
};

// The report of a reduced search that found violations, given the report of the unreduced
// breadth-first search bounded by their depth (`recovered`): its violations and traces, which
// are the shortest; with --all also the reduced search's covers that it alone could judge.
result::Report MergeRecovered(result::Report reduced, result::Report recovered, bool all);

}  // namespace racecheck::explore
