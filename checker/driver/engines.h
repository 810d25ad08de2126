// Where the two engines meet: the z3 engine's runs confirmed by the explicit engine's replay,
// the explicit engine's refusal of models it would have to enumerate for ever, and the
// comparison of their verdicts under --engine both.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/ir/program.h"
#include "checker/result/report.h"
#include "checker/result/schedule.h"
#include "checker/symbolic/symbolic.h"

namespace racecheck::driver {

// More initial states than this and the explicit engine refuses the model.
inline constexpr uint64_t kMaxExplicitInitialStates = 10'000'000;

// More initial states than this and --engine auto picks the z3 engine. Measured on
// bench/withdrawers_range.cr with MAX=3 (docs/performance.md): the explicit engine is faster at
// N=8 (26,244 initial states), the z3 engine at N=9 (78,732).
inline constexpr uint64_t kAutoZ3InitialStates = 50'000;

// How many initial states the parameters' ranges make: one per combination of values.
struct InitialStates {
  uint64_t states = 1;  // UINT64_MAX when past 64 bits
  double digits = 0;    // log10 of the product, for counts past 64 bits
  std::vector<std::string> ranges;  // "param amount in 1..100", one per range of more than one value
  // "4 initial states (param amount in 1..2 × param start in 0..1)"
  std::string Describe() const;
};
InitialStates CountInitialStates(const ir::Program& program);

// Empty when the explicit engine can take the model; else why not, suggesting --engine z3.
std::string ExplicitRefusal(const ir::Program& program);

// --engine auto: the engine to run first and why ("explicit", "2 initial states, at most ...").
struct AutoChoice {
  std::string engine;
  std::string reason;
};
AutoChoice ChooseEngine(const ir::Program& program);

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

// `all`: --all, under which the explicit engine reports every violated property and the z3
// engine still its first violation, which must then be among the explicit engine's.
Comparison CompareEngines(const result::Report& explicit_report, const result::Report& z3_report, bool all);

// A schedule in one line, for messages: "amount = 5; Withdraw[0], Withdraw[1] (choose 2), ...".
std::string DescribeSchedule(const ir::Program& program, const result::Schedule& schedule);

}  // namespace racecheck::driver
