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
// stack per bracket (`a or a and a == a < a + a * - (...)`, RelWithDebInfo), so 320 KiB here
// (1.6 MiB with AddressSanitizer).
inline constexpr int kMaxBracketNesting = 100;
// Expressions and statements nested deeper than this are refused right after parsing, before
// anything recurses through them: each expression (so each operator of a chain `a + b + c`),
// block and `else if` is one level. Measured under `ulimit -s` right at the limit, the hungriest
// run (an else-if chain, through lowering and both engines) needs 170 KiB of stack in
// RelWithDebInfo, a fiftieth of the usual 8 MiB, but 2.7 MiB with AddressSanitizer (.ci/sanitize:
// about 10.7 KiB a level; 1000 levels, tried first, needed 10.7 MiB), which keeps it this low.
inline constexpr int kMaxNesting = 250;

// Parses a model; returns null (with errors in diags) on any lexical or syntax error.
std::unique_ptr<ast::Model> Parse(const base::SourceFile& file, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
