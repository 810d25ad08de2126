#include "checker/symbolic/engine.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <unordered_map>

#include "checker/base/diagnostics.h"
#include "fmt/format.h"

namespace racecheck::symbolic {

z3::expr Engine::Fresh(const std::string& name, unsigned bits) { return terms_.Var(name.c_str(), bits); }

z3::expr Engine::SlotVar(const std::string& name) { return terms_.SlotVar(name.c_str()); }

namespace {

// The low bits that can be nonzero in a bit-vector term, as far as numerals, `ite`s, zero
// extensions (the narrow definitions below), sign extensions and low extracts of such terms and
// sums of them tell; its width for anything else.
unsigned LowBits(const z3::expr& e, std::unordered_map<unsigned, unsigned>& memo) {
  unsigned width = e.get_sort().bv_size();
  auto it = memo.find(e.id());
  if (it != memo.end()) return it->second;
  unsigned bits = width;
  uint64_t u = 0;
  Z3_decl_kind kind = e.is_app() ? e.decl().decl_kind() : Z3_OP_UNINTERPRETED;
  if (e.is_numeral()) {
    if (e.is_numeral_u64(u)) {
      bits = 1;
      while (bits < 64 && (u >> bits) != 0) ++bits;
    }
  } else if (kind == Z3_OP_ITE) {
    bits = std::max(LowBits(e.arg(1), memo), LowBits(e.arg(2), memo));
  } else if (kind == Z3_OP_ZERO_EXT) {
    bits = LowBits(e.arg(0), memo);
  } else if (kind == Z3_OP_SIGN_EXT) {
    // A zero sign bit extends with zeros.
    unsigned low = LowBits(e.arg(0), memo);
    if (low < e.arg(0).get_sort().bv_size()) bits = low;
  } else if (kind == Z3_OP_EXTRACT && Z3_get_decl_int_parameter(e.ctx(), e.decl(), 1) == 0) {
    bits = LowBits(e.arg(0), memo);
  } else if (kind == Z3_OP_BADD) {
    // n summands below 2^b each: the sum is below n * 2^b, and no carry leaves the width.
    unsigned most = 0;
    for (unsigned k = 0; k < e.num_args(); ++k) most = std::max(most, LowBits(e.arg(k), memo));
    unsigned carry = 0;
    while ((1u << carry) < e.num_args()) ++carry;
    bits = most + carry;
  }
  bits = std::min(bits, width);
  memo.emplace(e.id(), bits);
  return bits;
}

}  // namespace

z3::expr Engine::Define(const std::string& name, const z3::expr& value) {
  if (value.is_bv()) {
    unsigned width = value.get_sort().bv_size();
    std::unordered_map<unsigned, unsigned> memo;
    unsigned bits = LowBits(value, memo);
    if (bits < width) {
      z3::expr var = z3::zext(Fresh(name, bits), width - bits);
      Assert(var == value);
      return var;
    }
  }
  z3::expr var = value.is_bool()  ? terms_.Bool(name.c_str())
                 : value.is_int() ? terms_.SlotVar(name.c_str())
                                  : Fresh(name, value.get_sort().bv_size());
  Assert(var == value);
  return var;
}

void Engine::Assert(const z3::expr& condition) {
  if (condition.is_true()) return;
  solver_.add(condition);
  ++constraints_;
}

uint64_t Engine::Conflicts() {
  // Z3 counts them over every check of the solver: "sat conflicts" in the bit-vector solver
  // (bit-blasted to SAT), "conflicts" in the general one.
  z3::stats stats = solver_.statistics();
  uint64_t conflicts = 0;
  for (unsigned i = 0; i < stats.size(); ++i) {
    std::string key = stats.key(i);
    if (key != "sat conflicts" && key != "conflicts") continue;
    conflicts += stats.is_uint(i) ? stats.uint_value(i) : static_cast<uint64_t>(stats.double_value(i));
  }
  return conflicts;
}

Answer Engine::Ask(const std::vector<z3::expr>& conditions, unsigned max_conflicts) {
  // The literals of earlier checks are never assumed again: asserting them false lets the SAT
  // solver drop their clauses, which every later check would otherwise carry (measured in
  // docs/performance.md). Only the last check's model is read, and it is read before this.
  // Bookkeeping, not a constraint of the model: not counted in the report's constraints.
  for (const z3::expr& literal : spent_literals_) solver_.add(!literal);
  spent_literals_.clear();
  z3::expr_vector assumptions(ctx_);
  for (const z3::expr& condition : conditions) {
    if (condition.is_true()) continue;
    if (condition.is_false()) return Answer::kNo;
    z3::expr literal = ctx_.bool_const(fmt::format("ask_{}", literals_++).c_str());
    Assert(z3::implies(literal, condition));
    assumptions.push_back(literal);
    spent_literals_.push_back(literal);
  }
  if (Stopped()) return Answer::kUnknown;
  // Z3's own timer too, set to the time left (rounded up, so that it never fires before the
  // deadline): it stops the check from inside Z3 even when the watchdog's thread is scheduled
  // late on a loaded machine. The watchdog stays for Ctrl-C and memory. The parameters are set
  // before every question, limits or not: setting one changes Z3's search, and a model should be
  // searched alike with and without --max-seconds (withdraw_redlock_fenced took 162,000
  // conflicts without a deadline and 68,000 with one when only a deadline set them).
  const base::Deadline& deadline = watchdog_.deadline();
  double ms = deadline.set() ? std::min(std::ceil(deadline.seconds_left() * 1000) + 1, 4e9) : UINT_MAX;
  solver_.set("timeout", static_cast<unsigned>(ms));
  // A question that may go unanswered has a limit of conflicts; the others have none.
  solver_.set("max_conflicts", max_conflicts > 0 ? max_conflicts : UINT_MAX);
  Clock::time_point before = Clock::now();
  model_fresh_ = false;
  watchdog_.EnterSolver();
  z3::check_result r = z3::unknown;
  try {
    r = solver_.check(assumptions);
  } catch (...) {
    watchdog_.LeaveSolver();
    throw;
  }
  watchdog_.LeaveSolver();
  solver_seconds_ += std::chrono::duration<double>(Clock::now() - before).count();
  switch (r) {
    case z3::sat:
      // The model is made when first asked for (most answers need none), or at once when later
      // checks must not lose it (minimizing keeps the last satisfiable one).
      model_.reset();
      model_fresh_ = true;
      if (keep_models_) model_ = solver_.get_model();
      return Answer::kYes;
    case z3::unsat:
      return Answer::kNo;
    case z3::unknown:
      // The watchdog interrupted the check (a limit, Ctrl-C), or the solver gave up by itself.
      if (!Stopped()) unknown_reason_ = solver_.reason_unknown();
      return Answer::kUnknown;
  }
  return Answer::kUnknown;
}

int64_t Engine::ValueOf(const z3::expr& e) {
  int64_t value = 0;
  bool ok = Terms::Numeral(Model().eval(e, true), &value);
  RACECHECK_CHECK(ok, "the solver's model gives no number");
  return value;
}

int32_t Engine::MoverOf(int32_t level) {
  for (size_t i = 0; i < Movers(); ++i) {
    if (TrueIn(steps_[level].moves[i])) return static_cast<int32_t>(i);
  }
  RACECHECK_CHECK(false, "the solver's model moves no instance");
}

bool Engine::TrueIn(const z3::expr& e) { return Model().eval(e, true).is_true(); }

void Engine::ClearInterrupt() {
  watchdog_.Stop();
  // Every check clears the interrupt as it begins; one of an empty solver costs next to nothing.
  z3::solver empty(ctx_, z3::solver::simple());
  empty.set("ctrl_c", false);
  empty.check();
}

}  // namespace racecheck::symbolic
