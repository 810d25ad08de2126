// The z3 engine's cheaper encodings (docs/z3-encoding.md): SSI's edges kept once per pair, and
// definitions as narrow as their values. Each model's verdict is stated, and both engines must
// give it with the same trace, so a wrong shortcut shows as a missed or a made-up violation.
#include <gtest/gtest.h>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

// Three transactions, each reading the row the next one writes: a cycle of rw-antidependencies,
// whichever order they run in. SSI must fail one of them; every edge is between a different pair,
// in both directions of the shared slots.
TEST(SymbolicSsiEncoding, ACycleOfThreeFailsATransaction) {
  result::Report report = Agreed(R"(
model cycle
table t(id key, v) { (1, 0), (2, 0), (3, 0) }
ghost failed = 0
process A {
    transaction isolation serializable {
        let x = select v from t where id = 2
        update t set v = x + 1 where id = 1
    } on failure {
        failed += 1
    }
}
process B {
    transaction isolation serializable {
        let y = select v from t where id = 3
        update t set v = y + 1 where id = 2
    } on failure {
        failed += 1
    }
}
process C {
    transaction isolation serializable {
        let z = select v from t where id = 1
        update t set v = z + 1 where id = 3
    } on failure {
        failed += 1
    }
}
invariant no_failure: failed == 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "no_failure");
}

// Two readers of the row one writer changes: the writer has two edges in and none out, the
// readers one out each and none in. No transaction is ever a pivot, so none may fail: an edge
// kept on the wrong side (the writer's kSsiOut) would fail the writer.
TEST(SymbolicSsiEncoding, EdgesIntoOneWriterFailNoTransaction) {
  result::Report report = Agreed(R"(
model fan_in
table t(id key, v) { (1, 0), (2, 0), (3, 0) }
ghost failed = 0
process Reader[2](mine = 2 + self) {
    transaction isolation serializable {
        let x = select v from t where id = 1
        update t set v = x + 1 where id = mine
    } on failure {
        failed += 1
    }
}
process Writer {
    transaction isolation serializable {
        update t set v = 7 where id = 1
    } on failure {
        failed += 1
    }
}
invariant no_failure: failed == 0
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// A transaction's edges go when it rolls back: the second attempt of a writer whose reader gave up
// starts with none. Retries begin new transactions on the same instance, so its sets are
// cleared and set again.
TEST(SymbolicSsiEncoding, RetriedWriteSkewEndsWithOneDoctorOnCall) {
  result::Report report = Agreed(R"(
model oncall_retry
table doctors(id key, on_call) { (1, 1), (2, 1), (3, 1) }
process Doctor[2](me = 1 + self) {
    transaction isolation serializable {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    } on failure retry at most 2
}
invariant someone_on_call: doctors[1].on_call + doctors[2].on_call + doctors[3].on_call >= 2
)");
  // Both doctors go off call one after the other (the second sees two left): 3 - 2 = 1.
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "someone_on_call");
}

// Definitions narrower than 32 bits (Engine::Define): a slot that held small numbers must still
// take a wide or negative one, through either branch of a choice.
TEST(SymbolicNarrowDefinitions, ASlotOfSmallValuesStillTakesAWideOne) {
  result::Report report = Agreed(R"(
model wide
shared x = 0
process P {
    x = 1
    choose c in 0..1
    if c == 0 {
        x = 2
    } else {
        x = -5
    }
    x = 2147483647
}
invariant not_negative: x >= 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "not_negative");
}

TEST(SymbolicNarrowDefinitions, ACounterGrowsPastTheBitsItStartedWith) {
  result::Report report = Agreed(R"(
model counter
shared x = 0
process P[5] {
    x = x + 1
}
invariant below_five: x < 5
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "below_five");
}

TEST(SymbolicNarrowDefinitions, TheLargestValueOfAnySmallSlotIsReached) {
  result::Report report = Agreed(R"(
model flags
shared x = 0
process P[3] {
    let v = x
    x = v * 2 + 1
}
invariant below_seven: x < 7
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "below_seven");
}

// A pending version keeps no copy of a column no update sets (DbEncoder::Run::PendingSlot): the
// transaction that updated a row must still read that column, on its own pending version, as
// the committed value. A copy read as 0 would leave 90 in each row.
TEST(SymbolicLeanerDatabase, AColumnNoUpdateSetsIsReadOnTheOwnPendingVersion) {
  result::Report report = Agreed(R"(
model own_pending
table accounts(id key, fee, balance) { (1, 7, 100), (2, 8, 100) }
process P[2](me = 1 + self) {
    transaction {
        update accounts set balance = balance - 10 where id = me
        let f = select fee from accounts where id = me for update
        update accounts set balance = balance - f where id = me
    }
}
final charged: accounts[1].balance == 83 and accounts[2].balance == 82
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// A statement's result that nothing reads (a select run for its row lock) keeps no value in the
// z3 engine's frames (ir::LiveLocals): the formula is the one of the statement without a result.
TEST(SymbolicLeanerDatabase, AResultNothingReadsCostsNoVariable) {
  auto model = [](const std::string& lock, const std::string& after) {
    return R"(
model lock_then_move
table accounts(id key, balance) { (1, 100), (2, 100) }
process Transfer[2](from_id = 1 + self, to_id = 2 - self) {
    transaction {
        )" + lock + R"(
        update accounts set balance = balance - 10 where id = from_id
        update accounts set balance = balance + 10 where id = to_id
        )" + after + R"(
    }
}
final conserved: accounts[1].balance + accounts[2].balance == 200
)";
  };
  const std::string select = "select balance from accounts where id = from_id for update";
  result::Report bare = Agreed(model(select, ""));
  result::Report unread = Agreed(model("let mine = " + select, ""));
  result::Report read = Agreed(model("let mine = " + select, "assert mine >= 0"));
  EXPECT_EQ(bare.verdict, unread.verdict);
  EXPECT_EQ(bare.violations.size(), unread.violations.size());
  EXPECT_EQ(unread.stats.solver_variables, bare.stats.solver_variables);
  // The check can tell: a result that is read is kept.
  EXPECT_GT(read.stats.solver_variables, unread.stats.solver_variables);
}

// A local read only within the step that writes it (the balance tested before the update) is
// dead where the step ends, so the frames keep no value of it; read again later, it is kept.
TEST(SymbolicLeanerDatabase, ALocalDeadWhereItsStepEndsCostsNoVariable) {
  auto model = [](const std::string& after) {
    return R"(
model check_then_take
table accounts(id key, balance) { (1, 15) }
process Take[2](amount = 10) {
    transaction {
        let f = select balance from accounts where id = 1 for update
        if f >= amount {
            update accounts set balance = balance - amount where id = 1
        }
        )" + after + R"(
    }
}
final never_negative: accounts[1].balance >= 0
)";
  };
  result::Report dead = Agreed(model(""));
  result::Report live = Agreed(model("assert f >= 0"));
  EXPECT_EQ(dead.verdict, Verdict::kSafe);
  EXPECT_EQ(live.verdict, Verdict::kSafe);
  EXPECT_LT(dead.stats.solver_variables, live.stats.solver_variables);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
