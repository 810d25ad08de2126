#include "checker/frontend/syntax_errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "RaceCheckLexer.h"
#include "RaceCheckParser.h"
#include "checker/frontend/syntax_hints.h"

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckLexer;
using grammar::RaceCheckParser;

// Past this many syntax errors the rest are most likely echoes of the first ones.
constexpr int kMaxSyntaxErrors = 5;

std::string Describe(const antlr4::Token* token) {
  switch (token->getType()) {
    case antlr4::Token::EOF: return "the end of the file";
    case RaceCheckLexer::INT: return fmt::format("the number {}", token->getText());
    case RaceCheckLexer::ID: return fmt::format("the name '{}'", token->getText());
    case RaceCheckLexer::STRING: return "a string";
    case RaceCheckLexer::SQL_STRING: return fmt::format("the string {}", token->getText());
    default: return fmt::format("'{}'", token->getText());
  }
}

// `on failure` where a statement may start: it follows a statement that takes no handler.
bool StrayFailureHandler(antlr4::Parser* parser, const antlr4::Token* offending) {
  if (offending->getText() != "on") return false;
  antlr4::TokenStream* tokens = parser->getTokenStream();
  size_t next = offending->getTokenIndex() + 1;
  return next < tokens->size() && tokens->get(next)->getText() == "failure";
}

// Whether the line of `offending` starts with `let` or an assignment (`n = ...`, `n += ...`).
bool KeepsAResult(antlr4::Parser* parser, const antlr4::Token* offending) {
  antlr4::TokenStream* tokens = parser->getTokenStream();
  size_t first = offending->getTokenIndex();
  while (first > 0 && tokens->get(first - 1)->getLine() == offending->getLine()) --first;
  if (tokens->get(first)->getText() == "let") return true;
  if (tokens->get(first)->getType() != RaceCheckLexer::ID || first + 1 >= offending->getTokenIndex()) return false;
  const std::string op = tokens->get(first + 1)->getText();
  return op == "=" || op == "+=" || op == "-=" || op == "*=" || op == "[";
}

// The expected set in words: a category when it is large, the tokens themselves when small.
std::string DescribeExpected(antlr4::Parser* parser) {
  antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
  const antlr4::dfa::Vocabulary& vocabulary = parser->getVocabulary();
  auto has = [&](const char* literal) {
    for (size_t type : expected.toList()) {
      if (vocabulary.getLiteralName(type) == literal) return true;
    }
    return false;
  };
  if (has("'process'") && has("'shared'")) {
    return "a declaration (const, param, shared, ghost, lock, enum, table, redis, process, invariant, final, "
           "cover, allow, expect)";
  }
  if (has("'let'") && has("'if'")) return "a statement or '}'";
  std::set<std::string> words;
  bool expression = false;
  for (size_t type : expected.toList()) {
    if (type == RaceCheckLexer::INT || has("'self'")) expression = true;
    if (type == RaceCheckLexer::INT) continue;
    std::string name = type == antlr4::Token::EOF ? "the end of the file"
                       : type == RaceCheckLexer::ID ? "a name"
                       : type == RaceCheckLexer::STRING ? "a string"
                                                        : vocabulary.getLiteralName(type);
    if (!name.empty()) words.insert(name);
  }
  if (expression && words.size() > 4) return "an expression";
  std::vector<std::string> list(words.begin(), words.end());
  if (expression) list.insert(list.begin(), "an expression");
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += i + 1 == list.size() ? " or " : ", ";
    out += list[i];
  }
  return out.empty() ? "something else" : out;
}

}  // namespace

void SyntaxErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                                      size_t column, const std::string&, std::exception_ptr) {
  // After the first error the parser is guessing: only errors the lexer is sure of (an
  // unknown character, an unclosed string or comment) are worth reporting.
  bool lexical = offending && (offending->getType() == RaceCheckLexer::UNTERMINATED_STRING ||
                               offending->getType() == RaceCheckLexer::UNTERMINATED_SQL_STRING ||
                               offending->getType() == RaceCheckLexer::UNTERMINATED_COMMENT ||
                               offending->getType() == RaceCheckLexer::UNKNOWN_CHAR);
  if (errors_ > 0 && (!lexical || line < last_line_)) return;
  if (errors_ >= kMaxSyntaxErrors) return;
  ++errors_;
  last_line_ = line;
  if (first_line_ == 0) first_line_ = line;
  base::SourceLocation at{static_cast<int>(line), static_cast<int>(column) + 1};
  if (offending) {
    switch (offending->getType()) {
      case RaceCheckLexer::UNTERMINATED_STRING:
        diags_.Error(at, "this string is never closed: add a '\"' before the end of the line");
        return;
      case RaceCheckLexer::UNTERMINATED_SQL_STRING:
        diags_.Error(at, "this string is never closed: add a \"'\" before the end of the line");
        return;
      case RaceCheckLexer::UNTERMINATED_COMMENT:
        diags_.Error(at, "this comment is never closed: add '*/' where it should end");
        return;
      case RaceCheckLexer::UNKNOWN_CHAR:
        diags_.Error(at, fmt::format("the character '{}' means nothing in a .cr model", offending->getText()));
        return;
      default: break;
    }
  }
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  std::string found = offending ? Describe(offending) : "this";
  if (!parser) {
    diags_.Error(at, fmt::format("unexpected {}", found));
    return;
  }
  if (offending && StrayFailureHandler(parser, offending)) {
    diags_.Error(at, KeepsAResult(parser, offending)
                         ? "a failure handler cannot follow a statement that keeps its result: declare the local "
                           "first ('let n = 0'), then set it in a transaction that takes the handler ('transaction { n "
                           "= insert ... } on failure { ... }')"
                         : "'on failure' goes after a transaction or a SQL statement, whose database errors it handles");
    return;
  }
  if (auto teaching = TeachingHint(parser, offending)) {
    diags_.Error(teaching->at, teaching->message);
    return;
  }
  std::string hint;
  const std::string text = offending ? offending->getText() : "";
  bool is_word = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c) || c == '_'; });
  if (is_word && offending->getType() != RaceCheckLexer::ID && parser->getExpectedTokens().contains(static_cast<size_t>(RaceCheckLexer::ID))) {
    hint = fmt::format(" ('{}' is a keyword and cannot be used as a name)", text);
    // A query where a value goes (round 32: `if await select active ...`) uses no name.
    if (text == "select" || text == "update" || text == "insert" || text == "delete") {
      hint = fmt::format(" (a query is a statement of its own: run it as 'let v = {} ...' (with 'await' under the "
                         "event loop), then use v)", text);
    }
    // `runtime event_loop(replica = 2)`: the setting is plural, and 'replica' is a keyword.
    if (text == "replica" && offending->getTokenIndex() > 0 &&
        parser->getTokenStream()->get(offending->getTokenIndex() - 1)->getText() == "(") {
      hint = " (the setting is 'replicas': runtime event_loop(replicas = 2))";
    }
  }
  // `release(t)`: a call of a fn named with a keyword, which its declaration was refused for too
  // (round 28: `fn release(t)` gave a second, puzzling error at every call).
  if (offending && text == "(" && offending->getTokenIndex() > 0) {
    const antlr4::Token* before = parser->getTokenStream()->get(offending->getTokenIndex() - 1);
    const std::string word = before->getText();
    if (before->getType() != RaceCheckLexer::ID && !word.empty() &&
        std::all_of(word.begin(), word.end(), [](unsigned char c) { return std::isalpha(c) || c == '_'; })) {
      hint = fmt::format(" ('{}' is a keyword, so '{}(' calls no fn: a fn cannot take a keyword's name)", word, word);
    }
  }
  if (offending && offending->getType() == RaceCheckLexer::STRING &&
      parser->getExpectedTokens().contains(static_cast<size_t>(RaceCheckLexer::SQL_STRING))) {
    // PostgreSQL reads "queued" as a column's name too: a value takes single quotes.
    hint = fmt::format(" (SQL writes a value in single quotes: '{}')", text.substr(1, text.size() - 2));
  }
  diags_.Error(at, fmt::format("expected {}, but found {}{}", DescribeExpected(parser), found, hint));
}

}  // namespace racecheck::frontend
