// One model through the whole pipeline: read, parse and check, compile, run the engine (or
// both), judge the expectation. The CLI calls this once per file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/base/source.h"
#include "checker/explore/search.h"
#include "checker/frontend/fold_constants.h"
#include "checker/result/report.h"
#include "checker/result/run.h"
#include "checker/symbolic/symbolic.h"

namespace racecheck::driver {

struct RunOptions {
  std::vector<frontend::ConstOverride> overrides;
  std::string engine = "explicit";  // "explicit", "z3", "both" or "auto"
  explore::SearchOptions search;
  symbolic::SymbolicOptions symbolic;
  // Zero times and memory in the report, so outputs can be compared byte for byte.
  bool stable = false;
};

struct RunOutcome {
  std::optional<result::Report> report;  // empty when the model had errors; with both engines the explicit one's
  std::optional<result::Report> z3_report;  // --engine both: the z3 engine's
  std::string comparison;                // --engine both: "ENGINES AGREE: ..." or "ENGINES DISAGREE: ..."
  bool disagree = false;
  std::optional<bool> engines_agree;     // --engine both, when both verdicts are conclusive
  std::string notes;                     // why one of two engines did not run, for stderr
  std::string diagnostics;               // rendered errors, when any
  // The same errors, warnings and notes as data, for the machine-readable formats.
  std::vector<result::Diagnostic> messages;
  std::vector<result::PropertyInfo> properties;  // once the model compiled
  std::string internal_error;            // racecheck's own bug (a z3 run the replay does not confirm)
};

// Reads and checks a model and prints its AST (racecheck parse).
RunOutcome ParseOnly(const std::string& path, const RunOptions& options, std::string& ast_text);

RunOutcome CheckModel(const std::string& path, const RunOptions& options);
// The same for text already in memory (the fuzzer's input); `file.path()` names it in messages.
RunOutcome CheckSource(const base::SourceFile& file, const RunOptions& options);

// Reads a whole file; false (with a message in error) when it cannot be read.
bool ReadFile(const std::string& path, std::string& text, std::string& error);

}  // namespace racecheck::driver
