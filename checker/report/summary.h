// One table for a run over several model files: a row per file (checked, broken or not
// reached), then what the run came to: how many files were checked, how many met their
// declared expectation, how many had model errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/result/report.h"
#include "checker/result/run.h"

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

// "yes" when every report met the declared expectation, "NO" when one did not, "-" when the
// model declares none (or has no report).
std::string ExpectedWord(const result::FileResult& file);

// What a run came to, counted over files (a file checked by both engines counts once).
struct RunCounts {
  int files = 0;
  int checked = 0;
  int as_expected = 0;
  int not_as_expected = 0;
  int without_expectation = 0;
  int model_errors = 0;
  int not_checked = 0;
  int engines_compared = 0;  // --engine both, both verdicts conclusive
  int engines_disagree = 0;
};

RunCounts CountRun(const result::Run& run);

// Columns file, model, verdict, expected?, states, (when some model waited for a lock or had a
// transaction fail) waiting and failed, and (when include_times) time, in the order of the run;
// under --engine both the verdict is two columns, explicit and z3, then agree?, and the times
// are the two engines'. Model errors and files not reached have a row too. Then a line such
// as "11 files: 4 checked (1 as expected, 1 not, 2 without expectation), 7 with model errors".
std::string RenderSummary(const result::Run& run, bool include_times);

// The table's last line, without a newline; "(12.8 s in all)" when total_seconds is not 0.
std::string ClosingLine(const result::Run& run, double total_seconds);

}  // namespace racecheck::report
