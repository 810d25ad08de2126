// The nesting limits (parse.h), each checked before anything that recurses through what it bounds.
// Private to the front end: only parse.cpp includes it.
#pragma once

#include <CommonTokenStream.h>

#include "RaceCheckParser.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// Over the tokens, before the parser: reports brackets and prefix operators nested deeper than
// kMaxBracketNesting, all the parser recurses through (binary operators and else-if chains loop).
bool CheckTokenNesting(antlr4::CommonTokenStream& tokens, base::DiagnosticEngine& diags);

// Over the parse tree, with an explicit stack: reports the first expression, block or else-if of
// each declaration nested deeper than kMaxNesting, counting the levels every later pass and both
// engines recurse through (Path in the .cpp). After it, the AST and the IR are no deeper.
bool CheckTreeNesting(grammar::RaceCheckParser::ModelContext* tree, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
