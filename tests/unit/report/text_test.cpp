#include "checker/report/text.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "tests/unit/report/fixtures.h"

namespace racecheck::report {
namespace {

std::string StripAnsi(const std::string& text) { return std::regex_replace(text, std::regex("\x1b\\[[0-9;]*m"), ""); }

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(TextTest, LostUpdateViolation) {
  EXPECT_EQ(RenderText(testing::LostUpdateReport(), {}),
            "VIOLATION conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)\n"
            "\n"
            "Trace (4 steps):\n"
            "  0  (initial)                                                                  AMOUNT = 80\n"
            "  1  Withdraw[0]  line 7  let b = balance                                       b = 100\n"
            "  2  Withdraw[1]  line 7  let b = balance                                       b = 100\n"
            "  3  Withdraw[0]  line 8  atomic { balance = b - AMOUNT; withdrawn += AMOUNT }  balance 100 → 20\n"
            "                                                                                withdrawn 0 → 80\n"
            "  4  Withdraw[1]  line 8  atomic { balance = b - AMOUNT; withdrawn += AMOUNT }  balance 20 → 20\n"
            "                                                                                withdrawn 80 → 160\n"
            "\n"
            "Interleaving:\n"
            "     Withdraw[0]                     Withdraw[1]\n"
            "  1  let b = balance\n"
            "  2                                  let b = balance\n"
            "  3  atomic { balance = b - AMOUNT;\n"
            "       withdrawn += AMOUNT }\n"
            "  4                                  atomic { balance = b - AMOUNT;\n"
            "                                       withdrawn += AMOUNT }\n"
            "\n"
            "explored 47 states, 112 transitions, depth 4\n");
}

TEST(TextTest, Safe) {
  EXPECT_EQ(RenderText(testing::SafeReport(), {}),
            "SAFE: 3 properties hold in all 47 states (112 transitions)\n"
            "\n"
            "explored 47 states, 112 transitions, depth 6\n");
}

TEST(TextTest, Deadlock) {
  EXPECT_EQ(RenderText(testing::DeadlockReport(), {}),
            "DEADLOCK: no process can move (Transfer[0] waits for lock row[2] held by Transfer[1] (line 9); "
            "Transfer[1] waits for lock row[1] held by Transfer[0] (line 9))\n"
            "\n"
            "Blocked:\n"
            "  Transfer[0] waits for lock row[2] held by Transfer[1] (line 9)\n"
            "  Transfer[1] waits for lock row[1] held by Transfer[0] (line 9)\n"
            "\n"
            "Trace (2 steps):\n"
            "  1  Transfer[0]  line 8  acquire row[from]  row[1] free → Transfer[0]\n"
            "  2  Transfer[1]  line 8  acquire row[from]  row[2] free → Transfer[1]\n"
            "\n"
            "Interleaving:\n"
            "     Transfer[0]        Transfer[1]\n"
            "  1  acquire row[from]\n"
            "  2                     acquire row[from]\n"
            "\n"
            "explored 30 states, 52 transitions, depth 2\n");
}

TEST(TextTest, DeadlockHeadlineQuotesTwoBlockedProcessesTheListAll) {
  result::Report report = testing::DeadlockReport();
  report.violations[0].blocked.push_back("Audit[0] waits for lock row[1] held by Transfer[0] (line 20)");
  const std::string text = RenderText(report, {});
  EXPECT_EQ(FirstLine(text),
            "DEADLOCK: no process can move (Transfer[0] waits for lock row[2] held by Transfer[1] (line 9); "
            "Transfer[1] waits for lock row[1] held by Transfer[0] (line 9); 1 more)");
  EXPECT_NE(text.find("\n  Audit[0] waits for lock row[1] held by Transfer[0] (line 20)\n"), std::string::npos);
}

TEST(TextTest, Inconclusive) {
  EXPECT_EQ(RenderText(testing::InconclusiveReport(), {}),
            "INCONCLUSIVE: stopped after 1000 states (--max-states); nothing was violated in the 1000 states "
            "explored\n"
            "\n"
            "explored 1000 states, 2890 transitions, depth 17\n");
}

TEST(TextTest, MetExpectationIsMarkedOnTheVerdictLine) {
  result::Report violation = testing::LostUpdateReport();
  violation.expectation = {.declared = true, .met = true, .expected = "violation conservation"};
  EXPECT_EQ(FirstLine(RenderText(violation, {})),
            "VIOLATION (expected) conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)");

  result::Report safe = testing::SafeReport();
  safe.expectation = {.declared = true, .met = true, .expected = "safe"};
  EXPECT_EQ(FirstLine(RenderText(safe, {})), "SAFE (expected): 3 properties hold in all 47 states (112 transitions)");

  result::Report deadlock = testing::DeadlockReport();
  deadlock.expectation = {.declared = true, .met = true, .expected = "deadlock"};
  EXPECT_EQ(FirstLine(RenderText(deadlock, {})).rfind("DEADLOCK (expected): no process can move (", 0), 0u);
}

TEST(TextTest, UnmetExpectationIsTheSecondLine) {
  const std::string text = RenderText(testing::UnmetExpectationReport(), {});
  EXPECT_EQ(text.substr(0, text.find("\n\n")),
            "VIOLATION conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)\n"
            "EXPECTATION NOT MET: expected safe, found violation conservation");

  result::Report safe = testing::SafeReport();
  safe.expectation = {.declared = true, .met = false, .expected = "violation conservation"};
  EXPECT_NE(RenderText(safe, {}).find("\nEXPECTATION NOT MET: expected violation conservation, found safe\n"),
            std::string::npos);
}

TEST(TextTest, NoColourUnlessAsked) {
  for (const auto& report : {testing::LostUpdateReport(), testing::SafeReport(), testing::DeadlockReport(),
                             testing::InconclusiveReport(), testing::UnmetExpectationReport()}) {
    EXPECT_EQ(RenderText(report, {}).find('\x1b'), std::string::npos) << RenderText(report, {});
  }
}

TEST(TextTest, ColourMarksVerdictsAndLineNumbers) {
  const TextOptions color{.color = true};
  const std::string violation = RenderText(testing::UnmetExpectationReport(), color);
  EXPECT_EQ(violation.rfind("\x1b[1;31mVIOLATION\x1b[0m conservation: ", 0), 0u);
  EXPECT_NE(violation.find("\x1b[1;31mEXPECTATION NOT MET: expected safe, found violation conservation\x1b[0m\n"),
            std::string::npos);
  EXPECT_NE(violation.find("\x1b[2mline 7\x1b[0m"), std::string::npos);
  EXPECT_EQ(RenderText(testing::SafeReport(), color).rfind("\x1b[1;32mSAFE\x1b[0m: ", 0), 0u);
  EXPECT_EQ(RenderText(testing::DeadlockReport(), color).rfind("\x1b[1;31mDEADLOCK\x1b[0m: ", 0), 0u);
  EXPECT_EQ(RenderText(testing::InconclusiveReport(), color).rfind("\x1b[1;33mINCONCLUSIVE\x1b[0m: ", 0), 0u);
}

TEST(TextTest, ColourNeverShiftsAColumn) {
  for (const auto& report : {testing::LostUpdateReport(), testing::DeadlockReport(), testing::UnmetExpectationReport()}) {
    EXPECT_EQ(StripAnsi(RenderText(report, {.color = true})), RenderText(report, {}));
  }
}

TEST(TextTest, TimeAndMemoryOnlyWhenNonzero) {
  result::Report report = testing::SafeReport();
  report.stats.seconds = 0.0123;
  report.stats.peak_memory_bytes = 12 * 1024 * 1024;
  EXPECT_EQ(RenderText(report, {}),
            "SAFE: 3 properties hold in all 47 states (112 transitions, 0.01 s)\n"
            "\n"
            "explored 47 states, 112 transitions, depth 6, 0.01 s, 12.0 MiB peak memory\n");
}

TEST(TextTest, SingularCounts) {
  result::Report report = testing::SafeReport();
  report.properties = 1;
  report.stats = {.states = 1, .transitions = 1, .depth = 0, .seconds = 0, .peak_memory_bytes = 0};
  EXPECT_EQ(RenderText(report, {}),
            "SAFE: 1 property holds in the only state (1 transition)\n\nexplored 1 state, 1 transition, depth 0\n");
}

TEST(TextTest, CoverNeverReachedHasNoTrace) {
  result::Report report = testing::SafeReport();
  report.verdict = result::Verdict::kViolation;
  result::Violation cover;
  cover.kind = result::ViolationKind::kCover;
  cover.property = "both_read";
  cover.message = "cover both_read is never reached";
  // Whatever an engine attaches, a never-reached cover has no run to show.
  cover.trace = testing::LostUpdateReport().violations[0].trace;
  report.violations.push_back(cover);
  EXPECT_EQ(RenderText(report, {}),
            "VIOLATION both_read: cover both_read is never reached\n"
            "\n"
            "explored 47 states, 112 transitions, depth 6\n");
}

TEST(TextTest, TheExplanationIsTheLineUnderTheVerdict) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].explanation = "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance";
  const std::string text = RenderText(report, {});
  EXPECT_EQ(text.substr(0, text.find("\n\nTrace")),
            "VIOLATION conservation: balance + withdrawn == 100 is false (balance = 20, withdrawn = 160)\n"
            "lost update: Withdraw[1] overwrote Withdraw[0]'s update of balance");
}

TEST(TextTest, UnhandledFailureHeadline) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].kind = result::ViolationKind::kFailure;
  report.violations[0].property.clear();
  report.violations[0].values.clear();
  report.violations[0].message = "deadlock detected (40P01) in Transfer[0] at line 15, and nothing handles it";
  EXPECT_EQ(FirstLine(RenderText(report, {})),
            "VIOLATION unhandled failure: deadlock detected (40P01) in Transfer[0] at line 15, and nothing handles it");
}

TEST(TextTest, EveryViolationGetsItsOwnSection) {
  result::Report report = testing::LostUpdateReport();
  result::Violation overflow;
  overflow.kind = result::ViolationKind::kRuntimeError;
  overflow.message = "division by zero in b / count";
  overflow.trace = {{.number = 1, .process = "Audit[0]", .line = 12, .statement = "let avg = b / count", .changes = {}, .called_from = {}}};
  report.violations.push_back(overflow);
  const std::string text = RenderText(report, {});
  EXPECT_NE(text.find("\n\nVIOLATION runtime error: division by zero in b / count\n"
                      "\n"
                      "Trace (1 step):\n"
                      "  1  Audit[0]  line 12  let avg = b / count\n"
                      "\n"
                      "explored 47 states"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("Interleaving:"), text.rfind("Interleaving:")) << "one process moved: no interleaving";
}

TEST(TextTest, CoverTracesOnlyOnRequest) {
  result::Report report = testing::SafeReport();
  result::CoverWitness witness;
  witness.property = "both_read";
  witness.trace = testing::LostUpdateReport().violations[0].trace;
  witness.trace.resize(3);
  report.covers_reached.push_back(witness);
  EXPECT_EQ(RenderText(report, {}), RenderText(testing::SafeReport(), {}));
  EXPECT_EQ(RenderText(report, {.show_cover_traces = true}),
            "SAFE: 3 properties hold in all 47 states (112 transitions)\n"
            "\n"
            "cover both_read is reached (2 steps):\n"
            "  0  (initial)                             AMOUNT = 80\n"
            "  1  Withdraw[0]  line 7  let b = balance  b = 100\n"
            "  2  Withdraw[1]  line 7  let b = balance  b = 100\n"
            "\n"
            "Interleaving:\n"
            "     Withdraw[0]      Withdraw[1]\n"
            "  1  let b = balance\n"
            "  2                   let b = balance\n"
            "\n"
            "explored 47 states, 112 transitions, depth 6\n");
}

TEST(TextTest, LongStatementsWrapInTheStepTable) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].trace[1].statement = "let b = select balance from accounts where id = account_id and owner = user";
  const std::string text = RenderText(report, {});
  // Broken at the last space that fits in 60 columns, the rest indented under it.
  EXPECT_NE(text.find("line 7  let b = select balance from accounts where id = account_id  b = 100\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("\n                            and owner = user\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("…"), std::string::npos) << "nothing is cut: " << text;
}

TEST(TextTest, EachChangeOnItsOwnLineAndTableRowsTogether) {
  result::Report report = testing::LostUpdateReport();
  report.violations[0].trace[3].changes = {{"row lock accounts[1]", "free", "Withdraw[0]"},
                                           {"accounts[1].balance, uncommitted", "", "20"},
                                           {"accounts[1].version, uncommitted", "", "2"},
                                           {"Withdraw[1] waits for", "", "row lock accounts[1] held by Withdraw[0]"}};
  const std::string text = RenderText(report, {});
  EXPECT_NE(text.find("  row lock accounts[1] free → Withdraw[0]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  accounts[1]: balance = 20, version = 2 (uncommitted)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  Withdraw[1] waits for row lock accounts[1] held by Withdraw[0]\n"), std::string::npos) << text;
}

TEST(TextTest, EngineWithoutStateCounts) {
  result::Report report = testing::SafeReport();
  report.engine = "z3";
  report.stats = {.states = 0, .transitions = 0, .depth = 12, .seconds = 0, .peak_memory_bytes = 0};
  EXPECT_EQ(RenderText(report, {}), "SAFE: 3 properties hold\n\nsearched to depth 12\n");
  report.verdict = result::Verdict::kInconclusive;
  report.inconclusive_reason = "the solver answered unknown";
  EXPECT_EQ(FirstLine(RenderText(report, {})),
            "INCONCLUSIVE: the solver answered unknown; nothing was violated up to depth 12");
}

TEST(TextTest, SameReportSameText) {
  EXPECT_EQ(RenderText(testing::LostUpdateReport(), {}), RenderText(testing::LostUpdateReport(), {}));
}

}  // namespace
}  // namespace racecheck::report
