// Terms: constants, variables and Boolean connectives with folding; the arithmetic a program needs.
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

unsigned BitsFor(__int128 lo, __int128 hi) {
  unsigned bits = 1;
  while (bits < 64 && (lo < -(__int128{1} << (bits - 1)) || hi > (__int128{1} << (bits - 1)) - 1)) ++bits;
  return bits;
}

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

}  // namespace racecheck::symbolic
