// Compiles a checked AST into the flat program the engines run.
#pragma once

#include <optional>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/ir/program.h"

namespace racecheck::ir {

// Lays out the state, turns every shared read into its own kRead step and every statement
// into instructions. Reports constructs the engines do not run yet; nullopt then.
std::optional<Program> Lower(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::ir
