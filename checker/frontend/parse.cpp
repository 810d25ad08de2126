#include "checker/frontend/parse.h"

#include <fmt/format.h>

#include "RaceCheckLexer.h"
#include "RaceCheckParser.h"
#include "checker/frontend/ast_builder.h"
#include "checker/frontend/input_check.h"
#include "checker/frontend/syntax_errors.h"

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckLexer;

bool IsOpening(const std::string& text) { return text == "(" || text == "[" || text == "{"; }
bool IsClosing(const std::string& text) { return text == ")" || text == "]" || text == "}"; }
bool IsPrefixOperator(const std::string& text) { return text == "-" || text == "not"; }

// One pass over the tokens: the parser recurses per bracket and per prefix operator, so
// bounding them here keeps a hostile file from exhausting the stack.
bool CheckNesting(antlr4::CommonTokenStream& tokens, base::DiagnosticEngine& diags) {
  int depth = 0;
  int prefix_run = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    const std::string text = token->getText();
    if (IsOpening(text)) ++depth;
    if (IsClosing(text) && depth > 0) --depth;
    prefix_run = IsPrefixOperator(text) ? prefix_run + 1 : 0;
    if (depth + prefix_run > kMaxNesting) {
      diags.Error({static_cast<int>(token->getLine()), static_cast<int>(token->getCharPositionInLine()) + 1},
                  fmt::format("brackets and operators are nested more than {} deep here; split the expression "
                              "or the block into smaller parts", kMaxNesting));
      return false;
    }
  }
  return true;
}

bool HasOnlyBlanksAndComments(antlr4::CommonTokenStream& tokens) {
  for (antlr4::Token* token : tokens.getTokens()) {
    if (token->getType() != antlr4::Token::EOF) return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<ast::Model> Parse(const base::SourceFile& file, base::DiagnosticEngine& diags) {
  if (!CheckInputText(file, diags)) return nullptr;

  antlr4::ANTLRInputStream input(file.text());
  RaceCheckLexer lexer(&input);
  lexer.removeErrorListeners();
  SyntaxErrorListener listener(diags);
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  if (HasOnlyBlanksAndComments(tokens)) {
    diags.FileError("the file holds no model: a model starts with 'model NAME' (see docs/tutorial.md)");
    return nullptr;
  }
  if (!CheckNesting(tokens, diags)) return nullptr;

  grammar::RaceCheckParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  grammar::RaceCheckParser::ModelContext* tree = parser.model();
  if (listener.saw_error() || diags.has_errors()) return nullptr;
  std::unique_ptr<ast::Model> model = BuildAst(tree, diags);
  if (diags.has_errors()) return nullptr;
  return model;
}

}  // namespace racecheck::frontend
