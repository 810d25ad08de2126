// Checked arithmetic on the language's 32-bit integers, the one rule both engines follow
// (docs/semantics.md, "Expressions"): the result of every +, -, *, /, %, unary minus and abs,
// wherever it is computed, must be an integer of -2^31+1 .. 2^31-1, or it is a runtime error: the
// one 32-bit value left over, -2^31, is ir::kNull, which no computation produces.
#pragma once

#include <cstdint>
#include <string>

#include "checker/ir/program.h"

namespace racecheck::ir {

inline constexpr int64_t kMinValue = INT32_MIN;
inline constexpr int64_t kMaxValue = INT32_MAX;

// The smallest integer: kMinValue is ir::kNull.
inline constexpr int64_t kMinInt = kMinValue + 1;

// Whether a value fits a slot (an integer or NULL), and whether it is an integer a computation may give.
inline bool FitsValue(int64_t v) { return v >= kMinValue && v <= kMaxValue; }
inline bool FitsInt(int64_t v) { return v >= kMinInt && v <= kMaxValue; }

enum class ArithFault : uint8_t { kNone, kOverflow, kDivisionByZero, kModuloByZero };

// The 32-bit result r of an operation whose 32-bit instruction said `overflow`, and whose exact
// result is `exact`; -2^31 (NULL's representation) overflows too.
inline ArithFault Fitted(bool overflow, int32_t r, int64_t exact, int64_t* out) {
  *out = overflow ? exact : r;
  return overflow || r == INT32_MIN ? ArithFault::kOverflow : ArithFault::kNone;
}

// a + b, a - b, a * b, a / b and a % b: the result in *out and kNone when it fits in 32 bits.
// `/` rounds toward zero and `%` takes the dividend's sign (as in C). Operands are never -2^31
// (NULL is refused or propagated before any arithmetic), but these stay total on it:
// -2147483648 / -1 overflows and -2147483648 % -1 is 0. On kOverflow *out is the exact result (for the message);
// on a division by zero it is 0. a and b must be 32-bit values, as every operand is when every
// result is checked: the 32-bit instructions and their overflow flag then do the work (an
// engine's hot path runs here).
inline ArithFault Add(int64_t a, int64_t b, int64_t* out) {
  int32_t r = 0;
  bool overflow = __builtin_add_overflow(static_cast<int32_t>(a), static_cast<int32_t>(b), &r);
  return Fitted(overflow, r, a + b, out);
}
inline ArithFault Sub(int64_t a, int64_t b, int64_t* out) {
  int32_t r = 0;
  bool overflow = __builtin_sub_overflow(static_cast<int32_t>(a), static_cast<int32_t>(b), &r);
  return Fitted(overflow, r, a - b, out);
}
inline ArithFault Mul(int64_t a, int64_t b, int64_t* out) {
  int32_t r = 0;
  bool overflow = __builtin_mul_overflow(static_cast<int32_t>(a), static_cast<int32_t>(b), &r);
  return Fitted(overflow, r, a * b, out);
}
inline ArithFault Div(int64_t a, int64_t b, int64_t* out) {
  if (b == 0) [[unlikely]] {
    *out = 0;
    return ArithFault::kDivisionByZero;
  }
  // The one quotient outside 32 bits.
  if (a == INT32_MIN && b == -1) [[unlikely]] {
    *out = -a;
    return ArithFault::kOverflow;
  }
  *out = static_cast<int32_t>(a) / static_cast<int32_t>(b);
  return ArithFault::kNone;
}
inline ArithFault Mod(int64_t a, int64_t b, int64_t* out) {
  if (b == 0) [[unlikely]] {
    *out = 0;
    return ArithFault::kModuloByZero;
  }
  // -2147483648 % -1 is 0 (its quotient overflows, but no remainder is asked of it).
  *out = b == -1 ? 0 : static_cast<int32_t>(a) % static_cast<int32_t>(b);
  return ArithFault::kNone;
}

// -a and abs(a) for a 32-bit a: only -2147483648 has no 32-bit negation.
inline ArithFault Negate(int64_t a, int64_t* out) {
  *out = -a;
  return a == INT32_MIN ? ArithFault::kOverflow : ArithFault::kNone;
}
inline ArithFault Abs(int64_t a, int64_t* out) {
  *out = a < 0 ? -a : a;
  return a == INT32_MIN ? ArithFault::kOverflow : ArithFault::kNone;
}

// The runtime error in words, naming the operation and its operands:
// "arithmetic overflow: 2147483647 + 1 = 2147483648 does not fit in 32 bits",
// "arithmetic overflow: -2147483647 - 1 = -2147483648 is below the smallest integer, -2147483647",
// "division by zero".
// `op` is a binary operator, kNeg or kAbs (then b is unused); `result` is the operation's *out.
std::string ArithFaultText(ExprOp op, int64_t a, int64_t b, int64_t result, ArithFault fault);

}  // namespace racecheck::ir
