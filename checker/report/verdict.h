// The words every reporter uses for verdicts and violation kinds, so that text, JSON and the
// summary table always agree.
#pragma once

#include <string>

#include "checker/result/report.h"

namespace racecheck::report {

// "safe", "violation", "deadlock" or "inconclusive": the JSON verdict names.
std::string VerdictWord(const result::Report& report);

// The verdict as `expect` declares it: "violation conservation" (every violated property,
// ", "-separated, in report order), "safe", "deadlock", "inconclusive".
std::string VerdictSummary(const result::Report& report);

// "invariant", "final", "assert", "deadlock", "cover", "runtime_error": the JSON kind names.
std::string ViolationKindWord(result::ViolationKind kind);

// What a violation is called in one line: its property, or its kind in words when the
// engine named no property ("runtime error").
std::string ViolationLabel(const result::Violation& violation);

// Why the explicit engine could not exchange a process's instances, in one line:
// "Doctor[0..2] not interchangeable: a token is used as an index (line 15)".
std::string SymmetryRefusalText(const result::SymmetryRefusal& refusal);

}  // namespace racecheck::report
