// Where a local of a process holds a value its code gave it (docs/semantics.md, "Symmetry").
// Locals start at 0 and are cleared to 0 when their instance ends or crashes; a `let` (or a
// statement's result) gives them a value, and the front end lets nothing read a local before.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// Whether the instruction names `local` as a place it writes to on some path.
bool MayWrite(const Program& program, const Instr& instr, int32_t local);

// Whether `local` is one the compiler made for itself (SlotInfo::hidden: a copy of a shared read,
// a crash's count or choice), not one of the model's nor a fn's inlined copy.
bool IsHidden(const Program& program, const Process& process, int32_t local);

// Whether `local` is one of the compiler's hidden copies of a shared read ("read x",
// SlotInfo::hidden): written only by reads (kRead, kRedis, a statement's results) and by `kLet local = 0`, which clears it
// once the statement that uses it is done.
bool IsReadCopy(const Program& program, const Process& process, int32_t local);

// What AssignedAt says of a local at a pc.
inline constexpr char kZeroHere = 0;      // it holds the 0 it starts and is cleared with, on every path
inline constexpr char kAssignedHere = 1;  // it holds a value the code wrote, on every path
// Reached both ways (the head of a loop whose body declares it, after an `if` that declares it
// on one side only): out of its scope, its value dead until its let runs again.
inline constexpr char kDeadHere = 2;

// Per pc of the process's code, what `local` holds there (kZeroHere, kAssignedHere, kDeadHere).
// nullopt when an instruction may write it without always doing so, or when a read copy is
// reached both ways at a pc where states rest (pc 0, a visible instruction). A read copy's
// clearing counts as the 0 it starts with.
std::optional<std::vector<char>> AssignedAt(const Program& program, const Process& process, int32_t local);

}  // namespace racecheck::ir
