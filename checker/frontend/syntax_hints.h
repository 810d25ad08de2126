// Mistakes a newcomer makes in a .cr model (SQL in upper case, `x++`, a property without a
// name, ...) recognised from the tokens around a syntax error, each with a message that says
// how to write it instead.
#pragma once

#include <Parser.h>
#include <Token.h>

#include <optional>
#include <string>

#include "checker/base/source.h"

namespace racecheck::frontend {

struct SyntaxHint {
  base::SourceLocation at;  // often not the offending token: the word that was misused
  std::string message;
};

// The hint for a syntax error at `offending`, if it matches a known mistake.
std::optional<SyntaxHint> TeachingHint(antlr4::Parser* parser, const antlr4::Token* offending);

}  // namespace racecheck::frontend
