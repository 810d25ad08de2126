#include "checker/ir/null.h"

#include "fmt/format.h"

namespace racecheck::ir {
namespace {

const char* OperatorText(ExprOp op) {
  switch (op) {
    case ExprOp::kNeg: return "-";
    case ExprOp::kNot: return "not";
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kDiv: return "/";
    case ExprOp::kMod: return "%";
    case ExprOp::kLt: return "<";
    case ExprOp::kLe: return "<=";
    case ExprOp::kGt: return ">";
    case ExprOp::kGe: return ">=";
    case ExprOp::kEq: return "==";
    case ExprOp::kNe: return "!=";
    case ExprOp::kAnd: return "and";
    case ExprOp::kOr: return "or";
    case ExprOp::kMin: return "min";
    case ExprOp::kMax: return "max";
    case ExprOp::kAbs: return "abs";
    case ExprOp::kIte: return "if ... then";
    case ExprOp::kBranches:
    case ExprOp::kConst:
    case ExprOp::kLocal:
    case ExprOp::kSelf:
    case ExprOp::kGlobal:
    case ExprOp::kParam:
    case ExprOp::kColumn:
    case ExprOp::kCell:
    case ExprOp::kTableCount:
    case ExprOp::kTableSum:
    case ExprOp::kRedisValue:
    case ExprOp::kRedisLease:
    case ExprOp::kRedisLength:
    case ExprOp::kRedisContains:
    case ExprOp::kRedisHashGet:
    case ExprOp::kIsNull:
    case ExprOp::kCoalesce:
      break;
  }
  return "?";
}

}  // namespace

bool NeedsValues(ExprOp op) {
  switch (op) {
    case ExprOp::kNeg:
    case ExprOp::kNot:
    case ExprOp::kAdd:
    case ExprOp::kSub:
    case ExprOp::kMul:
    case ExprOp::kDiv:
    case ExprOp::kMod:
    case ExprOp::kLt:
    case ExprOp::kLe:
    case ExprOp::kGt:
    case ExprOp::kGe:
    case ExprOp::kAnd:
    case ExprOp::kOr:
    case ExprOp::kMin:
    case ExprOp::kMax:
    case ExprOp::kAbs:
      return true;
    case ExprOp::kConst:
    case ExprOp::kLocal:
    case ExprOp::kSelf:
    case ExprOp::kGlobal:
    case ExprOp::kParam:
    case ExprOp::kEq:
    case ExprOp::kNe:
    case ExprOp::kColumn:
    case ExprOp::kCell:
    case ExprOp::kTableCount:
    case ExprOp::kTableSum:
    case ExprOp::kRedisValue:
    case ExprOp::kRedisLease:
    case ExprOp::kRedisLength:
    case ExprOp::kRedisContains:
    case ExprOp::kRedisHashGet:
    case ExprOp::kIsNull:
    case ExprOp::kCoalesce:
    // A conditional's condition is checked where it is evaluated (only the branch taken runs).
    case ExprOp::kIte:
    case ExprOp::kBranches:
      break;
  }
  return false;
}

std::string NullOperandText(ExprOp op) {
  return fmt::format("null in '{}': it needs a value (test for null first: x is null, x == null)", OperatorText(op));
}

std::string NullIndexText(const std::string& container) {
  return fmt::format("null as an index of {}: it needs a value (test for null first: x is null, x == null)", container);
}

std::string NullConditionText(const char* what) {
  return fmt::format("null as the condition of {}: it needs true or false", what);
}

}  // namespace racecheck::ir
