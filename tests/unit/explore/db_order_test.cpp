// Picking rows (docs/semantics.md, "Database"): order by, limit, and what a row lock does with
// a row another transaction holds: wait, skip it (`skip locked`) or fail (`nowait`).
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Check;
using testing::Compile;
using testing::Walk;
using result::Verdict;
using result::ViolationKind;

// Two workers claim a job each; `lock` ends the claim (`for update skip locked`, ...).
std::string Queue(const std::string& lock, int jobs = 2) {
  std::string rows;
  for (int k = 1; k <= jobs; ++k) rows += (k > 1 ? ", " : "") + std::string("(") + std::to_string(k) + ", 'queued')";
  return R"(
model m
enum Status { queued, running, done }
table jobs(id key, status Status) { )" + rows + R"( }
process W[2] {
    transaction {
        let job = select id from jobs where status = 'queued' order by id limit 1 )" + lock + R"(
        update jobs set status = 'done' where id = job
    }
}
)";
}

// The key among the order columns makes the order total: one answer, one successor per step
// (ties without it are tried each way, SymbolicDatabase.RowsThatTieOnTheOrderComeInAnyOrder).
TEST(Database, OrderByAndLimitPickTheFirstRowsInOrder) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 5), (2, 9), (3, 7) }
shared end = 0
process P {
    let top = select id from t order by v desc, id limit 1
    let low = select id from t where v > 5 order by v, id limit 1
    let last = select v from t order by id desc limit 1
    end = 1
}
)");
  Walk walk(program);
  for (int i = 0; i < 3; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "top"), 2);
  EXPECT_EQ(walk.Local("P", "low"), 3);
  EXPECT_EQ(walk.Local("P", "last"), 7);
}

TEST(Database, ALimitAboveOneStillFindsTwoRowsForOneValue) {
  result::Report report = Check(Compile(R"(
model m
table t(id key, v) { (1, 5), (2, 7) }
process P {
    let x = select v from t order by id limit 2
}
)"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kRuntimeError);
  EXPECT_NE(report.violations[0].message.find("limit 1"), std::string::npos);
}

TEST(Database, SkipLockedTakesTheNextUnlockedRow) {
  ir::Program program = Compile(Queue("for update skip locked"));
  Walk walk(program);
  walk.Move("W[0]");  // locks job 1
  EXPECT_EQ(walk.Local("W[0]", "job"), 1);
  EXPECT_EQ(walk.RowLock("jobs", 1), "W[0]");
  StepResult second = walk.Move("W[1]");  // skips job 1, never waits
  EXPECT_TRUE(second.enabled);
  EXPECT_EQ(walk.Local("W[1]", "job"), 2);
  EXPECT_EQ(walk.RowLock("jobs", 2), "W[1]");
}

TEST(Database, SkipLockedFindsNoRowWhenEveryRowIsLocked) {
  ir::Program program = Compile(Queue("for update skip locked", 1));
  Walk walk(program);
  walk.Move("W[0]");
  walk.Move("W[1]");
  EXPECT_EQ(walk.Local("W[1]", "job"), ir::kNull);
  EXPECT_EQ(walk.RowLock("jobs", 1), "W[0]");
}

TEST(Database, NowaitFailsOnALockedRowWithLockNotAvailable) {
  ir::Program program = Compile(Queue("for update nowait"));
  Walk walk(program);
  walk.Move("W[0]");
  walk.Move("W[1]");  // job 1 is locked: 55P03, although job 2 is free
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("55P03"), std::string::npos);
}

TEST(Database, AClaimThatWaitsMovesOnToTheNextRowWhenItsRowNoLongerMatches) {
  ir::Program program = Compile(Queue("for update"));
  Walk walk(program);
  walk.Move("W[0]");  // locks job 1
  walk.Move("W[1]");  // waits for job 1
  EXPECT_FALSE(walk.Probe("W[1]").enabled);
  walk.Move("W[0]");  // job 1 done
  walk.Move("W[0]");  // commit
  walk.Move("W[1]");  // job 1 is done now: dropped; job 2 is next
  EXPECT_EQ(walk.Local("W[1]", "job"), 2);
  EXPECT_EQ(walk.RowLock("jobs", 2), "W[1]");
  EXPECT_EQ(walk.RowLock("jobs", 1), "free");
}

TEST(Database, ALimitCountsOnlyTheRowsItLockedAndLocksNoMore) {
  // Rows 3 and 2 are held: skip locked passes them, and `limit 2` still finds row 1 (as
  // PostgreSQL does: the skipped rows do not count). `limit 1` locks its row and no other.
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0), (2, 0), (3, 0), (4, 0) }
process Holder {
    transaction {
        update t set v = 1 where id = 2 or id = 3
        let n = select count(*) from t
    }
}
process Picker {
    transaction {
        let x = select id from t where id < 4 order by id desc limit 2 for update skip locked
        let y = select id from t where id > 1 order by v, id desc limit 1 for update skip locked
    }
}
)");
  Walk walk(program);
  walk.Move("Holder");  // locks row 2
  walk.Move("Holder");  // and row 3: one a step, as Picker locks the table too (row_by_row)
  walk.Move("Picker");
  walk.Move("Picker");
  EXPECT_EQ(walk.Local("Picker", "x"), 1);
  EXPECT_EQ(walk.Local("Picker", "y"), 4);
  EXPECT_EQ(walk.RowLock("t", 1), "Picker");
  EXPECT_EQ(walk.RowLock("t", 4), "Picker");
  EXPECT_EQ(walk.RowLock("t", 2), "Holder");
}

TEST(Database, ALimitLocksNoRowPastIt) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
process P {
    transaction {
        let x = select id from t order by id limit 1 for update
    }
}
)");
  Walk walk(program);
  walk.Move("P");
  EXPECT_EQ(walk.Local("P", "x"), 1);
  EXPECT_EQ(walk.RowLock("t", 1), "P");
  EXPECT_EQ(walk.RowLock("t", 2), "free");
}

TEST(Database, ForNoKeyUpdateWaitsLikeForUpdate) {
  ir::Program program = Compile(Queue("for no key update"));
  Walk walk(program);
  walk.Move("W[0]");
  walk.Move("W[1]");
  EXPECT_FALSE(walk.Probe("W[1]").enabled);
}

TEST(Database, SkipLockedQueueRunsEachJobOnce) {
  std::string model = R"(
model m
enum Status { queued, running, done }
table jobs(id key, status Status) { (1, 'queued'), (2, 'queued') }
ghost runs = 0
process W[2] {
    transaction {
        let job = select id from jobs where status = 'queued' order by id limit 1 for update skip locked
        if job != 0 {
            runs += 1
            update jobs set status = 'done' where id = job
        }
    }
}
invariant at_most_two: runs <= 2
final all_done: jobs[1].status == done or jobs[2].status == done
)";
  EXPECT_EQ(Check(Compile(model)).verdict, Verdict::kSafe);
}

TEST(Database, LimitWithoutOrderByTriesEachRowFirst) {
  // The environment picks the row the order starts at: some run takes job 2 first.
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
ghost got = 0
process P {
    let x = select id from t limit 1
    got = x
}
invariant never_two: got != 2
)");
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "never_two");
}

}  // namespace
}  // namespace racecheck::explore
