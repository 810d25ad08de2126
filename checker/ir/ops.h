// Facts about IR instructions that both engines must agree on.
#pragma once

#include "checker/ir/program.h"

namespace racecheck::ir {

// Whether an instruction touches state other processes can see: the points where a step
// ends under runtime threads (docs/semantics.md, "Steps").
bool IsVisible(Op op);

// Whether an instruction is a call to the database or Redis: under the event loop it is awaited,
// so it starts a step of its own and the step stops before the next visible access after it.
bool IsExternal(Op op);

}  // namespace racecheck::ir
