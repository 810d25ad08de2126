#include "checker/frontend/parse.h"

#include "RaceCheckLexer.h"
#include "RaceCheckParser.h"
#include "checker/frontend/ast_builder.h"
#include "checker/frontend/check_nesting.h"
#include "checker/frontend/input_check.h"
#include "checker/frontend/syntax_errors.h"

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckLexer;

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
  if (!CheckTokenNesting(tokens, diags)) return nullptr;

  grammar::RaceCheckParser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  grammar::RaceCheckParser::ModelContext* tree = parser.model();
  if (listener.saw_error() || diags.has_errors()) return nullptr;
  if (!CheckTreeNesting(tree, diags)) return nullptr;
  std::unique_ptr<ast::Model> model = BuildAst(tree, diags);
  if (diags.has_errors()) return nullptr;
  return model;
}

}  // namespace racecheck::frontend
