// Inlining of fns: each call made from a process gets its own copy of the fn's body (Stmt::inlined).
#pragma once

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// After ResolveNames: reports a fn that calls itself, directly or through others, then copies each
// fn's body into every call reached from a process, its parameters and locals becoming new locals
// of the process ("acquire.token"), every copied statement remembering the calls it came from.
// Later passes check, type and lower the copies as the process's own code.
bool InlineFunctions(ast::Model& model, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
