#include "checker/driver/expectation.h"

#include <algorithm>

#include "checker/report/verdict.h"

namespace racecheck::driver {
namespace {

std::string ExpectedText(const ir::Expectation& expect) {
  switch (expect.kind) {
    case ir::ExpectKind::kNone: return "";
    case ir::ExpectKind::kSafe: return "safe";
    case ir::ExpectKind::kDeadlock: return "deadlock";
    case ir::ExpectKind::kFailure: return "failure";
    case ir::ExpectKind::kError: return "error";
    case ir::ExpectKind::kViolation: {
      std::string text = "violation ";
      for (size_t i = 0; i < expect.properties.size(); ++i) text += (i ? ", " : "") + expect.properties[i];
      return text;
    }
  }
  return "";
}

bool Met(const ir::Expectation& expect, const result::Report& report) {
  switch (expect.kind) {
    case ir::ExpectKind::kNone: return report.verdict == result::Verdict::kSafe;
    case ir::ExpectKind::kSafe: return report.verdict == result::Verdict::kSafe;
    case ir::ExpectKind::kDeadlock: return report.verdict == result::Verdict::kDeadlock;
    case ir::ExpectKind::kFailure:
      // Unhandled transaction failures and nothing else.
      if (report.verdict != result::Verdict::kViolation) return false;
      return std::all_of(report.violations.begin(), report.violations.end(), [](const result::Violation& v) {
        return v.kind == result::ViolationKind::kFailure;
      });
    case ir::ExpectKind::kError:
      // Runtime errors and nothing else: a bug the model shows as a crash of the handler.
      if (report.verdict != result::Verdict::kViolation) return false;
      return std::all_of(report.violations.begin(), report.violations.end(), [](const result::Violation& v) {
        return v.kind == result::ViolationKind::kRuntimeError;
      });
    case ir::ExpectKind::kViolation:
      // Exactly the declared properties fail: another failure is a finding of its own.
      if (report.verdict != result::Verdict::kViolation) return false;
      // `assert` stands for every assertion ("assert at line 12").
      return std::all_of(report.violations.begin(), report.violations.end(), [&](const result::Violation& v) {
        const std::string& name = v.kind == result::ViolationKind::kAssert ? "assert" : v.property;
        return std::find(expect.properties.begin(), expect.properties.end(), name) != expect.properties.end();
      });
  }
  return false;
}

}  // namespace

void JudgeExpectation(const ir::Expectation& expect, result::Report& report) {
  report.expectation.declared = expect.kind != ir::ExpectKind::kNone;
  report.expectation.expected = ExpectedText(expect);
  report.expectation.met = report.verdict != result::Verdict::kInconclusive && Met(expect, report);
}

ExitCode ExitCodeFor(const result::Report& report) {
  if (report.verdict == result::Verdict::kInconclusive) return kExitInconclusive;
  return report.expectation.met ? kExitOk : kExitViolation;
}

}  // namespace racecheck::driver
