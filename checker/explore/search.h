// The explicit-state search: explores every reachable state of an ir::Program breadth- or
// depth-first and reports violations with their runs. Semantics: docs/semantics.md.
#pragma once

#include <cstdint>

#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

struct SearchOptions {
  bool dfs = false;               // depth-first (traces are then not the shortest)
  bool all = false;               // go on after a violation: one trace per violated property
  uint64_t max_states = 0;        // 0 = no limit
  double max_seconds = 0;         // 0 = no limit
  uint64_t max_memory_bytes = 0;  // 0 = no limit; counts the state store
  bool progress = false;          // a progress line on stderr about every second
};

// Fills everything of the report but the expectation, which the driver judges.
result::Report Search(const ir::Program& program, const SearchOptions& options);

}  // namespace racecheck::explore
