// The differential check behind the random-model tests: one model through both engines, which
// must give the same verdict and the same first violation.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "checker/symbolic/support.h"
#include "fmt/format.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {

struct Tally {
  int safe = 0, violation = 0, deadlock = 0;
  int skipped = 0;  // a limit stopped an engine: nothing to compare
  int refused = 0;  // the z3 engine does not encode a construct of the model yet
};

// Empty when both engines agree on the model; else what went wrong, with the model.
inline std::string CheckModel(const std::string& name, const std::string& text, Tally& tally) {
  std::string errors;
  std::optional<ir::Program> program = Compile(text, &errors, name + ".cr");
  if (!program) return fmt::format("{}: the generator made a model the front end rejects:\n{}\n{}", name, errors, text);
  if (!UnsupportedConstruct(*program).empty()) {
    ++tally.refused;
    return "";
  }
  SymbolicOptions options;
  options.max_seconds = 20;
  BothEngines both = RunBoth(*program, options, 500'000);
  if (!both.z3.internal_error.empty()) return fmt::format("{}: {}\n{}", name, both.z3.internal_error, text);
  if (!both.z3.model_error.empty()) return fmt::format("{}: {}\n{}", name, both.z3.model_error, text);
  if (!both.comparison.compared) {
    ++tally.skipped;
    return "";
  }
  if (!both.comparison.agree) return fmt::format("{}: {}\n{}", name, both.comparison.text, text);
  // The explicit engine with and without partial-order reduction: the same verdict and first run.
  std::string por = PorDifference(*program, both.explicit_report, 500'000);
  if (!por.empty()) return fmt::format("{}: {}\n{}", name, por, text);
  // On one thread and on three: the same report.
  std::string threads = ThreadsDifference(*program, both.explicit_report, 500'000);
  if (!threads.empty()) return fmt::format("{}: {}\n{}", name, threads, text);
  if (!both.symmetry_disagreement.empty()) {
    return fmt::format("{}: the explicit engine with and without symmetry: {}\n{}", name, both.symmetry_disagreement,
                       text);
  }
  switch (both.explicit_report.verdict) {
    case result::Verdict::kSafe: ++tally.safe; break;
    case result::Verdict::kViolation: ++tally.violation; break;
    case result::Verdict::kDeadlock: ++tally.deadlock; break;
    case result::Verdict::kInconclusive: break;
  }
  // The same first violation, too: the z3 engine picks the run breadth-first search meets first.
  if (both.unreduced.violations.empty() != both.z3.report.violations.empty()) {
    return fmt::format("{}: the engines agree on the verdict but only one reports a violation\n{}", name, text);
  }
  if (!both.unreduced.violations.empty() &&
      both.unreduced.violations[0].message != both.z3.report.violations[0].message) {
    return fmt::format("{}: the engines report different violations: explicit \"{}\", z3 \"{}\"\n{}", name,
                       both.unreduced.violations[0].message, both.z3.report.violations[0].message, text);
  }
  return "";
}

// With RACECHECK_RANDOM_SAVE=DIR, a failing model is written there to keep as a regression case.
inline void SaveFailing(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("RACECHECK_RANDOM_SAVE");
  if (dir != nullptr) std::ofstream(fmt::format("{}/{}.cr", dir, name)) << text;
}

// Runs seeds first..first+count-1 of `Generator` (a class with a seed constructor and Text()).
template <typename Generator>
Tally RunSeeds(const char* prefix, uint64_t first, int count) {
  Tally tally;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    std::string name = fmt::format("{}_{}", prefix, seed);
    std::string text = Generator(seed).Text();
    std::string failure = CheckModel(name, text, tally);
    if (!failure.empty()) SaveFailing(name, text);
    EXPECT_EQ(failure, "");
  }
  std::printf("%s %llu..%llu: %d safe, %d violation, %d deadlock, %d skipped at a limit, %d refused by z3\n", prefix,
              static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + count - 1), tally.safe,
              tally.violation, tally.deadlock, tally.skipped, tally.refused);
  // Skips are solver time-outs, which depend on the machine's load; a quarter means a real slowdown.
  EXPECT_LE(tally.skipped, count / 4);
  return tally;
}

// A shard's models must keep both verdicts coming, or the generator has drifted into testing
// nothing: some safe, some violated or deadlocked among those compared.
inline void ExpectBothVerdicts(const Tally& tally, int count) {
  if (count < 2) return;
  EXPECT_GT(tally.safe, 0);
  EXPECT_GT(tally.violation + tally.deadlock, 0);
}

// The seed the environment variable `variable` names, its model printed so that it can be read
// or kept; nullopt when the variable is not set.
template <typename Generator>
std::optional<uint64_t> SeedFromEnvironment(const char* variable) {
  const char* text = std::getenv(variable);
  if (text == nullptr) return std::nullopt;
  uint64_t seed = std::strtoull(text, nullptr, 10);
  std::printf("%s\n", Generator(seed).Text().c_str());
  return seed;
}

}  // namespace racecheck::symbolic::testing
