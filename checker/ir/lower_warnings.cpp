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
      // Under the event loop shared memory between two awaits is one step (round 19: the advice
      // to put shared work between the two repeated what the model already did).
      const char* why = program_.runtime == Runtime::kEventLoop
                            ? "under the event loop a task runs on until its next await or database or Redis call, "
                              "so everything between them is one step"
                            : "nothing between them is a step: locals, ghosts and pauses are not";
      const char* fix = program_.runtime == Runtime::kEventLoop
                            ? "put an await or the call it stands for between the two"
                            : "put the shared work it stands for between the two";
      diags_.Warning(program_.statements[next.statement].range.begin,
                     fmt::format("ghost '{}' is written at line {} and again here in the same step ({}), so no state "
                                 "holds the value in between and no property sees it; {}",
                                 program_.vars[first.var].name, at.begin.line, why, fix));
      break;
    }
  }
}

}  // namespace racecheck::ir::lowering
