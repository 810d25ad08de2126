#include "checker/symbolic/engine.h"

#include <cstdio>
#include <numeric>

#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

bool IsNumeral(const z3::expr& e) {
  int64_t ignored = 0;
  return Terms::Numeral(e, &ignored);
}

}  // namespace

// The smallest value of `var` (a signed 32-bit term, at least `lo`) in a run that still
// violates, fixed for the rest of the search. False when the solver gave up.
bool Engine::MinimizeValue(const z3::expr& var, int64_t lo) {
  int64_t best = ValueOf(var);
  while (lo < best) {
    int64_t mid = lo + (best - lo) / 2;
    Answer a = Ask({var <= terms_.Slot(mid)});
    if (a == Answer::kUnknown) return false;
    if (a == Answer::kYes) {
      best = ValueOf(var);
    } else {
      lo = mid + 1;
    }
  }
  // The last model found has var == best (an unsat answer leaves it in place).
  Assert(var == terms_.Slot(best));
  return true;
}

bool Engine::MinimizeChoices(int32_t level, int32_t mover) {
  const std::vector<ChoicePoint>& choices = steps_[level].instances[mover].choices;
  std::vector<size_t> order(choices.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return choices[a].node < choices[b].node; });
  std::vector<bool> fixed(choices.size(), false);
  for (;;) {
    // The first choice the current run makes that is not fixed yet: fixing the earlier ones
    // decides which comes next.
    size_t next = choices.size();
    for (size_t k : order) {
      if (!fixed[k] && TrueIn(choices[k].taken)) {
        next = k;
        break;
      }
    }
    if (next == choices.size()) return true;
    fixed[next] = true;
    if (IsNumeral(choices[next].value)) continue;
    // The run so far is fixed, so the range's lower bound has one value.
    if (!MinimizeValue(choices[next].value, std::max<int64_t>(INT32_MIN, ValueOf(choices[next].lo)))) return false;
  }
}

// Breadth-first search meets the runs of one length in the order of their parameter values,
// then of the instance moving at each step and of its choices, all ascending. These fix the
// smallest of each in turn among the runs that still violate. False when the solver gave up.
bool Engine::MinimizeParams() {
  for (size_t p = 0; p < param_vars_.size(); ++p) {
    if (!IsNumeral(param_vars_[p]) && !MinimizeValue(param_vars_[p], program_.params[p].lo)) return false;
  }
  for (size_t i = 0; i < range_vars_.size(); ++i) {
    for (size_t p = 0; p < range_vars_[i].size(); ++p) {
      const z3::expr& var = range_vars_[i][p];
      if (IsNumeral(var)) continue;
      if (!MinimizeValue(var, std::max<int64_t>(INT32_MIN, ValueOf(range_lows_[i][p])))) return false;
    }
  }
  return true;
}

bool Engine::MinimizeStep(int32_t level) {
  size_t n = Movers();
  int64_t mover = MoverOf(level);
  for (int64_t candidate = 0; candidate < mover; ++candidate) {
    Answer a = Ask({Moves(level, static_cast<size_t>(candidate))});
    if (a == Answer::kUnknown) return false;
    if (a == Answer::kYes) {
      mover = candidate;
      break;
    }
  }
  if (n > 1) Assert(Moves(level, static_cast<size_t>(mover)));
  return MinimizeChoices(level, static_cast<int32_t>(mover));
}

z3::expr Engine::RunOfModel(int32_t steps) {
  z3::expr run = terms_.True();
  auto fix = [&](const z3::expr& var) {
    if (!IsNumeral(var)) run = terms_.And(run, var == terms_.Slot(ValueOf(var)));
  };
  for (const z3::expr& var : param_vars_) fix(var);
  for (const std::vector<z3::expr>& vars : range_vars_) {
    for (const z3::expr& var : vars) fix(var);
  }
  for (int32_t t = 0; t < steps; ++t) {
    int32_t mover = MoverOf(t);
    run = terms_.And(run, Moves(t, static_cast<size_t>(mover)));
    for (const ChoicePoint& choice : steps_[t].instances[mover].choices) {
      if (TrueIn(choice.taken)) fix(choice.value);
    }
  }
  return run;
}

result::Schedule Engine::Extract(int32_t steps) {
  result::Schedule schedule;
  for (size_t p = 0; p < param_vars_.size(); ++p) {
    schedule.params.push_back({-1, static_cast<int32_t>(p), static_cast<int32_t>(ValueOf(param_vars_[p]))});
  }
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Process& process = program_.processes[program_.instances[i].process];
    for (size_t p = 0; p < process.params.size(); ++p) {
      if (!process.params[p].is_range) continue;
      schedule.params.push_back(
          {static_cast<int32_t>(i), static_cast<int32_t>(p), static_cast<int32_t>(ValueOf(range_vars_[i][p]))});
    }
  }
  for (int32_t t = 0; t < steps; ++t) {
    result::ScheduleStep step;
    int32_t mover = MoverOf(t);
    if (IsEnvironment(static_cast<size_t>(mover))) {
      step.instance = result::kEnvironment;
      int64_t chosen = ValueOf(steps_[t].instances[mover].choices.at(0).value);
      if (static_cast<size_t>(mover) == ReplicaCrashMover() && program_.replica_crash_bound > 0) {
        step.replica = static_cast<int32_t>(chosen);
      } else if (program_.timed) {
        step.time = static_cast<int32_t>(chosen);
      } else {
        step.expiry = leases_[chosen];
      }
      schedule.steps.push_back(std::move(step));
      continue;
    }
    auto n = static_cast<int32_t>(program_.instances.size());
    step.instance = mover % n;
    step.deadlock_victim = mover >= n;
    std::vector<const ChoicePoint*> taken;
    for (const ChoicePoint& choice : steps_[t].instances[mover].choices) {
      if (TrueIn(choice.taken)) taken.push_back(&choice);
    }
    std::stable_sort(taken.begin(), taken.end(), [](const ChoicePoint* a, const ChoicePoint* b) { return a->node < b->node; });
    for (const ChoicePoint* choice : taken) {
      step.choices.push_back({choice->pc, static_cast<int32_t>(ValueOf(choice->value))});
    }
    schedule.steps.push_back(std::move(step));
  }
  return schedule;
}

std::string Engine::UnrollText() const {
  std::string lines;
  for (size_t k = 0; k < unrolled_.bounded_loop_lines.size(); ++k) {
    lines += (k == 0 ? "" : ", ") + std::to_string(unrolled_.bounded_loop_lines[k]);
  }
  return fmt::format("runs that go round the {} at line{} {} more than {} times were not searched (--unroll {}: "
                     "raise it, or use --engine explicit)",
                     unrolled_.bounded_loop_lines.size() == 1 ? "loop" : "loops",
                     unrolled_.bounded_loop_lines.size() == 1 ? "" : "s", lines, options_.unroll, options_.unroll);
}

std::string Engine::Scope(int32_t levels, bool levels_known) const {
  std::string scope = fmt::format("every interleaving of every run ({} {} {})",
                                  levels_known ? "the longest has" : "none has more than", levels,
                                  levels == 1 ? "step" : "steps");
  std::vector<std::string> params;
  for (const ir::Param& param : program_.params) {
    if (param.lo != param.hi) params.push_back(fmt::format("{} in {}..{}", param.name, param.lo, param.hi));
  }
  for (const ir::Instance& inst : program_.instances) {
    for (const ir::ProcessParam& param : program_.processes[inst.process].params) {
      if (param.is_range) params.push_back(fmt::format("{}.{}", inst.display_name, param.name));
    }
  }
  if (!params.empty()) {
    scope += " and every value of ";
    for (size_t k = 0; k < params.size(); ++k) {
      scope += (k == 0 ? "" : k + 1 == params.size() ? " and " : ", ") + params[k];
    }
  }
  return scope;
}

void Engine::Inconclusive(SymbolicResult& result, const std::string& reason) {
  result.report.verdict = result::Verdict::kInconclusive;
  result.report.inconclusive_reason = reason;
}

void Engine::ClearProgress() {
  if (progress_shown_) std::fputs("\r\x1b[K", stderr);  // the report replaces the progress line
  progress_shown_ = false;
}

void Engine::ShowProgress(int32_t level, int32_t longest_run) {
  if (!options_.progress) return;
  // Without tables the instances' code bounds the runs; a SQL statement may wait part way.
  std::string bound = program_.tables.empty() ? fmt::format(" of at most {}", longest_run) : "";
  std::fprintf(stderr, "\rracecheck z3: depth %d%s, %llu variables, %llu constraints, %.0f s\x1b[K", level,
               bound.c_str(), static_cast<unsigned long long>(terms_.variables()),
               static_cast<unsigned long long>(constraints_), Elapsed());
  std::fflush(stderr);
  progress_shown_ = true;
}

}  // namespace racecheck::symbolic
