#include "checker/ir/lower.h"

#include "checker/ir/lowerer.h"

namespace racecheck::ir {

std::optional<Program> Lower(const ast::Model& model, const base::SourceFile& file, base::DiagnosticEngine& diags) {
  return lowering::Lowerer(model, file, diags).Run();
}

}  // namespace racecheck::ir
