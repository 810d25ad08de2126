#include "checker/frontend/check_nesting.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "checker/frontend/parse.h"

namespace racecheck::frontend {
namespace {

using grammar::RaceCheckParser;

base::SourceLocation LocationOf(const antlr4::Token* token) {
  return {static_cast<int>(token->getLine()), static_cast<int>(token->getCharPositionInLine()) + 1};
}

bool IsOpening(const std::string& text) { return text == "(" || text == "[" || text == "{"; }
bool IsClosing(const std::string& text) { return text == ")" || text == "]" || text == "}"; }
bool IsPrefixOperator(const std::string& text) { return text == "-" || text == "not"; }

bool IsKeyword(antlr4::tree::ParseTree* node, const char* word) {
  auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(node);
  return terminal && terminal->getText() == word;
}

// Where the levels above a node come from, so the error can blame the largest part. Each
// expression is one level, whatever it is (an operator, a bracketed expression, a call, an
// index, a name), so `a + b + c`, which is `(a + b) + c`, nests three deep; each block is one
// level, and so is each `else if`, which the AST nests like a block. These are the AST's levels:
// the AST drops brackets and the IR adds at most one level (`x += e`), so both are no deeper.
struct Path {
  int exprs = 0;
  int blocks = 0;
  int else_ifs = 0;
  const antlr4::Token* outermost_expr = nullptr;
  const antlr4::Token* innermost_block = nullptr;
  const antlr4::Token* deepest_else_if = nullptr;  // its `if`

  int nesting() const { return exprs + blocks + else_ifs; }

  Path Enter(antlr4::tree::ParseTree* node) const {
    Path inside = *this;
    if (auto* expr = dynamic_cast<RaceCheckParser::ExprContext*>(node)) {
      ++inside.exprs;
      if (!inside.outermost_expr) inside.outermost_expr = expr->getStart();
    } else if (auto* block = dynamic_cast<RaceCheckParser::BlockContext*>(node)) {
      ++inside.blocks;
      inside.innermost_block = block->getStart();
    }
    return inside;
  }
};

void ReportTooDeep(const Path& path, base::DiagnosticEngine& diags) {
  if (path.exprs >= path.else_ifs && path.exprs >= path.blocks) {
    diags.Error(LocationOf(path.outermost_expr),
                fmt::format("this expression nests more than {} levels deep: a chain such as `a + b + c` nests one "
                            "level per operator, and brackets, calls, indexes and the blocks around it add more; "
                            "group it with brackets, as (a + b + c) + (d + e + f), or split it into several `let`s, "
                            "consts or properties", kMaxNesting));
  } else if (path.else_ifs >= path.blocks) {
    diags.Error(LocationOf(path.deepest_else_if),
                fmt::format("this `else if` nests more than {} levels deep: each `else if` of a chain is one level "
                            "more, like a block around it; split the chain in two, as `if x < 100 {{ first half }} "
                            "else {{ second half }}`", kMaxNesting));
  } else {
    diags.Error(LocationOf(path.innermost_block),
                fmt::format("this block nests more than {} levels deep (each block, `else if` and expression "
                            "around it is one level); flatten the code around it", kMaxNesting));
  }
}

}  // namespace

bool CheckTokenNesting(antlr4::CommonTokenStream& tokens, base::DiagnosticEngine& diags) {
  int depth = 0;
  int prefix_run = 0;
  for (antlr4::Token* token : tokens.getTokens()) {
    const std::string text = token->getText();
    if (IsOpening(text)) ++depth;
    if (IsClosing(text) && depth > 0) --depth;
    prefix_run = IsPrefixOperator(text) ? prefix_run + 1 : 0;
    if (depth + prefix_run > kMaxBracketNesting) {
      diags.Error(LocationOf(token), fmt::format("brackets and prefix operators nest more than {} levels deep here; "
                                                 "split the expression or the block into smaller parts",
                                                 kMaxBracketNesting));
      return false;
    }
  }
  return true;
}

bool CheckTreeNesting(RaceCheckParser::ModelContext* tree, base::DiagnosticEngine& diags) {
  struct Pending {
    antlr4::tree::ParseTree* node;
    Path path;  // the node's own level included
  };
  std::vector<Pending> todo{{tree, Path{}}};
  std::vector<Pending> children;
  bool fine = true;
  while (!todo.empty()) {
    Pending pending = todo.back();
    todo.pop_back();
    // Visited in source order: the first place too deep in a declaration is reported, and the
    // rest of the declaration skipped (everything below that place is too deep as well).
    if (pending.path.nesting() > kMaxNesting) {
      ReportTooDeep(pending.path, diags);
      fine = false;
      while (!todo.empty() && !dynamic_cast<RaceCheckParser::TopDeclContext*>(todo.back().node)) todo.pop_back();
      continue;
    }
    // An else-if chain is flat in the parse tree: what follows its k-th `else if` is k levels deeper.
    bool chain = dynamic_cast<RaceCheckParser::IfStmtContext*>(pending.node) != nullptr;
    Path siblings = pending.path;
    children.clear();
    for (size_t i = 0; i < pending.node->children.size(); ++i) {
      antlr4::tree::ParseTree* child = pending.node->children[i];
      if (chain && i > 0 && IsKeyword(child, "if") && IsKeyword(pending.node->children[i - 1], "else")) {
        ++siblings.else_ifs;
        siblings.deepest_else_if = dynamic_cast<antlr4::tree::TerminalNode*>(child)->getSymbol();
      }
      children.push_back({child, siblings.Enter(child)});
    }
    todo.insert(todo.end(), children.rbegin(), children.rend());
  }
  return fine;
}

}  // namespace racecheck::frontend
