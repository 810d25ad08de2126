#include "checker/frontend/parse.h"

#include <string>
#include <vector>

#include "RaceCheckLexer.h"
#include "RaceCheckParser.h"
#include "checker/frontend/ast_builder.h"
#include "checker/frontend/check_nesting.h"
#include "checker/frontend/declaration_words.h"
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

// The first token of each top-level declaration that starts a line (`process Q {` at column 1,
// outside every bracket): a place where parsing can start afresh after an error.
std::vector<const antlr4::Token*> DeclarationStarts(antlr4::CommonTokenStream& tokens) {
  std::vector<const antlr4::Token*> starts;
  int depth = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    const std::string text = token->getText();
    if (text == "{" || text == "(" || text == "[") ++depth;
    if ((text == "}" || text == ")" || text == "]") && depth > 0) --depth;
    if (depth == 0 && token->getCharPositionInLine() == 0 && StartsDeclaration(text)) starts.push_back(token);
  }
  return starts;
}

// After a syntax error the parser's guesses are worthless until the next declaration: each
// declaration after the error is parsed again on its own (with the lines before it left
// blank, so positions stay true), and its first error reported too. Two broken processes
// are then two errors, not one.
void ReportLaterSyntaxErrors(const base::SourceFile& file, antlr4::CommonTokenStream& tokens, size_t error_line,
                             base::DiagnosticEngine& diags) {
  int reparses = 0;
  for (const antlr4::Token* start : DeclarationStarts(tokens)) {
    if (start->getLine() <= error_line) continue;
    // Past a few errors the rest are most likely echoes, and each parse reads the rest of the file.
    if (++reparses > 4) return;
    // The declaration starts a line; the token's own index counts code points, not bytes.
    const size_t line_start = file.LineStart(static_cast<int>(start->getLine()));
    std::string rest = "model _" + std::string(start->getLine() - 1, '\n') + file.text().substr(line_start);
    antlr4::ANTLRInputStream input(rest);
    RaceCheckLexer lexer(&input);
    lexer.removeErrorListeners();
    SyntaxErrorListener listener(diags);
    lexer.addErrorListener(&listener);
    antlr4::CommonTokenStream rest_tokens(&lexer);
    rest_tokens.fill();  // the hints look at the tokens after the error
    grammar::RaceCheckParser parser(&rest_tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    parser.model();
    if (!listener.saw_error()) return;
    error_line = listener.first_error_line();
  }
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
  if (listener.saw_error()) ReportLaterSyntaxErrors(file, tokens, listener.first_error_line(), diags);
  if (listener.saw_error() || diags.has_errors()) return nullptr;
  if (!CheckTreeNesting(tree, diags)) return nullptr;
  std::unique_ptr<ast::Model> model = BuildAst(tree, diags);
  if (diags.has_errors()) return nullptr;
  return model;
}

}  // namespace racecheck::frontend
