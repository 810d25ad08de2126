// The default human-readable report: verdict first, then for each violation its trace as a
// step table and as a per-process interleaving, then one line of statistics.
#pragma once

#include <string>

#include "checker/result/report.h"

namespace racecheck::report {

struct TextOptions {
  // ANSI colours; the driver sets it for a terminal when NO_COLOR is unset.
  bool color = false;
  // Also show, for every reached `cover`, the shortest run that reaches it.
  bool show_cover_traces = false;
};

// Deterministic for a given report: no clock, no environment. Times and memory appear only
// when nonzero, so a report with zeroed stats.seconds renders the same on every run.
std::string RenderText(const result::Report& report, const TextOptions& options);

// One violation as the text report shows it, without colour: its heading, its explanation,
// then its trace (step table and interleaving). For formats that carry a trace as plain text.
std::string RenderViolationText(const result::Violation& violation);

}  // namespace racecheck::report
