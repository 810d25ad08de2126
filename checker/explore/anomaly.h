// Names what a counterexample shows in the terms engineers search for (lost update, write
// skew, a dependency cycle (G2), read skew through a predicate, non-repeatable read, read skew,
// phantom, an expired lease or marker), from what the database and Redis did along the run (DbEvent).
// Semantics of the names: docs/semantics.md, "Explanations".
#pragma once

#include <string>
#include <vector>

#include "checker/explore/db.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// One line, "lost update: Withdraw[1] overwrote ...", or empty when the run shows none of them.
std::string Explain(const ir::Program& program, const std::vector<DbEvent>& events);

}  // namespace racecheck::explore
