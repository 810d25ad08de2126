// The CI formats on hand-built runs: what the golden files cannot reach (malformed UTF-8,
// control characters, paths with spaces) and how findings are judged.
#include <gtest/gtest.h>

#include <string>

#include "checker/report/findings.h"
#include "checker/report/github.h"
#include "checker/report/junit.h"
#include "checker/report/sarif.h"
#include "checker/report/xml.h"
#include "tests/unit/report/fixtures.h"

namespace racecheck::report {
namespace {

result::Run OneModel(const result::Report& report) {
  result::Run run;
  result::FileResult& file = run.files.emplace_back();
  file.file = report.file;
  file.reports = {report};
  file.properties = {{"conservation", "invariant", 12}, {"deadlock", "deadlock", 0}};
  return run;
}

TEST(XmlTest, EscapesMarkupControlsAndMalformedUtf8) {
  EXPECT_EQ(XmlEscape("a < b && c > \"d\"", true), "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
  EXPECT_EQ(XmlEscape("line\nnext\ttab", false), "line\nnext\ttab");
  EXPECT_EQ(XmlEscape("line\nnext\ttab", true), "line&#10;next&#9;tab");
  EXPECT_EQ(XmlEscape(std::string("nul\0bell\a", 9), false), "nul\xEF\xBF\xBD" "bell\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("bad \xff byte, cut \xE2\x86", false), "bad \xEF\xBF\xBD byte, cut \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("arrow \xE2\x86\x92 ok", false), "arrow \xE2\x86\x92 ok");
  // A UTF-16 surrogate encoded in UTF-8 is no character.
  EXPECT_EQ(XmlEscape("\xED\xA0\x80", false), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(SarifTest, PathsAreUriReferences) {
  EXPECT_EQ(PathUri("models/withdraw.cr"), "models/withdraw.cr");
  EXPECT_EQ(PathUri("my models/a%b.cr"), "my%20models/a%25b.cr");
}

TEST(SarifTest, ViolationAtItsPropertyLineWithItsRunAsACodeFlow) {
  std::string sarif = RenderSarif(OneModel(testing::LostUpdateReport()));
  EXPECT_NE(sarif.find("\"ruleId\": \"invariant\""), std::string::npos) << sarif;
  EXPECT_NE(sarif.find("\"level\": \"error\""), std::string::npos) << sarif;
  EXPECT_NE(sarif.find("\"startLine\": 12"), std::string::npos) << sarif;
  EXPECT_NE(sarif.find("\"text\": \"3 Withdraw[0]: atomic { balance = b - AMOUNT; withdrawn += AMOUNT } [balance 100 -> "
                       "20, withdrawn 0 -> 80]\""),
            std::string::npos)
      << sarif;
}

TEST(FindingsTest, AnExpectedViolationIsANote) {
  result::Report report = testing::LostUpdateReport();
  report.expectation = {.declared = true, .met = true, .expected = "violation conservation"};
  std::vector<Finding> findings = CollectFindings(OneModel(report));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].level, FindingLevel::kNote);
  EXPECT_EQ(findings[0].line, 12);
  report.expectation.met = false;
  EXPECT_EQ(CollectFindings(OneModel(report))[0].level, FindingLevel::kError);
}

TEST(FindingsTest, AnUnmetSafeExpectationAndAnInconclusiveSearch) {
  result::Report safe = testing::SafeReport();
  safe.expectation = {.declared = true, .met = false, .expected = "violation conservation"};
  std::vector<Finding> findings = CollectFindings(OneModel(safe));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "expectation_not_met");
  EXPECT_EQ(findings[0].line, 0);
  findings = CollectFindings(OneModel(testing::InconclusiveReport()));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "inconclusive");
  EXPECT_EQ(findings[0].level, FindingLevel::kWarning);
}

TEST(GithubTest, OneCommandPerFindingEscaped) {
  result::Run run = OneModel(testing::LostUpdateReport());
  result::FileResult& broken = run.files.emplace_back();
  broken.file = "models/a,b:c.cr";
  broken.status = result::FileStatus::kModelError;
  broken.diagnostics = {{"error", "models/a,b:c.cr", 3, 7, "100% wrong\nreally"}};
  std::string out = RenderGithub(run);
  EXPECT_EQ(out.rfind("::error file=models/withdraw.cr,line=12,title=racecheck%3A invariant conservation violated::"
                      "conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)%0A%0ATrace",
                      0),
            0u)
      << out;
  EXPECT_NE(out.find("\n::error file=models/a%2Cb%3Ac.cr,line=3,col=7,title=racecheck%3A model error::100%25 "
                     "wrong%0Areally\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\nracecheck: 2 files: 1 checked (1 without expectation), 1 with model errors\n"), std::string::npos)
      << out;
}

TEST(JunitTest, PropertiesAsTestCases) {
  std::string xml = RenderJunit(OneModel(testing::LostUpdateReport()));
  EXPECT_NE(xml.find("<testsuites name=\"racecheck\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"models.withdraw\" name=\"conservation\" file=\"models/withdraw.cr\" "
                     "line=\"12\">\n      <failure message=\"VIOLATION conservation: balance + withdrawn == 100 is "
                     "false (balance = 20, withdrawn = 160)\" type=\"invariant\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"models.withdraw\" name=\"no deadlock\" file=\"models/withdraw.cr\"/>"),
            std::string::npos)
      << xml;
  xml = RenderJunit(OneModel(testing::InconclusiveReport()));
  EXPECT_NE(xml.find("<skipped message=\"inconclusive: stopped after 1000 states (--max-states)\"/>"), std::string::npos)
      << xml;
}

}  // namespace
}  // namespace racecheck::report
