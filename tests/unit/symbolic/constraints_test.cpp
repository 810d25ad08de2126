// Table constraints in the z3 engine: unique and check constraints, each model run by both engines,
// which must give the same verdict and the same first violation (docs/semantics.md, "Constraints").
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

// Two signups with the same email; `end` closes the first one's transaction.
std::string Signups(const std::string& isolation, const std::string& end) {
  return R"(
model signup
table users(id key, email unique) { }
ghost accounts = 0
ghost refused = 0
process Signup[2] {
    transaction isolation )" + isolation + R"( {
        insert into users values (1 + self, 7)
        )" + end + R"(
    } on failure {
        refused += 1
    }
    accounts += 1
}
final one_account: coalesce(users[1].email, 0) + coalesce(users[2].email, 0) == 7
)";
}

TEST(SymbolicDatabase, ADuplicateOfAUniqueColumnWaitsThenFails) {
  EXPECT_EQ(Agreed(Signups("read_committed", "skip")).verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(Signups("repeatable_read", "skip")).verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(Signups("serializable", "skip")).verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, ADuplicateWhoseTransactionRollsBackIsNoDuplicate) {
  // Every signup rolls back: no account, and no refusal either.
  std::string model = Signups("read_committed", "rollback");
  model.replace(model.find("final one_account"), std::string::npos,
                "final none_refused: refused == 0\ninvariant no_row: users[1].email == null and users[2].email == null\n");
  EXPECT_EQ(Agreed(model).verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, AnUpdateThatWouldDuplicateWaitsThenFails) {
  result::Report report = Agreed(R"(
model rename
table users(id key, email unique) { (1, 7), (2, 8) }
ghost renamed = 0
process Rename[2](row = 1 + self) {
    transaction {
        update users set email = 9 where id = row
    } on failure {
        skip
    }
}
invariant distinct: users[1].email != users[2].email
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, ACheckConstraintFailsTheWithdrawalThatWouldOverdraw) {
  result::Report report = Agreed(R"(
model overdraft
table accounts(id key, balance, check (balance >= 0)) { (1, 100) }
ghost failed = 0
process Withdraw[2] {
    transaction {
        let b = select balance from accounts where id = 1
        update accounts set balance = balance - 80 where id = 1
    } on failure {
        failed += 1
    }
}
final one_fails: failed == 1
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, ACheckOnANullColumnPassesAsUnknownAndFailsOnlyWhenFalse) {
  // PostgreSQL: a check fails only when it is false; NULL (unknown) passes
  // (tests/conformance: test_check_constraint_passes_on_null).
  result::Report report = Agreed(R"(
model coupons
table coupons(id key, discount null, check (discount >= 0 and discount <= 50)) { }
ghost failed = 0
process Add(id = 1, discount = null) {
    transaction {
        insert into coupons (id, discount) values (id, discount)
    } on failure {
        failed += 1
    }
}
process Raise {
    transaction {
        update coupons set discount = 60 where id = 1
    } on failure {
        failed += 1
    }
}
final the_insert_never_fails: failed <= 1
cover inserted_without_discount: coupons[1].id == 1 and coupons[1].discount is null
cover raise_refused: failed == 1
invariant never_above: coupons[1].discount is null or coupons[1].discount <= 50
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.covers_reached.size(), 2u);
}

TEST(SymbolicDatabase, CompositeUniqueAndAViolationFoundByBothEngines) {
  result::Report report = Agreed(R"(
model members
table members(id key, org, email, unique (org, email)) { (1, 1, 7) }
process Join[2](org = 1 + self) {
    insert into members values (2 + self, org, 7)
}
invariant no_second_org_member: members[3].org == 0
)");
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

// Two requests with one idempotency key, charging only when their insert added the row.
std::string Idempotency(const std::string& isolation) {
  return R"(
model idempotency
table payments(k key, amount) { }
ghost charges = 0
ghost failed = 0
process Request[2] {
    transaction isolation )" + isolation + R"( {
        let seen = select count(*) from payments
        let n = insert into payments values (42, 100 + self) on conflict (k) do nothing
        if n == 1 {
            charges += 1
        }
    } on failure {
        failed += 1
    }
}
invariant charged_once: charges <= 1
final charged: charges == 1
)";
}

TEST(SymbolicDatabase, OnConflictDoNothingChargesOnce) {
  EXPECT_EQ(Agreed(Idempotency("read_committed")).verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, OnConflictDoNothingUnderRepeatableReadFailsOnAnUnseenConflict) {
  // The second request fails with 40001 when its snapshot predates the first one's commit; the
  // first has charged, so the card is still charged once.
  EXPECT_EQ(Agreed(Idempotency("repeatable_read")).verdict, Verdict::kSafe);
  EXPECT_EQ(Agreed(Idempotency("serializable")).verdict, Verdict::kSafe);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
