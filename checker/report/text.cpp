#include "checker/report/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "checker/report/changes.h"
#include "checker/report/layout.h"
#include "checker/report/verdict.h"

namespace racecheck::report {
namespace {

// Statements longer than this wrap onto more lines in the step table.
constexpr int kStatementWidth = 60;
// The interleaving view shares about this many columns among the processes that moved.
constexpr int kInterleavingWidth = 96;
constexpr int kMinProcessColumn = 12;
constexpr int kMaxProcessColumn = 32;
// A deadlock headline quotes at most this many blocked processes; the list below has them all.
constexpr size_t kMaxBlockedInHeadline = 2;

bool IsDeadlock(const result::Violation& violation) {
  return violation.kind == result::ViolationKind::kDeadlock;
}

std::string JoinValues(const std::vector<result::NamedValue>& values) {
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} = {}", value.name, value.value);
  }
  return out;
}

// "DEADLOCK: no process can move (A waits ...; B waits ...)" or
// "VIOLATION conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)".
// `marker` is " (expected)" on the first line of a report whose expectation was met.
std::string Heading(const result::Violation& violation, std::string_view marker, bool color) {
  if (IsDeadlock(violation)) {
    std::string line = Styled("DEADLOCK", kRed, color) + std::string(marker) + ": " +
                       (violation.message.empty() ? "no process can move" : violation.message);
    if (!violation.blocked.empty()) {
      size_t shown = std::min(violation.blocked.size(), kMaxBlockedInHeadline);
      std::string blocked;
      for (size_t i = 0; i < shown; ++i) blocked += (i == 0 ? "" : "; ") + violation.blocked[i];
      if (shown < violation.blocked.size()) blocked += fmt::format("; {} more", violation.blocked.size() - shown);
      line += fmt::format(" ({})", blocked);
    }
    return line;
  }
  std::string line = Styled("VIOLATION", kRed, color) + std::string(marker) + " " + ViolationLabel(violation);
  if (!violation.message.empty()) line += ": " + violation.message;
  if (!violation.values.empty()) line += fmt::format(" ({})", JoinValues(violation.values));
  return line;
}

// One row per step, and more when its statement is wrapped or it changed several things:
// the statement wraps in its column, each change (a table row, a lock, a wait) has a line.
std::string StepTable(const std::vector<result::Step>& trace, bool color) {
  TextTable table({Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft}, "  ");
  for (const auto& step : trace) {
    std::vector<std::string> statement = Wrap(OneLine(step.statement), kStatementWidth);
    std::vector<std::string> changes = ChangeLines(step.changes);
    for (size_t line = 0; line < std::max(statement.size(), changes.size()); ++line) {
      if (line == 0) {
        table.AddRow({{std::to_string(step.number)},
                      {step.process.empty() ? "(initial)" : step.process},
                      {step.line > 0 ? result::LineText(step.line, step.called_from) : "", kDim},
                      {statement[0]},
                      {changes.empty() ? "" : changes[0]}});
        continue;
      }
      table.AddRow({{}, {}, {}, {line < statement.size() ? statement[line] : ""},
                    {line < changes.size() ? changes[line] : ""}});
    }
  }
  return table.Render(color);
}

// One column per process that moved, in order of first move; each step shows its statement
// in the column of the process that made it, wrapped to the column's width. Empty when fewer
// than two processes moved: the step table already says everything then.
std::string InterleavingTable(const std::vector<result::Step>& trace, bool color) {
  std::vector<std::string> processes;
  for (const auto& step : trace) {
    if (step.process.empty()) continue;
    if (std::find(processes.begin(), processes.end(), step.process) == processes.end()) {
      processes.push_back(step.process);
    }
  }
  if (processes.size() < 2) return "";

  const int width = std::clamp(kInterleavingWidth / static_cast<int>(processes.size()), kMinProcessColumn,
                               kMaxProcessColumn);
  std::vector<Align> aligns(processes.size() + 1, Align::kLeft);
  aligns[0] = Align::kRight;
  TextTable table(std::move(aligns), "  ");
  std::vector<Cell> header(processes.size() + 1);
  for (size_t i = 0; i < processes.size(); ++i) header[i + 1] = {Truncate(processes[i], width)};
  table.AddRow(std::move(header));
  for (const auto& step : trace) {
    if (step.process.empty()) continue;
    auto column = std::find(processes.begin(), processes.end(), step.process) - processes.begin();
    std::vector<std::string> lines = Wrap(OneLine(step.statement), width);
    for (size_t line = 0; line < lines.size(); ++line) {
      std::vector<Cell> row(processes.size() + 1);
      if (line == 0) row[0] = {std::to_string(step.number)};
      row[column + 1] = {lines[line]};
      table.AddRow(std::move(row));
    }
  }
  return table.Render(color);
}

// The step table under `title`, then the interleaving when more than one process moved.
std::string TraceSections(std::string_view title, const std::vector<result::Step>& trace, bool color) {
  std::string out = fmt::format("{}\n{}", title, StepTable(trace, color));
  std::string interleaving = InterleavingTable(trace, color);
  if (!interleaving.empty()) out += "\nInterleaving:\n" + interleaving;
  return out;
}

int MoveCount(const std::vector<result::Step>& trace) {
  return static_cast<int>(std::count_if(trace.begin(), trace.end(), [](const auto& s) { return s.number > 0; }));
}

// Everything under a violation's heading, sections separated by blank lines; empty for a
// cover that was never reached (nothing to show but the heading).
std::string ViolationBody(const result::Violation& violation, bool color) {
  std::vector<std::string> sections;
  if (IsDeadlock(violation)) {
    if (!violation.blocked.empty()) {
      std::string blocked = "Blocked:\n";
      for (const auto& line : violation.blocked) blocked += "  " + line + "\n";
      sections.push_back(blocked);
    }
    if (!violation.values.empty()) sections.push_back(fmt::format("Values: {}\n", JoinValues(violation.values)));
  }
  if (violation.kind != result::ViolationKind::kCover && !violation.trace.empty()) {
    sections.push_back(TraceSections(
        fmt::format("Trace ({}):", Plural(MoveCount(violation.trace), "step", "steps")), violation.trace, color));
  }
  std::string out;
  for (const auto& section : sections) out += (out.empty() ? "" : "\n") + section;
  return out;
}

std::string Headline(const result::Report& report, const result::Violation* first, bool color) {
  const bool met = report.expectation.declared && report.expectation.met;
  const std::string_view marker = met ? " (expected)" : "";
  const result::Stats& stats = report.stats;
  switch (report.verdict) {
    case result::Verdict::kSafe: {
      std::string line = Styled("SAFE", kGreen, color) + std::string(marker) + ": ";
      if (report.properties == 0) {
        line += "nothing to check";
      } else if (report.properties == 1 && report.deadlock_checked) {
        // The model states no property of its own: say what was checked.
        line += "no deadlock, runtime error or unhandled failure";
      } else {
        line += Plural(report.properties, "property holds", "properties hold");
      }
      std::vector<std::string> details;
      if (stats.states > 0) {
        line += stats.states == 1 ? " in the only state" : fmt::format(" in all {} states", stats.states);
        details.push_back(Plural(stats.transitions, "transition", "transitions"));
      }
      if (stats.seconds > 0) details.push_back(FormatSeconds(stats.seconds));
      if (!details.empty()) line += fmt::format(" ({})", fmt::join(details, ", "));
      return line;
    }
    case result::Verdict::kViolation:
    case result::Verdict::kDeadlock:
      if (first != nullptr) return Heading(*first, marker, color);
      return report.verdict == result::Verdict::kDeadlock
                 ? Styled("DEADLOCK", kRed, color) + std::string(marker) + ": no process can move"
                 : Styled("VIOLATION", kRed, color) + std::string(marker);
    case result::Verdict::kInconclusive: {
      std::string line = Styled("INCONCLUSIVE", kYellow, color) + std::string(marker) + ": " +
                         (report.inconclusive_reason.empty() ? "the search stopped early" : report.inconclusive_reason);
      if (!report.violations.empty()) return line;
      if (stats.states > 0) {
        line += fmt::format("; nothing was violated in the {} explored", Plural(stats.states, "state", "states"));
      } else if (stats.depth > 0) {
        // An engine that counts no states (z3) still says how deep it looked.
        line += fmt::format("; nothing was violated up to depth {}", stats.depth);
      }
      return line;
    }
  }
  return "";
}

// The violation the first line speaks of: the first whose kind matches the verdict.
const result::Violation* HeadlineViolation(const result::Report& report) {
  if (report.verdict != result::Verdict::kViolation && report.verdict != result::Verdict::kDeadlock) return nullptr;
  const bool deadlock = report.verdict == result::Verdict::kDeadlock;
  for (const auto& violation : report.violations) {
    if (IsDeadlock(violation) == deadlock) return &violation;
  }
  return report.violations.empty() ? nullptr : &report.violations.front();
}

std::string StatsLine(const result::Stats& stats) {
  // An engine that counts no states (z3) reports only how deep it looked.
  std::string line = stats.states == 0 && stats.transitions == 0
                         ? fmt::format("searched to depth {}", stats.depth)
                         : fmt::format("explored {}, {}, depth {}", Plural(stats.states, "state", "states"),
                                       Plural(stats.transitions, "transition", "transitions"), stats.depth);
  if (stats.blocked_states > 0) {
    line += fmt::format(", a process waits in {}", Plural(stats.blocked_states, "state", "states"));
  }
  if (stats.failed_transactions > 0) {
    line += fmt::format(", {} failed", Plural(stats.failed_transactions, "transaction", "transactions"));
  }
  if (stats.solver_variables > 0 || stats.solver_constraints > 0) {
    line += fmt::format(", {}, {}", Plural(stats.solver_variables, "variable", "variables"),
                        Plural(stats.solver_constraints, "constraint", "constraints"));
    if (stats.solver_seconds > 0) line += ", " + FormatSeconds(stats.solver_seconds) + " in the solver";
  }
  if (stats.seconds > 0) line += ", " + FormatSeconds(stats.seconds);
  if (stats.threads > 1) line += fmt::format(" on {} threads", stats.threads);
  if (stats.peak_memory_bytes > 0) line += ", " + FormatBytes(stats.peak_memory_bytes) + " peak memory";
  return line;
}

}  // namespace

std::string RenderText(const result::Report& report, const TextOptions& options) {
  const bool color = options.color;
  const result::Violation* first = HeadlineViolation(report);

  std::string out = Headline(report, first, color) + "\n";
  // What the verdict covers, when the engine says more than "every reachable state".
  if (!report.scope.empty()) {
    out += (report.verdict == result::Verdict::kSafe ? "Proved for " : "Searched ") + report.scope + ".\n";
  }
  if (first != nullptr && !first->explanation.empty()) out += first->explanation + "\n";
  if (report.expectation.declared && !report.expectation.met) {
    out += Styled(fmt::format("EXPECTATION NOT MET: expected {}, found {}", report.expectation.expected,
                              VerdictSummary(report)),
                  kRed, color) +
           "\n";
  }
  if (first != nullptr) {
    std::string body = ViolationBody(*first, color);
    if (!body.empty()) out += "\n" + body;
  }
  // A met expectation covers every violation reported (--all): each is one it names.
  const bool met = report.expectation.declared && report.expectation.met;
  for (const auto& violation : report.violations) {
    if (&violation == first) continue;
    out += "\n" + Heading(violation, met ? " (expected)" : "", color) + "\n";
    if (!violation.explanation.empty()) out += violation.explanation + "\n";
    std::string body = ViolationBody(violation, color);
    if (!body.empty()) out += "\n" + body;
  }
  if (options.show_cover_traces) {
    for (const auto& cover : report.covers_reached) {
      out += "\n" + TraceSections(fmt::format("cover {} is reached ({}):", cover.property,
                                              Plural(MoveCount(cover.trace), "step", "steps")),
                                  cover.trace, color);
    }
  }
  out += "\n" + StatsLine(report.stats) + "\n";
  if (!report.engine_choice.empty()) {
    out += fmt::format("Answered by the {} engine (--engine auto): {}.\n", report.engine, report.engine_choice);
  }
  // The groups the state counts were reduced by: one state per orbit.
  if (!report.symmetry.empty()) out += fmt::format("symmetry: {} interchangeable\n", fmt::join(report.symmetry, "; "));
  // And those it could not be, so that a slow search says what kept it whole.
  for (const result::SymmetryRefusal& refusal : report.symmetry_refused) {
    out += fmt::format("symmetry: {}\n", SymmetryRefusalText(refusal));
  }
  return out;
}

std::string RenderViolationText(const result::Violation& violation) {
  std::string out = Heading(violation, "", false) + "\n";
  if (!violation.explanation.empty()) out += violation.explanation + "\n";
  std::string body = ViolationBody(violation, false);
  if (!body.empty()) out += "\n" + body;
  return out;
}

}  // namespace racecheck::report
