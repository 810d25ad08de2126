// The z3 engine's search, shared by the files that hold its parts: setup (shapes.cpp), one
// step of every mover (frames.cpp, leases.cpp), the reductions (reduction.cpp), the solver
// (solving.cpp), the run found (results.cpp) and the search over run lengths (check.cpp).
#pragma once

#include <z3++.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/ir/program.h"
#include "checker/symbolic/db_terms.h"
#include "checker/symbolic/step.h"
#include "checker/symbolic/symbolic.h"
#include "checker/symbolic/terms.h"
#include "checker/symbolic/unroll.h"
#include "checker/symbolic/watchdog.h"

namespace racecheck::symbolic {

using Clock = std::chrono::steady_clock;

// The steps of one instance as a graph between the nodes where steps start.
struct Shape {
  std::vector<int32_t> starts;   // node indices, ascending; the finished node last
  std::map<int32_t, int32_t> id;  // node -> index into starts
  std::vector<int32_t> min_steps;  // per start: fewest steps of the instance to get there
  std::vector<int32_t> max_steps;  // per start: most steps
  int32_t done_id = 0;
  // Per start: where a crash of its replica sends the instance (an index into starts: the
  // finished node, or pc 0 of its next attempt), -1 where it does not die (pc 0, finished).
  std::vector<int32_t> killed_to;
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
// then (in models with Redis leases) the environment, which expires one key, then (with
// `replica may crash`) the environment crashing a replica. Breadth-first search expands them in
// this order.
struct StepFrame {
  std::vector<z3::expr> moves;  // per mover: it takes the step (exactly one does)
  std::vector<InstanceStep> instances;  // per mover; the environment's choice is the key it expires
  // Per key that may get a lease: the environment expires it at this step.
  std::vector<z3::expr> expiring;
  // Timed models, per instance: its step could go round a poll, changing nothing but its locals
  // (Stepper::Waiting's PollProbe): it waits for whoever ends the loop.
  std::vector<z3::expr> polling;
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

// One run of the engine over one program: Check() makes one and runs it.
class Engine {
 public:
  Engine(const ir::Program& program, const SymbolicOptions& options);

  // The whole run; a limit or Ctrl-C stops it as inconclusive. Afterwards the engine only waits
  // to be freed: Check() hands it to FreeInBackground.
  SymbolicResult Run();

 private:
  // The search over run lengths, filling `result`; returns early when it ends.
  void Search(SymbolicResult& result);
  // The statistics of a run that checked runs of up to `depth` steps.
  void Finish(SymbolicResult& result, int32_t depth);
  // Ends `result` as inconclusive: a limit or Ctrl-C stopped the run, or the solver gave up.
  void GaveUp(SymbolicResult& result, int32_t level);
  // Whether the run must stop now (a limit, Ctrl-C): then it stops where it is.
  bool Stopped() { return watchdog_.Check() != StopReason::kNone; }
  // ---- setup ----
  std::string Shapes();
  void InitialFrame();
  // ---- frames ----
  // Adds frame level + 1; false when the run had to stop part way (the frame is then unusable).
  bool EncodeStep(int32_t level);
  z3::expr Moves(int32_t level, size_t mover);
  // Whether the instance moves at step `level`, as itself or as a deadlock victim.
  z3::expr InstanceMoves(int32_t level, size_t instance);
  // The instances, and the instances as deadlock victims.
  size_t InstanceMovers() const { return program_.instances.size() * (victims_ ? 2 : 1); }
  // Then the expiry or time mover (with leases), then the replica crash mover (`replica may crash`).
  size_t Movers() const { return ReplicaCrashMover() + (program_.replica_crash_bound > 0 ? 1 : 0); }
  size_t ReplicaCrashMover() const { return InstanceMovers() + (leases_.empty() ? 0 : 1); }
  bool IsEnvironment(size_t mover) const { return mover >= InstanceMovers(); }
  // The environment's move at step `level`: a key with a lease expires (Stepper::StepEnvironment).
  InstanceStep EncodeExpiry(int32_t level, std::map<int32_t, z3::expr>& new_globals);
  // In a timed model the environment's move is time passing instead (Stepper::StepTime).
  InstanceStep EncodeTime(int32_t level, std::map<int32_t, z3::expr>& new_globals);
  // Whether the step of `instance` from node `start`, encoded as `enc` over `globals`, may go
  // round a poll: succeed at the same pc of the code, every slot outside its own block as it was.
  // On a loop that writes and waits (Process::probe_steps), over up to two rounds' steps alone;
  // still on the loop when they are spent, it waits too.
  z3::expr Polls(int32_t instance, int32_t start, const StepEncoding& enc, const std::vector<z3::expr>& globals,
                 const std::vector<z3::expr>& locals, const std::string& tag);
  // Process::rounds_local: whether the instance at `node` has gone round its loop that writes
  // and waits for RoundsLimit steps (it waits, Stepper::Waiting), and its value after the step
  // `enc` from `node`, where `at` (Process::RoundsAfter), into `locals_after`.
  z3::expr RoundsSpent(size_t instance, int32_t node, const std::vector<z3::expr>& locals);
  void CountRounds(size_t instance, int32_t node, const StepEncoding& enc, const std::vector<z3::expr>& locals,
                   const z3::expr& at, std::vector<z3::expr>& locals_after);
  // A state Polls' probe passed: its pc, the slots the probe's run had written there, and the
  // instance's locals (compared, with its transaction's slots, by a probe of more steps, as
  // Stepper::Waiting's).
  struct Passed {
    int32_t pc;
    std::map<int32_t, z3::expr> written;
    std::vector<z3::expr> locals;
  };
  // Polls' probe from a step `enc` of the probe's run over `start`, with `written` the slots its
  // earlier steps wrote: whether it ends in a state the run passed within `steps_left` steps, or
  // (a probe of more than one step) is still on the loop after them.
  z3::expr GoesRound(int32_t instance, const StepEncoding& enc, const std::vector<z3::expr>& start,
                     std::vector<Passed> passed, std::map<int32_t, z3::expr> written, int32_t steps_left,
                     const std::string& tag);
  // The crash of one replica, the environment's choice (Stepper::CrashReplica): its memory and
  // locks as they started, the requests on it that took a step and have not finished dead.
  InstanceStep EncodeReplicaCrash(int32_t level, std::map<int32_t, z3::expr>& new_globals,
                                  std::vector<z3::expr>& new_pcs, std::vector<std::vector<z3::expr>>& new_locals);
  // Replica crashes: more environment moves in a run.
  void ReplicaCrashes();
  // The node a crash of its replica sends an instance at `node` to (Stepper::CrashReplica), -1
  // where it does not die; "" or, where the unrolling cannot tell, what in words (`target`
  // then unset).
  std::string KilledTo(size_t instance, int32_t node, int32_t* target) const;
  // Keys that may get a lease, and how many expiries a run can have.
  void Leases();
  // Per instance: it waits for a row lock in a cycle of such waits (Explorer::InRowCycle).
  // `sharers`: per instance, the share holders it waits for too (empty when it waits for none).
  std::vector<z3::expr> RowCycles(int32_t level, const std::vector<z3::expr>& holders,
                                  const std::vector<std::vector<z3::expr>>& sharers);
  // The same where a transaction may wait for several (share) holders: reachability in the
  // graph of waits, by n rounds of relaxation.
  std::vector<z3::expr> SharedRowCycles(int32_t level, const std::vector<z3::expr>& holders,
                                        const std::vector<std::vector<z3::expr>>& sharers);
  z3::expr Deadlock(int32_t level);
  z3::expr StepViolation(int32_t level, const std::vector<bool>& covers_open);
  z3::expr Independent(int32_t level);
  // Instances of one group (ir::FindSymmetry) take their first steps in index order: at step
  // `level`, an instance that has not moved moves only after the one before it in its group has.
  // Called once per level, in order.
  z3::expr FirstMovesInOrder(int32_t level);
  // Whether the instance's first step may end where it began (a SQL statement at pc 0 that waits
  // part way, an atomic block at pc 0 undone at a held lock): then its pc does not say whether it
  // has moved.
  bool MayRestAtStart(size_t instance) const;
  // Whether time passing at step `level` depends on which instances wait: an instance with a
  // takes region may wait there (its region then counts for nothing, EncodeTime).
  bool TimeSeesWaits(int32_t level) const;
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
  // With max_conflicts, the solver gives up (kUnknown, Stopped() false) after that many
  // conflicts of its SAT search.
  Answer Ask(const std::vector<z3::expr>& conditions, unsigned max_conflicts = 0);
  void Assert(const z3::expr& condition);
  // The conflicts of every check so far.
  uint64_t Conflicts();
  z3::expr Fresh(const std::string& name, unsigned bits);
  z3::expr SlotVar(const std::string& name);
  // Which start node an instance is at: a small bit vector, or an integer with integer arithmetic.
  z3::expr PcValue(int32_t id, unsigned bits) {
    return terms_.bit_vector() ? ctx_.bv_val(id, bits) : ctx_.int_val(id);
  }
  // A fresh variable equal to `value`. A bit-vector value built only from small numerals, `ite`s,
  // extensions and low extracts of earlier such definitions, and sums of these, gets a variable as
  // narrow as it can be, zero-extended: the bits above are zero by construction, and the solver
  // carries them nowhere.
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
  // The model's run of `steps` steps as a condition: its parameter values, and at each step the
  // mover and the values of the choices it makes. Nothing else is left to choose in its states.
  z3::expr RunOfModel(int32_t steps);
  std::string Scope(int32_t levels, bool levels_known) const;
  // Why a search cut at --unroll has no verdict: the loops cut, and the bound.
  std::string UnrollText() const;
  double Elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  // The progress line on stderr (options_.progress): the depth whose states are being expanded
  // (runs of that many steps, and a step more), the size of the problem, the time so far. One
  // line rewritten in place; ClearProgress removes it before the report.
  void ShowProgress(int32_t level, int32_t longest_run);
  void ClearProgress();
  // Lets the model of the last satisfiable check be read after an interrupted check (Z3 refuses
  // to evaluate terms while its interrupt stands).
  void ClearInterrupt();
  void Inconclusive(SymbolicResult& result, const std::string& reason);

  const ir::Program& program_;
  SymbolicOptions options_;
  z3::context ctx_;
  Terms terms_;
  ExprEncoder exprs_;
  DbLayout layout_;
  bool victims_ = false;
  z3::solver solver_;
  Watchdog watchdog_;  // after the context it interrupts, so that it is stopped before it goes
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
  // Timed models: ir::GhostSlots, which a poll may change (Polls).
  std::vector<uint8_t> ghost_slots_;
  std::vector<uint8_t> watch_slots_;  // ir::WatchSlots, which Polls compares all the same
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
  std::vector<std::vector<int32_t>> groups_;  // ir::FindSymmetry's, unless options_.symmetry is off
  // Per instance that MayRestAtStart: whether it has moved before the level FirstMovesInOrder
  // looks at next (the moves of the levels before, or-ed).
  std::vector<z3::expr> moved_before_;
  uint64_t constraints_ = 0;
  double solver_seconds_ = 0;
  uint64_t literals_ = 0;
  // The assumption literals of the last check, asserted false before the next one.
  std::vector<z3::expr> spent_literals_;
  std::string unknown_reason_;
  int32_t level_ = 0;  // the level being searched, for a run that an exception cuts short
  bool progress_shown_ = false;
};

}  // namespace racecheck::symbolic
