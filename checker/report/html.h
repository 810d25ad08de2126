// One self-contained HTML page for a run (no network, no external script or style): a table of
// every model's verdict and costs, then each counterexample as a swimlane, one column per
// process, one row per step, with the shared state after each step beside it.
#pragma once

#include <string>
#include <vector>

#include "checker/result/run.h"

namespace racecheck::report {

// A model that could not be checked, with its diagnostics as the text report prints them.
struct ModelError {
  std::string file;
  std::string diagnostics;
};

// `stable` leaves out times and memory, as --stable does for the other formats.
std::string RenderHtml(const std::vector<result::Report>& reports, const std::vector<ModelError>& errors, bool stable);

// The page of a whole run: every engine's report of every file, and the files with model errors.
std::string RenderHtml(const result::Run& run);

}  // namespace racecheck::report
