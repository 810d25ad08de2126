// NULL in expressions: the one rule both engines follow (docs/semantics.md, "NULL"). In process
// code and properties an operator that needs a value refuses NULL (a runtime error); in SQL
// (Expr::sql) it propagates NULL, and not/and/or follow Kleene's three-valued tables.
#pragma once

#include <string>

#include "checker/ir/program.h"

namespace racecheck::ir {

// Whether `op` needs values that are not NULL: arithmetic, the ordered comparisons, min, max,
// abs and the logic operators. == and != compare NULL as a value in process code; in SQL they,
// too, give NULL on a NULL operand (SqlPropagates).
bool NeedsValues(ExprOp op);
inline bool SqlPropagates(ExprOp op) { return NeedsValues(op) || op == ExprOp::kEq || op == ExprOp::kNe; }

// The runtime error of a NULL operand of `op` in process code or a property:
// "null in '+': this needs a value (test for null first: x is null, x == null)".
std::string NullOperandText(ExprOp op);
// The runtime error of a NULL condition: `what` is "an if or while", "an assertion", "an assumption".
std::string NullConditionText(const char* what);
// An index that is NULL (an empty queue's pop used as a key): `container` as "sent", "Redis key family hb".
std::string NullIndexText(const std::string& container);

}  // namespace racecheck::ir
