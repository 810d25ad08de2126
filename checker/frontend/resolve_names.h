#pragma once

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// Resolves every name to its declaration, declares process locals in block scope; reports
// undeclared, duplicate and hiding names, unknown tables, columns, keys and functions.
bool ResolveNames(ast::Model& model, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
