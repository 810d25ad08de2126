#include "checker/symbolic/support.h"

#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

// The construct an instruction belongs to when this engine does not encode it, else nullptr.
// A new ir::Op lands here first: name what the user wrote ("SQL statements") until it is encoded.
const char* UnsupportedOp(ir::Op op) {
  switch (op) {
    case ir::Op::kLet:
    case ir::Op::kRead:
    case ir::Op::kWrite:
    case ir::Op::kGhostWrite:
    case ir::Op::kAcquire:
    case ir::Op::kRelease:
    case ir::Op::kAtomicBegin:
    case ir::Op::kAtomicEnd:
    case ir::Op::kAwait:
    case ir::Op::kJump:
    case ir::Op::kBranchFalse:
    case ir::Op::kAssert:
    case ir::Op::kAssume:
    case ir::Op::kChoose:
    case ir::Op::kEnd:
    case ir::Op::kRedis:
    case ir::Op::kRedisBegin:
    case ir::Op::kRedisEnd:
    case ir::Op::kSql:
    case ir::Op::kTxBegin:
    case ir::Op::kTxCommit:
    case ir::Op::kTxRollback:
    case ir::Op::kTxRaise:
    case ir::Op::kTxHandled:
    case ir::Op::kCrash:
      return nullptr;
  }
  return "an instruction this build does not know";
}

// The same for expression operators.
const char* UnsupportedExprOp(ir::ExprOp op) {
  switch (op) {
    case ir::ExprOp::kConst:
    case ir::ExprOp::kLocal:
    case ir::ExprOp::kSelf:
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kParam:
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAdd:
    case ir::ExprOp::kSub:
    case ir::ExprOp::kMul:
    case ir::ExprOp::kDiv:
    case ir::ExprOp::kMod:
    case ir::ExprOp::kLt:
    case ir::ExprOp::kLe:
    case ir::ExprOp::kGt:
    case ir::ExprOp::kGe:
    case ir::ExprOp::kEq:
    case ir::ExprOp::kNe:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kMin:
    case ir::ExprOp::kMax:
    case ir::ExprOp::kAbs:
    case ir::ExprOp::kIte:
    case ir::ExprOp::kBranches:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      return nullptr;
  }
  return "an expression this build does not know";
}

}  // namespace


std::string UnsupportedConstruct(const ir::Program& program) {
  for (const ir::Process& process : program.processes) {
    for (const ir::Instr& instr : process.code) {
      const char* what = UnsupportedOp(instr.op);
      if (what == nullptr) continue;
      int line = instr.statement >= 0 ? program.statements[instr.statement].range.begin.line : 0;
      return line > 0 ? fmt::format("{} (line {})", what, line) : what;
    }
  }
  for (const ir::Expr& expr : program.exprs) {
    if (const char* what = UnsupportedExprOp(expr.op)) return what;
  }
  return "";
}

}  // namespace racecheck::symbolic
