// SARIF 2.1.0, the format code scanning reads (GitHub, GitLab, Azure DevOps): each finding a
// result located at its line (a violation at its property's), a violation's run a codeFlow
// whose steps point at the model's lines. Pure function of result::Run.
#pragma once

#include <string>

#include "checker/result/run.h"

namespace racecheck::report {

// Pretty-printed, ending in a newline. Paths are relative URIs as given on the command line
// (what code scanning resolves against the checkout); findings about a whole file point at
// its line 1. Expected violations are level "note", so they do not fail a gate on errors.
std::string RenderSarif(const result::Run& run);

// A path as a URI reference: bytes other than letters, digits, "-._~/" percent-encoded.
std::string PathUri(const std::string& path);

}  // namespace racecheck::report
