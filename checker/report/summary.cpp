#include "checker/report/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/report/layout.h"
#include "checker/report/verdict.h"

namespace racecheck::report {

SummaryRow MakeSummaryRow(const result::Report& report) {
  SummaryRow row;
  row.file = report.file;
  row.model = report.model;
  row.verdict = VerdictSummary(report);
  row.expected = !report.expectation.declared ? "-" : report.expectation.met ? "yes" : "NO";
  row.states = report.stats.states;
  row.seconds = report.stats.seconds;
  return row;
}

std::string RenderSummary(const std::vector<result::Report>& reports, bool include_times) {
  // What the fixes cost, when any model waited or failed: states where a process waits for a
  // lock, and transitions where a transaction failed.
  bool costs = std::any_of(reports.begin(), reports.end(), [](const result::Report& r) {
    return r.stats.blocked_states > 0 || r.stats.failed_transactions > 0;
  });
  std::vector<Align> aligns = {Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight};
  if (costs) aligns.insert(aligns.end(), {Align::kRight, Align::kRight});
  if (include_times) aligns.push_back(Align::kRight);
  TextTable table(std::move(aligns), "");
  std::vector<Cell> header = {{"file"}, {"model"}, {"verdict"}, {"expected?"}, {"states"}};
  if (costs) header.insert(header.end(), {{"waiting"}, {"failed"}});
  if (include_times) header.push_back({"time"});
  table.AddRow(std::move(header));

  int met = 0;
  int not_met = 0;
  int undeclared = 0;
  double total_seconds = 0;
  for (const auto& report : reports) {
    SummaryRow row = MakeSummaryRow(report);
    if (!report.expectation.declared) {
      ++undeclared;
    } else if (report.expectation.met) {
      ++met;
    } else {
      ++not_met;
    }
    total_seconds += row.seconds;
    std::vector<Cell> cells = {{row.file}, {row.model}, {row.verdict}, {row.expected}, {std::to_string(row.states)}};
    if (costs) {
      auto count = [](uint64_t n) { return n > 0 ? std::to_string(n) : std::string("-"); };
      cells.push_back({count(report.stats.blocked_states)});
      cells.push_back({count(report.stats.failed_transactions)});
    }
    if (include_times) cells.push_back({row.seconds > 0 ? FormatSeconds(row.seconds) : "-"});
    table.AddRow(std::move(cells));
  }

  std::vector<std::string> counts;
  if (met > 0 || (not_met == 0 && undeclared == 0)) counts.push_back(fmt::format("{} as expected", met));
  if (not_met > 0) counts.push_back(fmt::format("{} not", not_met));
  if (undeclared > 0) counts.push_back(fmt::format("{} without expectation", undeclared));
  std::string closing = fmt::format("{}: {}", Plural(reports.size(), "model", "models"), fmt::join(counts, ", "));
  if (include_times && total_seconds > 0) closing += fmt::format(" ({} in all)", FormatSeconds(total_seconds));
  return table.Render(false) + "\n" + closing + "\n";
}

}  // namespace racecheck::report
