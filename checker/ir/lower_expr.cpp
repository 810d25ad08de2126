// Lowering of expressions, properties and the expectation.
#include "checker/ir/lowerer.h"

#include <algorithm>

namespace racecheck::ir::lowering {

using ast::ExprKind;
using ast::RefKind;
using ast::StmtKind;

ExprOp Lowerer::BinaryOpOf(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::kMul: return ExprOp::kMul;
    case ast::BinaryOp::kDiv: return ExprOp::kDiv;
    case ast::BinaryOp::kMod: return ExprOp::kMod;
    case ast::BinaryOp::kAdd: return ExprOp::kAdd;
    case ast::BinaryOp::kSub: return ExprOp::kSub;
    case ast::BinaryOp::kLt: return ExprOp::kLt;
    case ast::BinaryOp::kLe: return ExprOp::kLe;
    case ast::BinaryOp::kGt: return ExprOp::kGt;
    case ast::BinaryOp::kGe: return ExprOp::kGe;
    case ast::BinaryOp::kEq: case ast::BinaryOp::kSqlEq: return ExprOp::kEq;
    case ast::BinaryOp::kNe: return ExprOp::kNe;
    case ast::BinaryOp::kAnd: return ExprOp::kAnd;
    case ast::BinaryOp::kOr: return ExprOp::kOr;
  }
  return ExprOp::kAdd;
}

// In process code every shared read is emitted as its own kRead into a temporary, left
// to right, before the expression that uses it: each one is a step.
int32_t Lowerer::LowerExpr(const ast::Expr& e, ExprContext context) {
  switch (e.kind) {
    case ExprKind::kInt: return Const(static_cast<Value>(e.int_value));
    case ExprKind::kBool: return Const(e.bool_value ? 1 : 0);
    case ExprKind::kNull: return Const(kNull);
    case ExprKind::kIsNull: {
      int32_t is_null = AddExpr(MakeExpr(ExprOp::kIsNull, 0, -1, -1, LowerExpr(*e.operands[0], context)));
      return e.bool_value ? AddExpr(MakeExpr(ExprOp::kNot, 0, -1, -1, is_null)) : is_null;
    }
    case ExprKind::kString: return Const(static_cast<Value>(e.ref.value));  // 'queued': its enum value
    case ExprKind::kSelf: return AddExpr(MakeExpr(ExprOp::kSelf));
    case ExprKind::kName:
    case ExprKind::kIndex:
      return LowerName(e, context);
    case ExprKind::kMember:
      return LowerMember(e);
    case ExprKind::kAggregate:
      return LowerAggregate(e);
    case ExprKind::kExcluded:
      RACECHECK_CHECK(e.ref.index >= 0 && e.ref.index < static_cast<int>(excluded_.size()),
                      "excluded outside a do update");
      return excluded_[e.ref.index];
    case ExprKind::kCall: {
      // A fn's value: its copy ran before the statement and left it in this local.
      if (e.ref.kind == RefKind::kFunction) return LocalRef(e.call_result);
      if (e.name == "coalesce") {
        // coalesce(a, b, c) is coalesce(a, coalesce(b, c)): arguments evaluated left to right, each
        // only when all before it were NULL.
        if (Emits(context) &&
            std::any_of(e.operands.begin() + 1, e.operands.end(), [](const ast::ExprPtr& o) { return RunsStep(*o); })) {
          std::vector<const ast::Expr*> operands;
          for (const ast::ExprPtr& operand : e.operands) operands.push_back(operand.get());
          return LowerShortCircuit(operands, ShortCircuit::kCoalesce, ast::ExprText(e), context);
        }
        std::vector<int32_t> args;
        for (const ast::ExprPtr& operand : e.operands) args.push_back(LowerExpr(*operand, context));
        int32_t result = args.back();
        for (size_t i = args.size() - 1; i-- > 0;) result = Binary(ExprOp::kCoalesce, args[i], result);
        return result;
      }
      if (e.name == "has_ttl") {
        // The key as a property reads it (shown with a violation's values), but its lease.
        Expr lease = program_.exprs[LowerExpr(*e.operands[0], context)];
        lease.op = ExprOp::kRedisLease;
        return AddExpr(lease);
      }
      if (e.name == "len" || e.name == "contains" || e.name == "hget") return LowerListFunction(e);
      int32_t a = LowerExpr(*e.operands[0], context);
      if (e.name == "abs") return AddExpr(MakeExpr(ExprOp::kAbs, 0, -1, -1, a));
      int32_t b = LowerExpr(*e.operands[1], context);
      return Binary(e.name == "min" ? ExprOp::kMin : ExprOp::kMax, a, b);
    }
    case ExprKind::kUnary:
      return AddExpr(MakeExpr(e.unary_op == ast::UnaryOp::kNeg ? ExprOp::kNeg : ExprOp::kNot, 0, -1, -1,
                      LowerExpr(*e.operands[0], context)));
    case ExprKind::kBinary: {
      bool logical = e.binary_op == ast::BinaryOp::kAnd || e.binary_op == ast::BinaryOp::kOr;
      if (logical && Emits(context) && RunsStep(*e.operands[1])) {
        ShortCircuit kind = e.binary_op == ast::BinaryOp::kAnd ? ShortCircuit::kAnd : ShortCircuit::kOr;
        return LowerShortCircuit({e.operands[0].get(), e.operands[1].get()}, kind, ast::ExprText(e), context);
      }
      int32_t a = LowerExpr(*e.operands[0], context);
      int32_t b = LowerExpr(*e.operands[1], context);
      return Binary(BinaryOpOf(e.binary_op), a, b);
    }
    case ExprKind::kCond: {
      if (Emits(context) && (RunsStep(*e.operands[1]) || RunsStep(*e.operands[2]))) return LowerCond(e, context);
      int32_t c = LowerExpr(*e.operands[0], context);
      int32_t a = LowerExpr(*e.operands[1], context);
      int32_t b = LowerExpr(*e.operands[2], context);
      return Binary(ExprOp::kIte, c, Binary(ExprOp::kBranches, a, b));
    }
    case ExprKind::kRedis: {
      // A command inside an expression: its own step, into a temporary, before the expression.
      int32_t temp = NewTemp(RedisCallName(*e.redis), TypeOf(e.type));
      temps_.push_back(temp);
      LowerRedis(*e.redis, temp);
      return LocalRef(temp);
    }
  }
  return Const(0);
}

bool Lowerer::RunsStep(const ast::Expr& e) {
  if (e.kind == ExprKind::kRedis) return true;
  // A shared read is a step of its own, and may fault (an index out of range): it too runs only
  // when needed (round 20: `i < 3 and arr[i] > 0` read arr[3]).
  if ((e.kind == ExprKind::kName || e.kind == ExprKind::kIndex) && e.ref.kind == RefKind::kVar) return true;
  return std::any_of(e.operands.begin(), e.operands.end(), [](const ast::ExprPtr& o) { return RunsStep(*o); });
}

// The operands of one `and` or `or`, or coalesce's arguments.
int32_t Lowerer::LowerShortCircuit(const std::vector<const ast::Expr*>& operands, ShortCircuit kind,
                                   const std::string& text, ExprContext context) {
  bool logical = kind != ShortCircuit::kCoalesce;
  int32_t value = NewTemp(text, logical ? ValueType::Bool() : TypeOf(operands[0]->type));
  temps_.push_back(value);
  std::vector<size_t> known;
  for (size_t i = 0; i < operands.size(); ++i) {
    if (i > 0) {
      // The branch goes on to the next operand where its condition holds, and skips the rest
      // where it does not: `and` while the value is true, `or` while false, coalesce while NULL.
      // `value and true`, `value or false`: a NULL operand is the runtime error it always was.
      int32_t go_on = kind == ShortCircuit::kAnd ? Binary(ExprOp::kAnd, LocalRef(value), Const(1))
                      : kind == ShortCircuit::kOr
                          ? AddExpr(MakeExpr(ExprOp::kNot, 0, -1, -1, Binary(ExprOp::kOr, LocalRef(value), Const(0))))
                          : AddExpr(MakeExpr(ExprOp::kIsNull, 0, -1, -1, LocalRef(value)));
      known.push_back(Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, go_on)));
    }
    int32_t operand = LowerExpr(*operands[i], context);
    if (kind == ShortCircuit::kAnd) operand = Binary(ExprOp::kAnd, Const(1), operand);
    if (kind == ShortCircuit::kOr) operand = Binary(ExprOp::kOr, Const(0), operand);
    Emit(MakeInstr(Op::kLet, value, -1, -1, operand));
  }
  for (size_t branch : known) PatchTo(branch, Here());
  return LocalRef(value);
}

// `if c then a else b` whose branches read shared state: only the branch taken reads (round 20:
// `if i < 3 then arr[i] else 0` read arr[3]).
int32_t Lowerer::LowerCond(const ast::Expr& e, ExprContext context) {
  int32_t value = NewTemp(ast::ExprText(e), TypeOf(e.type));
  temps_.push_back(value);
  size_t to_else = Emit(MakeInstr(Op::kBranchFalse, -1, -1, -1, LowerExpr(*e.operands[0], context)));
  Emit(MakeInstr(Op::kLet, value, -1, -1, LowerExpr(*e.operands[1], context)));
  size_t to_end = Emit(MakeInstr(Op::kJump));
  PatchTo(to_else, Here());
  Emit(MakeInstr(Op::kLet, value, -1, -1, LowerExpr(*e.operands[2], context)));
  PatchTo(to_end, Here());
  return LocalRef(value);
}

int32_t Lowerer::LowerName(const ast::Expr& e, ExprContext context) {
  switch (e.ref.kind) {
    case RefKind::kLocal: return LocalRef(e.ref.index);
    case RefKind::kParam: return AddExpr(MakeExpr(ExprOp::kParam, 0, e.ref.index));
    case RefKind::kVar: {
      const ast::VarDecl& decl = model_.vars[e.ref.index];
      int32_t var = var_index_.at(e.ref.index);
      if (context == ExprContext::kProperty || (decl.ghost && context == ExprContext::kGhostUpdate)) {
        if (context == ExprContext::kProperty) mentioned_.insert(var);
        int32_t index = e.kind == ExprKind::kIndex ? LowerExpr(*e.operands[0], context) : -1;
        return AddExpr(MakeExpr(ExprOp::kGlobal, 0, -1, var, index));
      }
      int32_t temp = NewTemp(decl.name, TypeOf(decl.type));
      temps_.push_back(temp);
      EmitRead(e, temp);
      return LocalRef(temp);
    }
    case RefKind::kColumn:
      // Inside SQL: the column of the row the statement is looking at.
      return AddExpr(MakeExpr(ExprOp::kColumn, 0, e.ref.index));
    case RefKind::kEnumValue: return Const(static_cast<Value>(e.ref.value));
    case RefKind::kNone:
    case RefKind::kConst:  // folded away by FoldConstants
    case RefKind::kLock:
    case RefKind::kRedisKey:
    case RefKind::kFunction:  // a call, lowered in LowerExpr
      break;
  }
  RACECHECK_CHECK(false, fmt::format("'{}' reached lowering unresolved", e.name));
}

// `count(jobs where status == running)` in a property: its where clause follows SQL's NULL rule,
// reads the row's columns and, as properties do, the state directly.
int32_t Lowerer::LowerAggregate(const ast::Expr& e) {
  int32_t where = -1;
  if (!e.operands.empty()) {
    bool saved = lowering_sql_;
    lowering_sql_ = true;
    where = LowerExpr(*e.operands[0], ExprContext::kProperty);
    lowering_sql_ = saved;
  }
  int32_t expr = e.aggregate == ast::AggregateOp::kSum
                     ? AddExpr(MakeExpr(ExprOp::kTableSum, 0, e.ref.index, e.member_index, where))
                     : AddExpr(MakeExpr(ExprOp::kTableCount, 0, e.ref.index, -1, where));
  ValueType type = ValueType::Int();
  if (e.aggregate == ast::AggregateOp::kExists) {
    // exists(...) is count(...) > 0.
    expr = Binary(ExprOp::kGt, expr, Const(0));
    type = ValueType::Bool();
  }
  std::string name = ast::ExprText(e);
  bool known = std::any_of(shown_.begin(), shown_.end(), [&](const ShownValue& v) { return v.name == name; });
  if (!known) shown_.push_back({name, expr, type});
  return expr;
}

void Lowerer::LowerProperty(const ast::PropertyDecl& decl) {
  Property property;
  property.kind = decl.kind == ast::PropertyKind::kInvariant ? PropertyKind::kInvariant
                  : decl.kind == ast::PropertyKind::kFinal  ? PropertyKind::kFinal
                                                            : PropertyKind::kCover;
  property.name = decl.name;
  mentioned_.clear();
  shown_.clear();
  property.expr = LowerExpr(*decl.expr, ExprContext::kProperty);
  property.vars.assign(mentioned_.begin(), mentioned_.end());
  property.shown = std::move(shown_);
  property.text = ast::ExprText(*decl.expr);
  property.range = decl.range;
  program_.properties.push_back(std::move(property));
}

void Lowerer::LowerExpectation() {
  switch (model_.expect.kind) {
    case ast::ExpectKind::kNone: break;
    case ast::ExpectKind::kSafe: program_.expect.kind = ExpectKind::kSafe; break;
    case ast::ExpectKind::kDeadlock: program_.expect.kind = ExpectKind::kDeadlock; break;
    case ast::ExpectKind::kFailure: program_.expect.kind = ExpectKind::kFailure; break;
    case ast::ExpectKind::kError: program_.expect.kind = ExpectKind::kError; break;
    case ast::ExpectKind::kViolation:
      program_.expect.kind = ExpectKind::kViolation;
      program_.expect.properties = model_.expect.names;
      break;
  }
}

}  // namespace racecheck::ir::lowering
