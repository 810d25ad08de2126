// Runs model text through the real front end and both engines, for the symbolic tests.
#pragma once

#include <optional>
#include <string>

#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/driver/engines.h"
#include "checker/explore/search.h"
#include "checker/frontend/analyze.h"
#include "checker/ir/lower.h"
#include "checker/ir/program.h"
#include "checker/symbolic/symbolic.h"

namespace racecheck::symbolic::testing {

// The compiled program, or the front end's diagnostics in `errors`.
inline std::optional<ir::Program> Compile(const std::string& text, std::string* errors,
                                          const std::string& path = "test.cr") {
  base::SourceFile file(path, text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
  std::optional<ir::Program> program;
  if (model) program = ir::Lower(*model, file, diags);
  if (!program) *errors = diags.Render();
  return program;
}

struct BothEngines {
  result::Report explicit_report;
  driver::SymbolicOutcome z3;
  driver::Comparison comparison;
};

inline BothEngines RunBoth(const ir::Program& program, const SymbolicOptions& options = {},
                           uint64_t max_states = 2'000'000) {
  BothEngines both;
  explore::SearchOptions search;
  search.max_states = max_states;
  both.explicit_report = explore::Search(program, search);
  both.z3 = driver::RunSymbolic(program, options);
  if (both.z3.model_error.empty() && both.z3.internal_error.empty()) {
    both.comparison = driver::CompareEngines(both.explicit_report, both.z3.report);
  }
  return both;
}

}  // namespace racecheck::symbolic::testing
