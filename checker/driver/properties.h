// The model's properties as every reporter names them, taken from the program the engines
// ran, and a file's diagnostics as data for the machine-readable formats.
#pragma once

#include <string>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"
#include "checker/result/run.h"

namespace racecheck::driver {

// Invariants, finals and covers in declaration order, then asserts by line, then deadlock
// freedom unless the model allows deadlocks: what report.properties counts.
std::vector<result::PropertyInfo> ModelProperties(const ir::Program& program);

// The diagnostics of one file, sorted as DiagnosticEngine::Render sorts them.
void AppendDiagnostics(const base::DiagnosticEngine& diags, const std::string& file,
                       std::vector<result::Diagnostic>& out);

}  // namespace racecheck::driver
