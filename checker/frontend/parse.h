// Text -> AST. The only door into the parser: ANTLR and its parse tree stay behind it.
#pragma once

#include <memory>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/base/source.h"

namespace racecheck::frontend {

// Models larger than this are refused before parsing: no real model comes near it.
inline constexpr size_t kMaxModelBytes = 1 << 20;
// Brackets and prefix operators nested deeper than this are refused before parsing: they are all
// the parser recurses through (binary operators and else-if chains loop), at up to 3.2 KiB of
// stack per bracket (`a or a and a == a < a + a * - (...)`, RelWithDebInfo), so 320 KiB here.
inline constexpr int kMaxBracketNesting = 100;
// Expressions and statements nested deeper than this are refused right after parsing, before
// anything recurses through them: each expression (so each operator of a chain `a + b + c`),
// block and `else if` is one level. Every pass over the AST and the IR and both engines take at
// most 0.63 KiB of stack per level (nested blocks, measured under `ulimit -s` in RelWithDebInfo;
// a chain of `+` takes 0.46 in `racecheck parse`, 0.55 under z3), so about 630 KiB at the limit:
// a thirteenth of the usual 8 MiB stack.
inline constexpr int kMaxNesting = 1000;

// Parses a model; returns null (with errors in diags) on any lexical or syntax error.
std::unique_ptr<ast::Model> Parse(const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
