#include "checker/ir/ops.h"

namespace racecheck::ir {

bool IsVisible(Op op) {
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

bool IsExternal(Op op) {
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
