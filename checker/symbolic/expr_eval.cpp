// ExprEncoder::Eval: one expression as terms, operator by operator, with the reads of table
// cells, aggregates over committed rows and Redis keys that properties make.
#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/ir/null.h"
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

ExprEncoder::ExprEncoder(const ir::Program& program, Terms& terms)
    : program_(program), terms_(terms), ranges_(program.exprs.size()) {}

SymValue ExprEncoder::Eval(int32_t expr, ExprEnv& env) {
  const ir::Expr& e = program_.exprs[expr];
  z3::expr no_fault = terms_.False();
  switch (e.op) {
    case ir::ExprOp::kConst:
      return {terms_.Num(e.value, BitsFor(e.value, e.value)), no_fault, std::nullopt};
    case ir::ExprOp::kLocal:
      RACECHECK_CHECK(env.self >= 0, "a local read outside a process");
      return {env.Local(e.index), no_fault, std::nullopt};
    case ir::ExprOp::kSelf:
      RACECHECK_CHECK(env.self >= 0, "`self` read outside a process");
      return {terms_.Num(env.self, BitsFor(env.self, env.self)), no_fault, std::nullopt};
    case ir::ExprOp::kGlobal: {
      Element element = VarElement(e.var, e.a, env);
      return {Read(element, env), element.fault, std::nullopt};
    }
    case ir::ExprOp::kParam:
      return {env.Global(program_.params[e.index].slot), no_fault, std::nullopt};
    case ir::ExprOp::kColumn:
      return {env.Column(e.index), no_fault, std::nullopt};
    case ir::ExprOp::kCell: {
      // The committed row with that key, as Evaluator looks for it: the first row slot in order.
      const ir::Table& table = program_.tables[e.index];
      SymValue key = Eval(e.a, env);
      z3::expr value = terms_.Slot(ir::kNull);
      for (int32_t r = table.capacity; r-- > 0;) {
        z3::expr exists_slot = env.Global(table.ExistsSlot(r));
        z3::expr exists = terms_.Not(terms_.Eq(exists_slot, terms_.Slot(0)));
        z3::expr match = terms_.And(exists, Equal(env.Global(table.ValueSlot(r, table.key_column)), key.value));
        value = terms_.Ite(match, env.Global(table.ValueSlot(r, e.var)), value);
      }
      return {value, key.fault, std::nullopt};
    }
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
      return TableAggregate(e, env);
    case ir::ExprOp::kIsNull: {
      SymValue a = Eval(e.a, env);
      z3::expr truth = IsNull(a.value);
      return {FromBool(truth), a.fault, truth};
    }
    case ir::ExprOp::kCoalesce: {
      // The right operand is evaluated only when the left one is NULL.
      SymValue a = Eval(e.a, env);
      z3::expr null = IsNull(a.value);
      if (null.is_false()) return a;
      SymValue b = Eval(e.b, env);
      unsigned bits = std::max(Width(a.value), Width(b.value));
      z3::expr wide_b = Resize(b.value, bits);
      return {terms_.Ite(null, wide_b, Resize(a.value, bits)),
              terms_.Or(a.fault, terms_.And(null, b.fault)), std::nullopt};
    }
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kAbs: {
      SymValue a = Eval(e.a, env);
      z3::expr operands_fault = a.fault;
      z3::expr null = IsNull(a.value);
      return WithNulls(e, null, operands_fault, Unary(e, std::move(a)));
    }
    case ir::ExprOp::kBranches:
      RACECHECK_CHECK(false, "the branches of a conditional encoded by themselves");
      return {terms_.Num(0, 1), terms_.False(), std::nullopt};
    case ir::ExprOp::kIte: {
      // Only the branch taken is evaluated: its failure alone counts.
      SymValue c = Eval(e.a, env);
      const ir::Expr& branches = program_.exprs[e.b];
      // A NULL condition: SQL takes the else branch (Truth is false), process code fails.
      if (!e.sql) c.fault = terms_.Or(c.fault, IsNull(c.value));
      z3::expr tc = Truth(c);
      if (c.fault.is_false() && tc.is_true()) return Eval(branches.a, env);
      if (c.fault.is_false() && tc.is_false()) return Eval(branches.b, env);
      SymValue a = Eval(branches.a, env);
      SymValue b = Eval(branches.b, env);
      unsigned bits = std::max(Width(a.value), Width(b.value));
      std::optional<z3::expr> truth;
      if (a.truth && b.truth) truth = terms_.Ite(tc, *a.truth, *b.truth);
      z3::expr wide_a = Resize(a.value, bits);
      return {terms_.Ite(tc, wide_a, Resize(b.value, bits)),
              terms_.Or(c.fault, terms_.Ite(tc, a.fault, b.fault)), truth};
    }
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
      return Logic(e, env);
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
    case ir::ExprOp::kMax: {
      SymValue a = Eval(e.a, env);
      SymValue b = Eval(e.b, env);
      return Binary(e, expr, std::move(a), std::move(b));
    }
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet: {
      // A list's, hash's or set's count slot, then its elements, (field, value) pairs or members,
      // as in explore::Evaluator.
      const ir::RedisKey& key = program_.redis[e.index].keys[e.var];
      int32_t stride = key.IsHash() ? 2 : 1;
      Element element = RedisKeySlots(e, env);
      std::optional<SymValue> wanted;
      if (e.op != ir::ExprOp::kRedisLength) wanted = Eval(e.b, env);
      z3::expr fault = wanted ? terms_.Or(element.fault, wanted->fault) : element.fault;
      z3::expr value = terms_.Slot(0);
      for (size_t k = element.slots.size(); k-- > 0;) {
        auto [slot, when] = element.slots[k];
        z3::expr length = env.Global(slot);
        z3::expr here = length;
        if (wanted) {
          z3::expr found = terms_.False();
          // A hash's fields are distinct: at most one place matches.
          z3::expr got = terms_.Slot(ir::kNull);
          z3::expr longer = terms_.True();
          for (int32_t i = 0; i < key.capacity; ++i) {
            longer = terms_.And(longer, terms_.Not(terms_.Eq(length, terms_.Slot(i))));
            z3::expr at = terms_.And(longer, Equal(env.Global(slot + 1 + i * stride), wanted->value));
            found = terms_.Or(found, at);
            if (stride == 2) got = terms_.Ite(at, env.Global(slot + 2 + i * stride), got);
          }
          if (e.op == ir::ExprOp::kRedisHashGet) {
            here = got;
          } else {
            here = FromBool(found);
          }
        }
        value = k + 1 == element.slots.size() ? here : terms_.Ite(when, here, value);
      }
      return {value, fault, std::nullopt};
    }
    case ir::ExprOp::kRedisValue: {
      // An absent key reads as NULL, as in explore::Evaluator.
      Element element = RedisKeySlots(e, env);
      z3::expr value = terms_.Slot(0);
      for (size_t k = element.slots.size(); k-- > 0;) {
        auto [slot, when] = element.slots[k];
        z3::expr present_slot = env.Global(slot + 1);
        z3::expr present = terms_.Not(terms_.Eq(present_slot, terms_.Slot(0)));
        z3::expr stored = env.Global(slot);
        z3::expr here = terms_.Ite(present, stored, terms_.Slot(ir::kNull));
        value = k + 1 == element.slots.size() ? here : terms_.Ite(when, here, value);
      }
      return {value, element.fault, std::nullopt};
    }
    case ir::ExprOp::kRedisLease: {
      Element element = RedisKeySlots(e, env);
      z3::expr value = terms_.False();
      for (size_t k = element.slots.size(); k-- > 0;) {
        auto [slot, when] = element.slots[k];
        z3::expr lease = env.Global(slot + 2);
        z3::expr here = terms_.Not(terms_.Eq(lease, terms_.Slot(0)));
        value = k + 1 == element.slots.size() ? here : terms_.Ite(when, here, value);
      }
      return {FromBool(value), element.fault, value};
    }
  }
  RACECHECK_CHECK(false, "unhandled expression operator");
}

namespace {

// A committed row of a table, for the where clause of a property's aggregate: its columns are
// the row's slots; everything else is read as the property reads it.
class RowEnv final : public ExprEnv {
 public:
  RowEnv(ExprEnv& outer, const ir::Table& table, int32_t row) : outer_(outer), table_(table), row_(row) {
    self = outer.self;
    replica = outer.replica;
  }
  z3::expr Local(int32_t index) override { return outer_.Local(index); }
  z3::expr Global(int32_t slot) override { return outer_.Global(slot); }
  z3::expr Column(int32_t column) override { return outer_.Global(table_.ValueSlot(row_, column)); }

 private:
  ExprEnv& outer_;
  const ir::Table& table_;
  int32_t row_;
};

}  // namespace

SymValue ExprEncoder::TableAggregate(const ir::Expr& e, ExprEnv& env) {
  // As explore::Evaluator::TableAggregate: every committed row, in slot order.
  const ir::Table& table = program_.tables[e.index];
  z3::expr zero = terms_.Num(0, 64);
  z3::expr total = zero;
  z3::expr any = terms_.False();
  z3::expr fault = terms_.False();
  for (int32_t r = 0; r < table.capacity; ++r) {
    z3::expr exists_slot = env.Global(table.ExistsSlot(r));
    z3::expr counted = terms_.Not(terms_.Eq(exists_slot, terms_.Slot(0)));
    if (counted.is_false()) continue;
    if (e.a >= 0) {
      RowEnv row(env, table, r);
      SymValue where = Eval(e.a, row);
      fault = terms_.Or(fault, terms_.And(counted, where.fault));
      counted = terms_.And(counted, Truth(where));
    }
    if (e.op == ir::ExprOp::kTableCount) {
      total = counted.is_false() ? total : total + terms_.Ite(counted, terms_.Num(1, 64), zero);
      continue;
    }
    z3::expr cell = env.Global(table.ValueSlot(r, e.var));
    z3::expr added = terms_.And(counted, terms_.Not(IsNull(cell)));
    if (added.is_false()) continue;
    any = terms_.Or(any, added);
    total = total + terms_.Ite(added, Wide(cell), zero);
  }
  if (e.op == ir::ExprOp::kTableCount) return {Low32(total), fault, std::nullopt};
  fault = terms_.Or(fault, terms_.And(any, terms_.Not(FitsInt(total))));
  z3::expr value = Low32(total);
  return {terms_.Ite(any, value, terms_.Slot(ir::kNull)), fault, std::nullopt};
}

}  // namespace racecheck::symbolic
