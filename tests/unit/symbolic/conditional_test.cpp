// `if c then a else b` in both engines: in process code, SQL and properties; only the branch
// taken is evaluated, so only its arithmetic can fail (docs/language.md, "Conditional expression").
#include <gtest/gtest.h>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

TEST(Conditional, OnlyTheBranchTakenIsChecked) {
  result::Report safe = Agreed(R"(
model m
param b in 2147483640..2147483647
process P {
    let x = if b < 2147483647 then b + 1 else b
    assert x >= b
}
)");
  EXPECT_EQ(safe.verdict, Verdict::kSafe);
  result::Report overflow = Agreed(R"(
model m
param b in 2147483640..2147483647
process P {
    let x = if b > 2147483645 then b + 2 else b
}
)");
  ASSERT_EQ(overflow.verdict, Verdict::kViolation);
  EXPECT_EQ(overflow.violations[0].kind, ViolationKind::kRuntimeError);
}

TEST(Conditional, InSqlAndProperties) {
  result::Report report = Agreed(R"(
model m
table accounts(id key, balance) { (1, 100) }
process P[2] {
    update accounts set balance = if balance >= 60 then balance - 60 else balance where id = 1
}
invariant nonneg: (if accounts[1].balance >= 0 then 1 else 0) == 1
final forty: accounts[1].balance == (if true then 40 else 0)
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(Conditional, BoolAndEnumBranches) {
  result::Report report = Agreed(R"(
model m
enum Phase { idle, busy }
shared phase = idle
shared flag = false
process P[2] {
    let p = phase
    phase = if p == idle then busy else idle
    flag = if self == 0 then true else flag
}
final flipped: phase == idle or phase == busy
cover both: phase == idle
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// NULL as the condition: SQL takes the else branch (a CASE WHEN over unknown does), process code
// stops with a runtime error as `if` does (docs/language.md, "Conditional expression").
TEST(Conditional, ANullConditionTakesElseInSqlAndFailsInProcessCode) {
  result::Report sql = Agreed(R"(
model sql
table t(id key, v null, w) { (1, null, 0) }
process P {
    update t set w = if v > 0 then 1 else 2 where id = 1
}
final else_taken: t[1].w == 2
)");
  EXPECT_EQ(sql.verdict, Verdict::kSafe);
  result::Report code = Agreed(R"(
model code
shared flag = true
process P {
    let f = flag
    f = null
    let x = if f then 1 else 2
}
)");
  ASSERT_EQ(code.verdict, Verdict::kViolation);
  EXPECT_EQ(code.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(code.violations[0].message.find("null in 'if ... then'"), std::string::npos) << code.violations[0].message;
}

}  // namespace
}  // namespace racecheck::symbolic::testing
