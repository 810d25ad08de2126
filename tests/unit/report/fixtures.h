// Hand-built reports shared by the reporter tests: what an engine would return for small models.
#pragma once

#include "checker/result/report.h"

namespace racecheck::report::testing {

// Two Withdraw instances both read balance 100, then both write 20: a lost update.
inline result::Report LostUpdateReport() {
  result::Report report;
  report.model = "withdraw";
  report.file = "models/withdraw.cr";
  report.engine = "explicit";
  report.search = "bfs";
  report.verdict = result::Verdict::kViolation;
  report.properties = 2;
  report.stats = {.states = 47, .transitions = 112, .depth = 4, .seconds = 0, .peak_memory_bytes = 0};

  result::Violation violation;
  violation.kind = result::ViolationKind::kInvariant;
  violation.property = "conservation";
  violation.message = "balance + withdrawn == 100 is false";
  violation.line = 12;
  violation.values = {{"balance", "20"}, {"withdrawn", "160"}};
  const std::string write = "atomic {\n    balance = b - AMOUNT\n    withdrawn += AMOUNT\n  }";
  violation.trace = {
      {.number = 0, .process = "", .line = 0, .statement = "", .changes = {{"AMOUNT", "", "80"}}, .called_from = {}},
      {.number = 1, .process = "Withdraw[0]", .line = 7, .statement = "let b = balance", .changes = {{"b", "", "100"}}, .called_from = {}},
      {.number = 2, .process = "Withdraw[1]", .line = 7, .statement = "let b = balance", .changes = {{"b", "", "100"}}, .called_from = {}},
      {.number = 3,
       .process = "Withdraw[0]",
       .line = 8,
       .statement = write,
       .changes = {{"balance", "100", "20"}, {"withdrawn", "0", "80"}}, .called_from = {}},
      {.number = 4,
       .process = "Withdraw[1]",
       .line = 8,
       .statement = write,
       .changes = {{"balance", "20", "20"}, {"withdrawn", "80", "160"}}, .called_from = {}},
  };
  report.violations.push_back(violation);
  return report;
}

inline result::Report SafeReport() {
  result::Report report;
  report.model = "withdraw_locked";
  report.file = "models/withdraw_locked.cr";
  report.engine = "explicit";
  report.search = "bfs";
  report.verdict = result::Verdict::kSafe;
  report.properties = 3;
  report.stats = {.states = 47, .transitions = 112, .depth = 6, .seconds = 0, .peak_memory_bytes = 0};
  return report;
}

// Two transfers lock the same two rows in opposite orders.
inline result::Report DeadlockReport() {
  result::Report report;
  report.model = "transfer";
  report.file = "models/transfer.cr";
  report.engine = "explicit";
  report.search = "bfs";
  report.verdict = result::Verdict::kDeadlock;
  report.properties = 2;
  report.stats = {.states = 30, .transitions = 52, .depth = 2, .seconds = 0, .peak_memory_bytes = 0};
  result::Violation violation;
  violation.kind = result::ViolationKind::kDeadlock;
  violation.property = "deadlock";
  violation.message = "no process can move";
  violation.blocked = {"Transfer[0] waits for lock row[2] held by Transfer[1] (line 9)",
                       "Transfer[1] waits for lock row[1] held by Transfer[0] (line 9)"};
  violation.trace = {
      {.number = 1, .process = "Transfer[0]", .line = 8, .statement = "acquire row[from]",
       .changes = {{"row[1]", "free", "Transfer[0]"}}, .called_from = {}},
      {.number = 2, .process = "Transfer[1]", .line = 8, .statement = "acquire row[from]",
       .changes = {{"row[2]", "free", "Transfer[1]"}}, .called_from = {}},
  };
  report.violations.push_back(violation);
  return report;
}

inline result::Report InconclusiveReport() {
  result::Report report;
  report.model = "counter";
  report.file = "models/counter.cr";
  report.engine = "explicit";
  report.search = "bfs";
  report.verdict = result::Verdict::kInconclusive;
  report.properties = 1;
  report.inconclusive_reason = "stopped after 1000 states (--max-states)";
  report.stats = {.states = 1000, .transitions = 2890, .depth = 17, .seconds = 0, .peak_memory_bytes = 0};
  return report;
}

// The model says `expect safe`, but the engine found the lost update.
inline result::Report UnmetExpectationReport() {
  result::Report report = LostUpdateReport();
  report.expectation = {.declared = true, .met = false, .expected = "safe"};
  return report;
}

}  // namespace racecheck::report::testing
