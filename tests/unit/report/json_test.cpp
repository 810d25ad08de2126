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

TEST(JsonTest, TopLevelKeysInFixedOrder) {
  const Json json = Json::parse(RenderJson(testing::LostUpdateReport()));
  EXPECT_EQ(Keys(json), (std::vector<std::string>{"schema_version", "model", "file", "engine", "search", "verdict",
                                                   "expectation", "properties", "inconclusive_reason", "violations",
                                                   "covers_reached", "stats"}));
  EXPECT_EQ(json["schema_version"], 1);
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
  const Json json = Json::parse(RenderJson(testing::LostUpdateReport()));
  ASSERT_EQ(json["violations"].size(), 1u);
  const Json& violation = json["violations"][0];
  EXPECT_EQ(Keys(violation),
            (std::vector<std::string>{"kind", "property", "message", "values", "blocked", "explanation", "trace"}));
  EXPECT_EQ(violation["kind"], "invariant");
  EXPECT_EQ(violation["property"], "conservation");
  EXPECT_EQ(violation["message"], "balance + withdrawn == 100 is false");
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
  const Json deadlock = Json::parse(RenderJson(testing::DeadlockReport()));
  EXPECT_EQ(deadlock["verdict"], "deadlock");
  EXPECT_EQ(deadlock["violations"][0]["kind"], "deadlock");
  EXPECT_EQ(deadlock["violations"][0]["blocked"][1], "Transfer[1] waits for lock row[1] held by Transfer[0] (line 9)");
  EXPECT_EQ(Json::parse(RenderJson(testing::SafeReport()))["verdict"], "safe");

  const Json inconclusive = Json::parse(RenderJson(testing::InconclusiveReport()));
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
    EXPECT_EQ(Json::parse(RenderJson(report))["violations"][0]["kind"], name);
  }
}

TEST(JsonTest, ExplanationIsTextOrNull) {
  result::Report report = testing::LostUpdateReport();
  EXPECT_EQ(Json::parse(RenderJson(report))["violations"][0]["explanation"], nullptr);
  report.violations[0].explanation = "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance";
  EXPECT_EQ(Json::parse(RenderJson(report))["violations"][0]["explanation"],
            "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance");
}

TEST(JsonTest, Expectation) {
  const Json none = Json::parse(RenderJson(testing::SafeReport()))["expectation"];
  EXPECT_EQ(none, Json::parse(R"({"declared": false, "expected": null, "met": null})"));
  EXPECT_EQ(Keys(none), (std::vector<std::string>{"declared", "expected", "met"}));

  const Json unmet = Json::parse(RenderJson(testing::UnmetExpectationReport()))["expectation"];
  EXPECT_EQ(unmet, Json::parse(R"({"declared": true, "expected": "safe", "met": false})"));
}

TEST(JsonTest, CoverWitnesses) {
  result::Report report = testing::SafeReport();
  report.covers_reached.push_back({.property = "both_read", .trace = testing::LostUpdateReport().violations[0].trace});
  const Json covers = Json::parse(RenderJson(report))["covers_reached"];
  ASSERT_EQ(covers.size(), 1u);
  EXPECT_EQ(Keys(covers[0]), (std::vector<std::string>{"property", "trace"}));
  EXPECT_EQ(covers[0]["trace"].size(), 5u);
}

TEST(JsonTest, MalformedUtf8IsReplacedNotFatal) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].trace[1].statement = "let b = \"\xff\"";
  const Json json = Json::parse(RenderJson(report));
  EXPECT_EQ(json["violations"][0]["trace"][1]["statement"], "let b = \"\xEF\xBF\xBD\"");
}

TEST(JsonTest, PrettyPrintedWithFinalNewline) {
  const std::string text = RenderJson(testing::SafeReport());
  EXPECT_EQ(text.rfind("{\n  \"schema_version\": 1,\n  \"model\": \"withdraw_locked\",\n", 0), 0u) << text;
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace racecheck::report
