// Partial-order reduction: footprints, the ample choice, and verdicts and first traces that do
// not change with it (checker/explore/ample.h, checker/ir/footprint.h).
#include "checker/explore/ample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "checker/ir/footprint.h"
#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Compile;
using result::Verdict;
using result::ViolationKind;

result::Report SearchWith(const ir::Program& program, bool por, bool all = false) {
  SearchOptions options;
  options.por = por;
  options.all = all;
  return Search(program, options);
}

// The same verdict, violations and first traces with and without reduction; returns the
// reduced search's report.
result::Report Same(const ir::Program& program, bool all = false) {
  result::Report on = SearchWith(program, true, all);
  result::Report off = SearchWith(program, false, all);
  EXPECT_EQ(on.verdict, off.verdict);
  EXPECT_EQ(on.violations.size(), off.violations.size());
  for (size_t k = 0; k < std::min(on.violations.size(), off.violations.size()); ++k) {
    EXPECT_EQ(on.violations[k].message, off.violations[k].message);
    EXPECT_EQ(on.violations[k].trace.size(), off.violations[k].trace.size()) << on.violations[k].message;
    for (size_t s = 0; s < std::min(on.violations[k].trace.size(), off.violations[k].trace.size()); ++s) {
      EXPECT_EQ(on.violations[k].trace[s].process, off.violations[k].trace[s].process);
      EXPECT_EQ(on.violations[k].trace[s].statement, off.violations[k].trace[s].statement);
    }
  }
  EXPECT_EQ(off.stats.reduced_expansions, 0u);
  EXPECT_LE(on.stats.states, off.stats.states);
  return on;
}

// The initial state of a program with no parameters.
std::vector<ir::Value> Initial(const ir::Program& program) {
  std::vector<ir::Value> state;
  EnumerateInitialStates(program, [&](const ir::Value* s) {
    state.assign(s, s + program.slot_count);
    return false;
  });
  return state;
}

constexpr const char* kIndependent = R"(model independent
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
    x = 3
}
process B {
    y = 1
    y = 2
    y = 3
}
final done: x == 3 and y == 3
)";

TEST(Footprints, StepsAndFuturesOfEachPc) {
  ir::Program program = Compile(kIndependent);
  ir::Footprints footprints(program);
  int32_t x = 0, y = 1;
  ASSERT_EQ(program.vars[x].name, "x");
  auto has = [&](const uint64_t* set, int32_t resource) { return (set[resource / 64] >> (resource % 64) & 1) != 0; };
  EXPECT_TRUE(has(footprints.StepWrites(0, 0), footprints.VarResource(x)));
  EXPECT_FALSE(has(footprints.StepWrites(0, 0), footprints.VarResource(y)));
  EXPECT_TRUE(has(footprints.FutureWrites(1, 0), footprints.VarResource(y)));
  EXPECT_FALSE(has(footprints.FutureAccesses(1, 0), footprints.VarResource(x)));
  // A final reads nothing that makes a step visible.
  EXPECT_TRUE(ir::Footprints::Empty(footprints.property_reads().data(), footprints.words()));
  EXPECT_EQ(footprints.ResourceName(footprints.DatabaseResource()), "database");
}

TEST(Por, IndependentStepsAreNotInterleaved) {
  ir::Program program = Compile(kIndependent);
  result::Report on = Same(program);
  result::Report off = SearchWith(program, false);
  EXPECT_EQ(on.verdict, Verdict::kSafe);
  // Without reduction every interleaving of the two three-step runs: 4 x 4 states; with it
  // one order: A's three steps, then B's.
  EXPECT_EQ(off.stats.states, 16u);
  EXPECT_EQ(on.stats.states, 7u);
  EXPECT_GT(on.stats.reduced_expansions, 0u);
}

TEST(Por, DependentStepsAreAllExpanded) {
  ir::Program program = Compile(R"(model dependent
shared x = 0
process A[2] {
    x = x + 1
    x = x + 1
}
final two: x >= 1
)");
  result::Report on = Same(program);
  EXPECT_EQ(on.stats.states, SearchWith(program, false).stats.states);
}

TEST(Por, AStepThatChangesWhatAnInvariantReadsIsVisible) {
  ir::Program program = Compile(R"(model visible
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
}
process B {
    y = 1
    y = 0
}
invariant small: x + y < 3
)");
  std::vector<ir::Value> state = Initial(program);
  Ample ample(program);
  ASSERT_TRUE(ample.active());
  EXPECT_FALSE(ample.Independent(state.data(), 0));
  EXPECT_FALSE(ample.Independent(state.data(), 1));
  result::Report on = Same(program);
  ASSERT_EQ(on.verdict, Verdict::kViolation);
  EXPECT_EQ(on.violations[0].trace.size(), 3u);
}

TEST(Por, InvisibleStepsOfOneInstanceAreChosen) {
  ir::Program program = Compile(R"(model invisible
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
}
process B {
    y = 1
    y = 2
}
invariant only_y: y < 2
)");
  std::vector<ir::Value> state = Initial(program);
  Ample ample(program);
  EXPECT_TRUE(ample.Independent(state.data(), 0));
  EXPECT_FALSE(ample.Independent(state.data(), 1));
  result::Report on = Same(program);
  EXPECT_EQ(on.verdict, Verdict::kViolation);
  // The recovered trace is the shortest: B's two steps.
  EXPECT_EQ(on.violations[0].trace.size(), 2u);
}

// A's toggling is invisible and independent of B, and goes round a cycle: without the proviso the
// search would take only A's steps forever and never let B write y.
TEST(Por, TheCycleProvisoLetsTheOthersMove) {
  ir::Program program = Compile(R"(model cycle
shared x = 0
shared y = 0
process A {
    while true {
        x = 1
        x = 0
    }
}
process B {
    y = 1
}
invariant never: y == 0
)");
  result::Report on = Same(program);
  ASSERT_EQ(on.verdict, Verdict::kViolation);
  EXPECT_EQ(on.violations[0].property, "never");
  EXPECT_EQ(on.violations[0].trace.size(), 1u);
  EXPECT_GT(on.stats.reduced_expansions, 0u);
}

TEST(Por, ADeadlockIsStillFound) {
  ir::Program program = Compile(R"(model deadlock
shared z = 0
lock a
lock b
process P {
    lock a {
        lock b {
        }
    }
}
process Q {
    lock b {
        lock a {
        }
    }
}
process Noise {
    z = 1
    z = 2
    z = 3
}
)");
  result::Report on = Same(program);
  ASSERT_EQ(on.verdict, Verdict::kDeadlock);
  EXPECT_EQ(on.violations[0].kind, ViolationKind::kDeadlock);
  EXPECT_GT(on.stats.reduced_expansions, 0u);
}

TEST(Por, CoversAreStillReachedAndJudged) {
  ir::Program program = Compile(R"(model covers
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
}
process B {
    y = 1
    y = 2
}
cover both: x == 2 and y == 2
cover never: x == 3
)");
  result::Report on = Same(program, /*all=*/true);
  ASSERT_EQ(on.verdict, Verdict::kViolation);
  ASSERT_EQ(on.violations.size(), 1u);
  EXPECT_EQ(on.violations[0].kind, ViolationKind::kCover);
  EXPECT_EQ(on.violations[0].property, "never");
  ASSERT_EQ(on.covers_reached.size(), 1u);
  EXPECT_EQ(on.covers_reached[0].property, "both");
}

TEST(Por, AnAssertInAnotherInstanceIsStillFound) {
  ir::Program program = Compile(R"(model asserts
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
    x = 3
}
process B {
    let v = y
    choose c in 0..2
    assert c < 2
    y = 1
}
)");
  result::Report on = Same(program);
  ASSERT_EQ(on.verdict, Verdict::kViolation);
  EXPECT_EQ(on.violations[0].kind, ViolationKind::kAssert);
}

// The reduced search finds the violation on a longer run; the report's trace is the shortest.
TEST(Por, TheShortestTraceIsRecovered) {
  ir::Program program = Compile(R"(model recover
shared x = 0
shared y = 0
process A {
    x = 1
    x = 2
    x = 3
    x = 4
}
process B {
    y = 1
}
final f: y == 0
)");
  result::Report on = Same(program);
  ASSERT_EQ(on.verdict, Verdict::kViolation);
  // All done only after A's four steps and B's one.
  EXPECT_EQ(on.violations[0].trace.size(), 5u);
}

TEST(Por, AllWithAndWithout) {
  ir::Program program = Compile(R"(model all
shared x = 0
shared y = 0
ghost g = 0
process A {
    x = 1
    assert x == 1
    x = 2
}
process B {
    y = 1
    g = 1
    y = 2
}
invariant ghost_zero: g == 0
final x_three: x == 3
)");
  Same(program, /*all=*/true);
}

TEST(Por, OffForReplicaCrashesAndTime) {
  ir::Program program = Compile(R"(model crashes
runtime threads(replicas = 2)
replica may crash
shared x = 0
process A {
    x = 1
}
process B {
    x = 2
}
)");
  EXPECT_FALSE(Ample(program).active());
}

}  // namespace
}  // namespace racecheck::explore
