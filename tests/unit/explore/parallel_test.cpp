// The parallel search (docs/internals-explore.md, "The parallel search"): on any number of
// threads, and with any batch size, the same report as on one thread: verdicts, counts, the
// first violation and every trace. The models-agreement and random-model tests compare every
// model in models/ and thousands of random ones the same way; these tests cover the corners:
// tiny batches, more threads than states, expansions too large for a log, and the limits.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "checker/explore/search.h"
#include "checker/explore/workers.h"
#include "tests/unit/explore/model_source.h"
#include "tests/unit/explore/withdraw_program.h"

namespace racecheck::explore {
namespace {

using result::Verdict;
using testing::Compile;

// Everything of a report that must not depend on the threads, as text, so that a difference shows.
std::string Describe(const result::Report& r) {
  std::string text = "verdict " + std::to_string(static_cast<int>(r.verdict)) + " (" + r.inconclusive_reason + ")";
  text += "\nstates " + std::to_string(r.stats.states) + " transitions " + std::to_string(r.stats.transitions) +
          " depth " + std::to_string(r.stats.depth) + " blocked " + std::to_string(r.stats.blocked_states) +
          " failed " + std::to_string(r.stats.failed_transactions) + " reduced " +
          std::to_string(r.stats.reduced_expansions);
  auto trace = [&](const std::vector<result::Step>& steps) {
    for (const result::Step& step : steps) {
      text += "\n  " + step.process + ": " + step.statement;
      for (const result::Change& change : step.changes) text += " [" + change.name + " " + change.new_value + "]";
    }
  };
  for (const result::Violation& v : r.violations) {
    text += "\n" + v.property + ": " + v.message;
    for (const std::string& line : v.blocked) text += "\n  waits: " + line;
    trace(v.trace);
  }
  for (const result::CoverWitness& cover : r.covers_reached) {
    text += "\ncover " + cover.property;
    trace(cover.trace);
  }
  for (const result::EngineWarning& warning : r.warnings) text += "\nwarning " + warning.message;
  return text;
}

// Runs `options` on 1 thread (default batches), then on 2 and 5 threads with batches of `batches`
// states, and expects the same report from all.
void ExpectSameOnAnyThreads(const ir::Program& program, SearchOptions options,
                            std::vector<uint64_t> batches = {1, 7, 100}) {
  options.threads = 1;
  std::string one = Describe(Search(program, options));
  for (int threads : {2, 5}) {
    for (uint64_t batch : batches) {
      options.threads = threads;
      options.batch_states = batch;
      EXPECT_EQ(Describe(Search(program, options)), one) << threads << " threads, batches of " << batch;
    }
  }
}

// Each variant of the search the options allow.
void ExpectSameInEveryMode(const ir::Program& program, std::vector<uint64_t> batches = {1, 7, 100}) {
  for (bool all : {false, true}) {
    for (bool por : {false, true}) {
      for (bool symmetry : {false, true}) {
        SCOPED_TRACE(std::string(all ? "--all " : "") + (por ? "" : "--no-por ") + (symmetry ? "" : "--no-symmetry"));
        ExpectSameOnAnyThreads(program, SearchOptions{.all = all, .por = por, .symmetry = symmetry}, batches);
      }
    }
  }
}

TEST(Workers, RunEveryWorkerOncePerJob) {
  for (int count : {1, 2, 4}) {
    Workers workers(count);
    EXPECT_EQ(workers.count(), count);
    for (int job = 0; job < 200; ++job) {
      std::vector<std::atomic<int>> runs(count);
      workers.Run([&](int worker) { runs[worker].fetch_add(1); });
      for (int w = 0; w < count; ++w) ASSERT_EQ(runs[w].load(), 1) << "worker " << w << " job " << job;
    }
  }
  EXPECT_GE(AvailableCores(), 1);
}

TEST(ParallelSearch, RacyWithdrawalsGiveOneThreadsReport) {
  ExpectSameInEveryMode(testing::Withdraw(false));
  ExpectSameInEveryMode(testing::Withdraw(true));
}

TEST(ParallelSearch, ManyViolationsCoversAndWarnings) {
  // Several properties broken at several depths, a cover, a final never evaluated past a broken
  // invariant, an assert: --all reports each with its own shortest run, found level by level.
  ExpectSameInEveryMode(Compile(R"(
model many
shared x = 0
shared y = 0
process P[3] {
    choose n in 0..3
    x = x + n
    y = y + 1
    assert x != 7
}
invariant small: x <= 8
invariant y_bound: y <= 2
final done: y == 3
cover six: x == 6
)"),
                        {7, 100});
}

TEST(ParallelSearch, Deadlocks) {
  ExpectSameInEveryMode(Compile(R"(
model crossed
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
)"));
  // Row locks and the database's deadlock detector are in models/ (the models-agreement test
  // compares their reports across threads); here, lock slots in arrays and parameters.
  ExpectSameInEveryMode(Compile(R"(
model transfer_deadlock
shared balance[0..1] = {100, 50}
lock acct[0..1]
process Transfer[2](from_acct = self, to_acct = 1 - self, amount = 10) {
    lock acct[from_acct] {
        lock acct[to_acct] {
            atomic {
                balance[from_acct] -= amount
                balance[to_acct] += amount
            }
        }
    }
}
invariant total: balance[0] + balance[1] == 150
)"));
}

TEST(ParallelSearch, AStepTooWideForALogIsExpandedByTheSearch) {
  // 100,001 successors of one state: past a log's budget, so the search takes that expansion
  // over from the threads and applies its successors as they come.
  ExpectSameOnAnyThreads(Compile(R"(
model wide
shared x = 0
shared y = 0
process P {
    choose n in 0..100000
    x = n
}
process Q {
    y = 1
}
invariant bounded: x <= 100000
)"),
                         SearchOptions{}, {100, 4096});
  ir::Program program = Compile(R"(
model wide_violation
shared x = 0
process P {
    choose n in 0..100000
    x = n
}
invariant small: x < 99999
)");
  ExpectSameOnAnyThreads(program, SearchOptions{}, {100, 4096});
  result::Report report = Search(program, SearchOptions{.threads = 2});
  ASSERT_EQ(report.verdict, Verdict::kViolation);
  // Stored in the order generated: 0 .. 99999, then the violation stops the search.
  EXPECT_EQ(report.stats.states, 100001u);
}

TEST(ParallelSearch, LimitsHoldOnEveryThread) {
  ir::Program program = Compile(R"(
model counters
shared x = 0
process P[3] {
    choose n in 0..50
    x = x + n
}
)");
  for (int threads : {1, 2, 3}) {
    result::Report report = Search(program, SearchOptions{.max_states = 5000, .threads = threads});
    EXPECT_EQ(report.verdict, Verdict::kInconclusive);
    EXPECT_EQ(report.inconclusive_reason, "stopped after 5000 states (--max-states)");
    EXPECT_EQ(report.stats.states, 5000u);
  }
  // More threads than states to expand, and the depth bound the shortest-trace recovery uses.
  ExpectSameOnAnyThreads(program, SearchOptions{.max_depth = 2});
}

TEST(ParallelSearch, DepthFirstRunsOnOneThread) {
  ir::Program program = testing::Withdraw(false);
  std::string one = Describe(Search(program, SearchOptions{.dfs = true, .threads = 1}));
  EXPECT_EQ(Describe(Search(program, SearchOptions{.dfs = true, .threads = 4})), one);
}

}  // namespace
}  // namespace racecheck::explore
