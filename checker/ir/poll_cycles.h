// Polls of several steps: loops that only read, which a request inside a takes block goes round
// waiting for another one (docs/semantics.md, Time, "Waits"). Both engines count a request whose
// pc lies on such a loop as waiting, as they do one whose single step comes back unchanged.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::ir {

// Per pc of `process`: 1 when the pc lies on a cycle of the code made only of instructions that
// only read (shared reads, read-only Redis commands and WATCH, selects that lock no row, local
// work, ghost updates, branches) and holding two or more step starts: `while redis.GET(a) +
// redis.GET(b) > 0 { }` under threads. A cycle of one step is left to the engines' exact probe.
std::vector<uint8_t> PollCycles(const Program& program, const Process& process);

// Loops inside a takes block whose rounds write and whose going on depends on what other requests
// did (a branch on a value read, answered or computed from those on the loop), not counted and
// not marked by PollCycles: one pc per loop (its first such branch). If such a loop waits for
// another request, its rounds still count as work and hold time back for everyone; the compiler
// warns (round 20: an INCR/DECR semaphore spin, `while redis.INCR(sem) != 1 { redis.DECR(sem) }`).
std::vector<int32_t> LoopsThatWaitAndWrite(const Program& program, const Process& process);

// Per slot of the state: 1 for ghosts, the model's and the compiler's own (a takes region, which a
// `pause` in the loop grows; a replay's tape, which a choice in the step moves on). A poll may
// change them: they are bookkeeping, which changes nothing any request does, so a round that
// only counts itself in a ghost still polls (both engines' one-step probes skip them).
std::vector<uint8_t> GhostSlots(const Program& program);

}  // namespace racecheck::ir
