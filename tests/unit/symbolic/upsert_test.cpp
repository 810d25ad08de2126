// `insert ... on conflict (...) do update` in the z3 engine: each model run by both engines, which
// must give the same verdict and the same first violation (docs/semantics.md, "Upsert").
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

// Two logins count a failed attempt for email 7 at `isolation`, next to a locker of the row.
std::string Logins(const std::string& isolation, const std::string& tail, const std::string& property) {
  return R"(
model logins
table users(id key, email unique, tries, check (tries <= 4)) { (1, 7, 1) }
ghost failed = 0
ghost counted = 0
process Locker {
    transaction {
        let t = select tries from users where id = 1 for update
        update users set tries = t + 1 where id = 1
    } on failure {
        failed += 1
    }
}
process Login[2] {
    transaction isolation )" + isolation + R"( {
        let c = select count(*) from users
        let n = insert into users values (2 + self, 7, 1 + self) on conflict (email) do update
            set tries = users.tries + excluded.tries)" + tail + R"(
        counted += n
    } on failure {
        failed += 1
    }
}
)" + property + "\n";
}

TEST(SymbolicUpsert, ReadCommittedRefusesExactlyTheAttemptPastTheCheck) {
  // 1 + 1 (Locker) + 1 + 2 = 5 > 4: whichever comes last fails 23514, and only it.
  EXPECT_EQ(Agreed(Logins("read_committed", "", "final one_refused: failed == 1 and users[1].tries >= 3")).verdict,
            Verdict::kSafe);
}

TEST(SymbolicUpsert, TheCheckConstraintRefusesTheLastAttempt) {
  // 1 + 1 (Locker) + 1 + 2 = 5 > 4: one of them fails 23514 in some order.
  EXPECT_EQ(Agreed(Logins("read_committed", "", "invariant none_failed: failed == 0")).verdict, Verdict::kViolation);
}

TEST(SymbolicUpsert, WhereClauseStopsAtTheLimit) {
  EXPECT_EQ(Agreed(Logins("read_committed", " where tries < 3", "final capped: users[1].tries <= 4")).verdict,
            Verdict::kSafe);
}

TEST(SymbolicUpsert, RepeatableReadFailsOnRowsChangedAfterTheSnapshot) {
  EXPECT_EQ(Agreed(Logins("repeatable_read", "", "invariant none_failed: failed == 0")).verdict, Verdict::kViolation);
  EXPECT_EQ(Agreed(Logins("serializable", "", "final counted_or_failed: counted + failed >= 2")).verdict,
            Verdict::kSafe);
}

TEST(SymbolicUpsert, InsertsWhenTheConflictIsDeleted) {
  EXPECT_EQ(Agreed(R"(
model gone
table users(id key, email unique, tries) { (1, 7, 0) }
process Delete {
    delete from users where id = 1
}
process Login {
    insert into users values (2, 7, 1) on conflict (email) do update set tries = users.tries + 1
}
final one_row: (users[1].tries == 1 and users[2].tries is null) or (users[1].tries is null and users[2].tries == 1)
)").verdict, Verdict::kViolation);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
