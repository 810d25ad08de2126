#include "checker/frontend/analyze.h"

#include "checker/frontend/check_structure.h"
#include "checker/frontend/check_types.h"
#include "checker/frontend/inline_functions.h"
#include "checker/frontend/parse.h"
#include "checker/frontend/resolve_names.h"

namespace racecheck::frontend {

std::unique_ptr<ast::Model> ParseAndCheck(const base::SourceFile& file, const std::vector<ConstOverride>& overrides,
                                          base::DiagnosticEngine& diags) {
  std::unique_ptr<ast::Model> model = Parse(file, diags);
  if (!model) return nullptr;
  if (!ResolveNames(*model, diags)) return nullptr;
  if (!InlineFunctions(*model, diags)) return nullptr;
  if (!FoldConstants(*model, overrides, diags)) return nullptr;
  if (!CheckTypes(*model, diags)) return nullptr;
  if (!CheckStructure(*model, diags)) return nullptr;
  return model;
}

}  // namespace racecheck::frontend
