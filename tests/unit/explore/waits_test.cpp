// ir::OnlyRowsWait, which lets the z3 engine leave the deadlock out of its questions
// (docs/z3-encoding.md, "Levels: the search"): true where only SQL statements wait for rows,
// false with a `lock` or a blocking Redis pop. The explicit engine, which sees every state's
// successors, confirms what the argument says where it is hardest to see: opposite lock orders,
// a cycle through a duplicate key, and a line of waiters.
#include <gtest/gtest.h>

#include "checker/ir/waits.h"
#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using result::Verdict;
using testing::Check;
using testing::Compile;

TEST(OnlyRowsWait, OppositeLockOrdersAlwaysLeaveAVictim) {
  // Each transfer locks its own row, then the other's: whenever both hold their first row, they
  // wait for each other, and the deadlock detector fails one of them (40P01).
  ir::Program program = Compile(R"(
model m
table accounts(id key, balance) { (1, 100), (2, 100) }
process Transfer[2](mine = 1 + self, other = 2 - self) {
    transaction {
        update accounts set balance = balance - 10 where id = mine
        update accounts set balance = balance + 10 where id = other
    } on failure retry at most 1
}
invariant total: accounts[1].balance + accounts[2].balance == 200
)");
  EXPECT_TRUE(ir::OnlyRowsWait(program));
  // A transfer that fails twice is an unhandled failure, not a deadlock.
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  ASSERT_FALSE(report.violations.empty());
  EXPECT_NE(report.violations[0].kind, result::ViolationKind::kDeadlock);
}

TEST(OnlyRowsWait, AWaitForAnInsertedKeyClosesACycleToo) {
  // A inserts key 7, then wants B's row; B holds the row, then inserts key 7 as well, which waits
  // for A's transaction: a cycle through a duplicate key, with a victim as for row locks.
  ir::Program program = Compile(R"(
model m
table jobs(id key, n) { (1, 0) }
table done(id key) {}
process A {
    transaction {
        insert into done(id) values (7) on conflict do nothing
        update jobs set n = n + 1 where id = 1
    }
}
process B {
    transaction {
        update jobs set n = n + 1 where id = 1
        insert into done(id) values (7) on conflict do nothing
    }
}
)");
  EXPECT_TRUE(ir::OnlyRowsWait(program));
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  ASSERT_FALSE(report.violations.empty());
  EXPECT_NE(report.violations[0].kind, result::ViolationKind::kDeadlock);
  EXPECT_NE(report.violations[0].message.find("40P01"), std::string::npos) << report.violations[0].message;
}

TEST(OnlyRowsWait, ALineOfWaitersNeverGetsStuck) {
  // Three workers insert the same key (the later ones wait for the first's transaction), then
  // lock one row in turn (the later ones wait in line behind the first waiter).
  ir::Program program = Compile(R"(
model m
table jobs(id key, n) { (1, 0) }
table done(id key) {}
process Worker[3] {
    transaction {
        insert into done(id) values (7) on conflict do nothing
        update jobs set n = n + 1 where id = 1
    }
}
final counted: jobs[1].n == 3
)");
  EXPECT_TRUE(ir::OnlyRowsWait(program));
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

TEST(OnlyRowsWait, ALockOrABlockingPopMayLeaveEveryoneWaiting) {
  ir::Program locks = Compile(R"(
model m
table t(id key, v) { (1, 0) }
lock l
process P {
    lock l {
        update t set v = 1 where id = 1
    }
}
)");
  EXPECT_FALSE(ir::OnlyRowsWait(locks));
  ir::Program pops = Compile(R"(
model m
redis { inbox: list(2) }
process P {
    let job = redis.BLPOP(inbox)
}
expect deadlock
)");
  EXPECT_FALSE(ir::OnlyRowsWait(pops));
  EXPECT_EQ(Check(pops).verdict, Verdict::kDeadlock);
}

}  // namespace
}  // namespace racecheck::explore
