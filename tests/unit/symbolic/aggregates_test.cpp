// Aggregates in both engines (issue 11): min and max in a select, and count, exists and sum over a
// table's committed rows in properties. Each model runs in the explicit engine and the z3 engine,
// which must agree on the verdict and the first violation.
#include <gtest/gtest.h>

#include "checker/ir/program.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

// Both engines find the model safe.
void ExpectSafe(const std::string& model) { EXPECT_EQ(Agreed(model).verdict, Verdict::kSafe); }

// Both engines find a runtime error first, in these words.
void ExpectRuntimeError(const std::string& model, const std::string& words) {
  result::Report report = Agreed(model);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(report.violations.at(0).message.find(words), std::string::npos) << report.violations[0].message;
}

TEST(SymbolicAggregates, MinAndMaxSkipNullsAndGiveNullOverNoValue) {
  ExpectSafe(R"(
model min_max
table t(id key, v null, w) { (1, null, 3), (2, 4, -5), (3, 9, 0) }
process P {
    let (a, b) = select min(v), max(v) from t
    let (c, d) = select min(w), max(w) from t where v is not null
    let (e, f) = select min(v), max(w) from t where id = 1
    let (g, h) = select min(v), max(v) from t where id > 5
    assert a == 4 and b == 9 and c == -5 and d == 0
    assert e is null and f == 3 and g is null and h is null
}
expect safe
)");
}

TEST(SymbolicAggregates, MinSeesTheRowsItsSnapshotSees) {
  // Under repeatable read the second min reads the snapshot of the first: the writer's smaller
  // value, committed in between, is not seen.
  ExpectSafe(R"(
model min_snapshot
table t(id key, v) { (1, 5), (2, 7) }
ghost same = true
process Reader {
    transaction isolation repeatable_read {
        let a = select min(v) from t
        let b = select min(v) from t where v > 0
        same = a == b
    }
}
process Writer {
    update t set v = 1 where id = 2
}
invariant stable: same
expect safe
)");
}

TEST(SymbolicAggregates, PropertiesCountCommittedRowsOnly) {
  // The insert and the update are not committed until the transaction ends, so the invariant,
  // false only in the middle of the transaction, holds.
  ExpectSafe(R"(
model committed_only
table t(id key, v null) { (1, null) }
process P {
    transaction {
        insert into t values (2, 5)
        update t set v = 3 where id = 1
        delete from t where id = 2
    }
}
invariant never_two: count(t) <= 1 and not exists(t where v == 5)
final changed: count(t where v == 3) == 1 and sum(t.v) == 3
expect safe
)");
}

TEST(SymbolicAggregates, AnUnknownConditionDoesNotCount) {
  // Row 1's v is NULL: v > 2, not (v > 2) and v != 4 are unknown there, so it counts in none.
  ExpectSafe(R"(
model unknown
table t(id key, v null) { (1, null), (2, 4) }
process P { skip }
invariant a: count(t where v > 2) + count(t where not (v > 2)) == 1
invariant b: count(t where v != 4) == 0 and count(t where v is null or v != 4) == 1
invariant c: sum(t.v where v > 2 or id == 1) == 4 and sum(t.v where id == 1) == null
expect safe
)");
}

TEST(SymbolicAggregates, AWhereClauseReadsSharedValuesAndCells) {
  ExpectSafe(R"(
model outside
const LIMIT = 3
table t(id key, v) { (1, 1), (2, 2) }
table u(id key, w) { (1, 2) }
shared bar = 0
process P {
    bar = 2
    update u set w = 1 where id = 1
}
invariant a: count(t where v > bar and t.v <= LIMIT) + count(t where v == u[1].w) <= 3
final b: count(t where v > bar) == 0 and exists(t where v == u[1].w)
cover c: count(t where v > bar) == 2
expect safe
)");
}

TEST(SymbolicAggregates, ASumOfNoValueIsNullAndArithmeticOnItFails) {
  ExpectRuntimeError(R"(
model sum_null
table t(id key, v null) { (1, null) }
process P {
    insert into t values (2, 6)
}
invariant small: sum(t.v) <= 5
)", "null in '<='");
}

TEST(SymbolicAggregates, ASumOutsideTheIntegersFails) {
  ExpectRuntimeError(R"(
model sum_overflow
table t(id key, v) { (1, 2147483647) }
process P {
    insert into t values (2, 1)
}
invariant positive: sum(t.v) > 0
)", "the sum of t.v is 2147483648");
}

TEST(SymbolicAggregates, AFaultInAWhereClauseFailsTheProperty) {
  // A division by zero in the where clause, on the row P inserts.
  ExpectRuntimeError(R"(
model where_fault
table t(id key, v) { (1, 1) }
process P {
    insert into t values (2, 0)
}
invariant a: count(t where 6 / v > 1) <= 2
)", "division by zero");
}

TEST(SymbolicAggregates, AViolationShowsTheAggregatesValues) {
  result::Report report = Agreed(R"(
model shown
table t(id key, v) { }
process P[2](me = 1 + self) {
    let n = select count(*) from t
    if n == 0 {
        insert into t values (me, me)
    }
}
invariant one: count(t) <= 1
expect violation one
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& v = report.violations.at(0);
  ASSERT_EQ(v.values.size(), 1u);
  EXPECT_EQ(v.values[0].name, "count(t)");
  EXPECT_EQ(v.values[0].value, "2");
}

}  // namespace
}  // namespace racecheck::symbolic::testing
