// Statements that lock several rows take them one step at a time where another request may
// lock or change the same table between two of them (docs/semantics.md, "Statements that lock").
#pragma once

#include "checker/ir/program.h"

namespace racecheck::ir {

// Sets SqlStatement::row_by_row on every update, delete and locking select whose table holds
// more than one row slot and is written or locked by two or more instances (the statement's own
// and another): PostgreSQL locks such a statement's rows one at a time, so another transaction
// can take the second row between them (two opposite orders deadlock). Where no other instance
// touches the table, nothing can come between, and the statement stays one step.
void MarkRowByRow(Program& program);

}  // namespace racecheck::ir
