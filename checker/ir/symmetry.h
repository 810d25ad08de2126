// Which instances of a process declaration the model cannot tell apart, so that the explicit
// engine may store one state per orbit (docs/semantics.md, "Symmetry").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// Instances of one process that are interchangeable: any permutation of their blocks (with every
// slot that names one of them renamed alike) maps a reachable state to a reachable state, and
// keeps every property's value.
struct SymmetryGroup {
  int32_t process = 0;
  std::vector<int32_t> instances;  // indices into Program::instances, ascending, at least 2
  std::string name;                // "W[0..6]", or "W[0], W[2], W[4]" when not consecutive
};

// Why a process has no symmetric instances, for tests and docs; empty when it has some.
struct SymmetryAnalysis {
  std::vector<SymmetryGroup> groups;
  std::vector<std::string> reasons;  // one per process: "" or why it is not symmetric
};

// Finds the symmetric groups, conservatively: a process whose code, parameters, SQL or Redis
// arguments evaluate `self` has none (self tells instances apart: array and key indices, locks
// per instance, values), except to name its own takes region (region[self], which moves with
// the instance); instances on different replicas are in different groups; a property that reads
// `self` or a local leaves none.
SymmetryAnalysis FindSymmetry(const Program& program);

}  // namespace racecheck::ir
