// `insert ... on conflict (...) do update` step by step, as tests/conformance/scenarios.py's
// test_on_conflict_do_update_* show PostgreSQL 15 doing it.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Compile;
using testing::Walk;

// A: writes the user with email 7 in a transaction (`first`); B: upserts email 7 at `isolation`,
// after a select that takes its snapshot (unless `select_first` is false: the upsert comes first).
std::string Users(const std::string& initial, const std::string& first, const std::string& isolation,
                  const std::string& upsert_tail = "", bool select_first = true) {
  return R"(
model m
table users(id key, email unique, tries, check (tries <= 5)) { )" + initial + R"( }
process A {
    transaction {
        )" + first + R"(
    }
}
process B {
    transaction isolation )" + isolation + R"( {
        )" + std::string(select_first ? "let c = select count(*) from users" : "skip") + R"(
        let n = insert into users values (2, 7, 1) on conflict (email) do update set tries = users.tries + excluded.tries)" +
         upsert_tail + R"(
    }
}
)";
}

TEST(Upsert, WaitsForAnUncommittedConflictingInsertThenUpdatesTheCommittedRow) {
  ir::Program program = Compile(Users("", "insert into users values (1, 7, 0)", "read_committed"));
  Walk walk(program);
  walk.Move("A");  // inserts (1, 7, 0), uncommitted
  walk.Move("B");  // select
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // commit
  walk.Move("B");  // updates the committed row
  EXPECT_EQ(walk.Local("B", "n"), 1);
  walk.Move("B");  // commit
  EXPECT_EQ(walk.Cell("users", 1, "tries"), 1);
  EXPECT_EQ(walk.Cell("users", 2, "tries"), std::nullopt);
}

TEST(Upsert, WaitsForARowLockThenUpdatesTheNewestVersion) {
  ir::Program program = Compile(Users("(1, 7, 0)", "let t = select tries from users where id = 1 for update\n"
                                                   "        update users set tries = 3 where id = 1",
                                      "read_committed"));
  Walk walk(program);
  walk.Move("A");  // locks the row, not yet writing it
  walk.Move("B");  // select
  walk.Move("B");  // meets the locked row: takes its place in line
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // update
  walk.Move("A");  // commit
  walk.Move("B");  // locks and updates tries 3 + 1
  EXPECT_EQ(walk.Local("B", "n"), 1);
  EXPECT_EQ(walk.RowLock("users", 1), "B");
  walk.Move("B");
  EXPECT_EQ(walk.Cell("users", 1, "tries"), 4);
}

TEST(Upsert, WhereFalseChangesNothingAndReportsNoRow) {
  ir::Program program = Compile(Users("(1, 7, 0)", "skip", "read_committed", " where users.tries > 0"));
  Walk walk(program);
  walk.Move("B");
  walk.Move("B");
  EXPECT_EQ(walk.Local("B", "n"), 0);
  EXPECT_EQ(walk.RowLock("users", 1), "B");  // PostgreSQL keeps the row locked
  walk.Move("B");
  EXPECT_EQ(walk.Cell("users", 1, "tries"), 0);
  EXPECT_EQ(walk.Cell("users", 2, "tries"), std::nullopt);
}

TEST(Upsert, RepeatableReadFailsOnAConflictItsSnapshotDoesNotSee) {
  ir::Program program = Compile(Users("", "insert into users values (1, 7, 0)", "repeatable_read"));
  Walk walk(program);
  walk.Move("B");  // snapshot: no user
  walk.Move("A");
  walk.Move("A");  // commits (1, 7, 0)
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos);
}

TEST(Upsert, RepeatableReadFailsOnARowUpdatedAfterItsSnapshot) {
  ir::Program program = Compile(Users("(1, 7, 0)", "update users set tries = 3 where id = 1", "repeatable_read"));
  Walk walk(program);
  walk.Move("B");  // snapshot
  walk.Move("A");
  walk.Move("A");  // commits tries = 3
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos);
}

// PostgreSQL takes the snapshot as the statement begins, before it waits (the conformance test
// test_on_conflict_first_statement_takes_its_snapshot_before_it_waits).
TEST(Upsert, AFirstStatementTakesItsSnapshotBeforeWaitingForAConflictingInsert) {
  ir::Program program = Compile(Users("", "insert into users values (1, 7, 0)", "repeatable_read", "", false));
  Walk walk(program);
  walk.Move("A");  // inserts (1, 7, 0), uncommitted
  walk.Move("B");  // skip
  walk.Move("B");  // the upsert starts: its snapshot, then it waits for A
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // commits
  walk.Move("B");  // the conflicting row is newer than the snapshot
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos);
}

TEST(Upsert, AFirstStatementTakesItsSnapshotBeforeWaitingForAnUpdatedRow) {
  ir::Program program =
      Compile(Users("(1, 7, 0)", "update users set tries = 3 where id = 1", "repeatable_read", "", false));
  Walk walk(program);
  walk.Move("A");  // updates the row, uncommitted
  walk.Move("B");  // skip
  walk.Move("B");  // the upsert starts, then waits for A
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // commits tries = 3
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos);
}

TEST(Upsert, AFirstStatementAtReadCommittedWaitsWithoutAStepAndUpdatesTheCommittedRow) {
  ir::Program program = Compile(Users("", "insert into users values (1, 7, 0)", "read_committed", "", false));
  Walk walk(program);
  walk.Move("A");
  walk.Move("B");  // skip
  EXPECT_FALSE(walk.Probe("B").enabled);  // read committed: nothing to take first
  walk.Move("A");
  walk.Move("B");
  EXPECT_EQ(walk.Local("B", "n"), 1);
  EXPECT_TRUE(walk.failures().empty());
}

TEST(Upsert, RepeatableReadUpdatesARowItsSnapshotSees) {
  ir::Program program = Compile(Users("(1, 7, 4)", "skip", "repeatable_read"));
  Walk walk(program);
  walk.Move("B");
  walk.Move("B");
  EXPECT_EQ(walk.Local("B", "n"), 1);
  walk.Move("B");
  EXPECT_EQ(walk.Cell("users", 1, "tries"), 5);
}

TEST(Upsert, TheUpdateMeetsTheCheckConstraint) {
  ir::Program program = Compile(Users("(1, 7, 5)", "skip", "read_committed"));
  Walk walk(program);
  walk.Move("B");
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23514"), std::string::npos);
}

TEST(Upsert, TheUpdateMeetsAnotherUniqueConstraint) {
  ir::Program program = Compile(R"(
model m
table users(id key, email unique, phone unique) { (1, 7, 70), (2, 8, 80) }
process P {
    insert into users values (3, 7, 80) on conflict (email) do update set phone = excluded.phone
}
)");
  Walk walk(program);
  walk.Move("P");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
}

TEST(Upsert, InsertsWhenThereIsNoConflict) {
  ir::Program program = Compile(Users("(1, 8, 0)", "skip", "read_committed"));
  Walk walk(program);
  walk.Move("B");
  walk.Move("B");
  EXPECT_EQ(walk.Local("B", "n"), 1);
  walk.Move("B");
  EXPECT_EQ(walk.Cell("users", 2, "tries"), 1);
}

}  // namespace
}  // namespace racecheck::explore
