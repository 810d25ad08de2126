#include "checker/report/junit.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/report/layout.h"
#include "checker/report/text.h"
#include "checker/report/verdict.h"
#include "checker/report/xml.h"

namespace racecheck::report {
namespace {

enum class Outcome { kPassed, kFailure, kError, kSkipped };

struct TestCase {
  std::string classname;
  std::string name;
  std::string file;
  int line = 0;
  Outcome outcome = Outcome::kPassed;
  std::string type;     // the failure's or error's type
  std::string message;  // one line
  std::string text;     // the body of <failure>, <error> or <system-out>
};

std::string ClassName(std::string path) {
  if (path.starts_with("./")) path = path.substr(2);
  if (path.ends_with(".cr")) path.resize(path.size() - 3);
  std::replace(path.begin(), path.end(), '/', '.');
  return path;
}

std::string OneLineHeading(const std::string& violation_text) {
  return violation_text.substr(0, violation_text.find('\n'));
}

void ReportCases(const result::FileResult& file, const result::Report& report, const std::string& suffix,
                 std::vector<TestCase>& cases) {
  const bool met = report.expectation.declared && report.expectation.met;
  const bool inconclusive = report.verdict == result::Verdict::kInconclusive;
  std::vector<const result::Violation*> shown;
  auto base = [&](std::string name, int line) {
    TestCase test;
    test.classname = ClassName(file.file);
    test.name = std::move(name) + suffix;
    test.file = file.file;
    test.line = line;
    return test;
  };
  auto add_violation = [&](TestCase& test, const result::Violation& violation) {
    std::string text = RenderViolationText(violation);
    if (met) {
      test.text += (test.text.empty() ? "" : "\n") + std::string("violated, as the model's expect line says:\n") + text;
      return;
    }
    test.outcome = Outcome::kFailure;
    test.type = ViolationKindWord(violation.kind);
    if (test.message.empty()) test.message = OneLineHeading(text);
    test.text += (test.text.empty() ? "" : "\n") + text;
  };
  for (const auto& property : file.properties) {
    // A passing case called "deadlock" would read as if one happened.
    TestCase test = base(property.kind == "deadlock" ? "no deadlock" : property.name, property.line);
    for (const auto& violation : report.violations) {
      if (violation.property != property.name) continue;
      add_violation(test, violation);
      shown.push_back(&violation);
    }
    if (test.outcome == Outcome::kPassed && test.text.empty() && inconclusive) {
      test.outcome = Outcome::kSkipped;
      test.message = "inconclusive: " + report.inconclusive_reason;
    } else if (test.outcome == Outcome::kPassed && test.text.empty() && report.stopped_at_first) {
      // Not violated where the search looked, but it stopped at the first violation.
      test.outcome = Outcome::kSkipped;
      test.message = report.engine == "z3" ? "not checked to the end: the z3 engine stops at its first violation"
                                           : "not checked to the end: the search stopped at the first violation; "
                                             "--all checks every property";
    }
    cases.push_back(std::move(test));
  }
  // Runtime errors and unhandled failures belong to no declared property: a case each.
  for (const auto& violation : report.violations) {
    if (std::find(shown.begin(), shown.end(), &violation) != shown.end()) continue;
    std::string name = ViolationLabel(violation);
    if (violation.line > 0) name += fmt::format(" at line {}", violation.line);
    TestCase test = base(name, violation.line);
    add_violation(test, violation);
    cases.push_back(std::move(test));
  }
  if (report.expectation.declared) {
    TestCase test = base("expect " + report.expectation.expected, 0);
    if (!report.expectation.met) {
      test.outcome = Outcome::kFailure;
      test.type = "expectation_not_met";
      test.message = fmt::format("EXPECTATION NOT MET: expected {}, found {}", report.expectation.expected,
                                 VerdictSummary(report));
      test.text = test.message + "\n";
    }
    cases.push_back(std::move(test));
  }
}

std::vector<TestCase> FileCases(const result::FileResult& file) {
  std::vector<TestCase> cases;
  if (file.status != result::FileStatus::kChecked) {
    TestCase test;
    test.classname = ClassName(file.file);
    test.name = "model";
    test.file = file.file;
    if (file.status == result::FileStatus::kNotChecked) {
      test.outcome = Outcome::kSkipped;
      test.message = "not checked: the run was interrupted";
    } else {
      test.outcome = Outcome::kError;
      test.type = "model_error";
      int errors = 0;
      for (const auto& d : file.diagnostics) {
        if (d.severity == "error") ++errors;
        test.text += d.line > 0 ? fmt::format("{}:{}:{}: {}: {}\n", d.file, d.line, d.column, d.severity, d.message)
                                : fmt::format("{}: {}: {}\n", d.file, d.severity, d.message);
      }
      auto first = std::find_if(file.diagnostics.begin(), file.diagnostics.end(),
                                [](const result::Diagnostic& d) { return d.severity == "error"; });
      test.message = fmt::format("{} in the model", Plural(static_cast<uint64_t>(errors), "error", "errors"));
      if (first != file.diagnostics.end()) {
        test.message += ": " + first->message;
        test.line = first->line;
      }
    }
    cases.push_back(std::move(test));
    return cases;
  }
  const bool both = file.reports.size() > 1;
  for (const auto& report : file.reports) ReportCases(file, report, both ? " [" + report.engine + "]" : "", cases);
  if (both) {
    TestCase test;
    test.classname = ClassName(file.file);
    test.name = "engines agree";
    test.file = file.file;
    if (!file.engines_agree) {
      test.outcome = Outcome::kSkipped;
      test.message = "not compared: a verdict is inconclusive";
    } else if (!*file.engines_agree) {
      test.outcome = Outcome::kFailure;
      test.type = "engines_disagree";
      test.message = file.comparison;
      test.text = file.comparison + "\n";
    } else {
      test.text = file.comparison + "\n";
    }
    cases.push_back(std::move(test));
  }
  return cases;
}

std::string CaseXml(const TestCase& test) {
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"", XmlEscape(test.classname, true),
                                XmlEscape(test.name, true), XmlEscape(test.file, true));
  if (test.line > 0) out += fmt::format(" line=\"{}\"", test.line);
  std::string body;
  switch (test.outcome) {
    case Outcome::kPassed:
      break;
    case Outcome::kFailure:
    case Outcome::kError:
      body = fmt::format("      <{} message=\"{}\" type=\"{}\">{}</{}>\n", test.outcome == Outcome::kError ? "error" : "failure",
                         XmlEscape(test.message, true), XmlEscape(test.type, true), XmlEscape(test.text, false),
                         test.outcome == Outcome::kError ? "error" : "failure");
      break;
    case Outcome::kSkipped:
      body = fmt::format("      <skipped message=\"{}\"/>\n", XmlEscape(test.message, true));
      break;
  }
  if (test.outcome == Outcome::kPassed && !test.text.empty()) {
    body = fmt::format("      <system-out>{}</system-out>\n", XmlEscape(test.text, false));
  }
  if (body.empty()) return out + "/>\n";
  return out + ">\n" + body + "    </testcase>\n";
}

}  // namespace

std::string RenderJunit(const result::Run& run) {
  std::vector<TestCase> cases;
  double seconds = 0;
  for (const auto& file : run.files) {
    std::vector<TestCase> more = FileCases(file);
    cases.insert(cases.end(), more.begin(), more.end());
    for (const auto& report : file.reports) seconds += report.stats.seconds;
  }
  auto count = [&](Outcome outcome) {
    return std::count_if(cases.begin(), cases.end(), [&](const TestCase& t) { return t.outcome == outcome; });
  };
  std::string counts = fmt::format("tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3f}\"",
                                   cases.size(), count(Outcome::kFailure), count(Outcome::kError),
                                   count(Outcome::kSkipped), seconds);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"racecheck\" {}>\n", counts);
  out += fmt::format("  <testsuite name=\"racecheck\" {}>\n", counts);
  for (const auto& test : cases) out += CaseXml(test);
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace racecheck::report
