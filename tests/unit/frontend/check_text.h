// The front end run on a model's text, for the front-end tests: the checked AST (null on
// errors) and the rendered diagnostics.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "checker/frontend/analyze.h"

namespace racecheck::frontend::testing {

struct Checked {
  std::unique_ptr<ast::Model> model;
  std::string errors;
  int error_count = 0;
};

inline Checked Check(const std::string& text, const std::vector<ConstOverride>& overrides = {}) {
  base::SourceFile file("test.cr", text);
  base::DiagnosticEngine diags(file);
  Checked out;
  out.model = ParseAndCheck(file, overrides, diags);
  out.errors = diags.Render();
  out.error_count = diags.error_count();
  return out;
}

}  // namespace racecheck::frontend::testing
