#include "checker/explore/search.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/explore/program_builder.h"
#include "tests/unit/explore/withdraw_program.h"
#include "checker/ir/arith.h"

namespace racecheck::explore {
namespace {

using testing::ProgramBuilder;
using testing::ProcessBuilder;
using result::Verdict;
using result::ViolationKind;
using testing::Withdraw;

result::Report Bfs(const ir::Program& program) { return Search(program, SearchOptions{}); }
result::Report Dfs(const ir::Program& program) { return Search(program, SearchOptions{.dfs = true}); }

std::string Changes(const result::Step& step) {
  std::string text;
  for (const result::Change& change : step.changes) {
    if (!text.empty()) text += ", ";
    text += change.old_value.empty() ? change.name + " = " + change.new_value
                                     : change.name + " " + change.old_value + " -> " + change.new_value;
  }
  return text;
}

TEST(Search, NaiveWithdrawRacesWithAFourStepTrace) {
  ir::Program program = Withdraw(false);
  result::Report report = Bfs(program);
  EXPECT_EQ(report.model, "withdraw");
  EXPECT_EQ(report.file, "withdraw.cr");
  EXPECT_EQ(report.engine, "explicit");
  EXPECT_EQ(report.search, "bfs");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // conservation and deadlock freedom.
  EXPECT_EQ(report.properties, 2);
  ASSERT_EQ(report.violations.size(), 1u);
  const result::Violation& v = report.violations[0];
  EXPECT_EQ(v.kind, ViolationKind::kInvariant);
  EXPECT_EQ(v.property, "conservation");
  EXPECT_EQ(v.message, "balance + withdrawn == 100 is false");
  ASSERT_EQ(v.values.size(), 2u);
  EXPECT_EQ(v.values[0].name, "balance");
  EXPECT_EQ(v.values[0].value, "20");
  EXPECT_EQ(v.values[1].name, "withdrawn");
  EXPECT_EQ(v.values[1].value, "160");
  ASSERT_EQ(v.trace.size(), 4u);
  const char* processes[] = {"Withdraw[0]", "Withdraw[1]", "Withdraw[0]", "Withdraw[1]"};
  const char* statements[] = {"let b = balance", "let b = balance", "balance = b - 80", "balance = b - 80"};
  const char* changes[] = {"b = 100", "b = 100", "balance 100 -> 20, withdrawn 0 -> 80", "balance 20 -> 20, withdrawn 80 -> 160"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(v.trace[i].number, i + 1);
    EXPECT_EQ(v.trace[i].process, processes[i]);
    EXPECT_EQ(v.trace[i].statement, statements[i]);
    EXPECT_EQ(Changes(v.trace[i]), changes[i]) << "step " << i + 1;
  }
  EXPECT_EQ(v.trace[0].line, 1);
  EXPECT_EQ(v.trace[2].line, 3);
  EXPECT_TRUE(report.inconclusive_reason.empty());
  EXPECT_GT(report.stats.states, 4u);
  EXPECT_EQ(report.stats.depth, 4);
  EXPECT_GT(report.stats.peak_memory_bytes, 0u);
}

TEST(Search, WithdrawUnderALockIsSafe) {
  result::Report report = Bfs(Withdraw(true));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_TRUE(report.violations.empty());
  EXPECT_GT(report.stats.states, 1u);
  EXPECT_GT(report.stats.transitions, report.stats.states - 2);
}

TEST(Search, WithdrawUnderALockIsSafeWithoutALimitHit) {
  // Exactly as many states as the model has is no limit.
  uint64_t states = Bfs(Withdraw(true)).stats.states;
  result::Report report = Search(Withdraw(true), SearchOptions{.max_states = states});
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.stats.states, states);
}

TEST(Search, EventLoopRacesOnlyAcrossAnAwait) {
  result::Report racy = Bfs(Withdraw(false, ir::Runtime::kEventLoop, /*await=*/true));
  ASSERT_EQ(racy.verdict, Verdict::kViolation);
  ASSERT_EQ(racy.violations[0].trace.size(), 4u);
  EXPECT_EQ(racy.violations[0].trace[0].statement, "let b = balance");
  // The task resumes after its await and runs to its end in one step.
  EXPECT_EQ(racy.violations[0].trace[2].statement, "balance = b - 80");

  ir::Program program = Withdraw(false, ir::Runtime::kEventLoop, /*await=*/false);
  result::Report safe = Search(program, SearchOptions{.symmetry = false});
  EXPECT_EQ(safe.verdict, Verdict::kSafe);
  // Without an await each task runs in one step: initial, either one done, both done (finished
  // instances' locals are cleared, so both orders end in one state). With symmetry reduction
  // "either one done" is one state.
  EXPECT_EQ(safe.stats.states, 4u);
  EXPECT_EQ(Bfs(program).stats.states, 3u);
}

TEST(Search, AwaitDoesNothingUnderThreads) {
  result::Report report = Bfs(Withdraw(true, ir::Runtime::kThreads, /*await=*/true));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

// Transfer[i] locks row[i], then row[1 - i].
ir::Program OppositeLocks(bool allow) {
  ProgramBuilder b;
  int row = b.LockArray("row", 0, 2);
  ProcessBuilder t = b.Process("Transfer", 2, {});
  t.Acquire(row, b.Self(), "lock row[self]");
  t.Acquire(row, b.Sub(b.C(1), b.Self()), "lock row[1 - self]");
  t.Release(row, b.Sub(b.C(1), b.Self()), "release row[1 - self]");
  t.Release(row, b.Self(), "release row[self]");
  t.End();
  if (allow) b.AllowDeadlock();
  return b.Build();
}

TEST(Search, OppositeLockOrderDeadlocks) {
  result::Report report = Bfs(OppositeLocks(false));
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  ASSERT_EQ(report.violations.size(), 1u);
  const result::Violation& v = report.violations[0];
  EXPECT_EQ(v.kind, ViolationKind::kDeadlock);
  EXPECT_EQ(v.property, "deadlock");
  ASSERT_EQ(v.trace.size(), 2u);
  EXPECT_EQ(v.trace[0].process, "Transfer[0]");
  EXPECT_EQ(Changes(v.trace[0]), "lock row[0] free -> Transfer[0]");
  EXPECT_EQ(v.trace[1].process, "Transfer[1]");
  // Its next acquire meets a lock Transfer[0] holds: the step says it waits there.
  EXPECT_EQ(Changes(v.trace[1]),
            "lock row[1] free -> Transfer[1], Transfer[1] waits for = lock row[0] held by Transfer[0]");
  ASSERT_EQ(v.blocked.size(), 2u);
  EXPECT_EQ(v.blocked[0], "Transfer[0] waits for lock row[1] held by Transfer[1]");
  EXPECT_EQ(v.blocked[1], "Transfer[1] waits for lock row[0] held by Transfer[0]");
}

TEST(Search, AllowedDeadlockIsNoViolation) {
  result::Report report = Bfs(OppositeLocks(true));
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.properties, 0);
}

TEST(Search, AcquiringALockYouHoldBlocksForever) {
  ProgramBuilder b;
  int mu = b.Lock("mu");
  ProcessBuilder p = b.Process("P", 1, {});
  p.Acquire(mu, -1, "lock mu");
  p.Acquire(mu, -1, "lock mu");
  p.End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  EXPECT_EQ(report.violations[0].blocked.at(0), "P[0] waits for lock mu held by P[0]");
}

TEST(Search, ChooseBranchesOverEveryValue) {
  ProgramBuilder b;
  int v = b.Var("v", 0);
  ProcessBuilder p = b.Process("P", 1, {"x"});
  p.Choose(0, b.C(1), b.C(3), "choose x in 1..3");
  p.Write(v, -1, b.L(0), "v = x");
  p.End();
  b.Invariant("not_three", b.Ne(b.G(v), b.C(3)), "v != 3", {v});
  ir::Program program = b.Build();
  result::Report report = Bfs(program);
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& violation = report.violations[0];
  ASSERT_EQ(violation.trace.size(), 1u);
  // The step is named by its visible access, not by the choice before it.
  EXPECT_EQ(violation.trace[0].statement, "v = x");
  // The instance finished in this step and cleared its locals; x still shows the value it chose.
  EXPECT_EQ(Changes(violation.trace[0]), "v 0 -> 3, x = 3");
  EXPECT_EQ(violation.values.at(0).value, "3");

  // Without the invariant: the initial state and one final state per value.
  program.properties.clear();
  result::Report safe = Bfs(program);
  EXPECT_EQ(safe.verdict, Verdict::kSafe);
  EXPECT_EQ(safe.stats.states, 4u);
  EXPECT_EQ(safe.stats.transitions, 3u);
}

TEST(Search, AssumePrunesRunsThatDoNotExist) {
  ProgramBuilder b;
  int v = b.Var("v", 0);
  ProcessBuilder p = b.Process("P", 1, {"x"});
  p.Choose(0, b.C(0), b.C(5), "choose x in 0..5");
  p.Assume(b.Eq(b.Op(ir::ExprOp::kMod, b.L(0), b.C(2)), b.C(0)), "assume x % 2 == 0");
  p.Write(v, -1, b.L(0), "v = x");
  p.End();
  b.Invariant("odd_never", b.Ne(b.Op(ir::ExprOp::kMod, b.G(v), b.C(2)), b.C(1)), "v % 2 != 1", {v});
  result::Report report = Bfs(b.Build());
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.stats.states, 4u);  // initial, x = 0, 2, 4
}

TEST(Search, AssumeDeadEndIsNotADeadlock) {
  ProgramBuilder b;
  ProcessBuilder p = b.Process("P", 1, {});
  p.Assume(b.C(0), "assume false");
  p.End();
  result::Report report = Bfs(b.Build());
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  EXPECT_EQ(report.stats.states, 1u);
}

// Writer[i]: v = self + 1; let b = v; assert b == self + 1.
ir::Program AssertModel(const std::string& message) {
  ProgramBuilder b;
  int v = b.Var("v", 0);
  ProcessBuilder w = b.Process("Writer", 2, {"b"});
  w.Write(v, -1, b.Add(b.Self(), b.C(1)), "v = self + 1");
  w.Read(0, v, -1, "let b = v");
  w.Assert(b.Eq(b.L(0), b.Add(b.Self(), b.C(1))), message, "assert b == self + 1");
  w.End();
  return b.Build();
}

TEST(Search, FailedAssertIsAViolationWithTheStepThatFailed) {
  result::Report report = Bfs(AssertModel(""));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.properties, 2);  // Writer's assert and deadlock freedom
  const result::Violation& v = report.violations.at(0);
  EXPECT_EQ(v.kind, ViolationKind::kAssert);
  EXPECT_EQ(v.property, "assert at line 3");
  EXPECT_EQ(v.message, "b == self + 1");
  ASSERT_EQ(v.trace.size(), 3u);
  EXPECT_EQ(v.trace[0].process, "Writer[0]");
  EXPECT_EQ(v.trace[1].process, "Writer[1]");
  EXPECT_EQ(v.trace[2].process, "Writer[0]");
  EXPECT_EQ(v.trace[2].statement, "let b = v");
  EXPECT_EQ(Changes(v.trace[2]), "b = 2");

  result::Report with_message = Bfs(AssertModel("v must be mine"));
  EXPECT_EQ(with_message.violations.at(0).message, "v must be mine");
}

TEST(Search, UnreachableCoverIsAViolationWithoutTrace) {
  ProgramBuilder b;
  int v = b.Var("v", 0);
  ProcessBuilder p = b.Process("P", 1, {});
  p.Write(v, -1, b.C(1), "v = 1");
  p.End();
  b.Cover("seven", b.Eq(b.G(v), b.C(7)), "v == 7", {v});
  b.Cover("one", b.Eq(b.G(v), b.C(1)), "v == 1", {v});
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].kind, ViolationKind::kCover);
  EXPECT_EQ(report.violations[0].property, "seven");
  EXPECT_EQ(report.violations[0].message, "cover seven is never reached");
  EXPECT_TRUE(report.violations[0].trace.empty());
  ASSERT_EQ(report.covers_reached.size(), 1u);
  EXPECT_EQ(report.covers_reached[0].property, "one");
  EXPECT_EQ(report.covers_reached[0].trace.size(), 1u);
}

TEST(Search, CoverIsNotJudgedWhenTheSearchStoppedEarly) {
  ProgramBuilder b;
  int v = b.Var("v", 0);
  ProcessBuilder p = b.Process("P", 1, {});
  p.Write(v, -1, b.C(1), "v = 1");
  p.End();
  b.Cover("seven", b.Eq(b.G(v), b.C(7)), "v == 7", {v});
  result::Report report = Search(b.Build(), SearchOptions{.max_states = 1});
  EXPECT_EQ(report.verdict, Verdict::kInconclusive);
  EXPECT_TRUE(report.violations.empty());
}

// Two unprotected increments of `count`.
ir::Program LostUpdate() {
  ProgramBuilder b;
  int count = b.Var("count", 0);
  ProcessBuilder p = b.Process("Inc", 2, {"t"});
  p.Read(0, count, -1, "let t = count");
  p.Write(count, -1, b.Add(b.L(0), b.C(1)), "count = t + 1");
  p.End();
  b.Final("both_counted", b.Eq(b.G(count), b.C(2)), "count == 2", {count});
  return b.Build();
}

TEST(Search, FinalIsCheckedWhenEveryoneIsDone) {
  result::Report report = Bfs(LostUpdate());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& v = report.violations.at(0);
  EXPECT_EQ(v.kind, ViolationKind::kFinal);
  EXPECT_EQ(v.message, "count == 2 is false");
  EXPECT_EQ(v.values.at(0).value, "1");
  EXPECT_EQ(v.trace.size(), 4u);
}

TEST(Search, AtomicBlockIsOneStep) {
  ProgramBuilder b;
  int count = b.Var("count", 0);
  ProcessBuilder p = b.Process("Inc", 2, {"t"});
  p.AtomicBegin();
  p.Read(0, count, -1, "let t = count");
  p.Write(count, -1, b.Add(b.L(0), b.C(1)), "count = t + 1");
  p.AtomicEnd();
  p.End();
  b.Final("both_counted", b.Eq(b.G(count), b.C(2)), "count == 2", {count});
  ir::Program program = b.Build();
  result::Report report = Search(program, SearchOptions{.symmetry = false});
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  // Initial, either one done, both done (finished instances' locals are cleared: one state);
  // with symmetry reduction "either one done" is one state.
  EXPECT_EQ(report.stats.states, 4u);
  EXPECT_EQ(Bfs(program).stats.states, 3u);
}

TEST(Search, AtomicBlockThatWouldBlockDoesNotStart) {
  // B's atomic block sets w = 1 and clears it again around `lock mu`; if the block could stop
  // at the lock, a state with w == 1 would be reachable.
  ProgramBuilder b;
  int v = b.Var("v", 0);
  int w = b.Var("w", 0);
  int mu = b.Lock("mu");
  ProcessBuilder a = b.Process("A", 1, {});
  a.Acquire(mu, -1, "lock mu");
  a.Write(v, -1, b.C(5), "v = 5");
  a.Release(mu, -1, "release mu");
  a.End();
  ProcessBuilder c = b.Process("B", 1, {"t"});
  c.Let(0, b.C(1), "let t = 1");
  c.AtomicBegin();
  c.Write(w, -1, b.C(1), "w = 1");
  c.Acquire(mu, -1, "lock mu");
  c.Write(w, -1, b.C(0), "w = 0");
  c.Release(mu, -1, "release mu");
  c.AtomicEnd();
  c.End();
  b.Invariant("w_hidden", b.Eq(b.G(w), b.C(0)), "w == 0", {w});
  b.Final("v_set", b.Eq(b.G(v), b.C(5)), "v == 5", {v});
  ir::Program program = b.Build();
  EXPECT_EQ(Bfs(program).verdict, Verdict::kSafe);
  EXPECT_EQ(Dfs(program).verdict, Verdict::kSafe);
}

TEST(Search, DivisionByZeroIsARuntimeError) {
  ProgramBuilder b;
  int d = b.Var("d", 0);
  ProcessBuilder p = b.Process("P", 1, {"x", "y"});
  p.Read(0, d, -1, "let x = d");
  p.Let(1, b.Op(ir::ExprOp::kDiv, b.C(10), b.L(0)), "let y = 10 / x");
  p.End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& v = report.violations.at(0);
  EXPECT_EQ(v.kind, ViolationKind::kRuntimeError);
  // Runtime errors belong to no property.
  EXPECT_EQ(v.property, "");
  EXPECT_EQ(v.message, "division by zero, at line 2 in P[0]: let y = 10 / x");
  ASSERT_EQ(v.trace.size(), 1u);
  EXPECT_EQ(v.trace[0].statement, "let x = d");
  // A local's first value shows even when it is the 0 it started with.
  EXPECT_EQ(Changes(v.trace[0]), "x = 0");
}

TEST(Search, IndexOutOfRangeIsARuntimeError) {
  ProgramBuilder b;
  int acct = b.Array("acct", 1, {10, 20});
  ProcessBuilder p = b.Process("P", 3, {});
  p.Write(acct, b.Self(), b.C(0), "acct[self] = 0");
  p.End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).message, "index 0 is outside acct[1..2], at line 1 in P[0]: acct[self] = 0");
}

TEST(Search, ValueOutsideInt32IsARuntimeError) {
  ProgramBuilder b;
  int v = b.Var("v", INT32_MAX);
  ProcessBuilder p = b.Process("P", 1, {"t"});
  p.Read(0, v, -1, "let t = v");
  p.Write(v, -1, b.Add(b.L(0), b.C(1)), "v = t + 1");
  p.End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // The addition itself fails: every arithmetic result must fit in 32 bits, not only stored ones.
  EXPECT_EQ(report.violations.at(0).message,
            "arithmetic overflow: 2147483647 + 1 = 2147483648 does not fit in 32 bits, at line 2 in P[0]: v = t + 1");
}

// The first violation of P: `let x = m` with m = `initial`, `text` (y = op on x, and -1 for
// a binary op), then `assert y == 0`; empty when there is none.
std::string SmallestIntViolation(ir::ExprOp op, const std::string& text, ir::Value initial = ir::kMinInt) {
  ProgramBuilder b;
  int m = b.Var("m", initial);
  ProcessBuilder p = b.Process("P", 1, {"x", "y"});
  p.Read(0, m, -1, "let x = m");
  p.Let(1, b.Op(op, b.L(0), op == ir::ExprOp::kAbs ? -1 : b.C(-1)), text);
  p.Assert(b.Eq(b.L(1), b.C(0)), "", "assert y == 0");
  p.End();
  result::Report report = Bfs(b.Build());
  return report.violations.empty() ? "" : report.violations[0].message;
}

TEST(Search, TheSmallestIntHasAQuotientByMinusOneAndAnAbsoluteValue) {
  // Issue 11: -2147483648 is NULL, so the smallest integer is -2147483647 and these fit
  // (the first violation is then the assertion y == 0).
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kMod, "let y = x % -1"), "");
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kDiv, "let y = x / -1"), "y == 0");
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kAbs, "let y = abs(x)"), "y == 0");
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kAdd, "let y = x + -1"),
            "arithmetic overflow: -2147483647 + (-1) = -2147483648 is below the smallest integer, -2147483647, at "
            "line 2 in P[0]: let y = x + -1");
}

TEST(Search, NullIsNoOperandOfArithmeticInProcessCode) {
  // Issue 11: NULL (ir::kNull) in arithmetic outside SQL is a runtime error naming the operator.
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kDiv, "let y = x / -1", ir::kNull),
            "null in '/': it needs a value (test for null first: x is null, x == null), at line 2 in P[0]: "
            "let y = x / -1");
  EXPECT_EQ(SmallestIntViolation(ir::ExprOp::kAbs, "let y = abs(x)", ir::kNull),
            "null in 'abs': it needs a value (test for null first: x is null, x == null), at line 2 in P[0]: "
            "let y = abs(x)");
}

TEST(Search, ReleasingALockNotHeldIsARuntimeError) {
  ProgramBuilder b;
  int mu = b.Lock("mu");
  ProcessBuilder p = b.Process("P", 1, {});
  p.Release(mu, -1, "release mu");
  p.End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).message, "releasing lock mu, which it does not hold, at line 1 in P[0]: release mu");
}

TEST(Search, LocalLoopWithoutAStepIsARuntimeError) {
  ProgramBuilder b;
  ProcessBuilder p = b.Process("Spin", 1, {"i"});
  p.Let(0, b.Op(ir::ExprOp::kMod, b.Add(b.L(0), b.C(1)), b.C(7)), "i = (i + 1) % 7");
  p.Jump(0);
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_EQ(report.violations.at(0).message, "Spin[0] loops without a step at line 1");
}

TEST(Search, StateLimitMakesTheSearchInconclusive) {
  result::Report report = Search(Withdraw(true), SearchOptions{.max_states = 3});
  EXPECT_EQ(report.verdict, Verdict::kInconclusive);
  EXPECT_EQ(report.inconclusive_reason, "stopped after 3 states (--max-states)");
  EXPECT_EQ(report.stats.states, 3u);
  EXPECT_TRUE(report.violations.empty());
}

// A counter that goes up (modulo 100 million) forever: too many states to finish quickly.
// With `flag`, Flag[0] also sets a flag, which breaks `unflagged` in one step.
ir::Program UpForever(bool flag) {
  ProgramBuilder b;
  int count = b.Var("count", 0);
  ProcessBuilder p = b.Process("Up", 1, {"t"});
  p.Read(0, count, -1, "let t = count");
  p.Write(count, -1, b.Op(ir::ExprOp::kMod, b.Add(b.L(0), b.C(1)), b.C(100'000'000)), "count = (t + 1) % N");
  p.Jump(0);
  if (flag) {
    int flag_var = b.Var("flag", 0);
    ProcessBuilder f = b.Process("Flag", 1, {});
    f.Write(flag_var, -1, b.C(1), "flag = 1");
    f.End();
    b.Invariant("unflagged", b.Eq(b.G(flag_var), b.C(0)), "flag == 0", {flag_var});
  }
  return b.Build();
}

TEST(Search, TimeAndMemoryLimitsMakeTheSearchInconclusive) {
  ir::Program program = UpForever(false);
  result::Report timed = Search(program, SearchOptions{.max_seconds = 0.2});
  EXPECT_EQ(timed.verdict, Verdict::kInconclusive);
  EXPECT_EQ(timed.inconclusive_reason, "stopped after 0.2 seconds (--max-seconds)");
  EXPECT_LT(timed.stats.seconds, 5.0);

  result::Report bounded = Search(program, SearchOptions{.max_memory_bytes = 64 << 20});
  EXPECT_EQ(bounded.verdict, Verdict::kInconclusive);
  EXPECT_NE(bounded.inconclusive_reason.find("(--max-memory)"), std::string::npos) << bounded.inconclusive_reason;
  EXPECT_GT(bounded.stats.states, 100'000u);
}

TEST(Search, ViolationFoundBeforeALimitIsStillAViolation) {
  // With --all the search goes on past the flag (where it is still down) into the limit.
  result::Report report = Search(UpForever(true), SearchOptions{.all = true, .max_states = 1000});
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.inconclusive_reason, "stopped after 1000 states (--max-states)");
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].trace.size(), 1u);
}

TEST(Search, AllReportsOneShortestTracePerProperty) {
  ProgramBuilder b;
  int count = b.Var("count", 0);
  ProcessBuilder p = b.Process("Inc", 2, {"t"});
  p.Read(0, count, -1, "let t = count");
  p.Write(count, -1, b.Add(b.L(0), b.C(1)), "count = t + 1");
  p.End();
  b.Invariant("never_two", b.Ne(b.G(count), b.C(2)), "count != 2", {count});
  b.Final("both_counted", b.Eq(b.G(count), b.C(2)), "count == 2", {count});
  ir::Program program = b.Build();

  result::Report first = Bfs(program);
  ASSERT_EQ(first.violations.size(), 1u);

  result::Report all = Search(program, SearchOptions{.all = true});
  ASSERT_EQ(all.verdict, Verdict::kViolation);
  ASSERT_EQ(all.violations.size(), 2u);
  EXPECT_EQ(all.violations[0].property, first.violations[0].property);
  EXPECT_NE(all.violations[1].property, all.violations[0].property);
  for (const result::Violation& v : all.violations) {
    EXPECT_TRUE(v.property == "never_two" || v.property == "both_counted") << v.property;
    EXPECT_EQ(v.trace.size(), 4u);
  }
  // A complete search despite the violations.
  EXPECT_TRUE(all.inconclusive_reason.empty());
}

TEST(Search, RunsEndWhereAnInvariantFails) {
  // w = 1 is only reachable through the state where v == 0 already failed.
  ProgramBuilder b;
  int v = b.Var("v", 0);
  int w = b.Var("w", 0);
  ProcessBuilder p = b.Process("P", 1, {});
  p.Write(v, -1, b.C(1), "v = 1");
  p.Write(w, -1, b.C(1), "w = 1");
  p.End();
  b.Invariant("v_zero", b.Eq(b.G(v), b.C(0)), "v == 0", {v});
  b.Invariant("w_zero", b.Eq(b.G(w), b.C(0)), "w == 0", {w});
  result::Report report = Search(b.Build(), SearchOptions{.all = true});
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].property, "v_zero");
  EXPECT_EQ(report.stats.states, 2u);
}

// balance = START + id, START in 100..101, amount in 1..self+1 (unused), id = self + 10.
ir::Program ParamModel(bool with_invariant) {
  ProgramBuilder b;
  int start = b.Param("START", 100, 101);
  int balance = b.Var("balance", 0);
  ProcessBuilder p = b.Process("Withdraw", 2, {"amount", "id"});
  p.RangeParam(0, b.C(1), b.Add(b.Self(), b.C(1)));
  p.DefaultParam(1, b.Add(b.Self(), b.C(10)));
  p.Write(balance, -1, b.Add(b.P(start), b.L(1)), "balance = START + id");
  p.End();
  if (with_invariant) b.Invariant("never_111", b.Ne(b.G(balance), b.C(111)), "balance != 111", {balance});
  return b.Build();
}

TEST(Search, ParametersGiveOneInitialStatePerCombination) {
  // 2 values of START x 1 of Withdraw[0].amount x 2 of Withdraw[1].amount = 4 initial states,
  // each followed by W0 wrote, W1 wrote, both; finished instances forget their amount, so
  // states after W1 finished are shared by W1's two amounts: 4 x 3 + 2 = 14.
  result::Report safe = Bfs(ParamModel(false));
  EXPECT_EQ(safe.verdict, Verdict::kSafe);
  EXPECT_EQ(safe.stats.states, 14u);

  result::Report violated = Bfs(ParamModel(true));
  ASSERT_EQ(violated.verdict, Verdict::kViolation);
  const result::Violation& v = violated.violations.at(0);
  // Step 0 lists the choices: from the first initial state, Withdraw[1] writes 100 + 11.
  ASSERT_EQ(v.trace.size(), 2u);
  EXPECT_EQ(v.trace[0].number, 0);
  EXPECT_EQ(v.trace[0].process, "");
  EXPECT_EQ(Changes(v.trace[0]), "START = 100, Withdraw[0].amount = 1, Withdraw[1].amount = 1");
  EXPECT_EQ(v.trace[1].number, 1);
  EXPECT_EQ(v.trace[1].process, "Withdraw[1]");
  EXPECT_EQ(Changes(v.trace[1]), "balance 0 -> 111");
}

TEST(Search, EmptyParamRangeIsReported) {
  ProgramBuilder b;
  b.Param("N", 5, 3);
  b.Process("P", 1, {}).End();
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).kind, ViolationKind::kRuntimeError);
  EXPECT_EQ(report.violations.at(0).message, "param N has an empty range 5..3");
}

TEST(Search, ArrayValuesAreListedByElement) {
  ProgramBuilder b;
  int acct = b.Array("acct", 1, {10, 20});
  ProcessBuilder p = b.Process("P", 1, {});
  p.Write(acct, b.C(2), b.C(0), "acct[2] = 0");
  p.End();
  b.Invariant("funded", b.Op(ir::ExprOp::kGt, b.G(acct, b.C(2)), b.C(0)), "acct[2] > 0", {acct});
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& v = report.violations.at(0);
  ASSERT_EQ(v.values.size(), 2u);
  EXPECT_EQ(v.values[0].name, "acct[1]");
  EXPECT_EQ(v.values[0].value, "10");
  EXPECT_EQ(v.values[1].name, "acct[2]");
  EXPECT_EQ(v.values[1].value, "0");
}

TEST(Search, InvariantFalseInTheInitialStateHasAnEmptyTrace) {
  ProgramBuilder b;
  int flag = b.Var("flag", 0, /*is_bool=*/true);
  b.Process("P", 1, {}).End();
  b.Invariant("raised", b.G(flag), "flag", {flag});
  result::Report report = Bfs(b.Build());
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_TRUE(report.violations.at(0).trace.empty());
  EXPECT_EQ(report.violations.at(0).values.at(0).value, "false");
}

TEST(Search, BfsAndDfsAgreeOnSafeModels) {
  std::vector<ir::Program> programs;
  programs.push_back(Withdraw(true));
  programs.push_back(Withdraw(false, ir::Runtime::kEventLoop, false));
  programs.push_back(Withdraw(true, ir::Runtime::kEventLoop, true));
  programs.push_back(OppositeLocks(true));
  {
    ir::Program lost = LostUpdate();
    lost.properties.clear();
    programs.push_back(lost);
  }
  for (const ir::Program& program : programs) {
    result::Report bfs = Bfs(program);
    result::Report dfs = Dfs(program);
    EXPECT_EQ(bfs.verdict, Verdict::kSafe);
    EXPECT_EQ(dfs.verdict, bfs.verdict);
    EXPECT_EQ(dfs.search, "dfs");
    EXPECT_EQ(dfs.stats.states, bfs.stats.states);
    EXPECT_EQ(dfs.stats.transitions, bfs.stats.transitions);
  }
}

TEST(Search, DfsFindsTheRaceToo) {
  result::Report report = Dfs(Withdraw(false));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_GE(report.violations.at(0).trace.size(), 4u);
}

}  // namespace
}  // namespace racecheck::explore
