// A run given by its choices instead of its states (result::Schedule, as the z3 engine finds
// one), run with the explicit engine's step semantics: the trace it makes and the violation it
// ends in, exactly as the explicit search would report them. This is how a solver's answer is
// confirmed before racecheck shows it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/ir/program.h"
#include "checker/result/report.h"
#include "checker/result/schedule.h"

namespace racecheck::explore {

struct ReplayResult {
  // Empty when the schedule is a run of the model; else why it is not, in words
  // ("step 3: Withdraw[1] cannot move: it waits for lock mu held by Withdraw[0]").
  std::string problem;
  // Ctrl-C (base::Interrupted()) cut the replay short. Either before the run's end: `problem`
  // then says so and `violation` is empty, and the run neither confirms nor refutes the
  // schedule; or while a trace was rebuilt: the run is complete, but that trace ends early
  // (its violation's explanation says so).
  bool interrupted = false;
  // The first violation on the run, which ends there; none when the run meets none.
  std::optional<result::Violation> violation;
  int32_t steps_run = 0;  // steps of the schedule taken, up to where the run ended
  // The run's trace up to its last state (a violation other than a deadlock carries its own).
  std::vector<result::Step> trace;
  // Covers that hold in the run's last state, in declaration order (also when it is a deadlock).
  std::vector<std::string> covers_holding;
};

// Runs `schedule` from the initial state its parameter values give. A state the run has been in
// before is not gone through twice: the trace goes on from its first visit, so it is no longer
// than it must be.
ReplayResult Replay(const ir::Program& program, const result::Schedule& schedule);

}  // namespace racecheck::explore
