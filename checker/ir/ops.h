// Facts about IR instructions that both engines must agree on.
#pragma once

#include "checker/ir/program.h"

namespace racecheck::ir {

// Inline: the explicit engine asks at every instruction it runs.

// Whether an instruction touches state other processes can see: the points where a step
// ends under runtime threads (docs/semantics.md, "Steps").
inline bool IsVisible(Op op) {
  switch (op) {
    case Op::kRead:
    case Op::kWrite:
    case Op::kAcquire:
    case Op::kRelease:
    case Op::kAtomicBegin:
    case Op::kSql:
    case Op::kTxCommit:
    case Op::kTxRollback:
    case Op::kRedis:
    case Op::kRedisBegin:
    case Op::kCrash:
      return true;
    case Op::kTxBegin:
    case Op::kTxRaise:
    case Op::kTxHandled:
    case Op::kRedisEnd:
    case Op::kLet:
    case Op::kGhostWrite:
    case Op::kAtomicEnd:
    case Op::kAwait:
    case Op::kJump:
    case Op::kBranchFalse:
    case Op::kAssert:
    case Op::kAssume:
    case Op::kChoose:
    case Op::kEnd:
      return false;
  }
  return false;
}

// Commands that leave the keys as they are. WATCH counts as a read: it writes only the watching
// instance's own slot, which another instance's write to the declaration changes.
inline bool RedisReadsOnly(RedisCommand command) {
  switch (command) {
    case RedisCommand::kGet:
    case RedisCommand::kExists:
    case RedisCommand::kWatch:
    case RedisCommand::kTtl:
    case RedisCommand::kLen:
    case RedisCommand::kHGet:
    case RedisCommand::kHExists:
    case RedisCommand::kHLen:
    case RedisCommand::kSIsMember:
    case RedisCommand::kSCard:
      return true;
    default:
      return false;
  }
}

// Whether an instruction is a call to the database or Redis: under the event loop it is awaited,
// so it starts a step of its own and the step stops before the next visible access after it.
inline bool IsExternal(Op op) {
  switch (op) {
    case Op::kSql:
    case Op::kTxCommit:
    case Op::kTxRollback:
    case Op::kRedis:
    case Op::kRedisBegin:
    case Op::kCrash:
      return true;
    default:
      return false;
  }
}

// Under the event loop, a ghost written after an awaited call (at block depth 0) is written when
// the reply has come: other tasks run in between, so the write starts the next step, and a
// property sees the ghost as it was while the task waited (`inside += 1`, a call, `inside -= 1`).
// The compiler's and the replayer's own ghosts (Variable::internal) ride along.
inline bool GhostWaitsForReply(const Program& program, const Instr& instr, bool after_external, int32_t depth) {
  return instr.op == Op::kGhostWrite && after_external && depth == 0 && !program.vars[instr.var].internal;
}

}  // namespace racecheck::ir
