// Tokens `self + c` (docs/semantics.md, "Symmetry"): which slots may hold a process's tokens, and
// whether the whole program only copies them and compares them for equality.
#pragma once

#include <string>

#include "checker/ir/program.h"
#include "checker/ir/symmetry.h"

namespace racecheck::ir {

// For a process whose code uses `self`: "" and `tokens` filled when every use of `self` makes a
// token self + c (one c) that is only copied and compared with == or != (against tokens or
// constants outside c .. c + instance_count - 1), anywhere in the program; else why not, and in
// `line` the source line of the statement, parameter or property that showed it (0 when the
// reason is about a location as a whole).
std::string FindTokens(const Program& program, int32_t process, SymmetryTokens* tokens, int32_t* line);

}  // namespace racecheck::ir
