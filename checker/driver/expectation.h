// Judges a report against the model's `expect` line and maps outcomes to exit codes.
#pragma once

#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::driver {

enum ExitCode { kExitOk = 0, kExitViolation = 1, kExitUsage = 2, kExitInconclusive = 3 };

// Fills report.expectation from what the model declared.
void JudgeExpectation(const ir::Expectation& expect, result::Report& report);

// 0 when the model behaved as declared (or is safe with nothing declared), 1 for a
// violation or an unmet expectation, 3 when the search was inconclusive.
ExitCode ExitCodeFor(const result::Report& report);

}  // namespace racecheck::driver
