#include "checker/report/sarif.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "checker/report/findings.h"
#include "checker/report/layout.h"

namespace racecheck::report {
namespace {

using Json = nlohmann::ordered_json;

std::string LevelWord(FindingLevel level) {
  switch (level) {
    case FindingLevel::kError:
      return "error";
    case FindingLevel::kWarning:
      return "warning";
    case FindingLevel::kNote:
      return "note";
  }
  return "error";
}

Json Location(const std::string& file, int line, int column) {
  Json region = {{"startLine", line > 0 ? line : 1}};
  if (line > 0 && column > 0) region["startColumn"] = column;
  return {{"physicalLocation", {{"artifactLocation", {{"uri", PathUri(file)}}}, {"region", std::move(region)}}}};
}

std::string StepText(const result::Step& step) {
  std::string changes;
  for (const auto& change : step.changes) {
    changes += (changes.empty() ? "" : ", ") +
               (change.old_value.empty() ? fmt::format("{} = {}", change.name, change.new_value)
                                         : fmt::format("{} {} -> {}", change.name, change.old_value, change.new_value));
  }
  if (step.process.empty()) return "initial state" + (changes.empty() ? "" : ": " + changes);
  std::string text = fmt::format("{} {}: {}", step.number, step.process, OneLine(step.statement));
  if (!step.called_from.empty()) text += " (" + result::LineText(step.line, step.called_from) + ")";
  if (!changes.empty()) text += " [" + changes + "]";
  return text;
}

// The run as one thread flow: SARIF's threads would lose the order between processes, which
// is the whole point of a race; each step names its process instead.
Json CodeFlow(const std::string& file, const result::Violation& violation) {
  Json locations = Json::array();
  for (const auto& step : violation.trace) {
    Json location = step.line > 0 ? Location(file, step.line, 0) : Json::object();
    location["message"] = {{"text", StepText(step)}};
    locations.push_back({{"location", std::move(location)}, {"executionOrder", step.number}});
  }
  return {{"message", {{"text", fmt::format("the run to the violation ({} steps)", violation.trace.empty() ? 0 : violation.trace.back().number)}}},
          {"threadFlows", Json::array({{{"locations", std::move(locations)}}})}};
}

}  // namespace

std::string PathUri(const std::string& path) {
  std::string uri;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

std::string RenderSarif(const result::Run& run) {
  const std::vector<RuleInfo>& rule_list = FindingRules();
  Json rules = Json::array();
  for (const auto& rule : rule_list) {
    rules.push_back({{"id", rule.id}, {"shortDescription", {{"text", rule.description}}}});
  }
  Json results = Json::array();
  for (const auto& finding : CollectFindings(run)) {
    size_t index = 0;
    while (index < rule_list.size() && rule_list[index].id != finding.rule) ++index;
    std::string text = finding.message;
    if (finding.violation != nullptr && !finding.violation->explanation.empty()) {
      text += ". " + finding.violation->explanation;
    }
    Json result = {
        {"ruleId", finding.rule},
        {"ruleIndex", index},
        {"level", LevelWord(finding.level)},
        {"message", {{"text", text}}},
        {"locations", Json::array({Location(finding.file, finding.line, finding.column)})},
    };
    if (finding.violation != nullptr && !finding.violation->trace.empty()) {
      result["codeFlows"] = Json::array({CodeFlow(finding.file, *finding.violation)});
    }
    results.push_back(std::move(result));
  }
  Json driver = {{"name", "racecheck"}};
  if (!run.stable && !run.version.empty()) driver["version"] = run.version;
  driver["rules"] = std::move(rules);
  Json root = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", Json::array({{{"tool", {{"driver", std::move(driver)}}},
                             {"columnKind", "unicodeCodePoints"},
                             {"results", std::move(results)}}})},
  };
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace racecheck::report
