// The explicit-state search: explores every reachable state of an ir::Program breadth- or
// depth-first and reports violations with their runs. Semantics: docs/semantics.md.
#pragma once

#include <cstdint>

#include "checker/base/stop.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

// Every limit, and Ctrl-C (base::Interrupted()), ends the search as inconclusive with the
// statistics so far; each is looked at within a step too, however many branches or
// instructions it has.
struct SearchOptions {
  bool dfs = false;               // depth-first (traces are then not the shortest)
  bool all = false;               // go on after a violation: one trace per violated property
  uint64_t max_states = 0;        // 0 = no limit
  double max_seconds = 0;         // 0 = no limit; counted from the search's start
  // The whole run's deadline (the driver's, shared by the engines). The search stops at the
  // earlier of it and max_seconds; the reason names --max-seconds whenever max_seconds is set
  // ("stopped after 5 seconds (--max-seconds)"), else "stopped at the run's deadline". So the
  // driver sets max_seconds to the user's --max-seconds and deadline to the run's start plus it.
  base::Deadline deadline = {};
  uint64_t max_memory_bytes = 0;  // 0 = no limit; counts the state store
  bool progress = false;          // a progress line on stderr about every second
  // Partial-order reduction (docs/internals-explore.md); a violation it finds breadth-first is
  // searched again without it, bounded by its depth, so that the trace is the shortest.
  bool por = true;
  // Breadth-first: expand only the states fewer than this many steps from an initial state
  // (0 = no bound); the search is then not complete (no cover is judged). The recovery of the
  // shortest trace sets it.
  int max_depth = 0;
  // Store one state per orbit of the interchangeable instances (ir::FindSymmetry); the
  // report names the groups (Report::symmetry).
  bool symmetry = true;
  // Breadth-first: threads that expand states together (0: one per available core). The
  // outcome (verdicts, counts, traces) is the same for every number (docs/internals-explore.md,
  // "The parallel search"); depth-first search runs on one.
  int threads = 0;
  // Breadth-first: states expanded between two rounds of storing their successors (0: the
  // default, 4096). Tests make it small to exercise many rounds.
  uint64_t batch_states = 0;
};

// Fills everything of the report but the expectation, which the driver judges.
result::Report Search(const ir::Program& program, const SearchOptions& options);

}  // namespace racecheck::explore
