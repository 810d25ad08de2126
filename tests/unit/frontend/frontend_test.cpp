// Unit tests of the front end: the AST builder and every semantic pass.
#include <gtest/gtest.h>

#include <string>

#include "checker/ast/printer.h"
#include "checker/frontend/analyze.h"
#include "checker/frontend/parse.h"
#include "tests/unit/frontend/check_text.h"

namespace racecheck::frontend {
namespace {

using testing::Check;
using testing::Checked;

const char* kWithdraw = R"(model withdraw
runtime threads
const START = 100
shared balance = START
ghost withdrawn = 0
process Withdraw[2](amount = 80) {
    let b = balance
    if b >= amount {
        balance = b - amount
        withdrawn += amount
    }
}
invariant conservation: balance + withdrawn == START
expect violation conservation
)";

TEST(AstBuilder, BuildsTheWithdrawModel) {
  Checked c = Check(kWithdraw);
  ASSERT_TRUE(c.model) << c.errors;
  const ast::Model& m = *c.model;
  EXPECT_EQ(m.name, "withdraw");
  ASSERT_EQ(m.vars.size(), 2u);
  EXPECT_FALSE(m.vars[0].ghost);
  EXPECT_TRUE(m.vars[1].ghost);
  EXPECT_EQ(m.vars[0].type, ast::Type::kInt);
  ASSERT_EQ(m.processes.size(), 1u);
  const ast::ProcessDecl& p = m.processes[0];
  EXPECT_EQ(p.count->int_value, 2);
  ASSERT_EQ(p.body.size(), 2u);
  EXPECT_EQ(p.body[0]->kind, ast::StmtKind::kLet);
  EXPECT_EQ(p.body[1]->kind, ast::StmtKind::kIf);
  EXPECT_EQ(p.body[1]->body.size(), 2u);
  // Locals: the parameter first, then b.
  ASSERT_EQ(p.locals.size(), 2u);
  EXPECT_EQ(p.locals[0].name, "amount");
  EXPECT_EQ(p.locals[1].name, "b");
  EXPECT_EQ(m.expect.kind, ast::ExpectKind::kViolation);
  // Source locations on nodes: `let b = balance` is line 7, column 5.
  EXPECT_EQ(p.body[0]->range.begin.line, 7);
  EXPECT_EQ(p.body[0]->range.begin.column, 5);
}

TEST(FoldConstants, FoldsConstantsIntoProperties) {
  Checked c = Check(kWithdraw);
  ASSERT_TRUE(c.model);
  EXPECT_EQ(ast::ExprText(*c.model->properties[0].expr), "balance + withdrawn == 100");
}

// A comparison of comparisons keeps its parentheses on both sides, or it reads as a chain.
TEST(ExprText, ComparisonsOfComparisonsKeepTheirParentheses) {
  Checked c = Check("model m\nshared a = 1\nshared b = 2\n"
                    "invariant p: (a == 1) == (b == 2) and a + (b - a) >= (a - b) - 1\n");
  ASSERT_TRUE(c.model) << c.errors;
  EXPECT_EQ(ast::ExprText(*c.model->properties[0].expr), "(a == 1) == (b == 2) and a + (b - a) >= a - b - 1");
}

TEST(FoldConstants, AppliesCommandLineOverrides) {
  Checked c = Check(kWithdraw, {{"START", 500, false}});
  ASSERT_TRUE(c.model) << c.errors;
  EXPECT_EQ(ast::ExprText(*c.model->properties[0].expr), "balance + withdrawn == 500");
  EXPECT_TRUE(c.model->consts[0].overridden);
}

TEST(FoldConstants, RejectsOverridesOfUnknownConstants) {
  Checked c = Check(kWithdraw, {{"STRAT", 500, false}});
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("--set STRAT: the model declares no constant 'STRAT'"), std::string::npos) << c.errors;
}

TEST(Diagnostics, SyntaxErrorHasLocationQuoteAndCaret) {
  Checked c = Check("model m\nshared x = 1 +\n");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.errors,
            "test.cr:3:1: error: expected an expression, but found the end of the file\n"
            "    3 | \n"
            "      | ^\n"
            "1 error in test.cr\n");
}

TEST(Diagnostics, NoRawAntlrText) {
  for (const char* bad : {"model", "model m process", "model m shared = ", "model m process P { let }",
                          "model m process P { x[ }", "}{", "model m invariant : x"}) {
    Checked c = Check(bad);
    EXPECT_FALSE(c.model) << bad;
    EXPECT_EQ(c.errors.find("mismatched input"), std::string::npos) << c.errors;
    EXPECT_EQ(c.errors.find("extraneous"), std::string::npos) << c.errors;
    EXPECT_EQ(c.errors.find("no viable"), std::string::npos) << c.errors;
    EXPECT_EQ(c.errors.find("<EOF>"), std::string::npos) << c.errors;
  }
}

TEST(ResolveNames, ReportsEveryUndeclaredNameInOneRun) {
  Checked c = Check("model m\nshared a = 0\nprocess P {\n  a = b\n  a = c\n}\ninvariant i: d == 0\n");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.error_count, 3) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:4:7: error: 'b' is not declared"), std::string::npos) << c.errors;
  EXPECT_NE(c.errors.find("test.cr:7:14: error: 'd' is not declared"), std::string::npos) << c.errors;
}

TEST(ResolveNames, StopsBeforeTypeErrorsCascade) {
  // An undeclared name must not also produce a type error about the same expression.
  Checked c = Check("model m\nshared a = 0\nprocess P { if nope > 1 { a = 1 } }\n");
  EXPECT_EQ(c.error_count, 1) << c.errors;
}

TEST(ResolveNames, LocalsAreBlockScoped) {
  Checked ok = Check("model m\nshared a = 0\nprocess P {\n if a > 0 { let t = 1 } else { let t = 2 }\n}\n");
  EXPECT_TRUE(ok.model) << ok.errors;
  Checked bad = Check("model m\nshared a = 0\nprocess P {\n if a > 0 { let t = 1 }\n a = t\n}\n");
  EXPECT_FALSE(bad.model);
  EXPECT_NE(bad.errors.find("'t' is declared at line 4, in a block that has ended"), std::string::npos) << bad.errors;
}

TEST(ResolveNames, LocalsMayNotHideGlobals) {
  Checked c = Check("model m\nshared balance = 0\nprocess P { let balance = 1 }\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("would hide a variable declared at line 2"), std::string::npos) << c.errors;
}

TEST(CheckTypes, TupleArityMustMatchTheSelect) {
  Checked c = Check("model m\ntable t(id key, a, b) { (1, 2, 3) }\nprocess P {\n"
                    "  let (x, y) = select a, b from t where id = 1\n"
                    "  let (z, w) = select a from t where id = 1\n}\n");
  EXPECT_FALSE(c.model);
  EXPECT_EQ(c.error_count, 1) << c.errors;
  EXPECT_NE(c.errors.find("this select returns 1 value but 2 names receive them"), std::string::npos) << c.errors;
}

TEST(CheckTypes, ColumnsMustExist) {
  Checked c = Check("model m\ntable t(id key, a) { (1, 2) }\nprocess P { update t set b = 1 where id = 1 }\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("table 't' has no column 'b'"), std::string::npos) << c.errors;
}

TEST(CheckTypes, ConditionsMustBeBool) {
  Checked c = Check("model m\nshared a = 0\nprocess P { while a { skip } }\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("a while condition must be a condition (bool), but this is a number"), std::string::npos)
      << c.errors;
}

TEST(CheckStructure, AwaitOnlyUnderEventLoop) {
  const char* body = "shared a = 0\nprocess P { let v = a\n await\n a = v + 1 }\n";
  EXPECT_FALSE(Check(std::string("model m\nruntime threads\n") + body).model);
  EXPECT_TRUE(Check(std::string("model m\nruntime event_loop\n") + body).model);
  EXPECT_TRUE(Check(std::string("model m\nruntime event_loop(replicas = 2)\n") + body).model);
}

TEST(CheckStructure, BreakMustNotLeaveALockBlock) {
  Checked c = Check("model m\nlock mu\nprocess P { while true { lock mu { break } } }\n");
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("'break' would leave a lock"), std::string::npos) << c.errors;
  EXPECT_TRUE(Check("model m\nlock mu\nprocess P { lock mu { while true { break } } }\n").model);
}

TEST(CheckStructure, TheWholeLanguageParsesAndChecks) {
  Checked c = Check(R"(model everything
runtime event_loop(replicas = 2)
const N = 2
param start in 0..3
shared counter = 0
shared flags[1..2] = {true, false}
ghost total = 0
lock mu
lock row[N]
table accounts(id key, balance, version) { (1, 100, 0), (2, 50, 0) }
redis { balance = 100, lease }
redis nodes[3] { lease }
process Worker[N](amount = 10 * (self + 1), extra in 1..2) on replica self % 2 {
    let v = counter
    await
    counter = v + amount
    total += amount
    counter += 1
    flags[1] = not flags[2]
    choose k in 1..3
    assume k != 2
    assert k <= 3 "k is in range"
    retry at most 3 {
        atomic { if counter > 0 { counter -= 1 } }
        if counter > 100 { continue }
        break
    } else { skip }
    while counter > 50 { counter = counter - 1 }
    lock row[self] { skip }
    acquire mu
    release mu
    transaction isolation repeatable_read {
        let (b, ver) = select balance, version from accounts where id = 1 for update
        let n = update accounts set balance = b - amount, version = ver + 1 where id = 1 and version = ver
        if n == 0 { rollback }
        insert into accounts values (3, 0, 0)
        delete from accounts where id = 3
        let c = select count(*) from accounts where balance >= 0
    } on failure retry at most 2
    let left = redis.DECRBY(balance, amount)
    if left < 0 { let back = redis.INCRBY(balance, amount) }
    let got = redis.SET(lease, self, NX, PX = 30)
    let ok = nodes[self].SET(lease, self, NX, PX = 30)
    redis.eval { let cur = redis.GET(balance)
                 if cur >= amount { let after = redis.DECRBY(balance, amount) } }
    let del = redis.DEL(lease)
}
invariant money: counter >= 0 and accounts[1].balance >= 0 and redis.balance >= -100
final done: total >= 0
cover some: counter > 0
allow deadlock
expect violation money
)");
  EXPECT_TRUE(c.model) << c.errors;
}

TEST(Parse, RefusesOversizedFilesQuickly) {
  std::string huge = "model m\n" + std::string(11 * 1024 * 1024, ' ');
  Checked c = Check(huge);
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("racecheck reads models of at most"), std::string::npos) << c.errors;
}

TEST(Parse, LongButLegalFilesParse) {
  // Many declarations, well under the size limit: parsing must stay linear.
  std::string text = "model m\n";
  for (int i = 0; i < 5000; ++i) text += "shared v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  Checked c = Check(text);
  EXPECT_TRUE(c.model) << c.errors.substr(0, 500);
}

TEST(Parse, BoundsBracketNesting) {
  std::string deep = "model m\nshared x = " + std::string(kMaxBracketNesting + 5, '(') + "1" +
                     std::string(kMaxBracketNesting + 5, ')');
  Checked c = Check(deep);
  EXPECT_FALSE(c.model);
  EXPECT_NE(c.errors.find("brackets and prefix operators nest more than"), std::string::npos);
  std::string fine = "model m\nshared x = " + std::string(50, '(') + "1" + std::string(50, ')');
  EXPECT_TRUE(Check(fine).model);
}

TEST(AstPrinter, IsStable) {
  Checked a = Check(kWithdraw);
  Checked b = Check(kWithdraw);
  ASSERT_TRUE(a.model && b.model);
  EXPECT_EQ(ast::PrintModel(*a.model), ast::PrintModel(*b.model));
  EXPECT_NE(ast::PrintModel(*a.model).find("process Withdraw[2]\n  param amount = 80\n"), std::string::npos);
}

}  // namespace
}  // namespace racecheck::frontend
