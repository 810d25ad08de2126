// What the symbolic engine encodes: which instructions, and which models it must refuse with a
// clear message rather than guess about.
#pragma once

#include <string>

#include "checker/ir/ops.h"
#include "checker/ir/program.h"

namespace racecheck::symbolic {


// Empty when the engine encodes every construct of the model; else the first one it does not,
// in words, with its line: "SQL statements (line 12)".
std::string UnsupportedConstruct(const ir::Program& program);

}  // namespace racecheck::symbolic
