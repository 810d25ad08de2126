// Failure handlers in both engines: the failure a handler names (`on failure(e)`), handlers that
// take only some failures, and handlers on autocommit statements (docs/semantics.md, "Failures").
#include <gtest/gtest.h>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

constexpr const char* kTransfer = R"(
model m
table accounts(id key, balance) { (1, 100), (2, 50) }
ghost deadlocks = 0
process T[2](from_id = 1 + self, to_id = 2 - self) {
    transaction {
        update accounts set balance = balance - 10 where id = from_id
        update accounts set balance = balance + 10 where id = to_id
    } HANDLER
}
final conservation: accounts[1].balance + accounts[2].balance == 150
)";

std::string Transfer(const std::string& handler, const std::string& extra = "") {
  std::string text = kTransfer;
  return text.replace(text.find("HANDLER"), 7, handler) + extra;
}

TEST(Failures, TheHandlerSeesWhichFailureItIs) {
  result::Report handled =
      Agreed(Transfer("on failure(e) { if e == deadlock_detected { deadlocks += 1 } }",
                      "cover one_deadlock: deadlocks == 1\ninvariant never_two: deadlocks <= 1\n"));
  EXPECT_EQ(handled.verdict, Verdict::kSafe);
  result::Report wrong = Agreed(Transfer("on failure(e) { assert e == unique_violation }"));
  ASSERT_EQ(wrong.verdict, Verdict::kViolation);
  EXPECT_EQ(wrong.violations[0].kind, ViolationKind::kAssert);
}

TEST(Failures, ARetryOfOtherFailuresLeavesTheDeadlockUnhandled) {
  result::Report other = Agreed(Transfer("on failure(serialization_failure, unique_violation) retry at most 2"));
  ASSERT_EQ(other.verdict, Verdict::kViolation);
  EXPECT_EQ(other.violations[0].kind, ViolationKind::kFailure);
  EXPECT_NE(other.violations[0].message.find("deadlock detected (40P01)"), std::string::npos);
  // Retried deadlocks can still run out (a victim's retry may lock the row it freed before the
  // woken waiter does, docs/semantics.md), but only after the retries: a longer shortest run.
  result::Report retried = Agreed(Transfer("on failure(deadlock_detected) retry at most 2"));
  ASSERT_EQ(retried.verdict, Verdict::kViolation);
  EXPECT_GT(retried.violations[0].trace.size(), other.violations[0].trace.size());
}

TEST(Failures, ABlockForOtherFailuresLeavesTheDeadlockUnhandled) {
  result::Report other = Agreed(Transfer("on failure(unique_violation) { deadlocks += 1 }"));
  ASSERT_EQ(other.verdict, Verdict::kViolation);
  EXPECT_EQ(other.violations[0].kind, ViolationKind::kFailure);
  EXPECT_EQ(Agreed(Transfer("on failure(deadlock_detected, unique_violation) { deadlocks += 1 }")).verdict,
            Verdict::kSafe);
}

constexpr const char* kSignup = R"(
model m
table users(id key, name) { }
ghost taken = 0
process Signup[2] {
    insert into users values (1, self) HANDLER
}
final one_taken: taken == 1
)";

TEST(Failures, AnAutocommitStatementTakesAHandler) {
  std::string text = kSignup;
  std::string unhandled = text;
  unhandled.replace(unhandled.find("HANDLER"), 7, "");
  unhandled.erase(unhandled.find("final"));
  result::Report failing = Agreed(unhandled);
  ASSERT_EQ(failing.verdict, Verdict::kViolation);
  EXPECT_NE(failing.violations[0].message.find("unique violation (23505"), std::string::npos);

  std::string handled = text;
  handled.replace(handled.find("HANDLER"), 7, "on failure(e) { if e == unique_violation { taken += 1 } }");
  EXPECT_EQ(Agreed(handled).verdict, Verdict::kSafe);
  std::string retried = text;
  retried.replace(retried.find("HANDLER"), 7, "on failure(unique_violation) retry at most 2");
  result::Report exhausted = Agreed(retried);
  ASSERT_EQ(exhausted.verdict, Verdict::kViolation);
  EXPECT_EQ(exhausted.violations[0].kind, ViolationKind::kFailure);
}

TEST(Failures, ASerializableInsertOfARowItCannotSeeFailsAsASerializationFailure) {
  // Both read the (empty) table, then insert the same key: the second one's row came after its
  // snapshot, so PostgreSQL reports 40001 rather than 23505.
  result::Report report = Agreed(R"(
model m
table users(id key, name) { }
process Signup[2] {
    transaction isolation serializable {
        let n = select count(*) from users where id = 1
        if n == 0 { insert into users values (1, self) }
    } on failure(e) { assert e == unique_violation }
}
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kAssert);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
