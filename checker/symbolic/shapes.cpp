#include "checker/symbolic/engine.h"

#include <set>

#include "checker/base/diagnostics.h"
#include "fmt/format.h"

namespace racecheck::symbolic {
namespace {

unsigned BitsFor(size_t values) {
  unsigned bits = 1;
  while ((size_t{1} << bits) < values) ++bits;
  return bits;
}

}  // namespace

std::string Engine::Shapes() {
  // Steps from a state about which nothing is known: every end a real state may reach.
  std::vector<z3::expr> globals;
  Terms shape_terms(ctx_, terms_.arithmetic());
  for (int32_t slot = 0; slot < global_count_; ++slot) {
    std::string name = fmt::format("any_g{}", slot);
    globals.push_back(layout_.Boolean(slot) ? shape_terms.Bool(name.c_str()) : shape_terms.SlotVar(name.c_str()));
  }
  ExprEncoder shape_exprs(program_, shape_terms);
  StepEncoder encoder(program_, unrolled_, layout_, shape_terms, shape_exprs);
  int32_t most_rows = 1;
  for (const ir::Table& table : program_.tables) most_rows = std::max(most_rows, table.capacity);
  // A statement that takes one row a step (SqlStatement::row_by_row) may also stop after each
  // row it locked, besides each wait: two steps a row, and the one that scans.
  bool row_by_row = std::any_of(program_.sql.begin(), program_.sql.end(),
                                [](const ir::SqlStatement& sql) { return sql.row_by_row; });
  int32_t statement_steps = row_by_row ? 2 * most_rows + 1 : most_rows;
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Process& process = program_.processes[program_.instances[i].process];
    std::vector<z3::expr> locals;
    for (size_t k = 0; k < process.local_names.size(); ++k) {
      locals.push_back(shape_terms.SlotVar(fmt::format("any_l{}", k).c_str()));
    }
    const UnrolledInstance& unrolled = unrolled_.instances[i];
    std::set<int32_t> starts = {0, unrolled.done};
    std::map<int32_t, std::set<int32_t>> next;
    std::map<int32_t, int32_t> killed_to;  // node -> node, where a replica crash kills it
    std::vector<int32_t> work = {0};
    while (!work.empty()) {
      // Stopped part way, the shapes are incomplete: Run looks and gives up.
      if (Stopped()) return "";
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
      int32_t target = -1;
      std::string problem = KilledTo(i, node, &target);
      if (!problem.empty()) return problem;
      if (target < 0) continue;
      killed_to[node] = target;
      if (starts.insert(target).second && target != unrolled.done) work.push_back(target);
    }
    Shape shape;
    shape.starts.assign(starts.begin(), starts.end());
    for (size_t k = 0; k < shape.starts.size(); ++k) shape.id[shape.starts[k]] = static_cast<int32_t>(k);
    shape.done_id = shape.id.at(unrolled.done);
    size_t n = shape.starts.size();
    shape.killed_to.assign(n, -1);
    for (const auto& [from, to] : killed_to) shape.killed_to[shape.id.at(from)] = shape.id.at(to);
    constexpr int32_t kUnreached = INT32_MAX;
    shape.min_steps.assign(n, kUnreached);
    shape.max_steps.assign(n, -1);
    shape.min_steps[0] = 0;
    shape.max_steps[0] = 0;
    // Node order is topological, and so is the order of starts, except for self-loops: a SQL
    // statement that waits for a row lock part way ends its step at its own node. Its first
    // step scans and each later one locks at least one more row, so it takes at most one step
    // per row slot there (two with row_by_row: one that waits, one that locks and stops).
    for (size_t k = 0; k < n; ++k) {
      if (shape.max_steps[k] < 0) continue;
      if (next[shape.starts[k]].count(shape.starts[k]) > 0) {
        // Only a SQL statement may end a step where it began; anything else would make the
        // windows and the longest run wrong, so it stops the engine rather than prove too much.
        int32_t pc = unrolled.nodes[shape.starts[k]].pc;
        RACECHECK_CHECK(pc >= 0 && process.code[pc].op == ir::Op::kSql, "a step that ends where it began, not at SQL");
        shape.max_steps[k] += statement_steps;
      }
      for (int32_t end : next[shape.starts[k]]) {
        int32_t e = shape.id.at(end);
        if (e == static_cast<int32_t>(k)) continue;
        shape.min_steps[e] = std::min(shape.min_steps[e], shape.min_steps[k] + 1);
        shape.max_steps[e] = std::max(shape.max_steps[e], shape.max_steps[k] + 1);
      }
      // A replica crash moves the instance in no step of its own, always forward (to the
      // finished node, or to the next attempt, whose nodes come after this one's).
      if (int32_t e = shape.killed_to[k]; e >= 0) {
        RACECHECK_CHECK(e > static_cast<int32_t>(k), "a replica crash that sends an instance back");
        shape.min_steps[e] = std::min(shape.min_steps[e], shape.min_steps[k]);
        shape.max_steps[e] = std::max(shape.max_steps[e], shape.max_steps[k]);
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
  for (int32_t slot = 0; slot < global_count_; ++slot) {
    if (layout_.Boolean(slot)) frame.globals[slot] = terms_.False();
  }
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
        if (redis.keys[k].IsCollection()) {
          std::vector<ir::Value> slots = redis.keys[k].InitialCollection();
          for (size_t i = 0; i < slots.size(); ++i) frame.globals[slot + i] = terms_.Slot(slots[i]);
          continue;
        }
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
  // Table cells likewise (never a key or unique column).
  for (const ir::Table& table : program_.tables) {
    for (size_t r = 0; r < table.initial_exprs.size(); ++r) {
      for (int32_t c = 0; c < table.column_count(); ++c) {
        if (table.initial_exprs[r][c] < 0) continue;
        FrameEnv env(frame.globals, nullptr, -1, 0);
        SymValue v = exprs_.Eval(table.initial_exprs[r][c], env);
        z3::expr fits = table.column_nullable[c] ? exprs_.Fits32(v.value) : exprs_.FitsInt(v.value);
        init_problem_ = terms_.Or(init_problem_, terms_.Or(v.fault, terms_.Not(fits)));
        frame.globals[table.ValueSlot(static_cast<int32_t>(r), c)] = exprs_.Low32(v.value);
      }
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
      z3::expr faults = terms_.Or(lo.fault, hi.fault);
      z3::expr problem = terms_.Or(faults, exprs_.Lt(hi.value, lo.value));
      z3::expr lo_fits = exprs_.Fits32(lo.value);
      problem = terms_.Or(problem, terms_.Not(terms_.And(lo_fits, exprs_.Fits32(hi.value))));
      init_problem_ = terms_.Or(init_problem_, problem);
      z3::expr var = SlotVar(fmt::format("param_{}_{}", inst.display_name, param.name));
      z3::expr above = exprs_.Le(lo.value, var);
      Assert(terms_.Or(problem, terms_.And(above, exprs_.Le(var, hi.value))));
      locals[param.local] = var;
      range_vars_.back().push_back(var);
      range_lows_.back().push_back(lo.value);
    }
    frame.locals.push_back(std::move(locals));
    frame.pcs.push_back(PcValue(0, shapes_[i].pc_bits));
  }
  frames_.push_back(std::move(frame));
}

}  // namespace racecheck::symbolic
