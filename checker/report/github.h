// GitHub Actions workflow commands: one `::error file=...,line=...::` (or ::warning, ::notice)
// per finding, which GitHub shows as annotations on the pull request's lines. Pure function
// of result::Run.
#pragma once

#include <string>

#include "checker/result/run.h"

namespace racecheck::report {

// One command per line, its message holding the trace on further lines (escaped as %0A), then
// the run's closing line as plain log text.
std::string RenderGithub(const result::Run& run);

}  // namespace racecheck::report
