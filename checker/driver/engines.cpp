#include "checker/driver/engines.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "checker/explore/eval.h"
#include "checker/explore/replay.h"
#include "checker/report/verdict.h"

namespace racecheck::driver {

InitialStates CountInitialStates(const ir::Program& program) {
  InitialStates initial;
  // Ranges multiply; stop counting once past 64 bits.
  unsigned __int128 states = 1;
  auto count = [&](int64_t lo, int64_t hi, const std::string& name) {
    if (hi < lo) return;
    unsigned __int128 size = static_cast<unsigned __int128>(hi - lo) + 1;
    if (size > 1) initial.ranges.push_back(fmt::format("{} in {}..{}", name, lo, hi));
    initial.digits += std::log10(static_cast<double>(size));
    states = states > (unsigned __int128)(UINT64_MAX) ? states : states * size;
  };
  for (const ir::Param& param : program.params) count(param.lo, param.hi, "param " + param.name);
  // Range parameters' bounds are constants (or use `self`): evaluate them as the initial states do.
  std::vector<ir::Value> state(program.slot_count, 0);
  for (const ir::Param& param : program.params) state[param.slot] = param.lo;
  explore::Evaluator eval(program);
  for (const ir::Instance& inst : program.instances) {
    for (const ir::ProcessParam& param : program.processes[inst.process].params) {
      if (!param.is_range) continue;
      explore::EvalContext context{state.data(), state.data() + inst.base_slot + 1, inst.self, inst.replica};
      int64_t lo = eval.Eval(param.lo_expr, context);
      int64_t hi = eval.Eval(param.hi_expr, context);
      if (eval.failed()) {
        eval.ClearFault();
        continue;
      }
      count(lo, hi, fmt::format("{}.{}", inst.display_name, param.name));
    }
  }
  initial.states = states > (unsigned __int128)(UINT64_MAX) ? UINT64_MAX : static_cast<uint64_t>(states);
  return initial;
}

std::string InitialStates::Describe() const {
  std::string number = states == UINT64_MAX ? fmt::format("about 10^{:.0f}", digits) : std::to_string(states);
  std::string what;
  for (size_t k = 0; k < ranges.size(); ++k) what += (k == 0 ? "" : " × ") + ranges[k];
  return what.empty() ? fmt::format("{} initial {}", number, states == 1 ? "state" : "states")
                      : fmt::format("{} initial states ({})", number, what);
}

std::string ExplicitRefusal(const ir::Program& program) {
  InitialStates initial = CountInitialStates(program);
  if (initial.states <= kMaxExplicitInitialStates) return "";
  return fmt::format(
      "the explicit engine would have to start from {}, one per combination of parameter values; it refuses more "
      "than {}. Use --engine z3, which checks every value at once, or narrow the ranges",
      initial.Describe(), kMaxExplicitInitialStates);
}

AutoChoice ChooseEngine(const ir::Program& program) {
  InitialStates initial = CountInitialStates(program);
  if (initial.states > kAutoZ3InitialStates) {
    return {"z3", fmt::format("{}, more than {}: the z3 engine checks every value at once", initial.Describe(),
                              kAutoZ3InitialStates)};
  }
  return {"explicit", fmt::format("{}, at most {}: the explicit engine enumerates them", initial.Describe(),
                                  kAutoZ3InitialStates)};
}

std::string DescribeSchedule(const ir::Program& program, const result::Schedule& schedule) {
  std::vector<std::string> parts;
  for (const result::ParamChoice& choice : schedule.params) {
    if (choice.instance < 0) {
      parts.push_back(fmt::format("{} = {}", program.params[choice.param].name, choice.value));
    } else {
      const ir::Instance& inst = program.instances[choice.instance];
      parts.push_back(fmt::format("{}.{} = {}", inst.display_name,
                                  program.processes[inst.process].params[choice.param].name, choice.value));
    }
  }
  std::string text;
  for (size_t k = 0; k < parts.size(); ++k) text += (k == 0 ? "" : ", ") + parts[k];
  if (!text.empty()) text += "; ";
  text += schedule.steps.empty() ? "no steps" : "steps:";
  for (size_t k = 0; k < schedule.steps.size(); ++k) {
    const result::ScheduleStep& step = schedule.steps[k];
    bool known = step.instance >= 0 && static_cast<size_t>(step.instance) < program.instances.size();
    text += step.instance == result::kEnvironment
                ? (step.replica >= 0   ? fmt::format(" replica {} crashes", step.replica)
                   : program.timed     ? fmt::format(" time passes {} ms", step.time)
                                       : std::string(" a lease expires"))
            : known                               ? " " + program.instances[step.instance].display_name
                                                  : fmt::format(" {}", step.instance);
    if (step.deadlock_victim) text += " (deadlock victim)";
    for (const result::Choice& choice : step.choices) text += fmt::format(" (choose at {}: {})", choice.pc, choice.value);
    if (k + 1 < schedule.steps.size()) text += ",";
  }
  return text;
}

SymbolicOutcome RunSymbolic(const ir::Program& program, const symbolic::SymbolicOptions& options) {
  SymbolicOutcome outcome;
  symbolic::SymbolicResult found = symbolic::Check(program, options);
  if (!found.unsupported.empty()) {
    outcome.model_error = fmt::format("the z3 engine does not encode {} yet; use --engine explicit", found.unsupported);
    return outcome;
  }
  outcome.report = std::move(found.report);
  if (found.witness) {
    // The solver's run counts only once the explicit engine has run it too.
    explore::ReplayResult replay = explore::Replay(program, found.witness->schedule);
    if (replay.interrupted) {
      // Ctrl-C during the replay: the solver's run is unconfirmed, so nothing is claimed.
      outcome.report.verdict = result::Verdict::kInconclusive;
      outcome.report.inconclusive_reason = "interrupted (Ctrl-C) while the explicit engine replayed the solver's run";
      return outcome;
    }
    std::string trouble = replay.problem;
    if (trouble.empty() && !replay.violation) trouble = "the run ends without a violation";
    if (trouble.empty() && (replay.violation->kind == result::ViolationKind::kDeadlock) != found.witness->deadlock) {
      trouble = fmt::format("the run ends in a {} where the solver found a {}",
                            found.witness->deadlock ? "violation" : "deadlock", found.witness->deadlock ? "deadlock" : "violation");
    }
    if (!trouble.empty()) {
      outcome.internal_error = fmt::format(
          "the z3 engine reports a {} in {} that the explicit engine does not confirm: {}\n  the run: {}",
          found.witness->deadlock ? "deadlock" : "violation", program.file, trouble,
          DescribeSchedule(program, found.witness->schedule));
      return outcome;
    }
    outcome.report.violations.insert(outcome.report.violations.begin(), std::move(*replay.violation));
  }
  for (const symbolic::CoverRun& cover : found.covers_reached) {
    explore::ReplayResult replay = explore::Replay(program, cover.schedule);
    if (replay.interrupted) {
      outcome.report.verdict = result::Verdict::kInconclusive;
      outcome.report.inconclusive_reason = "interrupted (Ctrl-C) while the explicit engine replayed a cover's run";
      return outcome;
    }
    // A run to a cover may end where nobody can move on: the cover still holds there.
    bool ends_clean = !replay.violation || replay.violation->kind == result::ViolationKind::kDeadlock;
    bool holds = replay.problem.empty() && ends_clean &&
                 std::find(replay.covers_holding.begin(), replay.covers_holding.end(), cover.property) !=
                     replay.covers_holding.end();
    if (!holds) {
      outcome.internal_error = fmt::format(
          "the z3 engine reaches cover {} in {} by a run the explicit engine does not confirm: {}\n  the run: {}",
          cover.property, program.file, replay.problem.empty() ? "the cover does not hold at its end" : replay.problem,
          DescribeSchedule(program, cover.schedule));
      return outcome;
    }
    outcome.report.covers_reached.push_back({cover.property, std::move(replay.trace)});
  }
  return outcome;
}

namespace {

// What tells two reported violations apart: the property (or the statement, for an assert,
// runtime error or failure) and, for runtime errors and failures, what went wrong.
std::string ViolationKey(const result::Violation& v) {
  bool detailed = v.kind == result::ViolationKind::kRuntimeError || v.kind == result::ViolationKind::kFailure;
  return fmt::format("{} {} {}{}", report::ViolationKindWord(v.kind), v.property, v.line, detailed ? " " + v.message : "");
}

std::vector<std::string> ViolationKeys(const result::Report& report) {
  std::vector<std::string> keys;
  for (const result::Violation& v : report.violations) {
    std::string key = ViolationKey(v);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  return keys;
}

// The report's violations whose keys are `wanted`, as the summary names them.
std::string Labels(const result::Report& report, const std::vector<std::string>& wanted) {
  std::vector<std::string> labels;
  for (const result::Violation& v : report.violations) {
    if (std::find(wanted.begin(), wanted.end(), ViolationKey(v)) == wanted.end()) continue;
    std::string label = report::ViolationLabel(v);
    if (v.kind == result::ViolationKind::kRuntimeError) label += " (" + v.message + ")";
    if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
  }
  return fmt::format("{}", fmt::join(labels, ", "));
}

}  // namespace

Comparison CompareEngines(const result::Report& explicit_report, const result::Report& z3_report, bool all) {
  Comparison comparison;
  if (explicit_report.verdict == result::Verdict::kInconclusive || z3_report.verdict == result::Verdict::kInconclusive) {
    comparison.text = fmt::format("engines not compared: the {} engine is inconclusive",
                                  explicit_report.verdict == result::Verdict::kInconclusive ? "explicit" : "z3");
    return comparison;
  }
  comparison.compared = true;
  comparison.agree = explicit_report.verdict == z3_report.verdict;
  if (comparison.agree && explicit_report.verdict == result::Verdict::kViolation) {
    // Under --all the z3 engine still stops at its first violation: say what each found.
    std::vector<std::string> ours = ViolationKeys(explicit_report), theirs = ViolationKeys(z3_report);
    std::vector<std::string> only_ours, only_theirs;
    for (const std::string& k : ours) {
      if (std::find(theirs.begin(), theirs.end(), k) == theirs.end()) only_ours.push_back(k);
    }
    for (const std::string& k : theirs) {
      if (std::find(ours.begin(), ours.end(), k) == ours.end()) only_theirs.push_back(k);
    }
    if (all && only_theirs.empty() && !only_ours.empty()) {
      comparison.text = fmt::format("ENGINES AGREE: violation {} (the explicit engine also found {}; the z3 engine "
                                    "stops at its first violation, --all or not)",
                                    Labels(z3_report, theirs), Labels(explicit_report, only_ours));
      return comparison;
    }
    if (all && !only_theirs.empty()) {
      // --all: every violated property is among the explicit engine's.
      comparison.agree = false;
      comparison.text = fmt::format("ENGINES DISAGREE: the z3 engine found violation {}, which the explicit engine "
                                    "(with --all) did not",
                                    Labels(z3_report, only_theirs));
      return comparison;
    }
    if (!only_theirs.empty()) {
      comparison.text = fmt::format("ENGINES AGREE on the verdict, violation: the explicit engine met {} first, the "
                                    "z3 engine {} (each stops at the first it meets; --all lists every one)",
                                    Labels(explicit_report, ours), Labels(z3_report, theirs));
      return comparison;
    }
  }
  if (comparison.agree) {
    comparison.text = fmt::format("ENGINES AGREE: {}", report::VerdictSummary(explicit_report));
    return comparison;
  }
  comparison.text = fmt::format("ENGINES DISAGREE: the explicit engine says {}, the z3 engine says {}",
                                report::VerdictSummary(explicit_report), report::VerdictSummary(z3_report));
  return comparison;
}

}  // namespace racecheck::driver
