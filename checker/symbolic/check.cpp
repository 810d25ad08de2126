#include "checker/symbolic/symbolic.h"

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <set>

#include "checker/base/diagnostics.h"
#include "checker/symbolic/db_terms.h"
#include "checker/symbolic/redis_terms.h"
#include "checker/symbolic/step.h"
#include "checker/symbolic/support.h"
#include "checker/symbolic/terms.h"
#include "checker/symbolic/unroll.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

using Clock = std::chrono::steady_clock;

// Levels (run lengths) past this are not searched: the verdict is then inconclusive.
constexpr int32_t kMaxLevels = 5000;

bool IsNumeral(const z3::expr& e) {
  int64_t ignored = 0;
  return Terms::Numeral(e, &ignored);
}

unsigned BitsFor(size_t values) {
  unsigned bits = 1;
  while ((size_t{1} << bits) < values) ++bits;
  return bits;
}

// The steps of one instance as a graph between the nodes where steps start.
struct Shape {
  std::vector<int32_t> starts;   // node indices, ascending; the finished node last
  std::map<int32_t, int32_t> id;  // node -> index into starts
  std::vector<int32_t> min_steps;  // per start: fewest steps of the instance to get there
  std::vector<int32_t> max_steps;  // per start: most steps
  int32_t done_id = 0;
  int32_t longest = 0;
  unsigned pc_bits = 1;
};

// The state after `level` steps: per instance its position and locals, and every other slot:
// global ones, each instance's non-local ones (its transaction block), and the engine's own
// (DbLayout), all indexed by slot. The pc and local slots of `globals` stay unused.
struct Frame {
  std::vector<z3::expr> globals;
  std::vector<z3::expr> pcs;
  std::vector<std::vector<z3::expr>> locals;
};

// What one instance would do if it took step `level`, over every start it may be at.
struct InstanceStep {
  z3::expr done;
  z3::expr blocked;
  z3::expr failed;
  z3::expr succeeded;
  z3::expr bounded;
  std::map<int32_t, z3::expr> reads;
  std::map<int32_t, z3::expr> writes;
  std::vector<ChoicePoint> choices;
};

// The movers of a step: each instance, then (in models where transactions can wait for each
// other's rows) each instance as the deadlock detector's victim, mover m being instance m % n;
// then (in models with Redis leases) the environment, which expires one key. Breadth-first
// search expands them in this order.
struct StepFrame {
  std::vector<z3::expr> moves;  // per mover: it takes the step (exactly one does)
  std::vector<InstanceStep> instances;  // per mover; the environment's choice is the key it expires
  // Per key that may get a lease: the environment expires it at this step.
  std::vector<z3::expr> expiring;
};

// The globals of one frame, for properties and parameters: no running instance.
class FrameEnv final : public ExprEnv {
 public:
  FrameEnv(const std::vector<z3::expr>& globals, const std::vector<z3::expr>* locals, int32_t self_value,
           int32_t replica_copy)
      : globals_(globals), locals_(locals) {
    self = self_value;
    replica = replica_copy;
  }
  z3::expr Local(int32_t index) override {
    RACECHECK_CHECK(locals_ != nullptr, "a local read outside a process");
    return (*locals_)[index];
  }
  z3::expr Global(int32_t slot) override { return globals_[slot]; }

 private:
  const std::vector<z3::expr>& globals_;
  const std::vector<z3::expr>* locals_;
};

enum class Answer { kYes, kNo, kUnknown };

class Engine {
 public:
  Engine(const ir::Program& program, const SymbolicOptions& options)
      : program_(program),
        options_(options),
        terms_(ctx_, ArithmeticFor(program)),
        exprs_(program, terms_),
        layout_(program),
        // Bit vectors go to Z3's incremental bit-blasting solver; integers to its general one
        // (measured faster than its QF_LIA solver here: docs/z3-encoding.md).
        solver_(terms_.bit_vector() ? z3::solver(ctx_, "QF_BV") : z3::solver(ctx_)),
        start_(Clock::now()) {
    global_count_ = layout_.slot_count();
    bool sql = std::any_of(program.processes.begin(), program.processes.end(),
                           [](const ir::Process& p) { return p.db.txn >= 0; });
    victims_ = sql && program.instances.size() > 1;
  }

  ~Engine() {
    if (progress_shown_) std::fputs("\r\x1b[K", stderr);  // the report replaces the progress line
  }

  SymbolicResult Run();

 private:
  // ---- setup ----
  std::string Shapes();
  void InitialFrame();
  // ---- frames ----
  void EncodeStep(int32_t level);
  z3::expr Moves(int32_t level, size_t mover);
  // Whether the instance moves at step `level`, as itself or as a deadlock victim.
  z3::expr InstanceMoves(int32_t level, size_t instance);
  // The instances, and the instances as deadlock victims.
  size_t InstanceMovers() const { return program_.instances.size() * (victims_ ? 2 : 1); }
  size_t Movers() const { return InstanceMovers() + (leases_.empty() ? 0 : 1); }
  bool IsEnvironment(size_t mover) const { return mover >= InstanceMovers(); }
  // The environment's move at step `level`: a key with a lease expires (Stepper::StepEnvironment).
  InstanceStep EncodeExpiry(int32_t level, std::map<int32_t, z3::expr>& new_globals);
  // Keys that may get a lease, and how many expiries a run can have.
  void Leases();
  // Per instance: it waits for a row lock in a cycle of such waits (Explorer::InRowCycle).
  std::vector<z3::expr> RowCycles(int32_t level, const std::vector<z3::expr>& holders);
  z3::expr Deadlock(int32_t level);
  z3::expr StepViolation(int32_t level, const std::vector<bool>& covers_open);
  z3::expr Independent(int32_t level);
  // Instances of one process that nothing tells apart: runs may be renamed so that they first
  // move in index order. Groups of at least two, ascending.
  std::vector<std::vector<int32_t>> SymmetricGroups() const;
  z3::expr FirstMovesInOrder(int32_t level);
  // ---- properties ----
  struct PropertyTerms {
    z3::expr bad;      // an invariant (or, with every instance finished, a final) fails
    std::vector<z3::expr> cover_reached;  // per property (false for non-covers)
  };
  PropertyTerms Properties(int32_t level, const std::vector<bool>& covers_open);
  // Where instance `instance` may be after `level` steps: the steps it has taken lie between
  // what it needs and what the others leave it. Indices into its Shape's starts.
  std::vector<int32_t> Window(size_t instance, int32_t level) const;
  z3::expr AllDone(int32_t level);
  // ---- solving ----
  // Checks the constraints with `conditions` assumed. Only the last check's model can be read.
  Answer Ask(const std::vector<z3::expr>& conditions);
  void Assert(const z3::expr& condition);
  z3::expr Fresh(const std::string& name, unsigned bits);
  z3::expr SlotVar(const std::string& name);
  // Which start node an instance is at: a small bit vector, or an integer with integer arithmetic.
  z3::expr PcValue(int32_t id, unsigned bits) {
    return terms_.bit_vector() ? ctx_.bv_val(id, bits) : ctx_.int_val(id);
  }
  z3::expr Define(const std::string& name, const z3::expr& value);
  int64_t ValueOf(const z3::expr& e);
  // The instance that moves at step `level` in the model.
  int32_t MoverOf(int32_t level);
  bool TrueIn(const z3::expr& e);
  // ---- results ----
  bool MinimizeParams();
  bool MinimizeStep(int32_t level);
  bool MinimizeValue(const z3::expr& var, int64_t lo);
  bool MinimizeChoices(int32_t level, int32_t mover);
  result::Schedule Extract(int32_t steps);
  std::string Scope(int32_t levels, bool bound_reached) const;
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  // The progress line on stderr (options_.progress): the depth whose states are being expanded
  // (runs of that many steps, and a step more), the size of the problem, the time so far. One
  // line rewritten in place; the destructor clears it.
  void ShowProgress(int32_t level, int32_t longest_run);
  void Inconclusive(SymbolicResult& result, const std::string& reason);

  const ir::Program& program_;
  SymbolicOptions options_;
  z3::context ctx_;
  Terms terms_;
  ExprEncoder exprs_;
  DbLayout layout_;
  bool victims_ = false;
  z3::solver solver_;
  Clock::time_point start_;
  int32_t global_count_ = 0;

  Unrolled unrolled_;
  std::vector<Shape> shapes_;
  std::unique_ptr<StepEncoder> steps_encoder_;
  std::vector<Frame> frames_;
  std::vector<StepFrame> steps_;
  // Keys that may get a lease, in the order StepEnvironment expires them, and their value slots.
  std::vector<result::Expiry> leases_;
  std::vector<int32_t> lease_slots_;
  int32_t expiries_ = 0;  // at most this many in one run
  std::vector<z3::expr> param_vars_;                 // per global param
  std::vector<std::vector<z3::expr>> range_vars_;    // per instance, per process param (range ones set)
  std::vector<std::vector<z3::expr>> range_lows_;    // their lower bounds (expression values)
  z3::expr init_problem_{ctx_};
  std::optional<z3::model> model_;
  bool model_fresh_ = false;  // the last check was satisfiable: its model can be fetched
  bool keep_models_ = false;
  const z3::model& Model() {
    if (!model_) {
      RACECHECK_CHECK(model_fresh_, "no model to read: the last check was not satisfiable");
      model_ = solver_.get_model();
    }
    return *model_;
  }
  // Assumed by the search for violations and covers (renamed runs stand for all), left out when
  // the run breadth-first search meets first is picked.
  z3::expr symmetric_{ctx_};
  std::vector<std::vector<int32_t>> groups_;
  uint64_t constraints_ = 0;
  double solver_seconds_ = 0;
  uint64_t literals_ = 0;
  bool timed_out_ = false;
  std::string unknown_reason_;
  bool progress_shown_ = false;
};

// ---------------------------------------------------------------------------------------------
// Setup

std::string Engine::Shapes() {
  // Steps from a state about which nothing is known: every end a real state may reach.
  std::vector<z3::expr> globals;
  Terms shape_terms(ctx_, terms_.arithmetic());
  for (int32_t slot = 0; slot < global_count_; ++slot) globals.push_back(shape_terms.SlotVar(fmt::format("any_g{}", slot).c_str()));
  ExprEncoder shape_exprs(program_, shape_terms);
  StepEncoder encoder(program_, unrolled_, layout_, shape_terms, shape_exprs);
  int32_t most_rows = 1;
  for (const ir::Table& table : program_.tables) most_rows = std::max(most_rows, table.capacity);
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Process& process = program_.processes[program_.instances[i].process];
    std::vector<z3::expr> locals;
    for (size_t k = 0; k < process.local_names.size(); ++k) {
      locals.push_back(shape_terms.SlotVar(fmt::format("any_l{}", k).c_str()));
    }
    const UnrolledInstance& unrolled = unrolled_.instances[i];
    std::set<int32_t> starts = {0, unrolled.done};
    std::map<int32_t, std::set<int32_t>> next;
    std::vector<int32_t> work = {0};
    while (!work.empty()) {
      int32_t node = work.back();
      work.pop_back();
      std::vector<StepEncoding> steps;
      steps.push_back(encoder.Encode(static_cast<int32_t>(i), node, globals, locals, "any"));
      if (victims_) steps.push_back(encoder.EncodeVictim(static_cast<int32_t>(i), node, globals, locals, "any"));
      if (!encoder.problem().empty()) return encoder.problem();
      for (const StepEncoding& step : steps) {
        for (const auto& [end, when] : step.ends) {
          if (when.is_false()) continue;
          next[node].insert(end);
          if (starts.insert(end).second && end != unrolled.done) work.push_back(end);
        }
      }
    }
    Shape shape;
    shape.starts.assign(starts.begin(), starts.end());
    for (size_t k = 0; k < shape.starts.size(); ++k) shape.id[shape.starts[k]] = static_cast<int32_t>(k);
    shape.done_id = shape.id.at(unrolled.done);
    size_t n = shape.starts.size();
    constexpr int32_t kUnreached = INT32_MAX;
    shape.min_steps.assign(n, kUnreached);
    shape.max_steps.assign(n, -1);
    shape.min_steps[0] = 0;
    shape.max_steps[0] = 0;
    // Node order is topological, and so is the order of starts, except for self-loops: a SQL
    // statement that waits for a row lock part way ends its step at its own node. Its first
    // step scans and each later one locks at least one more row, so it takes at most one step
    // per row slot there.
    for (size_t k = 0; k < n; ++k) {
      if (shape.max_steps[k] < 0) continue;
      if (next[shape.starts[k]].count(shape.starts[k]) > 0) {
        // Only a SQL statement may end a step where it began; anything else would make the
        // windows and the longest run wrong, so it stops the engine rather than prove too much.
        int32_t pc = unrolled.nodes[shape.starts[k]].pc;
        RACECHECK_CHECK(pc >= 0 && process.code[pc].op == ir::Op::kSql, "a step that ends where it began, not at SQL");
        shape.max_steps[k] += most_rows;
      }
      for (int32_t end : next[shape.starts[k]]) {
        int32_t e = shape.id.at(end);
        if (e == static_cast<int32_t>(k)) continue;
        shape.min_steps[e] = std::min(shape.min_steps[e], shape.min_steps[k] + 1);
        shape.max_steps[e] = std::max(shape.max_steps[e], shape.max_steps[k] + 1);
      }
    }
    for (size_t k = 0; k < n; ++k) shape.longest = std::max(shape.longest, shape.max_steps[k]);
    shape.pc_bits = BitsFor(n);
    shapes_.push_back(std::move(shape));
  }
  return "";
}

void Engine::InitialFrame() {
  Frame frame;
  init_problem_ = terms_.False();
  frame.globals.assign(global_count_, terms_.Slot(0));
  for (const ir::Variable& var : program_.vars) {
    for (int32_t copy = 0; copy < var.copies; ++copy) {
      for (int32_t i = 0; i < var.size; ++i) {
        ir::Value v = i < static_cast<int32_t>(var.initial.size()) ? var.initial[i] : 0;
        frame.globals[var.first_slot + copy * var.size + i] = terms_.Slot(v);
      }
    }
  }
  for (const ir::Table& table : program_.tables) {
    for (size_t r = 0; r < table.initial_rows.size(); ++r) {
      int32_t row = static_cast<int32_t>(r);
      frame.globals[table.ExistsSlot(row)] = terms_.Slot(1);
      for (int32_t c = 0; c < table.column_count(); ++c) {
        frame.globals[table.ValueSlot(row, c)] = terms_.Slot(table.initial_rows[r][c]);
      }
    }
  }
  for (const ir::RedisDecl& redis : program_.redis) {
    for (int32_t e = 0; e < redis.size; ++e) {
      for (size_t k = 0; k < redis.keys.size(); ++k) {
        if (!redis.keys[k].initially_present) continue;
        int32_t slot = redis.KeySlot(e, static_cast<int32_t>(k));
        frame.globals[slot] = terms_.Slot(redis.keys[k].initial);
        frame.globals[slot + 1] = terms_.Slot(1);
      }
    }
  }
  for (const ir::Param& param : program_.params) {
    if (param.lo > param.hi) {
      init_problem_ = terms_.True();
      param_vars_.push_back(terms_.Slot(param.lo));
      continue;
    }
    z3::expr var = param.lo == param.hi ? terms_.Slot(param.lo) : SlotVar("param_" + param.name);
    if (param.lo != param.hi) Assert(var >= terms_.Slot(param.lo) && var <= terms_.Slot(param.hi));
    param_vars_.push_back(var);
    frame.globals[param.slot] = var;
  }
  // Variables whose initial values use global params.
  for (const ir::Variable& var : program_.vars) {
    for (int32_t i = 0; i < static_cast<int32_t>(var.initial_exprs.size()); ++i) {
      if (var.initial_exprs[i] < 0) continue;
      FrameEnv env(frame.globals, nullptr, -1, 0);
      SymValue v = exprs_.Eval(var.initial_exprs[i], env);
      init_problem_ = terms_.Or(init_problem_, terms_.Or(v.fault, terms_.Not(exprs_.Fits32(v.value))));
      z3::expr value = exprs_.Low32(v.value);
      for (int32_t copy = 0; copy < var.copies; ++copy) frame.globals[var.first_slot + copy * var.size + i] = value;
    }
  }
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Instance& inst = program_.instances[i];
    const ir::Process& process = program_.processes[inst.process];
    std::vector<z3::expr> locals(process.local_names.size(), terms_.Slot(0));
    range_vars_.emplace_back();
    range_lows_.emplace_back();
    for (const ir::ProcessParam& param : process.params) {
      FrameEnv env(frame.globals, &locals, inst.self, inst.replica);
      if (!param.is_range) {
        SymValue v = exprs_.Eval(param.value_expr, env);
        init_problem_ = terms_.Or(init_problem_, terms_.Or(v.fault, terms_.Not(exprs_.Fits32(v.value))));
        locals[param.local] = exprs_.Low32(v.value);
        range_vars_.back().push_back(terms_.Slot(0));
        range_lows_.back().push_back(terms_.Num(0, 1));
        continue;
      }
      SymValue lo = exprs_.Eval(param.lo_expr, env);
      SymValue hi = exprs_.Eval(param.hi_expr, env);
      z3::expr problem = terms_.Or(terms_.Or(lo.fault, hi.fault), exprs_.Lt(hi.value, lo.value));
      problem = terms_.Or(problem, terms_.Not(terms_.And(exprs_.Fits32(lo.value), exprs_.Fits32(hi.value))));
      init_problem_ = terms_.Or(init_problem_, problem);
      z3::expr var = SlotVar(fmt::format("param_{}_{}", inst.display_name, param.name));
      Assert(terms_.Or(problem, terms_.And(exprs_.Le(lo.value, var), exprs_.Le(var, hi.value))));
      locals[param.local] = var;
      range_vars_.back().push_back(var);
      range_lows_.back().push_back(lo.value);
    }
    frame.locals.push_back(std::move(locals));
    frame.pcs.push_back(PcValue(0, shapes_[i].pc_bits));
  }
  frames_.push_back(std::move(frame));
}

// ---------------------------------------------------------------------------------------------
// Frames

void Engine::EncodeStep(int32_t level) {
  const Frame& frame = frames_[level];
  size_t n = program_.instances.size();
  size_t movers = Movers();
  StepFrame step;
  if (movers == 1) {
    step.moves.push_back(terms_.True());
  } else {
    z3::expr_vector all(ctx_);
    for (size_t m = 0; m < movers; ++m) {
      step.moves.push_back(terms_.Bool(fmt::format("moves_{}_{}", level, m).c_str()));
      all.push_back(step.moves.back());
    }
    Assert(z3::mk_or(all));
    // At most one: each excludes all later ones, through a running "some earlier moves".
    z3::expr earlier = step.moves[0];
    for (size_t m = 1; m < movers; ++m) {
      Assert(!(earlier && step.moves[m]));
      if (m + 1 < movers) earlier = Define(fmt::format("moved_{}_{}", level, m), earlier || step.moves[m]);
    }
  }
  Frame next;
  next.globals = frame.globals;
  std::map<int32_t, z3::expr> new_globals;  // slot -> value after the step, over all movers
  std::vector<z3::expr> new_pcs = frame.pcs;
  std::vector<std::vector<z3::expr>> new_locals = frame.locals;
  std::vector<z3::expr> holders;  // per instance: when blocked on a row lock, its holder + 1
  std::vector<z3::expr> in_cycle;

  for (size_t m = 0; m < InstanceMovers(); ++m) {
    size_t i = m % n;
    bool victim = m >= n;
    if (victim && m == n) in_cycle = RowCycles(level, holders);
    const Shape& shape = shapes_[i];
    const z3::expr& pc = frame.pcs[i];
    const z3::expr& moves = step.moves[m];
    InstanceStep is{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
    std::vector<int32_t> window = Window(i, level);
    z3::expr new_pc = pc;
    std::vector<z3::expr> locals_after = frame.locals[i];
    std::map<int32_t, z3::expr> written;
    z3::expr holder = terms_.Slot(0);
    for (int32_t k : window) {
      z3::expr at = window.size() == 1 ? terms_.True() : terms_.Eq(pc, PcValue(k, shape.pc_bits));
      if (k == shape.done_id) {
        if (!victim) is.done = terms_.Or(is.done, at);
        continue;
      }
      std::string tag = fmt::format("{}_{}_{}", level, m, k);
      StepEncoding enc = victim ? steps_encoder_->EncodeVictim(static_cast<int32_t>(i), shape.starts[k], frame.globals,
                                                               frame.locals[i], tag)
                                : steps_encoder_->Encode(static_cast<int32_t>(i), shape.starts[k], frame.globals,
                                                         frame.locals[i], tag);
      is.blocked = terms_.Or(is.blocked, terms_.And(at, enc.blocked));
      holder = terms_.Ite(at, enc.row_holder, holder);
      is.failed = terms_.Or(is.failed, terms_.And(at, enc.failed));
      is.succeeded = terms_.Or(is.succeeded, terms_.And(at, enc.succeeded));
      is.bounded = terms_.Or(is.bounded, terms_.And(at, enc.bounded));
      for (const auto& [slot, when] : enc.reads) {
        auto it = is.reads.find(slot);
        z3::expr w = terms_.And(at, when);
        if (it == is.reads.end()) is.reads.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
      for (const auto& [slot, when] : enc.writes) {
        auto it = is.writes.find(slot);
        z3::expr w = terms_.And(at, when);
        if (it == is.writes.end()) is.writes.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
      for (ChoicePoint& choice : enc.choices) {
        choice.taken = terms_.And(at, choice.taken);
        is.choices.push_back(std::move(choice));
      }
      // Successors: the end node by its condition, then locals and globals.
      if (!enc.ends.empty()) {
        z3::expr end = PcValue(shape.id.at(enc.ends.back().first), shape.pc_bits);
        for (size_t e = enc.ends.size() - 1; e-- > 0;) {
          end = terms_.Ite(enc.ends[e].second, PcValue(shape.id.at(enc.ends[e].first), shape.pc_bits), end);
        }
        new_pc = terms_.Ite(at, end, new_pc);
      }
      for (size_t l = 0; l < locals_after.size(); ++l) locals_after[l] = terms_.Ite(at, enc.locals[l], locals_after[l]);
      for (const auto& [slot, value] : enc.globals) {
        auto it = written.find(slot);
        z3::expr before = it != written.end() ? it->second : frame.globals[slot];
        written.insert_or_assign(slot, terms_.Ite(at, value, before));
      }
    }
    if (victim) {
      // Only a transaction waiting in a cycle of row locks can be the victim.
      is.blocked = terms_.Not(in_cycle[i]);
      is.failed = terms_.And(in_cycle[i], is.failed);
      is.succeeded = terms_.And(in_cycle[i], is.succeeded);
      is.bounded = terms_.And(in_cycle[i], is.bounded);
    } else {
      holders.push_back(terms_.Ite(is.blocked, holder, terms_.Slot(0)));
    }
    if (!z3::eq(new_pc, pc)) new_pcs[i] = terms_.Ite(moves, new_pc, new_pcs[i]);
    for (size_t l = 0; l < locals_after.size(); ++l) {
      if (!z3::eq(locals_after[l], frame.locals[i][l])) new_locals[i][l] = terms_.Ite(moves, locals_after[l], new_locals[i][l]);
    }
    for (const auto& [slot, value] : written) {
      auto it = new_globals.find(slot);
      z3::expr before = it != new_globals.end() ? it->second : frame.globals[slot];
      new_globals.insert_or_assign(slot, terms_.Ite(moves, value, before));
    }
    step.instances.push_back(std::move(is));
  }
  steps_.push_back(std::move(step));
  if (movers > InstanceMovers()) steps_.back().instances.push_back(EncodeExpiry(level, new_globals));
  for (size_t i = 0; i < n; ++i) {
    const z3::expr& pc = frame.pcs[i];
    next.pcs.push_back(z3::eq(new_pcs[i], pc) ? pc : Define(fmt::format("pc_{}_{}", level + 1, i), new_pcs[i]));
    std::vector<z3::expr> locals;
    for (size_t l = 0; l < new_locals[i].size(); ++l) {
      const z3::expr& old = frame.locals[i][l];
      locals.push_back(z3::eq(new_locals[i][l], old) ? old
                                                      : Define(fmt::format("local_{}_{}_{}", level + 1, i, l),
                                                               new_locals[i][l]));
    }
    next.locals.push_back(std::move(locals));
  }
  for (const auto& [slot, value] : new_globals) {
    if (!z3::eq(value, frame.globals[slot])) next.globals[slot] = Define(fmt::format("global_{}_{}", level + 1, slot), value);
  }
  frames_.push_back(std::move(next));
}

InstanceStep Engine::EncodeExpiry(int32_t level, std::map<int32_t, z3::expr>& new_globals) {
  const Frame& frame = frames_[level];
  const z3::expr& moves = steps_[level].moves[InstanceMovers()];
  InstanceStep env{terms_.False(), terms_.False(), terms_.False(), terms_.False(), terms_.False(), {}, {}, {}};
  // Which key, as an index into leases_: the one choice the environment makes.
  size_t count = leases_.size();
  z3::expr key = count == 1 ? terms_.Slot(0) : SlotVar(fmt::format("expire_{}", level));
  RedisEncoder redis(program_, terms_, exprs_);
  FrameEnv frame_env(frame.globals, nullptr, -1, 0);
  if (count > 1) Assert(key >= terms_.Slot(0) && key <= terms_.Slot(static_cast<int64_t>(count) - 1));
  for (size_t j = 0; j < count; ++j) {
    z3::expr chosen = count == 1 ? terms_.True() : terms_.Eq(key, terms_.Slot(static_cast<int64_t>(j)));
    int32_t slot = lease_slots_[j];
    // Only a key with a lease expires (Redis::Expire then clears value, present and lease).
    z3::expr expires = terms_.And(chosen, terms_.Not(terms_.Eq(frame.globals[slot + 2], terms_.Slot(0))));
    env.succeeded = terms_.Or(env.succeeded, expires);
    env.reads.emplace(slot + 2, chosen);
    steps_[level].expiring.push_back(terms_.And(moves, chosen));
    std::vector<SlotWrite> writes;
    for (int32_t at = slot; at < slot + 3; ++at) writes.push_back({at, chosen, terms_.Slot(0)});
    // The instances WATCHing the key will see their EXEC refused.
    const result::Expiry& lease = leases_[j];
    redis.Touch(lease.redis, lease.element, lease.key, chosen, frame_env, writes);
    for (const SlotWrite& write : writes) {
      bool watch = write.slot < slot || write.slot >= slot + 3;
      if (watch) env.reads.emplace(write.slot, chosen);
      env.writes.emplace(write.slot, chosen);
      auto it = new_globals.find(write.slot);
      z3::expr before = it != new_globals.end() ? it->second : frame.globals[write.slot];
      new_globals.insert_or_assign(write.slot, terms_.Ite(terms_.And(moves, write.when), write.value, before));
    }
  }
  env.choices.push_back(ChoicePoint{-1, 0, key, terms_.True(), terms_.Slot(0)});
  return env;
}

void Engine::Leases() {
  for (size_t d = 0; d < program_.redis.size(); ++d) {
    const ir::RedisDecl& decl = program_.redis[d];
    for (int32_t e = 0; e < decl.size; ++e) {
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        if (decl.keys[k].expire_statement < 0) continue;
        leases_.push_back({static_cast<int32_t>(d), e, static_cast<int32_t>(k)});
        lease_slots_.push_back(decl.KeySlot(e, static_cast<int32_t>(k)));
      }
    }
  }
  // Every expiry ends a lease that a SET with a time to live began, and a run passes each
  // node of the unrolled code at most once; no key starts with a lease.
  for (size_t i = 0; i < unrolled_.instances.size() && !leases_.empty(); ++i) {
    const ir::Process& process = program_.processes[program_.instances[i].process];
    for (const Node& node : unrolled_.instances[i].nodes) {
      if (node.pc == ir::kDonePc) continue;
      const ir::Instr& instr = process.code[node.pc];
      expiries_ += instr.op == ir::Op::kRedis && program_.redis_ops[instr.call].ttl >= 0;
    }
  }
}

std::vector<z3::expr> Engine::RowCycles(int32_t level, const std::vector<z3::expr>& holders) {
  size_t n = holders.size();
  std::vector<z3::expr> holder_vars;
  for (size_t j = 0; j < n; ++j) {
    int64_t value = -1;
    bool none = Terms::Numeral(holders[j], &value) && value == 0;
    holder_vars.push_back(none ? holders[j] : Define(fmt::format("row_holder_{}_{}", level, j), holders[j]));
  }
  std::vector<z3::expr> cycles;
  for (size_t i = 0; i < n; ++i) {
    z3::expr at = holder_vars[i];
    z3::expr cycle = terms_.False();
    for (size_t steps = 0; steps < n; ++steps) {
      cycle = terms_.Or(cycle, terms_.Eq(at, terms_.Slot(static_cast<int64_t>(i) + 1)));
      z3::expr following = terms_.Slot(0);
      for (size_t j = n; j-- > 0;) following = terms_.Ite(terms_.Eq(at, terms_.Slot(static_cast<int64_t>(j) + 1)), holder_vars[j], following);
      at = following;
    }
    cycles.push_back(cycle);
  }
  return cycles;
}

std::vector<int32_t> Engine::Window(size_t instance, int32_t level) const {
  int32_t others = expiries_;
  for (size_t j = 0; j < shapes_.size(); ++j) others += j == instance ? 0 : shapes_[j].longest;
  const Shape& shape = shapes_[instance];
  std::vector<int32_t> window;
  for (size_t k = 0; k < shape.starts.size(); ++k) {
    if (shape.min_steps[k] <= level && shape.max_steps[k] >= level - others) window.push_back(static_cast<int32_t>(k));
  }
  return window;
}

z3::expr Engine::AllDone(int32_t level) {
  z3::expr all = terms_.True();
  for (size_t i = 0; i < shapes_.size() && !all.is_false(); ++i) {
    std::vector<int32_t> window = Window(i, level);
    const Shape& shape = shapes_[i];
    if (std::find(window.begin(), window.end(), shape.done_id) == window.end()) return terms_.False();
    if (window.size() > 1) all = terms_.And(all, terms_.Eq(frames_[level].pcs[i], PcValue(shape.done_id, shape.pc_bits)));
  }
  return all;
}

z3::expr Engine::Moves(int32_t level, size_t mover) {
  return steps_[level].moves[mover];
}

z3::expr Engine::InstanceMoves(int32_t level, size_t instance) {
  if (!victims_) return Moves(level, instance);
  return terms_.Or(Moves(level, instance), Moves(level, instance + program_.instances.size()));
}

z3::expr Engine::Deadlock(int32_t level) {
  if (program_.allow_deadlock || program_.instances.empty()) return terms_.False();
  const StepFrame& step = steps_[level];
  // The environment's moves do not count: a state where only they are possible is a deadlock.
  z3::expr stuck = terms_.Not(AllDone(level));
  for (size_t m = 0; m < InstanceMovers(); ++m) {
    stuck = terms_.And(stuck, terms_.Or(step.instances[m].done, step.instances[m].blocked));
  }
  return stuck;
}

z3::expr Engine::StepViolation(int32_t level, const std::vector<bool>& covers_open) {
  const StepFrame& step = steps_[level];
  z3::expr failed = terms_.False();
  z3::expr succeeded = terms_.False();
  for (size_t i = 0; i < step.instances.size(); ++i) {
    failed = terms_.Or(failed, terms_.And(Moves(level, i), step.instances[i].failed));
    succeeded = terms_.Or(succeeded, terms_.And(Moves(level, i), step.instances[i].succeeded));
  }
  return terms_.Or(failed, terms_.And(succeeded, Properties(level + 1, covers_open).bad));
}

// Neighbouring steps level-1 and level may come in descending instance order only when they
// touch a common slot and one of them writes it: other pairs are one run in two orders.
z3::expr Engine::Independent(int32_t level) {
  size_t n = Movers();
  auto selected = [&](int32_t at, bool writes) {
    std::map<int32_t, z3::expr> footprint;
    const StepFrame& step = steps_[at];
    for (size_t i = 0; i < n; ++i) {
      const z3::expr& moves = step.moves[i];
      for (const auto& [slot, when] : writes ? step.instances[i].writes : step.instances[i].reads) {
        z3::expr w = terms_.And(moves, when);
        auto it = footprint.find(slot);
        if (it == footprint.end()) footprint.emplace(slot, w); else it->second = terms_.Or(it->second, w);
      }
    }
    return footprint;
  };
  std::map<int32_t, z3::expr> r1 = selected(level - 1, false), w1 = selected(level - 1, true);
  std::map<int32_t, z3::expr> r2 = selected(level, false), w2 = selected(level, true);
  z3::expr dependent = terms_.False();
  for (const auto& [slot, when] : w1) {
    z3::expr other = terms_.False();
    if (auto it = r2.find(slot); it != r2.end()) other = terms_.Or(other, it->second);
    if (auto it = w2.find(slot); it != w2.end()) other = terms_.Or(other, it->second);
    dependent = terms_.Or(dependent, terms_.And(when, other));
  }
  for (const auto& [slot, when] : r1) {
    if (auto it = w2.find(slot); it != w2.end()) dependent = terms_.Or(dependent, terms_.And(when, it->second));
  }
  // A deadlock victim's step depends on whether others wait for rows, which no footprint shows:
  // it is never swapped.
  for (size_t m = program_.instances.size(); m < InstanceMovers(); ++m) {
    dependent = terms_.Or(dependent, terms_.Or(steps_[level - 1].moves[m], steps_[level].moves[m]));
  }
  // The earlier step's mover is above the later one's, in the order breadth-first search
  // generates them: the instance movers, then the expiry of each key (so independent expiries,
  // too, come in one order only).
  auto order = [&](int32_t at) {
    std::vector<z3::expr> movers(steps_[at].moves.begin(), steps_[at].moves.begin() + InstanceMovers());
    movers.insert(movers.end(), steps_[at].expiring.begin(), steps_[at].expiring.end());
    return movers;
  };
  std::vector<z3::expr> earlier = order(level - 1), later = order(level);
  z3::expr descending = terms_.False();
  z3::expr above = terms_.False();  // some mover above j moved at level - 1
  for (size_t j = later.size(); j-- > 0;) {
    descending = terms_.Or(descending, terms_.And(later[j], above));
    above = terms_.Or(above, earlier[j]);
  }
  return z3::implies(descending, dependent);
}

std::vector<std::vector<int32_t>> Engine::SymmetricGroups() const {
  // Whether an expression (or what it reads) names `self`.
  std::vector<int8_t> uses_self(program_.exprs.size(), -1);
  auto uses = [&](auto&& self_fn, int32_t expr) -> bool {
    if (expr < 0) return false;
    int8_t& known = uses_self[expr];
    if (known >= 0) return known != 0;
    const ir::Expr& e = program_.exprs[expr];
    bool result = e.op == ir::ExprOp::kSelf || self_fn(self_fn, e.a) || self_fn(self_fn, e.b);
    known = result ? 1 : 0;
    return result;
  };
  std::vector<std::vector<int32_t>> groups;
  for (size_t p = 0; p < program_.processes.size(); ++p) {
    const ir::Process& process = program_.processes[p];
    bool alike = true;
    for (const ir::Instr& instr : process.code) {
      alike = alike && !uses(uses, instr.expr) && !uses(uses, instr.expr2) && !uses(uses, instr.index);
      if (instr.op == ir::Op::kRedis) {
        const ir::RedisOp& op = program_.redis_ops[instr.call];
        alike = alike && !uses(uses, op.element) && !uses(uses, op.value) && !uses(uses, op.ttl);
      } else if (instr.op == ir::Op::kRedisBegin) {
        alike = alike && !uses(uses, program_.redis_blocks[instr.call].element);
      } else if (instr.op == ir::Op::kSql) {
        // A SQL statement's clauses are expressions too. No database rule looks at instance
        // numbers otherwise: row locks, waiters and victims treat every instance alike.
        const ir::SqlStatement& sql = program_.sql[instr.call];
        alike = alike && !uses(uses, sql.where) && !uses(uses, sql.key_expr);
        for (const ir::SqlSet& set : sql.sets) alike = alike && !uses(uses, set.expr);
        for (int32_t value : sql.values) alike = alike && !uses(uses, value);
      }
    }
    for (const ir::ProcessParam& param : process.params) {
      alike = alike && !uses(uses, param.value_expr) && !uses(uses, param.lo_expr) && !uses(uses, param.hi_expr);
    }
    std::vector<int32_t> group;
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      const ir::Instance& inst = program_.instances[i];
      if (inst.process != static_cast<int32_t>(p)) continue;
      // Instances on different replicas see different copies of memory and locks.
      if (!group.empty() && inst.replica != program_.instances[group[0]].replica) alike = false;
      group.push_back(static_cast<int32_t>(i));
    }
    if (alike && group.size() > 1) groups.push_back(std::move(group));
  }
  return groups;
}

// An instance of a group takes its first step only after the one before it in the group has
// started. Renaming the instances of any run makes one that does, with the same states up to
// the renaming (which no property can see), so no violation or cover is lost; and moving a
// lower instance's step earlier, as the peephole reduction does, keeps the order.
z3::expr Engine::FirstMovesInOrder(int32_t level) {
  z3::expr all = terms_.True();
  for (const std::vector<int32_t>& group : groups_) {
    for (size_t k = 1; k < group.size(); ++k) {
      int32_t before = group[k - 1], after = group[k];
      z3::expr unstarted = terms_.Eq(frames_[level].pcs[after], PcValue(0, shapes_[after].pc_bits));
      z3::expr started = terms_.Not(terms_.Eq(frames_[level].pcs[before], PcValue(0, shapes_[before].pc_bits)));
      all = terms_.And(all, z3::implies(terms_.And(InstanceMoves(level, after), unstarted), started));
    }
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Properties

Engine::PropertyTerms Engine::Properties(int32_t level, const std::vector<bool>& covers_open) {
  const Frame& frame = frames_[level];
  PropertyTerms out{terms_.False(), {}};
  z3::expr final_bad = terms_.False();
  // Finals are looked at only where every instance may have finished.
  z3::expr all_done = AllDone(level);
  for (size_t k = 0; k < program_.properties.size(); ++k) {
    const ir::Property& property = program_.properties[k];
    if (property.kind == ir::PropertyKind::kFinal && all_done.is_false()) {
      out.cover_reached.push_back(terms_.False());
      continue;
    }
    int32_t copies = 1;
    for (int32_t var : property.vars) copies = std::max(copies, program_.vars[var].copies);
    // The copies in order, as the explicit engine looks at them: the first that fails or
    // (for covers) holds decides.
    z3::expr bad = terms_.False();
    z3::expr reached = terms_.False();
    z3::expr fault_first = terms_.False();
    z3::expr earlier_quiet = terms_.True();
    for (int32_t copy = 0; copy < copies; ++copy) {
      FrameEnv env(frame.globals, nullptr, -1, copy);
      SymValue v = exprs_.Eval(property.expr, env);
      z3::expr truth = exprs_.Truth(v);
      bad = terms_.Or(bad, terms_.Or(v.fault, terms_.Not(truth)));
      reached = terms_.Or(reached, terms_.And(earlier_quiet, terms_.And(terms_.Not(v.fault), truth)));
      fault_first = terms_.Or(fault_first, terms_.And(earlier_quiet, v.fault));
      earlier_quiet = terms_.And(earlier_quiet, terms_.And(terms_.Not(v.fault), terms_.Not(truth)));
    }
    switch (property.kind) {
      case ir::PropertyKind::kInvariant:
        out.bad = terms_.Or(out.bad, bad);
        out.cover_reached.push_back(terms_.False());
        break;
      case ir::PropertyKind::kFinal:
        final_bad = terms_.Or(final_bad, bad);
        out.cover_reached.push_back(terms_.False());
        break;
      case ir::PropertyKind::kCover:
        // A cover that fails to evaluate is a runtime error, until it has been reached.
        if (k < covers_open.size() && covers_open[k]) out.bad = terms_.Or(out.bad, fault_first);
        out.cover_reached.push_back(reached);
        break;
    }
  }
  if (!final_bad.is_false()) out.bad = terms_.Or(out.bad, terms_.And(all_done, final_bad));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Solving

z3::expr Engine::Fresh(const std::string& name, unsigned bits) { return terms_.Var(name.c_str(), bits); }

z3::expr Engine::SlotVar(const std::string& name) { return terms_.SlotVar(name.c_str()); }

z3::expr Engine::Define(const std::string& name, const z3::expr& value) {
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

Answer Engine::Ask(const std::vector<z3::expr>& conditions) {
  z3::expr_vector assumptions(ctx_);
  for (const z3::expr& condition : conditions) {
    if (condition.is_true()) continue;
    if (condition.is_false()) return Answer::kNo;
    z3::expr literal = ctx_.bool_const(fmt::format("ask_{}", literals_++).c_str());
    Assert(z3::implies(literal, condition));
    assumptions.push_back(literal);
  }
  if (options_.max_seconds > 0) {
    double left = options_.max_seconds - Elapsed();
    if (left <= 0) {
      timed_out_ = true;
      return Answer::kUnknown;
    }
    solver_.set("timeout", static_cast<unsigned>(std::max(1.0, left * 1000)));
  }
  Clock::time_point before = Clock::now();
  model_fresh_ = false;
  z3::check_result r = solver_.check(assumptions);
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
      unknown_reason_ = solver_.reason_unknown();
      if (options_.max_seconds > 0 && (unknown_reason_.find("timeout") != std::string::npos ||
                                       unknown_reason_.find("canceled") != std::string::npos ||
                                       Elapsed() >= options_.max_seconds * 0.9)) {
        timed_out_ = true;
      }
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

// ---------------------------------------------------------------------------------------------
// Results

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
      step.expiry = leases_[ValueOf(steps_[t].instances[mover].choices.at(0).value)];
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

std::string Engine::Scope(int32_t levels, bool bound_reached) const {
  std::string scope = fmt::format("every interleaving of every run (the longest has {} {})", levels,
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
  if (bound_reached) {
    std::string lines;
    for (size_t k = 0; k < unrolled_.bounded_loop_lines.size(); ++k) {
      lines += (k == 0 ? "" : ", ") + std::to_string(unrolled_.bounded_loop_lines[k]);
    }
    scope += fmt::format("; it holds up to {} iterations of the {} at line{} {} (--unroll {})", options_.unroll,
                         unrolled_.bounded_loop_lines.size() == 1 ? "loop" : "loops",
                         unrolled_.bounded_loop_lines.size() == 1 ? "" : "s", lines, options_.unroll);
  }
  return scope;
}

void Engine::Inconclusive(SymbolicResult& result, const std::string& reason) {
  result.report.verdict = result::Verdict::kInconclusive;
  result.report.inconclusive_reason = reason;
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

}  // namespace

SymbolicResult Check(const ir::Program& program, const SymbolicOptions& options) {
  try {
    return Engine(program, options).Run();
  } catch (const z3::exception& e) {
    RACECHECK_CHECK(false, std::string("z3: ") + e.msg());
  }
}

}  // namespace racecheck::symbolic
