// One table for a run over several model files: a row per file, then how many met their
// declared expectation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/result/report.h"

namespace racecheck::report {

struct SummaryRow {
  std::string file;
  std::string model;
  std::string verdict;   // VerdictSummary: "violation conservation", "safe", "deadlock", ...
  std::string expected;  // "yes", "NO", or "-" when the model declares no expectation
  uint64_t states = 0;
  double seconds = 0;
};

SummaryRow MakeSummaryRow(const result::Report& report);

// Columns file, model, verdict, expected?, states, (when some model waited for a lock or had a
// transaction fail) waiting and failed, and (when include_times) time, in the order of
// `reports`; then a line such as "7 models: 6 as expected, 1 not".
std::string RenderSummary(const std::vector<result::Report>& reports, bool include_times);

}  // namespace racecheck::report
