// Which instructions may make an instance wait for another, and what follows from it.
#pragma once

#include "checker/ir/program.h"

namespace racecheck::ir {

// Whether every wait in the program is a SQL statement's wait for a row (a row lock, the first
// place in a row's line, or another transaction's uncommitted duplicate of an inserted key): no
// `lock` (kAcquire) and no blocking Redis pop (BLPOP, BRPOP, BLMOVE) anywhere.
//
// Then no reachable state is a deadlock. An unfinished instance that cannot move waits for a
// row that another instance holds or is first in line for, and that instance is unfinished too
// (a transaction gives up its rows when it ends, and an instance ends outside its
// transactions). Following these waits from instance to instance comes back round to one
// already met, and the deadlock detector may pick any transaction of that cycle as its victim
// (40P01): a move. docs/z3-encoding.md, "Levels: the search".
bool OnlyRowsWait(const Program& program);

}  // namespace racecheck::ir
