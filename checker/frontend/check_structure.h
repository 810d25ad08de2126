#pragma once

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// Checks where statements may stand: break/continue in loops, rollback in transactions,
// await under event_loop only, what atomic and Redis script blocks may hold, ghosts
// never steering the processes.
bool CheckStructure(const ast::Model& model, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
