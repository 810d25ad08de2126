#include "checker/driver/pipeline.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "checker/ast/printer.h"
#include "checker/driver/engines.h"
#include "checker/driver/expectation.h"
#include "checker/frontend/analyze.h"
#include "checker/ir/lower.h"
#include "fmt/format.h"

namespace racecheck::driver {

bool ReadFile(const std::string& path, std::string& text, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::string("cannot read ") + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

namespace {

// Reads and checks; on failure fills outcome.diagnostics and returns null.
std::unique_ptr<ast::Model> Front(const base::SourceFile& file, const RunOptions& options, RunOutcome& outcome) {
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, options.overrides, diags);
  if (!model) outcome.diagnostics = diags.Render();
  return model;
}

}  // namespace

RunOutcome ParseOnly(const std::string& path, const RunOptions& options, std::string& ast_text) {
  RunOutcome outcome;
  std::string text, error;
  if (!ReadFile(path, text, error)) {
    outcome.diagnostics = "racecheck: " + error + "\n";
    return outcome;
  }
  base::SourceFile file(path, std::move(text));
  std::unique_ptr<ast::Model> model = Front(file, options, outcome);
  if (model) ast_text = ast::PrintModel(*model);
  return outcome;
}

RunOutcome CheckModel(const std::string& path, const RunOptions& options) {
  std::string text, error;
  if (!ReadFile(path, text, error)) {
    RunOutcome outcome;
    outcome.diagnostics = "racecheck: " + error + "\n";
    return outcome;
  }
  return CheckSource(base::SourceFile(path, std::move(text)), options);
}

RunOutcome CheckSource(const base::SourceFile& file, const RunOptions& options) {
  RunOutcome outcome;
  const std::string& path = file.path();
  std::unique_ptr<ast::Model> model = Front(file, options, outcome);
  if (!model) return outcome;
  base::DiagnosticEngine diags(file);
  std::optional<ir::Program> program = ir::Lower(*model, file, diags);
  if (!program) {
    outcome.diagnostics = diags.Render();
    return outcome;
  }
  bool run_explicit = options.engine != "z3";
  bool run_z3 = options.engine != "explicit";
  if (run_explicit) {
    std::string refusal = ExplicitRefusal(*program);
    if (!refusal.empty()) {
      if (!run_z3) {
        outcome.diagnostics = fmt::format("racecheck: {}: {}\n", path, refusal);
        return outcome;
      }
      outcome.notes += fmt::format("racecheck: {}: {}; only the z3 engine ran\n", path, refusal);
      run_explicit = false;
    }
  }
  auto finish = [&](result::Report& report) {
    if (options.stable) {
      report.stats.seconds = 0;
      report.stats.peak_memory_bytes = 0;
      report.stats.solver_seconds = 0;
    }
    JudgeExpectation(program->expect, report);
  };
  if (run_explicit) {
    result::Report report = explore::Search(*program, options.search);
    finish(report);
    outcome.report = std::move(report);
  }
  if (run_z3) {
    SymbolicOutcome z3 = RunSymbolic(*program, options.symbolic);
    if (!z3.internal_error.empty()) {
      outcome.internal_error = z3.internal_error;
      return outcome;
    }
    if (!z3.model_error.empty()) {
      if (!outcome.report) {
        outcome.diagnostics = fmt::format("racecheck: {}: {}\n", path, z3.model_error);
        return outcome;
      }
      outcome.notes += fmt::format("racecheck: {}: {}; only the explicit engine ran\n", path, z3.model_error);
    } else {
      finish(z3.report);
      (outcome.report ? outcome.z3_report : outcome.report) = std::move(z3.report);
    }
  }
  if (outcome.report && outcome.z3_report) {
    Comparison comparison = CompareEngines(*outcome.report, *outcome.z3_report);
    outcome.comparison = comparison.text;
    outcome.disagree = comparison.compared && !comparison.agree;
  }
  return outcome;
}

}  // namespace racecheck::driver
