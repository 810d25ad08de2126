// One model through the whole pipeline: read, parse and check, compile, search, judge the
// expectation. The CLI calls this once per file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/explore/search.h"
#include "checker/frontend/fold_constants.h"
#include "checker/result/report.h"

namespace racecheck::driver {

struct RunOptions {
  std::vector<frontend::ConstOverride> overrides;
  explore::SearchOptions search;
  // Zero times and memory in the report, so outputs can be compared byte for byte.
  bool stable = false;
};

struct RunOutcome {
  std::optional<result::Report> report;  // empty when the model had errors
  std::string diagnostics;               // rendered errors, when any
};

// Reads and checks a model and prints its AST (racecheck parse).
RunOutcome ParseOnly(const std::string& path, const RunOptions& options, std::string& ast_text);

RunOutcome CheckModel(const std::string& path, const RunOptions& options);

// Reads a whole file; false (with a message in error) when it cannot be read.
bool ReadFile(const std::string& path, std::string& text, std::string& error);

}  // namespace racecheck::driver
