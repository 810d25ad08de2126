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

result::Run RunOf(const std::vector<result::Report>& reports) {
  result::Run run;
  for (const auto& report : reports) {
    result::FileResult file;
    file.file = report.file;
    file.reports = {report};
    run.files.push_back(std::move(file));
  }
  return run;
}

TEST(SummaryTest, WithoutTimes) {
  EXPECT_EQ(RenderSummary(RunOf(SeveralModels()), false),
            "file                       model            verdict                 expected?  states\n"
            "models/withdraw.cr         withdraw         violation conservation  yes            47\n"
            "models/withdraw_locked.cr  withdraw_locked  safe                    yes            47\n"
            "models/transfer.cr         transfer         deadlock                NO             30\n"
            "models/counter.cr          counter          inconclusive            -            1000\n"
            "\n"
            "4 files: 4 checked (2 as expected, 1 not, 1 without expectation)\n");
}

TEST(SummaryTest, WithTimes) {
  EXPECT_EQ(RenderSummary(RunOf(SeveralModels()), true),
            "file                       model            verdict                 expected?  states    time\n"
            "models/withdraw.cr         withdraw         violation conservation  yes            47  0.01 s\n"
            "models/withdraw_locked.cr  withdraw_locked  safe                    yes            47  0.50 s\n"
            "models/transfer.cr         transfer         deadlock                NO             30  12.2 s\n"
            "models/counter.cr          counter          inconclusive            -            1000       -\n"
            "\n"
            "4 files: 4 checked (2 as expected, 1 not, 1 without expectation) (12.8 s in all)\n");
}

TEST(SummaryTest, ClosingLine) {
  std::vector<result::Report> all_met = SeveralModels();
  all_met.resize(2);
  EXPECT_NE(RenderSummary(RunOf(all_met), false).find("\n2 files: 2 checked (2 as expected)\n"), std::string::npos);

  std::vector<result::Report> none_declared = {testing::SafeReport()};
  EXPECT_NE(RenderSummary(RunOf(none_declared), false).find("\n1 file: 1 checked (1 without expectation)\n"),
            std::string::npos);
}

// Every file given is counted, and the broken ones have their row.
TEST(SummaryTest, ModelErrorsAndInterruptedFiles) {
  result::Run run = RunOf(SeveralModels());
  for (const char* name : {"models/bad.cr", "models/worse.cr"}) {
    result::FileResult broken;
    broken.file = name;
    broken.status = result::FileStatus::kModelError;
    run.files.push_back(broken);
  }
  result::FileResult later;
  later.file = "models/later.cr";
  later.status = result::FileStatus::kNotChecked;
  run.files.push_back(later);
  std::string summary = RenderSummary(run, false);
  EXPECT_NE(summary.find("models/bad.cr              -                model error                -               -\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("models/later.cr            -                not checked (interrupted)  -               -\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("\n7 files: 4 checked (2 as expected, 1 not, 1 without expectation), 2 with model errors, 1 "
                         "not checked (interrupted)\n"),
            std::string::npos)
      << summary;
  RunCounts counts = CountRun(run);
  EXPECT_EQ(counts.files, 7);
  EXPECT_EQ(counts.model_errors, 2);
  EXPECT_EQ(counts.not_checked, 1);

  result::Run only_broken;
  only_broken.files = {run.files[4]};
  EXPECT_NE(RenderSummary(only_broken, false).find("\n1 file: 0 checked, 1 with model errors\n"), std::string::npos);
}

// --engine both: one row per model with both verdicts, whether they agree, the explicit
// engine's states and each engine's time.
TEST(SummaryTest, BothEnginesOneRowPerModel) {
  result::Report explicit_report = testing::LostUpdateReport();
  explicit_report.stats.seconds = 0.5;
  result::Report z3 = testing::LostUpdateReport();
  z3.engine = "z3";
  z3.stats.states = 0;
  z3.stats.seconds = 2;
  result::FileResult file;
  file.file = explicit_report.file;
  file.reports = {explicit_report, z3};
  file.engines_agree = true;
  result::Run run;
  run.files = {file};
  EXPECT_EQ(RenderSummary(run, true),
            "file                model     explicit                z3                      agree?  expected?  states  "
            "explicit time  z3 time\n"
            "models/withdraw.cr  withdraw  violation conservation  violation conservation  yes     -              47  "
            "       0.50 s   2.00 s\n"
            "\n"
            "1 file: 1 checked (1 without expectation); the engines agree on 1 model (2.50 s in all)\n");
  run.files[0].engines_agree = false;
  EXPECT_NE(RenderSummary(run, false).find("the engines DISAGREE on 1 of 1\n"), std::string::npos);
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
