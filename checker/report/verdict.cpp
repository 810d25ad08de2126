#include "checker/report/verdict.h"

#include <algorithm>
#include <vector>

#include "fmt/format.h"

namespace racecheck::report {

std::string VerdictWord(const result::Report& report) {
  switch (report.verdict) {
    case result::Verdict::kSafe:
      return "safe";
    case result::Verdict::kViolation:
      return "violation";
    case result::Verdict::kDeadlock:
      return "deadlock";
    case result::Verdict::kInconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

std::string VerdictSummary(const result::Report& report) {
  std::string summary = VerdictWord(report);
  if (report.verdict != result::Verdict::kViolation) return summary;
  std::vector<std::string> labels;
  for (const auto& violation : report.violations) {
    if (violation.kind == result::ViolationKind::kDeadlock) continue;
    std::string label = ViolationLabel(violation);
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  }
  for (size_t i = 0; i < labels.size(); ++i) summary += (i == 0 ? " " : ", ") + labels[i];
  return summary;
}

std::string ViolationKindWord(result::ViolationKind kind) {
  switch (kind) {
    case result::ViolationKind::kInvariant:
      return "invariant";
    case result::ViolationKind::kFinal:
      return "final";
    case result::ViolationKind::kAssert:
      return "assert";
    case result::ViolationKind::kDeadlock:
      return "deadlock";
    case result::ViolationKind::kCover:
      return "cover";
    case result::ViolationKind::kRuntimeError:
      return "runtime_error";
    case result::ViolationKind::kFailure:
      return "unhandled_failure";
  }
  return "runtime_error";
}

std::string ViolationLabel(const result::Violation& violation) {
  if (!violation.property.empty()) return violation.property;
  std::string word = ViolationKindWord(violation.kind);
  std::replace(word.begin(), word.end(), '_', ' ');
  return word;
}

std::string SymmetryRefusalText(const result::SymmetryRefusal& refusal) {
  std::string text = fmt::format("{} not interchangeable: {}", refusal.instances, refusal.reason);
  if (refusal.line > 0) text += fmt::format(" (line {})", refusal.line);
  return text;
}

}  // namespace racecheck::report
