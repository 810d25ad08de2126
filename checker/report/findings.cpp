#include "checker/report/findings.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "checker/report/text.h"
#include "checker/report/verdict.h"

namespace racecheck::report {
namespace {

std::string JoinValues(const std::vector<result::NamedValue>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : ", ") + fmt::format("{} = {}", value.name, value.value);
  return out;
}

// The line a violation is shown at: its own, else (a deadlock) where the run stopped.
int ViolationLine(const result::Violation& violation) {
  if (violation.line > 0) return violation.line;
  for (auto it = violation.trace.rbegin(); it != violation.trace.rend(); ++it) {
    if (it->line > 0) return it->line;
  }
  return 0;
}

void DiagnosticFindings(const result::FileResult& file, std::vector<Finding>& out) {
  for (const auto& d : file.diagnostics) {
    Finding finding;
    finding.rule = d.severity == "error" ? "model_error" : d.severity == "warning" ? "model_warning" : "model_note";
    finding.level = d.severity == "error"     ? FindingLevel::kError
                    : d.severity == "warning" ? FindingLevel::kWarning
                                              : FindingLevel::kNote;
    finding.file = d.file;
    finding.line = d.line;
    finding.column = d.line > 0 ? d.column : 0;
    finding.title = d.severity == "error" ? "model error" : d.severity == "warning" ? "model warning" : "note";
    finding.message = d.message;
    out.push_back(std::move(finding));
  }
}

void ReportFindings(const result::FileResult& file, const result::Report& report,
                    std::vector<std::tuple<std::string, std::string, int>>& seen, std::vector<Finding>& out) {
  const bool met = report.expectation.declared && report.expectation.met;
  for (const auto& violation : report.violations) {
    std::string kind = ViolationKindWord(violation.kind);
    auto key = std::make_tuple(kind, violation.property, violation.line);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    Finding finding;
    finding.rule = kind;
    finding.level = met ? FindingLevel::kNote : FindingLevel::kError;
    finding.file = file.file;
    finding.line = ViolationLine(violation);
    std::string label = ViolationLabel(violation);
    switch (violation.kind) {
      case result::ViolationKind::kInvariant:
      case result::ViolationKind::kFinal:
        finding.title = fmt::format("{} {} violated", kind, label);
        break;
      case result::ViolationKind::kCover:
        finding.title = fmt::format("cover {} never reached", label);
        break;
      case result::ViolationKind::kAssert:
        finding.title = "assert failed";
        break;
      case result::ViolationKind::kDeadlock:
      case result::ViolationKind::kRuntimeError:
      case result::ViolationKind::kFailure:
        finding.title = label;
        break;
    }
    if (met) finding.title += " (expected)";
    finding.message = label;
    if (!violation.message.empty()) finding.message += ": " + violation.message;
    if (!violation.values.empty()) finding.message += fmt::format(" ({})", JoinValues(violation.values));
    if (met) finding.message += fmt::format(" (expected: the model declares expect {})", report.expectation.expected);
    // The text report's view of it, after its heading (which says what message says).
    std::string text = RenderViolationText(violation);
    finding.details = text.substr(std::min(text.size(), text.find('\n') + 1));
    finding.violation = &violation;
    out.push_back(std::move(finding));
  }
  if (report.expectation.declared && !report.expectation.met && report.violations.empty()) {
    Finding finding;
    finding.rule = "expectation_not_met";
    finding.file = file.file;
    finding.title = "expectation not met";
    finding.message = fmt::format("expected {}, found {} ({} engine)", report.expectation.expected,
                                  VerdictSummary(report), report.engine);
    out.push_back(std::move(finding));
  }
  if (report.verdict == result::Verdict::kInconclusive) {
    Finding finding;
    finding.rule = "inconclusive";
    finding.level = FindingLevel::kWarning;
    finding.file = file.file;
    finding.title = "inconclusive";
    finding.message = fmt::format("the {} engine's search did not finish: {}", report.engine,
                                  report.inconclusive_reason.empty() ? "it stopped early" : report.inconclusive_reason);
    out.push_back(std::move(finding));
  }
}

}  // namespace

std::vector<Finding> CollectFindings(const result::Run& run) {
  std::vector<Finding> findings;
  for (const auto& file : run.files) {
    DiagnosticFindings(file, findings);
    std::vector<std::tuple<std::string, std::string, int>> seen;
    for (const auto& report : file.reports) ReportFindings(file, report, seen, findings);
    if (file.engines_agree && !*file.engines_agree) {
      Finding finding;
      finding.rule = "engines_disagree";
      finding.file = file.file;
      finding.title = "the engines disagree";
      finding.message = file.comparison;
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

const std::vector<RuleInfo>& FindingRules() {
  static const std::vector<RuleInfo> rules = {
      {"invariant", "An invariant is false in a reachable state."},
      {"final", "A final property is false in a state where every process has finished."},
      {"assert", "An assert inside a process fails."},
      {"deadlock", "No process can move and some process has not finished."},
      {"cover", "A cover property holds in no reachable state."},
      {"runtime_error", "A step fails: division by zero, an index out of range, an overflow, a lock not held."},
      {"unhandled_failure", "A database transaction fails and nothing handles the failure."},
      {"expectation_not_met", "The model's expect line names an outcome the check did not find."},
      {"inconclusive", "A limit or an interrupt stopped the search before it closed."},
      {"engines_disagree", "The explicit and the z3 engine give different verdicts (a racecheck bug)."},
      {"model_error", "The model has an error and was not checked."},
      {"model_warning", "The model has something legal that was probably not meant."},
      {"model_note", "A note on how the model was checked."},
  };
  return rules;
}

}  // namespace racecheck::report
