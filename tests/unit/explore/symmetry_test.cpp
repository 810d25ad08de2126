// Symmetry reduction (docs/semantics.md, "Symmetry"): which instances the compiler finds
// interchangeable, what normalisation renames, and that the search with it gives the verdicts,
// trace lengths and concrete runs of the search without it, with fewer states.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "checker/explore/replay.h"
#include "checker/explore/symmetry.h"
#include "checker/ir/symmetry.h"
#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Collect;
using testing::Compile;
using testing::ScheduleOf;
using testing::Walk;

std::vector<std::string> GroupNames(const std::string& text) {
  ir::Program program = Compile(text);
  std::vector<std::string> names;
  for (const ir::SymmetryGroup& group : ir::FindSymmetry(program).groups) names.push_back(group.name);
  return names;
}

using Names = std::vector<std::string>;

TEST(SymmetryDetection, IdenticalInstancesAreOneGroup) {
  EXPECT_EQ(GroupNames(R"(
model m
shared x = 0
lock mu
process W[3] {
    lock mu { x = x + 1 }
}
invariant i: x <= 3
)"),
            Names{"W[0..2]"});
}

TEST(SymmetryDetection, OneGroupPerProcess) {
  EXPECT_EQ(GroupNames(R"(
model m
shared x = 0
process Reader[4] { let v = x }
process Writer[2] { x = x + 1 }
process Once { x = 0 }
)"),
            (Names{"Reader[0..3]", "Writer[0..1]"}));
}

TEST(SymmetryDetection, SelfAsAValueBreaksIt) {
  EXPECT_EQ(GroupNames(R"(
model m
shared owner = 0
process W[2] { owner = self }
)"),
            Names{});
}

TEST(SymmetryDetection, SelfAsAnIndexBreaksIt) {
  EXPECT_EQ(GroupNames(R"(
model m
shared slot[2] = 0
lock row[2]
process W[2] {
    lock row[self] { slot[self] = 1 }
}
)"),
            Names{});
}

TEST(SymmetryDetection, ADefaultWithSelfBreaksItOneWithoutDoesNot) {
  EXPECT_EQ(GroupNames(R"(
model m
shared balance = 100
process W[2](amount = 10 + self) { balance = balance - amount }
)"),
            Names{});
  EXPECT_EQ(GroupNames(R"(
model m
shared balance = 100
process W[2](amount = 10) { balance = balance - amount }
)"),
            Names{"W[0..1]"});
}

TEST(SymmetryDetection, ARangeParameterWithoutSelfKeepsIt) {
  EXPECT_EQ(GroupNames(R"(
model m
shared balance = 100
process W[3](amount in 1..3) { balance = balance - amount }
)"),
            Names{"W[0..2]"});
}

TEST(SymmetryDetection, ReplicasSplitAGroup) {
  // Round robin: W[0], W[2] on replica 0 and W[1], W[3] on replica 1.
  EXPECT_EQ(GroupNames(R"(
model m
runtime event_loop(replicas = 2)
shared hits = 0
process W[4] { hits = hits + 1 }
)"),
            (Names{"W[0], W[2]", "W[1], W[3]"}));
  EXPECT_EQ(GroupNames(R"(
model m
runtime event_loop(replicas = 2)
shared hits = 0
process W[2] on replica self { hits = hits + 1 }
)"),
            Names{});
}

TEST(SymmetryDetection, SelfInSqlOrRedisArgumentsBreaksIt) {
  // A token self + 1 only copied into a column or Redis keeps it (symmetry_tokens_test.cpp);
  // self as a row's key, or one that the code adds to, does not.
  EXPECT_EQ(GroupNames(R"(
model m
table jobs(id key, worker) { (1, 0) }
process W[2] {
    update jobs set worker = self + 1 where id = 1
}
)"),
            Names{"W[0..1]"});
  EXPECT_EQ(GroupNames(R"(
model m
table jobs(id key, worker) { (1, 0), (2, 0) }
process W[2] {
    update jobs set worker = 1 where id = self + 1
}
)"),
            Names{});
  EXPECT_EQ(GroupNames(R"(
model m
redis { lease }
process W[2] {
    let ok = redis.SET(lease, self + 1, NX)
}
)"),
            Names{"W[0..1]"});
  EXPECT_EQ(GroupNames(R"(
model m
redis { lease }
process W[2] {
    let ok = redis.SET(lease, self + 1 + 1, NX)
}
)"),
            Names{});
  EXPECT_EQ(GroupNames(R"(
model m
table jobs(id key, worker) { (1, 0) }
process W[2] {
    update jobs set worker = worker + 1 where id = 1
}
)"),
            Names{"W[0..1]"});
}

TEST(SymmetryDetection, ReasonsSayWhy) {
  ir::Program program = Compile(R"(
model m
shared x = 0
process A { x = 1 }
process B[2] { x = self * 2 }
process C[2] { x = 2 }
)");
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  EXPECT_EQ(analysis.reasons, (Names{"one instance", "a token is used in arithmetic", ""}));
}

// Time (docs/semantics.md, "Time"): each instance's takes region is a slot of its own, written
// and read through `self` by the compiler; that use alone keeps the instances interchangeable.
constexpr const char* kTimedLease = R"(
model m
redis { lease, done = 0 }
ghost holders = 0
process W[3] {
    takes 0..5 {
        if redis.SET(lease, 1, NX, PX = 8) {
            holders += 1
            pause 0..6
            redis.INCR(done)
            holders -= 1
            redis.DEL(lease)
        }
    }
}
invariant mutual_exclusion: holders <= 1
)";

TEST(SymmetryDetection, ATimedModelKeepsItsGroups) {
  ir::Program program = Compile(kTimedLease);
  ASSERT_TRUE(program.timed);
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  EXPECT_EQ(analysis.reasons, Names{""});
  ASSERT_EQ(analysis.groups.size(), 1u);
  EXPECT_EQ(analysis.groups[0].name, "W[0..2]");
  // A process without takes in a timed model is symmetric too.
  EXPECT_EQ(GroupNames(R"(
model m
redis { lease }
shared x = 0
process Timed { takes 0..3 { redis.SET(lease, 1, PX = 5) } }
process R[2] { x = x + 1 }
)"),
            Names{"R[0..1]"});
}

TEST(SymmetryDetection, ATimedModelWithATokenPerInstanceIsAccepted) {
  // The lease's value names its holder (self + 1), a token renamed with its instance.
  ir::Program program = Compile(R"(
model m
redis { lease }
process W[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            redis.eval { if redis.GET(lease) == self + 1 { redis.DEL(lease) } }
        }
    }
}
)");
  ASSERT_TRUE(program.timed);
  EXPECT_EQ(ir::FindSymmetry(program).reasons, Names{""});
}

TEST(SymmetryDetection, ATakesRegionNamedOtherwiseThanAtSelfIsRefused) {
  ir::Program program = Compile(kTimedLease);
  const ir::Process& process = program.processes[0];
  ASSERT_GE(process.region_var, 0);
  // The compiler only writes region[self]; a write of region[0] (another instance's region for
  // all but W[0]) could not be moved with the blocks.
  bool changed = false;
  for (ir::Instr& instr : program.processes[0].code) {
    if (instr.op != ir::Op::kGhostWrite || instr.var != process.region_var) continue;
    ir::Expr zero;
    zero.op = ir::ExprOp::kConst;
    program.exprs.push_back(zero);
    instr.index = static_cast<int32_t>(program.exprs.size()) - 1;
    changed = true;
    break;
  }
  ASSERT_TRUE(changed);
  ir::SymmetryAnalysis analysis = ir::FindSymmetry(program);
  EXPECT_TRUE(analysis.groups.empty());
  EXPECT_EQ(analysis.reasons, Names{"its code names a takes region other than its own"});
}

// ---------------------------------------------------------------------------
// Normalisation

constexpr const char* kMutex = R"(
model m
shared x = 0
lock mu
process W[3] {
    lock mu {
        let b = x
        x = b + 1
    }
}
invariant i: x <= 3
)";

std::vector<ir::Value> Normal(Symmetry& symmetry, const std::vector<ir::Value>& state,
                              std::vector<int32_t>* perm = nullptr) {
  std::vector<ir::Value> out(state.size());
  symmetry.Normalise(state.data(), out.data(), perm);
  return out;
}

TEST(SymmetryNormalise, RenamesTheLockHolderWithItsBlock) {
  ir::Program program = Compile(kMutex);
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  Walk walk(program);
  walk.Move("W[2]");  // acquires mu
  walk.Move("W[2]");  // reads x into b
  int32_t lock = program.locks[0].first_slot;
  ASSERT_EQ(walk.state()[lock], 3);  // W[2] + 1
  std::vector<int32_t> perm;
  std::vector<ir::Value> normal = Normal(symmetry, walk.state(), &perm);
  // W[2]'s block (pc past the acquire) sorts after the two at pc 0: it stays where it is.
  EXPECT_EQ(normal[lock], perm[2] + 1);
  const ir::Instance& holder = program.instances[perm[2]];
  EXPECT_EQ(normal[holder.base_slot], walk.state()[program.instances[2].base_slot]);

  // W[0] done, W[1] holding, W[2] at the start: sorted W[0] (pc -1), W[2] (pc 0), W[1], so the
  // holder moves to the last place and the lock names it there.
  Walk other(program);
  for (int k = 0; k < 4; ++k) other.Move("W[0]");  // acquire, read, write, release: done
  other.Move("W[1]");                              // acquires
  ASSERT_EQ(other.state()[lock], 2);
  std::vector<ir::Value> moved = Normal(symmetry, other.state(), &perm);
  EXPECT_EQ(perm, (std::vector<int32_t>{0, 2, 1}));
  EXPECT_EQ(moved[lock], 3);
  EXPECT_EQ(moved[program.instances[perm[1]].base_slot], other.state()[program.instances[1].base_slot]);
}

TEST(SymmetryNormalise, IsAPermutationAndIdempotentAndOrbitStable) {
  ir::Program program = Compile(kMutex);
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  Walk walk(program);
  walk.Move("W[1]");
  walk.Move("W[1]");
  std::vector<int32_t> perm;
  std::vector<ir::Value> normal = Normal(symmetry, walk.state(), &perm);
  std::vector<ir::Value> applied(normal.size());
  symmetry.Apply(walk.state().data(), perm, applied.data());
  EXPECT_EQ(applied, normal);
  EXPECT_EQ(Normal(symmetry, normal), normal);
  // Every renaming of the state has the same normal form here (blocks all differ).
  std::vector<int32_t> p = {0, 1, 2};
  do {
    std::vector<ir::Value> renamed(normal.size());
    symmetry.Apply(walk.state().data(), p, renamed.data());
    EXPECT_EQ(Normal(symmetry, renamed), normal);
  } while (std::next_permutation(p.begin(), p.end()));
}

TEST(SymmetryNormalise, RenamesRowOwnersAndWaiters) {
  ir::Program program = Compile(R"(
model m
table accounts(id key, balance) { (1, 100) }
process W[2] {
    transaction {
        update accounts set balance = balance - 10 where id = 1
    }
}
)");
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  const ir::Table& table = program.tables[0];
  Walk walk(program);
  walk.Move("W[1]");  // W[1] updates: it owns the row
  walk.Move("W[0]");  // W[0] waits for it, first in line
  std::vector<ir::Value>& state = walk.state();
  ASSERT_EQ(state[table.OwnerSlot(0)], 2);
  std::vector<int32_t> perm;
  std::vector<ir::Value> normal = Normal(symmetry, state, &perm);
  EXPECT_EQ(normal[table.OwnerSlot(0)], perm[1] + 1);
  if (state[table.WaiterSlot(0)] != 0) {
    EXPECT_EQ(normal[table.WaiterSlot(0)], perm[state[table.WaiterSlot(0)] - 1] + 1);
  }
  // Swapping the two renames both slots.
  std::vector<ir::Value> swapped(state.size());
  symmetry.Apply(state.data(), {1, 0}, swapped.data());
  EXPECT_EQ(swapped[table.OwnerSlot(0)], 1);
  EXPECT_EQ(swapped[program.instances[0].base_slot], state[program.instances[1].base_slot]);
}

TEST(SymmetryNormalise, PermutesSsiMasks) {
  ir::Program program = Compile(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
process W[3] {
    transaction isolation serializable {
        let a = select v from t where id = 1
        update t set v = a + 1 where id = 2
    }
}
)");
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  const ir::Process& process = program.processes[0];
  ASSERT_GE(process.db.txn, 0);
  std::vector<ir::Value> state(program.slot_count, 0);
  auto txn = [&](std::vector<ir::Value>& s, int32_t i) { return s.data() + program.instances[i].base_slot + process.db.txn; };
  txn(state, 0)[ir::kSsiIn] = 0b100 | ir::kSsiOther;  // an edge in from W[2] and from a forgotten one
  txn(state, 2)[ir::kSsiOut] = 0b001;                  // W[2] -> W[0]
  txn(state, 1)[ir::kSsiConcurrent] = 0b101;
  std::vector<ir::Value> out(state.size());
  symmetry.Apply(state.data(), {2, 0, 1}, out.data());  // W[0] -> 2, W[1] -> 0, W[2] -> 1
  EXPECT_EQ(txn(out, 2)[ir::kSsiIn], 0b010 | ir::kSsiOther);
  EXPECT_EQ(txn(out, 1)[ir::kSsiOut], 0b100);
  EXPECT_EQ(txn(out, 0)[ir::kSsiConcurrent], 0b110);
}

TEST(SymmetryNormalise, MovesTakesRegionsWithTheirBlocks) {
  ir::Program program = Compile(kTimedLease);
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  Walk walk(program);
  // Its first step opens its region (5 + 1) and takes the lease; holders += 1 and the pause (6
  // more) ride along with it. Its second runs INCR.
  const std::vector<int32_t>& regions = program.region_slots;
  walk.Move("W[2]");
  ASSERT_EQ(walk.state()[regions[2]], 12);
  walk.Move("W[2]");
  std::vector<ir::Value>& state = walk.state();
  ASSERT_EQ(state[regions[2]], 12);
  ASSERT_EQ(state[regions[0]], 0);
  std::vector<ir::Value> swapped(state.size());
  symmetry.Apply(state.data(), {2, 1, 0}, swapped.data());
  EXPECT_EQ(swapped[regions[0]], 12);
  EXPECT_EQ(swapped[regions[2]], 0);
  EXPECT_EQ(swapped[program.instances[0].base_slot], state[program.instances[2].base_slot]);
  std::vector<int32_t> perm;
  std::vector<ir::Value> normal = Normal(symmetry, state, &perm);
  EXPECT_EQ(normal[regions[perm[2]]], 12);
  for (int32_t i : {0, 1}) EXPECT_EQ(normal[regions[perm[i]]], 0);
}

// NormaliseSuccessor places the mover's block only when the parent's blocks are in order and
// nobody else's changed; whatever the case, it must give what Normalise gives. Checked on every
// successor of every state reachable, with the parents as stored (normalised) and, for a
// parent out of order, as reached.
void ExpectSuccessorsNormaliseAlike(const std::string& text, size_t min_states) {
  ir::Program program = Compile(text);
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  Stepper stepper(program);
  size_t width = static_cast<size_t>(program.slot_count);
  std::vector<std::vector<ir::Value>> queue;
  std::set<std::vector<ir::Value>> seen;
  EnumerateInitialStates(program, [&](const ir::Value* s) {
    queue.emplace_back(s, s + width);
    return true;
  });
  size_t moved = 0, compared = 0;
  for (size_t q = 0; q < queue.size() && q < 20000; ++q) {
    const std::vector<ir::Value> parent = queue[q];
    symmetry.SetParent(parent.data());
    for (size_t i = 0; i <= program.instances.size(); ++i) {
      Collect collect(width);
      if (i < program.instances.size()) {
        if (parent[program.instances[i].base_slot] == ir::kDonePc) continue;
        stepper.Step(parent.data(), static_cast<int32_t>(i), collect);
      } else {
        stepper.StepEnvironment(parent.data(), collect);
      }
      for (const std::vector<ir::Value>& successor : collect.successors) {
        std::vector<ir::Value> fast(width), slow(width);
        symmetry.NormaliseSuccessor(successor.data(), static_cast<int32_t>(i), fast.data());
        symmetry.Normalise(successor.data(), slow.data());
        ASSERT_EQ(fast, slow) << "a successor of state " << q << " by mover " << i;
        ++compared;
        if (slow != successor) ++moved;
        // The successor as reached (not normalised) is a parent too, usually out of order.
        for (const std::vector<ir::Value>& next : {slow, successor}) {
          if (seen.insert(next).second) queue.push_back(next);
        }
      }
    }
  }
  symmetry.SetParent(nullptr);
  EXPECT_GE(seen.size(), min_states);
  EXPECT_GT(moved, 0u) << "no successor needed a renaming: the test shows nothing";
  EXPECT_GT(compared, min_states);
}

TEST(SymmetryNormalise, ASuccessorNormalisesAsAnyStateDoes) {
  ExpectSuccessorsNormaliseAlike(kMutex, 30);
  // Blocks that other instances' steps change (SSI masks, a deadlock victim's row waits).
  ExpectSuccessorsNormaliseAlike(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
process W[3] {
    transaction isolation serializable {
        let a = select v from t where id = 1
        update t set v = a + 1 where id = 2
    } on failure retry at most 1
}
)", 100);
  ExpectSuccessorsNormaliseAlike(R"(
model m
table t(id key, v) { (1, 0), (2, 0) }
process A[2] {
    transaction {
        update t set v = v + 1 where id = 1
        update t set v = v + 1 where id = 2
    }
}
process B[2] {
    transaction {
        update t set v = v + 1 where id = 2
        update t set v = v + 1 where id = 1
    }
}
allow deadlock
)", 50);
  // Groups of two processes, and the environment's moves (a lease running out).
  ExpectSuccessorsNormaliseAlike(R"(
model m
redis { lease }
shared x = 0
process P[3] {
    if redis.SET(lease, 1, NX, PX = 10) {
        x = x + 1
        redis.DEL(lease)
    }
}
process Q[2] {
    x = x + 2
}
)", 30);
}

// Two instances at the same place whose regions differ: ordered by their regions, so that every
// renaming of the state has one normal form.
TEST(SymmetryNormalise, TakesRegionsBreakTiesOfEqualBlocks) {
  ir::Program program = Compile(R"(
model m
redis { k }
shared x = 0
process W[3] {
    takes 0..9 {
        redis.SET(k, 1, PX = 20)
        x = x + 1
    }
}
)");
  Symmetry symmetry(program, ir::FindSymmetry(program).groups);
  ASSERT_TRUE(symmetry.active());
  // W[0] sets the lease, 3 ms pass (its region has 6 left), W[1] sets it again (9 left).
  Walk timed(program);
  timed.Move("W[0]");
  std::vector<std::vector<ir::Value>> moves = timed.Environment();
  ASSERT_GE(moves.size(), 3u);
  timed.state() = moves[2];
  timed.Move("W[1]");
  const std::vector<ir::Value>& state = timed.state();
  const std::vector<int32_t>& regions = program.region_slots;
  int32_t width = program.instances[1].base_slot - program.instances[0].base_slot;
  ASSERT_TRUE(std::equal(state.begin() + program.instances[0].base_slot,
                         state.begin() + program.instances[0].base_slot + width,
                         state.begin() + program.instances[1].base_slot));
  ASSERT_EQ(state[regions[0]], 7);
  ASSERT_EQ(state[regions[1]], 10);
  std::vector<ir::Value> normal = Normal(symmetry, state);
  std::vector<int32_t> p = {0, 1, 2};
  do {
    std::vector<ir::Value> renamed(state.size());
    symmetry.Apply(state.data(), p, renamed.data());
    EXPECT_EQ(Normal(symmetry, renamed), normal);
  } while (std::next_permutation(p.begin(), p.end()));
}

// ---------------------------------------------------------------------------
// The search with and without it

result::Report SearchWith(const ir::Program& program, bool symmetry, bool all = false) {
  SearchOptions options;
  options.symmetry = symmetry;
  options.all = all;
  return Search(program, options);
}

TEST(SymmetrySearch, FewerStatesSameVerdict) {
  ir::Program program = Compile(R"(
model m
const N = 5
const A = 10
shared balance = A * N / 2
ghost withdrawn = 0
lock mu
process W[N] {
    lock mu {
        let b = balance
        if b >= A {
            balance = b - A
            withdrawn += A
        }
    }
}
invariant conservation: balance + withdrawn == A * N / 2 and balance >= 0
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  EXPECT_EQ(reduced.verdict, result::Verdict::kSafe);
  EXPECT_EQ(full.verdict, result::Verdict::kSafe);
  EXPECT_LT(reduced.stats.states * 10, full.stats.states);
  EXPECT_EQ(reduced.stats.depth, full.stats.depth);
  EXPECT_EQ(reduced.symmetry, Names{"W[0..4]"});
  EXPECT_TRUE(full.symmetry.empty());
}

// The violation's run is concrete: as long as without symmetry, and it replays step by step
// with the instances as the model numbers them.
TEST(SymmetrySearch, TracesAreConcreteAndShortest) {
  ir::Program program = Compile(R"(
model m
shared balance = 100
ghost withdrawn = 0
process W[3] {
    let b = balance
    if b >= 40 {
        balance = b - 40
        withdrawn += 40
    }
}
invariant conservation: balance + withdrawn == 100
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  ASSERT_EQ(reduced.verdict, result::Verdict::kViolation);
  ASSERT_EQ(full.verdict, result::Verdict::kViolation);
  ASSERT_EQ(reduced.violations[0].trace.size(), full.violations[0].trace.size());
  for (size_t k = 0; k < full.violations[0].trace.size(); ++k) {
    EXPECT_EQ(reduced.violations[0].trace[k].process, full.violations[0].trace[k].process) << k;
    EXPECT_EQ(reduced.violations[0].trace[k].statement, full.violations[0].trace[k].statement) << k;
  }
  EXPECT_EQ(reduced.violations[0].values.size(), full.violations[0].values.size());
  EXPECT_LT(reduced.stats.states, full.stats.states);
}

TEST(SymmetrySearch, DeadlockWaitsNameTheConcreteRun) {
  ir::Program program = Compile(R"(
model m
lock mu
process W[3] {
    acquire mu
}
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  ASSERT_EQ(reduced.verdict, result::Verdict::kDeadlock);
  ASSERT_EQ(full.verdict, result::Verdict::kDeadlock);
  EXPECT_EQ(reduced.violations[0].blocked, full.violations[0].blocked);
  ASSERT_EQ(reduced.violations[0].trace.size(), full.violations[0].trace.size());
  for (size_t k = 0; k < full.violations[0].trace.size(); ++k) {
    EXPECT_EQ(reduced.violations[0].trace[k].process, full.violations[0].trace[k].process) << k;
  }
}

TEST(SymmetrySearch, AFailedStepNamesItsConcreteInstance) {
  ir::Program program = Compile(R"(
model m
shared count = 0
process W[3] {
    let c = count
    count = c + 1
    let d = 10 / (2 - c)
}
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  ASSERT_EQ(reduced.verdict, result::Verdict::kViolation);
  ASSERT_EQ(full.verdict, result::Verdict::kViolation);
  EXPECT_EQ(reduced.violations[0].message, full.violations[0].message);
  ASSERT_FALSE(reduced.violations[0].trace.empty());
  EXPECT_EQ(reduced.violations[0].trace.back().process, full.violations[0].trace.back().process);
  EXPECT_EQ(reduced.violations[0].trace.size(), full.violations[0].trace.size());
}

TEST(SymmetrySearch, InitialStatesOfRangeParametersAreNormalised) {
  ir::Program program = Compile(R"(
model m
shared total = 0
process W[3](amount in 1..3) { total = total + amount }
invariant small: total <= 9
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  EXPECT_EQ(reduced.verdict, result::Verdict::kSafe);
  EXPECT_EQ(full.verdict, result::Verdict::kSafe);
  EXPECT_LT(reduced.stats.states, full.stats.states);
}

// Timed: leases and takes regions move with the instances, time passing is one move for all.
TEST(SymmetrySearch, TimedFewerStatesSameVerdictAndConcreteTraces) {
  ir::Program program = Compile(kTimedLease);
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  EXPECT_EQ(reduced.symmetry, Names{"W[0..2]"});
  ASSERT_EQ(reduced.verdict, result::Verdict::kViolation);
  ASSERT_EQ(full.verdict, result::Verdict::kViolation);
  // The search stops at the violation, after few states either way.
  EXPECT_LT(reduced.stats.states, full.stats.states);
  const result::Violation& a = reduced.violations.at(0);
  const result::Violation& b = full.violations.at(0);
  EXPECT_EQ(a.property, b.property);
  ASSERT_EQ(a.trace.size(), b.trace.size());
  // The lease ran out under its holder: time passed in the run.
  EXPECT_TRUE(std::any_of(a.trace.begin(), a.trace.end(), [](const result::Step& s) { return s.process == "time"; }));
  // The reduced run is a run of the model as it numbers its instances: replayed step by step,
  // it meets the same violation with the same steps.
  ReplayResult replay = Replay(program, ScheduleOf(program, a.trace));
  EXPECT_EQ(replay.problem, "");
  ASSERT_TRUE(replay.violation.has_value());
  EXPECT_EQ(replay.violation->property, a.property);
  ASSERT_EQ(replay.violation->trace.size(), a.trace.size());
  for (size_t k = 0; k < a.trace.size(); ++k) {
    EXPECT_EQ(replay.violation->trace[k].process, a.trace[k].process) << k;
    EXPECT_EQ(replay.violation->trace[k].statement, a.trace[k].statement) << k;
  }
}

TEST(SymmetrySearch, TimedSafeModelAllViolationsAndDepth) {
  // The work fits the lease: safe, and the same depth either way; with --all the same violations.
  ir::Program program = Compile(R"(
model m
redis { lease, done = 0 }
ghost holders = 0
process W[3] {
    takes 0..4 {
        if redis.SET(lease, 1, NX, PX = 6) {
            holders += 1
            redis.INCR(done)
            holders -= 1
            redis.DEL(lease)
        }
    }
}
invariant mutual_exclusion: holders <= 1
cover all_worked: redis.done == 3
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  EXPECT_EQ(reduced.verdict, result::Verdict::kSafe);
  EXPECT_EQ(full.verdict, result::Verdict::kSafe);
  EXPECT_EQ(reduced.stats.depth, full.stats.depth);
  EXPECT_LT(reduced.stats.states * 3, full.stats.states);
  ir::Program broken = Compile(kTimedLease);
  result::Report reduced_all = SearchWith(broken, true, /*all=*/true);
  result::Report full_all = SearchWith(broken, false, /*all=*/true);
  ASSERT_EQ(reduced_all.violations.size(), full_all.violations.size());
  for (size_t v = 0; v < full_all.violations.size(); ++v) {
    EXPECT_EQ(reduced_all.violations[v].property, full_all.violations[v].property);
    EXPECT_EQ(reduced_all.violations[v].trace.size(), full_all.violations[v].trace.size());
  }
}

// A crash closes the crashed request's region, a replica's crash those of its requests: both
// treat the instances of a group alike, so the reduced search finds what the full one does.
TEST(SymmetrySearch, TimedWithCrashesAndReplicaCrashes) {
  std::string crashing = kTimedLease;
  crashing.replace(crashing.find("process W[3] {"), 14, "process W[3] may crash {");
  for (const std::string& text : {crashing, std::string(R"(
model m
runtime event_loop(replicas = 2)
replica may crash
redis { lease, done = 0 }
ghost holders = 0
process W[4] {
    takes 0..4 {
        if redis.SET(lease, 1, NX, PX = 9) {
            holders += 1
            await
            redis.INCR(done)
            holders -= 1
            redis.DEL(lease)
        }
    }
}
invariant mutual_exclusion: holders <= 1
)")}) {
    ir::Program program = Compile(text);
    result::Report reduced = SearchWith(program, true, /*all=*/true);
    result::Report full = SearchWith(program, false, /*all=*/true);
    EXPECT_FALSE(reduced.symmetry.empty());
    EXPECT_LT(reduced.stats.states, full.stats.states);
    EXPECT_EQ(reduced.stats.depth, full.stats.depth);
    ASSERT_EQ(reduced.violations.size(), full.violations.size());
    for (size_t v = 0; v < full.violations.size(); ++v) {
      EXPECT_EQ(reduced.violations[v].kind, full.violations[v].kind);
      EXPECT_EQ(reduced.violations[v].property, full.violations[v].property);
      EXPECT_EQ(reduced.violations[v].trace.size(), full.violations[v].trace.size());
    }
  }
}

TEST(SymmetrySearch, OffWhenTheModelUsesSelf) {
  ir::Program program = Compile(R"(
model m
shared last = 0
process W[3] { last = self }
)");
  result::Report reduced = SearchWith(program, true);
  result::Report full = SearchWith(program, false);
  EXPECT_TRUE(reduced.symmetry.empty());
  EXPECT_EQ(reduced.stats.states, full.stats.states);
}

}  // namespace
}  // namespace racecheck::explore
