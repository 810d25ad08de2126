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

// How far the engines' probe of a request inside a takes block looks (Stepper::Waiting,
// Engine::Polls): it waits when running it alone can bring it back to the same pc with nothing
// outside its own block changed but ghosts (its WATCH slots compared too: WatchSlots; on a probe
// of more steps its whole block, but Process::rounds_local), or, on a probe of more than one
// step, leaves it on the loop when the budget is spent.
struct WaitProbes {
  // Per pc, the most steps the probe runs: 1 by default (a poll of one step); 0 on counted loops
  // only (a counter bounds the rounds: they are work, and a round that changes only the counter is
  // no poll); on a loop that writes and goes on by what other requests did (a branch on a value
  // read, answered or computed from those on the loop), not counted and not marked by PollCycles,
  // two rounds' steps. Such a loop may wait with rounds that write and leave the state as it was
  // (round 20: an INCR/DECR semaphore spin, `while redis.INCR(sem) != 1 { redis.DECR(sem) }`; a
  // toggled heartbeat, in two rounds), which no static mark sees.
  std::vector<int32_t> probe_steps;
  // Per pc: 1 on such a loop that holds an inner loop, whose rounds run more steps than the code
  // shows: a request there waits wherever it is, as on a poll (Process::poll_cycle).
  std::vector<uint8_t> waits_on_loop;
  // Per loop that writes and waits, or holds an inner loop: its first statement (the compiler
  // warns there: work that needs more than the budget's rounds alone waits, a false alarm at
  // worst, and a retry others keep failing counts as work) and whether it holds an inner loop.
  struct Warned {
    int32_t pc;
    bool nested;
  };
  std::vector<Warned> write_and_wait;
};
// Needs `process.poll_cycle` (PollCycles) set.
WaitProbes ProbeSteps(const Program& program, const Process& process);

// Per local of the process's `code`: 1 when no instruction on a cycle of the code writes it, so
// that every loop reads the same value in every round.
std::vector<uint8_t> LocalsFixedInLoops(const Program& program, const std::vector<Instr>& code, size_t locals);

// Whether process-code expression `expr` has the same value in every round of any loop: made of
// numbers, `self`, params and the locals `fixed_locals` marks (LocalsFixedInLoops), reading no state.
bool SameEveryRound(const Program& program, int32_t expr, const std::vector<uint8_t>& fixed_locals);

// Per slot of the state: 1 for ghosts, the model's and the compiler's own (a takes region, which a
// `pause` in the loop grows; a replay's tape, which a choice in the step moves on). A poll may
// change them: they are bookkeeping, which changes nothing any request does, so a round that
// only counts itself in a ghost still polls (both engines' one-step probes skip them).
std::vector<uint8_t> GhostSlots(const Program& program);

// Per slot of the state: 1 for the instances' WATCH slots. They lie in an instance's own block,
// which the probes leave out when they compare states, but they decide where a multi goes: a
// WATCH/GET/MULTI retry whose watched key another request changed once comes back to the same
// shared state one round later with a fresh watch, and its next EXEC succeeds (round 25: taken
// for a wait, a false alarm).
std::vector<uint8_t> WatchSlots(const Program& program);

}  // namespace racecheck::ir
