// Compiles a checked AST into the flat program the engines run.
#pragma once

#include <optional>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/ir/program.h"

namespace racecheck::ir {

// Lays out the state (variables, locks, tables, Redis keys, each instance's block), turns every
// shared read into its own kRead step and every statement into instructions. Reports what
// cannot be compiled (duplicate initial keys, a key a statement would change); nullopt then.
std::optional<Program> Lower(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::ir
