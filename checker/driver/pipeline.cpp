#include "checker/driver/pipeline.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "checker/ast/printer.h"
#include "checker/base/stop.h"
#include "checker/driver/engines.h"
#include "checker/driver/expectation.h"
#include "checker/driver/properties.h"
#include "checker/frontend/analyze.h"
#include "checker/frontend/parse.h"
#include "checker/ir/lower.h"
#include "fmt/format.h"

namespace racecheck::driver {

bool ReadFile(const std::string& path, std::string& text, std::string& error) {
  // Read with a bound: /dev/zero, a FIFO or a runaway log must end in an error, not in bad_alloc.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
    return false;
  }
  text.clear();
  char buffer[1 << 16];
  bool failed = false;
  while (text.size() <= frontend::kMaxModelBytes) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = fmt::format("cannot read {}: {}", path, std::strerror(errno));
      failed = true;
      break;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  ::close(fd);
  if (failed) return false;
  if (text.size() > frontend::kMaxModelBytes) {
    error = fmt::format("{} is larger than {} bytes, the most racecheck reads of a model (is this really a .cr model?)",
                        path, frontend::kMaxModelBytes);
    return false;
  }
  return true;
}

namespace {

// Reads and checks; on failure fills outcome.diagnostics and returns null.
std::unique_ptr<ast::Model> Front(const base::SourceFile& file, const RunOptions& options, RunOutcome& outcome) {
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, options.overrides, diags);
  AppendDiagnostics(diags, file.path(), outcome.messages);
  if (!model) {
    outcome.diagnostics = diags.Render();
  } else if (!diags.diagnostics().empty()) {
    // Warnings only: shown before the results, and the model runs.
    outcome.notes += diags.Render();
  }
  return model;
}

// An error or note about the file as a whole: for stderr as "racecheck: FILE: message", and as data.
void FileMessage(RunOutcome& outcome, const std::string& severity, const std::string& path, const std::string& message) {
  (severity == "error" ? outcome.diagnostics : outcome.notes) += fmt::format("racecheck: {}: {}\n", path, message);
  outcome.messages.push_back({severity, path, 0, 0, message});
}

// What the engine saw that its verdict does not say: on stderr as located warnings, and as data.
void EngineWarnings(const base::SourceFile& file, const result::Report& report, RunOutcome& outcome) {
  if (report.warnings.empty()) return;
  base::DiagnosticEngine diags(file);
  for (const result::EngineWarning& warning : report.warnings) {
    diags.Warning({warning.line, warning.column}, warning.message);
  }
  AppendDiagnostics(diags, file.path(), outcome.messages);
  outcome.notes += diags.Render();
}

// --engine z3 stopped before its search closed (a limit, or the solver gave up), on a model whose
// initial states the explicit engine enumerates: its states may be few where the z3 engine's runs
// are long (bench/oncall_serializable3.cr: 558 states, and z3 over 60 s), so say it may answer.
void SuggestExplicit(const ir::Program& program, const result::Report& z3, RunOutcome& outcome, const std::string& path) {
  if (z3.verdict != result::Verdict::kInconclusive || base::Interrupted()) return;
  AutoChoice choice = ChooseEngine(program);
  if (choice.engine != "explicit") return;
  FileMessage(outcome, "note", path,
              fmt::format("the z3 engine stopped before its search closed; the model has {}, which the explicit "
                          "engine enumerates: --engine explicit may answer (--engine auto picks by the initial states)",
                          CountInitialStates(program).Describe()));
}

// --engine auto: one engine, picked by the initial states (ChooseEngine); the other one when the
// first cannot take the model, or when the explicit engine stopped at its memory limit with time
// left. The report says which engine answered and why (Report::engine_choice).
void CheckAuto(const ir::Program& program, const explore::SearchOptions& search, const symbolic::SymbolicOptions& symbolic,
               const base::SourceFile& file, RunOutcome& outcome, const std::function<void(result::Report&)>& finish) {
  const std::string& path = file.path();
  AutoChoice choice = ChooseEngine(program);
  std::string why = choice.reason;
  // Runs the z3 engine; false when it cannot encode the model (then `z3_error` says what it lacks).
  std::string z3_error;
  auto run_z3 = [&](const std::string& reason) {
    SymbolicOutcome z3 = RunSymbolic(program, symbolic);
    if (!z3.internal_error.empty()) {
      outcome.internal_error = z3.internal_error;
      return true;
    }
    if (!z3.model_error.empty()) {
      z3_error = z3.model_error;
      return false;
    }
    z3.report.engine_choice = reason;
    EngineWarnings(file, z3.report, outcome);
    finish(z3.report);
    outcome.report = std::move(z3.report);
    return true;
  };
  if (choice.engine == "z3") {
    if (search.max_states != 0) {
      FileMessage(outcome, "note", path, "--max-states limits the explicit engine only; --engine auto picked the z3 engine");
    }
    if (run_z3(why)) return;
    std::string refusal = ExplicitRefusal(program);
    if (!refusal.empty()) {
      // Neither engine takes the model: a model error, which lists no properties.
      outcome.properties = {};
      FileMessage(outcome, "error", path, z3_error + "; " + refusal);
      return;
    }
    why = fmt::format("{}; but {}", choice.reason, z3_error);
  }
  result::Report report = explore::Search(program, search);
  EngineWarnings(file, report, outcome);
  // Stopped by the memory the explicit engine may take, with time left: the z3 engine stores no
  // states and may still answer. Any other stop (the deadline, --max-states, Ctrl-C) is the user's.
  if (choice.engine == "explicit" && report.verdict == result::Verdict::kInconclusive && search.max_states == 0 &&
      !search.deadline.passed() && !base::Interrupted()) {
    std::string reason = fmt::format("{}; the explicit engine stopped ({}), so the z3 engine ran", choice.reason,
                                     report.inconclusive_reason);
    if (run_z3(reason)) return;
  }
  report.engine_choice = why;
  finish(report);
  outcome.report = std::move(report);
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
    outcome.messages.push_back({"error", path, 0, 0, error});
    return outcome;
  }
  return CheckSource(base::SourceFile(path, std::move(text)), options);
}

RunOutcome CheckSource(const base::SourceFile& file, const RunOptions& options) {
  RunOutcome outcome;
  // --max-seconds bounds the model, both engines together: the z3 engine gets what is left.
  base::Deadline deadline = base::Deadline::After(options.search.max_seconds);
  explore::SearchOptions search = options.search;
  search.deadline = deadline;
  symbolic::SymbolicOptions symbolic = options.symbolic;
  symbolic.deadline = deadline;
  const std::string& path = file.path();
  std::unique_ptr<ast::Model> model = Front(file, options, outcome);
  if (!model) return outcome;
  base::DiagnosticEngine diags(file);
  std::optional<ir::Program> program = ir::Lower(*model, file, diags);
  AppendDiagnostics(diags, path, outcome.messages);
  if (!program) {
    outcome.diagnostics = diags.Render();
    return outcome;
  }
  // Warnings only: shown before the results, and the run goes on.
  if (!diags.diagnostics().empty()) outcome.notes = diags.Render() + outcome.notes;
  auto finish = [&](result::Report& report) {
    if (options.stable) {
      report.stats.seconds = 0;
      report.stats.peak_memory_bytes = 0;
      report.stats.threads = 0;
      report.stats.solver_seconds = 0;
    }
    JudgeExpectation(program->expect, report);
  };
  if (options.engine == "auto") {
    outcome.properties = ModelProperties(*program);
    CheckAuto(*program, search, symbolic, file, outcome, finish);
    return outcome;
  }
  bool run_explicit = options.engine != "z3";
  bool run_z3 = options.engine != "explicit";
  if (run_z3 && options.search.max_states != 0) {
    if (!run_explicit) {
      FileMessage(outcome, "error", path,
                  "--max-states counts the explicit engine's states; the z3 engine has none: use --max-seconds or "
                  "--max-memory");
      return outcome;
    }
    FileMessage(outcome, "note", path,
                "--max-states limits the explicit engine only; the z3 engine has no states to count");
  }
  if (run_explicit) {
    std::string refusal = ExplicitRefusal(*program);
    if (!refusal.empty()) {
      if (!run_z3) {
        FileMessage(outcome, "error", path, refusal);
        return outcome;
      }
      FileMessage(outcome, "note", path, refusal + "; only the z3 engine ran");
      run_explicit = false;
    }
  }
  outcome.properties = ModelProperties(*program);
  if (run_explicit) {
    result::Report report = explore::Search(*program, search);
    EngineWarnings(file, report, outcome);
    finish(report);
    outcome.report = std::move(report);
  }
  if (run_z3) {
    SymbolicOutcome z3 = RunSymbolic(*program, symbolic);
    if (!z3.internal_error.empty()) {
      outcome.internal_error = z3.internal_error;
      return outcome;
    }
    if (!z3.model_error.empty()) {
      if (!outcome.report) {
        FileMessage(outcome, "error", path, z3.model_error);
        return outcome;
      }
      FileMessage(outcome, "note", path, z3.model_error + "; only the explicit engine ran");
    } else {
      // Under --engine both the explicit engine's warnings stand for the two.
      if (!outcome.report) EngineWarnings(file, z3.report, outcome);
      finish(z3.report);
      if (options.engine == "z3") SuggestExplicit(*program, z3.report, outcome, path);
      (outcome.report ? outcome.z3_report : outcome.report) = std::move(z3.report);
    }
  }
  if (outcome.report && outcome.z3_report) {
    Comparison comparison = CompareEngines(*outcome.report, *outcome.z3_report, options.search.all);
    outcome.comparison = comparison.text;
    outcome.disagree = comparison.compared && !comparison.agree;
    if (comparison.compared) outcome.engines_agree = comparison.agree;
  }
  return outcome;
}

}  // namespace racecheck::driver
