// What the symbolic engine encodes: which instructions, and which models it must refuse with a
// clear message rather than guess about.
#pragma once

#include <string>

#include "checker/ir/program.h"

namespace racecheck::symbolic {

// Whether a step is over before this instruction once it has made a visible access (the same
// list as the explicit engine's, docs/semantics.md, "Steps").
bool IsVisibleOp(ir::Op op);

// Empty when the engine encodes every construct of the model; else the first one it does not,
// in words, with its line: "SQL statements (line 12)".
std::string UnsupportedConstruct(const ir::Program& program);

}  // namespace racecheck::symbolic
