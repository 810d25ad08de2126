#pragma once

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// Gives every expression, variable and local its type (int or bool) and reports mismatches,
// wrong arities (tuples, calls, Redis commands) and values used where they cannot be.
bool CheckTypes(ast::Model& model, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
