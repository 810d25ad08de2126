// NULL and truth: whether a value is NULL or true, the NULL rules of operators (ir/null.h), and
// not/and/or with process code's failure on NULL and SQL's three-valued logic.
#include <algorithm>

#include "checker/ir/null.h"
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

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

}  // namespace racecheck::symbolic
