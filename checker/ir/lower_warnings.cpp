// Warnings about what a model's code cannot show: a ghost written twice in one step, a property
// reading a variable that no request writes.
#include <fmt/format.h>

#include <algorithm>

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

// `invariant conservation: balance + withdrawn == 100` where no request writes `withdrawn`: the
// variable keeps its initial value in every state, so the property cannot see the requests'
// work through it, and a property made only of such variables holds (or fails) in every state
// alike: a SAFE that says nothing. Most often a forgotten `withdrawn += amount`.
void Lowerer::WarnPropertiesOnUnwrittenVariables() {
  if (program_.processes.empty()) return;  // a warning of its own says that nothing runs
  std::vector<uint8_t> written(program_.vars.size(), 0);
  for (const Process& process : program_.processes) {
    for (const Instr& instr : process.code) {
      if ((instr.op == Op::kWrite || instr.op == Op::kGhostWrite) && instr.var >= 0) written[instr.var] = 1;
    }
  }
  for (const Property& property : program_.properties) {
    std::vector<std::string> unwritten;
    for (int32_t var : property.vars) {
      const Variable& v = program_.vars[var];
      if (written[var] || v.internal) continue;
      std::string name = fmt::format("{} '{}'", v.kind == VarKind::kGhost ? "ghost" : "shared", v.name);
      if (std::find(unwritten.begin(), unwritten.end(), name) == unwritten.end()) unwritten.push_back(name);
    }
    if (unwritten.empty()) continue;
    std::string names;
    for (size_t i = 0; i < unwritten.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == unwritten.size() ? " and " : ", ") + unwritten[i];
    }
    bool one = unwritten.size() == 1;
    diags_.Warning(property.range.begin,
                   fmt::format("{} {} reads {}, which no request writes: {} its initial value in every state, so "
                               "the property cannot see what the requests do through {} (a forgotten update, such as "
                               "'withdrawn += amount'?)",
                               PropertyKindName(property.kind), property.name, names, one ? "it keeps" : "they keep", one ? "it" : "them"));
  }
}

}  // namespace racecheck::ir::lowering
