#include "checker/explore/initial.h"

#include <algorithm>
#include <vector>

#include "checker/explore/eval.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

class Enumerator {
 public:
  Enumerator(const ir::Program& program, const std::function<bool(const ir::Value*)>& emit)
      : program_(program), emit_(emit), eval_(program), state_(program.slot_count, 0) {
    for (size_t i = 0; i < program.instances.size(); ++i) {
      const ir::Process& process = program.processes[program.instances[i].process];
      for (size_t p = 0; p < process.params.size(); ++p) {
        instance_params_.push_back({static_cast<int32_t>(i), static_cast<int32_t>(p)});
      }
    }
  }

  std::string Run() {
    for (const ir::Variable& var : program_.vars) {
      for (int32_t copy = 0; copy < var.copies; ++copy) {
        for (int32_t i = 0; i < var.size; ++i) {
          state_[var.first_slot + copy * var.size + i] = i < static_cast<int32_t>(var.initial.size()) ? var.initial[i] : 0;
        }
      }
    }
    for (const ir::Instance& inst : program_.instances) state_[inst.base_slot] = 0;
    for (const ir::Table& table : program_.tables) {
      for (size_t r = 0; r < table.initial_rows.size(); ++r) {
        int32_t row = static_cast<int32_t>(r);
        state_[table.ExistsSlot(row)] = 1;
        for (int32_t c = 0; c < table.column_count(); ++c) state_[table.ValueSlot(row, c)] = table.initial_rows[r][c];
      }
    }
    for (const ir::RedisDecl& redis : program_.redis) {
      for (int32_t e = 0; e < redis.size; ++e) {
        for (size_t k = 0; k < redis.keys.size(); ++k) {
          if (!redis.keys[k].initially_present) continue;
          int32_t slot = redis.KeySlot(e, static_cast<int32_t>(k));
          if (redis.keys[k].IsCollection()) {
            std::vector<ir::Value> slots = redis.keys[k].InitialCollection();
            std::copy(slots.begin(), slots.end(), state_.begin() + slot);
            continue;
          }
          state_[slot] = redis.keys[k].initial;
          state_[slot + 1] = 1;
        }
      }
    }
    for (const ir::Param& param : program_.params) {
      if (param.lo > param.hi) return fmt::format("param {} has an empty range {}..{}", param.name, param.lo, param.hi);
    }
    GlobalParam(0);
    return problem_;
  }

 private:
  struct InstanceParam {
    int32_t instance;
    int32_t param;
  };

  // Returns false once enumeration must stop.
  bool GlobalParam(size_t k) {
    if (k == program_.params.size()) return InitialValues() && InstanceParamAt(0);
    const ir::Param& param = program_.params[k];
    for (int64_t v = param.lo; v <= param.hi; ++v) {
      state_[param.slot] = static_cast<ir::Value>(v);
      if (!GlobalParam(k + 1)) return false;
    }
    return true;
  }

  // Variables whose initial values use global params, now that those are known.
  bool InitialValues() {
    for (const ir::Variable& var : program_.vars) {
      for (int32_t i = 0; i < static_cast<int32_t>(var.initial_exprs.size()); ++i) {
        if (var.initial_exprs[i] < 0) continue;
        EvalContext context{state_.data(), nullptr, -1, 0};
        int64_t value = eval_.Eval(var.initial_exprs[i], context);
        if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
        if (eval_.failed()) {
          std::string element = var.is_array ? fmt::format("{}[{}]", var.name, var.index_lo + i) : var.name;
          problem_ = fmt::format("{} in the initial value of {}", eval_.fault(), element);
          return false;
        }
        for (int32_t copy = 0; copy < var.copies; ++copy) {
          state_[var.first_slot + copy * var.size + i] = static_cast<ir::Value>(value);
        }
      }
    }
    // Table cells likewise (never a key or unique column).
    for (const ir::Table& table : program_.tables) {
      for (size_t r = 0; r < table.initial_exprs.size(); ++r) {
        for (int32_t c = 0; c < table.column_count(); ++c) {
          if (table.initial_exprs[r][c] < 0) continue;
          EvalContext context{state_.data(), nullptr, -1, 0};
          int64_t value = eval_.Eval(table.initial_exprs[r][c], context);
          // A column that is not nullable holds no NULL (-2^31), which this test refuses too.
          bool fits = table.column_nullable[c] ? FitsValue(value) : ir::FitsInt(value);
          if (!eval_.failed() && !fits) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
          if (eval_.failed()) {
            problem_ = fmt::format("{} in the initial value of {}[{}].{}", eval_.fault(), table.name,
                                   table.initial_rows[r][table.key_column], table.columns[c]);
            return false;
          }
          state_[table.ValueSlot(static_cast<int32_t>(r), c)] = static_cast<ir::Value>(value);
        }
      }
    }
    return true;
  }

  bool InstanceParamAt(size_t k) {
    if (k == instance_params_.size()) return emit_(state_.data());
    const ir::Instance& inst = program_.instances[instance_params_[k].instance];
    const ir::ProcessParam& param = program_.processes[inst.process].params[instance_params_[k].param];
    EvalContext context{state_.data(), state_.data() + inst.base_slot + 1, inst.self, inst.replica};
    int32_t slot = inst.base_slot + 1 + param.local;
    if (!param.is_range) {
      int64_t value = eval_.Eval(param.value_expr, context);
      if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
      if (eval_.failed()) return Problem(inst, param, "the value of");
      state_[slot] = static_cast<ir::Value>(value);
      return InstanceParamAt(k + 1);
    }
    int64_t lo = eval_.Eval(param.lo_expr, context);
    int64_t hi = eval_.failed() ? 0 : eval_.Eval(param.hi_expr, context);
    if (!eval_.failed() && lo > hi) eval_.Fail(fmt::format("empty range {}..{}", lo, hi));
    if (!eval_.failed() && !(FitsValue(lo) && FitsValue(hi))) {
      eval_.Fail(fmt::format("range {}..{} does not fit in 32 bits", lo, hi));
    }
    if (eval_.failed()) return Problem(inst, param, "the range of");
    for (int64_t v = lo; v <= hi; ++v) {
      state_[slot] = static_cast<ir::Value>(v);
      if (!InstanceParamAt(k + 1)) return false;
    }
    return true;
  }

  bool Problem(const ir::Instance& inst, const ir::ProcessParam& param, const char* what) {
    problem_ = fmt::format("{} in {} parameter {} of {}", eval_.fault(), what, param.name, inst.display_name);
    return false;
  }

  const ir::Program& program_;
  const std::function<bool(const ir::Value*)>& emit_;
  Evaluator eval_;
  std::vector<ir::Value> state_;
  std::vector<InstanceParam> instance_params_;
  std::string problem_;
};

}  // namespace

bool HasInitialChoices(const ir::Program& program) {
  if (!program.params.empty()) return true;
  for (const ir::Instance& inst : program.instances) {
    for (const ir::ProcessParam& param : program.processes[inst.process].params) {
      if (param.is_range) return true;
    }
  }
  return false;
}

std::string EnumerateInitialStates(const ir::Program& program,
                                   const std::function<bool(const ir::Value* state)>& emit) {
  return Enumerator(program, emit).Run();
}

}  // namespace racecheck::explore
