// The model's runs as constrained Horn clauses, for Z3's Spacer engine: a proof that no run of
// any length reaches a violation, without unrolling to the longest run. Design:
// docs/z3-encoding.md, "Horn clauses".
#include <cctype>
#include <cstdlib>
#include <string>
#include <set>

#include "checker/base/diagnostics.h"
#include "checker/symbolic/engine.h"
#include "checker/symbolic/teardown.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

// The uninterpreted constants of `e` (the clause's variables), each once, in the order met.
void CollectConstants(const z3::expr& e, std::set<unsigned>& seen, z3::expr_vector& out) {
  if (!seen.insert(e.id()).second) return;
  if (e.is_app()) {
    if (e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_UNINTERPRETED && e.decl().name().str() != "horn_error") {
      out.push_back(e);
      return;
    }
    for (unsigned k = 0; k < e.num_args(); ++k) CollectConstants(e.arg(k), seen, out);
  } else if (e.is_quantifier()) {
    CollectConstants(e.body(), seen, out);
  }
}

// `body => head` for every value of its constants.
z3::expr Clause(z3::context& ctx, const z3::expr& body, const z3::expr& head) {
  z3::expr rule = z3::implies(body, head);
  std::set<unsigned> seen;
  z3::expr_vector vars(ctx);
  CollectConstants(rule, seen, vars);
  return vars.empty() ? rule : z3::forall(vars, rule);
}

z3::expr All(z3::context& ctx, const std::vector<z3::expr>& conditions) {
  z3::expr_vector v(ctx);
  for (const z3::expr& c : conditions) v.push_back(c);
  return z3::mk_and(v);
}

}  // namespace

Answer Engine::NoViolationReachable() {
  auto horn = std::make_shared<Engine>(program_, options_, true);
  Answer answer = horn->HornQuery();
  horn->watchdog_.Stop();
  FreeInBackground(std::move(horn));
  return answer;
}

Answer Engine::HornQuery() {
  unrolled_ = Unroll(program_, options_.unroll);
  if (!unrolled_.problem.empty() || !Shapes().empty() || Stopped()) return Answer::kUnknown;
  Leases();
  ReplicaCrashes();
  steps_encoder_ = std::make_unique<StepEncoder>(program_, unrolled_, layout_, terms_, exprs_);

  // Every cover counts as open: its runtime error is then a violation wherever it comes, which
  // asks more than the search does (a proof of this is a proof of that).
  std::vector<bool> covers_open(program_.properties.size(), false);
  for (size_t k = 0; k < covers_open.size(); ++k) covers_open[k] = program_.properties[k].kind == ir::PropertyKind::kCover;

  std::vector<z3::expr> init_constraints;
  captured_ = &init_constraints;
  InitialFrame();
  z3::expr init_bad = terms_.Or(init_problem_, Properties(0, covers_open).bad);
  Frame init = frames_[0];

  // The state before the step: an unknown for every slot, position and local.
  Frame now;
  for (size_t g = 0; g < init.globals.size(); ++g) {
    now.globals.push_back(ctx_.constant(fmt::format("h_g{}", g).c_str(), init.globals[g].get_sort()));
  }
  for (size_t i = 0; i < init.pcs.size(); ++i) {
    now.pcs.push_back(ctx_.constant(fmt::format("h_pc{}", i).c_str(), init.pcs[i].get_sort()));
    now.locals.emplace_back();
    for (size_t l = 0; l < init.locals[i].size(); ++l) {
      now.locals[i].push_back(ctx_.constant(fmt::format("h_l{}_{}", i, l).c_str(), init.locals[i][l].get_sort()));
    }
  }
  frames_ = {now};
  // A replica crash resets memory to its initial values, which may use the params: the state's.
  z3::expr_vector params(ctx_), param_slots(ctx_);
  for (size_t p = 0; p < param_vars_.size(); ++p) {
    if (param_vars_[p].is_numeral()) continue;
    params.push_back(param_vars_[p]);
    param_slots.push_back(now.globals[program_.params[p].slot]);
  }
  for (z3::expr& g : initial_globals_) g = params.empty() ? g : g.substitute(params, param_slots);
  if (const char* depth = std::getenv("RACECHECK_KIND")) {
    // Measurement only: k-induction's step case from the unknown state, in this engine's solver.
    captured_ = nullptr;
    int32_t k = std::atoi(depth);
    z3::expr last = terms_.False();
    for (int32_t level = 0; level <= k; ++level) {
      if (!EncodeStep(level) || !steps_encoder_->problem().empty()) return Answer::kUnknown;
      z3::expr level_bad = terms_.Or(Deadlock(level), StepViolation(level, covers_open));
      if (level == k) {
        last = level_bad;
        break;
      }
      Assert(terms_.Not(level_bad));
      z3::expr real = terms_.False();
      for (size_t m = 0; m < steps_[level].instances.size(); ++m) {
        real = terms_.Or(real, terms_.And(Moves(level, m), steps_[level].instances[m].succeeded));
      }
      Assert(real);
    }
    Answer a = Ask({last});
    fmt::print(stderr, "k-induction k={}: {}\n", k, a == Answer::kNo ? "proved" : a == Answer::kYes ? "counterexample to induction" : "unknown");
    return a == Answer::kNo ? Answer::kNo : Answer::kUnknown;
  }
  std::vector<z3::expr> step_constraints;
  captured_ = &step_constraints;
  bool encoded = EncodeStep(0);
  captured_ = nullptr;
  if (!encoded || !steps_encoder_->problem().empty()) return Answer::kUnknown;
  z3::expr bad = terms_.Or(Deadlock(0), StepViolation(0, covers_open));
  z3::expr valid = terms_.False();
  for (size_t m = 0; m < steps_[0].instances.size(); ++m) {
    valid = terms_.Or(valid, terms_.And(Moves(0, m), steps_[0].instances[m].succeeded));
  }
  const Frame& next = frames_[1];

  // The state: what a step may change, and what starts unknown. A slot no step writes and that
  // starts as a number is that number.
  std::vector<z3::expr> state_now, state_next, state_init;
  z3::expr_vector fixed(ctx_), fixed_value(ctx_);
  auto add = [&](const z3::expr& a, const z3::expr& b, const z3::expr& i) {
    if (z3::eq(a, b) && (i.is_numeral() || i.is_true() || i.is_false())) {
      fixed.push_back(a);
      fixed_value.push_back(i);
      return;
    }
    state_now.push_back(a);
    state_next.push_back(b);
    state_init.push_back(i);
  };
  for (size_t g = 0; g < now.globals.size(); ++g) add(now.globals[g], next.globals[g], init.globals[g]);
  for (size_t i = 0; i < now.pcs.size(); ++i) {
    add(now.pcs[i], next.pcs[i], init.pcs[i]);
    for (size_t l = 0; l < now.locals[i].size(); ++l) add(now.locals[i][l], next.locals[i][l], init.locals[i][l]);
  }
  auto fix = [&](const z3::expr& e) { return fixed.empty() ? e : z3::expr(e).substitute(fixed, fixed_value); };
  z3::sort_vector domain(ctx_);
  for (const z3::expr& a : state_now) domain.push_back(a.get_sort());
  z3::func_decl reach = ctx_.function("horn_reach", domain, ctx_.bool_sort());
  z3::func_decl error = ctx_.function("horn_error", 0, nullptr, ctx_.bool_sort());
  auto apply = [&](const std::vector<z3::expr>& args) {
    z3::expr_vector v(ctx_);
    for (const z3::expr& a : args) v.push_back(fix(a));
    return reach(v);
  };

  z3::fixedpoint fp(ctx_);
  z3::params settings(ctx_);
  settings.set("engine", "spacer");
  if (const char* extra = std::getenv("RACECHECK_HORN_PARAMS")) {
    // name=value,name=value: Spacer's settings, for measurements.
    std::string all = extra;
    for (size_t at = 0; at < all.size();) {
      size_t end = all.find(',', at);
      if (end == std::string::npos) end = all.size();
      std::string item = all.substr(at, end - at);
      size_t eq = item.find('=');
      std::string name = item.substr(0, eq), value = item.substr(eq + 1);
      if (value == "true" || value == "false") settings.set(name.c_str(), value == "true");
      else if (!value.empty() && std::isdigit(static_cast<unsigned char>(value[0]))) settings.set(name.c_str(), static_cast<unsigned>(std::stoul(value)));
      else settings.set(name.c_str(), value.c_str());
      at = end + 1;
    }
  }
  fp.set(settings);
  fp.register_relation(reach);
  fp.register_relation(error);
  init_constraints.push_back(terms_.Not(init_bad));
  z3::expr init_rule = Clause(ctx_, All(ctx_, init_constraints), apply(state_init));
  fp.add_rule(init_rule, ctx_.str_symbol("init"));
  z3::expr from = apply(state_now);
  step_constraints.push_back(fix(valid));
  std::vector<z3::expr> moving = {from};
  for (const z3::expr& c : step_constraints) moving.push_back(fix(c));
  moving.push_back(fix(terms_.Not(bad)));
  z3::expr step_rule = Clause(ctx_, All(ctx_, moving), apply(state_next));
  fp.add_rule(step_rule, ctx_.str_symbol("step"));
  std::vector<z3::expr> failing = {from};
  for (size_t k = 0; k + 1 < step_constraints.size(); ++k) failing.push_back(fix(step_constraints[k]));
  failing.push_back(fix(bad));
  z3::expr goal = error();
  z3::expr error_rule = Clause(ctx_, All(ctx_, failing), goal);
  fp.add_rule(error_rule, ctx_.str_symbol("error"));
  if (std::getenv("RACECHECK_HORN_DUMP") != nullptr) fmt::print(stderr, "{}\n", fp.to_string());
  if (std::getenv("RACECHECK_HORN_DEBUG") != nullptr) {
    fmt::print(stderr, "spacer: {} state values, {} fixed, {} step constraints\n", state_now.size(), fixed.size(),
               step_constraints.size());
  }
  if (Stopped()) return Answer::kUnknown;
  watchdog_.EnterSolver();
  z3::check_result r = z3::unknown;
  try {
    r = fp.query(goal);
  } catch (const z3::exception& e) {
    watchdog_.LeaveSolver();
    if (std::getenv("RACECHECK_HORN_DEBUG") != nullptr) fmt::print(stderr, "spacer: {}\n", e.msg());
    return Answer::kUnknown;
  }
  watchdog_.LeaveSolver();
  if (std::getenv("RACECHECK_HORN_DEBUG") != nullptr) {
    fmt::print(stderr, "spacer: {}\n",
               r == z3::unsat ? "unreachable" : r == z3::sat ? "reachable" : "unknown: " + fp.reason_unknown());
  }
  switch (r) {
    case z3::unsat: return Answer::kNo;
    case z3::sat: return Answer::kYes;
    case z3::unknown: return Answer::kUnknown;
  }
  return Answer::kUnknown;
}

}  // namespace racecheck::symbolic
