// Replica crashes (`replica may crash`) in both engines: what a crash resets, which requests die,
// which survive, and the words of the traces (docs/semantics.md, "Replica crashes").
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

const result::Step* FindStep(const result::Violation& violation, const std::string& process) {
  for (const result::Step& step : violation.trace) {
    if (step.process == process) return &step;
  }
  return nullptr;
}

TEST(SymbolicReplicaCrash, InProcessMemoryStartsOverAndALaterRequestSeesIt) {
  // The second request has not reached the replica when it crashes: it runs on the restarted
  // one, where the flag the first set is gone.
  result::Report report = Agreed(R"(
model memory
runtime event_loop
replica may crash
shared seen = false
ghost done = 0
process R[2] {
    if not seen {
        seen = true
        done += 1
    }
}
invariant once: done <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Step* crash = FindStep(report.violations.at(0), "replica 0");
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->statement, "crashes (its memory and locks reset)");
  EXPECT_EQ(crash->line, 4);
}

TEST(SymbolicReplicaCrash, WithoutTheDeclarationNothingCrashes) {
  EXPECT_EQ(Agreed(R"(
model memory
runtime event_loop
shared seen = false
ghost done = 0
process R[2] {
    if not seen {
        seen = true
        done += 1
    }
}
invariant once: done <= 1
)").verdict, Verdict::kSafe);
}

TEST(SymbolicReplicaCrash, ARunningRequestDiesAndItsTransactionIsRolledBack) {
  // Killed between its two updates, the request's first one is undone, and it never finishes.
  result::Report report = Agreed(R"(
model undo
replica may crash
table t(id key, v) { (1, 0) }
process W {
    transaction {
        update t set v = 1 where id = 1
        update t set v = 2 where id = 1
    }
}
invariant never_half: t[1].v != 1
final written: t[1].v == 2
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& violation = report.violations.at(0);
  EXPECT_EQ(violation.property, "written");
  const result::Step* crash = FindStep(violation, "replica 0");
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->statement, "crashes (W dies, its memory and locks reset)");
}

TEST(SymbolicReplicaCrash, EveryLockOfTheReplicaIsFreedAlsoABareAcquire) {
  // The holder ends holding mu; only a crash of the replica frees it for the waiter, which had
  // not started (it waited at its first step).
  result::Report report = Agreed(R"(
model locks
replica may crash
lock mu
shared x = 0
process Holder {
    acquire mu
}
process Waiter {
    lock mu {
        x = 1
    }
}
allow deadlock
cover waiter_gets_it: x == 1
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
}

TEST(SymbolicReplicaCrash, AStuckStateIsStillADeadlock) {
  // The environment could crash the replica and free the lock, but its moves do not count.
  result::Report report = Agreed(R"(
model stuck
replica may crash
lock mu
process Holder {
    acquire mu
}
process Waiter {
    lock mu {
        skip
    }
}
)");
  ASSERT_EQ(report.verdict, Verdict::kDeadlock);
  EXPECT_EQ(report.violations.at(0).blocked.at(0),
            "Waiter waits for lock mu held by Holder, which has finished without releasing it");
}

TEST(SymbolicReplicaCrash, OnlyTheCrashedReplicaLosesItsMemory) {
  // W[0] on replica 0, W[1] on replica 1: a crash of one replica resets its own copy of n.
  result::Report report = Agreed(R"(
model two
runtime threads(replicas = 2)
replica may crash
shared n = 0
process W[2] on replica self {
    n += 1
}
final counted: n == 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Violation& violation = report.violations.at(0);
  // The first run met: W[0] counts on replica 0, W[1] dies after its read on replica 1, whose
  // copy stays 0 while replica 0's holds 1.
  const result::Step* crash = FindStep(violation, "replica 1");
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->statement, "crashes (W[1] dies, its memory and locks reset)");
  // Two replica crashes of replica 0 do nothing more than one: the bound counts them.
  EXPECT_EQ(Agreed(R"(
model bounded
runtime threads(replicas = 2)
replica may crash at most 2
shared n = 0
ghost late = 0
process W[2] on replica self {
    n += 1
    late = 1
}
invariant fine: n >= 0
)").verdict, Verdict::kSafe);
}

TEST(SymbolicReplicaCrash, AKilledRequestIsSentAgainUnderOnCrashRetry) {
  // Its own crash before `x = 1` leaves `seen` set, so its retry charges nothing; the replica's
  // crash there resets `seen` too, and the retry, on the restarted replica, charges again.
  result::Report report = Agreed(R"(
model retried
replica may crash
shared seen = false
shared x = 0
ghost charges = 0
process W may crash on crash retry at most 1 {
    if not seen {
        seen = true
        charges += 1
    }
    x = 1
}
invariant once: charges <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  const result::Step* crash = FindStep(report.violations.at(0), "replica 0");
  ASSERT_NE(crash, nullptr);
  EXPECT_EQ(crash->statement,
            "crashes (W dies, its memory and locks reset; W's client sends it again (attempt 2 of at most 2))");
  // Without retries the killed request stays dead: safe.
  EXPECT_EQ(Agreed(R"(
model not_retried
replica may crash
shared seen = false
shared x = 0
ghost charges = 0
process W may crash {
    if not seen {
        seen = true
        charges += 1
    }
    x = 1
}
invariant once: charges <= 1
)").verdict, Verdict::kSafe);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
