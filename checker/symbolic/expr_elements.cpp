// Elements: the slots a variable, lock or Redis key with an index may be, each with its condition,
// and reading an element's value.
#include <algorithm>

#include "checker/base/diagnostics.h"
#include "checker/symbolic/terms.h"

namespace racecheck::symbolic {

z3::expr ExprEnv::Column(int32_t /*column*/) {
  RACECHECK_CHECK(false, "a column read outside SQL");
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
