#include "checker/report/summary.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/report/layout.h"
#include "checker/report/verdict.h"

namespace racecheck::report {
namespace {

const result::Report* EngineReport(const result::FileResult& file, const std::string& engine) {
  for (const auto& report : file.reports) {
    if (report.engine == engine) return &report;
  }
  return nullptr;
}

std::string Count(uint64_t n) { return n > 0 ? std::to_string(n) : std::string("-"); }

std::string Time(const result::Report* report) {
  return report != nullptr && report->stats.seconds > 0 ? FormatSeconds(report->stats.seconds) : "-";
}

}  // namespace

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

std::string ExpectedWord(const result::FileResult& file) {
  bool declared = false;
  for (const auto& report : file.reports) {
    if (!report.expectation.declared) continue;
    declared = true;
    if (!report.expectation.met) return "NO";
  }
  return declared ? "yes" : "-";
}

RunCounts CountRun(const result::Run& run) {
  RunCounts counts;
  for (const auto& file : run.files) {
    ++counts.files;
    switch (file.status) {
      case result::FileStatus::kModelError:
        ++counts.model_errors;
        continue;
      case result::FileStatus::kNotChecked:
        ++counts.not_checked;
        continue;
      case result::FileStatus::kChecked:
        break;
    }
    ++counts.checked;
    std::string expected = ExpectedWord(file);
    ++(expected == "yes" ? counts.as_expected : expected == "NO" ? counts.not_as_expected : counts.without_expectation);
    if (file.engines_agree) {
      ++counts.engines_compared;
      if (!*file.engines_agree) ++counts.engines_disagree;
    }
  }
  return counts;
}

std::string RenderSummary(const result::Run& run, bool include_times) {
  bool both = std::any_of(run.files.begin(), run.files.end(), [](const result::FileResult& f) { return f.reports.size() > 1; });
  // What the fixes cost, when any model waited or failed: states where a process waits for a
  // lock, and transitions where a transaction failed (the explicit engine counts them).
  bool costs = false;
  for (const auto& file : run.files) {
    for (const auto& r : file.reports) costs = costs || r.stats.blocked_states > 0 || r.stats.failed_transactions > 0;
  }
  std::vector<Align> aligns = {Align::kLeft, Align::kLeft, Align::kLeft};
  std::vector<Cell> header = {{"file"}, {"model"}};
  if (both) {
    aligns.insert(aligns.end(), {Align::kLeft, Align::kLeft});
    header.insert(header.end(), {{"explicit"}, {"z3"}, {"agree?"}});
  } else {
    header.push_back({"verdict"});
  }
  aligns.insert(aligns.end(), {Align::kLeft, Align::kRight});
  header.insert(header.end(), {{"expected?"}, {"states"}});
  if (costs) {
    aligns.insert(aligns.end(), {Align::kRight, Align::kRight});
    header.insert(header.end(), {{"waiting"}, {"failed"}});
  }
  if (include_times) {
    aligns.push_back(Align::kRight);
    header.push_back({both ? "explicit time" : "time"});
    if (both) {
      aligns.push_back(Align::kRight);
      header.push_back({"z3 time"});
    }
  }
  TextTable table(std::move(aligns), "");
  table.AddRow(std::move(header));

  double total_seconds = 0;
  for (const auto& file : run.files) {
    const result::Report* first = file.reports.empty() ? nullptr : &file.reports.front();
    std::vector<Cell> cells = {{file.file}, {first != nullptr ? first->model : "-"}};
    std::string status = file.status == result::FileStatus::kModelError   ? "model error"
                         : file.status == result::FileStatus::kNotChecked ? "not checked (interrupted)"
                                                                          : "";
    if (both) {
      const result::Report* x = EngineReport(file, "explicit");
      const result::Report* z = EngineReport(file, "z3");
      cells.push_back({!status.empty() ? status : x != nullptr ? VerdictSummary(*x) : "-"});
      cells.push_back({!status.empty() ? "-" : z != nullptr ? VerdictSummary(*z) : "-"});
      cells.push_back({!file.engines_agree ? "-" : *file.engines_agree ? "yes" : "NO"});
    } else {
      cells.push_back({!status.empty() ? status : first != nullptr ? VerdictSummary(*first) : "-"});
    }
    cells.push_back({ExpectedWord(file)});
    // States are the explicit engine's: the z3 engine keeps none.
    const result::Report* counted = EngineReport(file, "explicit");
    cells.push_back({counted != nullptr ? std::to_string(counted->stats.states) : "-"});
    if (costs) {
      cells.push_back({counted != nullptr ? Count(counted->stats.blocked_states) : "-"});
      cells.push_back({counted != nullptr ? Count(counted->stats.failed_transactions) : "-"});
    }
    if (include_times) {
      cells.push_back({Time(both ? EngineReport(file, "explicit") : first)});
      if (both) cells.push_back({Time(EngineReport(file, "z3"))});
    }
    for (const auto& r : file.reports) total_seconds += r.stats.seconds;
    table.AddRow(std::move(cells));
  }

  return table.Render(false) + "\n" + ClosingLine(run, include_times ? total_seconds : 0) + "\n";
}

std::string ClosingLine(const result::Run& run, double total_seconds) {
  RunCounts counts = CountRun(run);
  std::vector<std::string> judged;
  if (counts.as_expected > 0 || (counts.not_as_expected == 0 && counts.without_expectation == 0)) {
    judged.push_back(fmt::format("{} as expected", counts.as_expected));
  }
  if (counts.not_as_expected > 0) judged.push_back(fmt::format("{} not", counts.not_as_expected));
  if (counts.without_expectation > 0) judged.push_back(fmt::format("{} without expectation", counts.without_expectation));
  std::string closing = fmt::format("{}: {} checked", Plural(static_cast<uint64_t>(counts.files), "file", "files"),
                                    counts.checked);
  if (counts.checked > 0) closing += fmt::format(" ({})", fmt::join(judged, ", "));
  if (counts.model_errors > 0) closing += fmt::format(", {} with model errors", counts.model_errors);
  if (counts.not_checked > 0) closing += fmt::format(", {} not checked (interrupted)", counts.not_checked);
  if (counts.engines_compared > 0) {
    closing += counts.engines_disagree == 0
                   ? fmt::format("; the engines agree on {}", Plural(static_cast<uint64_t>(counts.engines_compared), "model", "models"))
                   : fmt::format("; the engines DISAGREE on {} of {}", counts.engines_disagree, counts.engines_compared);
  }
  if (total_seconds > 0) closing += fmt::format(" ({} in all)", FormatSeconds(total_seconds));
  return closing;
}

}  // namespace racecheck::report
