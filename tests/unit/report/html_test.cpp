#include "checker/report/html.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/report/fixtures.h"

namespace racecheck::report {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

result::Report LostUpdateWithLocals() {
  result::Report report = testing::LostUpdateReport();
  for (result::Step& step : report.violations[0].trace) {
    for (result::Change& change : step.changes) change.local = change.name == "b";
  }
  return report;
}

TEST(HtmlTest, OneLanePerProcessAndOneRowPerStep) {
  std::string page = RenderHtml({LostUpdateWithLocals()}, {}, /*stable=*/true);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(Count(page, "<tr data-step="), 5u);  // the initial choice and four steps
  EXPECT_NE(page.find("<th>Withdraw[0]</th><th>Withdraw[1]</th><th>shared state after the step</th>"), std::string::npos);
  // Each step's statement sits in its own process's lane only.
  EXPECT_EQ(Count(page, "<td class=\"act\">"), 4u);
  EXPECT_EQ(Count(page, "<td class=\"idle\"></td>"), 6u);  // the initial row has no actor
}

TEST(HtmlTest, SharedStateBesideEveryStepWithTheValueBeforeItsFirstChange) {
  std::string page = RenderHtml({LostUpdateWithLocals()}, {}, true);
  // Steps 1 and 2 only read: balance is still 100 there, the value before step 3 changed it.
  size_t step2 = page.find("<tr data-step=\"2\">");
  size_t step3 = page.find("<tr data-step=\"3\">");
  ASSERT_NE(step2, std::string::npos);
  std::string row2 = page.substr(step2, step3 - step2);
  EXPECT_NE(row2.find("<div>balance = 100</div>"), std::string::npos) << row2;
  EXPECT_NE(row2.find("<div>withdrawn = 0</div>"), std::string::npos) << row2;
  EXPECT_EQ(row2.find("b = 100</div>"), std::string::npos) << "a local is not shared state: " << row2;
  std::string row3 = page.substr(step3, page.find("<tr data-step=\"4\">") - step3);
  EXPECT_NE(row3.find("<div class=\"changed\">balance = 20</div>"), std::string::npos) << row3;
  EXPECT_NE(row3.find("<li class=\"write\">balance 100 \u2192 20</li>"), std::string::npos) << row3;
}

TEST(HtmlTest, EscapesModelTextAndListsModelErrors) {
  result::Report report = LostUpdateWithLocals();
  report.violations[0].trace[1].statement = "if a < b && c > d { x = \"<script>\" }";
  std::string page = RenderHtml({report}, {{"models/bad.cr", "models/bad.cr:3:5: error: <oops> & more\n"}}, true);
  EXPECT_NE(page.find("if a &lt; b &amp;&amp; c &gt; d { x = &quot;&lt;script&gt;&quot; }"), std::string::npos);
  EXPECT_EQ(page.find("\"<script>\""), std::string::npos);
  EXPECT_NE(page.find("models/bad.cr:3:5: error: &lt;oops&gt; &amp; more"), std::string::npos);
  EXPECT_NE(page.find("1 checked, 1 with a counterexample, 1 with model errors"), std::string::npos);
  EXPECT_EQ(Count(page, "<script>"), 1u) << "only the page's own script";
}

TEST(HtmlTest, StableLeavesOutTimes) {
  result::Report report = testing::SafeReport();
  report.stats.seconds = 1.25;
  EXPECT_EQ(RenderHtml({report}, {}, true).find("1.25 s"), std::string::npos);
  EXPECT_NE(RenderHtml({report}, {}, false).find("<td>1.25 s</td>"), std::string::npos);
}

}  // namespace
}  // namespace racecheck::report
