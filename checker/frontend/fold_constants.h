#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"

namespace racecheck::frontend {

// A `--set NAME=VALUE` from the command line.
struct ConstOverride {
  std::string name;
  int64_t value = 0;
  bool is_bool = false;
};

// Applies --set overrides, replaces constants by their values and folds literal arithmetic;
// reports sizes, counts and bounds that are not constant or out of range, and 32-bit overflow.
bool FoldConstants(ast::Model& model, const std::vector<ConstOverride>& overrides, base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
