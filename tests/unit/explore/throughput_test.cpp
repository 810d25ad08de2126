// A throughput measurement, not a check: run it with
//   explore_tests --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "checker/explore/search.h"
#include "tests/unit/explore/program_builder.h"

namespace racecheck::explore {
namespace {

using testing::ProcessBuilder;
using testing::ProgramBuilder;

// `instances` processes each increment `count` `rounds` times without a lock.
ir::Program Counter(int instances, int rounds) {
  ProgramBuilder b;
  int count = b.Var("count", 0);
  ProcessBuilder p = b.Process("Inc", instances, {"t", "i"});
  p.Read(0, count, -1, "let t = count");
  p.Write(count, -1, b.Add(b.L(0), b.C(1)), "count = t + 1");
  p.Let(1, b.Add(b.L(1), b.C(1)), "i = i + 1");
  int loop = p.BranchFalse(b.Lt(b.L(1), b.C(rounds)), -1, "while i < rounds");
  p.Jump(0);
  p.SetTarget(loop, p.Next());
  p.End();
  b.Invariant("bounded", b.Op(ir::ExprOp::kLe, b.G(count), b.C(instances * rounds)), "count <= N", {count});
  return b.Build();
}

void Measure(const char* name, const SearchOptions& options) {
  ir::Program program = Counter(3, std::getenv("ROUNDS") ? std::atoi(std::getenv("ROUNDS")) : 9);
  result::Report report = Search(program, options);
  EXPECT_EQ(report.verdict, result::Verdict::kSafe);
  std::printf("%s: %llu states, %llu transitions, depth %d, %.2f s, %.2f M states/s, peak %.0f MiB\n", name,
              static_cast<unsigned long long>(report.stats.states),
              static_cast<unsigned long long>(report.stats.transitions), report.stats.depth, report.stats.seconds,
              report.stats.states / report.stats.seconds / 1e6, report.stats.peak_memory_bytes / 1048576.0);
}

TEST(Throughput, DISABLED_CounterBfs) { Measure("bfs", SearchOptions{}); }
TEST(Throughput, DISABLED_CounterDfs) { Measure("dfs", SearchOptions{.dfs = true}); }

}  // namespace
}  // namespace racecheck::explore
