// What the CI formats (SARIF, GitHub annotations) show of a run: every violation, unmet
// expectation, inconclusive search, disagreement of the engines and model diagnostic, with the
// place it belongs to and whether it should fail the build. Pure function of result::Run.
#pragma once

#include <string>
#include <vector>

#include "checker/result/run.h"

namespace racecheck::report {

enum class FindingLevel { kError, kWarning, kNote };

struct Finding {
  // "invariant", "final", "assert", "deadlock", "cover", "runtime_error", "unhandled_failure"
  // (ViolationKindWord), "expectation_not_met", "inconclusive", "engines_disagree",
  // "model_error", "model_warning", "model_note".
  std::string rule;
  FindingLevel level = FindingLevel::kError;
  std::string file;
  int line = 0;    // 1-based; 0 when it belongs to the file as a whole
  int column = 0;  // 1-based code points; 0 when unknown
  std::string title;    // "invariant conservation violated", "model error"
  std::string message;  // one line: "conservation: balance + withdrawn == 100 is false (balance = 20, ...)"
  std::string details;  // more lines (the explanation and the trace as the text report shows them), or empty
  // The violation, for formats that show its run step by step; null for other findings.
  const result::Violation* violation = nullptr;
};

// In file order; within a file, diagnostics first, then each engine's findings. A violation
// found by both engines is listed once. An expected violation (the model's `expect` line was
// met) is a note, so a model that documents a bug does not fail the build.
std::vector<Finding> CollectFindings(const result::Run& run);

// The rules CollectFindings uses, with one line each on what they mean, in a fixed order.
struct RuleInfo {
  std::string id;
  std::string description;
};
const std::vector<RuleInfo>& FindingRules();

}  // namespace racecheck::report
