#include "checker/symbolic/symbolic.h"

#include "checker/base/diagnostics.h"
#include "checker/symbolic/engine.h"
#include "checker/symbolic/support.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

// Levels (run lengths) past this are not searched: the verdict is then inconclusive.
constexpr int32_t kMaxLevels = 5000;

}  // namespace

SymbolicResult Engine::Run() {
  SymbolicResult result;
  result::Report& report = result.report;
  report.model = program_.name;
  report.file = program_.file;
  report.engine = "z3";
  report.properties = static_cast<int>(program_.properties.size()) + (program_.allow_deadlock ? 0 : 1);
  for (const ir::Process& process : program_.processes) {
    for (const ir::Instr& instr : process.code) report.properties += instr.op == ir::Op::kAssert;
  }
  result.unsupported = UnsupportedConstruct(program_);
  if (result.unsupported.empty()) {
    unrolled_ = Unroll(program_, options_.unroll);
    result.unsupported = unrolled_.problem;
  }
  if (result.unsupported.empty()) result.unsupported = Shapes();
  if (!result.unsupported.empty()) return result;
  Leases();
  steps_encoder_ = std::make_unique<StepEncoder>(program_, unrolled_, layout_, terms_, exprs_);
  groups_ = SymmetricGroups();
  symmetric_ = groups_.empty() ? terms_.True() : terms_.Bool("symmetric");

  auto finish = [&](int32_t depth) {
    report.stats.depth = depth;
    report.stats.seconds = Elapsed();
    report.stats.solver_seconds = solver_seconds_;
    report.stats.solver_variables = terms_.variables();
    report.stats.solver_constraints = constraints_;
  };
  auto gave_up = [&](int32_t level) {
    std::string reason = timed_out_ ? fmt::format("stopped after {:g} seconds (--max-seconds)", options_.max_seconds)
                                    : fmt::format("the solver gave up ({})", unknown_reason_);
    Inconclusive(result, reason + fmt::format(" with runs of up to {} steps checked", std::max(level, 0)));
    finish(std::max(level, 0));
    return result;
  };

  size_t property_count = program_.properties.size();
  std::vector<bool> covers_open(property_count, false);
  for (size_t k = 0; k < property_count; ++k) covers_open[k] = program_.properties[k].kind == ir::PropertyKind::kCover;
  std::vector<std::optional<result::Schedule>> cover_runs(property_count);
  bool bounded = !unrolled_.bounded_loop_lines.empty();
  bool bound_reached = false;

  // Runs that reach a cover in `level` steps; each cover is looked for until it is reached.
  auto look_for_covers = [&](int32_t level) {
    PropertyTerms terms = Properties(level, {});
    for (size_t k = 0; k < property_count; ++k) {
      if (!covers_open[k]) continue;
      Answer a = Ask({symmetric_, terms.cover_reached[k]});
      if (a == Answer::kUnknown) return false;
      if (a == Answer::kYes) {
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
    bool deadlock = TrueIn(Deadlock(level)) && !TrueIn(StepViolation(level, covers_open));
    int32_t steps = deadlock ? level : level + 1;
    result.witness = Witness{Extract(steps), deadlock};
    report.verdict = deadlock ? result::Verdict::kDeadlock : result::Verdict::kViolation;
    finish(steps);
    for (size_t k = 0; k < property_count; ++k) {
      if (cover_runs[k]) result.covers_reached.push_back({program_.properties[k].name, *cover_runs[k]});
    }
    return result;
  };

  // Before any step: the parameters, and the initial states' properties.
  InitialFrame();
  {
    z3::expr bad = terms_.Or(init_problem_, Properties(0, covers_open).bad);
    if (!look_for_covers(0)) return gave_up(0);
    Answer a = Ask({symmetric_, bad});
    if (a == Answer::kUnknown) return gave_up(0);
    if (a == Answer::kYes) {
      Model();
      keep_models_ = true;
      Assert(bad);
      if (options_.breadth_first_order) MinimizeParams();
      result.witness = Witness{Extract(0), false};
      report.verdict = result::Verdict::kViolation;
      finish(0);
      return result;
    }
    Assert(terms_.Not(init_problem_));
  }

  int32_t longest_run = expiries_;
  for (const Shape& shape : shapes_) longest_run += shape.longest;
  int32_t level = 0;
  for (;; ++level) {
    if (level >= kMaxLevels) {
      Inconclusive(result, fmt::format("runs longer than {} steps are not searched", kMaxLevels));
      finish(level);
      return result;
    }
    EncodeStep(level);
    ShowProgress(level, longest_run);
    if (!steps_encoder_->problem().empty()) {
      result.unsupported = steps_encoder_->problem();
      return result;
    }
    if (options_.reduce && level > 0 && Movers() > 1) Assert(Independent(level));
    if (options_.reduce && !groups_.empty()) Assert(z3::implies(symmetric_, FirstMovesInOrder(level)));
    if (level > 0 && !look_for_covers(level)) return gave_up(level);
    // Violations met while expanding the states of this level: a deadlock among them, a step
    // from them that fails, or a successor that breaks a property.
    z3::expr bad = terms_.Or(Deadlock(level), StepViolation(level, covers_open));
    Answer a = Ask({symmetric_, bad});
    if (a == Answer::kUnknown) return gave_up(level);
    if (a == Answer::kYes) return found(level, bad);
    if (bounded && !bound_reached) {
      z3::expr cut = terms_.False();
      const StepFrame& step = steps_[level];
      for (size_t i = 0; i < step.instances.size(); ++i) cut = terms_.Or(cut, terms_.And(Moves(level, i), step.instances[i].bounded));
      Answer c = Ask({symmetric_, cut});
      if (c == Answer::kUnknown) return gave_up(level);
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
    Answer more = Ask({symmetric_});
    if (more == Answer::kUnknown) return gave_up(level);
    if (more == Answer::kNo) break;
  }

  // Every run ends within `level + 1` steps (or less), and none violates.
  int32_t longest = level;
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
    report.violations.push_back(std::move(violation));
  }
  report.verdict = report.violations.empty() ? result::Verdict::kSafe : result::Verdict::kViolation;
  report.scope = Scope(longest, bound_reached);
  finish(longest);
  return result;
}


SymbolicResult Check(const ir::Program& program, const SymbolicOptions& options) {
  try {
    return Engine(program, options).Run();
  } catch (const z3::exception& e) {
    RACECHECK_CHECK(false, std::string("z3: ") + e.msg());
  }
}

}  // namespace racecheck::symbolic
