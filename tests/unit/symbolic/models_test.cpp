// Every model in models/ (and the golden cases) gets the same verdict from both engines, and
// each meets its `expect` line under the z3 engine. The z3 engine encodes every construct, so
// a model in models/ it refuses is a failure; models the explicit engine refuses (parameter
// ranges too wide to enumerate) are checked against their `expect` line alone.
#include <gtest/gtest.h>

#include <algorithm>

#include "checker/driver/expectation.h"
#include "checker/report/verdict.h"
#include "checker/symbolic/support.h"
#include "tests/unit/symbolic/engines.h"

namespace racecheck::symbolic::testing {
namespace {

struct Outcome {
  int compared = 0;
  int z3_only = 0;
  int skipped = 0;
};

void CheckFolder(const std::string& folder, Outcome& outcome) {
  for (const std::string& path : ModelsIn(folder)) {
    SCOPED_TRACE(path);
    std::string text = ReadModel(path);
    // Cases about command-line options (limits, overrides) are the golden tests' business.
    if (text.find("// racecheck-args:") != std::string::npos) {
      ++outcome.skipped;
      continue;
    }
    // The golden cases include bad models and searches meant to hit a limit: those are
    // compared when both engines finish. Every model in models/ must be compared.
    bool must = folder.starts_with("models");
    std::string errors;
    std::optional<ir::Program> program = Compile(text, &errors, path);
    if (must) {
      ASSERT_TRUE(program) << errors;
      ASSERT_EQ(UnsupportedConstruct(*program), "");
    }
    if (!program || !UnsupportedConstruct(*program).empty()) {
      ++outcome.skipped;
      continue;
    }
    if (!driver::ExplicitRefusal(*program).empty()) {
      driver::SymbolicOutcome z3 = driver::RunSymbolic(*program, {});
      ASSERT_EQ(z3.internal_error, "");
      ASSERT_EQ(z3.model_error, "");
      driver::JudgeExpectation(program->expect, z3.report);
      EXPECT_TRUE(z3.report.expectation.declared && z3.report.expectation.met)
          << "expected " << z3.report.expectation.expected << ", found " << report::VerdictSummary(z3.report);
      ++outcome.z3_only;
      continue;
    }
    BothEngines both = RunBoth(*program, SymbolicOptions{.max_seconds = must ? 0.0 : 10.0});
    ASSERT_EQ(both.z3.internal_error, "");
    ASSERT_EQ(both.z3.model_error, "");
    if (!must && !both.comparison.compared) {
      ++outcome.skipped;
      continue;
    }
    ASSERT_TRUE(both.comparison.compared) << both.comparison.text;
    EXPECT_TRUE(both.comparison.agree) << both.comparison.text;
    // Partial-order reduction changes neither the verdict nor the first violation's run.
    EXPECT_EQ(PorDifference(*program, both.explicit_report), "");
    EXPECT_EQ(ThreadsDifference(*program, both.explicit_report), "");
    // Symmetry reduction changes no verdict, no first violation, no trace's length.
    EXPECT_EQ(both.symmetry_disagreement, "");
    driver::JudgeExpectation(program->expect, both.z3.report);
    driver::JudgeExpectation(program->expect, both.explicit_report);
    EXPECT_EQ(both.z3.report.expectation.met, both.explicit_report.expectation.met);
    // The same violation, with the same trace: the z3 engine picks breadth-first search's run.
    ASSERT_EQ(both.z3.report.violations.size() > 0, both.unreduced.violations.size() > 0);
    if (!both.z3.report.violations.empty()) {
      const result::Violation& a = both.unreduced.violations[0];
      const result::Violation& b = both.z3.report.violations[0];
      EXPECT_EQ(a.message, b.message);
      ASSERT_EQ(a.trace.size(), b.trace.size());
      for (size_t k = 0; k < a.trace.size(); ++k) {
        EXPECT_EQ(a.trace[k].process, b.trace[k].process) << "step " << k;
        EXPECT_EQ(a.trace[k].statement, b.trace[k].statement) << "step " << k;
      }
    }
    ++outcome.compared;
  }
}

TEST(Models, BothEnginesAgreeOnEveryModelTheyBothRun) {
  Outcome outcome;
  CheckFolder("models", outcome);
  CheckFolder("models/anomalies", outcome);
  CheckFolder("tests/golden/cases", outcome);
  std::printf("models: %d compared, %d by the z3 engine alone, %d skipped (bad models, limits)\n",
              outcome.compared, outcome.z3_only, outcome.skipped);
  EXPECT_GE(outcome.compared, 47);
  EXPECT_GE(outcome.z3_only, 3);
}

// Models the random-model test once found a disagreement on (each says which seed and what).
TEST(Models, RegressionsFromTheRandomModelTest) {
  Outcome outcome;
  CheckFolder("tests/unit/symbolic/regressions", outcome);
  EXPECT_GE(outcome.compared, 1);
}

}  // namespace
}  // namespace racecheck::symbolic::testing
