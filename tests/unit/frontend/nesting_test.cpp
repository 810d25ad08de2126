// Unit tests of the nesting limits (issue 13): right at kMaxNesting a model parses, checks,
// lowers and prints; one level more is a located error, never a stack overflow.
#include <gtest/gtest.h>

#include <string>

#include "checker/ast/printer.h"
#include "checker/frontend/analyze.h"
#include "checker/frontend/parse.h"
#include "checker/ir/lower.h"

namespace racecheck::frontend {
namespace {

// Parses, checks, lowers and prints `text`; returns the diagnostics, empty when all went well.
std::string Compile(const std::string& text) {
  base::SourceFile file("test.cr", text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = ParseAndCheck(file, {}, diags);
  if (!model) return diags.Render();
  std::optional<ir::Program> program = ir::Lower(*model, file, diags);
  if (!program) return diags.Render();
  EXPECT_FALSE(ast::PrintModel(*model).empty());
  return "";
}

std::string Chain(const std::string& term, int terms, const std::string& separator) {
  std::string out = term;
  for (int i = 1; i < terms; ++i) out += separator + term;
  return out;
}

// Each shape below nests exactly `levels` deep, counted as parse.h says: one level per
// expression (so one per term of a chain), block and `else if`.

// The process block, then one level per term.
std::string PlusChain(int levels) {
  return "model m\nshared x = 0\nprocess P {\n  let a = 1\n  x = " + Chain("a", levels - 1, " + ") + "\n}\n";
}

std::string ConstChain(int levels) { return "model m\nconst C = " + Chain("1", levels, " + ") + "\nshared x = C\n"; }

std::string OrChain(int levels) {
  return "model m\nshared ok = true\nprocess P { ok = false }\ninvariant some: " + Chain("ok", levels, " or ") + "\n";
}

// The process block, one level per `else if`, then the `1` of `x = 1` in the last block, two
// levels below the chain like the `0` of `a == 0`: levels - 3 else-ifs.
std::string ElseIfChain(int levels) {
  std::string text = "model m\nshared x = 0\nprocess P {\n  let a = 1\n  if a == 0 { x = 1 }";
  for (int i = 1; i <= levels - 3; ++i) text += "\n  else if a == " + std::to_string(i % 7) + " { x = 1 }";
  return text + "\n  else { x = 1 }\n}\n";
}

// Levels add up across blocks and expressions: the process block, 50 nested blocks, then a chain.
std::string BlocksThenChain(int levels) {
  std::string text = "model m\nshared x = 0\nprocess P {\n  let a = 1\n";
  for (int i = 0; i < 50; ++i) text += "  if a > 0 {\n";
  text += "  x = " + Chain("a", levels - 51, " - ") + "\n";
  for (int i = 0; i < 50; ++i) text += "  }\n";
  return text + "}\n";
}

struct Shape {
  const char* name;
  std::string (*make)(int levels);
  const char* error;  // the start of the error one level past the limit
};

const Shape kShapes[] = {
    {"a + chain in a process", PlusChain, "test.cr:5:7: error: this expression nests more than 250 levels deep"},
    {"a + chain in a const", ConstChain, "test.cr:2:11: error: this expression nests more than 250 levels deep"},
    {"an or chain in an invariant", OrChain, "test.cr:4:17: error: this expression nests more than 250 levels deep"},
    {"an else-if chain", ElseIfChain, "test.cr:253:8: error: this `else if` nests more than 250 levels deep"},
    {"blocks, then a chain", BlocksThenChain, "test.cr:55:7: error: this expression nests more than 250 levels deep"},
};

TEST(Nesting, TheLimitIsWhatTheMessagesSay) { EXPECT_EQ(kMaxNesting, 250); }

TEST(Nesting, ModelsRightAtTheLimitParseCheckLowerAndPrint) {
  for (const Shape& shape : kShapes) {
    EXPECT_EQ(Compile(shape.make(kMaxNesting)), "") << shape.name;
  }
}

TEST(Nesting, OneLevelMoreIsALocatedError) {
  for (const Shape& shape : kShapes) {
    std::string errors = Compile(shape.make(kMaxNesting + 1));
    EXPECT_EQ(errors.rfind(shape.error, 0), 0u) << shape.name << "\n" << errors.substr(0, 400);
    EXPECT_NE(errors.find("1 error in test.cr"), std::string::npos) << shape.name;
  }
}

TEST(Nesting, ALongElseIfChainIsAnErrorNotACrash) {
  // From issue 13's adversarial run: 20,000 else-ifs overflowed the parser's stack. Generated
  // here rather than kept as a golden file, which would be over 200 KB.
  std::string errors = Compile(ElseIfChain(20000));
  EXPECT_NE(errors.find("error: this `else if` nests more than 250 levels deep"), std::string::npos)
      << errors.substr(0, 400);
}

TEST(Nesting, BlamesTheLargestPart) {
  // 98 blocks (the process, 96 ifs, the last else-if's), 80 else-ifs and a chain: the blocks are
  // the largest part, so the innermost block is blamed.
  std::string text = "model m\nshared x = 0\nprocess P {\n  let a = 1\n";
  for (int i = 0; i < 96; ++i) text += "  if a > 0 {\n";
  text += "  if a == 0 { x = 0 }";
  for (int i = 1; i <= 80; ++i) text += " else if a == " + std::to_string(i) + " { x = " + Chain("a", 80, " + ") + " }";
  for (int i = 0; i < 96; ++i) text += "\n  }";
  std::string errors = Compile(text + "\n}\n");
  EXPECT_EQ(errors.rfind("test.cr:101:", 0), 0u) << errors.substr(0, 400);
  EXPECT_NE(errors.find("error: this block nests more than 250 levels deep"), std::string::npos)
      << errors.substr(0, 400);
}

TEST(Nesting, AnElseIfChainNestsInTheAst) {
  const std::string text = "model m\nshared x = 0\nprocess P {\n  let a = 1\n"
                           "  if a == 0 { x = 0 } else if a == 1 { x = 1 } else if a == 2 { x = 2 } else { x = 3 }\n"
                           "  if a == 0 { x = 0 } else if a == 1 { x = 1 }\n}\n";
  base::SourceFile file("test.cr", text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = ParseAndCheck(file, {}, diags);
  ASSERT_TRUE(model) << diags.Render();
  const ast::Block& body = model->processes[0].body;
  ASSERT_EQ(body.size(), 3u);
  const ast::Stmt* clause = body[1].get();
  for (int column : {3, 28, 53}) {
    ASSERT_EQ(clause->kind, ast::StmtKind::kIf);
    EXPECT_EQ(clause->range.begin.line, 5);
    EXPECT_EQ(clause->range.begin.column, column);
    EXPECT_EQ(clause->range.end.column, 87) << "every clause ends where the chain ends";
    ASSERT_TRUE(clause->has_else);
    ASSERT_EQ(clause->else_body.size(), 1u);
    clause = clause->else_body[0].get();
  }
  EXPECT_EQ(clause->kind, ast::StmtKind::kAssign);
  const ast::Stmt& second = *body[2];
  ASSERT_EQ(second.else_body.size(), 1u);
  EXPECT_FALSE(second.else_body[0]->has_else);
  EXPECT_TRUE(second.else_body[0]->else_body.empty());
}

}  // namespace
}  // namespace racecheck::frontend
