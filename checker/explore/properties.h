// What the explicit engine reports about properties: how many copies one is checked on,
// the values a violation mentions, how many properties a run checks.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/explore/naming.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

// The replica copies a property is checked on: copies 0..n-1 of the variables it mentions,
// n = 1 unless it mentions per-replica memory.
int32_t PropertyCopies(const ir::Program& program, const ir::Property& property);

// The variables the property mentions, as in state `state` on copy `replica`; arrays element by element.
std::vector<result::NamedValue> PropertyValues(const ir::Program& program, const Naming& naming,
                                               const ir::Property& property, const ir::Value* state,
                                               int32_t replica);

}  // namespace racecheck::explore
