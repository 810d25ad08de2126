// End-to-end tests of the language's semantics: .cr text through the front end, the compiler
// and the explicit engine, checking verdicts and state counts that follow from docs/semantics.md.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "checker/driver/expectation.h"
#include "checker/driver/pipeline.h"

namespace racecheck::driver {
namespace {

using result::Verdict;

class ModelFile {
 public:
  explicit ModelFile(const std::string& text) {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("racecheck_pipeline_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".cr"))
                .string();
    std::ofstream(path_) << text;
  }
  ~ModelFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

result::Report RunModel(const std::string& text, bool dfs = false, bool por = true) {
  ModelFile file(text);
  RunOptions options;
  options.search.dfs = dfs;
  options.search.por = por;
  RunOutcome outcome = CheckModel(file.path(), options);
  EXPECT_TRUE(outcome.report.has_value()) << outcome.diagnostics;
  return outcome.report.value_or(result::Report{});
}

std::string FirstProperty(const result::Report& report) {
  return report.violations.empty() ? "" : report.violations[0].property;
}

TEST(Semantics, CompoundAssignmentIsAReadStepAndAWriteStep) {
  result::Report r = RunModel("model m\nshared x = 0\nprocess P[2] { x += 1 }\nfinal both: x == 2\n");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(FirstProperty(r), "both");
  ASSERT_FALSE(r.violations.empty());
  EXPECT_EQ(r.violations[0].trace.size(), 4u);  // read, read, write, write
}

TEST(Semantics, AtomicCompoundAssignmentIsOneStep) {
  result::Report r = RunModel("model m\nshared x = 0\nprocess P[2] { atomic { x += 1 } }\nfinal both: x == 2\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, ReadInAConditionIsItsOwnStep) {
  // Check-then-act with the check reading shared state directly: still a race.
  result::Report r = RunModel(
      "model m\nshared stock = 1\nghost sold = 0\n"
      "process Buy[2] { if stock > 0 { stock = stock - 1\n sold += 1 } }\n"
      "invariant no_oversell: sold <= 1\n");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(FirstProperty(r), "no_oversell");
}

TEST(Semantics, GhostUpdatesRideAlongWithTheirStep) {
  // withdrawn and balance change in the same step, so conservation holds in every state.
  result::Report r = RunModel(
      "model m\nshared balance = 100\nghost withdrawn = 0\nlock mu\n"
      "process W[2] { lock mu { let b = balance\n if b >= 30 { balance = b - 30\n withdrawn += 30 } } }\n"
      "invariant conservation: balance + withdrawn == 100\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, RetryRunsTheBodyAtMostKTimesThenTheElseBlock) {
  result::Report r = RunModel(
      "model m\nshared attempts = 0\nshared gave_up = false\n"
      "process P { retry at most 3 { attempts += 1\n continue } else { gave_up = true } }\n"
      "final exactly_three: attempts == 3 and gave_up\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, BreakLeavesRetryWithoutTheElseBlock) {
  result::Report r = RunModel(
      "model m\nshared attempts = 0\nshared gave_up = false\n"
      "process P { retry at most 3 { attempts += 1\n if attempts == 2 { break }\n continue } else { gave_up = true } }\n"
      "final two: attempts == 2 and not gave_up\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, WhileWithBreakAndContinue) {
  result::Report r = RunModel(
      "model m\nshared total = 0\n"
      "process P { let i = 0\n while true { i = i + 1\n if i == 2 { continue }\n if i > 4 { break }\n total += i } }\n"
      "final sum: total == 1 + 3 + 4\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, ChooseBranchesAndAssumePrunes) {
  result::Report r = RunModel(
      "model m\nshared x = 0\nprocess P { choose v in 1..5\n assume v % 2 == 0\n x = v }\n"
      "final even: x == 2 or x == 4\ncover four: x == 4\n");
  EXPECT_EQ(r.verdict, Verdict::kSafe);
}

TEST(Semantics, GlobalParamsBranchTheInitialStates) {
  result::Report r = RunModel(
      "model m\nparam start in 0..100\nshared balance = 0\n"
      "process Init { balance = start }\nfinal small: balance < 100\n");
  EXPECT_EQ(r.verdict, Verdict::kViolation);
  ASSERT_FALSE(r.violations.empty());
  ASSERT_FALSE(r.violations[0].trace.empty());
  EXPECT_EQ(r.violations[0].trace[0].number, 0);  // step 0 names the parameter choice
  EXPECT_EQ(r.violations[0].trace[0].changes.at(0).new_value, "100");
}

TEST(Semantics, ArraysAndIndexErrors) {
  result::Report ok = RunModel(
      "model m\nshared acct[1..2] = {100, 50}\nlock row[1..2]\n"
      "process T { lock row[1] { lock row[2] { acct[1] = acct[1] - 10\n acct[2] = acct[2] + 10 } } }\n"
      "invariant total: acct[1] + acct[2] == 150\n");
  EXPECT_EQ(ok.verdict, Verdict::kViolation) << "invariants hold in every state, also between the two writes: money in flight";
  result::Report bad = RunModel("model m\nshared a[3] = 0\nprocess P { let i = 3\n a[i] = 1 }\n");
  EXPECT_EQ(bad.verdict, Verdict::kViolation);
  ASSERT_FALSE(bad.violations.empty());
  EXPECT_EQ(bad.violations[0].kind, result::ViolationKind::kRuntimeError);
}

TEST(Semantics, EventLoopTasksRunToTheirNextAwait) {
  const char* racy =
      "model m\nruntime event_loop\nshared x = 0\nprocess P[2] { let v = x\n await\n x = v + 1 }\nfinal both: x == 2\n";
  const char* safe =
      "model m\nruntime event_loop\nshared x = 0\nprocess P[2] { let v = x\n x = v + 1\n await }\nfinal both: x == 2\n";
  EXPECT_EQ(RunModel(racy).verdict, Verdict::kViolation);
  EXPECT_EQ(RunModel(safe).verdict, Verdict::kSafe);
}

TEST(Semantics, EachReplicaHasItsOwnMemoryAndLocks) {
  const char* model =
      "model m\nruntime event_loop(replicas = REPLICAS)\nlock mu\nshared busy = false\nghost inside = 0\n"
      "process P[2] { lock mu { inside += 1\n await\n inside -= 1 } }\ninvariant exclusive: inside <= 1\n";
  std::string one = std::string(model).replace(std::string(model).find("REPLICAS"), 8, "1");
  std::string two = std::string(model).replace(std::string(model).find("REPLICAS"), 8, "2");
  EXPECT_EQ(RunModel(one).verdict, Verdict::kSafe);
  EXPECT_EQ(RunModel(two).verdict, Verdict::kViolation);
  // Both instances placed on replica 0: one lock again.
  std::string pinned = two;
  pinned.replace(pinned.find("process P[2]"), 12, "process P[2] on replica 0");
  EXPECT_EQ(RunModel(pinned).verdict, Verdict::kSafe);
}

TEST(Semantics, DeadlockUnlessAllowed) {
  const char* model =
      "model m\nlock a\nlock b\nprocess P { acquire a\n acquire b\n release b\n release a }\n"
      "process Q { acquire b\n acquire a\n release a\n release b }\n";
  EXPECT_EQ(RunModel(model).verdict, Verdict::kDeadlock);
  EXPECT_EQ(RunModel(std::string(model) + "allow deadlock\n").verdict, Verdict::kSafe);
}

TEST(Semantics, BothSearchOrdersAgreeOnSafeStateCounts) {
  const char* model =
      "model m\nshared x = 0\nlock mu\nprocess P[3] { lock mu { x += 1 }\n x += 1 }\nfinal bounded: x <= 6\n";
  // Without partial-order reduction both go through the same graph (with it, which states the
  // proviso keeps depends on the order).
  result::Report bfs = RunModel(model, /*dfs=*/false, /*por=*/false);
  result::Report dfs = RunModel(model, /*dfs=*/true, /*por=*/false);
  EXPECT_EQ(bfs.verdict, Verdict::kSafe);
  EXPECT_EQ(dfs.verdict, Verdict::kSafe);
  EXPECT_EQ(RunModel(model).verdict, Verdict::kSafe);
  EXPECT_EQ(RunModel(model, /*dfs=*/true).verdict, Verdict::kSafe);
  EXPECT_EQ(bfs.stats.states, dfs.stats.states);
  EXPECT_EQ(bfs.stats.transitions, dfs.stats.transitions);
}

TEST(Expectation, ExitCodes) {
  result::Report violation = RunModel("model m\nshared x = 0\nprocess P[2] { x += 1 }\nfinal both: x == 2\n"
                                 "expect violation both\n");
  EXPECT_TRUE(violation.expectation.met);
  EXPECT_EQ(ExitCodeFor(violation), kExitOk);
  result::Report wrong = RunModel("model m\nshared x = 0\nprocess P[2] { x += 1 }\nfinal both: x == 2\nexpect safe\n");
  EXPECT_FALSE(wrong.expectation.met);
  EXPECT_EQ(ExitCodeFor(wrong), kExitViolation);
  result::Report other = RunModel("model m\nshared x = 0\nprocess P[2] { x += 1 }\nfinal both: x == 2\n"
                             "invariant small: x < 5\nexpect violation small\n");
  EXPECT_FALSE(other.expectation.met) << "a different violation than the expected one is a finding";
}

TEST(Limits, MaxStatesEndsInconclusiveNeverSafe) {
  ModelFile file("model m\nshared x = 0\nprocess P[4] { let i = 0\n while i < 3 { x += 1\n i = i + 1 } }\n"
                 "expect safe\n");
  RunOptions options;
  options.search.max_states = 50;
  RunOutcome outcome = CheckModel(file.path(), options);
  ASSERT_TRUE(outcome.report);
  EXPECT_EQ(outcome.report->verdict, Verdict::kInconclusive);
  EXPECT_FALSE(outcome.report->expectation.met);
  EXPECT_EQ(ExitCodeFor(*outcome.report), kExitInconclusive);
}

TEST(Limits, MaxSecondsEndsInconclusive) {
  ModelFile file("model m\nshared x = 0\nprocess P[7] { let i = 0\n while i < 4 { x += 1\n i = i + 1 } }\n");
  RunOptions options;
  options.search.max_seconds = 0.2;
  RunOutcome outcome = CheckModel(file.path(), options);
  ASSERT_TRUE(outcome.report);
  EXPECT_EQ(outcome.report->verdict, Verdict::kInconclusive);
}

// bench/oncall_serializable3.cr: 558 states for the explicit engine, over a minute for z3.
constexpr const char* kThreeDoctors =
    "model oncall3\ntable doctors(id key, on_call) { (1, 1), (2, 1), (3, 1) }\n"
    "process Doctor[3](me = 1 + self) {\n"
    "  transaction isolation serializable {\n"
    "    let n = select count(*) from doctors where on_call = 1\n"
    "    if n >= 2 { update doctors set on_call = 0 where id = me }\n"
    "  } on failure retry at most 4\n}\n"
    "invariant someone: doctors[1].on_call + doctors[2].on_call + doctors[3].on_call >= 1\n";

bool SuggestsExplicit(const RunOutcome& outcome) {
  return outcome.notes.find("--engine explicit may answer") != std::string::npos;
}

TEST(Limits, StoppedZ3SuggestsTheExplicitEngineWhenItsInitialStatesAreFew) {
  ModelFile file(kThreeDoctors);
  RunOptions options;
  options.engine = "z3";
  options.search.max_seconds = 0.5;
  RunOutcome stopped = CheckModel(file.path(), options);
  ASSERT_TRUE(stopped.report);
  ASSERT_EQ(stopped.report->verdict, Verdict::kInconclusive);
  EXPECT_TRUE(SuggestsExplicit(stopped)) << stopped.notes;
  EXPECT_NE(stopped.notes.find("the model has 1 initial state, which"), std::string::npos) << stopped.notes;
  ASSERT_EQ(stopped.messages.size(), 1u);
  EXPECT_EQ(stopped.messages[0].severity, "note");

  // Not where the z3 engine answered, nor with both engines (the explicit one ran).
  options.search.max_seconds = 0;
  ModelFile small("model m\nshared x = 0\nprocess P[2] { x += 1 }\ninvariant ok: x <= 2\n");
  RunOutcome answered = CheckModel(small.path(), options);
  ASSERT_TRUE(answered.report);
  EXPECT_EQ(answered.report->verdict, Verdict::kSafe);
  EXPECT_FALSE(SuggestsExplicit(answered)) << answered.notes;
  options.engine = "both";
  options.search.max_seconds = 0.5;
  EXPECT_FALSE(SuggestsExplicit(CheckModel(file.path(), options)));

  // Nor where the explicit engine would have to start from too many states.
  options.engine = "z3";
  options.search.max_seconds = 0.3;
  ModelFile wide(std::string(kThreeDoctors) + "param p in 0..1000000000\nparam q in 0..1000000000\n");
  RunOutcome refused = CheckModel(wide.path(), options);
  ASSERT_TRUE(refused.report);
  EXPECT_EQ(refused.report->verdict, Verdict::kInconclusive);
  EXPECT_FALSE(SuggestsExplicit(refused)) << refused.notes;
}

TEST(Pipeline, ModelErrorsComeBackAsDiagnostics) {
  ModelFile file("model m\nprocess P { x = 1 }\n");
  RunOutcome outcome = CheckModel(file.path(), RunOptions{});
  EXPECT_FALSE(outcome.report);
  EXPECT_NE(outcome.diagnostics.find(":2:13: error: 'x' is not declared"), std::string::npos) << outcome.diagnostics;
  RunOutcome missing = CheckModel("/nonexistent/model.cr", RunOptions{});
  EXPECT_FALSE(missing.report);
  EXPECT_NE(missing.diagnostics.find("cannot read /nonexistent/model.cr"), std::string::npos);
}

}  // namespace
}  // namespace racecheck::driver
