// Every arithmetic result must fit in 32 bits (issue 13; ir/arith.h): the z3 engine reports the
// same runtime error as the explicit engine, at the same step, wherever the operation is, and
// intermediate results are no exception (b + 1 > b with b = 2147483647 used to hold in both).
#include <gtest/gtest.h>

#include <string>

#include "checker/symbolic/symbolic.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

// The explicit engine's verdict, which the z3 engine must share (Agreed checks the message and
// the trace too): a runtime error at `line`, or safe when `line` is 0.
void ExpectBoth(const std::string& text, int line) {
  result::Report report = Agreed(text);
  if (line == 0) {
    EXPECT_EQ(report.verdict, Verdict::kSafe) << text;
    return;
  }
  ASSERT_EQ(report.verdict, Verdict::kViolation) << text;
  ASSERT_FALSE(report.violations.empty());
  const result::Violation& v = report.violations[0];
  EXPECT_EQ(v.kind, ViolationKind::kRuntimeError) << v.message;
  EXPECT_NE(v.message.find("arithmetic overflow: "), std::string::npos) << v.message;
  EXPECT_NE(v.message.find(" at line " + std::to_string(line) + " "), std::string::npos) << v.message;
}

// One process that reads b and computes `expr` from its copy x.
std::string Compute(const std::string& initial, const std::string& expr) {
  return "model m\nshared b = " + initial + "\nshared r = 0\nprocess P {\n    let x = b\n    if " + expr +
         " {\n        r = 1\n    }\n}\n";
}

TEST(SymbolicArithmetic, AComparisonOfASumPast32BitsFails) {
  ExpectBoth(Compute("2147483647", "x + 1 > x"), 6);
  ExpectBoth(Compute("2147483646", "x + 1 > x"), 0);
  ExpectBoth(Compute("-2147483647", "x - 1 < x"), 6);
}

TEST(SymbolicArithmetic, ProductsPast32BitsFail) {
  ExpectBoth(Compute("65536", "x * x > 0"), 6);
  ExpectBoth(Compute("46340", "x * x > 0"), 0);
  // -2147483648 is NULL: no product gives it (issue 11).
  ExpectBoth(Compute("-65536", "x * 32768 < 0"), 6);
  ExpectBoth(Compute("-65535", "x * 32768 < 0"), 0);
  ExpectBoth(Compute("-65536", "x * 32769 < 0"), 6);
}

TEST(SymbolicArithmetic, TheSmallestIntegerHasANegation) {
  // Issue 11: integers run -2147483647..2147483647 (-2147483648 is NULL).
  ExpectBoth(Compute("-2147483647", "-(x) > 0"), 0);
  ExpectBoth(Compute("-2147483647", "abs(x) > 0"), 0);
  ExpectBoth(Compute("-2147483647", "x / (0 - 1) > 0"), 0);
  ExpectBoth(Compute("-2147483647", "x % (0 - 1) == 0"), 0);
  ExpectBoth(Compute("-2147483646", "x - 2 < 0"), 6);
}

TEST(SymbolicArithmetic, AnIntermediateBroughtBackIntoRangeStillFails) {
  ExpectBoth(Compute("2147483647", "(x + 1) - 1 == x"), 6);
  ExpectBoth(Compute("2147483647", "(x - 1) + 1 == x"), 0);
  ExpectBoth(Compute("100000", "(x * x) / x == x"), 6);
  // Stored, as before: the store is where it used to be noticed.
  ExpectBoth("model m\nshared b = 2147483647\nprocess P {\n    let x = b\n    b = (x + 1) - 1\n}\n", 5);
}

TEST(SymbolicArithmetic, PropertiesAndSqlFollowTheSameRule) {
  result::Report property =
      Agreed("model m\nshared b = 2147483646\nprocess P {\n    b = 2147483647\n}\ninvariant grows: b + 1 > b\n");
  ASSERT_EQ(property.verdict, Verdict::kViolation);
  EXPECT_EQ(property.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(property.violations.at(0).message.find("in invariant grows"), std::string::npos);
  ExpectBoth(R"(model m
table accounts(id key, balance) { (1, 2147483647) }
process P {
    update accounts set balance = balance + 1 - 1 where id = 1
}
)",
             4);
  ExpectBoth(R"(model m
table accounts(id key, balance) { (1, 2147483647) }
shared found = 0
process P {
    let n = select count(*) from accounts where balance + 1 > 0
    found = n
}
)",
             5);
}

TEST(SymbolicArithmetic, TheSolverFindsTheOneValueThatOverflows) {
  // Too many values for the explicit engine: the z3 engine alone, its run replayed.
  ir::Program program = Must(R"(model m
param p in 0..2147483647
shared r = 0
process P {
    let x = p
    if x + 1 > x {
        r = 1
    }
}
)");
  driver::SymbolicOutcome z3 = driver::RunSymbolic(program, {});
  EXPECT_EQ(z3.internal_error, "");
  ASSERT_EQ(z3.report.verdict, Verdict::kViolation);
  const result::Violation& v = z3.report.violations.at(0);
  EXPECT_EQ(v.kind, ViolationKind::kRuntimeError);
  EXPECT_NE(v.message.find("2147483647 + 1 = 2147483648"), std::string::npos) << v.message;
  // Integer arithmetic (a range of 1001 values), where the 32-bit bounds are comparisons: both
  // engines meet 716 first, the smallest amount whose product overflows.
  result::Report both = Agreed(R"(model m
param p in 0..1000
shared r = 0
process P {
    let x = p
    r = x * 3000000 / 3000000
}
)");
  ASSERT_EQ(both.verdict, Verdict::kViolation);
  EXPECT_NE(both.violations.at(0).message.find("716 * 3000000 = 2148000000"), std::string::npos)
      << both.violations.at(0).message;
}

}  // namespace
}  // namespace racecheck::symbolic::testing
