#include "checker/driver/properties.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace racecheck::driver {

std::vector<result::PropertyInfo> ModelProperties(const ir::Program& program) {
  std::vector<result::PropertyInfo> properties;
  for (const ir::Property& property : program.properties) {
    properties.push_back({property.name, ir::PropertyKindName(property.kind), property.range.begin.line});
  }
  // An assert in a fn is inlined once per call, always with the fn's line: one property.
  std::set<int> assert_lines;
  for (const ir::Process& process : program.processes) {
    for (const ir::Instr& instr : process.code) {
      if (instr.op != ir::Op::kAssert || instr.statement < 0) continue;
      assert_lines.insert(program.statements[static_cast<size_t>(instr.statement)].range.begin.line);
    }
  }
  for (int line : assert_lines) properties.push_back({fmt::format("assert at line {}", line), "assert", line});
  if (!program.allow_deadlock) properties.push_back({"deadlock", "deadlock", 0});
  return properties;
}

void AppendDiagnostics(const base::DiagnosticEngine& diags, const std::string& file,
                       std::vector<result::Diagnostic>& out) {
  std::vector<base::Diagnostic> sorted = diags.diagnostics();
  std::stable_sort(sorted.begin(), sorted.end(), [](const base::Diagnostic& a, const base::Diagnostic& b) {
    if (a.location.line != b.location.line) return a.location.line < b.location.line;
    return a.location.column < b.location.column;
  });
  for (const base::Diagnostic& d : sorted) {
    const char* severity = d.severity == base::Severity::kError     ? "error"
                           : d.severity == base::Severity::kWarning ? "warning"
                                                                    : "note";
    out.push_back({severity, file, d.location.line, d.location.column, d.message});
  }
}

}  // namespace racecheck::driver
