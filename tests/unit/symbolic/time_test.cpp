// Time (`takes lo..hi { }`, `pause lo..hi`) in both engines: leases that last their time to live,
// regions that bound how much time passes, a crash that closes its region, and untimed models that
// keep the lease that may run out at any moment (docs/semantics.md, "Time").
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

using result::Verdict;

// The lease of models/lease_within_ttl.cr, its critical section as given: `{region}` wraps it.
std::string LeaseModel(const std::string& open, const std::string& pause, const std::string& close) {
  return R"(
model lease
redis { lease, done = 0 }
ghost holders = 0
process Worker[2] {
)" + open + R"(
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
)" + pause + R"(
            redis.INCR(done)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 {
                    redis.DEL(lease)
                }
            }
        }
)" + close + R"(
}
invariant mutual_exclusion: holders <= 1
)";
}

int TimeSteps(const result::Violation& violation, std::string* first) {
  int count = 0;
  for (const result::Step& step : violation.trace) {
    if (step.process != "time") continue;
    if (count++ == 0) *first = step.statement;
  }
  return count;
}

// A violation whose run lets time pass once, by `how` ("time passes 30 ms"), and, when some
// request waits in its takes block, the note that names it: `waits` ("Monitor waits at line 20").
void ExpectOneTimeStep(const result::Report& report, const std::string& how, const std::string& waits = "") {
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  std::string first;
  EXPECT_EQ(TimeSteps(report.violations.at(0), &first), 1);
  std::string note = waits.empty() ? "" : " (" + waits + ": its takes block does not bound time)";
  EXPECT_EQ(first, how + note);
}

TEST(SymbolicTime, WorkShorterThanTheLeaseIsSafe) {
  EXPECT_EQ(Agreed(LeaseModel("    takes 0..10 {", "", "    }")).verdict, Verdict::kSafe);
  // Up to the lease's own length: still no time for it to run out under its holder.
  EXPECT_EQ(Agreed(LeaseModel("    takes 0..29 {", "", "    }")).verdict, Verdict::kSafe);
}

TEST(SymbolicTime, WorkAsLongAsTheLeaseLetsItRunOut) {
  // 30 ms pass while the holder still works: Redis deletes the key and the second worker enters.
  result::Report report = Agreed(LeaseModel("    takes 0..30 {", "", "    }"));
  ExpectOneTimeStep(report, "time passes 30 ms");
}

TEST(SymbolicTime, APauseLongerThanTheLeaseBreaksMutualExclusion) {
  result::Report report = Agreed(LeaseModel("    takes 0..10 {", "            pause 0..40", "    }"));
  ExpectOneTimeStep(report, "time passes 30 ms");
  if (!report.violations.empty()) {
    EXPECT_EQ(report.violations[0].property, "mutual_exclusion");
  }
  // A pause that, with the work, stays under the lease changes nothing.
  EXPECT_EQ(Agreed(LeaseModel("    takes 0..10 {", "            pause 0..19", "    }")).verdict, Verdict::kSafe);
}

TEST(SymbolicTime, OutsideARegionTimePassesFreely) {
  // Only the SET is in the region; the work after it may take any time.
  result::Report report = Agreed(R"(
model free
redis { lease, done = 0 }
ghost holders = 0
process Worker[2] {
    let got = false
    takes 0..5 {
        got = redis.SET(lease, self + 1, NX, PX = 30)
    }
    if got {
        holders += 1
        redis.INCR(done)
        holders -= 1
        redis.DEL(lease)
    }
}
invariant mutual_exclusion: holders <= 1
)");
  EXPECT_EQ(report.verdict, Verdict::kViolation);
}

// A block's time starts with its first step: the time between the step before it and that first
// step is outside every block, so it may be any length (a GC pause right after taking the lease).
// Until 2026-12-06 the region counted from the end of the step before, and both models were safe.
TEST(SymbolicTime, TheTimeBeforeABlocksFirstStepIsNotTheBlocks) {
  for (const char* runtime : {"threads", "event_loop"}) {
    SCOPED_TRACE(runtime);
    std::string await = std::string(runtime) == "event_loop" ? "await " : "";
    result::Report report = Agreed(std::string("model gap\nruntime ") + runtime + R"(
redis { lease, done = 0 }
ghost holders = 0
process Worker[2] {
    let got = )" + await + R"(redis.SET(lease, self + 1, NX, PX = 30)
    if got {
        takes 0..10 {
            )" + await + R"(redis.INCR(done)
            holders += 1
            )" + await + R"(redis.INCR(done)
            holders -= 1
        }
    }
}
invariant mutual_exclusion: holders <= 1
)");
    ExpectOneTimeStep(report, "time passes 30 ms");
  }
  // Each turn of a loop enters its block anew: the time between two turns is free too.
  result::Report loop = Agreed(R"(
model turns
redis { lease, done = 0 }
ghost holders = 0
process Worker[2] {
    let turn = 0
    while turn < 2 {
        takes 0..10 {
            if redis.SET(lease, self + 1, NX, PX = 30) {
                holders += 1
                redis.INCR(done)
                holders -= 1
            }
        }
        turn += 1
    }
}
invariant mutual_exclusion: holders <= 1
)");
  EXPECT_EQ(loop.verdict, Verdict::kSafe);
}

// A request that polls inside its block (a loop that changes nothing but its locals until
// another request acts) waits, as one blocked on a lock does: its block's bound does not cover
// the wait. Until 2026-12-06 the poller's bound held the clock for everyone: here the workers,
// which make no claim about time, held the lease safely because the Monitor polled.
// Two workers take a lease once the monitor lets them go; the monitor polls inside its block
// until both have finished. A poll waits, so its block holds no time back and the lease of 30
// may run out under its holder.
std::string PollerModel(const std::string& runtime, const std::string& condition, const std::string& body = "skip") {
  return "model poller\nruntime " + runtime + R"(
redis { lease, go: list(2), fin = 0, also = 0 }
ghost holders = 0
ghost spins = 0
process Worker[2] {
    let g = redis.BLPOP(go)
    if redis.SET(lease, self + 1, NX, PX = 30) {
        holders += 1
        redis.INCR(fin)
        holders -= 1
    } else {
        redis.INCR(fin)
    }
}
process Monitor {
    takes 0..10 {
        redis.RPUSH(go, 1)
        redis.RPUSH(go, 2)
        while )" + condition + R"( {
            )" + body + R"(
        }
    }
}
invariant mutual_exclusion: holders <= 1
)";
}

TEST(SymbolicTime, APollInsideABlockWaitsAndHoldsNoTimeBack) {
  ExpectOneTimeStep(Agreed(PollerModel("threads", "redis.GET(fin) < 2")), "time passes 30 ms",
                    "Monitor waits at line 20");
}

TEST(SymbolicTime, APollOfTwoReadsARoundWaitsToo) {
  // Two reads a round: two steps, neither of which comes back to where it began, so the one-step
  // probe misses it; the loop only reads, so it polls (ir::PollCycles), under threads and under
  // the event loop (found by a new user: both engines said safe).
  for (const char* runtime : {"threads", "event_loop"}) {
    ExpectOneTimeStep(Agreed(PollerModel(runtime, "redis.GET(fin) + redis.GET(also) < 2")), "time passes 30 ms",
                      "Monitor waits at line 20");
  }
}

TEST(SymbolicTime, APollThatCountsItsRoundsInAGhostStillWaits) {
  // A ghost is bookkeeping: a round that flips one changes nothing any request does, so it still
  // polls, in one step a round and in two (found by a new user: the explicit engine said safe).
  for (const char* condition : {"redis.GET(fin) < 2", "redis.GET(fin) + redis.GET(also) < 2"}) {
    ExpectOneTimeStep(Agreed(PollerModel("threads", condition, "spins = 1 - spins")), "time passes 30 ms",
                      "Monitor waits at line 20");
  }
}

TEST(SymbolicTime, APollWithACrashPointOrAPauseIsReplayedAsItWasFound) {
  // A `may crash` poller makes a choice every round (crash or not), and a pause grows its region:
  // the replay of the z3 engine's run probed the poll with no choice to make and a tape that
  // moved, and refused the passing of time the search had allowed (an internal error).
  for (const char* condition : {"redis.GET(fin) < 2", "redis.GET(fin) + redis.GET(also) < 2"}) {
    for (const char* body : {"skip", "pause 0..5"}) {
      std::string text = PollerModel("threads", condition, body);
      text.replace(text.find("process Monitor {"), 17, "process Monitor may crash {");
      ExpectOneTimeStep(Agreed(text + "allow deadlock\n"), "time passes 30 ms", "Monitor waits at line 20");
    }
  }
}

TEST(SymbolicTime, APollOfTwoSelectsARoundWaitsToo) {
  // The holder of a 30 ms lease polls two rows until another request clears one: selects that
  // lock nothing only read, so the loop polls and time runs on while it waits (found by a new
  // user: both engines said safe).
  result::Report report = Agreed(R"(
model sql_poll
table flags(id key, v) { (1, 1), (2, 0) }
redis { lease, done = 0 }
ghost holders = 0
process Worker[2] {
    takes 0..10 {
        if redis.SET(lease, self + 1, NX, PX = 30) {
            holders += 1
            let f = 1
            while f > 0 {
                let x = select v from flags where id = 1
                let y = select v from flags where id = 2
                f = x + y
            }
            redis.INCR(done)
            holders -= 1
            redis.eval {
                if redis.GET(lease) == self + 1 { redis.DEL(lease) }
            }
        }
    }
}
process Clear {
    update flags set v = 0 where id = 1
}
invariant mutual_exclusion: holders <= 1
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  EXPECT_EQ(report.violations.at(0).property, "mutual_exclusion");
}

TEST(SymbolicTime, ACoverReachedOnlyByTheLastPassingOfTimeIsReached) {
  // The request sets two leases and finishes; 10 to 19 ms later one is gone and the other is
  // not. The z3 engine asked for covers after the reduction had constrained the next step, and
  // after a passing of time no step was left that it allowed: the run's last state was never
  // looked at, and the cover was "never reached" (found by a new user; the explicit engine
  // reached it). Its trace is rebuilt by stepping, with the z3 engine's amount of time.
  result::Report report = Agreed(R"(
model two_leases
redis { a, b }
process P {
    takes 0..5 {
        redis.eval {
            redis.SET(a, 1, PX = 10)
            redis.SET(b, 1, PX = 20)
        }
    }
}
cover a_gone_b_left: redis.a is null and redis.b is not null
)");
  EXPECT_EQ(report.verdict, Verdict::kSafe);
  ASSERT_EQ(report.covers_reached.size(), 1u);
}

TEST(SymbolicTime, AnUntimedModelKeepsTheLeaseThatMayRunOutAnyMoment) {
  // No takes block: the lease of 30 may expire at once, as before time existed.
  result::Report report = Agreed(LeaseModel("", "", ""));
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  bool expiry = false;
  for (const result::Step& step : report.violations.at(0).trace) expiry |= step.statement == "a lease expires" || step.process == "redis";
  EXPECT_TRUE(expiry);
}

TEST(SymbolicTime, ACrashedHolderHoldsNoTimeBack) {
  // The holder dies inside its region: the region closes with it, time passes, the lease runs out
  // and the other request takes the key while the dead one never released it.
  result::Report report = Agreed(R"(
model crashed_holder
redis { lease, done = 0 }
ghost taken = 0
process W may crash {
    takes 0..5 {
        if redis.SET(lease, 1, NX, PX = 30) {
            taken = 1
            redis.INCR(done)
            redis.DEL(lease)
        }
    }
}
process V {
    redis.SET(lease, 2, NX, PX = 30)
}
invariant not_before_the_work: not (taken == 1 and redis.done == 0 and redis.lease == 2)
)");
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  bool crashed = false;
  for (const result::Step& step : report.violations.at(0).trace) crashed |= step.statement == "crashes";
  EXPECT_TRUE(crashed);
}

TEST(SymbolicTime, PttlAndTtlSeeTheTimeLeft) {
  // A renewal when less than half the lease is left: PTTL and TTL see the time that passed.
  result::Report report = Agreed(R"(
model renew
redis { lease }
ghost renewed = 0
ghost rounded = 0
process W {
    takes 0..40 {
        redis.SET(lease, 1, PX = 30)
        if redis.PTTL(lease) < 15 {
            redis.PEXPIRE(lease, 30)
            renewed = 1
        }
        if redis.TTL(lease) == 0 {
            rounded = 1
        }
    }
}
invariant never_renewed: renewed == 0
)");
  ExpectOneTimeStep(report, "time passes 16 ms");
  // Under half a second left reads 0 s, half a second 1 s; PTTL never goes past the lease.
  EXPECT_EQ(Agreed(R"(
model rounding
redis { lease }
process W {
    takes 0..10 {
        redis.SET(lease, 1, PX = 499)
        assert redis.TTL(lease) == 0
        redis.SET(lease, 1, PX = 510)
        assert redis.TTL(lease) == 1      // at most 10 ms pass in the block: 500 are left
        assert redis.PTTL(lease) <= 510
    }
}
)").verdict, Verdict::kSafe);
}

TEST(SymbolicTime, TimeExpiresAWatchedKey) {
  // The lease running out is a change that makes the EXEC of a WATCHer fail.
  EXPECT_EQ(Agreed(R"(
model watch
redis { lease, k = 0 }
ghost refused = 0
process W {
    takes 0..50 {
        redis.SET(lease, 1, PX = 20)
        redis.WATCH(lease)
        let ok = redis.multi {
            redis.INCR(k)
        }
        if not ok {
            refused = 1
        }
    }
}
invariant never_refused: refused == 0
)").verdict, Verdict::kViolation);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
