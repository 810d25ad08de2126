// Facts about IR instructions that both engines must agree on.
#pragma once

#include "checker/ir/program.h"

namespace racecheck::ir {

// Whether an instruction touches state other processes can see: the points where a step
// ends under runtime threads (docs/semantics.md, "Steps").
bool IsVisible(Op op);

}  // namespace racecheck::ir
