#include "checker/symbolic/terms.h"

#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/ir/arith.h"
#include "checker/ir/null.h"
#include "checker/symbolic/unroll.h"

namespace racecheck::symbolic {
namespace {

constexpr __int128 kInt64Min = INT64_MIN;
constexpr __int128 kInt64Max = INT64_MAX;
// The smallest integer a computation may give: one above ir::kNull.
constexpr __int128 kInt32Min = ir::kMinInt;
constexpr __int128 kInt32Max = ir::kMaxValue;

__int128 Abs128(__int128 v) { return v < 0 ? -v : v; }

// Bits of the narrowest two's complement vector holding every value of lo..hi.
unsigned BitsFor(__int128 lo, __int128 hi) {
  unsigned bits = 1;
  while (bits < 64 && (lo < -(__int128{1} << (bits - 1)) || hi > (__int128{1} << (bits - 1)) - 1)) ++bits;
  return bits;
}

}  // namespace

z3::expr Terms::Slot(int64_t v) {
  if (bit_vector()) return ctx_.bv_val(static_cast<int>(static_cast<int32_t>(v)), 32);
  return ctx_.int_val(static_cast<int64_t>(static_cast<int32_t>(v)));
}

z3::expr Terms::Num(int64_t v, unsigned bits) { return bit_vector() ? ctx_.bv_val(v, bits) : ctx_.int_val(v); }

z3::expr Terms::SlotVar(const char* name) {
  ++variables_;
  return bit_vector() ? ctx_.bv_const(name, 32) : ctx_.int_const(name);
}

z3::expr Terms::Bool(const char* name) {
  ++variables_;
  return ctx_.bool_const(name);
}

z3::expr Terms::Var(const char* name, unsigned bits) {
  ++variables_;
  return ctx_.bv_const(name, bits);
}

z3::expr Terms::And(const z3::expr& a, const z3::expr& b) {
  if (a.is_false() || b.is_true()) return a;
  if (b.is_false() || a.is_true()) return b;
  if (z3::eq(a, b)) return a;
  return a && b;
}

z3::expr Terms::Or(const z3::expr& a, const z3::expr& b) {
  if (a.is_true() || b.is_false()) return a;
  if (b.is_true() || a.is_false()) return b;
  if (z3::eq(a, b)) return a;
  return a || b;
}

z3::expr Terms::Not(const z3::expr& a) {
  if (a.is_true()) return False();
  if (a.is_false()) return True();
  if (a.is_app() && a.decl().decl_kind() == Z3_OP_NOT) return a.arg(0);
  return !a;
}

z3::expr Terms::Ite(const z3::expr& c, const z3::expr& a, const z3::expr& b) {
  if (c.is_true() || z3::eq(a, b)) return a;
  if (c.is_false()) return b;
  if (a.is_bool()) {
    if (a.is_true() && b.is_false()) return c;
    if (a.is_false() && b.is_true()) return Not(c);
  }
  return z3::ite(c, a, b);
}

z3::expr Terms::Eq(const z3::expr& a, const z3::expr& b) {
  if (z3::eq(a, b)) return True();
  int64_t x = 0, y = 0;
  if (Numeral(a, &x) && Numeral(b, &y)) return ctx_.bool_val(x == y);
  return a == b;
}

bool Terms::Numeral(const z3::expr& e, int64_t* out) {
  if (!e.is_numeral()) return false;
  if (e.is_int()) return e.is_numeral_i64(*out);
  if (!e.is_bv()) return false;
  uint64_t u = 0;
  if (!e.is_numeral_u64(u)) return false;
  unsigned bits = e.get_sort().bv_size();
  if (bits < 64 && (u >> (bits - 1)) & 1) u |= ~uint64_t{0} << bits;
  *out = static_cast<int64_t>(u);
  return true;
}

Arithmetic ArithmeticFor(const ir::Program& program) {
  auto known = [&](int32_t expr) { return program.exprs[expr].op == ir::ExprOp::kConst; };
  for (const ir::Expr& e : program.exprs) {
    bool nonlinear = (e.op == ir::ExprOp::kMul && !known(e.a) && !known(e.b)) ||
                     ((e.op == ir::ExprOp::kDiv || e.op == ir::ExprOp::kMod) && !known(e.b));
    if (nonlinear) return Arithmetic::kBitVector;
  }
  // Values the environment picks from wide ranges are where integers pay: the solver reasons
  // about sums and differences of unknowns as numbers. Small values are faster as bits
  // (measured: docs/z3-encoding.md).
  constexpr int64_t kWide = 256;
  auto wide = [&](int32_t lo, int32_t hi) {
    return known(lo) && known(hi) && int64_t{program.exprs[hi].value} - program.exprs[lo].value >= kWide;
  };
  for (const ir::Param& param : program.params) {
    if (int64_t{param.hi} - param.lo >= kWide) return Arithmetic::kInteger;
  }
  for (const ir::Process& process : program.processes) {
    for (const ir::ProcessParam& param : process.params) {
      if (param.is_range && wide(param.lo_expr, param.hi_expr)) return Arithmetic::kInteger;
    }
    for (const ir::Instr& instr : process.code) {
      if (instr.op == ir::Op::kChoose && wide(instr.expr, instr.expr2)) return Arithmetic::kInteger;
    }
  }
  return Arithmetic::kBitVector;
}

ExprEncoder::ExprEncoder(const ir::Program& program, Terms& terms)
    : program_(program), terms_(terms), ranges_(program.exprs.size()) {}

ExprEncoder::Range ExprEncoder::Exact(ir::ExprOp op, Range a, Range b) {
  switch (op) {
    case ir::ExprOp::kNeg: return {-a.hi, -a.lo};
    case ir::ExprOp::kAbs: return {a.lo > 0 ? a.lo : (a.hi < 0 ? -a.hi : 0), std::max(Abs128(a.lo), Abs128(a.hi))};
    case ir::ExprOp::kAdd: return {a.lo + b.lo, a.hi + b.hi};
    case ir::ExprOp::kSub: return {a.lo - b.hi, a.hi - b.lo};
    case ir::ExprOp::kMul: {
      __int128 c[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
      return {*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
    }
    case ir::ExprOp::kDiv: {
      __int128 m = std::max(Abs128(a.lo), Abs128(a.hi));
      return {-m, m};
    }
    case ir::ExprOp::kMod: {
      // No larger than the dividend, and smaller than the divisor.
      __int128 m = std::min(std::max(Abs128(a.lo), Abs128(a.hi)), std::max(Abs128(b.lo), Abs128(b.hi)) - 1);
      m = std::max(m, __int128{0});
      return {-m, m};
    }
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
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kLt:
    case ir::ExprOp::kLe:
    case ir::ExprOp::kGt:
    case ir::ExprOp::kGe:
    case ir::ExprOp::kEq:
    case ir::ExprOp::kNe:
    case ir::ExprOp::kMin:
    case ir::ExprOp::kMax:
    case ir::ExprOp::kIte:
    case ir::ExprOp::kBranches:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      break;
  }
  RACECHECK_CHECK(false, "the exact range of an operator that is not arithmetic");
}

SymValue ExprEncoder::Checked32(SymValue v, Range exact) {
  if (exact.lo >= kInt32Min && exact.hi <= kInt32Max) return v;
  v.fault = terms_.Or(v.fault, terms_.Not(FitsInt(v.value)));
  v.value = Low32(v.value);
  return v;
}

ExprEncoder::Range ExprEncoder::RangeOf(int32_t expr) {
  if (ranges_[expr]) return *ranges_[expr];
  const ir::Expr& e = program_.exprs[expr];
  Range r{INT32_MIN, INT32_MAX};
  // A result outside 32 bits fails: the values that go on fit in 32 bits.
  auto clamp = [](Range x) { return Range{std::max(x.lo, kInt32Min), std::min(x.hi, kInt32Max)}; };
  switch (e.op) {
    case ir::ExprOp::kConst: r = {e.value, e.value}; break;
    case ir::ExprOp::kLocal:
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kCoalesce:
      break;
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kIsNull:
      r = {0, 1};
      break;
    case ir::ExprOp::kTableCount: r = {0, program_.tables[e.index].capacity}; break;
    case ir::ExprOp::kTableSum: break;  // checked to be an integer, or NULL
    case ir::ExprOp::kParam: r = {program_.params[e.index].lo, program_.params[e.index].hi}; break;
    case ir::ExprOp::kSelf: r = {0, static_cast<__int128>(program_.instances.size())}; break;
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kAbs:
      r = clamp(Exact(e.op, RangeOf(e.a), RangeOf(e.a)));
      break;
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kLt:
    case ir::ExprOp::kLe:
    case ir::ExprOp::kGt:
    case ir::ExprOp::kGe:
    case ir::ExprOp::kEq:
    case ir::ExprOp::kNe:
      r = {0, 1};
      break;
    case ir::ExprOp::kAdd:
    case ir::ExprOp::kSub:
    case ir::ExprOp::kMul:
    case ir::ExprOp::kDiv:
    case ir::ExprOp::kMod:
      r = clamp(Exact(e.op, RangeOf(e.a), RangeOf(e.b)));
      break;
    case ir::ExprOp::kMin: {
      Range a = RangeOf(e.a), b = RangeOf(e.b);
      r = {std::min(a.lo, b.lo), std::min(a.hi, b.hi)};
      break;
    }
    case ir::ExprOp::kMax: {
      Range a = RangeOf(e.a), b = RangeOf(e.b);
      r = {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
      break;
    }
    case ir::ExprOp::kIte: {
      const ir::Expr& branches = program_.exprs[e.b];
      Range a = RangeOf(branches.a), b = RangeOf(branches.b);
      r = {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
      break;
    }
    case ir::ExprOp::kBranches:
      break;
  }
  // In SQL the operators that propagate NULL may give it.
  if (e.sql && ir::SqlPropagates(e.op)) r.lo = std::min(r.lo, __int128{ir::kNull});
  ranges_[expr] = r;
  return r;
}

z3::expr ExprEncoder::Truth(const SymValue& v) {
  if (v.truth) return *v.truth;
  int64_t n = 0;
  if (Terms::Numeral(v.value, &n)) return terms_.ctx().bool_val(n != 0 && n != ir::kNull);
  z3::expr nonzero = v.value != terms_.Num(0, Width(v.value));
  return terms_.And(nonzero, terms_.Not(IsNull(v.value)));
}

z3::expr ExprEncoder::IsNull(const z3::expr& value) {
  int64_t n = 0;
  if (Terms::Numeral(value, &n)) return terms_.ctx().bool_val(n == ir::kNull);
  if (terms_.bit_vector() && Width(value) < 32) return terms_.False();
  return Equal(value, terms_.Num(ir::kNull, 32));
}

SymValue ExprEncoder::WithNulls(const ir::Expr& e, const z3::expr& null, const z3::expr& operands_fault, SymValue v) {
  if (null.is_false()) return v;
  if (!e.sql) {
    v.fault = terms_.Or(v.fault, null);
    return v;
  }
  v.fault = terms_.Or(operands_fault, terms_.And(terms_.Not(null), v.fault));
  unsigned bits = std::max(Width(v.value), 32u);
  z3::expr null_value = terms_.Num(ir::kNull, bits);
  v.value = terms_.Ite(null, null_value, Resize(v.value, bits));
  if (v.truth) v.truth = terms_.And(terms_.Not(null), *v.truth);
  return v;
}

// not, and, or: in process code a NULL operand fails; in SQL it is unknown (Kleene). and/or
// evaluate their right operand only when the left one does not decide (false for and, true for
// or), as explore::Evaluator does.
SymValue ExprEncoder::Logic(const ir::Expr& e, ExprEnv& env) {
  SymValue a = Eval(e.a, env);
  z3::expr null_a = IsNull(a.value);
  z3::expr ta = Truth(a);
  if (e.op == ir::ExprOp::kNot) {
    z3::expr not_null = terms_.Not(null_a);
    z3::expr truth = terms_.And(not_null, terms_.Not(ta));
    return WithNulls(e, null_a, a.fault, {FromBool(truth), a.fault, truth});
  }
  bool is_and = e.op == ir::ExprOp::kAnd;
  z3::expr not_null_a = terms_.Not(null_a);
  z3::expr fa = terms_.And(not_null_a, terms_.Not(ta));
  // The left operand decides: false for and, true for or.
  z3::expr decides = is_and ? fa : ta;
  z3::expr fault_a = e.sql ? a.fault : terms_.Or(a.fault, null_a);
  if (fault_a.is_false() && decides.is_true()) return {FromBool(ta), fault_a, ta};
  SymValue b = Eval(e.b, env);
  z3::expr null_b = IsNull(b.value);
  z3::expr tb = Truth(b);
  z3::expr fault_b = e.sql ? b.fault : terms_.Or(b.fault, null_b);
  z3::expr undecided = terms_.Not(decides);
  z3::expr evaluated = terms_.And(undecided, e.sql ? terms_.True() : terms_.Not(null_a));
  z3::expr fault = terms_.Or(fault_a, terms_.And(evaluated, fault_b));
  z3::expr truth = is_and ? terms_.And(ta, tb) : terms_.Or(ta, tb);
  if (!e.sql) return {FromBool(truth), fault, truth};
  z3::expr not_null_b = terms_.Not(null_b);
  z3::expr fb = terms_.And(not_null_b, terms_.Not(tb));
  // Kleene: the answer when one operand decides it, else unknown when one is NULL.
  z3::expr decided = is_and ? terms_.Or(fa, fb) : truth;
  z3::expr not_decided = terms_.Not(decided);
  z3::expr unknown = terms_.And(not_decided, terms_.Or(null_a, null_b));
  z3::expr null = terms_.Num(ir::kNull, 32);
  z3::expr value = terms_.Ite(unknown, null, Resize(FromBool(truth), 32));
  return {value, fault, truth};
}

z3::expr ExprEncoder::FromBool(const z3::expr& condition) {
  if (condition.is_true()) return terms_.Num(1, 2);
  if (condition.is_false()) return terms_.Num(0, 2);
  // Named first: C++ leaves the order of arguments unspecified, and the order in which terms are
  // made steers Z3's search (gcc and clang builds would answer with different models).
  z3::expr one = terms_.Num(1, 2), zero = terms_.Num(0, 2);
  return z3::ite(condition, one, zero);
}

z3::expr ExprEncoder::Resize(const z3::expr& value, unsigned bits) {
  if (!terms_.bit_vector()) return value;
  unsigned width = Width(value);
  int64_t n = 0;
  if (width != bits && Terms::Numeral(value, &n)) return terms_.Num(n, bits);
  if (width < bits) return z3::sext(value, bits - width);
  if (width > bits) return value.extract(bits - 1, 0);
  return value;
}

z3::expr ExprEncoder::Le(const z3::expr& a, const z3::expr& b) {
  unsigned bits = std::max(Width(a), Width(b));
  z3::expr wide_a = Resize(a, bits);
  return wide_a <= Resize(b, bits);
}

z3::expr ExprEncoder::Lt(const z3::expr& a, const z3::expr& b) {
  unsigned bits = std::max(Width(a), Width(b));
  z3::expr wide_a = Resize(a, bits);
  return wide_a < Resize(b, bits);
}

z3::expr ExprEncoder::Equal(const z3::expr& a, const z3::expr& b) {
  unsigned bits = std::max(Width(a), Width(b));
  z3::expr wide_a = Resize(a, bits);
  return terms_.Eq(wide_a, Resize(b, bits));
}

z3::expr ExprEnv::Column(int32_t /*column*/) {
  RACECHECK_CHECK(false, "a column read outside SQL");
}

z3::expr ExprEncoder::Fits32(const z3::expr& value) {
  int64_t n = 0;
  if (Terms::Numeral(value, &n)) return terms_.ctx().bool_val(n >= INT32_MIN && n <= INT32_MAX);
  if (!terms_.bit_vector()) return value >= terms_.Num(INT32_MIN, 64) && value <= terms_.Num(INT32_MAX, 64);
  if (Width(value) <= 32) return terms_.True();
  return z3::sext(value.extract(31, 0), Width(value) - 32) == value;
}

z3::expr ExprEncoder::FitsInt(const z3::expr& value) {
  int64_t n = 0;
  if (Terms::Numeral(value, &n)) return terms_.ctx().bool_val(ir::FitsInt(n));
  if (Width(value) < 32) return terms_.True();
  z3::expr fits = Fits32(value);
  return terms_.And(fits, terms_.Not(Equal(value, terms_.Num(ir::kMinValue, 33))));
}

z3::expr ExprEncoder::Low32(const z3::expr& value) {
  int64_t n = 0;
  if (Terms::Numeral(value, &n)) return terms_.Slot(n);
  return Resize(value, 32);
}

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

SymValue ExprEncoder::Unary(const ir::Expr& e, SymValue a) {
  z3::expr no_fault = terms_.False();
  int64_t n = 0;
  if (a.fault.is_false() && Terms::Numeral(a.value, &n)) {
    int64_t r = 0;
    ir::ArithFault fault = e.op == ir::ExprOp::kNeg ? ir::Negate(n, &r) : ir::Abs(n, &r);
    if (fault != ir::ArithFault::kNone) return {terms_.Num(0, 1), terms_.True(), std::nullopt};
    return {terms_.Num(r, BitsFor(r, r)), no_fault, std::nullopt};
  }
  // -x needs one bit more than x: -(-2147483648) is 2147483648, which fails.
  Range exact = Exact(e.op, RangeOf(e.a), RangeOf(e.a));
  unsigned bits = std::max(Width(a.value), BitsFor(exact.lo, exact.hi));
  z3::expr v = Resize(a.value, bits);
  z3::expr value = e.op == ir::ExprOp::kNeg ? -v : z3::ite(v < terms_.Num(0, bits), -v, v);
  return Checked32({value, a.fault, std::nullopt}, exact);
}

SymValue ExprEncoder::Binary(const ir::Expr& e, int32_t expr, SymValue a, SymValue b) {
  bool guarded = e.sql ? ir::SqlPropagates(e.op) : ir::NeedsValues(e.op);
  if (!guarded) return BinaryValues(e, expr, std::move(a), std::move(b));
  z3::expr null_a = IsNull(a.value);
  z3::expr null = terms_.Or(null_a, IsNull(b.value));
  z3::expr operands_fault = terms_.Or(a.fault, b.fault);
  return WithNulls(e, null, operands_fault, BinaryValues(e, expr, std::move(a), std::move(b)));
}

SymValue ExprEncoder::BinaryValues(const ir::Expr& e, int32_t expr, SymValue a, SymValue b) {
  z3::expr fault = terms_.Or(a.fault, b.fault);
  int64_t x = 0, y = 0;
  if (fault.is_false() && Terms::Numeral(a.value, &x) && Terms::Numeral(b.value, &y)) {
    int64_t result = 0;
    if (!FoldBinary(e.op, x, y, &result)) return {terms_.Num(0, 1), terms_.True(), std::nullopt};
    bool logical = e.op != ir::ExprOp::kAdd && e.op != ir::ExprOp::kSub && e.op != ir::ExprOp::kMul &&
                   e.op != ir::ExprOp::kDiv && e.op != ir::ExprOp::kMod && e.op != ir::ExprOp::kMin &&
                   e.op != ir::ExprOp::kMax;
    return {terms_.Num(result, BitsFor(result, result)), fault,
            logical ? std::optional<z3::expr>(terms_.ctx().bool_val(result != 0)) : std::nullopt};
  }
  Range ra = RangeOf(e.a), rb = RangeOf(e.b);
  // The exact result's range, before the 32-bit check: the vectors need only be as wide as
  // operands and result (at most 63 bits: the operands fit in 32), and a result whose range
  // lies inside 32 bits needs no check.
  bool arithmetic = e.op == ir::ExprOp::kAdd || e.op == ir::ExprOp::kSub || e.op == ir::ExprOp::kMul ||
                    e.op == ir::ExprOp::kDiv || e.op == ir::ExprOp::kMod;
  Range r = arithmetic ? Exact(e.op, ra, rb) : RangeOf(expr);
  RACECHECK_CHECK(r.lo >= kInt64Min && r.hi <= kInt64Max, "an operation on values of more than 32 bits");
  if (e.op == ir::ExprOp::kMul && terms_.bit_vector() && (r.lo < kInt32Min || r.hi > kInt32Max)) {
    // A product that may leave 32 bits: multiply at 32 bits and let Z3's overflow predicates
    // say when it does, rather than multiply at up to 63 bits and compare. The same value and
    // fault; the multiplier Z3 makes of it is about a quarter the size (bench/mutex_product.cr).
    z3::expr wa = Resize(a.value, 32);
    z3::expr wb = Resize(b.value, 32);
    z3::context& ctx = wa.ctx();
    // -2147483648 fits in the vector but is NULL, outside the integers (ir/arith.h).
    z3::expr product = wa * wb;
    z3::expr fits = z3::to_expr(ctx, Z3_mk_bvmul_no_overflow(ctx, wa, wb, true)) &&
                    z3::to_expr(ctx, Z3_mk_bvmul_no_underflow(ctx, wa, wb)) && product != terms_.Num(ir::kMinValue, 32);
    return {product, terms_.Or(fault, terms_.Not(fits)), std::nullopt};
  }
  unsigned bits = std::max({Width(a.value), Width(b.value), BitsFor(r.lo, r.hi)});
  z3::expr va = Resize(a.value, bits);
  z3::expr vb = Resize(b.value, bits);
  auto compare = [&](z3::expr c) { return SymValue{FromBool(c), fault, c}; };
  switch (e.op) {
    case ir::ExprOp::kAdd:
    case ir::ExprOp::kSub:
    case ir::ExprOp::kMul: {
      z3::expr value = e.op == ir::ExprOp::kAdd ? va + vb : e.op == ir::ExprOp::kSub ? va - vb : va * vb;
      return Checked32({value, fault, std::nullopt}, r);
    }
    case ir::ExprOp::kDiv:
    case ir::ExprOp::kMod: {
      // The one quotient past 32 bits, -2147483648 / -1, is computed at 33 bits and checked.
      fault = terms_.Or(fault, terms_.Eq(vb, terms_.Num(0, bits)));
      if (terms_.bit_vector()) {
        // SMT-LIB's bvsdiv rounds toward zero and bvsrem takes the dividend's sign, as C++ does.
        z3::expr value =
            e.op == ir::ExprOp::kDiv ? z3::to_expr(va.ctx(), Z3_mk_bvsdiv(va.ctx(), va, vb)) : z3::srem(va, vb);
        return Checked32({value, fault, std::nullopt}, r);
      }
      // Integer division in Z3 rounds toward minus infinity for positive divisors: divide the
      // magnitudes, then give the quotient its sign, as C++ does.
      z3::expr zero = terms_.Num(0, bits);
      z3::expr a_positive = va >= zero, b_positive = vb >= zero;
      z3::expr minus_a = -va, minus_b = -vb;
      z3::expr abs_a = z3::ite(a_positive, va, minus_a);
      z3::expr abs_b = z3::ite(b_positive, vb, minus_b);
      z3::expr magnitude = z3::to_expr(va.ctx(), Z3_mk_div(va.ctx(), abs_a, abs_b));
      z3::expr minus_magnitude = -magnitude;
      z3::expr quotient = z3::ite(a_positive == b_positive, magnitude, minus_magnitude);
      return Checked32({e.op == ir::ExprOp::kDiv ? quotient : va - vb * quotient, fault, std::nullopt}, r);
    }
    case ir::ExprOp::kLt: return compare(va < vb);
    case ir::ExprOp::kLe: return compare(va <= vb);
    case ir::ExprOp::kGt: return compare(va > vb);
    case ir::ExprOp::kGe: return compare(va >= vb);
    case ir::ExprOp::kEq:
      return compare(a.truth && b.truth ? terms_.Eq(*a.truth, *b.truth) : terms_.Eq(va, vb));
    case ir::ExprOp::kNe:
      return compare(terms_.Not(a.truth && b.truth ? terms_.Eq(*a.truth, *b.truth) : terms_.Eq(va, vb)));
    case ir::ExprOp::kMin: return {z3::ite(va <= vb, va, vb), fault, std::nullopt};
    case ir::ExprOp::kMax: return {z3::ite(va >= vb, va, vb), fault, std::nullopt};
    case ir::ExprOp::kConst:
    case ir::ExprOp::kLocal:
    case ir::ExprOp::kSelf:
    case ir::ExprOp::kGlobal:
    case ir::ExprOp::kParam:
    case ir::ExprOp::kNeg:
    case ir::ExprOp::kNot:
    case ir::ExprOp::kAbs:
    case ir::ExprOp::kIte:
    case ir::ExprOp::kBranches:
    case ir::ExprOp::kAnd:
    case ir::ExprOp::kOr:
    case ir::ExprOp::kColumn:
    case ir::ExprOp::kCell:
    case ir::ExprOp::kTableCount:
    case ir::ExprOp::kTableSum:
    case ir::ExprOp::kRedisValue:
    case ir::ExprOp::kRedisLease:
    case ir::ExprOp::kRedisLength:
    case ir::ExprOp::kRedisContains:
    case ir::ExprOp::kRedisHashGet:
    case ir::ExprOp::kIsNull:
    case ir::ExprOp::kCoalesce:
      break;
  }
  (void)expr;
  RACECHECK_CHECK(false, "unhandled binary operator");
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

Element ExprEncoder::ElementOf(int32_t first_slot, int32_t index_lo, int32_t size, int32_t copies, bool is_array,
                               int32_t index_expr, ExprEnv& env) {
  int32_t base = first_slot + (copies > 1 ? env.replica : 0) * size;
  if (index_expr < 0) return {{{base, terms_.True()}}, terms_.False()};
  SymValue index = Eval(index_expr, env);
  Element element{{}, index.fault};
  if (!is_array) {
    // The explicit engine refuses an index on a scalar at run time; the front end never makes one.
    element.fault = terms_.True();
    return element;
  }
  int64_t known = 0;
  if (index.fault.is_false() && Terms::Numeral(index.value, &known)) {
    if (known < index_lo || known > int64_t{index_lo} + size - 1) {
      element.fault = terms_.True();
    } else {
      element.slots.push_back({base + static_cast<int32_t>(known - index_lo), terms_.True()});
    }
    return element;
  }
  int64_t hi = int64_t{index_lo} + size - 1;
  unsigned bits = std::max(Width(index.value), BitsFor(index_lo, hi));
  z3::expr at = Resize(index.value, bits);
  z3::expr in_range = at >= terms_.Num(index_lo, bits) && at <= terms_.Num(hi, bits);
  element.fault = terms_.Or(element.fault, !in_range);
  for (int32_t i = 0; i < size; ++i) element.slots.push_back({base + i, at == terms_.Num(int64_t{index_lo} + i, bits)});
  return element;
}

Element ExprEncoder::VarElement(int32_t var, int32_t index_expr, ExprEnv& env) {
  const ir::Variable& v = program_.vars[var];
  return ElementOf(v.first_slot, v.index_lo, v.size, v.copies, v.is_array, index_expr, env);
}

Element ExprEncoder::LockElement(int32_t lock, int32_t index_expr, ExprEnv& env) {
  const ir::Lock& l = program_.locks[lock];
  return ElementOf(l.first_slot, l.index_lo, l.size, l.copies, l.is_array, index_expr, env);
}

Element ExprEncoder::RedisElement(int32_t redis, int32_t index_expr, ExprEnv& env) {
  const ir::RedisDecl& decl = program_.redis[redis];
  return ElementOf(0, decl.index_lo, decl.size, 1, /*is_array=*/true, index_expr, env);
}

Element ExprEncoder::RedisMember(int32_t redis, int32_t key, int32_t index_expr, ExprEnv& env) {
  const ir::RedisKey& first = program_.redis[redis].keys[key];
  return ElementOf(key, first.family_lo, std::max(first.family_size, 1), 1, /*is_array=*/true, index_expr, env);
}

Element ExprEncoder::RedisKeySlots(const ir::Expr& e, ExprEnv& env) {
  const ir::RedisDecl& decl = program_.redis[e.index];
  Element element = RedisElement(e.index, e.a, env);
  Element member = RedisMember(e.index, e.var, e.key_index, env);
  Element out{{}, terms_.Or(element.fault, member.fault)};
  for (const auto& [number, here] : element.slots) {
    for (const auto& [key, chosen] : member.slots) {
      out.slots.push_back({decl.KeySlot(number, key), terms_.And(here, chosen)});
    }
  }
  return out;
}

z3::expr ExprEncoder::Read(const Element& element, ExprEnv& env) {
  if (element.slots.empty()) return terms_.Slot(0);
  z3::expr value = env.Global(element.slots.back().first);
  for (size_t k = element.slots.size() - 1; k-- > 0;) {
    value = terms_.Ite(element.slots[k].second, env.Global(element.slots[k].first), value);
  }
  return value;
}

}  // namespace racecheck::symbolic
