// The database semantics step by step (docs/semantics.md, "Database"): row locks that make a
// statement wait, PostgreSQL's re-check of the where clause after the wait, snapshots,
// serialization and deadlock failures, rollback, retries, and what properties see.
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

constexpr const char* kWithdrawInSql = R"(
model m
table accounts(id key, balance) { (1, 100) }
process W[2](amount = 80) {
    transaction {
        let n = update accounts set balance = balance - amount where id = 1 and balance >= amount
    }
}
)";

TEST(Database, AnUpdateWaitsForTheRowLockAndRechecksItsWhereClause) {
  ir::Program program = Compile(kWithdrawInSql);
  Walk walk(program);
  walk.Move("W[0]");  // update: 100 -> 20, uncommitted
  EXPECT_EQ(walk.Local("W[0]", "n"), 1);
  EXPECT_EQ(walk.RowLock("accounts", 1), "W[0]");
  EXPECT_EQ(walk.Cell("accounts", 1, "balance"), 100);  // readers see the committed version

  walk.Move("W[1]");  // finds the row, which W[0] holds: the statement waits
  StepResult waiting = walk.Probe("W[1]");
  EXPECT_FALSE(waiting.enabled);
  EXPECT_TRUE(waiting.blocked_on_row);
  EXPECT_EQ(walk.state()[waiting.blocked_lock_slot], walk.Instance("W[0]") + 1);

  walk.Move("W[0]");  // commit
  EXPECT_EQ(walk.Cell("accounts", 1, "balance"), 20);
  EXPECT_EQ(walk.RowLock("accounts", 1), "free");

  // The newest version (20) no longer matches `balance >= amount`: no row changes.
  EXPECT_TRUE(walk.Probe("W[1]").enabled);
  walk.Move("W[1]");
  EXPECT_EQ(walk.Local("W[1]", "n"), 0);
  walk.Move("W[1]");  // commit
  EXPECT_EQ(walk.Cell("accounts", 1, "balance"), 20);
  EXPECT_TRUE(walk.Done("W[1]"));
}

TEST(Database, UpdateInSqlIsSafe) {
  ir::Program program = Compile(std::string(kWithdrawInSql) + "invariant no_overdraft: accounts[1].balance >= 0\n");
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

// A transaction block with no SQL in it still begins and commits (it used to stop racecheck
// with an internal error: the process had no transaction state).
TEST(Database, ATransactionWithoutSqlBeginsAndCommits) {
  ir::Program program = Compile(R"(
model m
ghost g = 0
process P[2] {
    transaction isolation serializable {
        g += 2
    }
}
invariant at_most_four: g <= 4
final both: g == 4
)");
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

constexpr const char* kReadThenWrite = R"(
model m
table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0
process W[2](amount = 80) {
    let paid = false
    transaction isolation ISOLATION {
        let b = select balance from accounts where id = 1
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            paid = true
        }
    } HANDLER
    if paid {
        withdrawn += amount
    }
}
final conservation: accounts[1].balance + withdrawn == 100
)";

std::string ReadThenWrite(const std::string& isolation, const std::string& handler = "",
                          const std::string& extra = "") {
  std::string text = kReadThenWrite;
  text.replace(text.find("ISOLATION"), 9, isolation);
  text.replace(text.find("HANDLER"), 7, handler);
  return text + extra;
}

TEST(Database, ReadCommittedLosesAnUpdateComputedInTheHandler) {
  result::Report report = Check(Compile(ReadThenWrite("read_committed")));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& v = report.violations[0];
  EXPECT_EQ(v.property, "conservation");
  EXPECT_EQ(v.explanation.rfind("lost update: W[1] overwrote W[0]'s update of accounts[1].balance", 0), 0u)
      << v.explanation;
}

TEST(Database, RepeatableReadFailsTheSecondWriterInsteadOfLosingTheUpdate) {
  ir::Program program = Compile(ReadThenWrite("repeatable_read"));
  Walk walk(program);
  walk.Move("W[0]");  // select: 100
  walk.Move("W[1]");  // select: 100 (its snapshot)
  walk.Move("W[0]");  // update: 20, uncommitted
  walk.Move("W[1]");  // update: waits for W[0]
  EXPECT_FALSE(walk.Probe("W[1]").enabled);
  walk.Move("W[0]");  // commit
  EXPECT_EQ(walk.Cell("accounts", 1, "balance"), 20);
  // The row changed after W[1]'s snapshot: serialization failure, and nothing handles it.
  walk.Move("W[1]");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_EQ(walk.failures()[0].kind, ViolationKind::kFailure);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos) << walk.failures()[0].message;
  EXPECT_NE(walk.failures()[0].message.find("concurrent update"), std::string::npos);
  EXPECT_NE(walk.failures()[0].message.find("in W[1] at line"), std::string::npos);
}

TEST(Database, AFailedTransactionIsRetriedAtMostKTimesInAll) {
  // One attempt in all: the serialization failure is unhandled.
  result::Report once = Check(Compile(ReadThenWrite("repeatable_read", "on failure retry at most 1")));
  ASSERT_EQ(once.verdict, Verdict::kViolation);
  EXPECT_EQ(once.violations[0].kind, ViolationKind::kFailure);
  // Two attempts: the retry reads 20 and declines.
  EXPECT_EQ(Check(Compile(ReadThenWrite("repeatable_read", "on failure retry at most 2"))).verdict, Verdict::kSafe);
}

TEST(Database, AnOnFailureBlockHandlesTheFailure) {
  std::string text = ReadThenWrite("repeatable_read", "on failure { failures += 1 }",
                                   "ghost failures = 0\ncover failed: failures == 1\n");
  EXPECT_EQ(Check(Compile(text)).verdict, Verdict::kSafe);
}

TEST(Database, AllowFailureEndsTheRequestWithoutAFinding) {
  std::string text = ReadThenWrite("repeatable_read", "", "allow failure\n");
  EXPECT_EQ(Check(Compile(text)).verdict, Verdict::kSafe);
  EXPECT_EQ(Check(Compile(ReadThenWrite("repeatable_read"))).violations.at(0).kind, ViolationKind::kFailure);
}

TEST(Database, SerializableAlsoPreventsTheLostUpdate) {
  EXPECT_EQ(Check(Compile(ReadThenWrite("serializable", "on failure retry at most 2"))).verdict, Verdict::kSafe);
}

constexpr const char* kTransfer = R"(
model m
table accounts(id key, balance) { (1, 100), (2, 50) }
process T[2](from_id = 1 + self, to_id = 2 - self) {
    transaction {
        update accounts set balance = balance - 10 where id = from_id
        update accounts set balance = balance + 10 where id = to_id
    } HANDLER
}
final conservation: accounts[1].balance + accounts[2].balance == 150
)";

std::string Transfer(const std::string& handler) {
  std::string text = kTransfer;
  return text.replace(text.find("HANDLER"), 7, handler);
}

TEST(Database, ACycleOfWaitingTransactionsFailsOneWithADeadlockError) {
  ir::Program program = Compile(Transfer(""));
  Walk walk(program);
  walk.Move("T[0]");  // locks row 1
  walk.Move("T[1]");  // locks row 2
  walk.Move("T[0]");  // waits for row 2
  walk.Move("T[1]");  // waits for row 1: a cycle
  EXPECT_TRUE(walk.Probe("T[0]").blocked_on_row);
  EXPECT_TRUE(walk.Probe("T[1]").blocked_on_row);
  walk.DeadlockVictim("T[1]");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("deadlock detected (40P01) in T[1]"), std::string::npos);

  // The search finds it too, as an unhandled failure, not as a hang.
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

TEST(Database, TheDeadlockVictimIsRolledBackAndTheOtherGoesOn) {
  ir::Program program = Compile(Transfer("on failure retry at most 2"));
  Walk walk(program);
  walk.Move("T[0]");
  walk.Move("T[1]");
  walk.Move("T[0]");
  walk.Move("T[1]");
  walk.DeadlockVictim("T[1]");  // rolled back, then retried: its first update waits for row 1
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_EQ(walk.RowLock("accounts", 2), "free");
  EXPECT_EQ(walk.Cell("accounts", 2, "balance"), 50);
  walk.Move("T[0]");  // gets row 2 now
  walk.Move("T[0]");  // commit
  EXPECT_EQ(walk.Cell("accounts", 1, "balance"), 90);
  EXPECT_EQ(walk.Cell("accounts", 2, "balance"), 60);
  // Retries can still run out: the victim held row 2, and its retry may lock the freed row before
  // T[0], the woken first waiter, does (PostgreSQL's heap_lock_tuple finds it free; conformance
  // test test_a_retry_locks_a_freed_row_before_the_woken_first_waiter), and deadlock again.
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

TEST(Database, RollbackUndoesWritesAndFreesRowLocks) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0) }
process A {
    transaction {
        update t set v = 5 where id = 1
        rollback
    }
}
invariant never_five: t[1].v != 5
)");
  Walk walk(program);
  walk.Move("A");
  EXPECT_EQ(walk.RowLock("t", 1), "A");
  walk.Move("A");  // rollback, then the process ends
  EXPECT_EQ(walk.RowLock("t", 1), "free");
  EXPECT_EQ(walk.Cell("t", 1, "v"), 0);
  EXPECT_TRUE(walk.Done("A"));
  // Properties never see the uncommitted 5.
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

constexpr const char* kOnCall = R"(
model m
table doctors(id key, on_call) { (1, 1), (2, 1) }
process D[2](me = 1 + self) {
    transaction isolation ISOLATION {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    }
}
invariant someone_on_call: doctors[1].on_call + doctors[2].on_call >= 1
)";

std::string OnCall(const std::string& isolation) {
  std::string text = kOnCall;
  return text.replace(text.find("ISOLATION"), 9, isolation);
}

TEST(Database, WriteSkewCommitsUnderRepeatableRead) {
  ir::Program program = Compile(OnCall("repeatable_read"));
  Walk walk(program);
  for (const char* who : {"D[0]", "D[1]", "D[0]", "D[1]", "D[0]", "D[1]"}) walk.Move(who);
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_EQ(walk.Cell("doctors", 1, "on_call"), 0);
  EXPECT_EQ(walk.Cell("doctors", 2, "on_call"), 0);
  result::Report report = Check(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].explanation.rfind("write skew: ", 0), 0u) << report.violations[0].explanation;
}

TEST(Database, SerializableFailsTheCommitThatWouldCompleteAWriteSkew) {
  ir::Program program = Compile(OnCall("serializable"));
  Walk walk(program);
  for (const char* who : {"D[0]", "D[1]", "D[0]", "D[1]", "D[0]"}) walk.Move(who);
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_EQ(walk.Cell("doctors", 1, "on_call"), 0);  // D[0] committed first
  walk.Move("D[1]");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("read/write dependencies"), std::string::npos);
}

TEST(Database, SerializableTransactionsOneAfterTheOtherNeverFail) {
  ir::Program program = Compile(OnCall("serializable"));
  Walk walk(program);
  for (const char* who : {"D[0]", "D[0]", "D[0]", "D[1]", "D[1]"}) walk.Move(who);
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_TRUE(walk.Done("D[1]"));  // it counted one doctor on call, and stayed
  EXPECT_EQ(walk.Cell("doctors", 2, "on_call"), 1);
}

TEST(Database, SerializableTransactionsOnDisjointRowsNeverFail) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
process P[2](me = 1 + self) {
    transaction isolation serializable {
        let x = select v from t where id = me
        update t set v = x + 1 where id = me
    }
}
final both: t[1].v == 1 and t[2].v == 1
)");
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

TEST(Database, CounterexamplesNameTheAnomaly) {
  std::string read_skew = R"(
model m
table accounts(id key, balance) { (1, 100), (2, 50) }
shared seen = 150
process Transfer {
    transaction {
        update accounts set balance = balance - 10 where id = 1
        update accounts set balance = balance + 10 where id = 2
    }
}
process Audit {
    transaction {
        let a = select balance from accounts where id = 1
        let b = select balance from accounts where id = 2
        seen = a + b
    }
}
invariant consistent: seen == 150
)";
  result::Report skew = Check(Compile(read_skew));
  ASSERT_EQ(skew.verdict, Verdict::kViolation);
  EXPECT_EQ(skew.violations[0].explanation.rfind("read skew: Audit read accounts[1].balance before and "
                                                  "accounts[2].balance after Transfer committed", 0),
            0u)
      << skew.violations[0].explanation;

  std::string phantom = R"(
model m
table bookings(id key, room) { (1, 7) }
shared differ = false
process Book {
    insert into bookings values (2, 7)
}
process Report {
    transaction {
        let first = select count(*) from bookings where room = 7
        let second = select count(*) from bookings where room = 7
        differ = first != second
    }
}
invariant same: not differ
)";
  result::Report report = Check(Compile(phantom));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].explanation,
            "phantom: Report searched bookings twice in one transaction and found different rows: Book inserted "
            "bookings[2] in between\nusual fixes: run the transaction at serializable and retry on 40001; or lock "
            "one row that stands for the searched set (a parent row, select ... for update) before searching; or let "
            "a unique constraint enforce the rule (insert ... on conflict)");
  // No database, nothing to name.
  EXPECT_EQ(Check(Compile("model m\nshared x = 0\nprocess P[2] { x = x + 1 }\nfinal two: x == 2\n"))
                .violations.at(0)
                .explanation,
            "");
}

TEST(Database, AnInsertWaitsForAnUncommittedRowWithItsKeyThenFailsOnTheDuplicate) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0) }
process A {
    transaction {
        insert into t values (2, 7)
    }
}
process B {
    insert into t (id) values (2)
}
)");
  Walk walk(program);
  walk.Move("A");
  EXPECT_EQ(walk.Cell("t", 2, "v"), std::nullopt);  // not committed yet
  StepResult b = walk.Probe("B");
  EXPECT_FALSE(b.enabled);
  EXPECT_TRUE(b.blocked_on_row);
  walk.Move("A");  // commit
  EXPECT_EQ(walk.Cell("t", 2, "v"), 7);
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
}

TEST(Database, SelectResults) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 5), (2, 7) }
shared end = 0
process P {
    let none = select v from t where id = 9
    let (n, total) = select count(*), sum(v) from t
    let big = select count(*) from t where v > 6
    delete from t where id = 1
    let after = select count(*) from t
    end = 1                         // a last step, so the locals are still there before it
}
)");
  Walk walk(program);
  for (int i = 0; i < 5; ++i) walk.Move("P");
  EXPECT_EQ(walk.Local("P", "none"), ir::kNull);  // no row: NULL
  EXPECT_EQ(walk.Local("P", "n"), 2);
  EXPECT_EQ(walk.Local("P", "total"), 12);
  EXPECT_EQ(walk.Local("P", "big"), 1);
  EXPECT_EQ(walk.Local("P", "after"), 1);
  EXPECT_EQ(walk.Cell("t", 1, "v"), std::nullopt);
}

TEST(Database, ASelectOfOneValueThatFindsTwoRowsIsARuntimeError) {
  result::Report report = Check(Compile(R"(
model m
table t(id key, v) { (1, 5), (2, 7) }
process P {
    let x = select v from t where v > 0
}
)"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kRuntimeError);
  EXPECT_NE(report.violations[0].message.find("found 2 rows"), std::string::npos);
}

TEST(Database, UnderTheEventLoopADatabaseCallIsAStepOfItsOwn) {
  ir::Program program = Compile(R"(
model m
runtime event_loop
shared count = 0
table t(id key, v) { (1, 0) }
process P {
    let c = count
    update t set v = v + 1 where id = 1
    count = c + 1
}
)");
  Walk walk(program);
  walk.Move("P");  // reads count, then stops before the awaited call
  EXPECT_EQ(walk.Cell("t", 1, "v"), 0);
  walk.Move("P");  // the update, then stops before the next shared access
  EXPECT_EQ(walk.Cell("t", 1, "v"), 1);
  EXPECT_FALSE(walk.Done("P"));
  walk.Move("P");
  EXPECT_TRUE(walk.Done("P"));
}

// ---- constraints: unique and check (docs/semantics.md, "Constraints") ----

// Two signups with the same email: the second insert waits for the first's transaction.
std::string Signups(const std::string& first_end) {
  return R"(
model signup
table users(id key, email unique) { }
process A {
    transaction {
        insert into users values (1, 7)
        )" + first_end + R"(
    }
}
process B {
    insert into users values (2, 7)
}
)";
}

TEST(Database, AnInsertWaitsForAnUncommittedDuplicateOfAUniqueColumnThenFails) {
  ir::Program program = Compile(Signups("skip"));
  Walk walk(program);
  walk.Move("A");  // insert (1, 7), uncommitted
  StepResult b = walk.Probe("B");
  EXPECT_FALSE(b.enabled);
  EXPECT_TRUE(b.blocked_on_row);
  walk.Move("A");  // commit (the skip rode along with the insert)
  walk.Move("B");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
}

TEST(Database, AnInsertGoesOnWhenTheDuplicatesTransactionRollsBack) {
  ir::Program program = Compile(Signups("rollback"));
  Walk walk(program);
  walk.Move("A");
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // rollback
  walk.Move("B");
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_EQ(walk.Cell("users", 2, "email"), 7);
}

TEST(Database, AUniqueConstraintOverSeveralColumnsComparesThemTogether) {
  ir::Program program = Compile(R"(
model m
table members(id key, org, email, unique (org, email)) { (1, 1, 7) }
ghost failed = 0
process P[2](org = 1 + self) {
    transaction {
        insert into members values (2 + self, org, 7)
    } on failure {
        failed += 1
    }
}
final only_the_same_org_fails: failed == 1 and members[3].org == 2
)");
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
}

TEST(Database, AnUpdateThatMakesADuplicateFails) {
  ir::Program program = Compile(R"(
model m
table users(id key, email unique) { (1, 7), (2, 8) }
process P {
    update users set email = 7 where id = 2
}
)");
  Walk walk(program);
  walk.Move("P");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
  EXPECT_EQ(walk.Cell("users", 2, "email"), 8);
}

TEST(Database, AnUpdateWaitsForAnUncommittedDuplicateKeepingItsRowLock) {
  ir::Program program = Compile(R"(
model m
table users(id key, email unique) { (1, 7), (2, 8) }
process A {
    transaction {
        update users set email = 9 where id = 1
        rollback
    }
}
process B {
    update users set email = 9 where id = 2
}
)");
  Walk walk(program);
  walk.Move("A");  // row 1 now 9, uncommitted
  walk.Move("B");  // locks row 2, then waits for A: the step ends with the lock taken
  EXPECT_EQ(walk.RowLock("users", 2), "B");
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // rollback
  walk.Move("B");
  EXPECT_TRUE(walk.failures().empty());
  EXPECT_EQ(walk.Cell("users", 2, "email"), 9);
}

TEST(Database, ACheckConstraintFailsTheStatementThatBreaksIt) {
  ir::Program program = Compile(R"(
model m
table accounts(id key, balance, check (balance >= 0)) { (1, 100) }
ghost failed = 0
process W[2] {
    transaction {
        let b = select balance from accounts where id = 1
        update accounts set balance = balance - 80 where id = 1
    } on failure {
        failed += 1
    }
}
invariant no_overdraft: accounts[1].balance >= 0
final one_fails: failed == 1
)");
  EXPECT_EQ(Check(program).verdict, Verdict::kSafe);
  ir::Program insert = Compile(R"(
model m
table accounts(id key, balance, check (balance >= 0)) { (1, 10) }
process P {
    insert into accounts values (2, -1)
}
)");
  Walk walk(insert);
  walk.Move("P");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23514"), std::string::npos);
}

TEST(Database, RepeatableReadMeetsADuplicateCommittedAfterItsSnapshotWith23505) {
  ir::Program program = Compile(R"(
model m
table users(id key, email unique) { (1, 1) }
process A {
    transaction isolation repeatable_read {
        let n = select count(*) from users where email = 7
        insert into users values (2, 7)
    }
}
process B {
    insert into users values (3, 7)
}
)");
  Walk walk(program);
  walk.Move("A");  // snapshot: no 7
  walk.Move("B");  // commits (3, 7)
  walk.Move("A");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
}

// Two requests with one idempotency key; `first` is the first one's isolation.
std::string Idempotent(const std::string& isolation, const std::string& first_end) {
  return R"(
model m
table payments(k key, amount unique) { }
process A {
    transaction isolation )" + isolation + R"( {
        let seen = select count(*) from payments
        let n = insert into payments values (1, 5) on conflict (k) do nothing
        )" + first_end + R"(
    }
}
process B {
    let n = insert into payments values (1, 6) on conflict (k) do nothing
}
)";
}

TEST(Database, OnConflictDoNothingWaitsForAnUncommittedConflictThenInsertsNothing) {
  ir::Program program = Compile(Idempotent("read_committed", "skip"));
  Walk walk(program);
  walk.Move("B");  // inserts (1, 6), commits
  walk.Move("A");  // select
  walk.Move("A");  // the conflict is committed and visible: nothing
  EXPECT_EQ(walk.Local("A", "n"), 0);
  EXPECT_TRUE(walk.failures().empty());

  Walk again(program);
  again.Move("A");
  again.Move("A");  // inserts (1, 5), uncommitted
  EXPECT_EQ(again.Local("A", "n"), 1);
  EXPECT_FALSE(again.Probe("B").enabled);
  again.Move("A");  // commit
  again.Move("B");  // inserts nothing, and ends
  EXPECT_TRUE(again.failures().empty());
  EXPECT_EQ(again.Cell("payments", 1, "amount"), 5);
}

TEST(Database, OnConflictDoNothingInsertsWhenTheConflictRollsBack) {
  ir::Program program = Compile(Idempotent("read_committed", "rollback"));
  Walk walk(program);
  walk.Move("A");
  walk.Move("A");
  EXPECT_FALSE(walk.Probe("B").enabled);
  walk.Move("A");  // rollback
  walk.Move("B");  // inserts (B's locals are gone once it ends: the row tells)
  EXPECT_EQ(walk.Cell("payments", 1, "amount"), 6);
}

TEST(Database, OnConflictDoNothingUnderRepeatableReadFailsOnAConflictItsSnapshotDoesNotSee) {
  ir::Program program = Compile(Idempotent("repeatable_read", "skip"));
  Walk walk(program);
  walk.Move("A");  // snapshot: no payment
  walk.Move("B");  // inserts (1, 6), commits
  walk.Move("A");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("40001"), std::string::npos);
}

TEST(Database, OnConflictDoNothingStillFailsOnAnotherUniqueConstraint) {
  ir::Program program = Compile(R"(
model m
table payments(k key, amount unique) { (1, 5) }
process P {
    insert into payments values (2, 5) on conflict (k) do nothing
}
)");
  Walk walk(program);
  walk.Move("P");
  ASSERT_EQ(walk.failures().size(), 1u);
  EXPECT_NE(walk.failures()[0].message.find("23505"), std::string::npos);
}

}  // namespace
}  // namespace racecheck::explore
