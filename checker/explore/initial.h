// The initial states of a program: variables at their initial values, every instance at pc 0,
// then one state per combination of parameter values (docs/semantics.md, "Steps").
#pragma once

#include <functional>
#include <string>

#include "checker/ir/program.h"

namespace racecheck::explore {

// Whether initial states differ by the values of parameters (then traces start with step 0).
bool HasInitialChoices(const ir::Program& program);

// Calls `emit` with each initial state, global params varying slowest, values ascending;
// `emit` returns false to stop. Returns the empty string, or the model's problem in words
// ("param N has an empty range 5..3") when a parameter cannot be given a value.
std::string EnumerateInitialStates(const ir::Program& program,
                                   const std::function<bool(const ir::Value* state)>& emit);

}  // namespace racecheck::explore
