// The symbolic engine: every interleaving of a model's runs and every value of its parameters at
// once, encoded for Z3 as bounded model checking over time frames. Semantics:
// docs/semantics.md (the same as the explicit engine's); the encoding: docs/z3-encoding.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/base/stop.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"
#include "checker/result/schedule.h"

namespace racecheck::symbolic {

struct SymbolicOptions {
  int32_t unroll = 8;        // times round a loop whose trip count the constants do not decide
  double max_seconds = 0;    // 0 = no limit; past it the verdict is inconclusive
  // The caller's deadline (the model's, shared with the explicit engine under --engine both);
  // the earlier of it and max_seconds stops the run. Ctrl-C (base::Interrupted) stops it too.
  base::Deadline deadline{};
  // 0 = no limit; past it (what Z3 allocates during the run) the verdict is inconclusive.
  uint64_t max_memory_bytes = 0;
  // Pick, among the shortest runs to a violation, the one the explicit engine's breadth-first
  // search meets first (so both engines name the same violation and show the same trace).
  bool breadth_first_order = true;
  // Leave out runs that only reorder independent neighbouring steps (peephole reduction).
  bool reduce = true;
  // Leave out runs that only rename interchangeable instances (ir::FindSymmetry): the search for
  // violations and covers looks at runs where they first move in index order (--no-symmetry).
  bool symmetry = true;
  bool progress = false;     // a progress line on stderr at each new depth
  // Conflicts the solver may spend, in the last two levels before the bound on every run's
  // length, on whether a run goes on from scratch; unanswered, the search goes on to the bound
  // and the report names the bound instead of the longest run (docs/z3-encoding.md, "Levels").
  // A count, not a time, so that reports do not depend on the machine. 0: no limit.
  unsigned near_bound_conflicts = 5000;
};

// A run the solver found, for the explicit engine to replay and confirm.
struct Witness {
  result::Schedule schedule;
  bool deadlock = false;  // the run ends in a deadlock; otherwise in a violation
};

struct CoverRun {
  std::string property;
  result::Schedule schedule;
};

struct SymbolicResult {
  // Verdict, scope, statistics, cover violations. A violation or deadlock verdict comes without
  // its Violation: that is the replay's to fill from `witness`.
  result::Report report;
  std::optional<Witness> witness;
  std::vector<CoverRun> covers_reached;  // in declaration order
  // Non-empty when the model uses something this engine does not encode: nothing else is set.
  std::string unsupported;
};

// Checks every property of `program` for all runs (loops unrolled as the options say).
SymbolicResult Check(const ir::Program& program, const SymbolicOptions& options);

}  // namespace racecheck::symbolic
