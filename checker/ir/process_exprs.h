// The expressions a process evaluates, and where its locals are live.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// Calls `root` with the root of every expression the instruction evaluates: its own, and those
// of the SQL statement, Redis command, block or crash point it names. Its index into a variable
// (kRead, kWrite, kGhostWrite) goes to `variable_index` with the variable instead, when one is given.
void VisitInstrExprs(const Program& program, const Instr& instr, const std::function<void(int32_t)>& root,
                     const std::function<void(int32_t var, int32_t index)>& variable_index = nullptr);

// The locals the instruction reads, in its expressions or as the row a statement starts from.
std::vector<int32_t> LocalsReadBy(const Program& program, const Instr& instr);

// The same for every expression the process evaluates: its parameters' values and ranges, then
// each instruction's.
void VisitProcessExprs(const Program& program, const Process& process, const std::function<void(int32_t)>& root,
                       const std::function<void(int32_t var, int32_t index)>& variable_index = nullptr);

// Per pc of the process's code, per local: whether the local is live there, that is, some path
// from the pc may read it before an instruction that always writes it (kLet, kRead, kChoose)
// does. Expressions read locals; so does a statement that picks its first row
// (SqlStatement::start). Parameters and the crash count are live everywhere. A local that is not
// live at a pc may hold any value there without changing what the instance does.
std::vector<std::vector<bool>> LiveLocals(const Program& program, const Process& process);

}  // namespace racecheck::ir
