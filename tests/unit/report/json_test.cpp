#include "checker/report/json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/unit/report/fixtures.h"

namespace racecheck::report {
namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

result::Run RunOf(std::vector<result::FileResult> files) {
  result::Run run;
  run.files = std::move(files);
  return run;
}

result::FileResult Checked(const result::Report& report) {
  result::FileResult file;
  file.file = report.file;
  file.reports = {report};
  return file;
}

// The report object of a run over one checked model.
Json ReportJson(const result::Report& report) {
  return Json::parse(RenderJson(RunOf({Checked(report)})))["results"][0]["reports"][0];
}

TEST(JsonTest, TopLevelKeysInFixedOrder) {
  const Json json = ReportJson((testing::LostUpdateReport()));
  EXPECT_EQ(Keys(json), (std::vector<std::string>{"model", "file", "engine", "search", "verdict", "expectation",
                                                   "properties", "inconclusive_reason", "violations", "covers_reached",
                                                   "stats"}));
  EXPECT_EQ(json["model"], "withdraw");
  EXPECT_EQ(json["file"], "models/withdraw.cr");
  EXPECT_EQ(json["engine"], "explicit");
  EXPECT_EQ(json["search"], "bfs");
  EXPECT_EQ(json["verdict"], "violation");
  EXPECT_EQ(json["properties"], 2);
  EXPECT_TRUE(json["inconclusive_reason"].is_null());
  EXPECT_EQ(Keys(json["stats"]),
            (std::vector<std::string>{"states", "transitions", "depth", "seconds", "peak_memory_bytes"}));
  EXPECT_EQ(json["stats"]["states"], 47);
  EXPECT_EQ(json["stats"]["transitions"], 112);
  EXPECT_EQ(json["stats"]["depth"], 4);
  EXPECT_EQ(json["stats"]["seconds"], 0.0);
  EXPECT_EQ(json["stats"]["peak_memory_bytes"], 0);
}

TEST(JsonTest, ViolationWithTrace) {
  const Json json = ReportJson((testing::LostUpdateReport()));
  ASSERT_EQ(json["violations"].size(), 1u);
  const Json& violation = json["violations"][0];
  EXPECT_EQ(Keys(violation),
            (std::vector<std::string>{"kind", "property", "message", "line", "values", "blocked", "explanation", "trace"}));
  EXPECT_EQ(violation["kind"], "invariant");
  EXPECT_EQ(violation["property"], "conservation");
  EXPECT_EQ(violation["message"], "balance + withdrawn == 100 is false");
  EXPECT_EQ(violation["line"], 12);
  EXPECT_EQ(violation["values"], Json::parse(R"([{"name": "balance", "value": "20"},
                                                 {"name": "withdrawn", "value": "160"}])"));
  EXPECT_EQ(violation["blocked"], Json::array());
  ASSERT_EQ(violation["trace"].size(), 5u);

  const Json& initial = violation["trace"][0];
  EXPECT_EQ(Keys(initial), (std::vector<std::string>{"step", "process", "line", "statement", "changes"}));
  EXPECT_EQ(initial, Json::parse(R"({"step": 0, "process": null, "line": null, "statement": null,
                                     "changes": [{"name": "AMOUNT", "old": null, "new": "80"}]})"));
  const Json& write = violation["trace"][3];
  EXPECT_EQ(write["step"], 3);
  EXPECT_EQ(write["process"], "Withdraw[0]");
  EXPECT_EQ(write["line"], 8);
  // The statement is the source text as written; only the text reporter puts it on one line.
  EXPECT_EQ(write["statement"], "atomic {\n    balance = b - AMOUNT\n    withdrawn += AMOUNT\n  }");
  EXPECT_EQ(write["changes"], Json::parse(R"([{"name": "balance", "old": "100", "new": "20"},
                                              {"name": "withdrawn", "old": "0", "new": "80"}])"));
  EXPECT_EQ(Keys(write["changes"][0]), (std::vector<std::string>{"name", "old", "new"}));
}

TEST(JsonTest, VerdictAndKindNames) {
  const Json deadlock = ReportJson((testing::DeadlockReport()));
  EXPECT_EQ(deadlock["verdict"], "deadlock");
  EXPECT_EQ(deadlock["violations"][0]["kind"], "deadlock");
  EXPECT_EQ(deadlock["violations"][0]["blocked"][1], "Transfer[1] waits for lock row[1] held by Transfer[0] (line 9)");
  EXPECT_EQ(ReportJson((testing::SafeReport()))["verdict"], "safe");

  const Json inconclusive = ReportJson((testing::InconclusiveReport()));
  EXPECT_EQ(inconclusive["verdict"], "inconclusive");
  EXPECT_EQ(inconclusive["inconclusive_reason"], "stopped after 1000 states (--max-states)");

  const std::vector<std::pair<result::ViolationKind, std::string>> kinds = {
      {result::ViolationKind::kInvariant, "invariant"}, {result::ViolationKind::kFinal, "final"},
      {result::ViolationKind::kAssert, "assert"},       {result::ViolationKind::kDeadlock, "deadlock"},
      {result::ViolationKind::kCover, "cover"},         {result::ViolationKind::kRuntimeError, "runtime_error"},
      {result::ViolationKind::kFailure, "unhandled_failure"}};
  for (const auto& [kind, name] : kinds) {
    result::Report report = testing::LostUpdateReport();
    report.violations[0].kind = kind;
    EXPECT_EQ(ReportJson((report))["violations"][0]["kind"], name);
  }
}

TEST(JsonTest, ExplanationIsTextOrNull) {
  result::Report report = testing::LostUpdateReport();
  EXPECT_EQ(ReportJson((report))["violations"][0]["explanation"], nullptr);
  report.violations[0].explanation = "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance";
  EXPECT_EQ(ReportJson((report))["violations"][0]["explanation"],
            "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance");
}

TEST(JsonTest, Expectation) {
  const Json none = ReportJson((testing::SafeReport()))["expectation"];
  EXPECT_EQ(none, Json::parse(R"({"declared": false, "expected": null, "met": null})"));
  EXPECT_EQ(Keys(none), (std::vector<std::string>{"declared", "expected", "met"}));

  const Json unmet = ReportJson((testing::UnmetExpectationReport()))["expectation"];
  EXPECT_EQ(unmet, Json::parse(R"({"declared": true, "expected": "safe", "met": false})"));
}

TEST(JsonTest, CoverWitnesses) {
  result::Report report = testing::SafeReport();
  report.covers_reached.push_back({.property = "both_read", .trace = testing::LostUpdateReport().violations[0].trace});
  const Json covers = ReportJson((report))["covers_reached"];
  ASSERT_EQ(covers.size(), 1u);
  EXPECT_EQ(Keys(covers[0]), (std::vector<std::string>{"property", "trace"}));
  EXPECT_EQ(covers[0]["trace"].size(), 5u);
}

TEST(JsonTest, MalformedUtf8IsReplacedNotFatal) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].trace[1].statement = "let b = \"\xff\"";
  const Json json = ReportJson((report));
  EXPECT_EQ(json["violations"][0]["trace"][1]["statement"], "let b = \"\xEF\xBF\xBD\"");
}

TEST(JsonTest, PrettyPrintedWithFinalNewline) {
  const std::string text = RenderJson(RunOf({Checked(testing::SafeReport())}));
  EXPECT_EQ(text.rfind("{\n  \"schema_version\": 2,\n  \"summary\": {\n", 0), 0u) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(JsonTest, OneShapeForEveryRun) {
  result::FileResult broken;
  broken.file = "models/bad.cr";
  broken.status = result::FileStatus::kModelError;
  broken.diagnostics = {{"error", "models/bad.cr", 5, 13, "'balanse' is not declared"},
                        {"error", "models/bad.cr", 0, 0, "cannot read models/bad.cr"}};
  result::FileResult later;
  later.file = "models/later.cr";
  later.status = result::FileStatus::kNotChecked;
  result::Report unmet = testing::UnmetExpectationReport();
  const Json json = Json::parse(RenderJson(RunOf({Checked(testing::LostUpdateReport()), broken, later, Checked(unmet)})));
  EXPECT_EQ(Keys(json), (std::vector<std::string>{"schema_version", "summary", "results"}));
  EXPECT_EQ(json["schema_version"], kJsonSchemaVersion);
  EXPECT_EQ(json["summary"], Json::parse(R"({"files": 4, "checked": 2, "as_expected": 0, "not_as_expected": 1,
                                             "without_expectation": 1, "model_errors": 1, "not_checked": 1,
                                             "engines_disagree": 0})"));
  ASSERT_EQ(json["results"].size(), 4u);
  EXPECT_EQ(Keys(json["results"][0]), (std::vector<std::string>{"file", "status", "diagnostics", "declared_properties",
                                                                 "reports", "engines_agree"}));
  EXPECT_EQ(json["results"][0]["status"], "checked");
  EXPECT_EQ(json["results"][1]["status"], "model_error");
  EXPECT_EQ(json["results"][1]["reports"], Json::array());
  EXPECT_EQ(json["results"][1]["diagnostics"],
            Json::parse(R"([{"severity": "error", "file": "models/bad.cr", "line": 5, "column": 13,
                             "message": "'balanse' is not declared"},
                            {"severity": "error", "file": "models/bad.cr", "line": null, "column": null,
                             "message": "cannot read models/bad.cr"}])"));
  EXPECT_EQ(json["results"][2]["status"], "not_checked");
  // One model is a run of one: the same object, not a bare report.
  const Json one = Json::parse(RenderJson(RunOf({Checked(testing::SafeReport())})));
  EXPECT_EQ(Keys(one), Keys(json));
  EXPECT_EQ(one["results"].size(), 1u);
}

TEST(JsonTest, EnginesAgreeAndDeclaredProperties) {
  result::FileResult both = Checked(testing::LostUpdateReport());
  result::Report z3 = testing::LostUpdateReport();
  z3.engine = "z3";
  both.reports.push_back(z3);
  both.engines_agree = false;
  both.properties = {{"conservation", "invariant", 12}, {"deadlock", "deadlock", 0}};
  const Json json = Json::parse(RenderJson(RunOf({both})));
  EXPECT_EQ(json["summary"]["engines_disagree"], 1);
  const Json& file = json["results"][0];
  EXPECT_EQ(file["engines_agree"], false);
  EXPECT_EQ(file["reports"].size(), 2u);
  EXPECT_EQ(file["reports"][1]["engine"], "z3");
  EXPECT_EQ(file["declared_properties"], Json::parse(R"([{"name": "conservation", "kind": "invariant", "line": 12},
                                                         {"name": "deadlock", "kind": "deadlock", "line": null}])"));
}

}  // namespace
}  // namespace racecheck::report
