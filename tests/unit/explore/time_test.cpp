// Time in the explicit engine (docs/semantics.md, "Time"): leases that hold the time they have
// left, takes regions that bound how much may pass, and the environment's move that lets d ms pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/explore/model_source.h"

namespace racecheck::explore {
namespace {

using testing::Compile;
using testing::Walk;

// The lease slot of key `key` of the only Redis declaration.
ir::Value Lease(const ir::Program& program, Walk& walk, int32_t key) {
  return walk.state()[program.redis[0].KeySlot(0, key) + 2];
}

TEST(Time, AModelWithATakesBlockIsTimedAndItsLeasesHoldTheirTime) {
  ir::Program program = Compile(R"(
model m
redis { lease, other }
process P {
    takes 0..10 {
        redis.SET(lease, 1, NX, PX = 30)
        redis.SET(other, 1, EX = 1)
    }
}
)");
  ASSERT_TRUE(program.timed);
  EXPECT_EQ(program.max_time_step, 1000);
  EXPECT_EQ(program.statements.at(program.time_statement + 11).text, "time passes 12 ms");
  Walk walk(program);
  // No lease yet: time does not move.
  EXPECT_TRUE(walk.Environment().empty());
  walk.Move("P");
  EXPECT_EQ(Lease(program, walk, 0), 30);
  // The open region may last 10 more ms: 1 to 10 may pass, no more.
  std::vector<std::vector<ir::Value>> moves = walk.Environment();
  ASSERT_EQ(moves.size(), 10u);
  walk.state() = moves[6];  // 7 ms
  EXPECT_EQ(Lease(program, walk, 0), 23);
  walk.Move("P");  // EX = 1: 1000 ms; the region closes with this step
  EXPECT_EQ(Lease(program, walk, 1), 1000);
  EXPECT_TRUE(walk.Done("P"));
  // Every request has finished: only the amounts that end a lease pass (23 ms, then 1000), as
  // no property sees a lease's remainder. The 23 ms lease runs out at 23.
  moves = walk.Environment();
  ASSERT_EQ(moves.size(), 2u);
  walk.state() = moves[0];
  EXPECT_FALSE(walk.Key("redis", 0, "lease").has_value());
  EXPECT_EQ(Lease(program, walk, 0), 0);
  EXPECT_EQ(Lease(program, walk, 1), 977);
  EXPECT_EQ(walk.Environment().size(), 1u);  // 977 ms, the last lease
  walk.state() = moves[1];
  EXPECT_FALSE(walk.Key("redis", 0, "other").has_value());
  EXPECT_TRUE(walk.Environment().empty());
}

TEST(Time, OutsideARegionWithARequestLeftEveryAmountUpToTheLongestLeasePasses) {
  ir::Program program = Compile(R"(
model m
redis { lease, k = 0 }
process P {
    takes 0..10 {
        redis.SET(lease, 1, PX = 30)
    }
    redis.INCR(k)
}
)");
  Walk walk(program);
  walk.Move("P");  // the lease; the region closes with this step
  EXPECT_EQ(walk.Environment().size(), 30u);
}

TEST(Time, APauseLetsTheRegionLastLonger) {
  ir::Program program = Compile(R"(
model m
redis { lease, k = 0 }
process P {
    takes 0..5 {
        redis.SET(lease, 1, PX = 100)
        pause 0..20
        redis.INCR(k)
    }
}
)");
  Walk walk(program);
  walk.Move("P");
  EXPECT_EQ(walk.Environment().size(), 25u);
}

// A wait inside a takes block is time the block's bound does not cover: while P waits for the
// lock Q holds, its region neither caps time nor loses it, so Q's lease may run out (a region
// that froze the clock for everyone proved a lease safe that a slow lock holder breaks).
TEST(Time, AWaitingInstancesRegionNeitherBoundsTimeNorLosesIt) {
  ir::Program program = Compile(R"(
model m
lock m
redis { lease, k = 0 }
process Q {
    lock m {
        redis.SET(lease, 1, PX = 100)
        redis.INCR(k)
    }
}
process P {
    takes 0..5 {
        redis.INCR(k)
        lock m { skip }
    }
}
)");
  Walk walk(program);
  walk.Move("Q");  // takes m
  walk.Move("Q");  // the lease
  walk.Move("P");  // INCR, the region open; P now waits for m
  EXPECT_FALSE(walk.Move("P").enabled);
  std::vector<std::vector<ir::Value>> moves = walk.Environment();
  ASSERT_EQ(moves.size(), 100u);
  int32_t region = program.region_slots[1];
  ASSERT_EQ(walk.state()[region], 6);  // 5 ms left, + 1
  walk.state() = moves[49];            // 50 ms while P waits: its region still has its 5
  EXPECT_EQ(walk.state()[region], 6);
  EXPECT_EQ(Lease(program, walk, 0), 50);
  // Q lets m go: P can move again, and its region bounds time once more.
  while (!walk.Done("Q")) walk.Move("Q");
  EXPECT_EQ(walk.Environment().size(), 5u);
}

// ir::PollCycles: which loops poll in several steps: loops that read, try a SET NX, pop or beat a
// heartbeat, with two steps a round.
TEST(Time, OnlyALoopOfReadsOfTwoOrMoreStepsIsAPollCycle) {
  auto marked = [](const std::string& loop) {
    ir::Program program = Compile("model m\nredis { a = 0, b = 0 }\nshared x = 0\nprocess P {\n    takes 0..10 {\n" +
                                  loop + "\n    }\n}\n");
    const ir::Process& process = program.processes.at(0);
    return std::count(process.poll_cycle.begin(), process.poll_cycle.end(), 1);
  };
  EXPECT_GT(marked("        while redis.GET(a) + redis.GET(b) > 0 { }"), 0);
  EXPECT_GT(marked("        while x > 0 {\n            let y = redis.GET(a)\n        }"), 0);
  // One step a round: the engines' exact probe decides.
  EXPECT_EQ(marked("        while redis.GET(a) > 0 { }"), 0);
  // A write in the round: no poll of reads (the engines' probe decides: ProbeSteps).
  EXPECT_EQ(marked("        while redis.GET(a) + redis.GET(b) > 0 {\n            redis.INCR(b)\n        }"), 0);
  EXPECT_EQ(marked("        while redis.GET(a) + redis.GET(b) > 0 {\n            x += 1\n        }"), 0);
  EXPECT_EQ(marked("        while redis.GET(a) + redis.GET(b) > 0 {\n            redis.SET(b, x)\n        }"), 0);
  // A heartbeat (a fixed value in a fixed place) and a pop that finds nothing write nothing new
  // from the second round on: a poll (round 19).
  EXPECT_GT(marked("        while redis.GET(a) + redis.GET(b) > 0 {\n            x = 1\n        }"), 0);
  EXPECT_GT(marked("        while redis.GET(a) > 0 {\n            redis.SET(b, self + 1, PX = 5)\n        }"), 0);
  EXPECT_GT(marked("        while redis.GET(a) > 0 {\n            redis.PEXPIRE(b, 5)\n        }"), 0);
  // A counted loop goes round a bounded number of times whatever the others do: work, no poll
  // (round 19); one whose counter is also set otherwise, or never tested, may still poll.
  EXPECT_EQ(marked("        let i = 0\n        while i < 2 {\n            let s = redis.GET(a) + redis.GET(b)\n"
                   "            i += 1\n        }"), 0);
  EXPECT_GT(marked("        let i = 0\n        while x > 0 {\n            let s = redis.GET(a) + redis.GET(b)\n"
                   "            i += 1\n        }"), 0);
  EXPECT_GT(marked("        let i = 0\n        while i < 2 {\n            let s = redis.GET(a) + redis.GET(b)\n"
                   "            i = redis.GET(a)\n        }"), 0);
  // No loop.
  EXPECT_EQ(marked("        let s = redis.GET(a) + redis.GET(b)"), 0);
}

// ir::ProbeSteps: how far the waiting probe runs a request, per pc: 0 on counted loops (their
// rounds are work), two rounds' steps on a loop that writes and goes on by what others did, 1
// elsewhere (round 20's semaphore spin; a counted loop of one step a round was a false alarm).
TEST(Time, TheWaitingProbeLooksTwoRoundsAheadOnLoopsThatWriteAndWait) {
  auto steps = [](const std::string& loop) {
    ir::Program program = Compile("model m\nredis { a = 0, b = 0 }\nshared x = 0\nprocess P {\n    takes 0..10 {\n" +
                                  loop + "\n    }\n}\n");
    const std::vector<int32_t>& marks = program.processes.at(0).probe_steps;
    std::set<int32_t> kinds(marks.begin(), marks.end());
    return std::vector<int32_t>(kinds.begin(), kinds.end());
  };
  using V = std::vector<int32_t>;
  // A spin of INCR and DECR (two step starts a round): four steps ahead on the loop.
  EXPECT_EQ(steps("        while redis.INCR(a) != 1 {\n            redis.DECR(a)\n        }"), (V{1, 4}));
  // A toggled heartbeat beside a read: four steps too.
  EXPECT_EQ(steps("        let t = 0\n        while redis.GET(a) > 0 {\n            redis.SET(b, t)\n            t = 1 - t\n"
                  "        }"), (V{1, 4}));
  // A counted loop, of one step a round or of two: no probe.
  EXPECT_EQ(steps("        let i = 0\n        while i < 2 {\n            let s = redis.GET(a)\n            i += 1\n        }"),
            (V{0, 1}));
  EXPECT_EQ(steps("        let i = 0\n        while i < 2 {\n            redis.INCR(a)\n            i += 1\n        }"),
            (V{0, 1}));
  // A loop of reads (a poll: PollCycles marks it), one that writes but goes on by its own locals
  // only, and no loop: one step.
  EXPECT_EQ(steps("        while redis.GET(a) + redis.GET(b) > 0 { }"), (V{1}));
  EXPECT_EQ(steps("        let go = true\n        while go {\n            redis.INCR(a)\n            go = false\n        }"),
            (V{1}));
  EXPECT_EQ(steps("        redis.INCR(a)"), (V{1}));
  // One step a round that depends on others: two steps ahead (round 21: a script writing over
  // another waiter's value comes back only in its second round).
  EXPECT_EQ(steps("        let w = true\n        while w {\n            redis.eval {\n                w = redis.GET(a) > 0\n"
                  "                redis.SET(b, self)\n            }\n        }"), (V{1, 2}));
  // Counted by a break past the bound, by `!=` or by `not (>=)` (round 21's false alarms).
  EXPECT_EQ(steps("        let i = 0\n        while redis.GET(a) != 1 {\n            i += 1\n            if i > 2 {\n"
                  "                break\n            }\n        }"), (V{0, 1}));
  EXPECT_EQ(steps("        let i = 0\n        while i != 3 {\n            let s = redis.GET(a)\n            i += 1\n        }"),
            (V{0, 1}));
  EXPECT_EQ(steps("        let i = 0\n        while not (i >= 3) {\n            let s = redis.GET(a)\n            i += 1\n"
                  "        }"), (V{0, 1}));
  // Counted with the bound first in a short-circuit `and` (the read runs only where it held), or
  // first in an `or` that breaks (round 24's false alarm); not by a bound that `or` goes on past.
  EXPECT_EQ(steps("        let i = 0\n        while i < 3 and redis.GET(a) != 1 {\n            i += 1\n        }"),
            (V{0, 1}));
  EXPECT_EQ(steps("        let i = 0\n        while true {\n            if i > 2 or redis.GET(a) == 1 {\n"
                  "                break\n            }\n            i += 1\n        }"), (V{0, 1}));
  EXPECT_NE(steps("        let i = 0\n        while i < 3 or redis.GET(a) != 1 {\n            i += 1\n        }"),
            (V{0, 1}));
  // A loop inside a script is one step: nothing to probe.
  EXPECT_EQ(steps("        redis.eval {\n            while redis.GET(a) > 0 {\n                redis.DECR(a)\n            }\n"
                  "        }"), (V{1}));
}

// Process::rounds_local: a retry that others keep failing waits once it has gone round n + 1
// times in a row (n instances), though run alone it would leave at once (round 26: a WATCH retry
// beside a writer that never stops was proved safe).
TEST(Time, ARetryOthersKeepFailingWaitsAfterItsRounds) {
  ir::Program program = Compile(R"(
model m
redis { lease, k = 0 }
process B {
    while true {
        redis.SET(k, 7)
    }
}
process P {
    takes 0..5 {
        redis.SET(lease, 1, PX = 100)
        let done = false
        while not done {
            redis.WATCH(k)
            done = redis.multi {
                redis.INCR(k)
            }
        }
    }
}
)");
  const ir::Process& p = program.processes.at(1);
  EXPECT_EQ(p.retry_rounds, 3);  // two alone, one for B
  EXPECT_EQ(p.rounds_cap, 6);    // two steps a round
  Walk walk(program);
  auto rounds = [&] { return walk.state()[program.instances.at(1).base_slot + 1 + p.rounds_local]; };
  walk.Move("P");  // the lease; now at WATCH: entering the loop counts no round
  EXPECT_EQ(rounds(), 0);
  // Alone its EXEC would succeed: the region bounds time (5 ms), for three failed rounds.
  EXPECT_EQ(walk.Environment().size(), 5u);
  for (int failed = 0; failed < 3; ++failed) {
    walk.Move("P");  // WATCH
    walk.Move("B");  // k changes
    EXPECT_EQ(walk.Environment().size(), 5u);
    walk.Move("P");  // EXEC refused, back at WATCH
    if (failed < 2) {
      EXPECT_EQ(walk.Environment().size(), 5u);
    }
  }
  // Six steps on the loop, three rounds: it waits, and time may pass up to the lease's 100 ms,
  // past its block's bound.
  EXPECT_EQ(rounds(), 6);
  EXPECT_EQ(walk.Environment().size(), 100u);
  walk.Move("P");  // WATCH
  EXPECT_EQ(rounds(), 6);
  EXPECT_EQ(walk.Environment().size(), 100u);
  walk.Move("P");  // EXEC succeeds: off the loop, the count starts again
  EXPECT_EQ(rounds(), 0);
}

// A spin after the takes block holds no time back: no probe beyond one step, and no warning.
// A takes block must be able to end: a loop inside it that no path leaves and no pause grows
// would let its bound pass and then stop time for every request (a lease race proved absent).
TEST(Time, ALoopWithNoWayOutInsideATakesBlockIsRefused) {
  auto errors = [](const std::string& loop, const std::string& process = "process P") {
    base::SourceFile file("test.cr", "model m\nruntime threads\nredis { a = 0 }\n" + process + " {\n    takes 0..10 {\n" +
                                         loop + "    }\n}\n");
    base::DiagnosticEngine diags(file);
    std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
    if (model) ir::Lower(*model, file, diags);
    return diags.has_errors() ? diags.Render() : std::string();
  };
  auto refused = [&](const std::string& loop) { return errors(loop).find("has no way out") != std::string::npos; };
  EXPECT_TRUE(refused("        while true {\n            redis.INCR(a)\n        }\n"));
  EXPECT_TRUE(refused("        while 1 == 1 {\n            let v = redis.GET(a)\n            redis.SET(a, 1 - v)\n        }\n"));
  // A way out that tests only what stays the same on the loop is taken in the first round or
  // never (round 29): a flag no round clears, a counter no round raises.
  EXPECT_TRUE(refused("        let go = true\n        while go {\n            redis.INCR(a)\n        }\n"));
  EXPECT_TRUE(refused("        let n = 0\n        while n < 3 {\n            redis.INCR(a)\n        }\n"));
  EXPECT_TRUE(refused("        let n = 0\n        while true {\n            redis.INCR(a)\n"
                      "            if n > 2 {\n                break\n            }\n        }\n"));
  // ... but a counter the rounds raise, or a flag set from what a round reads, is a way out.
  EXPECT_FALSE(refused("        let n = 0\n        while n < 3 {\n            redis.INCR(a)\n            n += 1\n        }\n"));
  EXPECT_FALSE(refused("        let go = true\n        while go {\n            go = redis.INCR(a) < 3\n        }\n"));
  // A crash is no way out: the crash points' branches to the crash tail leave the block to no end.
  EXPECT_NE(errors("        while true {\n            redis.INCR(a)\n        }\n", "process P may crash on crash retry at most 1")
                .find("has no way out"),
            std::string::npos);
  // The second loop traps; the first leads into it, and the error names the second.
  std::string both = errors("        while redis.GET(a) < 3 {\n            redis.INCR(a)\n        }\n"
                            "        while true {\n            redis.DECR(a)\n        }\n");
  EXPECT_NE(both.find("test.cr:9:9: error"), std::string::npos) << both;
  EXPECT_EQ(both.find("test.cr:6:9: error"), std::string::npos) << both;
  // A loop nested in one with no way out traps too, at the outer loop.
  EXPECT_TRUE(refused("        while true {\n            let i = 0\n            while i < 2 {\n"
                      "                redis.INCR(a)\n                i += 1\n            }\n        }\n"));
  // A way out, even one others decide, a break, or a pause each round: accepted.
  EXPECT_FALSE(refused("        while redis.GET(a) != 1 {\n            redis.INCR(a)\n        }\n"));
  EXPECT_FALSE(refused("        while true {\n            if redis.INCR(a) > 3 {\n                break\n"
                       "            }\n        }\n"));
  EXPECT_FALSE(refused("        while true {\n            redis.INCR(a)\n            pause 0..5\n        }\n"));
  // After the takes block, a loop for ever holds no time back.
  base::SourceFile after("test.cr", "model m\nredis { a = 0 }\nprocess P {\n    takes 0..10 {\n"
                                    "        redis.INCR(a)\n    }\n    while true {\n        redis.DECR(a)\n    }\n}\n");
  base::DiagnosticEngine diags(after);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(after, {}, diags);
  ASSERT_TRUE(model);
  EXPECT_TRUE(ir::Lower(*model, after, diags).has_value()) << diags.Render();
}

TEST(Time, ALoopOutsideTheTakesBlockIsNotProbed) {
  ir::Program program = Compile("model m\nredis { a = 0 }\nprocess P {\n    takes 0..10 {\n        redis.INCR(a)\n    }\n"
                                "    while redis.INCR(a) != 1 {\n        redis.DECR(a)\n    }\n}\n");
  const std::vector<int32_t>& marks = program.processes.at(0).probe_steps;
  EXPECT_TRUE(std::all_of(marks.begin(), marks.end(), [](int32_t m) { return m == 1; }));
}

TEST(Time, TtlAndPttlAnswerTheTimeLeft) {
  // Redis 7: PTTL the ms left, TTL rounded to the nearest second ((ms + 500) / 1000).
  ir::Program program = Compile(R"(
model m
redis { lease }
process P {
    takes 0..1000 {
        let before = redis.PTTL(lease)
        redis.SET(lease, 1, PX = 600)
        let ms = redis.PTTL(lease)
        let s = redis.TTL(lease)
        let later = redis.TTL(lease)
    }
}
)");
  Walk walk(program);
  walk.Move("P");
  EXPECT_EQ(walk.Local("P", "before"), -2);
  walk.Move("P");
  walk.Move("P");
  EXPECT_EQ(walk.Local("P", "ms"), 600);
  walk.Move("P");
  EXPECT_EQ(walk.Local("P", "s"), 1);
  walk.state() = walk.Environment().at(100);  // 101 ms: 499 left
  walk.Move("P");
  EXPECT_EQ(walk.Local("P", "later"), 0);
}

TEST(Time, AnUntimedModelKeepsTheExpiryAtAnyMoment) {
  ir::Program program = Compile(R"(
model m
redis { lease }
process P {
    redis.SET(lease, 1, NX, PX = 30000)
}
)");
  EXPECT_FALSE(program.timed);
  Walk walk(program);
  walk.Move("P");
  EXPECT_EQ(Lease(program, walk, 0), 1);
  ASSERT_EQ(walk.Environment().size(), 1u);
}

TEST(Time, ACrashClosesTheRegion) {
  ir::Program program = Compile(R"(
model m
redis { lease, k = 0 }
process P may crash {
    takes 0..5 {
        redis.SET(lease, 1, PX = 50)
        redis.INCR(k)
    }
}
)");
  Walk walk(program);
  Stepper stepper(program);
  // The first step's branch that took the lease without crashing.
  testing::Collect first(walk.state().size());
  stepper.Step(walk.state().data(), 0, first);
  int32_t lease = program.redis[0].KeySlot(0, 0) + 2;
  for (const std::vector<ir::Value>& after : first.successors) {
    if (after[lease] != 0 && after[program.instances[0].base_slot] != ir::kDonePc) walk.state() = after;
  }
  ASSERT_EQ(walk.state()[lease], 50);
  EXPECT_EQ(stepper.TimeCap(walk.state().data(), {}), 5);
  // The branch where the request dies before its INCR: its region is closed with it.
  testing::Collect collect(walk.state().size());
  stepper.Step(walk.state().data(), 0, collect);
  int32_t k = program.redis[0].KeySlot(0, 1);
  int crashed = 0;
  for (const std::vector<ir::Value>& after : collect.successors) {
    if (after[program.instances[0].base_slot] != ir::kDonePc || after[k] != 0) continue;
    ++crashed;
    EXPECT_EQ(stepper.TimeCap(after.data(), {}), 50);
  }
  EXPECT_EQ(crashed, 1);
}

}  // namespace
}  // namespace racecheck::explore
