#include "checker/explore/property_check.h"

#include <algorithm>

#include "checker/explore/properties.h"

namespace racecheck::explore {

PropertyCheck::PropertyCheck(const ir::Program& program) : program_(program), eval_(program) {
  for (size_t k = 0; k < program.properties.size(); ++k) {
    const ir::Property& property = program.properties[k];
    switch (property.kind) {
      case ir::PropertyKind::kInvariant: invariants_.push_back(static_cast<int32_t>(k)); break;
      case ir::PropertyKind::kFinal: finals_.push_back(static_cast<int32_t>(k)); break;
      case ir::PropertyKind::kCover: covers_.push_back(static_cast<int32_t>(k)); break;
    }
    copies_.push_back(PropertyCopies(program, property));
  }
}

bool PropertyCheck::Evaluate(const ir::Value* state, const std::vector<char>& settled,
                             std::vector<PropertyOutcome>& out, std::vector<std::string>& faults) {
  // Every invariant, even one already reported: a run ends where any of them fails.
  for (int32_t k : invariants_) {
    int32_t copy = Differs(k, state, true);
    if (copy >= 0) Add(k, copy, out, faults);
  }
  bool all_done = !finals_.empty() && std::all_of(program_.instances.begin(), program_.instances.end(),
                                                  [&](const ir::Instance& inst) {
                                                    return state[inst.base_slot] == ir::kDonePc;
                                                  });
  if (all_done) {
    for (int32_t k : finals_) {
      if (settled[k]) continue;
      int32_t copy = Differs(k, state, true);
      if (copy >= 0) Add(k, copy, out, faults);
    }
  }
  for (int32_t k : covers_) {
    if (settled[k]) continue;
    // A cover holds when it is true on some copy.
    int32_t copy = Differs(k, state, false);
    if (copy >= 0) Add(k, copy, out, faults);
  }
  return all_done;
}

int32_t PropertyCheck::Differs(int32_t k, const ir::Value* state, bool want) {
  const ir::Property& property = program_.properties[k];
  eval_.ClearFault();
  for (int32_t copy = 0; copy < copies_[k]; ++copy) {
    EvalContext context{state, nullptr, -1, copy};
    bool value = eval_.Condition(property.expr, context, "a property") != 0;
    if (eval_.failed() || value != want) return copy;
  }
  return -1;
}

void PropertyCheck::Add(int32_t k, int32_t copy, std::vector<PropertyOutcome>& out,
                        std::vector<std::string>& faults) {
  PropertyOutcome outcome{k, copy, -1};
  if (eval_.failed()) {
    outcome.fault = static_cast<int32_t>(faults.size());
    faults.push_back(eval_.fault());
    eval_.ClearFault();
  }
  out.push_back(outcome);
}

}  // namespace racecheck::explore
