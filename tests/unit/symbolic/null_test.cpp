// NULL in both engines (issue 11): each rule of ir/null.h, run by the explicit engine and the
// z3 engine, which must agree on the verdict and the first violation.
#include <gtest/gtest.h>

#include "checker/ir/program.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

TEST(SymbolicNull, ThreeValuedLogicInSqlAgrees) {
  result::Report report = Agreed(R"(
model kleene
table t(id key, v null, w) { (1, null, 3), (2, 4, 5) }
process P {
    let a = select count(*) from t where not (v = 1)
    let b = select count(*) from t where v = 1 or w = 3
    let c = select count(*) from t where v + 1 > 0 and w > 0
    // Row 1: unknown and false is false, so not (...) is true there.
    let d = select count(*) from t where not (v = 4 and w = 6)
    let e = select count(v) from t
    let s = select sum(v) from t where id = 1
    let m = select v from t where id = 9
    assert a == 1 and b == 1 and c == 1 and d == 2 and e == 1
    assert s is null and m == null and coalesce(m, s, 7) == 7
}
expect safe
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicNull, NullArithmeticInProcessCodeIsARuntimeErrorInBoth) {
  result::Report report = Agreed(R"(
model arith
table t(id key, v null) { (1, null) }
process P {
    let x = select v from t where id = 1
    let y = x * 2
}
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(report.violations.at(0).message.find("null in '*'"), std::string::npos) << report.violations[0].message;
}

TEST(SymbolicNull, ANullConditionIsARuntimeErrorInBoth) {
  result::Report report = Agreed(R"(
model condition
shared flag = true
process P {
    let f = flag
    f = null
    if f { skip }
}
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_NE(report.violations.at(0).message.find("null as the condition of an if or while"), std::string::npos)
      << report.violations[0].message;
}

TEST(SymbolicNull, NotNullViolationFailsTheTransactionInBoth) {
  result::Report report = Agreed(R"(
model not_null
table t(id key, owner null, tries) { (1, null, 0) }
ghost failed = 0
process P[2] {
    transaction {
        let o = select owner from t where id = 1
        update t set tries = o, owner = self where id = 1
    } on failure {
        failed += 1
    }
}
invariant none_failed: failed == 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "none_failed");
}

TEST(SymbolicNull, AMissingRowReadsNullInProperties) {
  result::Report report = Agreed(R"(
model missing
table t(id key, v) { (1, 5) }
process P {
    delete from t where id = 1
}
invariant present: t[1].v != null
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "present");
}

TEST(SymbolicNull, ARacyClaimOfANullableColumnIsFound) {
  result::Report report = Agreed(R"(
model claim
table jobs(id key, claimed_by null) { (1, null) }
ghost runs = 0
process W[2] {
    let o = select claimed_by from jobs where id = 1
    if o is null {
        update jobs set claimed_by = self where id = 1
        runs += 1
    }
}
invariant once: runs <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "once");
}

}  // namespace
}  // namespace racecheck::symbolic::testing
