// The z3 engine on small models, one rule of docs/semantics.md (or of the encoding) at a time.
#include "checker/symbolic/symbolic.h"

#include <gtest/gtest.h>

#include "checker/report/verdict.h"
#include "checker/symbolic/support.h"
#include "fmt/format.h"
#include "tests/unit/explore/program_builder.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;
using result::ViolationKind;

driver::SymbolicOutcome Z3(const std::string& text, const SymbolicOptions& options = {}) {
  ir::Program program = Must(text);
  driver::SymbolicOutcome outcome = driver::RunSymbolic(program, options);
  EXPECT_EQ(outcome.internal_error, "");
  return outcome;
}

constexpr const char* kWithdrawParam = R"(
model withdraw_param
param amount in 1..1000000000
param start in 0..1000000000
shared debited = 0
ghost withdrawn = 0
process Withdraw[2] {
    let d = debited
    if start - d >= amount {
        debited = d + amount
        withdrawn += amount
    }
}
invariant conservation: start - debited + withdrawn == start
)";

TEST(Symbolic, HugeParameterRangesAreViolatedWithTheValuesShown) {
  ir::Program program = Must(kWithdrawParam);
  EXPECT_NE(driver::ExplicitRefusal(program).find("--engine z3"), std::string::npos);
  driver::SymbolicOutcome z3 = driver::RunSymbolic(program, {});
  ASSERT_EQ(z3.report.verdict, Verdict::kViolation);
  const result::Violation& v = z3.report.violations.at(0);
  EXPECT_EQ(v.property, "conservation");
  // Step 0 shows the values the solver chose (the smallest that break it, as breadth-first
  // search would meet them), then the four steps of the race.
  ASSERT_EQ(v.trace.size(), 5u);
  EXPECT_EQ(v.trace[0].number, 0);
  ASSERT_EQ(v.trace[0].changes.size(), 2u);
  EXPECT_EQ(v.trace[0].changes[0].name, "amount");
  EXPECT_EQ(v.trace[0].changes[0].new_value, "1");
  EXPECT_EQ(v.trace[0].changes[1].name, "start");
  EXPECT_EQ(v.trace[0].changes[1].new_value, "1");
}

TEST(Symbolic, HugeParameterRangesAreProvedSafeForEveryValue) {
  std::string text = kWithdrawParam;
  text.replace(text.find("    let d = debited"), 0, "    acquire mu\n");
  text.replace(text.find("}\ninvariant"), 0, "    release mu\n");
  text.replace(text.find("process"), 0, "lock mu\n");
  driver::SymbolicOutcome z3 = Z3(text);
  ASSERT_EQ(z3.report.verdict, Verdict::kSafe) << report::VerdictSummary(z3.report);
  EXPECT_NE(z3.report.scope.find("every interleaving"), std::string::npos) << z3.report.scope;
  EXPECT_NE(z3.report.scope.find("amount in 1..1000000000 and start in 0..1000000000"), std::string::npos)
      << z3.report.scope;
  EXPECT_EQ(z3.report.scope.find("--unroll"), std::string::npos);
  EXPECT_GT(z3.report.stats.solver_variables, 0u);
  EXPECT_GT(z3.report.stats.solver_constraints, 0u);
}

TEST(Symbolic, RetryBoundsAreExactWhateverTheUnrolling) {
  // Each attempt fails until the fourth: the violation needs four rounds of the retry.
  result::Report report = Agreed(R"(
model retries
shared tries = 0
process P {
    retry at most 4 {
        tries += 1
        if tries < 4 {
            continue
        }
    }
}
invariant under_four: tries < 4
)", SymbolicOptions{.unroll = 1});
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

TEST(Symbolic, WhileLoopsWithoutAVisibleBoundAreUnrolledAndSaySo) {
  // The loop ends when the other instance sets the flag: no constant bounds it.
  std::string text = R"(
model spin
shared flag = 0
shared seen = 0
process Waiter {
    while flag == 0 {
        seen += 1
    }
}
process Setter {
    flag = 1
}
invariant few: seen <= 2
)";
  driver::SymbolicOutcome bounded = Z3(text, SymbolicOptions{.unroll = 2});
  // A cut is a limit: no verdict, and the reason names the loop and the bound.
  EXPECT_EQ(bounded.report.verdict, Verdict::kInconclusive);
  EXPECT_EQ(bounded.report.inconclusive_reason,
            "runs that go round the loop at line 6 more than 2 times were not searched (--unroll 2: raise it, or use "
            "--engine explicit)");
  // Three times round shows what two could not.
  driver::SymbolicOutcome deeper = Z3(text, SymbolicOptions{.unroll = 3});
  EXPECT_EQ(deeper.report.verdict, Verdict::kViolation);
  EXPECT_EQ(deeper.report.violations.at(0).property, "few");
}

TEST(Symbolic, CountingLoopsOverLocalsAreExact) {
  result::Report report = Agreed(R"(
model counting
shared total = 0
process P {
    let i = 0
    while i < 5 {
        total += 1
        i = i + 1
    }
}
final five: total == 5
)", SymbolicOptions{.unroll = 1});
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.scope.find("--unroll"), std::string::npos) << report.scope;
}

// The explicit engine's "loops without a step", found by both engines alike.
void ExpectLoopWithoutAStep(const result::Report& report) {
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_NE(report.violations[0].message.find("loops without a step"), std::string::npos);
}

TEST(Symbolic, ALoopThatNeverMakesAStepIsARuntimeError) {
  result::Report report = Agreed(R"(
model forever
shared x = 0
process P {
    let i = 0
    while i < 1 {
        i = 0
    }
    x = 1
}
invariant ok: x == 0
)");
  ExpectLoopWithoutAStep(report);
}

// A busy wait on shared memory never ends under the event loop: nothing else runs until it
// yields. Its condition is a value, not a constant, so the z3 engine used to cut it at --unroll
// and say safe "up to 8 iterations"; a round that sets nothing but locals from globals repeats.
TEST(Symbolic, ABusyWaitUnderTheEventLoopIsALoopWithoutAStep) {
  result::Report report = Agreed(R"(
model busy_wait
runtime event_loop
shared flag = true
ghost done = 0
process P {
    while flag {
        let seen = flag
        skip
    }
    done = 1
}
final finished: done == 1
)");
  ExpectLoopWithoutAStep(report);
  // A loop whose round changes a local from itself is not cut that way: it ends.
  EXPECT_EQ(Agreed(R"(
model counted
runtime event_loop
shared rounds = 3
ghost done = 0
process P {
    let i = 0
    while i < rounds {
        i += 1
    }
    done = 1
}
final finished: done == 1
)").verdict, Verdict::kSafe);
}

// A ghost raised before a call and lowered after it, on the event loop: while the task awaits
// the answer another task runs and raises it too. Until 2026-12-06 the lowering rode along with
// the call's step, so no state held the raised value and both engines said safe.
TEST(Symbolic, OnTheEventLoopAGhostWrittenAfterACallWaitsForTheReply) {
  result::Report report = Agreed(R"(
model span
runtime event_loop
redis { k = 0 }
ghost inside = 0
process H[2] {
    await
    inside += 1
    redis.GET(k)
    inside -= 1
}
invariant one_inside: inside <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "one_inside");
}

TEST(Symbolic, EventLoopTasksRunToTheirNextAwait) {
  const char* racy = R"(
model tasks
runtime event_loop
shared balance = 100
ghost withdrawn = 0
process W[2] {
    let b = balance
    await
    if b >= 80 {
        balance = b - 80
        withdrawn += 80
    }
}
invariant conservation: balance + withdrawn == 100
)";
  EXPECT_EQ(Agreed(racy).verdict, Verdict::kViolation);
  std::string atomic = racy;
  atomic.erase(atomic.find("    await\n"), 10);
  EXPECT_EQ(Agreed(atomic).verdict, Verdict::kSafe);
}

TEST(Symbolic, DeadlocksNameWhoWaitsForWhom) {
  result::Report report = Agreed(R"(
model transfer
lock acct[2]
process T[2] {
    lock acct[self] {
        lock acct[1 - self] {
            skip
        }
    }
}
)");
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  ASSERT_EQ(report.violations.at(0).blocked.size(), 2u);
  EXPECT_EQ(report.violations[0].blocked[0], "T[0] waits for lock acct[1] held by T[1]");
}

TEST(Symbolic, AllowedDeadlocksAreNoViolation) {
  result::Report report = Agreed(R"(
model transfer
lock acct[2]
process T[2] {
    lock acct[self] {
        lock acct[1 - self] {
            skip
        }
    }
}
allow deadlock
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(Symbolic, RuntimeErrorsMatchTheExplicitEngine) {
  // Division by zero, an index out of range, a value past 32 bits, a lock released twice.
  const char* models[] = {
      "model m\nshared x = 0\nprocess P {\n    let y = x\n    x = 10 / y\n}\n",
      "model m\nshared a[2] = 0\nshared i = 0\nprocess P {\n    i = 2\n}\nprocess Q {\n    let k = i\n    a[k] = 1\n}\n",
      "model m\nshared x = 2000000000\nprocess P {\n    x = x + 2000000000\n}\n",
      "model m\nlock mu\nprocess P {\n    acquire mu\n    release mu\n    release mu\n}\n",
  };
  const char* words[] = {"division by zero", "index 2 is outside a[0..1]", "does not fit in 32 bits",
                         "releasing lock mu, which it does not hold"};
  for (int k = 0; k < 4; ++k) {
    result::Report report = Agreed(models[k]);
    ASSERT_EQ(report.verdict, Verdict::kViolation) << models[k];
    EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
    EXPECT_NE(report.violations[0].message.find(words[k]), std::string::npos) << report.violations[0].message;
  }
}

TEST(Symbolic, ChoicesAssumptionsAndAsserts) {
  result::Report report = Agreed(R"(
model choices
shared x = 0
process P {
    choose n in 1..3
    assume n != 2
    x = n
    assert x != 3 "three"
}
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kAssert);
  EXPECT_EQ(report.violations[0].message, "three");
  // An empty range discards the run: nothing to report.
  EXPECT_EQ(Agreed("model e\nshared x = 0\nprocess P {\n    choose n in 2..1\n    x = 1\n}\ninvariant z: x == 0\n").verdict,
            Verdict::kSafe);
}

TEST(Symbolic, AChooseInALoopThatMakesNoStepTakesSeveralValuesInOneStep) {
  result::Report report = Agreed(R"(
model sum
shared total = 0
process P {
    let i = 0
    let s = 0
    while i < 3 {
        choose n in 0..2
        s = s + n
        i = i + 1
    }
    total = s
}
invariant small: total < 6
)");
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

// Params are picked first, then variables start from values computed from them.
TEST(Symbolic, InitialValuesMayUseParams) {
  result::Report racy = Agreed(R"(
model start_from_param
param start in 0..40
shared balance = start
shared accounts[2] = {start / 2, start - start / 2}
ghost out = 0
process W[2] {
    let b = balance
    if b >= 10 {
        balance = b - 10
        out += 10
    }
}
invariant conservation: balance + out == start
invariant split: accounts[0] + accounts[1] == start
)");
  ASSERT_EQ(racy.verdict, Verdict::kViolation);
  EXPECT_EQ(racy.violations.at(0).property, "conservation");
  // An initial value that overflows is a runtime error in the initial state, in both engines.
  result::Report overflow = Agreed(R"(
model overflow
param big in 0..3
shared x = 2147483646 + big
process P { x = 0 }
invariant fine: x >= 0
)");
  ASSERT_EQ(overflow.verdict, Verdict::kViolation);
  EXPECT_EQ(overflow.violations.at(0).kind, ViolationKind::kRuntimeError);
}

TEST(Symbolic, FinalPropertiesHoldWhereEveryInstanceHasFinished) {
  result::Report report = Agreed(R"(
model transfer
shared a = 100
shared b = 0
process T {
    a -= 10
    b += 10
}
final total: a + b == 100
invariant not_yet: a + b >= 90
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(Symbolic, CoversAreReachedOrReported) {
  result::Report reached = Agreed(R"(
model covers
shared x = 0
process P[2] {
    x += 1
}
cover two: x == 2
)");
  EXPECT_EQ(reached.verdict, Verdict::kSafe);
  ASSERT_EQ(reached.covers_reached.size(), 1u);
  EXPECT_EQ(reached.covers_reached[0].property, "two");
  EXPECT_EQ(reached.covers_reached[0].trace.size(), 4u);
  result::Report missed = Agreed("model c\nshared x = 0\nprocess P {\n    x = 1\n}\ncover three: x == 3\n");
  ASSERT_EQ(missed.verdict, Verdict::kViolation);
  EXPECT_EQ(missed.violations.at(0).kind, ViolationKind::kCover);
  EXPECT_EQ(missed.violations[0].message, "cover three is never reached");
}

TEST(Symbolic, RangeParametersOfInstancesAreSymbolic) {
  result::Report report = Agreed(R"(
model ranges
shared total = 0
process P[2](amount in 0..100) {
    total += amount
}
invariant cap: total <= 150
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // The smallest values that break it, as breadth-first search meets them.
  const result::Step& initial = report.violations.at(0).trace.at(0);
  ASSERT_EQ(initial.changes.size(), 2u);
  EXPECT_EQ(initial.changes[0].new_value, "51");
  EXPECT_EQ(initial.changes[1].new_value, "100");
}

TEST(Symbolic, ProductsOfUnknownsUseBitVectors) {
  result::Report report = Agreed(R"(
model product
shared x = 3
shared y = 5
process P {
    let a = x
    let b = y
    x = a * b
}
invariant small: x < 15
)");
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

TEST(Symbolic, AnAtomicBlockThatMeetsAHeldLockIsUndone) {
  // Not writable in the language (atomic blocks hold no locks), but the IR allows it and the
  // explicit engine defines it: the block is undone and the step ends before it.
  explore::testing::ProgramBuilder b;
  int x = b.Var("x", 0);
  int mu = b.Lock("mu");
  explore::testing::ProcessBuilder holder = b.Process("Holder", 1, {});
  holder.Acquire(mu, -1, "acquire mu");
  holder.Write(x, -1, b.C(5), "x = 5");
  holder.Release(mu, -1, "release mu");
  holder.End();
  explore::testing::ProcessBuilder p = b.Process("P", 1, {"t"});
  p.Let(0, b.C(1), "let t = 1");
  p.AtomicBegin();
  p.Write(x, -1, b.C(1), "x = 1");
  p.Acquire(mu, -1, "acquire mu");
  p.Release(mu, -1, "release mu");
  p.AtomicEnd();
  p.End();
  b.Invariant("never_one_then_five", b.Ne(b.G(x), b.C(7)), "x != 7", {x});
  ir::Program program = b.Build();
  BothEngines both = RunBoth(program);
  EXPECT_EQ(both.z3.internal_error, "");
  EXPECT_TRUE(both.comparison.agree) << both.comparison.text;
}

// Read committed, row by row: each test runs both engines and requires the same verdict and the
// same first violation (message and trace length).
TEST(SymbolicDatabase, ConditionalUpdateInSqlIsRecheckedOnTheNewestRow) {
  // EvalPlanQual: the second update waits for the first's row lock, then re-checks its where clause.
  result::Report report = Agreed(R"(
model evalplanqual
table accounts(id key, balance) { (1, 100) }
ghost withdrawn = 0
process Withdraw[2] {
    transaction {
        let n = update accounts set balance = balance - 80 where id = 1 and balance >= 80
        if n == 1 {
            withdrawn += 80
        }
    }
}
invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == 100
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, AStatementThatWaitsForTwoHoldersInTurnIsFollowedToTheEnd) {
  // The bumper's update waits for row 1's holder, then for row 2's: it takes a step per wait,
  // all at one node. The engine's window must leave room for each of them.
  result::Report report = Agreed(R"(
model waits_in_turn
table accounts(id key, balance) { (1, 10), (2, 20), (5, 50) }
ghost bumped = 0
process Holder[2](row = 1 + self) {
    transaction {
        update accounts set balance = balance - 1 where id = row
        update accounts set balance = balance + 1 where id = row
    }
}
process Bumper {
    transaction {
        let n = update accounts set balance = balance + 1 where id >= 1
        bumped = n
    }
}
final all_bumped: accounts[1].balance + accounts[2].balance + accounts[5].balance == 83
final three_rows: bumped == 3
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// Two transfers locking two rows in opposite orders: a cycle of row locks, unless one is aborted.
// `handler` follows the transaction block; `rest` is the model's properties.
std::string Transfers(const std::string& head, const std::string& handler, const std::string& rest) {
  return head + R"(
table accounts(id key, balance) { (1, 100), (2, 50) }
ghost failed = 0
ghost done = 0
process Transfer[2](from_id = 1 + self, to_id = 2 - self) {
    transaction {
        update accounts set balance = balance - 10 where id = from_id
        update accounts set balance = balance + 10 where id = to_id
    })" + handler + R"(
    done += 1
}
final conservation: accounts[1].balance + accounts[2].balance == 150
)" + rest;
}

TEST(SymbolicDatabase, ADeadlockVictimsRetriesCanRunOut) {
  // The victim's retry may lock the row it freed before the woken first waiter does, and
  // deadlock again (docs/semantics.md); both engines find the unhandled failure.
  result::Report report = Agreed(Transfers("model transfer_retry", " on failure retry at most 2",
                                           "final both_moved: accounts[1].balance == 100\n"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

TEST(SymbolicDatabase, TheDeadlockVictimsStepIsReplayed) {
  // The violation needs the deadlock detector's move: its run has a victim step to replay.
  result::Report report = Agreed(Transfers("model transfer_handled", " on failure {\n        failed += 1\n    }",
                                           "invariant never_failed: failed == 0\n"));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "never_failed");
  EXPECT_EQ(report.violations[0].trace.size(), 5u);
}

TEST(SymbolicDatabase, AnUnhandledDeadlockIsAFinding) {
  result::Report report = Agreed(Transfers("model transfer", "", ""));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

TEST(SymbolicDatabase, AllowedFailuresEndTheRequest) {
  result::Report report = Agreed(Transfers("model transfer_allowed\nallow failure", "",
                                           "final someone_done: done >= 1\ncover only_one: done == 1\n"));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, DuplicateKeysFailAndAreHandled) {
  result::Report report = Agreed(R"(
model signup
table users(id key, plan) { }
ghost created = 0
ghost refused = 0
process Signup[2](plan = 1 + self) {
    transaction {
        let n = select count(*) from users where id = 7
        if n == 0 {
            insert into users values (7, plan)
            created += 1
        }
    } on failure {
        refused += 1
    }
}
invariant one_user: created - refused <= 1
cover refused_once: refused == 1
final one_row: users[7].plan >= 1
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, SelectsCountSumAndDeleteAgree) {
  result::Report report = Agreed(R"(
model ledger
table entries(id key, amount) { (1, 10), (2, 20) }
ghost seen = 0
process Writer {
    insert into entries values (3, 30)
    delete from entries where id = 1
}
process Reader {
    let n = select count(*) from entries where amount >= 10
    let total = select sum(amount) from entries
    seen = total - 10 * n
}
invariant small: seen <= 30
)");
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

TEST(SymbolicDatabase, ASelectOfOneValueFindingTwoRowsIsARuntimeError) {
  result::Report report = Agreed(R"(
model two_rows
table entries(id key, amount) { (1, 10), (2, 20) }
ghost x = 0
process Reader {
    x = select amount from entries where amount > 5
}
invariant ok: x >= 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kRuntimeError);
}

TEST(SymbolicDatabase, RollbackUndoesTheTransaction) {
  result::Report report = Agreed(R"(
model undo
table accounts(id key, balance) { (1, 100) }
process P[2] {
    transaction {
        update accounts set balance = balance - 80 where id = 1
        let b = select balance from accounts where id = 1
        if b < 0 {
            rollback
        }
    }
}
invariant no_overdraft: accounts[1].balance >= 0
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// Repeatable read: a snapshot at the first statement, 40001 when a locked row changed since.
TEST(SymbolicDatabase, RepeatableReadRetriesAfterAConcurrentUpdate) {
  result::Report report = Agreed(R"(
model counter_rr
table counters(id key, n) { (1, 0) }
ghost retries = 0
process Add[2] {
    transaction isolation repeatable_read {
        let v = select n from counters where id = 1
        update counters set n = v + 1 where id = 1
    } on failure retry at most 2
}
final both_counted: counters[1].n == 2
cover retried: counters[1].n == 1
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, RepeatableReadSnapshotsHideLaterCommitsAndInserts) {
  result::Report report = Agreed(R"(
model snapshot
table entries(id key, amount) { (1, 10) }
ghost first = 0
ghost second = 0
process Writer {
    insert into entries values (2, 20)
    update entries set amount = 15 where id = 1
}
process Reader {
    transaction isolation repeatable_read {
        first = select sum(amount) from entries
        second = select sum(amount) from entries
    }
}
invariant stable: first == second or second == 0
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicDatabase, AnUnhandledSerializationFailureIsAFinding) {
  result::Report report = Agreed(R"(
model lost_update_rr
table accounts(id key, balance) { (1, 100) }
process Withdraw[2] {
    transaction isolation repeatable_read {
        let b = select balance from accounts where id = 1
        update accounts set balance = b - 10 where id = 1
    }
}
final conservation: accounts[1].balance <= 90
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

// Serializable: SSI's rw-antidependencies, the dangerous structure at commit or read.
TEST(SymbolicDatabase, SerializableWriteSkewFailsOneTransaction) {
  result::Report report = Agreed(R"(
model write_skew
table doctors(id key, on_call) { (1, 1), (2, 1) }
ghost failed = 0
process Doctor[2](me = 1 + self) {
    transaction isolation serializable {
        let n = select count(*) from doctors where on_call = 1
        if n >= 2 {
            update doctors set on_call = 0 where id = me
        }
    } on failure {
        failed += 1
    }
}
invariant someone: doctors[1].on_call + doctors[2].on_call >= 1
invariant no_failure: failed == 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "no_failure");
}

TEST(SymbolicDatabase, SerializableInsertsOfOneKey) {
  result::Report report = Agreed(R"(
model booking
table seats(id key, who) { }
process Book[2](who = 1 + self) {
    transaction isolation serializable {
        let n = select count(*) from seats where id = 5
        if n == 0 {
            insert into seats values (5, who)
        }
    } on failure retry at most 1
}
final booked: seats[5].who >= 1
cover second_booked: seats[5].who == 2
)");
  // The retry meets the other's commit: 40001 again, and nothing handles it.
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kFailure);
}

TEST(SymbolicDatabase, SerializableTransactionsInSequenceFoldTheirReads) {
  // Each instance runs two serializable transactions: the first, committed, is folded into
  // "some committed transaction" when the second begins while others are active.
  result::Report report = Agreed(R"(
model sequence
table counters(id key, n) { (1, 0), (2, 0) }
ghost failed = 0
process P[2](mine = 1 + self, other = 2 - self) {
    transaction isolation serializable {
        let a = select n from counters where id = other
        update counters set n = a + 1 where id = mine
    } on failure {
        failed += 1
    }
    transaction isolation serializable {
        let b = select n from counters where id = mine
    } on failure {
        failed += 1
    }
}
invariant no_failure: failed == 0
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations[0].property, "no_failure");
}

TEST(SymbolicDatabase, WideParametersAreProvedForEveryValue) {
  driver::SymbolicOutcome z3 = Z3(R"(
model withdraw_for_update_param
param amount in 1..1000000000
table accounts(id key, balance) { (1, 1000000000) }
ghost withdrawn = 0
process Withdraw[3] {
    transaction {
        let b = select balance from accounts where id = 1 for update
        if b >= amount {
            update accounts set balance = b - amount where id = 1
            withdrawn += amount
        }
    }
}
invariant no_overdraft: accounts[1].balance >= 0
final conservation: accounts[1].balance + withdrawn == 1000000000
)");
  EXPECT_EQ(z3.model_error, "");
  EXPECT_EQ(z3.report.verdict, Verdict::kSafe);
}

TEST(Symbolic, ASolverTimeoutIsInconclusive) {
  // Many interleavings of many steps: not done in a hundredth of a second.
  driver::SymbolicOutcome z3 = Z3(R"(
model busy
shared c = 0
process P[4] {
    let i = 0
    while i < 4 {
        c += 1
        i = i + 1
    }
}
final all: c <= 16
)", SymbolicOptions{.max_seconds = 0.01});
  EXPECT_EQ(z3.report.verdict, Verdict::kInconclusive);
  EXPECT_NE(z3.report.inconclusive_reason.find("stopped after 0.01 seconds (--max-seconds)"), std::string::npos)
      << z3.report.inconclusive_reason;
}

TEST(Symbolic, TheProgressLineShowsEachDepthAndIsClearedAtTheEnd) {
  SymbolicOptions options;
  options.progress = true;
  ::testing::internal::CaptureStderr();
  driver::SymbolicOutcome z3 = Z3(R"(
model counted
shared c = 0
process P[2] {
    c += 1
}
final both: c == 2
)", options);
  std::string progress = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(z3.report.verdict, Verdict::kViolation);
  // Each instance takes two steps (read, then write): no run is longer than 4.
  for (int depth = 0; depth <= 3; ++depth) {
    EXPECT_NE(progress.find(fmt::format("\rracecheck z3: depth {} of at most 4, ", depth)), std::string::npos) << progress;
  }
  // The report that follows replaces the line.
  EXPECT_TRUE(progress.ends_with("\r\x1b[K")) << progress;
}

}  // namespace
}  // namespace racecheck::symbolic::testing
