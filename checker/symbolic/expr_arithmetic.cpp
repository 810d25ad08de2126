// Arithmetic and comparisons of values of any widths: value ranges, widening and cutting, the
// 32-bit checks, unary and binary operators (with constants folded).
#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/ir/arith.h"
#include "checker/ir/null.h"
#include "checker/symbolic/terms.h"
#include "checker/symbolic/unroll.h"

namespace racecheck::symbolic {
namespace {

constexpr __int128 kInt64Min = INT64_MIN;
constexpr __int128 kInt64Max = INT64_MAX;
// The smallest integer a computation may give: one above ir::kNull.
constexpr __int128 kInt32Min = ir::kMinInt;
constexpr __int128 kInt32Max = ir::kMaxValue;

__int128 Abs128(__int128 v) { return v < 0 ? -v : v; }

}  // namespace

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

}  // namespace racecheck::symbolic
