// Builds the project's AST from a parse tree that had no syntax errors.
// Private to the front end: only parse.cpp includes it.
#pragma once

#include <memory>

#include "RaceCheckParser.h"
#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// Reports what the grammar admits but the AST cannot hold (an unknown runtime or isolation
// level, a literal too large); returns the model even then, so later passes can report more.
std::unique_ptr<ast::Model> BuildAst(grammar::RaceCheckParser::ModelContext* tree, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
