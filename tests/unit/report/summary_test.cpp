#include "checker/report/summary.h"

#include <gtest/gtest.h>

#include "checker/report/verdict.h"
#include "tests/unit/report/fixtures.h"

namespace racecheck::report {
namespace {

std::vector<result::Report> SeveralModels() {
  result::Report withdraw = testing::LostUpdateReport();
  withdraw.expectation = {.declared = true, .met = true, .expected = "violation conservation"};
  withdraw.stats.seconds = 0.0123;
  result::Report locked = testing::SafeReport();
  locked.expectation = {.declared = true, .met = true, .expected = "safe"};
  locked.stats.seconds = 0.5;
  result::Report transfer = testing::DeadlockReport();
  transfer.expectation = {.declared = true, .met = false, .expected = "safe"};
  transfer.stats.seconds = 12.25;
  result::Report counter = testing::InconclusiveReport();
  return {withdraw, locked, transfer, counter};
}

TEST(SummaryTest, WithoutTimes) {
  EXPECT_EQ(RenderSummary(SeveralModels(), false),
            "file                       model            verdict                 expected?  states\n"
            "models/withdraw.cr         withdraw         violation conservation  yes            47\n"
            "models/withdraw_locked.cr  withdraw_locked  safe                    yes            47\n"
            "models/transfer.cr         transfer         deadlock                NO             30\n"
            "models/counter.cr          counter          inconclusive            -            1000\n"
            "\n"
            "4 models: 2 as expected, 1 not, 1 without expectation\n");
}

TEST(SummaryTest, WithTimes) {
  EXPECT_EQ(RenderSummary(SeveralModels(), true),
            "file                       model            verdict                 expected?  states    time\n"
            "models/withdraw.cr         withdraw         violation conservation  yes            47  0.01 s\n"
            "models/withdraw_locked.cr  withdraw_locked  safe                    yes            47  0.50 s\n"
            "models/transfer.cr         transfer         deadlock                NO             30  12.2 s\n"
            "models/counter.cr          counter          inconclusive            -            1000       -\n"
            "\n"
            "4 models: 2 as expected, 1 not, 1 without expectation (12.8 s in all)\n");
}

TEST(SummaryTest, ClosingLine) {
  std::vector<result::Report> all_met = SeveralModels();
  all_met.resize(2);
  EXPECT_NE(RenderSummary(all_met, false).find("\n2 models: 2 as expected\n"), std::string::npos);

  std::vector<result::Report> none_declared = {testing::SafeReport()};
  EXPECT_NE(RenderSummary(none_declared, false).find("\n1 model: 1 without expectation\n"), std::string::npos);
}

TEST(SummaryTest, Rows) {
  const SummaryRow row = MakeSummaryRow(SeveralModels()[2]);
  EXPECT_EQ(row.file, "models/transfer.cr");
  EXPECT_EQ(row.model, "transfer");
  EXPECT_EQ(row.verdict, "deadlock");
  EXPECT_EQ(row.expected, "NO");
  EXPECT_EQ(row.states, 30u);
  EXPECT_EQ(row.seconds, 12.25);
}

TEST(VerdictTest, SummaryNamesEveryViolatedPropertyOnce) {
  result::Report report = testing::LostUpdateReport();
  report.violations.push_back(report.violations[0]);
  result::Violation runtime;
  runtime.kind = result::ViolationKind::kRuntimeError;
  runtime.message = "division by zero";
  report.violations.push_back(runtime);
  EXPECT_EQ(VerdictSummary(report), "violation conservation, runtime error");
  EXPECT_EQ(VerdictWord(report), "violation");
  EXPECT_EQ(VerdictSummary(testing::SafeReport()), "safe");
  EXPECT_EQ(VerdictSummary(testing::DeadlockReport()), "deadlock");
  EXPECT_EQ(VerdictSummary(testing::InconclusiveReport()), "inconclusive");
}

}  // namespace
}  // namespace racecheck::report
