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
  EXPECT_EQ(footprints.ResourceName(footprints.TableResource(0)), "database");
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
  EXPECT_FALSE(ample.Independent(state.data(), 0));
  EXPECT_FALSE(ample.Independent(state.data(), 1));
  // Every step is visible: reduction can never apply, and is switched off for the whole search.
  EXPECT_FALSE(ample.active());
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


// ---- The program-level switch and the finer resources --------------------------------------

// States with and without reduction, the verdicts and first traces checked to agree.
struct Counts {
  uint64_t on = 0, off = 0, reduced = 0;
};
Counts Compare(const ir::Program& program) {
  result::Report on = Same(program);
  result::Report off = SearchWith(program, false);
  return {on.stats.states, off.stats.states, on.stats.reduced_expansions};
}

int32_t VarNamed(const ir::Program& program, const std::string& name) {
  for (size_t v = 0; v < program.vars.size(); ++v) {
    if (program.vars[v].name == name) return static_cast<int32_t>(v);
  }
  ADD_FAILURE() << "no variable " << name;
  return 0;
}

bool Has(const ir::Footprints&, const uint64_t* set, int32_t resource) {
  return (set[resource / 64] >> (resource % 64) & 1) != 0;
}

// Issue 15's optimistic withdrawal: every step either changes what the invariant reads or reads
// what every other instance's future writes, so the footprints switch reduction off.
TEST(PorSwitch, OffWhenNoStepCanEverBeChosen) {
  ir::Program program = Compile(R"(model optimistic
const N = 3
shared balance = 15
shared version = 0
ghost withdrawn = 0
process W[N] {
    retry at most 3 {
        let loc = 0
        let v = 0
        atomic {
            loc = balance
            v = version
        }
        if loc < 10 {
            break
        }
        let ok = false
        atomic {
            if version == v {
                balance = loc - 10
                version = version + 1
                withdrawn += 10
                ok = true
            }
        }
        if not ok {
            continue
        }
    }
}
invariant inv: balance + withdrawn == 15 and balance >= 0
)");
  EXPECT_FALSE(ir::Footprints(program).AnyMayBeChosen());
  EXPECT_FALSE(Ample(program).active());
  Counts counts = Compare(program);
  EXPECT_EQ(counts.reduced, 0u);
}

TEST(PorSwitch, OnWhereSomeStepMayBeChosen) {
  ir::Program program = Compile(kIndependent);
  ir::Footprints footprints(program);
  EXPECT_TRUE(footprints.AnyMayBeChosen());
  EXPECT_TRUE(footprints.MayBeChosen(0, 0));
  EXPECT_TRUE(Ample(program).active());
}

// A step that reads what every other instance writes, in every one of their futures, is never
// chosen; one that reads a variable nobody else writes may be.
TEST(PorSwitch, PerPcWhereTheStepMayBeChosen) {
  ir::Program program = Compile(R"(model per_pc
shared x = 0
shared y = 0
process A {
    let a = x
    y = 1
}
process B {
    x = 1
    x = 2
}
final f: y == 1
)");
  ir::Footprints footprints(program);
  // A's first step reads x, which B writes until it ends: never independent.
  EXPECT_FALSE(footprints.MayBeChosen(0, 0));
  EXPECT_TRUE(footprints.AnyMayBeChosen());
  Compare(program);
}

constexpr const char* kElements = R"(model elements
shared a[2] = 0
process A {
    a[0] = 1
    a[0] = 2
    a[0] = 3
}
process B {
    a[%s] = 1
    a[%s] = 2
    a[%s] = 3
}
final done: a[0] == 3
)";

std::string Fill(const char* text, const std::string& with) {
  std::string out;
  for (const char* c = text; *c; ++c) {
    if (c[0] == '%' && c[1] == 's') {
      out += with;
      ++c;
    } else {
      out += *c;
    }
  }
  return out;
}

TEST(PorElements, ConstantIndicesAreResourcesOfTheirOwn) {
  ir::Program program = Compile(Fill(kElements, "1"));
  ir::Footprints footprints(program);
  EXPECT_EQ(footprints.ResourceName(footprints.VarResource(0, 1)), "a[1]");
  EXPECT_TRUE(Has(footprints, footprints.StepWrites(1, 0), footprints.VarResource(0, 1)));
  EXPECT_FALSE(Has(footprints, footprints.StepWrites(1, 0), footprints.VarResource(0, 0)));
  Counts counts = Compare(program);
  EXPECT_EQ(counts.off, 16u);
  EXPECT_EQ(counts.on, 7u);
}

TEST(PorElements, TheSameElementOrAnUnknownIndexIsNotReduced) {
  Counts same = Compare(Compile(Fill(kElements, "0")));
  EXPECT_EQ(same.on, same.off);
  // A chosen index may be either element: B's writes touch both.
  std::string chosen = Fill(kElements, "i");
  chosen.replace(chosen.find("process B {\n") + 12, 0, "    choose i in 0..1\n");
  Counts unknown = Compare(Compile(chosen));
  EXPECT_EQ(unknown.on, unknown.off);
}

constexpr const char* kSelfIndexed = R"(model self_indexed
shared a[1..2] = 0
process P[2](k = self + 1) {
    a[k] = 1
    a[k] = 2
    a[self + 1] = 3
}
final done: a[1] == 3 and a[2] == 3
)";

TEST(PorElements, SelfAndUnassignedParametersAreConstantsPerInstance) {
  ir::Program program = Compile(kSelfIndexed);
  ir::Footprints footprints(program);
  EXPECT_TRUE(Has(footprints, footprints.StepWrites(0, 0), footprints.VarResource(0, 0)));
  EXPECT_FALSE(Has(footprints, footprints.StepWrites(0, 0), footprints.VarResource(0, 1)));
  EXPECT_TRUE(Has(footprints, footprints.StepWrites(1, 0), footprints.VarResource(0, 1)));
  Counts counts = Compare(program);
  EXPECT_LT(counts.on, counts.off);
}

TEST(PorElements, AnAssignedParameterIsNoConstant) {
  std::string text = kSelfIndexed;
  text.replace(text.find("    a[k] = 1"), 0, "    k = 2 - self\n");
  ir::Program program = Compile(text);
  ir::Footprints footprints(program);
  // After `k = 2 - self` P[0] writes a[2]: its footprint must hold every element.
  EXPECT_TRUE(Has(footprints, footprints.FutureWrites(0, 0), footprints.VarResource(0, 1)));
  Counts counts = Compare(program);
  EXPECT_EQ(counts.on, counts.off);
}

TEST(PorElements, LockElements) {
  ir::Program program = Compile(R"(model lock_elements
lock m[2]
shared a[2] = 0
process P[2] {
    lock m[self] {
        a[self] = 1
    }
}
final done: a[0] == 1 and a[1] == 1
)");
  ir::Footprints footprints(program);
  EXPECT_EQ(footprints.ResourceName(footprints.LockResource(0, 1)), "lock m[1]");
  Counts counts = Compare(program);
  EXPECT_LT(counts.on, counts.off);
}

constexpr const char* kAdditions = R"(model additions
shared a[2] = 0
ghost g = 0
process P[2] {
    a[self] = 1
    g %s
    a[self] = 2
    g += 1
}
final f: g >= 0
)";

TEST(PorGhosts, AdditionsOfOneSignCommute) {
  ir::Program program = Compile(Fill(kAdditions, "+= 2"));
  ir::Footprints footprints(program);
  int32_t g = VarNamed(program, "g");
  int32_t add = footprints.GhostAddResource(g);
  ASSERT_GE(add, 0);
  EXPECT_EQ(footprints.ResourceName(add), "g (+=)");
  EXPECT_TRUE(Has(footprints, footprints.StepWrites(0, 0), add));
  EXPECT_FALSE(Has(footprints, footprints.FutureAccesses(1, 0), add));
  EXPECT_TRUE(Has(footprints, footprints.FutureWrites(1, 0), add));
  EXPECT_FALSE(Has(footprints, footprints.StepReads(0, 0), footprints.VarResource(g)));
  Counts counts = Compare(program);
  EXPECT_LT(counts.on, counts.off);
}

TEST(PorGhosts, MixedSignsOrPlainWritesDoNotCommute) {
  // An addition and a subtraction may overflow in one order and not in the other.
  ir::Program mixed = Compile(Fill(kAdditions, "-= 2"));
  EXPECT_EQ(ir::Footprints(mixed).GhostAddResource(VarNamed(mixed, "g")), -1);
  Counts counts = Compare(mixed);
  EXPECT_EQ(counts.on, counts.off);
  // A plain write conflicts with the other's additions.
  ir::Program plain = Compile(Fill(kAdditions, "= 5"));
  ir::Footprints footprints(plain);
  int32_t add = footprints.GhostAddResource(VarNamed(plain, "g"));
  ASSERT_GE(add, 0);
  EXPECT_TRUE(Has(footprints, footprints.StepReads(0, 0), add));
  // The step with the plain write is never chosen (the last steps, additions both, still are).
  EXPECT_FALSE(footprints.MayBeChosen(0, 0));
  EXPECT_FALSE(footprints.MayBeChosen(1, 0));
  Compare(plain);
}

TEST(PorGhosts, AnAdditionAnInvariantReadsIsVisible) {
  std::string text = Fill(kAdditions, "+= 2");
  text.replace(text.find("final f"), 5, "invariant");
  ir::Program program = Compile(text);
  ir::Footprints footprints(program);
  EXPECT_TRUE(Has(footprints, footprints.property_reads().data(), footprints.GhostAddResource(VarNamed(program, "g"))));
  EXPECT_FALSE(footprints.MayBeChosen(0, 0));
  Counts counts = Compare(program);
  EXPECT_EQ(counts.on, counts.off);
}

constexpr const char* kTables = R"(model tables
table t1(id key, v) { (1, 0) }
table t2(id key, v) { (1, 0) }
process A {
    update t1 set v = 1 where id = 1
    update t1 set v = 2 where id = 1
    update t1 set v = 3 where id = 1
}
process B {
    update %s set v = 1 where id = 1
    update %s set v = 2 where id = 1
    update %s set v = 3 where id = 1
}
final f: t1[1].v == 3
)";

TEST(PorTables, StatementsOnDifferentTablesCommute) {
  ir::Program program = Compile(Fill(kTables, "t2"));
  ir::Footprints footprints(program);
  ASSERT_TRUE(footprints.split_tables());
  EXPECT_NE(footprints.TableResource(0), footprints.TableResource(1));
  EXPECT_EQ(footprints.ResourceName(footprints.TableResource(1)), "table t2");
  Counts counts = Compare(program);
  EXPECT_LT(counts.on, counts.off);
  Counts same = Compare(Compile(Fill(kTables, "t1")));
  EXPECT_EQ(same.on, same.off);
}

// A transaction's statement may fail and roll back its rows on every table it used; a
// repeatable-read transaction's first statement copies every table of its snapshot.
TEST(PorTables, TransactionsTieTheirTablesTogether) {
  for (const char* isolation : {"", " isolation repeatable_read"}) {
    ir::Program program = Compile(std::string(R"(model tied
table t1(id key, v) { (1, 0) }
table t2(id key, v) { (1, 0) }
process A {
    transaction)") + isolation + R"( {
        update t1 set v = 1 where id = 1
        update t2 set v = 1 where id = 1
    }
}
process B {
    update t2 set v = 2 where id = 1
    update t2 set v = 3 where id = 1
}
final f: t1[1].v == 1
)");
    ir::Footprints footprints(program);
    // A's first step (begin and the update of t1) writes t2 too: it conflicts with B's updates.
    EXPECT_TRUE(Has(footprints, footprints.StepWrites(0, 0), footprints.TableResource(1))) << isolation;
    EXPECT_FALSE(footprints.MayBeChosen(0, 0)) << isolation;
    Counts counts = Compare(program);
    EXPECT_GE(counts.off, counts.on);
  }
}

TEST(PorTables, SerializableKeepsOneDatabase) {
  ir::Program program = Compile(R"(model ssi
table t1(id key, v) { (1, 0) }
table t2(id key, v) { (1, 0) }
process A {
    transaction isolation serializable {
        let x = select v from t1 where id = 1
        update t2 set v = x + 1 where id = 1
    }
}
process B {
    transaction isolation serializable {
        let y = select v from t2 where id = 1
        update t1 set v = y + 1 where id = 1
    }
}
final f: t1[1].v + t2[1].v <= 1
)");
  ir::Footprints footprints(program);
  EXPECT_FALSE(footprints.split_tables());
  EXPECT_EQ(footprints.TableResource(0), footprints.TableResource(1));
  Counts counts = Compare(program);
  EXPECT_EQ(counts.on, counts.off);
}

constexpr const char* kKeys = R"(model keys
redis { hits[2] = 0 }
process P[2] {
    redis.INCR(hits[%s])
    redis.INCR(hits[%s])
}
final f: redis.hits[0] + redis.hits[1] == 4
)";

TEST(PorRedis, KeysOfAFamilyWithConstantIndicesCommute) {
  ir::Program program = Compile(Fill(kKeys, "self"));
  ir::Footprints footprints(program);
  EXPECT_EQ(footprints.ResourceName(footprints.RedisResource(0, 0, 1)), "redis.hits[1]");
  EXPECT_NE(footprints.RedisResource(0, 0, 0), footprints.RedisResource(0, 0, 1));
  Counts counts = Compare(program);
  EXPECT_LT(counts.on, counts.off);
}

TEST(PorRedis, TheSameKeyOrAnUnknownMemberIsNotReduced) {
  Counts same = Compare(Compile(Fill(kKeys, "0")));
  EXPECT_EQ(same.on, same.off);
  std::string chosen = Fill(kKeys, "u");
  chosen.replace(chosen.find("process P[2] {\n") + 15, 0, "    choose u in 0..1\n");
  Counts unknown = Compare(Compile(chosen));
  EXPECT_EQ(unknown.on, unknown.off);
}

}  // namespace
}  // namespace racecheck::explore
