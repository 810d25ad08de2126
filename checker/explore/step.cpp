#include "checker/explore/step.h"

#include "checker/ir/ops.h"
#include "checker/ir/poll_cycles.h"

#include <algorithm>

#include <cstring>
#include <string_view>
#include <utility>

#include "checker/base/diagnostics.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

// Nested kChoose forks one step may stack up (each holds a scratch state).
constexpr int kMaxForkDepth = 4096;

}  // namespace


Stepper::Stepper(const ir::Program& program)
    : program_(program),
      eval_(program),
      width_(static_cast<size_t>(program.slot_count)),
      event_loop_(program.runtime == ir::Runtime::kEventLoop),
      db_(program, eval_),
      redis_(program, eval_) {
  if (program.timed) {
    ghost_slots_ = ir::GhostSlots(program);
    watch_slots_ = ir::WatchSlots(program);
  }
}

void Stepper::set_record_writes(bool on) {
  record_writes_ = on;
  db_.set_writes(on ? &written_ : nullptr);
  db_.set_events(on ? &events_ : nullptr);
  redis_.set_writes(on ? &written_ : nullptr);
  redis_.set_events(on ? &events_ : nullptr);
}

std::vector<std::pair<int32_t, int32_t>> Stepper::ghost_writers() const {
  // An entry is the branch's own when written_ still holds its write at its index and no later
  // entry was made there (a later branch that reused the index made a later entry).
  std::vector<int32_t> statement_at(written_.size(), -1);
  for (const GhostWrite& write : ghost_writes_) {
    if (write.index < written_.size() && written_[write.index] == EncodeGlobalWrite(write.slot)) {
      statement_at[write.index] = write.statement;
    } else if (write.index < written_.size()) {
      statement_at[write.index] = -1;
    }
  }
  std::vector<std::pair<int32_t, int32_t>> writers;
  for (size_t i = 0; i < written_.size(); ++i) {
    if (statement_at[i] >= 0) writers.push_back({GlobalSlot(written_[i]), statement_at[i]});
  }
  return writers;
}

std::vector<Stepper::ReadValue> Stepper::read_values() const {
  // As in ghost_writers: a later entry at the same index is a later branch's.
  std::vector<int32_t> entry_at(written_.size(), -1);
  for (size_t i = 0; i < read_values_.size(); ++i) {
    if (read_values_[i].first < written_.size()) entry_at[read_values_[i].first] = static_cast<int32_t>(i);
  }
  std::vector<ReadValue> reads;
  for (size_t i = 0; i < written_.size(); ++i) {
    if (entry_at[i] < 0) continue;
    const ReadValue& read = read_values_[entry_at[i]].second;
    if (written_[i] == EncodeReadWrite(read.local)) reads.push_back(read);
  }
  return reads;
}

void Stepper::RecordRead(const ir::Value* locals, int32_t local, int32_t slot) {
  if (!record_writes_) return;
  read_values_.push_back({written_.size(), {local, slot, locals[local]}});
  written_.push_back(EncodeReadWrite(local));
}

ir::Value* Stepper::Buffer(std::vector<std::vector<ir::Value>>& pool, int depth) {
  while (pool.size() <= static_cast<size_t>(depth)) pool.emplace_back(width_);
  return pool[depth].data();
}

int Stepper::Line(int32_t statement) const {
  return statement >= 0 ? program_.statements[statement].range.begin.line : 0;
}

std::string Stepper::Place(int32_t statement) const {
  return statement >= 0 ? result::LineText(Line(statement), program_.statements[statement].called_from) : "line 0";
}

void Stepper::Start(const ir::Value* state, int32_t instance, StepSink& sink) {
  sink_ = &sink;
  result_ = StepResult{};
  stopped_ = false;
  eval_.ClearFault();
  written_.clear();
  ghost_writes_.clear();
  read_values_.clear();
  events_.clear();
  std::memcpy(Buffer(buffers_, 0), state, width_ * sizeof(ir::Value));
  if (instance < 0) return;
  const ir::Instance& inst = program_.instances[instance];
  instance_ = instance;
  process_ = &program_.processes[inst.process];
  base_slot_ = inst.base_slot;
  start_pc_ = buffers_[0][base_slot_];
  if (process_->rounds_cap > 0) start_rounds_ = buffers_[0][base_slot_ + 1 + process_->rounds_local];
  // A takes region waits, opened but not counting (< 0), for the instance's next step, which
  // starts it: the time before a block's first step is not the block's (docs/semantics.md, Time).
  int32_t region = program_.timed ? program_.region_slots[instance] : -1;
  if (region >= 0 && buffers_[0][region] < 0) buffers_[0][region] = -buffers_[0][region];
}

StepResult Stepper::Step(const ir::Value* state, int32_t instance, StepSink& sink) {
  Start(state, instance, sink);
  if (!AddWork(0)) return result_;
  ir::Value* scratch = buffers_[0].data();
  Path path;
  path.pc = scratch[base_slot_];
  RACECHECK_CHECK(path.pc != ir::kDonePc, "stepping an instance that has finished");
  Run(0, path);
  return result_;
}

// Inline: a step ends here once per successor, the search's most frequent call.
inline void Stepper::Finish(ir::Value* state, const Path& path) {
  state[base_slot_] = path.pc;
  if (process_->rounds_cap > 0) {
    state[base_slot_ + 1 + process_->rounds_local] = process_->RoundsAfter(start_pc_, path.pc, start_rounds_);
  }
  result_.enabled = true;
  // stopped_ is false here: nothing runs after a stop.
  stopped_ = !sink_->Successor(state, path.visible_statement >= 0 ? path.visible_statement : path.first_statement);
  // Looked at when the next step starts.
  work_since_poll_ += path.executed;
}

void Stepper::Run(int depth, Path path) {
  ir::Value* state = buffers_[depth].data();
  const ir::Instance& inst = program_.instances[instance_];
  ir::Value* locals = state + base_slot_ + 1;
  EvalContext context{state, locals, inst.self, inst.replica};
  const std::vector<ir::Instr>& code = process_->code;
  for (;;) {
    RACECHECK_CHECK(path.pc >= 0 && static_cast<size_t>(path.pc) < code.size(), "pc outside the process code");
    const ir::Instr& instr = code[path.pc];
    bool visible = ir::IsVisible(instr.op);
    // Under threads a step holds one visible access (an atomic block counts as one). Under
    // the event loop a database or Redis call is awaited: it starts a step of its own, and
    // the step stops before the next visible access after it.
    bool stop = event_loop_ ? ir::IsExternal(instr.op) || path.after_external : true;
    if ((visible && path.did_visible && path.atomic_depth == 0 && stop) ||
        (event_loop_ && ir::GhostWaitsForReply(program_, instr, path.after_external, path.atomic_depth)) ||
        process_->StopsAtRestart(path.pc, path.did_visible)) {
      Finish(state, path);
      return;
    }
    if (path.executed >= path.check_at) {
      if (path.executed >= kMaxStepInstructions) {
        Fail(state, path, result::ViolationKind::kRuntimeError, Line(instr.statement),
             fmt::format("{} loops without a step at line {}{}", inst.display_name, Line(instr.statement),
                         event_loop_ ? " (under the event loop only an await or a database or Redis call lets "
                                       "other tasks run)"
                                     : ""));
        return;
      }
      path.check_at = std::min(path.executed + kPollWork, kMaxStepInstructions);
      if (!PollSink()) return;
    }
    int32_t lock_slot = -1;
    if (instr.op == ir::Op::kAcquire) {
      lock_slot = eval_.LockSlot(instr.var, instr.index, context);
      if (!eval_.failed() && state[lock_slot] != 0) {
        Blocked(depth, path, lock_slot);
        return;
      }
    }
    if (instr.op == ir::Op::kRedis && path.redis_element < 0) {
      // BLPOP and friends wait while their list is empty (inside eval/multi they do not block).
      int32_t list_slot = -1;
      if (redis_.Waits(state, program_.redis_ops[instr.call], context, &list_slot)) {
        Blocked(depth, path, list_slot);
        return;
      }
    }
    int32_t first_statement_before = path.first_statement;
    int32_t visible_statement_before = path.visible_statement;
    if (path.first_statement < 0) path.first_statement = instr.statement;
    if (visible && path.visible_statement < 0) path.visible_statement = instr.statement;
    ++path.executed;
    if (eval_.failed()) {
      RuntimeError(state, path, instr, eval_.fault());
      return;
    }

    switch (instr.op) {
      case ir::Op::kLet: {
        int64_t value = eval_.Eval(instr.expr, context);
        if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        locals[instr.dst] = static_cast<ir::Value>(value);
        if (record_writes_) written_.push_back(instr.dst);
        ++path.pc;
        break;
      }
      case ir::Op::kRead: {
        int32_t slot = eval_.VarSlot(instr.var, instr.index, context);
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        locals[instr.dst] = state[slot];
        RecordRead(locals, instr.dst, slot);
        ++path.pc;
        if (path.atomic_depth == 0) path.did_visible = true;
        break;
      }
      case ir::Op::kWrite:
      case ir::Op::kGhostWrite: {
        int32_t slot = eval_.VarSlot(instr.var, instr.index, context);
        int64_t value = eval_.failed() ? 0 : eval_.Eval(instr.expr, context);
        if (!eval_.failed() && !FitsValue(value)) eval_.Fail(fmt::format("value {} does not fit in 32 bits", value));
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        // A takes block entered before the step's own access: that access is the block's first,
        // so the region starts now instead of waiting for the next step (Start).
        if (value < 0 && instr.var == process_->region_var && instr.op == ir::Op::kGhostWrite &&
            !(event_loop_ ? path.after_external : path.did_visible)) {
          value = -value;
        }
        state[slot] = static_cast<ir::Value>(value);
        if (record_writes_) {
          if (instr.op == ir::Op::kGhostWrite) ghost_writes_.push_back({written_.size(), slot, instr.statement});
          written_.push_back(EncodeGlobalWrite(slot));
        }
        ++path.pc;
        if (instr.op == ir::Op::kWrite && path.atomic_depth == 0) path.did_visible = true;
        break;
      }
      case ir::Op::kAcquire:
        state[lock_slot] = instance_ + 1;
        ++path.pc;
        if (path.atomic_depth == 0) path.did_visible = true;
        break;
      case ir::Op::kRelease: {
        int32_t slot = eval_.LockSlot(instr.var, instr.index, context);
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        if (state[slot] != instance_ + 1) {
          const ir::Lock& lock = program_.locks[instr.var];
          std::string name = lock.name;
          if (lock.is_array) name += fmt::format("[{}]", (slot - lock.first_slot) % lock.size + lock.index_lo);
          return RuntimeError(state, path, instr, fmt::format("releasing lock {}, which it does not hold", name));
        }
        state[slot] = 0;
        ++path.pc;
        if (path.atomic_depth == 0) path.did_visible = true;
        break;
      }
      case ir::Op::kAtomicBegin:
        if (path.atomic_depth == 0) {
          path.atomic_pc = path.pc;
          path.atomic_executed = path.executed - 1;
          path.atomic_first_statement = first_statement_before;
          path.atomic_visible_statement = visible_statement_before;
          path.atomic_snapshot = depth;
          path.atomic_written = written_.size();
          std::memcpy(Buffer(snapshots_, depth), state, width_ * sizeof(ir::Value));
        }
        ++path.atomic_depth;
        ++path.pc;
        break;
      case ir::Op::kAtomicEnd:
        RACECHECK_CHECK(path.atomic_depth > 0, "atomic end outside an atomic block");
        if (--path.atomic_depth == 0) path.did_visible = true;
        ++path.pc;
        break;
      case ir::Op::kAwait:
        ++path.pc;
        if (event_loop_) {
          Finish(state, path);
          return;
        }
        break;
      case ir::Op::kJump:
        path.pc = instr.target;
        break;
      case ir::Op::kBranchFalse: {
        int64_t condition = eval_.Condition(instr.expr, context, "an if or while");
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        path.pc = condition != 0 ? path.pc + 1 : instr.target;
        break;
      }
      case ir::Op::kAssert: {
        int64_t condition = eval_.Condition(instr.expr, context, "an assert");
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        if (condition == 0) {
          std::string message = instr.message;
          if (message.empty() && instr.statement >= 0) {
            std::string_view text = program_.statements[instr.statement].text;
            if (text.starts_with("assert ")) text.remove_prefix(7);
            message = std::string(text);
          }
          return Fail(state, path, result::ViolationKind::kAssert, Line(instr.statement), std::move(message));
        }
        ++path.pc;
        break;
      }
      case ir::Op::kAssume: {
        int64_t condition = eval_.Condition(instr.expr, context, "an assume");
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        if (condition == 0) {
          // The run does not exist; the instance still counts as able to move.
          result_.enabled = true;
          return;
        }
        ++path.pc;
        break;
      }
      case ir::Op::kChoose: {
        int64_t lo = eval_.Eval(instr.expr, context);
        int64_t hi = eval_.failed() ? 0 : eval_.Eval(instr.expr2, context);
        if (!eval_.failed() && (lo == ir::kNull || hi == ir::kNull)) eval_.Fail("null as a bound of choose: it needs a value");
        if (!eval_.failed() && lo <= hi && !(FitsValue(lo) && FitsValue(hi))) {
          eval_.Fail(fmt::format("choice range {}..{} does not fit in 32 bits", lo, hi));
        }
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        if (lo > hi) {
          result_.enabled = true;
          return;
        }
        ++path.pc;
        if (record_writes_) written_.push_back(instr.dst);
        size_t written_before = written_.size();
        size_t events_before = events_.size();
        for (int64_t value = lo; value < hi; ++value) {
          // A branch begun is work even when it ends before its first instruction.
          if (!AddWork(1)) return;
          if (depth + 1 >= kMaxForkDepth) {
            return RuntimeError(state, path, instr, "too many choices in one step");
          }
          ir::Value* child = Buffer(buffers_, depth + 1);
          state = buffers_[depth].data();
          std::memcpy(child, state, width_ * sizeof(ir::Value));
          child[base_slot_ + 1 + instr.dst] = static_cast<ir::Value>(value);
          Run(depth + 1, path);
          if (stopped_) return;
          // The branch's writes are not this path's.
          written_.resize(written_before);
          events_.resize(events_before);
        }
        state = buffers_[depth].data();
        locals = state + base_slot_ + 1;
        context.state = state;
        context.locals = locals;
        locals[instr.dst] = static_cast<ir::Value>(hi);
        break;
      }
      case ir::Op::kSql: {
        DbOutcome outcome = db_.Execute(state, instance_, program_.sql[instr.call], context, locals);
        switch (outcome.kind) {
          case DbOutcome::Kind::kDone:
            for (int32_t local : program_.sql[instr.call].results) {
              // A for loop's rows are bookkeeping: the loop's row locals show what it read.
              bool many = program_.sql[instr.call].many_rows;
              if (!many) {
                RecordRead(locals, local);
              } else if (record_writes_) {
                written_.push_back(local);
              }
            }
            ++path.pc;
            break;
          case DbOutcome::Kind::kWait:
            path.did_visible = true;
            Finish(state, path);
            return;
          case DbOutcome::Kind::kBlocked:
            // Nothing changed: the step is as if it had stopped before the statement.
            --path.executed;
            path.first_statement = first_statement_before;
            path.visible_statement = visible_statement_before;
            Blocked(depth, path, outcome.blocked_slot, /*row=*/true);
            return;
          case DbOutcome::Kind::kFailed:
            path.did_visible = true;
            path.after_external = true;
            if (!TransactionFailed(state, path, instr, outcome.failure)) return;
            continue;
          case DbOutcome::Kind::kError:
            return RuntimeError(state, path, instr, outcome.error);
        }
        path.did_visible = true;
        path.after_external = true;
        break;
      }
      case ir::Op::kTxBegin:
        db_.Begin(state, instance_, program_.transactions[instr.call].isolation);
        ++path.pc;
        break;
      case ir::Op::kTxCommit: {
        DbOutcome outcome = db_.Commit(state, instance_);
        path.did_visible = true;
        path.after_external = true;
        if (outcome.kind == DbOutcome::Kind::kFailed) {
          if (!TransactionFailed(state, path, instr, outcome.failure)) return;
          continue;
        }
        ++path.pc;
        break;
      }
      case ir::Op::kTxRollback:
        db_.Rollback(state, instance_);
        path.did_visible = true;
        path.after_external = true;
        ++path.pc;
        break;
      case ir::Op::kTxRaise:
        Raise(state, path, db_.Failure(state, instance_), db_.FailureStatement(state, instance_));
        return;
      case ir::Op::kTxHandled:
        ++path.pc;
        break;
      case ir::Op::kRedis: {
        const ir::RedisOp& op = program_.redis_ops[instr.call];
        if (path.redis_element >= 0 && op.element >= 0) {
          int32_t element = eval_.RedisElement(op.redis, op.element, context);
          if (!eval_.failed() && element != path.redis_element) {
            eval_.Fail("a Redis script or multi block runs on one instance, but this command goes to another");
          }
          if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        }
        int64_t value = 0;
        std::string error = redis_.Execute(state, instance_, op, context, &value);
        if (!error.empty()) {
          eval_.ClearFault();
          return RuntimeError(state, path, instr, error);
        }
        if (instr.dst >= 0) {
          locals[instr.dst] = static_cast<ir::Value>(value);
          RecordRead(locals, instr.dst);
        }
        ++path.pc;
        if (path.atomic_depth == 0) {
          path.did_visible = true;
          path.after_external = true;
        }
        break;
      }
      case ir::Op::kRedisBegin: {
        const ir::RedisBlock& block = program_.redis_blocks[instr.call];
        int32_t element = eval_.RedisElement(block.redis, block.element, context);
        if (eval_.failed()) return RuntimeError(state, path, instr, eval_.fault());
        path.after_external = true;
        if (block.multi && !redis_.Exec(state, instance_, block.redis, element)) {
          // EXEC refused: a WATCHed key changed; nothing in the block runs.
          if (instr.dst >= 0) {
            locals[instr.dst] = 0;
            RecordRead(locals, instr.dst);
          }
          path.did_visible = true;
          path.pc = instr.target;
          break;
        }
        if (instr.dst >= 0) {
          locals[instr.dst] = 1;
          RecordRead(locals, instr.dst);
        }
        path.redis_element = element;
        ++path.atomic_depth;
        ++path.pc;
        break;
      }
      case ir::Op::kRedisEnd:
        RACECHECK_CHECK(path.atomic_depth > 0, "Redis block end outside a Redis block");
        path.redis_element = -1;
        if (--path.atomic_depth == 0) path.did_visible = true;
        ++path.pc;
        break;
      case ir::Op::kCrash: {
        if (!Crash(state, path, instr, context)) return;
        path.did_visible = true;
        path.after_external = true;
        ++path.pc;
        break;
      }
      case ir::Op::kEnd: {
        // A finished instance's locals can no longer matter (no property or process sees
        // them): clearing them merges states that differ only in dead values. Its crash count
        // stays: it tells a crashed instance from a finished one.
        const ir::Process& process = program_.processes[program_.instances[instance_].process];
        if (record_writes_) finished_locals_.assign(locals, locals + process.local_names.size());
        ClearLocals(process, locals, /*keep_params=*/false);
        if (process.db.txn >= 0) db_.ClearFailure(state, instance_);
        path.pc = ir::kDonePc;
        Finish(state, path);
        finished_locals_.clear();  // seen by the sink of this branch only
        return;
      }
    }
  }
}

bool Stepper::Crash(ir::Value* state, Path& path, const ir::Instr& instr, const EvalContext& context) {
  // The lock blocks open here are released, as a `finally` or `defer` would.
  for (const ir::CrashPoint::HeldLock& held : program_.crashes[instr.call].lock_blocks) {
    int32_t slot = eval_.LockSlot(held.lock, held.index, context);
    if (eval_.failed()) {
      RuntimeError(state, path, instr, eval_.fault());
      return false;
    }
    if (state[slot] == instance_ + 1) state[slot] = 0;
  }
  // The connection closes: the database rolls back the open transaction, Redis drops the WATCHes.
  if (process_->db.txn >= 0) {
    db_.Rollback(state, instance_);
    db_.ClearFailure(state, instance_);
  }
  redis_.DropWatches(state, instance_);
  ClearLocals(*process_, state + base_slot_ + 1, /*keep_params=*/true);
  if (record_writes_) {
    events_.push_back({.kind = DbEvent::Kind::kCrashed, .instance = instance_});
    if (program_.crashes[instr.call].after_last_step) {
      events_.push_back({.kind = DbEvent::Kind::kLostReply, .instance = instance_});
    }
  }
  return true;
}

void Stepper::ClearLocals(const ir::Process& process, ir::Value* locals, bool keep_params) {
  size_t count = process.local_names.size();
  keep_.assign(locals, locals + count);
  std::fill(locals, locals + count, 0);
  if (process.crash_local >= 0) locals[process.crash_local] = keep_[process.crash_local];
  if (keep_params) {
    for (const ir::ProcessParam& param : process.params) locals[param.local] = keep_[param.local];
  }
}

bool Stepper::PollSink() {
  work_since_poll_ = 0;
  if (!sink_->Poll()) stopped_ = true;
  return !stopped_;
}

void Stepper::Blocked(int depth, Path path, int32_t lock_slot, bool row) {
  ir::Value* state = buffers_[depth].data();
  bool first = path.atomic_depth > 0 ? path.atomic_executed == 0 : path.executed == 0;
  if (first) {
    // Nothing ran before the lock (or before the atomic block holding it): the instance waits.
    if (result_.blocked_lock_slot < 0) {
      result_.blocked_lock_slot = lock_slot;
      result_.blocked_on_row = row;
    }
    return;
  }
  if (path.atomic_depth > 0) {
    // An atomic block never stops half way: undo it, and end the step before it.
    std::memcpy(state, snapshots_[path.atomic_snapshot].data(), width_ * sizeof(ir::Value));
    path.pc = path.atomic_pc;
    path.first_statement = path.atomic_first_statement;
    path.visible_statement = path.atomic_visible_statement;
    written_.resize(path.atomic_written);
  }
  Finish(state, path);
}

bool Stepper::TransactionFailed(ir::Value* state, Path& path, const ir::Instr& instr, ir::DbFailure failure) {
  ++failed_transactions_;
  db_.Rollback(state, instance_);
  db_.RecordFailure(state, instance_, failure, instr.statement);
  if (instr.dst >= 0) {
    state[base_slot_ + 1 + instr.dst] = ir::FailureName(failure);
    // The failure's name, not a read of shared state.
    if (record_writes_) written_.push_back(instr.dst);
  }
  if (instr.target >= 0) {
    path.pc = instr.target;
    return true;
  }
  Raise(state, path, failure, instr.statement);
  return false;
}

void Stepper::Raise(ir::Value* state, Path& path, ir::DbFailure failure, int32_t statement) {
  const ir::Instance& inst = program_.instances[instance_];
  if (program_.allow_failure) {
    // The request ends with an error; the model allows that.
    ClearLocals(*process_, state + base_slot_ + 1, /*keep_params=*/false);
    db_.ClearFailure(state, instance_);
    path.pc = ir::kDonePc;
    Finish(state, path);
    return;
  }
  int line = Line(statement);
  Fail(state, path, result::ViolationKind::kFailure, line,
       fmt::format("{} in {} at {}, and nothing handles it", FailureText(failure), inst.display_name, Place(statement)));
}

void Stepper::StepDeadlockVictim(const ir::Value* state, int32_t instance, StepSink& sink) {
  Start(state, instance, sink);
  if (!AddWork(0)) return;
  ir::Value* scratch = buffers_[0].data();
  Path path;
  path.pc = scratch[base_slot_];
  const ir::Instr& instr = process_->code[path.pc];
  RACECHECK_CHECK(instr.op == ir::Op::kSql, "a deadlock victim that waits for no row");
  path.executed = 1;
  path.did_visible = true;
  path.after_external = true;
  path.first_statement = instr.statement;
  path.visible_statement = instr.statement;
  if (!TransactionFailed(scratch, path, instr, ir::DbFailure::kDeadlock)) return;
  Run(0, path);
}

void Stepper::StepEnvironment(const ir::Value* state, StepSink& sink) {
  stopped_ = false;
  if (program_.timed) {
    StepTime(state, sink);
  } else {
    StepExpiries(state, sink);
  }
  if (!stopped_) StepReplicaCrashes(state, sink);
}

void Stepper::StepExpiries(const ir::Value* state, StepSink& sink) {
  bool go_on = true;
  ir::ForEachLeasableKey(program_, [&](int32_t redis, int32_t element, int32_t key, int32_t slot) {
    if (!go_on || state[slot + 2] == 0) return;
    Start(state, -1, sink);
    if (!AddWork(1)) {
      go_on = false;
      return;
    }
    ir::Value* scratch = buffers_[0].data();
    redis_.Expire(scratch, redis, element, key);
    if (!sink.Successor(scratch, program_.redis[redis].keys[key].expire_statement)) {
      stopped_ = true;
      go_on = false;
    }
  });
}

// Time passes d ms, for each d from 1 to TimeCap (docs/semantics.md, "Time").
void Stepper::StepTime(const ir::Value* state, StepSink& sink) {
  std::vector<uint8_t> waiting = Waiting(state, sink);
  if (stopped_) return;
  int32_t cap = TimeCap(state, waiting);
  for (int32_t d : TimeAmounts(state, cap)) {
    Start(state, -1, sink);
    if (!AddWork(1)) return;
    ir::Value* scratch = buffers_[0].data();
    PassTime(scratch, d, waiting);
    if (!sink.Successor(scratch, program_.time_statement + d - 1)) {
      stopped_ = true;
      return;
    }
  }
}

const std::vector<int32_t>& Stepper::TimeAmounts(const ir::Value* state, int32_t cap) {
  // Reused: no allocation per state once it has grown.
  std::vector<int32_t>& amounts = time_amounts_;
  amounts.clear();
  bool all_done = std::all_of(program_.instances.begin(), program_.instances.end(),
                              [&](const ir::Instance& inst) { return state[inst.base_slot] == ir::kDonePc; });
  if (!all_done || every_time_amount_) {
    for (int32_t d = 1; d <= cap; ++d) amounts.push_back(d);
    return amounts;
  }
  // Once every request has finished, time only expires keys, and no property sees how long a
  // lease has left: d ms lead where the longest lease among those that d ends leads, so only
  // those amounts are explored (one state per set of expired keys, not one per ms).
  ir::ForEachLeasableKey(program_, [&](int32_t, int32_t, int32_t, int32_t slot) {
    if (state[slot + 2] >= 1 && state[slot + 2] <= cap) amounts.push_back(state[slot + 2]);
  });
  std::sort(amounts.begin(), amounts.end());
  amounts.erase(std::unique(amounts.begin(), amounts.end()), amounts.end());
  return amounts;
}

namespace {

// Probes whether an instance polls: stops at the first successor that leaves everything but its
// own block's locals and database block, and the ghosts, as they were in a state on the probe's
// path (the same pc; no shared, table or Redis change), `while redis.GET(busy) == 1 { }` going
// round once more. With `loop`, it also keeps the successors still on a loop that writes and
// waits, for a probe of more steps (ir::ProbeSteps): a run of the instance alone that comes back
// to a state it passed (an INCR/DECR spin; a round that writes what it wrote the round before,
// after another request had written something else) never leaves the loop by itself. The
// instance's WATCH slots are compared though they lie in its block (ir::WatchSlots), and with
// `loop` the rest of its block too (ComparedOwn).
class PollProbe final : public StepSink {
 public:
  PollProbe(StepSink& outer, const ir::Value* start, const std::vector<uint8_t>& ghost_slots,
            const std::vector<uint8_t>& watch_slots, int32_t pc_slot, int32_t block_end, const ir::Process* loop,
            size_t width)
      : outer_(outer), path_{start}, ghost_slots_(ghost_slots), watch_slots_(watch_slots), pc_slot_(pc_slot),
        block_end_(block_end), loop_(loop), width_(width) {}
  bool Successor(const ir::Value* next, int32_t) override {
    bool same = false;
    for (size_t k = 0; k < path_.size() && !same; ++k) same = Same(next, path_[k]);
    polls_ |= same;
    if (!same && loop_ && loop_->ProbeSteps(next[pc_slot_]) > 1) later_.emplace_back(next, next + width_);
    return !same;
  }
  bool Failure(const ir::Value*, int32_t, StepFailure) override { return true; }
  bool Poll() override { return outer_.Poll(); }
  bool polls() const { return polls_; }
  // The successors kept since the last call, still on the loop.
  std::vector<std::vector<ir::Value>> TakeLater() { return std::exchange(later_, {}); }
  // The probe's run goes on from `state` (kept alive by the caller), and back.
  void Push(const ir::Value* state) { path_.push_back(state); }
  void Pop() { path_.pop_back(); }

 private:
  bool Same(const ir::Value* next, const ir::Value* passed) const {
    if (next[pc_slot_] != passed[pc_slot_]) return false;
    for (size_t s = 0; s < ghost_slots_.size(); ++s) {
      bool own = static_cast<int32_t>(s) > pc_slot_ && static_cast<int32_t>(s) < block_end_ && !watch_slots_[s] &&
                 !ComparedOwn(static_cast<int32_t>(s));
      if (!own && !ghost_slots_[s] && next[s] != passed[s]) return false;
    }
    return true;
  }
  // A probe of more steps compares the whole block but its round count: its locals (a
  // compare-and-set that re-read a value another request changed is not back where it was, round
  // 26) and its transaction's state (a repeatable-read retry whose fresh snapshot lets its update
  // succeed, round 27). A run that never comes back still waits once its budget is spent.
  bool ComparedOwn(int32_t slot) const { return loop_ && slot - pc_slot_ - 1 != loop_->rounds_local; }

  StepSink& outer_;
  std::vector<const ir::Value*> path_;  // the state probed, then the states its run passed
  const std::vector<uint8_t>& ghost_slots_;  // ir::GhostSlots: one entry per slot
  const std::vector<uint8_t>& watch_slots_;  // ir::WatchSlots: compared in the own block too
  int32_t pc_slot_;
  int32_t block_end_;
  const ir::Process* loop_;  // the instance's process, or null: one step only
  size_t width_;
  bool polls_ = false;
  std::vector<std::vector<ir::Value>> later_;
};

}  // namespace

void Stepper::set_probe_program(const ir::Program* program) {
  prober_ = program ? std::make_unique<Stepper>(*program) : nullptr;
}

std::vector<uint8_t> Stepper::Waiting(const ir::Value* state, StepSink& sink) {
  if (prober_) {
    std::vector<uint8_t> waiting = prober_->Waiting(state, sink);
    stopped_ = prober_->stopped_;
    return waiting;
  }
  std::vector<uint8_t> waiting;
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    int32_t slot = program_.region_slots[i];
    const ir::Instance& inst = program_.instances[i];
    int32_t pc = state[inst.base_slot];
    if (slot < 0 || state[slot] <= 0 || pc == ir::kDonePc) continue;
    const ir::Process& process = program_.processes[inst.process];
    // On a loop that only reads and takes several steps a round, it polls as well (ir::PollCycles).
    bool polls = process.OnPollCycle(pc);
    // Gone round a loop that writes and waits retry_rounds times in a row: others keep failing it
    // (the probe below runs it alone and cannot see that).
    if (process.RoundsSpent(state + inst.base_slot)) polls = true;
    if (!polls) {
      // A probe, not a move: it leaves no count behind. An instance that can only go round a
      // loop that changes nothing but its locals polls: it waits too, for whoever ends the loop.
      // On a loop that writes and goes on by what others did, the probe runs it alone, depth
      // first, for up to two rounds' steps, and it waits if a run is still on the loop then; on a
      // counted loop, for none (its rounds are work: it only waits when it cannot move).
      // ir::ProbeSteps.
      int32_t steps = process.ProbeSteps(pc);
      uint64_t failed = failed_transactions_;
      PollProbe probe(sink, state, ghost_slots_, watch_slots_, inst.base_slot, program_.BlockEnd(i),
                      steps > 1 ? &process : nullptr, width_);
      StepResult result = Step(state, static_cast<int32_t>(i), probe);
      // A run that is still on the loop when the budget is spent counts as waiting too: a value
      // cycling with a longer period than the budget covers never comes back within it (round 24:
      // a round-robin cursor over three places was proved safe), so the probe errs towards
      // waiting, a false alarm at worst (a loop alone that needs more rounds to leave).
      bool spent = false;
      auto deeper = [&](auto& self, int32_t taken) -> void {
        for (const std::vector<ir::Value>& next : probe.TakeLater()) {
          if (probe.polls() || spent || stopped_) return;
          if (taken >= steps) {
            spent = true;
            return;
          }
          probe.Push(next.data());
          Step(next.data(), static_cast<int32_t>(i), probe);
          self(self, taken + 1);
          probe.Pop();
        }
      };
      deeper(deeper, 1);
      failed_transactions_ = failed;
      if (stopped_ && !probe.polls()) return waiting;  // the outer sink's poll said stop
      stopped_ = false;
      polls = !result.enabled || (steps > 0 && (probe.polls() || spent));
    }
    if (!polls) continue;
    waiting.resize(program_.instances.size(), 0);
    waiting[i] = 1;
  }
  stopped_ = false;
  return waiting;
}

bool Stepper::RegionCounts(const ir::Value* state, size_t instance, const std::vector<uint8_t>& waiting) const {
  int32_t slot = program_.region_slots[instance];
  return slot >= 0 && state[slot] > 0 && !(instance < waiting.size() && waiting[instance]);
}

int32_t Stepper::TimeCap(const ir::Value* state, const std::vector<uint8_t>& waiting) const {
  // Past the longest lease left, more time changes nothing a model can see.
  int32_t cap = 0;
  ir::ForEachLeasableKey(program_, [&](int32_t, int32_t, int32_t, int32_t slot) { cap = std::max(cap, state[slot + 2]); });
  // No open region may last past its bound, but a waiting instance's does not count.
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    if (RegionCounts(state, i, waiting)) cap = std::min(cap, state[program_.region_slots[i]] - 1);
  }
  return cap;
}

void Stepper::PassTime(ir::Value* state, int32_t d, const std::vector<uint8_t>& waiting) {
  ir::ForEachLeasableKey(program_, [&](int32_t redis, int32_t element, int32_t key, int32_t slot) {
    ir::Value& lease = state[slot + 2];
    if (lease > d) {
      lease -= d;
    } else if (lease != 0) {
      redis_.Expire(state, redis, element, key);
    }
  });
  for (size_t i = 0; i < program_.region_slots.size(); ++i) {
    if (RegionCounts(state, i, waiting)) state[program_.region_slots[i]] -= d;
  }
}

void Stepper::Fail(ir::Value* state, const Path& path, result::ViolationKind kind, int line, std::string message) {
  state[base_slot_] = path.pc;
  result_.enabled = true;
  int32_t statement = path.visible_statement >= 0 ? path.visible_statement : path.first_statement;
  stopped_ = !sink_->Failure(state, statement, StepFailure{kind, line, std::move(message)});
  work_since_poll_ += path.executed;
}

void Stepper::RuntimeError(ir::Value* state, const Path& path, const ir::Instr& instr, const std::string& problem) {
  const ir::Instance& inst = program_.instances[instance_];
  std::string_view text = instr.statement >= 0 ? std::string_view(program_.statements[instr.statement].text) : "";
  std::string message = fmt::format("{}, at {} in {}: {}", problem, Place(instr.statement), inst.display_name, text);
  // Sibling branches of the step start clean.
  eval_.ClearFault();
  Fail(state, path, result::ViolationKind::kRuntimeError, Line(instr.statement), std::move(message));
}

}  // namespace racecheck::explore
