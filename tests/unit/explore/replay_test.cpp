#include "checker/explore/replay.h"

#include <gtest/gtest.h>

#include "checker/explore/search.h"
#include "tests/unit/explore/program_builder.h"
#include "tests/unit/explore/withdraw_program.h"

namespace racecheck::explore {
namespace {

using testing::ProcessBuilder;
using testing::ProgramBuilder;
using testing::Withdraw;

result::Schedule Steps(std::vector<int32_t> instances) {
  result::Schedule schedule;
  for (int32_t i : instances) schedule.steps.push_back({i, {}});
  return schedule;
}

TEST(Replay, GivesTheExplicitSearchsTraceAndViolation) {
  ir::Program program = Withdraw(false);
  result::Report searched = Search(program, SearchOptions{});
  ReplayResult replay = Replay(program, Steps({0, 1, 0, 1}));
  EXPECT_EQ(replay.problem, "");
  ASSERT_TRUE(replay.violation.has_value());
  EXPECT_EQ(replay.steps_run, 4);
  const result::Violation& a = searched.violations.at(0);
  const result::Violation& b = *replay.violation;
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.property, b.property);
  EXPECT_EQ(a.message, b.message);
  ASSERT_EQ(a.values.size(), b.values.size());
  for (size_t k = 0; k < a.values.size(); ++k) EXPECT_EQ(a.values[k].value, b.values[k].value);
  ASSERT_EQ(a.trace.size(), b.trace.size());
  for (size_t k = 0; k < a.trace.size(); ++k) {
    EXPECT_EQ(a.trace[k].process, b.trace[k].process);
    EXPECT_EQ(a.trace[k].statement, b.trace[k].statement);
    ASSERT_EQ(a.trace[k].changes.size(), b.trace[k].changes.size());
    for (size_t c = 0; c < a.trace[k].changes.size(); ++c) {
      EXPECT_EQ(a.trace[k].changes[c].name, b.trace[k].changes[c].name);
      EXPECT_EQ(a.trace[k].changes[c].new_value, b.trace[k].changes[c].new_value);
    }
  }
}

TEST(Replay, ARunThatMeetsNoViolationSaysSo) {
  // Withdraw[1] reads 20 and is done in that step.
  ReplayResult replay = Replay(Withdraw(false), Steps({0, 0, 1}));
  EXPECT_EQ(replay.problem, "");
  EXPECT_FALSE(replay.violation.has_value());
  EXPECT_EQ(replay.steps_run, 3);
  EXPECT_EQ(replay.trace.size(), 3u);
}

TEST(Replay, AnInstanceThatCannotMoveIsAProblem) {
  ReplayResult replay = Replay(Withdraw(true), Steps({0, 1}));
  EXPECT_EQ(replay.problem, "step 2: Withdraw[1] cannot move: it waits for lock mu");
}

TEST(Replay, AFinishedInstanceIsAProblem) {
  ReplayResult replay = Replay(Withdraw(false), Steps({0, 0, 0}));
  EXPECT_EQ(replay.problem, "step 3: Withdraw[0] has finished");
}

// choose n in 1..3, then write it: three branches.
ir::Program Chooser(bool twice_in_one_step) {
  ProgramBuilder b(ir::Runtime::kThreads, "chooser");
  int x = b.Var("x", 0);
  ProcessBuilder p = b.Process("P", 1, {"n", "m"});
  p.Choose(0, b.C(1), b.C(3), "choose n in 1..3");
  if (twice_in_one_step) {
    // Back to the choose once more before any visible access: one step, two choices.
    p.Let(1, b.Add(b.L(1), b.C(1)), "m = m + 1");
    int again = p.BranchFalse(b.Lt(b.L(1), b.C(2)), -1, "if m < 2");
    p.Jump(0);
    p.SetTarget(again, p.Next());
  }
  p.Write(x, -1, b.L(0), "x = n");
  p.End();
  b.Invariant("not_three", b.Ne(b.G(x), b.C(3)), "x != 3", {x});
  return b.Build();
}

TEST(Replay, ChoicesPickTheBranch) {
  ir::Program program = Chooser(false);
  result::Schedule schedule;
  schedule.steps.push_back({0, {{0, 2}}});
  ReplayResult replay = Replay(program, schedule);
  EXPECT_EQ(replay.problem, "");
  EXPECT_FALSE(replay.violation.has_value());
  schedule.steps[0].choices[0].value = 3;
  replay = Replay(program, schedule);
  EXPECT_EQ(replay.problem, "");
  ASSERT_TRUE(replay.violation.has_value());
  EXPECT_EQ(replay.violation->property, "not_three");
}

TEST(Replay, AChoiceOutOfRangeOrMissingIsAProblem) {
  ir::Program program = Chooser(false);
  result::Schedule schedule;
  schedule.steps.push_back({0, {{0, 7}}});
  EXPECT_NE(Replay(program, schedule).problem.find("takes no branch"), std::string::npos);
  schedule.steps[0].choices.clear();
  EXPECT_NE(Replay(program, schedule).problem.find("takes no branch"), std::string::npos);
}

TEST(Replay, AChooseThatRunsTwiceInOneStepTakesTwoValues) {
  ir::Program program = Chooser(true);
  result::Schedule schedule;
  schedule.steps.push_back({0, {{0, 1}, {0, 3}}});
  ReplayResult replay = Replay(program, schedule);
  EXPECT_EQ(replay.problem, "");
  ASSERT_TRUE(replay.violation.has_value()) << "the second value is the one written";
  schedule.steps[0].choices = {{0, 3}, {0, 1}};
  replay = Replay(program, schedule);
  EXPECT_EQ(replay.problem, "");
  EXPECT_FALSE(replay.violation.has_value());
}

TEST(Replay, ParameterValuesMustLieInTheirRanges) {
  ProgramBuilder b(ir::Runtime::kThreads, "params");
  int p = b.Param("p", 1, 1000000);
  int x = b.Var("x", 0);
  ProcessBuilder w = b.Process("W", 1, {});
  w.Write(x, -1, b.P(p), "x = p");
  w.End();
  b.Invariant("small", b.Lt(b.G(x), b.C(500000)), "x < 500000", {x});
  ir::Program program = b.Build();
  result::Schedule schedule = Steps({0});
  schedule.params.push_back({-1, 0, 700000});
  ReplayResult replay = Replay(program, schedule);
  EXPECT_EQ(replay.problem, "");
  ASSERT_TRUE(replay.violation.has_value());
  ASSERT_FALSE(replay.violation->trace.empty());
  EXPECT_EQ(replay.violation->trace[0].changes.at(0).new_value, "700000");
  schedule.params[0].value = 0;
  EXPECT_EQ(Replay(program, schedule).problem, "the schedule gives param p the value 0, outside 1..1000000");
}

}  // namespace
}  // namespace racecheck::explore
