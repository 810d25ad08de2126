#include "checker/explore/properties.h"

#include <algorithm>

#include "checker/explore/eval.h"
#include "checker/ir/value_text.h"

namespace racecheck::explore {

int32_t PropertyCopies(const ir::Program& program, const ir::Property& property) {
  int32_t copies = 1;
  for (int32_t var : property.vars) copies = std::max(copies, program.vars[var].copies);
  return copies;
}

std::vector<result::NamedValue> PropertyValues(const ir::Program& program, const Naming& naming,
                                               const ir::Property& property, const ir::Value* state,
                                               int32_t replica) {
  std::vector<result::NamedValue> values;
  for (int32_t v : property.vars) {
    const ir::Variable& var = program.vars[v];
    int32_t copy = var.copies > 1 ? replica : 0;
    for (int32_t i = 0; i < var.size; ++i) {
      int32_t slot = var.first_slot + copy * var.size + i;
      values.push_back({naming.SlotName(slot), naming.Value(slot, state[slot])});
    }
  }
  // Table cells and Redis keys, as the property reads them.
  Evaluator eval(program);
  for (const ir::ShownValue& shown : property.shown) {
    EvalContext context{state, nullptr, -1, replica};
    if (shown.collection) {
      int32_t slot = eval.RedisKeySlot(program.exprs[shown.expr], context);
      values.push_back({shown.name, eval.failed() || slot < 0 ? "?" : naming.CollectionText(slot, state)});
      eval.ClearFault();
      continue;
    }
    int64_t value = eval.Eval(shown.expr, context);
    values.push_back({shown.name, eval.failed() ? "?" : ir::ValueText(program, shown.type, static_cast<ir::Value>(value))});
    eval.ClearFault();
  }
  return values;
}

}  // namespace racecheck::explore
