// The front end as one call: parse, then each semantic pass, stopping after the first
// phase that reported errors (many errors per phase, never a cascade).
#pragma once

#include <memory>
#include <vector>

#include "checker/ast/ast.h"
#include "checker/base/diagnostics.h"
#include "checker/frontend/fold_constants.h"

namespace racecheck::frontend {

std::unique_ptr<ast::Model> ParseAndCheck(const base::SourceFile& file, const std::vector<ConstOverride>& overrides,
                                          base::DiagnosticEngine& diags);

}  // namespace racecheck::frontend
