// Expression evaluation over one state: the checked 32-bit arithmetic (ir/arith.h) that steps,
// initial states, properties, SQL and Redis share, with the model's runtime errors (overflow,
// division by zero, index out of range).
#pragma once

#include <cstdint>
#include <string>

#include "checker/ir/arith.h"
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

using ir::FitsValue;

// Evaluates expressions and locates elements; the first problem met is kept in words
// ("division by zero") until ClearFault, and every result after it is meaningless.
class Evaluator {
 public:
  explicit Evaluator(const ir::Program& program) : program_(&program) {}

  // Every value it returns fits in 32 bits (after a fault, a meaningless one).
  int64_t Eval(int32_t expr, const EvalContext& context);

  // The slot of element `index` of variable `var` in copy `replica`; index < 0 expression
  // means the scalar. Faults and returns -1 when the index is out of range.
  int32_t VarSlot(int32_t var, int32_t index_expr, const EvalContext& context);
  int32_t LockSlot(int32_t lock, int32_t index_expr, const EvalContext& context);
  // The element of Redis declaration `redis` that `index_expr` names (0 for a single instance);
  // faults and returns -1 when out of range.
  int32_t RedisElement(int32_t redis, int32_t index_expr, const EvalContext& context);
  // The key of declaration `redis` that `key` and `index_expr` name: `key` itself for a single key
  // (index_expr -1), else the member of the family `key` starts; faults and returns -1 when out of range.
  int32_t RedisMember(int32_t redis, int32_t key, int32_t index_expr, const EvalContext& context);

  bool failed() const { return failed_; }
  const std::string& fault() const { return fault_; }
  void Fail(std::string problem);
  // Fail with the words of an arithmetic fault (ir::ArithFaultText).
  void ArithFailed(ir::ExprOp op, int64_t a, int64_t b, int64_t result, ir::ArithFault fault);
  void ClearFault() {
    failed_ = false;
    fault_.clear();
  }

  // A branch's, assert's or assume's condition; NULL is a runtime error (ir/null.h).
  int64_t Condition(int32_t expr, const EvalContext& context, const char* what);

  // Whether a condition's value is true: not 0 and not NULL (SQL's unknown).
  static bool IsTrue(int64_t v) { return v != 0 && v != ir::kNull; }

  // The first slot of the Redis key a property operator (kRedisValue, ...) names; -1 on a fault.
  int32_t RedisKeySlot(const ir::Expr& e, const EvalContext& context);

 private:
  // A NULL operand of `e`: NULL in SQL; in process code a runtime error (and 0).
  int64_t NullOperand(const ir::Expr& e);
  // An arithmetic result, or 0 after failing with its fault. The result comes by pointer: it is
  // written by the call that gives `fault`, and arguments have no order of evaluation.
  int64_t Checked(ir::ArithFault fault, ir::ExprOp op, int64_t a, int64_t b, const int64_t* result);
  // kTableCount, kTableSum over the committed rows of the state.
  int64_t TableAggregate(const ir::Expr& e, const EvalContext& context);
  // index_expr's value minus lo; faults ("index 3 is outside <what> <name>[lo..hi]") and returns -1
  // when it is outside lo..lo+size-1.
  int32_t Offset(int32_t index_expr, int32_t lo, int32_t size, const char* what, const std::string& name,
                 const EvalContext& context);
  int32_t ElementSlot(const std::string& name, bool is_array, int32_t index_lo, int32_t size, int32_t copies,
                      int32_t first_slot, int32_t index_expr, const EvalContext& context, const char* what);

  const ir::Program* program_;
  bool failed_ = false;
  std::string fault_;
};

}  // namespace racecheck::explore
