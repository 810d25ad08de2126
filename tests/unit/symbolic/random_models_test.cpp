// Differential test: random models through both engines must get the same verdict, and every
// run the z3 engine reports must be confirmed by the explicit engine's replay.
//   RACECHECK_RANDOM_SEED=N    run that one seed only (prints the model)
//   RACECHECK_RANDOM_SAVE=DIR  save each failing model there, to keep as a regression case
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "checker/report/verdict.h"
#include "tests/unit/symbolic/engines.h"
#include "tests/unit/symbolic/random_model.h"

namespace racecheck::symbolic::testing {
namespace {

struct Tally {
  int safe = 0, violation = 0, deadlock = 0, skipped = 0;
};

// Empty when both engines agree on the model of `seed`; else what went wrong, with the model.
std::string CheckSeed(uint64_t seed, Tally& tally) {
  std::string text = RandomModel(seed).Text();
  std::string errors;
  std::optional<ir::Program> program = Compile(text, &errors, fmt::format("random_{}.cr", seed));
  if (!program) return fmt::format("seed {}: the generator made a model the front end rejects:\n{}\n{}", seed, errors, text);
  SymbolicOptions options;
  options.max_seconds = 20;
  BothEngines both = RunBoth(*program, options, 500'000);
  if (!both.z3.internal_error.empty()) return fmt::format("seed {}: {}\n{}", seed, both.z3.internal_error, text);
  if (!both.z3.model_error.empty()) return fmt::format("seed {}: {}\n{}", seed, both.z3.model_error, text);
  if (!both.comparison.compared) {
    ++tally.skipped;
    return "";
  }
  switch (both.explicit_report.verdict) {
    case result::Verdict::kSafe: ++tally.safe; break;
    case result::Verdict::kViolation: ++tally.violation; break;
    case result::Verdict::kDeadlock: ++tally.deadlock; break;
    case result::Verdict::kInconclusive: break;
  }
  if (both.comparison.agree) {
    // The same first violation, too: the z3 engine picks the run breadth-first search meets first.
    if (both.explicit_report.violations.empty() != both.z3.report.violations.empty()) {
      return fmt::format("seed {}: the engines agree on the verdict but only one reports a violation\n{}", seed, text);
    }
    if (!both.explicit_report.violations.empty() &&
        both.explicit_report.violations[0].message != both.z3.report.violations[0].message) {
      return fmt::format("seed {}: the engines report different violations: explicit \"{}\", z3 \"{}\"\n{}", seed,
                         both.explicit_report.violations[0].message, both.z3.report.violations[0].message, text);
    }
    return "";
  }
  return fmt::format("seed {}: {}\n{}", seed, both.comparison.text, text);
}

void Save(uint64_t seed, const std::string& failure) {
  const char* dir = std::getenv("RACECHECK_RANDOM_SAVE");
  if (dir == nullptr) return;
  std::ofstream(fmt::format("{}/random_{}.cr", dir, seed)) << RandomModel(seed).Text();
  (void)failure;
}

void RunSeeds(uint64_t first, int count) {
  Tally tally;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    std::string failure = CheckSeed(seed, tally);
    if (!failure.empty()) Save(seed, failure);
    EXPECT_EQ(failure, "");
  }
  // The generator must keep producing all three outcomes, or the test proves little.
  std::printf("random models %llu..%llu: %d safe, %d violation, %d deadlock, %d skipped\n",
              static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + count - 1), tally.safe,
              tally.violation, tally.deadlock, tally.skipped);
  // Skips are solver time-outs, which depend on the machine's load; a quarter means a real slowdown.
  EXPECT_LE(tally.skipped, count / 4);
}

TEST(RandomModels, OneSeedFromTheEnvironment) {
  const char* seed = std::getenv("RACECHECK_RANDOM_SEED");
  if (seed == nullptr) GTEST_SKIP() << "set RACECHECK_RANDOM_SEED to run one seed";
  uint64_t value = std::strtoull(seed, nullptr, 10);
  std::printf("%s\n", RandomModel(value).Text().c_str());
  RunSeeds(value, 1);
}

// Four shards, so that ctest -j runs them side by side.
TEST(RandomModels, Seeds1To200) { RunSeeds(1, 200); }
TEST(RandomModels, Seeds201To400) { RunSeeds(201, 200); }
TEST(RandomModels, Seeds401To600) { RunSeeds(401, 200); }
TEST(RandomModels, Seeds601To800) { RunSeeds(601, 200); }

}  // namespace
}  // namespace racecheck::symbolic::testing
