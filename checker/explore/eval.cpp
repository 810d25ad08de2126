#include "checker/explore/eval.h"

#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/ir/arith.h"
#include "checker/ir/null.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

int64_t Truth(bool b) { return b ? 1 : 0; }

}  // namespace

void Evaluator::Fail(std::string problem) {
  if (failed_) return;
  failed_ = true;
  fault_ = std::move(problem);
}

void Evaluator::ArithFailed(ir::ExprOp op, int64_t a, int64_t b, int64_t result, ir::ArithFault fault) {
  // After a fault operands are meaningless: only the first fault is worded.
  if (!failed_) Fail(ir::ArithFaultText(op, a, b, result, fault));
}

int64_t Evaluator::Checked(ir::ArithFault fault, ir::ExprOp op, int64_t a, int64_t b, const int64_t* result) {
  if (fault == ir::ArithFault::kNone) [[likely]] return *result;
  ArithFailed(op, a, b, *result, fault);
  return 0;
}

int64_t Evaluator::NullOperand(const ir::Expr& e) {
  if (e.sql) return ir::kNull;
  Fail(ir::NullOperandText(e.op));
  return 0;
}

int64_t Evaluator::Condition(int32_t expr, const EvalContext& context, const char* what) {
  int64_t condition = Eval(expr, context);
  if (condition == ir::kNull) Fail(ir::NullConditionText(what));
  return condition;
}

int64_t Evaluator::Eval(int32_t expr, const EvalContext& context) {
  const ir::Expr& e = program_->exprs[expr];
  int64_t result = 0;
  switch (e.op) {
    case ir::ExprOp::kConst:
      return e.value;
    case ir::ExprOp::kLocal:
      RACECHECK_CHECK(context.locals != nullptr, "a local read outside a process");
      return context.locals[e.index];
    case ir::ExprOp::kSelf:
      RACECHECK_CHECK(context.self >= 0, "`self` read outside a process");
      return context.self;
    case ir::ExprOp::kGlobal: {
      int32_t slot = VarSlot(e.var, e.a, context);
      return slot < 0 ? 0 : context.state[slot];
    }
    case ir::ExprOp::kParam:
      return context.state[program_->params[e.index].slot];
    case ir::ExprOp::kColumn:
      RACECHECK_CHECK(context.row != nullptr, "a column read outside SQL");
      return context.row[e.index];
    case ir::ExprOp::kCell: {
      const ir::Table& table = program_->tables[e.index];
      int64_t key = Eval(e.a, context);
      for (int32_t r = 0; r < table.capacity; ++r) {
        if (context.state[table.ExistsSlot(r)] != 0 && context.state[table.ValueSlot(r, table.key_column)] == key) {
          return context.state[table.ValueSlot(r, e.var)];
        }
      }
      return ir::kNull;
    }
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
      return TableAggregate(e, context);
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet: {
      // A list's, hash's or set's count slot, then its elements, (field, value) pairs or members.
      int32_t slot = RedisKeySlot(e, context);
      if (slot < 0) return 0;
      if (e.op == ir::ExprOp::kRedisLength) return context.state[slot];
      int64_t value = Eval(e.b, context);
      if (failed()) return 0;
      int32_t stride = program_->redis[e.index].keys[e.var].IsHash() ? 2 : 1;
      for (int32_t i = 0; i < context.state[slot]; ++i) {
        if (context.state[slot + 1 + i * stride] != value) continue;
        return e.op == ir::ExprOp::kRedisHashGet ? context.state[slot + 2 + i * stride] : 1;
      }
      return e.op == ir::ExprOp::kRedisHashGet ? ir::kNull : 0;
    }
    case ir::ExprOp::kRedisValue: {
      int32_t slot = RedisKeySlot(e, context);
      if (slot < 0) return 0;
      return context.state[slot + 1] != 0 ? context.state[slot] : ir::kNull;
    }
    case ir::ExprOp::kRedisLease: {
      int32_t slot = RedisKeySlot(e, context);
      if (slot < 0) return 0;
      return context.state[slot + 2] != 0 ? 1 : 0;
    }
    case ir::ExprOp::kNeg: {
      int64_t a = Eval(e.a, context);
      if (a == ir::kNull) return NullOperand(e);
      return Checked(ir::Negate(a, &result), e.op, a, 0, &result);
    }
    case ir::ExprOp::kAbs: {
      int64_t a = Eval(e.a, context);
      if (a == ir::kNull) return NullOperand(e);
      return Checked(ir::Abs(a, &result), e.op, a, 0, &result);
    }
    case ir::ExprOp::kNot: {
      int64_t a = Eval(e.a, context);
      if (a == ir::kNull) return NullOperand(e);
      return Truth(a == 0);
    }
    case ir::ExprOp::kBranches:
      RACECHECK_CHECK(false, "the branches of a conditional evaluated by themselves");
      return 0;
    case ir::ExprOp::kIte: {
      const ir::Expr& branches = program_->exprs[e.b];
      int64_t c = Eval(e.a, context);
      // A NULL condition: SQL takes the else branch (it is not true); process code stops.
      if (c == ir::kNull && !e.sql) return NullOperand(e);
      return c != 0 && c != ir::kNull ? Eval(branches.a, context) : Eval(branches.b, context);
    }
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr: {
      // Short-circuit on a known answer (false for and, true for or); in SQL a NULL operand is
      // unknown, so the other operand decides (Kleene).
      bool is_and = e.op == ir::ExprOp::kAnd;
      int64_t a = Eval(e.a, context);
      if (a == ir::kNull && !e.sql) return NullOperand(e);
      if (a != ir::kNull && (a != 0) != is_and) return Truth(!is_and);
      int64_t b = Eval(e.b, context);
      if (b == ir::kNull && !e.sql) return NullOperand(e);
      if (b != ir::kNull && (b != 0) != is_and) return Truth(!is_and);
      return a == ir::kNull || b == ir::kNull ? ir::kNull : Truth(is_and);
    }
    case ir::ExprOp::kIsNull:
      return Truth(Eval(e.a, context) == ir::kNull);
    case ir::ExprOp::kCoalesce: {
      int64_t a = Eval(e.a, context);
      return a != ir::kNull ? a : Eval(e.b, context);
    }
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
    case ir::ExprOp::kMin:
    case ir::ExprOp::kMax:
      break;
  }
  int64_t a = Eval(e.a, context);
  int64_t b = Eval(e.b, context);
  if ((a == ir::kNull || b == ir::kNull) && (e.sql ? ir::SqlPropagates(e.op) : ir::NeedsValues(e.op))) {
    return NullOperand(e);
  }
  switch (e.op) {
    case ir::ExprOp::kAdd: return Checked(ir::Add(a, b, &result), e.op, a, b, &result);
    case ir::ExprOp::kSub: return Checked(ir::Sub(a, b, &result), e.op, a, b, &result);
    case ir::ExprOp::kMul: return Checked(ir::Mul(a, b, &result), e.op, a, b, &result);
    case ir::ExprOp::kDiv: return Checked(ir::Div(a, b, &result), e.op, a, b, &result);
    case ir::ExprOp::kMod: return Checked(ir::Mod(a, b, &result), e.op, a, b, &result);
    case ir::ExprOp::kLt: return Truth(a < b);
    case ir::ExprOp::kLe: return Truth(a <= b);
    case ir::ExprOp::kGt: return Truth(a > b);
    case ir::ExprOp::kGe: return Truth(a >= b);
    case ir::ExprOp::kEq: return Truth(a == b);
    case ir::ExprOp::kNe: return Truth(a != b);
    case ir::ExprOp::kMin: return std::min(a, b);
    case ir::ExprOp::kMax: return std::max(a, b);
    case ir::ExprOp::kConst:
    case ir::ExprOp::kLocal:
    case ir::ExprOp::kSelf:
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kParam:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAbs:
    case ir::ExprOp::kIte:
    case ir::ExprOp::kBranches:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      break;
  }
  RACECHECK_CHECK(false, "unhandled expression operator");
}

int64_t Evaluator::TableAggregate(const ir::Expr& e, const EvalContext& context) {
  const ir::Table& table = program_->tables[e.index];
  EvalContext row_context = context;
  int64_t count = 0;
  int64_t sum = 0;
  bool any = false;
  for (int32_t r = 0; r < table.capacity; ++r) {
    if (context.state[table.ExistsSlot(r)] == 0) continue;
    row_context.row = context.state + table.ValueSlot(r, 0);
    // As a SQL where clause: a row counts when the condition is true, not when it is unknown.
    if (e.a >= 0 && !IsTrue(Eval(e.a, row_context))) continue;
    if (failed_) return 0;
    ++count;
    if (e.op == ir::ExprOp::kTableSum && row_context.row[e.var] != ir::kNull) {
      sum += row_context.row[e.var];
      any = true;
    }
  }
  if (failed_) return 0;
  if (e.op == ir::ExprOp::kTableCount) return count;
  if (!any) return ir::kNull;
  if (!ir::FitsInt(sum)) {
    Fail(fmt::format("arithmetic overflow: the sum of {}.{} is {}, outside racecheck's integers "
                     "(-2147483647..2147483647)", table.name, table.columns[e.var], sum));
    return 0;
  }
  return sum;
}

int32_t Evaluator::VarSlot(int32_t var, int32_t index_expr, const EvalContext& context) {
  const ir::Variable& v = program_->vars[var];
  return ElementSlot(v.name, v.is_array, v.index_lo, v.size, v.copies, v.first_slot, index_expr, context, "");
}

int32_t Evaluator::LockSlot(int32_t lock, int32_t index_expr, const EvalContext& context) {
  const ir::Lock& l = program_->locks[lock];
  return ElementSlot(l.name, l.is_array, l.index_lo, l.size, l.copies, l.first_slot, index_expr, context, "lock ");
}

int32_t Evaluator::Offset(int32_t index_expr, int32_t lo, int32_t size, const char* what, const std::string& name,
                          const EvalContext& context) {
  int64_t index = Eval(index_expr, context);
  if (failed_) return -1;
  if (index == ir::kNull) {
    Fail(ir::NullIndexText(fmt::format("{} {}", what, name)));
    return -1;
  }
  if (index < lo || index > int64_t{lo} + size - 1) {
    Fail(fmt::format("index {} is outside {} {}[{}..{}]", index, what, name, lo, lo + size - 1));
    return -1;
  }
  return static_cast<int32_t>(index - lo);
}

int32_t Evaluator::RedisElement(int32_t redis, int32_t index_expr, const EvalContext& context) {
  const ir::RedisDecl& decl = program_->redis[redis];
  if (index_expr < 0) return 0;
  return Offset(index_expr, decl.index_lo, decl.size, "Redis instances", decl.name, context);
}

int32_t Evaluator::RedisMember(int32_t redis, int32_t key, int32_t index_expr, const EvalContext& context) {
  if (index_expr < 0) return key;
  const ir::RedisKey& first = program_->redis[redis].keys[key];
  int32_t offset = Offset(index_expr, first.family_lo, first.family_size, "Redis key family", first.family, context);
  return offset < 0 ? -1 : key + offset;
}

int32_t Evaluator::RedisKeySlot(const ir::Expr& e, const EvalContext& context) {
  int32_t element = RedisElement(e.index, e.a, context);
  if (element < 0) return -1;
  int32_t key = RedisMember(e.index, e.var, e.key_index, context);
  if (key < 0) return -1;
  return program_->redis[e.index].KeySlot(element, key);
}

int32_t Evaluator::ElementSlot(const std::string& name, bool is_array, int32_t index_lo, int32_t size,
                               int32_t copies, int32_t first_slot, int32_t index_expr,
                               const EvalContext& context, const char* what) {
  int32_t copy = copies > 1 ? context.replica : 0;
  int32_t base = first_slot + copy * size;
  if (index_expr < 0) return base;
  int64_t index = Eval(index_expr, context);
  if (failed_) return -1;
  if (index == ir::kNull && is_array) {
    Fail(ir::NullIndexText(fmt::format("{}{}", what, name)));
    return -1;
  }
  if (index < index_lo || index > int64_t{index_lo} + size - 1) {
    Fail(is_array ? fmt::format("index {} is outside {}{}[{}..{}]", index, what, name, index_lo, index_lo + size - 1)
                  : fmt::format("{}{} is not an array", what, name));
    return -1;
  }
  return base + static_cast<int32_t>(index - index_lo);
}

}  // namespace racecheck::explore
