// The model's values as Z3 terms, and every runtime error as a condition. Two arithmetics:
// bit vectors (slots 32 bits; each operation as wide as its exact result needs, and every
// arithmetic result checked to fit in 32 bits) and mathematical integers with the same bounds
// checked explicitly, which the solver reasons about word by word (far faster for sums and
// differences; see docs/z3-encoding.md). Constants are
// folded on the way, so what is known before the run never reaches the solver.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "checker/ir/program.h"

namespace racecheck::symbolic {

enum class Arithmetic {
  kBitVector,  // exact for every operator; bit-level reasoning
  kInteger,    // word-level reasoning; products and quotients of two unknowns are nonlinear
};

// Term construction with folding of constants and of true/false; counts the variables it makes.
class Terms {
 public:
  Terms(z3::context& ctx, Arithmetic arithmetic) : ctx_(ctx), arithmetic_(arithmetic) {}

  z3::context& ctx() { return ctx_; }
  Arithmetic arithmetic() const { return arithmetic_; }
  bool bit_vector() const { return arithmetic_ == Arithmetic::kBitVector; }
  z3::expr True() { return ctx_.bool_val(true); }
  z3::expr False() { return ctx_.bool_val(false); }
  // A slot's value (32 bits) and a value of `bits` bits (the width only counts for bit vectors).
  z3::expr Slot(int64_t v);
  z3::expr Num(int64_t v, unsigned bits);
  z3::expr Bool(const char* name);
  z3::expr SlotVar(const char* name);
  z3::expr Var(const char* name, unsigned bits);

  z3::expr And(const z3::expr& a, const z3::expr& b);
  z3::expr Or(const z3::expr& a, const z3::expr& b);
  z3::expr Not(const z3::expr& a);
  z3::expr Ite(const z3::expr& c, const z3::expr& a, const z3::expr& b);
  z3::expr Eq(const z3::expr& a, const z3::expr& b);

  static bool IsTrue(const z3::expr& e) { return e.is_true(); }
  static bool IsFalse(const z3::expr& e) { return e.is_false(); }
  // A numeral's value as a signed number of its width.
  static bool Numeral(const z3::expr& e, int64_t* out);

  uint64_t variables() const { return variables_; }

 private:
  z3::context& ctx_;
  Arithmetic arithmetic_;
  uint64_t variables_ = 0;
};

// The arithmetic a program needs: integers unless it multiplies or divides two unknowns.
Arithmetic ArithmeticFor(const ir::Program& program);

// Bits of the narrowest two's complement vector holding every value of lo..hi.
unsigned BitsFor(__int128 lo, __int128 hi);

// One evaluated expression: its value (with bit vectors, as wide as its range needs), the
// condition under which evaluating it fails (then the value means nothing), and, for comparisons
// and logic, the value as a Z3 Bool.
struct SymValue {
  z3::expr value;
  z3::expr fault;
  std::optional<z3::expr> truth;
};

// Where an expression is evaluated: the running instance's locals (none in properties) and
// the global slots, read through Global() so that the step can record what it read.
class ExprEnv {
 public:
  virtual ~ExprEnv() = default;
  // The (32-bit) value of local `index` of the running instance.
  virtual z3::expr Local(int32_t index) = 0;
  // The (32-bit) value of a global slot (param, variable element, lock).
  virtual z3::expr Global(int32_t slot) = 0;
  // The (32-bit) value of column `column` of the row a SQL where or set clause looks at.
  virtual z3::expr Column(int32_t column);
  int32_t self = -1;    // -1 in properties
  int32_t replica = 0;  // which copy of per-replica variables and locks
};

// An element named by a variable or lock and an index: the slots it may be, each with the
// condition that it is that one, and the condition that the index is out of range.
struct Element {
  std::vector<std::pair<int32_t, z3::expr>> slots;
  z3::expr fault;
};

class ExprEncoder {
 public:
  ExprEncoder(const ir::Program& program, Terms& terms);

  SymValue Eval(int32_t expr, ExprEnv& env);
  // Whether a condition's value is true: not 0 and not NULL (SQL's unknown).
  z3::expr Truth(const SymValue& v);
  // Whether a value is NULL (ir::kNull); false for values narrower than a slot.
  z3::expr IsNull(const z3::expr& value);
  z3::expr FromBool(const z3::expr& condition);

  Element VarElement(int32_t var, int32_t index_expr, ExprEnv& env);
  Element LockElement(int32_t lock, int32_t index_expr, ExprEnv& env);
  // The element of Redis declaration `redis` that `index_expr` names (-1: the only one), as
  // explore::Evaluator::RedisElement: each element number 0..size-1 it may be, in place of a slot.
  Element RedisElement(int32_t redis, int32_t index_expr, ExprEnv& env);
  // The key `key` and `index_expr` name, as explore::Evaluator::RedisMember: `key` for a single
  // key (index_expr -1), else each member of the family `key` starts that it may be, in place of a slot.
  Element RedisMember(int32_t redis, int32_t key, int32_t index_expr, ExprEnv& env);
  // The first slots of the Redis key a property operator (kRedisValue, ...) may name: each
  // element and member it may be, with its condition; the fault when an index is out of range.
  Element RedisKeySlots(const ir::Expr& e, ExprEnv& env);
  // The element's value (meaningless when its fault holds).
  z3::expr Read(const Element& element, ExprEnv& env);

  // Whether a value fits the 32 bits of a slot, and the slot's value then.
  z3::expr Fits32(const z3::expr& value);
  // Whether a computed value is an integer (-2^31+1 .. 2^31-1): -2^31 is NULL (ir/arith.h).
  z3::expr FitsInt(const z3::expr& value);
  z3::expr Low32(const z3::expr& value);
  // Comparisons of values of any widths.
  z3::expr Le(const z3::expr& a, const z3::expr& b);
  z3::expr Lt(const z3::expr& a, const z3::expr& b);
  z3::expr Equal(const z3::expr& a, const z3::expr& b);
  // A value at 64 bits (the explicit engine's int64), for sums of slots.
  z3::expr Wide(const z3::expr& value) { return Resize(value, 64); }

 private:
  // Bounds of an expression's value over all states, to leave out overflow checks that cannot fail.
  struct Range {
    __int128 lo = 0;
    __int128 hi = 0;
  };
  Range RangeOf(int32_t expr);
  // The range of an arithmetic operator's result on operands in `a` and `b` (`a` alone for
  // unary minus and abs), before the 32-bit check.
  static Range Exact(ir::ExprOp op, Range a, Range b);
  // Every arithmetic result must fit in 32 bits (docs/language.md): `v` fails past that, unless
  // its exact range says it cannot, and its value is cut to the slot's 32 bits.
  SymValue Checked32(SymValue v, Range exact);
  // A value at `bits` bits: sign-extended, or cut when its range says it fits.
  z3::expr Resize(const z3::expr& value, unsigned bits);
  static unsigned Width(const z3::expr& value) { return value.is_bv() ? value.get_sort().bv_size() : 64; }
  Element ElementOf(int32_t first_slot, int32_t index_lo, int32_t size, int32_t copies, bool is_array,
                    int32_t index_expr, ExprEnv& env);
  SymValue Unary(const ir::Expr& e, SymValue a);
  SymValue Binary(const ir::Expr& e, int32_t expr, SymValue a, SymValue b);
  SymValue BinaryValues(const ir::Expr& e, int32_t expr, SymValue a, SymValue b);
  // Node e's NULL rule (ir/null.h) applied to `v`, computed as if no operand were NULL, when
  // `null` says one is: in process code a fault; in SQL the value NULL, and v's own faults only
  // when no operand is NULL (`operands_fault`: the operands' faults, which count either way).
  SymValue WithNulls(const ir::Expr& e, const z3::expr& null, const z3::expr& operands_fault, SymValue v);
  SymValue Logic(const ir::Expr& e, ExprEnv& env);
  // kTableCount, kTableSum over the committed rows, as the explicit engine counts them.
  SymValue TableAggregate(const ir::Expr& e, ExprEnv& env);

  const ir::Program& program_;
  Terms& terms_;
  std::vector<std::optional<Range>> ranges_;
};

}  // namespace racecheck::symbolic
