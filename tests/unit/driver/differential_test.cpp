// Differential test: random small models through both engines, which must give the same
// verdict. A disagreement prints the model's source, to be kept as a regression case in
// tests/golden/cases/ (with a first comment saying "found by the differential test, seed N").
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "checker/driver/pipeline.h"
#include "checker/report/verdict.h"

namespace racecheck::driver {
namespace {

// Writes random models of a few processes over two shared variables and a lock: reads,
// writes, compound updates, conditionals, lock and atomic blocks, choices, asserts, awaits.
class ModelGenerator {
 public:
  explicit ModelGenerator(uint32_t seed) : rng_(seed) {}

  std::string Generate() {
    event_loop_ = Chance(4);
    std::string out = "model random\n";
    out += event_loop_ ? "runtime event_loop\n" : "runtime threads\n";
    out += "shared x = " + std::to_string(Pick(0, 2)) + "\n";
    out += "shared y = " + std::to_string(Pick(0, 2)) + "\n";
    out += "lock mu\n";
    int processes = Pick(1, 2);
    for (int p = 0; p < processes; ++p) {
      int instances = Pick(1, 2);
      out += "process P" + std::to_string(p) + (instances > 1 ? "[" + std::to_string(instances) + "]" : "") + " {\n";
      locals_ = 0;
      int statements = Pick(1, 4);
      for (int s = 0; s < statements; ++s) out += Statement(1, /*in_block=*/false);
      out += "}\n";
    }
    out += "invariant small: x + y <= " + std::to_string(Pick(2, 6)) + "\n";
    if (Chance(2)) out += "final settled: x >= " + std::to_string(Pick(0, 3)) + " or y == " + std::to_string(Pick(0, 3)) + "\n";
    if (Chance(3)) out += "cover both: x == " + std::to_string(Pick(1, 3)) + "\n";
    return out;
  }

 private:
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(int one_in) { return Pick(1, one_in) == 1; }
  std::string Var() { return Chance(2) ? "x" : "y"; }
  std::string Indent(int depth) { return std::string(4 * depth, ' '); }

  std::string Value() {
    switch (Pick(0, 3)) {
      case 0: return std::to_string(Pick(0, 3));
      case 1: return Var();
      case 2: return locals_ > 0 ? "t" + std::to_string(Pick(0, locals_ - 1)) : "1";
      default: return Var() + " + " + std::to_string(Pick(1, 2));
    }
  }

  std::string Condition() {
    const char* ops[] = {"<", "<=", ">", ">=", "==", "!="};
    return Value() + " " + ops[Pick(0, 5)] + " " + std::to_string(Pick(0, 3));
  }

  // in_block: inside lock/atomic/if bodies, no new locals (they would be block scoped).
  std::string Statement(int depth, bool in_block) {
    std::string pad = Indent(depth);
    int kind = Pick(0, depth > 2 ? 4 : 9);
    switch (kind) {
      case 0: return pad + Var() + " = " + Value() + "\n";
      case 1: return pad + Var() + " += " + std::to_string(Pick(1, 2)) + "\n";
      case 2:
        if (in_block) return pad + Var() + " -= 1\n";
        return pad + "let t" + std::to_string(locals_++) + " = " + Value() + "\n";
      case 3: return pad + "assert " + Condition() + " \"random assert\"\n";
      case 4: return event_loop_ ? pad + "await\n" : pad + "skip\n";
      case 5: return pad + "if " + Condition() + " {\n" + Statement(depth + 1, true) + pad + "}\n";
      case 6:
        return pad + "if " + Condition() + " {\n" + Statement(depth + 1, true) + pad + "} else {\n" +
               Statement(depth + 1, true) + pad + "}\n";
      case 7: return pad + "lock mu {\n" + Statement(depth + 1, true) + Statement(depth + 1, true) + pad + "}\n";
      case 8: {
        // Atomic blocks hold shared memory work only.
        std::string body = Indent(depth + 1) + Var() + " += 1\n";
        if (Chance(2)) body += Indent(depth + 1) + "if " + Var() + " > 2 { " + Var() + " = 0 }\n";
        return pad + "atomic {\n" + body + pad + "}\n";
      }
      default:
        if (in_block) return pad + Var() + " = " + std::to_string(Pick(0, 2)) + "\n";
        return pad + "choose t" + std::to_string(locals_++) + " in 0.." + std::to_string(Pick(0, 2)) + "\n";
    }
  }

  std::mt19937 rng_;
  bool event_loop_ = false;
  int locals_ = 0;
};

result::Report RunEngine(const std::string& path, const std::string& engine) {
  RunOptions options;
  options.engine = engine;
  // A generated model is tiny; a limit turns an engine that runs away into a visible failure.
  options.search.max_seconds = 5;
  options.symbolic.max_seconds = 5;
  RunOutcome outcome = CheckModel(path, options);
  EXPECT_TRUE(outcome.report.has_value()) << engine << ": " << outcome.diagnostics << outcome.notes;
  EXPECT_TRUE(outcome.internal_error.empty()) << outcome.internal_error;
  return outcome.report.value_or(result::Report{});
}

TEST(Differential, RandomModelsGetTheSameVerdictFromBothEngines) {
  const int kModels = 300;
  std::string path = (std::filesystem::temp_directory_path() /
                      ("racecheck_differential_" + std::to_string(getpid()) + ".cr")).string();
  int violations = 0;
  int inconclusive = 0;
  for (int seed = 1; seed <= kModels; ++seed) {
    std::string source = ModelGenerator(static_cast<uint32_t>(seed)).Generate();
    std::ofstream(path) << source;
    result::Report explicit_report = RunEngine(path, "explicit");
    result::Report z3_report = RunEngine(path, "z3");
    if (std::getenv("RACECHECK_DIFFERENTIAL_VERBOSE")) {
      std::fprintf(stderr, "seed %d: %s %.2f s / %s %.2f s\n", seed, report::VerdictSummary(explicit_report).c_str(),
                   explicit_report.stats.seconds, report::VerdictSummary(z3_report).c_str(), z3_report.stats.seconds);
    }
    std::string explicit_verdict = report::VerdictSummary(explicit_report);
    std::string z3_verdict = report::VerdictSummary(z3_report);
    // An engine stopped by its time limit contradicts nothing, but is counted below.
    if (explicit_report.verdict == result::Verdict::kInconclusive || z3_report.verdict == result::Verdict::kInconclusive) {
      ++inconclusive;
      std::fprintf(stderr, "seed %d: explicit %s, z3 %s (a limit stopped one engine)\n%s", seed,
                   explicit_verdict.c_str(), z3_verdict.c_str(), source.c_str());
      continue;
    }
    EXPECT_EQ(explicit_report.verdict, z3_report.verdict)
        << "seed " << seed << ": explicit says " << explicit_verdict << ", z3 says " << z3_verdict
        << "\n--- model ---\n" << source;
    if (explicit_report.verdict != result::Verdict::kSafe) ++violations;
  }
  std::remove(path.c_str());
  // A few generated models take the solver past its limit (known: seeds 197 and 283); more
  // than that is a regression in the symbolic engine's speed.
  EXPECT_LE(inconclusive, kModels / 50);
  // The generator must produce both outcomes, or the test proves little.
  EXPECT_GT(violations, kModels / 10);
  EXPECT_LT(violations, kModels * 9 / 10);
}

}  // namespace
}  // namespace racecheck::driver
