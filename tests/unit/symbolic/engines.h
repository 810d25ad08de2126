// Runs model text through the real front end and both engines, for the symbolic tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>

#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/driver/engines.h"
#include "checker/driver/pipeline.h"
#include "checker/explore/search.h"
#include "checker/frontend/analyze.h"
#include "checker/ir/lower.h"
#include "checker/ir/program.h"
#include "checker/report/json.h"
#include "checker/report/verdict.h"
#include "checker/symbolic/symbolic.h"

namespace racecheck::symbolic::testing {

// The compiled program, or the front end's diagnostics in `errors`.
inline std::optional<ir::Program> Compile(const std::string& text, std::string* errors,
                                          const std::string& path = "test.cr") {
  base::SourceFile file(path, text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
  std::optional<ir::Program> program;
  if (model) program = ir::Lower(*model, file, diags);
  if (!program) *errors = diags.Render();
  return program;
}

struct BothEngines {
  result::Report explicit_report;
  // The explicit engine again without symmetry reduction, when the first run reduced by it (else
  // the same report): the run the z3 engine's trace is compared with, since symmetry may show
  // another of the shortest runs.
  result::Report unreduced;
  // Empty when the runs with and without symmetry give the same verdict and, when their first
  // violations are of one property, traces of the same length; else what differs.
  std::string symmetry_disagreement;
  driver::SymbolicOutcome z3;
  driver::Comparison comparison;
};

// Why two explicit runs of one model, with and without symmetry, disagree; empty when they do not.
inline std::string SymmetryDisagreement(const result::Report& reduced, const result::Report& full) {
  if (reduced.verdict == result::Verdict::kInconclusive || full.verdict == result::Verdict::kInconclusive) return "";
  if (reduced.verdict != full.verdict) {
    return "with symmetry " + report::VerdictSummary(reduced) + ", without " + report::VerdictSummary(full);
  }
  if (reduced.violations.empty() != full.violations.empty()) return "only one run reports a violation";
  if (reduced.violations.empty()) return "";
  const result::Violation& a = reduced.violations[0];
  const result::Violation& b = full.violations[0];
  // Two violations at one depth (random model seed 367: a runtime error and a final): the
  // reduced search may meet the other one first, as it visits a level's states in another order.
  if (a.kind != b.kind || a.property != b.property) return "";
  if (a.trace.size() != b.trace.size()) return "traces of different lengths";
  return "";
}

inline BothEngines RunBoth(const ir::Program& program, const SymbolicOptions& options = {},
                           uint64_t max_states = 2'000'000) {
  BothEngines both;
  explore::SearchOptions search;
  search.max_states = max_states;
  both.explicit_report = explore::Search(program, search);
  both.unreduced = both.explicit_report;
  if (!both.explicit_report.symmetry.empty()) {
    search.symmetry = false;
    both.unreduced = explore::Search(program, search);
    both.symmetry_disagreement = SymmetryDisagreement(both.explicit_report, both.unreduced);
  }
  both.z3 = driver::RunSymbolic(program, options);
  if (both.z3.model_error.empty() && both.z3.internal_error.empty()) {
    both.comparison = driver::CompareEngines(both.explicit_report, both.z3.report, /*all=*/false);
  }
  return both;
}

// Empty when the explicit engine without partial-order reduction gives the report `reduced` (made
// with it) the same verdict and the same first violation with the same run; else what differs.
// Nothing to compare when a limit stopped either search.
inline std::string PorDifference(const ir::Program& program, const result::Report& reduced,
                                 uint64_t max_states = 2'000'000) {
  explore::SearchOptions search;
  search.max_states = max_states;
  search.por = false;
  result::Report full = explore::Search(program, search);
  if (full.verdict == result::Verdict::kInconclusive || reduced.verdict == result::Verdict::kInconclusive) return "";
  if (full.verdict != reduced.verdict) return "partial-order reduction changes the verdict";
  if (full.violations.size() != reduced.violations.size()) return "partial-order reduction changes the violations";
  if (full.violations.empty()) return "";
  const result::Violation& a = reduced.violations[0];
  const result::Violation& b = full.violations[0];
  if (a.message != b.message) return "partial-order reduction changes the first violation: " + a.message + " / " + b.message;
  if (a.trace.size() != b.trace.size()) return "partial-order reduction changes the first violation's trace length";
  for (size_t k = 0; k < a.trace.size(); ++k) {
    if (a.trace[k].process != b.trace[k].process || a.trace[k].statement != b.trace[k].statement) {
      return "partial-order reduction changes step " + std::to_string(k) + " of the first violation's trace";
    }
  }
  return "";
}

// The report as JSON without times or memory: what must not depend on the number of threads.
inline std::string StableJson(result::Report report) {
  // As --stable leaves them out.
  report.stats.seconds = 0;
  report.stats.peak_memory_bytes = 0;
  report.stats.solver_seconds = 0;
  report.stats.threads = 0;
  result::Run run;
  run.stable = true;
  run.files.push_back({report.file, result::FileStatus::kChecked, {report}, {}, {}, std::nullopt, ""});
  return report::RenderJson(run);
}

// Empty when breadth-first searches on one thread, and on three threads with small batches
// (many rounds of expanding and storing, chunks split between threads), give the report
// `threads` (made on the default number of threads, all cores) exactly: verdicts, counts,
// violations and traces; else what differs. Nothing to compare when a limit stopped a search.
inline std::string ThreadsDifference(const ir::Program& program, const result::Report& threads,
                                     uint64_t max_states = 2'000'000) {
  if (threads.verdict == result::Verdict::kInconclusive) return "";
  explore::SearchOptions search;
  search.max_states = max_states;
  std::string expected = StableJson(threads);
  for (auto [count, batch] : {std::pair<int, uint64_t>{1, 0}, {3, 100}}) {
    search.threads = count;
    search.batch_states = batch;
    result::Report other = explore::Search(program, search);
    if (other.verdict == result::Verdict::kInconclusive) return "";
    std::string json = StableJson(other);
    if (json != expected) {
      return "the search on " + std::to_string(count) + " thread(s) gives another report:\n" + json +
             "\nthan on all cores:\n" + expected;
    }
  }
  return "";
}

// The program the front end makes of `text`, which must compile.
inline ir::Program Must(const std::string& text) {
  std::string errors;
  std::optional<ir::Program> program = Compile(text, &errors);
  EXPECT_TRUE(program.has_value()) << errors;
  return program ? std::move(*program) : ir::Program{};
}

// Both engines, which must agree; returns the z3 engine's report (violations replayed).
inline result::Report Agreed(const std::string& text, const SymbolicOptions& options = {}) {
  ir::Program program = Must(text);
  BothEngines both = RunBoth(program, options);
  EXPECT_EQ(both.z3.internal_error, "");
  EXPECT_EQ(both.z3.model_error, "");
  EXPECT_TRUE(both.comparison.compared && both.comparison.agree) << both.comparison.text;
  EXPECT_EQ(both.symmetry_disagreement, "");
  if (!both.unreduced.violations.empty() && !both.z3.report.violations.empty()) {
    EXPECT_EQ(both.unreduced.violations[0].message, both.z3.report.violations[0].message);
    // The same run: the z3 engine picks the one breadth-first search (without reduction) meets first.
    const std::vector<result::Step>& a = both.unreduced.violations[0].trace;
    const std::vector<result::Step>& b = both.z3.report.violations[0].trace;
    EXPECT_EQ(a.size(), b.size());
    for (size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
      EXPECT_EQ(a[k].process, b[k].process) << "step " << k;
      EXPECT_EQ(a[k].statement, b[k].statement) << "step " << k;
    }
  }
  return both.z3.report;
}

// The .cr files of a folder of the source tree ("models", "models/anomalies"), sorted.
inline std::vector<std::string> ModelsIn(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(RACECHECK_SOURCE_DIR) + "/" + folder)) {
    if (entry.path().extension() == ".cr") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// A model file's text, as the driver reads it; empty when it cannot be read.
inline std::string ReadModel(const std::string& path) {
  std::string text, error;
  return driver::ReadFile(path, text, error) ? text : std::string();
}

}  // namespace racecheck::symbolic::testing
