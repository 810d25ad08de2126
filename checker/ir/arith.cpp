#include "checker/ir/arith.h"

#include "fmt/format.h"

namespace racecheck::ir {
namespace {

// A negative operand in parentheses where it follows an operator: "5 - (-3)", "-(-3)".
std::string Operand(int64_t v) { return v < 0 ? fmt::format("({})", v) : fmt::format("{}", v); }

const char* Symbol(ExprOp op) {
  switch (op) {
    case ExprOp::kAdd: return "+";
    case ExprOp::kSub: return "-";
    case ExprOp::kMul: return "*";
    case ExprOp::kDiv: return "/";
    case ExprOp::kMod: return "%";
    case ExprOp::kConst:
    case ExprOp::kLocal:
    case ExprOp::kSelf:
    case ExprOp::kGlobal:
    case ExprOp::kParam:
    case ExprOp::kNeg:
    case ExprOp::kNot:
    case ExprOp::kLt:
    case ExprOp::kLe:
    case ExprOp::kGt:
    case ExprOp::kGe:
    case ExprOp::kEq:
    case ExprOp::kNe:
    case ExprOp::kAnd:
    case ExprOp::kOr:
    case ExprOp::kMin:
    case ExprOp::kMax:
    case ExprOp::kAbs:
    case ExprOp::kIte:
    case ExprOp::kBranches:
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

std::string ArithFaultText(ExprOp op, int64_t a, int64_t b, int64_t result, ArithFault fault) {
  switch (fault) {
    case ArithFault::kNone: return "";
    case ArithFault::kDivisionByZero: return "division by zero";
    case ArithFault::kModuloByZero: return "modulo by zero";
    case ArithFault::kOverflow: break;
  }
  std::string operation = op == ExprOp::kNeg   ? "-" + Operand(a)
                          : op == ExprOp::kAbs ? fmt::format("abs({})", a)
                                               : fmt::format("{} {} {}", a, Symbol(op), Operand(b));
  if (result == kMinValue) {
    return fmt::format("arithmetic overflow: {} = {} is below the smallest integer, {}", operation, result, kMinInt);
  }
  return fmt::format("arithmetic overflow: {} = {} does not fit in 32 bits", operation, result);
}

}  // namespace racecheck::ir
