#include "checker/symbolic/symbolic.h"

#include "checker/base/diagnostics.h"
#include "checker/ir/symmetry.h"
#include "checker/symbolic/engine.h"
#include "checker/symbolic/support.h"
#include "checker/symbolic/teardown.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

// Levels (run lengths) past this are not searched: the verdict is then inconclusive.
constexpr int32_t kMaxLevels = 5000;
// The levels before the bound on every run's length where the question whether a run goes on
// may go unanswered (SymbolicOptions::near_bound_conflicts): each one left unanswered costs
// the search one level more at most.
constexpr int32_t kNearBoundLevels = 2;

// The earlier of the caller's deadline and the engine's own --max-seconds.
base::Deadline RunDeadline(const SymbolicOptions& options) {
  base::Deadline own = base::Deadline::After(options.max_seconds);
  return own.at() < options.deadline.at() ? own : options.deadline;
}

// "512 KiB", "100 MiB", "1.5 GiB", as the explicit engine says its memory limit.
std::string FormatBytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", bytes / double(uint64_t{1} << 30));
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.0f} MiB", bytes / double(uint64_t{1} << 20));
  return fmt::format("{} KiB", (bytes + 1023) / 1024);
}

}  // namespace

Engine::Engine(const ir::Program& program, const SymbolicOptions& options)
    : program_(program),
      options_(options),
      terms_(ctx_, ArithmeticFor(program)),
      exprs_(program, terms_),
      layout_(program),
      // Bit vectors go to Z3's incremental bit-blasting solver; integers to its general one
      // (measured faster than its QF_LIA solver here: docs/z3-encoding.md).
      solver_(terms_.bit_vector() ? z3::solver(ctx_, "QF_BV") : z3::solver(ctx_)),
      watchdog_(ctx_, RunDeadline(options), options.max_memory_bytes),
      start_(Clock::now()) {
  // Ctrl-C is the CLI's (base::Interrupted; the watchdog interrupts the check): Z3 would
  // otherwise take SIGINT for itself during a check and leave the CLI none the wiser.
  solver_.set("ctrl_c", false);
  global_count_ = layout_.slot_count();
  bool sql = std::any_of(program.processes.begin(), program.processes.end(),
                         [](const ir::Process& p) { return p.db.txn >= 0; });
  victims_ = sql && program.instances.size() > 1;
}

SymbolicResult Engine::Run() {
  SymbolicResult result;
  try {
    Search(result);
  } catch (const z3::exception& e) {
    // Once interrupted, Z3 may refuse any work that looks at its interrupt (evaluating a term).
    RACECHECK_CHECK(watchdog_.reason() != StopReason::kNone, std::string("z3: ") + e.msg());
    result.witness.reset();
    result.covers_reached.clear();
    GaveUp(result, level_);
  }
  watchdog_.Stop();
  ClearProgress();
  return result;
}

void Engine::Finish(SymbolicResult& result, int32_t depth) {
  result::Stats& stats = result.report.stats;
  stats.depth = depth;
  stats.seconds = Elapsed();
  stats.solver_seconds = solver_seconds_;
  stats.solver_variables = terms_.variables();
  stats.solver_constraints = constraints_;
  stats.solver_conflicts = Conflicts();
}

void Engine::GaveUp(SymbolicResult& result, int32_t level) {
  std::string reason;
  switch (watchdog_.reason()) {
    case StopReason::kNone:
      reason = fmt::format("the solver gave up ({})", unknown_reason_);
      break;
    case StopReason::kDeadline:
      reason = options_.max_seconds > 0 ? fmt::format("stopped after {:g} seconds (--max-seconds)", options_.max_seconds)
                                        : std::string("stopped at the deadline (--max-seconds)");
      break;
    case StopReason::kInterrupted:
      reason = "interrupted";
      break;
    case StopReason::kMemory:
      reason = fmt::format("stopped at the memory limit of {} (--max-memory)", FormatBytes(watchdog_.max_memory_bytes()));
      break;
  }
  level = std::max(level, 0);
  Inconclusive(result, reason + fmt::format(" with runs of up to {} steps checked", level));
  Finish(result, level);
}

void Engine::Search(SymbolicResult& result) {
  result::Report& report = result.report;
  report.model = program_.name;
  report.file = program_.file;
  report.engine = "z3";
  report.properties = ir::CountProperties(program_);
  report.deadlock_checked = !program_.allow_deadlock;
  result.unsupported = UnsupportedConstruct(program_);
  // Under --engine both the explicit engine may have used up the time: then build nothing.
  if (result.unsupported.empty() && Stopped()) return GaveUp(result, 0);
  if (result.unsupported.empty()) {
    unrolled_ = Unroll(program_, options_.unroll);
    result.unsupported = unrolled_.problem;
  }
  if (result.unsupported.empty()) result.unsupported = Shapes();
  if (!result.unsupported.empty()) return;
  if (Stopped()) return GaveUp(result, 0);
  Leases();
  ReplicaCrashes();
  steps_encoder_ = std::make_unique<StepEncoder>(program_, unrolled_, layout_, terms_, exprs_);
  if (options_.symmetry) {
    for (ir::SymmetryGroup& group : ir::FindSymmetry(program_).groups) groups_.push_back(std::move(group.instances));
  }
  symmetric_ = groups_.empty() ? terms_.True() : terms_.Bool("symmetric");

  size_t property_count = program_.properties.size();
  std::vector<bool> covers_open(property_count, false);
  for (size_t k = 0; k < property_count; ++k) covers_open[k] = program_.properties[k].kind == ir::PropertyKind::kCover;
  std::vector<std::optional<result::Schedule>> cover_runs(property_count);
  bool bounded = !unrolled_.bounded_loop_lines.empty();
  bool bound_reached = false;
  // Whether some run ends with every instance done, where finals are looked at: until one is
  // found, each level asks (the explicit engine warns when none does; so does this one).
  bool finals_looked_at = std::none_of(program_.properties.begin(), program_.properties.end(),
                                       [](const ir::Property& p) { return p.kind == ir::PropertyKind::kFinal; });

  // Runs that reach a cover in `level` steps; each cover is looked for until it is reached.
  auto look_for_covers = [&](int32_t level) {
    PropertyTerms terms = Properties(level, {});
    for (size_t k = 0; k < property_count; ++k) {
      if (!covers_open[k]) continue;
      Answer a = Ask({symmetric_, terms.cover_reached[k]});
      if (a == Answer::kUnknown) return false;
      if (a == Answer::kYes) {
        // A run that must stop now may have been interrupted as the answer came.
        if (Stopped()) return false;
        covers_open[k] = false;
        cover_runs[k] = Extract(level);
      }
    }
    return true;
  };
  // A violating run of `level` steps, the shortest there is: a deadlock after them, or a step
  // that fails or breaks a property.
  auto found = [&](int32_t level, const z3::expr& bad) {
    Model();
    keep_models_ = true;
    Assert(bad);
    if (options_.breadth_first_order) {
      // Out of time part way, the run found so far is still a shortest one.
      bool ok = MinimizeParams();
      for (int32_t t = 0; ok && t < level; ++t) ok = MinimizeStep(t);
      // The state after the prefix is a deadlock, or has a violating step, or (only the
      // environment moving) both: then the step comes first, as its successor is checked
      // before Explorer::Expand reports the deadlock.
      if (ok && !TrueIn(Deadlock(level))) {
        MinimizeStep(level);
      } else if (ok && !leases_.empty()) {
        z3::expr step_bad = StepViolation(level, covers_open);
        Answer a = Ask({step_bad});
        if (a == Answer::kYes) {
          Assert(step_bad);
          MinimizeStep(level);
        }
      }
    }
    if (Stopped()) ClearInterrupt();
    bool deadlock = TrueIn(Deadlock(level)) && !TrueIn(StepViolation(level, covers_open));
    int32_t steps = deadlock ? level : level + 1;
    result.witness = Witness{Extract(steps), deadlock};
    report.verdict = deadlock ? result::Verdict::kDeadlock : result::Verdict::kViolation;
    Finish(result, steps);
    for (size_t k = 0; k < property_count; ++k) {
      if (cover_runs[k]) result.covers_reached.push_back({program_.properties[k].name, *cover_runs[k]});
    }
  };

  // Before any step: the parameters, and the initial states' properties.
  InitialFrame();
  {
    z3::expr bad = terms_.Or(init_problem_, Properties(0, covers_open).bad);
    if (!look_for_covers(0)) return GaveUp(result, 0);
    Answer a = Ask({symmetric_, bad});
    if (a == Answer::kUnknown) return GaveUp(result, 0);
    if (a == Answer::kYes) {
      Model();
      keep_models_ = true;
      Assert(bad);
      if (options_.breadth_first_order) MinimizeParams();
      if (Stopped()) ClearInterrupt();
      result.witness = Witness{Extract(0), false};
      report.verdict = result::Verdict::kViolation;
      Finish(result, 0);
      return;
    }
    Assert(terms_.Not(init_problem_));
  }

  int32_t longest_run = expiries_;
  for (const Shape& shape : shapes_) longest_run += shape.longest;
  int32_t level = 0;
  // The run the last question for a longer run found: the next question tries to extend it
  // first (docs/z3-encoding.md, "Levels").
  std::optional<z3::expr> last_run;
  // Whether a run as long as the search went is known to exist (else the search stopped at the
  // bound longest_run without asking).
  bool longest_known = true;
  // Without instances (a model of shared variables and properties alone) nobody moves: the
  // initial states are all there is.
  for (; Movers() > 0; ++level) {
    level_ = level;
    if (level >= kMaxLevels) {
      Inconclusive(result, fmt::format("runs longer than {} steps are not searched", kMaxLevels));
      Finish(result, level);
      return;
    }
    bool encoded = EncodeStep(level);
    if (!steps_encoder_->problem().empty()) {
      result.unsupported = steps_encoder_->problem();
      return;
    }
    if (!encoded) return GaveUp(result, level);
    ShowProgress(level, longest_run);
    // Covers first: a state at the end of a run is looked at before the reductions constrain the
    // step from it (after time passed, a finished request's idle move at this level counts as
    // independent of the passing and is forbidden, which hid the run's last state from covers).
    if (level > 0 && !look_for_covers(level)) return GaveUp(result, level);
    if (options_.reduce && level > 0 && Movers() > 1) Assert(Independent(level));
    if (!groups_.empty()) Assert(z3::implies(symmetric_, FirstMovesInOrder(level)));
    // Violations met while expanding the states of this level: a deadlock among them, a step
    // from them that fails, or a successor that breaks a property.
    z3::expr deadlock = Deadlock(level);
    z3::expr bad = terms_.Or(deadlock, StepViolation(level, covers_open));
    Answer a = Ask({symmetric_, bad});
    if (a == Answer::kUnknown) return GaveUp(result, level);
    if (a == Answer::kYes) {
      report.stopped_at_first = true;
      return found(level, bad);
    }
    // No run has a violation at this level (the symmetric runs stand for all), so this holds in
    // every run: as a lemma it tells the solver, at every later level, that the run so far broke
    // nothing (docs/z3-encoding.md, "Levels"). The initial states' properties are kept alike.
    Assert(terms_.Not(bad));
    if (!finals_looked_at) {
      z3::expr done = AllDone(level);
      Answer d = done.is_false() ? Answer::kNo : Ask({symmetric_, done});
      // Unanswered: no warning, rather than one that may be wrong.
      finals_looked_at = d != Answer::kNo;
    }
    if (bounded && !bound_reached) {
      z3::expr cut = terms_.False();
      const StepFrame& step = steps_[level];
      for (size_t i = 0; i < step.instances.size(); ++i) cut = terms_.Or(cut, terms_.And(Moves(level, i), step.instances[i].bounded));
      Answer c = Ask({symmetric_, cut});
      if (c == Answer::kUnknown) return GaveUp(result, level);
      bound_reached = c == Answer::kYes;
    }
    // From here on, runs take a real step at this level.
    z3::expr valid = terms_.False();
    const StepFrame& step = steps_[level];
    for (size_t i = 0; i < step.instances.size(); ++i) valid = terms_.Or(valid, terms_.And(Moves(level, i), step.instances[i].succeeded));
    Assert(valid);
    // No run is longer than the instances' longest runs and every expiry together: then there
    // is no need to ask (the solver can take long to see it when many leases may expire). Not
    // with tables: a SQL statement that waits part way may end a step where it began.
    if (program_.tables.empty() && level >= longest_run) break;
    // Most runs go on: one step more of the last run found is a question of propagation,
    // where a run of this length from scratch can take the solver seconds.
    Answer more = last_run ? Ask({symmetric_, *last_run}) : Answer::kNo;
    // Near the bound, the question from scratch may go unanswered: the violation questions of
    // the levels left cover those runs whether they exist or not, and a run that the bound
    // allows but few orders reach can take the solver longer to find than the rest of the check
    // (withdraw_redlock_fenced: 89,000 conflicts one level before the bound once, 68,000 two
    // levels before it another time). The report then gives the bound, not the longest run.
    bool near_bound = program_.tables.empty() && level + kNearBoundLevels >= longest_run;
    if (more == Answer::kNo) more = Ask({symmetric_}, near_bound ? options_.near_bound_conflicts : 0);
    if (more == Answer::kUnknown && near_bound && !Stopped()) {
      longest_known = false;
      last_run.reset();
      continue;
    }
    if (more == Answer::kUnknown) return GaveUp(result, level);
    if (more == Answer::kNo) break;
    if (Stopped()) return GaveUp(result, level);
    last_run = RunOfModel(level + 1);
  }

  // Every run ends within `level + 1` steps (or less), and none violates.
  int32_t longest = level;
  if (bound_reached) {
    // Runs that go round a loop more often were cut, not searched: a limit, so no verdict (an
    // unreached cover, too, may lie past the cut).
    Inconclusive(result, UnrollText());
    Finish(result, longest);
    return;
  }
  for (size_t k = 0; k < property_count; ++k) {
    if (cover_runs[k]) {
      result.covers_reached.push_back({program_.properties[k].name, *cover_runs[k]});
      continue;
    }
    if (program_.properties[k].kind != ir::PropertyKind::kCover) continue;
    result::Violation violation;
    violation.kind = result::ViolationKind::kCover;
    violation.property = program_.properties[k].name;
    violation.message = fmt::format("cover {} is never reached", violation.property);
    violation.line = program_.properties[k].range.begin.line;
    report.violations.push_back(std::move(violation));
  }
  report.verdict = report.violations.empty() ? result::Verdict::kSafe : result::Verdict::kViolation;
  if (!finals_looked_at && report.verdict == result::Verdict::kSafe) {
    for (const ir::Property& property : program_.properties) {
      if (property.kind != ir::PropertyKind::kFinal) continue;
      report.warnings.push_back({property.range.begin.line, property.range.begin.column,
                                 result::FinalNeverEvaluated(property.name, program_.allow_deadlock)});
    }
  }
  report.scope = Scope(longest, longest_known);
  Finish(result, longest);
}

SymbolicResult Check(const ir::Program& program, const SymbolicOptions& options) {
  std::shared_ptr<Engine> engine;
  try {
    engine = std::make_shared<Engine>(program, options);
  } catch (const z3::exception& e) {
    RACECHECK_CHECK(false, std::string("z3: ") + e.msg());
  }
  SymbolicResult result = engine->Run();
  // Z3 may take minutes to free what the run built; the report goes out now.
  FreeInBackground(std::move(engine));
  return result;
}

}  // namespace racecheck::symbolic
