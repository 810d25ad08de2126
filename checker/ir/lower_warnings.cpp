// Warnings about what a model's code cannot show: a ghost written twice in one step.
#include <fmt/format.h>

#include "checker/ir/lowerer.h"

namespace racecheck::ir::lowering {

// `holders += 1`, then local work or a `pause`, then `holders -= 1`: no step lies between the two
// writes, so no state has the raised value and a property reading the ghost never sees it (an
// invariant holds and a cover stays unreached for that reason alone). Straight-line code only,
// outside atomic and Redis blocks, where the writer asked for one step.
void Lowerer::WarnGhostWrittenTwiceInOneStep(const Process& process) {
  int depth = 0;
  for (size_t i = 0; i < process.code.size(); ++i) {
    const Instr& first = process.code[i];
    if (first.op == Op::kAtomicBegin || first.op == Op::kRedisBegin) ++depth;
    if (first.op == Op::kAtomicEnd || first.op == Op::kRedisEnd) --depth;
    // The compiler's own ghosts (a takes region: opened, paused and closed alike) are not the user's.
    if (depth > 0 || first.op != Op::kGhostWrite || program_.vars[first.var].internal || first.statement < 0) continue;
    for (size_t j = i + 1; j < process.code.size(); ++j) {
      const Instr& next = process.code[j];
      if (StartsStep(next.op) || next.op == Op::kAwait || next.op == Op::kJump || next.op == Op::kBranchFalse ||
          next.op == Op::kEnd) {
        break;
      }
      if (next.op != Op::kGhostWrite || next.var != first.var || next.statement < 0 ||
          next.statement == first.statement) {
        continue;
      }
      const base::SourceRange& at = program_.statements[first.statement].range;
      diags_.Warning(program_.statements[next.statement].range.begin,
                     fmt::format("ghost '{}' is written at line {} and again here in the same step (nothing between "
                                 "them is a step: locals, ghosts and pauses are not), so no state holds the value in "
                                 "between and no property sees it; put the shared work it stands for between the two",
                                 program_.vars[first.var].name, at.begin.line));
      break;
    }
  }
}

}  // namespace racecheck::ir::lowering
