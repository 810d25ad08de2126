// Expression evaluation over one state: the int64 arithmetic that steps, initial states and
// properties share, with the model's runtime errors (division by zero, index out of range).
#pragma once

#include <cstdint>
#include <string>

#include "checker/ir/program.h"

namespace racecheck::explore {

// Where an expression is evaluated: a state, and the running instance's view of it.
struct EvalContext {
  const ir::Value* state = nullptr;
  const ir::Value* locals = nullptr;  // the running instance's locals; nullptr in properties
  int32_t self = -1;                  // -1 in properties
  int32_t replica = 0;                // which copy of per-replica variables and locks to use
  const ir::Value* row = nullptr;     // SQL: the column values of the row being looked at
};

inline bool FitsValue(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// Evaluates expressions and locates elements; the first problem met is kept in words
// ("division by zero") until ClearFault, and every result after it is meaningless.
class Evaluator {
 public:
  explicit Evaluator(const ir::Program& program) : program_(&program) {}

  int64_t Eval(int32_t expr, const EvalContext& context);

  // The slot of element `index` of variable `var` in copy `replica`; index < 0 expression
  // means the scalar. Faults and returns -1 when the index is out of range.
  int32_t VarSlot(int32_t var, int32_t index_expr, const EvalContext& context);
  int32_t LockSlot(int32_t lock, int32_t index_expr, const EvalContext& context);
  // The element of Redis declaration `redis` that `index_expr` names (0 for a single instance);
  // faults and returns -1 when out of range.
  int32_t RedisElement(int32_t redis, int32_t index_expr, const EvalContext& context);

  bool failed() const { return failed_; }
  const std::string& fault() const { return fault_; }
  void Fail(std::string problem);
  void ClearFault() {
    failed_ = false;
    fault_.clear();
  }

 private:
  int32_t ElementSlot(const std::string& name, bool is_array, int32_t index_lo, int32_t size, int32_t copies,
                      int32_t first_slot, int32_t index_expr, const EvalContext& context, const char* what);

  const ir::Program* program_;
  bool failed_ = false;
  std::string fault_;
};

}  // namespace racecheck::explore
