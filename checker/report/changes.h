// What a trace step changed, one line per thing that changed, as engineers think of it: a
// table row's columns together ("accounts[1]: balance = 20 (uncommitted)"), a wait as a
// sentence ("Transfer[0] waits for row lock accounts[2] held by Transfer[1]"), a lock taken
// or released, a variable's old and new value. Shared by the text and HTML reports.
#pragma once

#include <string>
#include <vector>

#include "checker/result/report.h"

namespace racecheck::report {

// "balance 100 → 20", "b = 100" (a first value), "Transfer[0] waits for row lock ...".
std::string ChangeText(const result::Change& change);

// A process waiting rather than a value changing.
bool IsWait(const result::Change& change);

// Whether `name` is a cell of an uncommitted row version of `row` ("accounts[1].balance,
// uncommitted", "orders[10] exists, uncommitted" for row "accounts[1]", "orders[10]").
bool IsUncommittedCellOf(const std::string& name, const std::string& row);

// The changes of one step, in order, with the columns of one table row (and one version of
// it: committed or not) joined into a single line.
std::vector<std::string> ChangeLines(const std::vector<result::Change>& changes);

}  // namespace racecheck::report
