#include "checker/report/json.h"

#include <nlohmann/json.hpp>

#include "checker/report/summary.h"
#include "checker/report/verdict.h"

namespace racecheck::report {
namespace {

using Json = nlohmann::ordered_json;

// Absent text is null rather than "", so a consumer can test for it without knowing our habits.
Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json TraceJson(const std::vector<result::Step>& trace) {
  Json steps = Json::array();
  for (const auto& step : trace) {
    Json changes = Json::array();
    for (const auto& change : step.changes) {
      Json json = {{"name", change.name}, {"old", OrNull(change.old_value)}, {"new", change.new_value}};
      if (change.line > 0) json["line"] = change.line;
      changes.push_back(std::move(json));
    }
    Json json = {
        {"step", step.number},
        {"process", OrNull(step.process)},
        {"line", step.line > 0 ? Json(step.line) : Json(nullptr)},
        {"statement", OrNull(step.statement)},
        {"changes", std::move(changes)},
    };
    // Only a fn's statement has it, so traces without fns read as before.
    if (!step.called_from.empty()) {
      Json calls = Json::array();
      for (const auto& call : step.called_from) calls.push_back({{"fn", call.function}, {"line", call.line}});
      json["called_from"] = std::move(calls);
    }
    steps.push_back(std::move(json));
  }
  return steps;
}

Json ViolationJson(const result::Violation& violation) {
  Json values = Json::array();
  for (const auto& value : violation.values) values.push_back({{"name", value.name}, {"value", value.value}});
  return {
      {"kind", ViolationKindWord(violation.kind)},
      {"property", OrNull(violation.property)},
      {"message", violation.message},
      {"line", violation.line > 0 ? Json(violation.line) : Json(nullptr)},
      {"values", std::move(values)},
      {"blocked", violation.blocked},
      {"explanation", OrNull(violation.explanation)},
      {"trace", TraceJson(violation.trace)},
  };
}

Json ReportJson(const result::Report& report) {
  Json expectation = {
      {"declared", report.expectation.declared},
      {"expected", report.expectation.declared ? OrNull(report.expectation.expected) : Json(nullptr)},
      {"met", report.expectation.declared ? Json(report.expectation.met) : Json(nullptr)},
  };
  Json violations = Json::array();
  for (const auto& violation : report.violations) violations.push_back(ViolationJson(violation));
  Json covers = Json::array();
  for (const auto& cover : report.covers_reached) {
    covers.push_back({{"property", cover.property}, {"trace", TraceJson(cover.trace)}});
  }
  Json stats = {
      {"states", report.stats.states},
      {"transitions", report.stats.transitions},
      {"depth", report.stats.depth},
      {"seconds", report.stats.seconds},
      {"peak_memory_bytes", report.stats.peak_memory_bytes},
  };
  // Only where something waited or failed.
  if (report.stats.blocked_states > 0 || report.stats.failed_transactions > 0) {
    stats["costs"] = {
        {"blocked_states", report.stats.blocked_states},
        {"failed_transactions", report.stats.failed_transactions},
    };
  }
  // Only where partial-order reduction expanded some state by one instance's step alone.
  if (report.stats.reduced_expansions > 0) stats["reduced_expansions"] = report.stats.reduced_expansions;
  // Only where counted (the explicit engine, not in golden runs).
  if (report.stats.threads > 0) stats["threads"] = report.stats.threads;
  // Only engines that ask a solver report these (the z3 engine).
  if (report.stats.solver_variables > 0 || report.stats.solver_constraints > 0) {
    stats["solver"] = {
        {"variables", report.stats.solver_variables},
        {"constraints", report.stats.solver_constraints},
        {"conflicts", report.stats.solver_conflicts},
        {"seconds", report.stats.solver_seconds},
    };
  }
  Json root = {
      {"model", report.model},
      {"file", report.file},
      {"engine", report.engine},
      {"engine_choice", report.engine_choice},
      {"search", OrNull(report.search)},
      {"verdict", VerdictWord(report)},
      {"expectation", std::move(expectation)},
      {"properties", report.properties},
      {"inconclusive_reason", OrNull(report.inconclusive_reason)},
      {"scope", OrNull(report.scope)},
      {"violations", std::move(violations)},
      {"covers_reached", std::move(covers)},
      {"stats", std::move(stats)},
  };
  // Only engines that say what their verdict covers (the z3 engine) report a scope.
  if (report.scope.empty()) root.erase("scope");
  // Only --engine auto says why this engine answered.
  if (report.engine_choice.empty()) root.erase("engine_choice");
  // Only where the explicit engine kept one state per orbit of interchangeable instances.
  if (!report.symmetry.empty()) root["symmetry"] = report.symmetry;
  // And, with symmetry on, the processes of several instances it could not reduce.
  if (!report.symmetry_refused.empty()) {
    Json refused = Json::array();
    for (const result::SymmetryRefusal& refusal : report.symmetry_refused) {
      refused.push_back({{"instances", refusal.instances},
                         {"reason", refusal.reason},
                         {"line", refusal.line > 0 ? Json(refusal.line) : Json(nullptr)}});
    }
    root["symmetry_refused"] = std::move(refused);
  }
  return root;
}

const char* StatusWord(result::FileStatus status) {
  switch (status) {
    case result::FileStatus::kChecked:
      return "checked";
    case result::FileStatus::kModelError:
      return "model_error";
    case result::FileStatus::kNotChecked:
      return "not_checked";
  }
  return "not_checked";
}

Json FileJson(const result::FileResult& file) {
  Json diagnostics = Json::array();
  for (const auto& d : file.diagnostics) {
    diagnostics.push_back({
        {"severity", d.severity},
        {"file", d.file},
        {"line", d.line > 0 ? Json(d.line) : Json(nullptr)},
        {"column", d.line > 0 && d.column > 0 ? Json(d.column) : Json(nullptr)},
        {"message", d.message},
    });
  }
  Json properties = Json::array();
  for (const auto& p : file.properties) {
    properties.push_back({{"name", p.name}, {"kind", p.kind}, {"line", p.line > 0 ? Json(p.line) : Json(nullptr)}});
  }
  Json reports = Json::array();
  for (const auto& report : file.reports) reports.push_back(ReportJson(report));
  return {
      {"file", file.file},
      {"status", StatusWord(file.status)},
      {"diagnostics", std::move(diagnostics)},
      {"declared_properties", std::move(properties)},
      {"reports", std::move(reports)},
      {"engines_agree", file.engines_agree ? Json(*file.engines_agree) : Json(nullptr)},
  };
}

}  // namespace

std::string RenderJson(const result::Run& run) {
  RunCounts counts = CountRun(run);
  Json results = Json::array();
  for (const auto& file : run.files) results.push_back(FileJson(file));
  Json root = {
      {"schema_version", kJsonSchemaVersion},
      {"summary",
       {
           {"files", counts.files},
           {"checked", counts.checked},
           {"as_expected", counts.as_expected},
           {"not_as_expected", counts.not_as_expected},
           {"without_expectation", counts.without_expectation},
           {"model_errors", counts.model_errors},
           {"not_checked", counts.not_checked},
           {"engines_disagree", counts.engines_disagree},
       }},
      {"results", std::move(results)},
  };
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace racecheck::report
