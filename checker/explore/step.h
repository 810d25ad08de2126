// Step semantics: what one instance does in one transition, under the threads or the event-loop
// runtime (docs/semantics.md, "Steps" and "Event loop"). Search and trace replay both run this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "checker/explore/db.h"
#include "checker/explore/eval.h"
#include "checker/explore/redis.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

// A branch of a step that failed: an assert, or a runtime error of the model.
struct StepFailure {
  result::ViolationKind kind = result::ViolationKind::kRuntimeError;
  int line = 0;          // of the failing instruction's statement
  std::string message;
};

// Receives the outcomes of one step, one call per branch, in a fixed order (kChoose values ascending).
// written_locals() entries: a local's index; a local written by a kRead is stored as
// -local - 1; a write to a global slot (kWrite, kGhostWrite) as kGlobalWriteBase + slot.
inline constexpr int32_t kGlobalWriteBase = 1 << 29;
inline int32_t EncodeReadWrite(int32_t local) { return -local - 1; }
inline int32_t EncodeGlobalWrite(int32_t slot) { return kGlobalWriteBase + slot; }
inline bool IsGlobalWrite(int32_t entry) { return entry >= kGlobalWriteBase; }
inline int32_t GlobalSlot(int32_t entry) { return entry - kGlobalWriteBase; }
inline int32_t WrittenLocal(int32_t entry) { return entry < 0 ? -entry - 1 : entry; }
inline bool WrittenByRead(int32_t entry) { return entry < 0; }

// Each call returns whether the step goes on: false stops it where it is, leaving its other
// branches ungenerated (a limit was reached, the sink found what it looked for).
class StepSink {
 public:
  // A completed branch; `state` is the successor and `statement` the one that names the step.
  virtual bool Successor(const ir::Value* state, int32_t statement) = 0;
  // A failed branch; `state` is as it was at the failing instruction (pc pointing at it).
  virtual bool Failure(const ir::Value* state, int32_t statement, StepFailure failure) = 0;
  // Called after about every kPollWork units of work (instructions run, branches begun), also
  // inside one step, so that a wide choose or a long local loop still looks at the clock.
  virtual bool Poll() = 0;

 protected:
  ~StepSink() = default;
};

// Whether the instance could move at all, and what holds it when it could not.
struct StepResult {
  bool enabled = false;
  int32_t blocked_lock_slot = -1;  // not enabled: the lock slot it waits for (a row's owner slot with blocked_on_row)
  bool blocked_on_row = false;     // it waits for a row lock held by another transaction
};

// Instructions one step may run before we call it a loop that never touches shared state.
inline constexpr int32_t kMaxStepInstructions = 1'000'000;
// Work between two StepSink::Poll calls: small enough that a poll comes every fraction of a
// millisecond, large enough that the poll (a clock read) costs nothing measurable.
inline constexpr int32_t kPollWork = 1 << 14;

class Stepper {
 public:
  explicit Stepper(const ir::Program& program);

  // Runs every branch of one step of `instance` (which must not be done) from `state`.
  StepResult Step(const ir::Value* state, int32_t instance, StepSink& sink);
  // The database breaks a cycle of waiting transactions: `instance`, waiting for a row lock,
  // fails with a deadlock error, and goes on as its failure handling says.
  void StepDeadlockVictim(const ir::Value* state, int32_t instance, StepSink& sink);
  // The environment's moves: each Redis key with a lease may expire (one branch per key); in a
  // timed model, time passes instead (one branch per amount, StepTime).
  void StepEnvironment(const ir::Value* state, StepSink& sink);
  // The environment crashes a replica (one branch per replica, while the model's bound allows
  // another crash): CrashReplica (docs/semantics.md, "Replica crashes"). StepEnvironment runs
  // these after the expiries or time passing.
  void StepReplicaCrashes(const ir::Value* state, StepSink& sink);
  // Replica `replica` crashes and restarts: one more crash counted, its shared variables back to
  // their initial values, its locks free, and every request on it that has taken a step and not
  // finished dead (transaction rolled back, WATCHes dropped, locals cleared): back at pc 0 with
  // its parameters when its process retries crashed requests and has retries left, else finished
  // as crashed.
  void CrashReplica(ir::Value* state, int32_t replica);
  // Whether a crash of its replica kills the instance: it has taken a step and not finished.
  bool OnCrashedReplica(const ir::Value* state, int32_t instance) const;
  // Timed models: the most time that may pass from `state` (0: none may), and its passing:
  // leases lose d ms (those that reach 0 expire), open takes regions may last d ms less. The
  // region of an instance that waits (for a lock, a row, a blocking pop) neither bounds time nor
  // loses it: a wait is time its block's bound does not cover. `waiting` is per instance
  // (Waiting below); empty when none waits.
  int32_t TimeCap(const ir::Value* state, const std::vector<uint8_t>& waiting) const;
  void PassTime(ir::Value* state, int32_t d, const std::vector<uint8_t>& waiting);
  // Per instance, whether it has a takes region open in `state` and cannot move (its step
  // waits); empty when none does. Probes each such instance's step; a stop asked by `sink`'s
  // poll ends it early (stopped() then says so).
  std::vector<uint8_t> Waiting(const ir::Value* state, StepSink& sink);
  // Waiting probes with a stepper of `program` (the same layout, every choice open) instead of
  // this one's: a replay's copy narrows each choice to the values its trace made, and a probe of
  // several steps makes others (round 22). Null: this one's own.
  void set_probe_program(const ir::Program* program);
  // Whether the instance's takes region is open and bounds time (it does not wait).
  bool RegionCounts(const ir::Value* state, size_t instance, const std::vector<uint8_t>& waiting) const;
  // The mover number of the environment's moves (after every instance).
  int32_t environment_mover() const { return static_cast<int32_t>(program_.instances.size()); }

  // For traces: when on, written_locals() tells, during a StepSink call, which locals the
  // branch reported wrote (so "b = 0" shows even when b was 0 before).
  void set_record_writes(bool on);
  // When on, time passes by every amount also once every instance has finished (TimeAmounts):
  // a run from elsewhere (the z3 engine's) may let any amount pass there, and its trace is
  // rebuilt by stepping.
  void set_every_time_amount(bool on) { every_time_amount_ = on; }
  // Entries are local indices; a local written by a shared read is EncodeReadWrite(local).
  const std::vector<int32_t>& written_locals() const { return written_; }
  // With record_writes on: what the database and Redis did on the branch reported.
  const std::vector<DbEvent>& events() const { return events_; }
  // With record_writes on: (ghost slot, statement) for each ghost write on the branch reported,
  // in order, so a trace can say which statement of a long step updated a ghost.
  std::vector<std::pair<int32_t, int32_t>> ghost_writers() const;
  // With record_writes on: each local a shared read wrote on the branch reported, in order, so a
  // trace shows what a temporary read even when its statement cleared it later in the step (an
  // `if` condition's read).
  struct ReadValue {
    int32_t local;
    int32_t slot;  // the shared variable's slot read, -1 for a database or Redis answer
    ir::Value value;
  };
  std::vector<ReadValue> read_values() const;
  // With record_writes on: when the branch reported finished the instance, its locals just
  // before they were cleared (so a value assigned in the last step still shows); else empty.
  const std::vector<ir::Value>& finished_locals() const { return finished_locals_; }
  // Transaction failures (handled or not) in all the steps run so far.
  uint64_t failed_transactions() const { return failed_transactions_; }
  // Whether the sink stopped the last step (Step, StepDeadlockVictim, StepEnvironment) before
  // all its branches were generated; its StepResult then says nothing.
  bool stopped() const { return stopped_; }

 private:
  // One branch of the step being run; forks copy it, and it is passed by value, so its fields
  // are ordered and sized to keep it small.
  struct Path {
    int32_t pc = 0;
    int32_t executed = 0;  // instructions run so far in this step (at most kMaxStepInstructions)
    // When `executed` gets here: a poll of the sink, or at kMaxStepInstructions a runtime error
    // (one comparison per instruction for both).
    int32_t check_at = kPollWork;
    int32_t atomic_depth = 0;
    int32_t first_statement = -1;    // first instruction with a statement
    int32_t visible_statement = -1;  // first visible instruction
    // Where the outermost atomic block began, to undo it when a lock inside blocks.
    int32_t atomic_pc = -1;
    int32_t atomic_executed = 0;
    int32_t atomic_first_statement = -1;
    int32_t atomic_visible_statement = -1;
    int atomic_snapshot = 0;  // index into snapshots_
    // Inside an eval/multi block: the Redis element it runs on (its commands must use the same).
    int32_t redis_element = -1;
    size_t atomic_written = 0;  // size of written_ when it began
    bool did_visible = false;
    // Event loop: the step made a database or Redis call; it stops before the next visible access.
    bool after_external = false;
  };

  void Run(int depth, Path path);
  // Counts work done, polling the sink once it adds up to kPollWork; false once the step must
  // stop. A branch's instructions are added when it ends and looked at when the next step
  // starts (Run polls every kPollWork instructions within a branch itself), so the loop that
  // runs instructions pays nothing more than its existing instruction limit.
  bool AddWork(int64_t units) {
    work_since_poll_ += units;
    return work_since_poll_ < kPollWork || PollSink();
  }
  bool PollSink();
  void Finish(ir::Value* state, const Path& path);
  // With record_writes on: `local` was just written by a shared read (read_values()).
  void RecordRead(const ir::Value* locals, int32_t local, int32_t slot = -1);
  void Blocked(int depth, Path path, int32_t lock_slot, bool row = false);
  // The instance's transaction failed: roll back, then go to the failure label, or raise the
  // failure when there is none. Returns whether the step goes on.
  bool TransactionFailed(ir::Value* state, Path& path, const ir::Instr& instr, ir::DbFailure failure);
  // The failure nobody handles: a finding, or under `allow failure` the end of the instance.
  void Raise(ir::Value* state, Path& path, ir::DbFailure failure, int32_t statement);
  void Start(const ir::Value* state, int32_t instance, StepSink& sink);
  void StepTime(const ir::Value* state, StepSink& sink);
  // The amounts of time StepTime tries, each from 1 to cap: all of them, or once every instance
  // has finished, only each lease's time left.
  const std::vector<int32_t>& TimeAmounts(const ir::Value* state, int32_t cap);
  void StepExpiries(const ir::Value* state, StepSink& sink);
  // kCrash: releases the lock blocks open at the crash point, rolls back the transaction, drops
  // the WATCHes and clears the locals; false when it failed (a runtime error, reported).
  bool Crash(ir::Value* state, Path& path, const ir::Instr& instr, const EvalContext& context);
  // Clears an instance's locals but its crash count (and, when asked, its parameters).
  void ClearLocals(const ir::Process& process, ir::Value* locals, bool keep_params);
  void Fail(ir::Value* state, const Path& path, result::ViolationKind kind, int line, std::string message);
  void RuntimeError(ir::Value* state, const Path& path, const ir::Instr& instr, const std::string& problem);
  ir::Value* Buffer(std::vector<std::vector<ir::Value>>& pool, int depth);
  int Line(int32_t statement) const;
  // "line 12", or "line 12 in acquire, called from line 30" for a fn's statement.
  std::string Place(int32_t statement) const;

  const ir::Program& program_;
  Evaluator eval_;
  size_t width_;
  bool event_loop_;
  // The step being run.
  int32_t instance_ = 0;
  const ir::Process* process_ = nullptr;
  int32_t base_slot_ = 0;
  // Where the step started and the instance's Process::rounds_local there (Finish counts on).
  int32_t start_pc_ = 0;
  int32_t start_rounds_ = 0;
  StepSink* sink_ = nullptr;
  StepResult result_;
  bool stopped_ = false;  // the sink stopped the step
  int64_t work_since_poll_ = 0;
  // Scratch states by fork depth, and snapshots taken at the start of atomic blocks.
  std::vector<std::vector<ir::Value>> buffers_;
  std::vector<std::vector<ir::Value>> snapshots_;
  bool record_writes_ = false;
  bool every_time_amount_ = false;
  std::unique_ptr<Stepper> prober_;  // set_probe_program's
  // Timed models: ir::GhostSlots, which a poll may change (Waiting's probe).
  std::vector<uint8_t> ghost_slots_;
  std::vector<uint8_t> watch_slots_;  // ir::WatchSlots, which the probe compares all the same
  std::vector<int32_t> time_amounts_;  // TimeAmounts' answer
  std::vector<int32_t> written_;  // locals written on the current branch, when recording
  std::vector<DbEvent> events_;   // database and Redis events on the current branch, when recording
  // When recording: (index in written_, statement) of every ghost write of the step, on any
  // branch; ghost_writers() keeps those that are still in written_ (branches and undone
  // atomic blocks truncate written_ only).
  struct GhostWrite {
    size_t index;
    int32_t slot;
    int32_t statement;
  };
  std::vector<GhostWrite> ghost_writes_;
  // When recording: (index in written_, read) of every shared read into a local, on any
  // branch; read_values() keeps those still in written_, as ghost_writers() does.
  std::vector<std::pair<size_t, ReadValue>> read_values_;
  std::vector<ir::Value> finished_locals_;
  std::vector<ir::Value> keep_;  // ClearLocals' scratch
  Database db_;
  Redis redis_;
  uint64_t failed_transactions_ = 0;
};

}  // namespace racecheck::explore
