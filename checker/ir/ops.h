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

}  // namespace racecheck::ir
