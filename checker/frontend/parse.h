// Text -> AST. The only door into the parser: ANTLR and its parse tree stay behind it.
#pragma once

#include <memory>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/base/source.h"

namespace racecheck::frontend {

// Models larger than this are refused before parsing: no real model comes near it.
inline constexpr size_t kMaxModelBytes = 1 << 20;
// Brackets and prefix operators nested deeper than this are refused before parsing.
inline constexpr int kMaxNesting = 100;

// Parses a model; returns null (with errors in diags) on any lexical or syntax error.
std::unique_ptr<ast::Model> Parse(const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
