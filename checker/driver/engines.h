// Where the two engines meet: the z3 engine's runs confirmed by the explicit engine's replay,
// the explicit engine's refusal of models it would have to enumerate for ever, and the
// comparison of their verdicts under --engine both.
#pragma once

#include <cstdint>
#include <string>

#include "checker/ir/program.h"
#include "checker/result/report.h"
#include "checker/result/schedule.h"
#include "checker/symbolic/symbolic.h"

namespace racecheck::driver {

// More initial states than this and the explicit engine refuses the model.
inline constexpr uint64_t kMaxExplicitInitialStates = 10'000'000;

// Empty when the explicit engine can take the model; else why not, suggesting --engine z3.
std::string ExplicitRefusal(const ir::Program& program);

struct SymbolicOutcome {
  result::Report report;   // with violations and cover traces replayed by the explicit engine
  std::string model_error;     // the model uses what the z3 engine does not encode
  std::string internal_error;  // the replay did not confirm the solver's run: racecheck's bug
};

// Runs the z3 engine and has the explicit engine replay every run it reports.
SymbolicOutcome RunSymbolic(const ir::Program& program, const symbolic::SymbolicOptions& options);

struct Comparison {
  bool compared = false;  // both verdicts are conclusive
  bool agree = true;
  std::string text;       // "ENGINES AGREE: violation conservation", "ENGINES DISAGREE: ..."
};

Comparison CompareEngines(const result::Report& explicit_report, const result::Report& z3_report);

// A schedule in one line, for messages: "amount = 5; Withdraw[0], Withdraw[1] (choose 2), ...".
std::string DescribeSchedule(const ir::Program& program, const result::Schedule& schedule);

}  // namespace racecheck::driver
