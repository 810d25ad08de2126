#include "checker/explore/trace.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/explore/db.h"
#include "checker/explore/eval.h"
#include "checker/explore/initial.h"
#include "checker/explore/symmetry.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

// Takes no branch: Stepper::Waiting's probes report to their own sinks, and this one only polls.
class ProbeOnlySink final : public StepSink {
 public:
  bool Successor(const ir::Value*, int32_t) override { return true; }
  bool Failure(const ir::Value*, int32_t, StepFailure) override { return true; }
  bool Poll() override { return !base::Interrupted(); }
};

// Finds which branch of a re-run step produced a known successor.
class MatchSink final : public StepSink {
 public:
  MatchSink(const Stepper& stepper, const ir::Value* target, size_t width, bool failure)
      : stepper_(stepper), target_(target), width_(width), bytes_(width * sizeof(ir::Value)), failure_(failure) {}

  // Under symmetry the step runs on the concrete state and the target is stored: a branch
  // matches when, moved by `perm` (concrete to stored), it is the target, normalised unless
  // it is a failure (failing states are not stored, so not normalised). Without `perm`, when
  // its own normal form is the target.
  void UseSymmetry(Symmetry* symmetry, const std::vector<int32_t>* perm) {
    symmetry_ = symmetry;
    perm_ = perm;
    moved_.resize(width_);
    normal_.resize(width_);
  }

  // The first match ends the step: the branches after it cannot matter.
  bool Successor(const ir::Value* state, int32_t statement) override {
    if (!failure_) Match(state, statement);
    return !found_;
  }
  bool Failure(const ir::Value* state, int32_t statement, StepFailure failure) override {
    if (failure_) Match(state, statement);
    if (found_ && failure_ && message_.empty()) message_ = std::move(failure.message);
    return !found_;
  }
  // Re-running a step takes as long as the search's run of it did: Ctrl-C stops it too.
  bool Poll() override { return !base::Interrupted(); }

  bool found() const { return found_; }
  int32_t statement() const { return statement_; }
  std::vector<int32_t>& written() { return written_; }
  std::vector<DbEvent>& events() { return events_; }
  std::vector<ir::Value>& finished_locals() { return finished_locals_; }
  std::vector<std::pair<int32_t, int32_t>>& ghost_writers() { return ghost_writers_; }
  std::vector<Stepper::ReadValue>& read_values() { return read_values_; }
  // Under symmetry: the matching branch's concrete state, where its instances went in the
  // stored one, and a failure's message (which names the concrete instance).
  std::vector<ir::Value>& concrete() { return concrete_; }
  std::vector<int32_t>& next_perm() { return next_perm_; }
  std::string& message() { return message_; }

 private:
  bool Equal(const ir::Value* state) {
    if (symmetry_ == nullptr) return std::memcmp(state, target_, bytes_) == 0;
    if (perm_ == nullptr) {
      symmetry_->Normalise(state, normal_.data(), &step_perm_);
      return std::memcmp(normal_.data(), target_, bytes_) == 0;
    }
    symmetry_->Apply(state, *perm_, moved_.data());
    const ir::Value* compared = moved_.data();
    if (!failure_) {
      symmetry_->Normalise(moved_.data(), normal_.data(), &step_perm_);
      compared = normal_.data();
    }
    return std::memcmp(compared, target_, bytes_) == 0;
  }

  void Match(const ir::Value* state, int32_t statement) {
    if (!found_ && Equal(state)) {
      found_ = true;
      if (symmetry_ != nullptr) {
        concrete_.assign(state, state + width_);
        if (perm_ == nullptr) {
          next_perm_ = step_perm_;
        } else {
          next_perm_ = *perm_;
          if (!failure_) {
            for (int32_t& p : next_perm_) p = step_perm_[p];
          }
        }
      }
      statement_ = statement;
      written_ = stepper_.written_locals();
      events_ = stepper_.events();
      finished_locals_ = stepper_.finished_locals();
      ghost_writers_ = stepper_.ghost_writers();
      read_values_ = stepper_.read_values();
    }
  }

  const Stepper& stepper_;
  const ir::Value* target_;
  size_t width_;
  size_t bytes_;
  bool failure_;
  Symmetry* symmetry_ = nullptr;
  const std::vector<int32_t>* perm_ = nullptr;
  std::vector<ir::Value> moved_, normal_, concrete_;
  std::vector<int32_t> step_perm_, next_perm_;
  std::string message_;
  bool found_ = false;
  int32_t statement_ = -1;
  std::vector<int32_t> written_;
  std::vector<Stepper::ReadValue> read_values_;
  std::vector<DbEvent> events_;
  std::vector<ir::Value> finished_locals_;
  std::vector<std::pair<int32_t, int32_t>> ghost_writers_;
};

}  // namespace

std::string CutShortExplanation(const std::vector<result::Step>& trace) {
  int steps = static_cast<int>(
      std::count_if(trace.begin(), trace.end(), [](const result::Step& s) { return s.number > 0; }));
  return fmt::format("Ctrl-C interrupted the rebuilding of this run: the trace shows its first {} {} only", steps,
                     steps == 1 ? "step" : "steps");
}

TraceBuilder::TraceBuilder(const ir::Program& program, const Naming& naming, const StateStore& store,
                           Symmetry* symmetry)
    : program_(program),
      naming_(naming),
      store_(store),
      symmetry_(symmetry != nullptr && symmetry->active() ? symmetry : nullptr),
      stepper_(program) {
  stepper_.set_record_writes(true);
}

int32_t TraceBuilder::ConcreteInstance(int32_t stored) const {
  if (symmetry_ == nullptr || stored < 0 || stored >= static_cast<int32_t>(perm_.size())) return stored;
  return static_cast<int32_t>(std::find(perm_.begin(), perm_.end(), stored) - perm_.begin());
}

// The first initial state (in the order they are enumerated) whose normal form is `stored`.
std::vector<ir::Value> TraceBuilder::ConcreteInitial(const std::vector<ir::Value>& stored) {
  std::vector<ir::Value> found, normal(stored.size());
  std::vector<int32_t> perm;
  EnumerateInitialStates(program_, [&](const ir::Value* state) {
    symmetry_->Normalise(state, normal.data(), &perm);
    if (normal != stored) return true;
    found.assign(state, state + stored.size());
    perm_ = perm;
    return false;
  });
  RACECHECK_CHECK(!found.empty(), "no initial state normalises to the stored one");
  return found;
}

std::vector<result::Step> TraceBuilder::Build(uint32_t index) { return Path(index); }

std::vector<result::Step> TraceBuilder::Build(const FailedStep& failed) {
  std::vector<result::Step> steps = Path(failed.parent);
  if (cut_) return steps;
  int number = steps.empty() ? 1 : steps.back().number + 1;
  std::vector<int32_t> written;
  std::vector<ir::Value> parent = symmetry_ != nullptr ? last_ : store_.state(failed.parent);
  int32_t mover = failed.mover;
  int32_t statement = kNoMatch;
  if (symmetry_ != nullptr) {
    // As for the steps before it: the first instance whose failure has the same normal form.
    std::vector<ir::Value> normal(failed.state.size());
    symmetry_->Normalise(failed.state.data(), normal.data());
    for (size_t i = 0; i < program_.instances.size() && statement == kNoMatch && !cut_; ++i) {
      if (parent[program_.instances[i].base_slot] == ir::kDonePc) continue;
      statement = Replay(parent.data(), static_cast<int32_t>(i), normal.data(), /*failed=*/true, &written,
                         /*orbit=*/true);
      if (statement != kNoMatch) mover = static_cast<int32_t>(i);
    }
    if (statement == kNoMatch && !cut_) mover = ConcreteInstance(failed.mover);
  }
  if (statement == kNoMatch && !cut_) {
    statement = Replay(parent.data(), mover, failed.state.data(), /*failed=*/true, &written);
  }
  if (cut_) return steps;
  if (symmetry_ != nullptr) {
    last_ = std::move(concrete_);
    steps.push_back(MakeStep(number, parent.data(), last_.data(), mover, statement, written));
  } else {
    steps.push_back(MakeStep(number, parent.data(), failed.state.data(), mover, statement, written));
  }
  return steps;
}

std::vector<result::Step> TraceBuilder::Path(uint32_t index) {
  std::vector<uint32_t> chain;
  for (uint32_t i = index; i != StateStore::kNoParent; i = store_.parent(i)) chain.push_back(i);
  std::reverse(chain.begin(), chain.end());

  std::vector<result::Step> steps;
  events_.clear();
  cut_ = false;
  defined_.assign(program_.slot_count, false);
  std::vector<ir::Value> initial = store_.state(chain.front());
  failure_message_.clear();
  if (symmetry_ != nullptr) initial = ConcreteInitial(initial);
  for (const ir::Instance& inst : program_.instances) {
    for (const ir::ProcessParam& param : program_.processes[inst.process].params) {
      defined_[inst.base_slot + 1 + param.local] = true;
    }
  }
  if (HasInitialChoices(program_)) {
    result::Step step;
    step.number = 0;
    for (const ir::Param& param : program_.params) {
      step.changes.push_back({naming_.SlotName(param.slot), "", naming_.Value(param.slot, initial[param.slot])});
    }
    for (const ir::Instance& inst : program_.instances) {
      for (const ir::ProcessParam& param : program_.processes[inst.process].params) {
        if (!param.is_range) continue;
        int32_t slot = inst.base_slot + 1 + param.local;
        step.changes.push_back({naming_.SlotName(slot), "", naming_.Value(slot, initial[slot])});
      }
    }
    steps.push_back(std::move(step));
  }
  std::vector<int32_t> written;
  std::vector<ir::Value> before = initial;
  for (size_t k = 1; k < chain.size(); ++k) {
    std::vector<ir::Value> after = store_.state(chain[k]);
    int32_t mover = store_.mover(chain[k]);
    int32_t statement = symmetry_ != nullptr ? ReplayAnyInstance(before.data(), &mover, after.data(), &written)
                                             : Replay(before.data(), mover, after.data(), /*failed=*/false, &written);
    if (cut_) break;
    if (symmetry_ != nullptr) after = std::move(concrete_);
    steps.push_back(MakeStep(static_cast<int>(k), before.data(), after.data(), mover, statement, written));
    before = std::move(after);
  }
  last_ = std::move(before);
  return steps;
}

// Under symmetry: the first instance (in index order, as the search tries them) whose step from
// the concrete `parent` leads to the stored `target`'s orbit, so that the run reads as the search
// without reduction would have found it; when the normal form does not tell (it is not canonical
// for every orbit), the stored mover renamed for the concrete run, whose step is the stored one.
int32_t TraceBuilder::ReplayAnyInstance(const ir::Value* parent, int32_t* mover, const ir::Value* target,
                                        std::vector<int32_t>* written) {
  if (*mover == stepper_.environment_mover()) {
    int32_t statement = Replay(parent, *mover, target, /*failed=*/false, written, /*orbit=*/true);
    if (cut_ || statement != kNoMatch) return statement;
  } else {
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      if (parent[program_.instances[i].base_slot] == ir::kDonePc) continue;
      int32_t statement = Replay(parent, static_cast<int32_t>(i), target, /*failed=*/false, written, /*orbit=*/true);
      if (cut_) return -1;
      if (statement != kNoMatch) {
        *mover = static_cast<int32_t>(i);
        return statement;
      }
    }
    *mover = ConcreteInstance(*mover);
  }
  return Replay(parent, *mover, target, /*failed=*/false, written);
}

int32_t TraceBuilder::Replay(const ir::Value* parent, int32_t mover, const ir::Value* target, bool failed,
                             std::vector<int32_t>* written, bool orbit) {
  MatchSink sink(stepper_, target, static_cast<size_t>(program_.slot_count), failed);
  if (symmetry_ != nullptr) sink.UseSymmetry(symmetry_, orbit ? nullptr : &perm_);
  if (mover == stepper_.environment_mover()) {
    // The stored run may come from the z3 engine, which lets any amount of time pass.
    stepper_.set_every_time_amount(true);
    stepper_.StepEnvironment(parent, sink);
    stepper_.set_every_time_amount(false);
  } else {
    stepper_.Step(parent, mover, sink);
    // A transaction waiting in a cycle may have been the deadlock detector's victim (tried for
    // the stored mover only: the orbit search tries instances that may wait for nothing).
    if (!sink.found() && !stepper_.stopped() && !orbit) stepper_.StepDeadlockVictim(parent, mover, sink);
  }
  if (!sink.found() && stepper_.stopped()) {
    cut_ = true;
    return -1;
  }
  if (orbit && !sink.found()) return kNoMatch;
  RACECHECK_CHECK(sink.found(), "a stored step could not be replayed");
  if (symmetry_ != nullptr) {
    concrete_ = std::move(sink.concrete());
    perm_ = std::move(sink.next_perm());
    if (failed) failure_message_ = std::move(sink.message());
  }
  *written = std::move(sink.written());
  finished_locals_ = std::move(sink.finished_locals());
  ghost_writers_ = std::move(sink.ghost_writers());
  read_values_ = std::move(sink.read_values());
  step_crashed_ = false;
  step_failure_ = 0;
  for (DbEvent& event : sink.events()) {
    step_crashed_ = step_crashed_ || event.kind == DbEvent::Kind::kCrashed;
    if (event.kind == DbEvent::Kind::kFailed) step_failure_ = event.value;
    events_.push_back(event);
  }
  return sink.statement();
}

result::Step TraceBuilder::MakeStep(int number, const ir::Value* before, const ir::Value* after, int32_t mover,
                                    int32_t statement, const std::vector<int32_t>& written) {
  result::Step step;
  step.number = number;
  if (mover == stepper_.environment_mover()) return EnvironmentStep(number, before, after, statement);
  step.process = program_.instances[mover].display_name;
  if (statement >= 0) {
    step.line = program_.statements[statement].range.begin.line;
    step.called_from = program_.statements[statement].called_from;
    step.statement = program_.statements[statement].text;
  } else if (int32_t waits_at = StatementAt(mover, after); waits_at >= 0) {
    // Only compiler jumps ran, up to a statement that waits (a blocking pop, a held lock): the
    // step is named after that statement.
    step.line = program_.statements[waits_at].range.begin.line;
    step.called_from = program_.statements[waits_at].called_from;
    step.statement = program_.statements[waits_at].text;
  } else {
    // Only the compiler's kEnd ran: an event-loop task resuming after its last await to finish.
    const ir::Process& process = program_.processes[program_.instances[mover].process];
    step.line = process.range.end.line;
    step.statement = "end";
  }
  int32_t first_local = program_.instances[mover].base_slot + 1;
  const ir::Process& mover_process = program_.processes[program_.instances[mover].process];
  // A crash under `on crash retry at most K`: whether the client sends the request again, and
  // which attempt that starts (Process::crash_local counts the crashes; round 19).
  if (step_crashed_ && mover_process.crash_retries > 0 && mover_process.crash_local >= 0) {
    int32_t attempts = mover_process.crash_retries + 1;
    if (after[program_.instances[mover].base_slot] == ir::kDonePc) {
      step.statement += fmt::format("; no retry left (at most {} attempts)", attempts);
    } else {
      step.statement += fmt::format("; its client sends the request again (attempt {} of at most {})",
                                    after[first_local + mover_process.crash_local] + 1, attempts);
    }
  }
  std::vector<bool> assigned(program_.slot_count, false);
  for (int32_t entry : written) {
    assigned[IsGlobalWrite(entry) ? GlobalSlot(entry) : first_local + WrittenLocal(entry)] = true;
  }
  // The last read of each compiler temporary in this step, also when its statement cleared it
  // before the step ended (an `if` condition's read): the value the branch was decided on.
  std::vector<std::optional<Stepper::ReadValue>> last_read(program_.slot_count);
  for (const Stepper::ReadValue& read : read_values_) last_read[first_local + read.local] = read;
  std::vector<result::Change> reads;  // shown first: what the step read comes before what it did
  for (int32_t slot = 0; slot < program_.slot_count; ++slot) {
    if (naming_.IsPc(slot)) continue;
    if (naming_.IsHidden(slot) && naming_.external(slot) != Naming::External::kRowShares) {
      if (last_read[slot]) {
        // A memory read names the element read (acct[2]); the temporary is named after its array.
        std::string name =
            last_read[slot]->slot >= 0 ? "read " + naming_.SlotName(last_read[slot]->slot) : naming_.ShortName(slot);
        reads.push_back({name, "", naming_.Value(slot, last_read[slot]->value), /*local=*/true});
      }
      continue;
    }
    // A for loop's row outside its loop is no value of the model's (the loop's end clears it), and
    // a request that crashed has no locals left (a retry starts them again).
    if (naming_.IsLocal(slot) && naming_.Owner(slot) == mover &&
        (step_crashed_ || mover_process.OutsideRowScope(slot - first_local, after[first_local - 1]))) {
      defined_[slot] = false;
      continue;
    }
    // Locals of an instance that has just finished are cleared; that is no change to show, but
    // what its last step assigned is (with the value from before the clearing).
    if (naming_.IsLocal(slot) && after[program_.instances[naming_.Owner(slot)].base_slot] == ir::kDonePc) {
      int32_t local = slot - first_local;
      if (naming_.Owner(slot) == mover && assigned[slot] && local < static_cast<int32_t>(finished_locals_.size())) {
        ir::Value value = finished_locals_[local];
        std::string old_value = defined_[slot] ? naming_.Value(slot, before[slot]) : "";
        if (defined_[slot] && before[slot] == value) continue;
        step.changes.push_back({naming_.ShortName(slot), old_value, naming_.Value(slot, value), /*local=*/true});
      }
      continue;
    }
    if (naming_.external(slot) != Naming::External::kNone) {
      result::Change change;
      if (ExternalChange(slot, before, after, assigned[slot], &change)) step.changes.push_back(std::move(change));
      continue;
    }
    bool first_value = assigned[slot] && !defined_[slot];
    // A shared write of the value already there still shows: it is how a lost update looks.
    bool rewritten = assigned[slot] && !naming_.IsLocal(slot);
    if (before[slot] == after[slot] && !first_value && !rewritten) continue;
    bool own_local = naming_.IsLocal(slot) && naming_.Owner(slot) == mover;
    result::Change change;
    change.name = own_local ? naming_.ShortName(slot) : naming_.SlotName(slot);
    if (!naming_.IsLocal(slot) || defined_[slot]) change.old_value = naming_.Value(slot, before[slot]);
    change.new_value = naming_.Value(slot, after[slot]);
    if (naming_.IsLocal(slot)) defined_[slot] = true;
    change.local = naming_.IsLocal(slot);
    // A ghost updated by a later statement of a long step says which one did it.
    for (auto [ghost, writer] : ghost_writers_) {
      if (ghost != slot) continue;
      int line = program_.statements[writer].range.begin.line;
      change.line = line != step.line ? line : 0;
    }
    step.changes.push_back(std::move(change));
  }
  step.changes.insert(step.changes.begin(), reads.begin(), reads.end());
  if (auto wait = MutexWait(after, mover)) step.changes.push_back(std::move(*wait));
  return step;
}

// The statement of the instruction an instance stands at, -1 when it is done or the
// instruction is the compiler's own.
int32_t TraceBuilder::StatementAt(int32_t instance, const ir::Value* state) const {
  ir::Value pc = state[program_.instances[instance].base_slot];
  if (pc == ir::kDonePc) return -1;
  return program_.processes[program_.instances[instance].process].code[pc].statement;
}

// A mutex keeps no record of who waits for it (a row lock does, its kWaitsFor slot): a step that
// leaves its instance before an acquire of a lock another holds says so itself, or the row reads
// as a step that did nothing (a crash point's choice, local work before `lock mu {`).
std::optional<result::Change> TraceBuilder::MutexWait(const ir::Value* state, int32_t instance) const {
  const ir::Instance& inst = program_.instances[instance];
  const std::vector<ir::Instr>& code = program_.processes[inst.process].code;
  ir::Value pc = state[inst.base_slot];
  if (pc < 0 || pc >= static_cast<ir::Value>(code.size()) || code[pc].op != ir::Op::kAcquire) return std::nullopt;
  Evaluator eval(program_);
  int32_t slot = eval.LockSlot(code[pc].var, code[pc].index, {state, state + inst.base_slot + 1, inst.self, inst.replica});
  if (eval.failed() || state[slot] == 0) return std::nullopt;
  std::vector<int32_t> holders;
  result::Change change;
  change.name = inst.display_name + " waits for";
  change.new_value = WaitTarget(program_, naming_, state, instance, slot, &holders);
  return change;
}

// Database and Redis slots show as engineers think of them: rows by key, uncommitted
// versions only while they exist, absent Redis keys as "absent", failures by name.
bool TraceBuilder::ExternalChange(int32_t slot, const ir::Value* before, const ir::Value* after, bool assigned,
                                  result::Change* change) const {
  using External = Naming::External;
  External kind = naming_.external(slot);
  change->name = naming_.ExternalName(slot, after, before);
  switch (kind) {
    case External::kNone:
    case External::kHidden:
    case External::kRowWaiter:
      return false;
    case External::kPending: {
      // An uncommitted version shows where the step wrote it, without an old value.
      if (!assigned || after[naming_.DirtySlot(slot)] == 0) return false;
      change->new_value = naming_.Value(slot, after[slot]);
      return true;
    }
    case External::kRowValue:
      // The values of a row that was just deleted are cleared: its "exists" says it all.
      if (after[naming_.ExistsSlot(slot)] == 0 && before[naming_.ExistsSlot(slot)] != 0) return false;
      [[fallthrough]];
    case External::kRowExists: {
      if (before[slot] == after[slot] && !assigned) return false;
      // A row that comes into being had no values before: it shows as an insert does.
      int32_t exists = naming_.ExistsSlot(slot);
      bool born = before[exists] == 0 && after[exists] != 0;
      if (!born) change->old_value = naming_.Value(slot, before[slot]);
      change->new_value = naming_.Value(slot, after[slot]);
      return true;
    }
    case External::kRowOwner:
      if (before[slot] == after[slot] && !assigned) return false;
      change->old_value = naming_.RowLockText(slot, before);
      change->new_value = naming_.RowLockText(slot, after);
      return true;
    case External::kRowShares: {
      // A share lock taken or given up; where the row lock's owner changes too, its change shows it.
      int32_t owner = naming_.OwnerSlot(slot);
      if (((before[slot] ^ after[slot]) & ir::kRowShared) == 0 || before[owner] != after[owner]) return false;
      change->old_value = naming_.RowLockText(slot, before);
      change->new_value = naming_.RowLockText(slot, after);
      return change->old_value != change->new_value;
    }
    case External::kFailure:
      // A failure handled in a step that then finished its request was cleared with its
      // locals: it still shows (round 30: an insert's unique violation under `on failure {
      // ... }` showed no change at all).
      if (after[slot] == 0 && assigned && step_failure_ != 0) {
        change->new_value = naming_.Value(slot, step_failure_);
        return true;
      }
      // The same failure again (a deadlock victim chosen once more) shows: it was written.
      if (after[slot] == 0 || (before[slot] == after[slot] && !assigned)) return false;
      change->new_value = naming_.Value(slot, after[slot]);
      return true;
    case External::kWaitsFor: {
      if (after[slot] <= 1 || before[slot] == after[slot]) return false;
      std::vector<int32_t> holders;
      change->new_value = WaitTarget(program_, naming_, after, naming_.Owner(slot), after[slot] - 1, &holders);
      return true;
    }
    case External::kRedisList: {
      bool same = naming_.CollectionText(slot, before) == naming_.CollectionText(slot, after);
      if (same && !assigned) return false;
      change->old_value = naming_.CollectionText(slot, before);
      change->new_value = naming_.CollectionText(slot, after);
      return true;
    }
    case External::kRedisValue: {
      // [value | present | lease]: a key that will expire says so, so that a SET that drops the
      // time to live (a plain SET does) shows.
      auto text = [&](const ir::Value* state) {
        if (state[slot + 1] == 0) return std::string("absent");
        return naming_.Value(slot, state[slot]) + (state[slot + 2] != 0 ? " (with a TTL)" : "");
      };
      bool same = before[slot] == after[slot] && before[slot + 1] == after[slot + 1] &&
                  (before[slot + 2] != 0) == (after[slot + 2] != 0);
      if (same && !assigned) return false;
      change->old_value = text(before);
      change->new_value = text(after);
      return true;
    }
  }
  return false;
}

// A lease running out: the Redis instance is the one that moved (in a timed model: time passing).
result::Step TraceBuilder::EnvironmentStep(int number, const ir::Value* before, const ir::Value* after,
                                           int32_t statement) const {
  int32_t replica = statement - program_.replica_crash_statement;
  if (program_.replica_crash_statement >= 0 && replica >= 0 && replica < program_.replicas) {
    return ReplicaCrashStep(number, before, after, replica);
  }
  result::Step step;
  step.number = number;
  step.statement = statement >= 0 ? program_.statements[statement].text : "a lease expires";
  step.line = statement >= 0 ? program_.statements[statement].range.begin.line : 0;
  // In a timed model the environment's move is time passing; the leases it ends show as changes.
  if (program_.timed) step.process = "time";
  if (program_.timed && program_.time_statement >= 0 && statement >= program_.time_statement) {
    step.statement += WaitersNote(before);
  }
  for (const ir::RedisDecl& decl : program_.redis) {
    for (int32_t e = 0; e < decl.size; ++e) {
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        if (decl.keys[k].IsCollection()) continue;  // lists, hashes and sets never get a lease
        int32_t slot = decl.KeySlot(e, static_cast<int32_t>(k));
        if (before[slot + 2] == 0 || after[slot + 2] != 0) continue;
        if (!program_.timed) step.process = decl.is_array ? fmt::format("{}[{}]", decl.name, decl.index_lo + e) : decl.name;
        result::Change change;
        if (ExternalChange(slot, before, after, true, &change)) step.changes.push_back(std::move(change));
      }
    }
  }
  return step;
}

// Time passing past a takes block's bound is allowed by a request that waits in it: " (Holder
// waits at line 13: its takes block does not bound time)", or "" when none does (round 21: a
// user could not tell why 30 ms passed inside a 10 ms block).
std::string TraceBuilder::WaitersNote(const ir::Value* before) const {
  // A stepper of its own: the probe's steps must leave the replaying one's records alone.
  ProbeOnlySink sink;
  Stepper prober(probe_program_ ? *probe_program_ : program_);
  std::vector<uint8_t> waiting = prober.Waiting(before, sink);
  std::vector<std::string> who;
  for (size_t i = 0; i < waiting.size(); ++i) {
    if (!waiting[i]) continue;
    int32_t at = StatementAt(static_cast<int32_t>(i), before);
    std::string line = at >= 0 ? fmt::format(" at line {}", program_.statements[at].range.begin.line) : "";
    const ir::Instance& inst = program_.instances[i];
    // Others kept failing its retry (Process::rounds_local).
    const ir::Process& process = program_.processes[inst.process];
    std::string spent = process.RoundsSpent(before + inst.base_slot)
                            ? fmt::format(" after {} rounds of its loop", process.retry_rounds)
                            : "";
    who.push_back(fmt::format("{} waits{}{}", inst.display_name, line, spent));
  }
  if (who.empty()) return "";
  return fmt::format(" ({}: {} not bound time)", fmt::join(who, ", "),
                     who.size() == 1 ? "its takes block does" : "their takes blocks do");
}

// A replica crashing: "replica 1", "crashes (Web[1] dies, its memory and locks reset)", with the
// memory and locks it lost and what the dead requests' rollbacks undid as changes.
result::Step TraceBuilder::ReplicaCrashStep(int number, const ir::Value* before, const ir::Value* after,
                                            int32_t replica) const {
  result::Step step;
  step.number = number;
  step.process = fmt::format("replica {}", replica);
  step.line = program_.statements[program_.replica_crash_statement + replica].range.begin.line;
  std::string dead;
  std::string retries;
  int count = 0;
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    const ir::Instance& inst = program_.instances[i];
    if (inst.replica != replica || !stepper_.OnCrashedReplica(before, static_cast<int32_t>(i))) continue;
    dead += (dead.empty() ? "" : ", ") + inst.display_name;
    // Whether its client sends it again, as a request's own crash says (round 33: the retry went
    // unsaid, and the next crash's "no retry left" came out of nowhere).
    const ir::Process& process = program_.processes[inst.process];
    if (process.crash_retries > 0 && process.crash_local >= 0) {
      int32_t attempts = process.crash_retries + 1;
      if (after[inst.base_slot] == ir::kDonePc) {
        retries += fmt::format("; {} has no retry left (at most {} attempts)", inst.display_name, attempts);
      } else {
        retries += fmt::format("; {}'s client sends it again (attempt {} of at most {})", inst.display_name,
                               after[inst.base_slot + 1 + process.crash_local] + 1, attempts);
      }
    }
    ++count;
  }
  std::string who = count == 0 ? "" : fmt::format("{} {}, ", dead, count == 1 ? "dies" : "die");
  step.statement = fmt::format("crashes ({}its memory and locks reset{})", who, retries);
  for (int32_t slot = 0; slot < program_.slot_count; ++slot) {
    if (naming_.IsPc(slot) || naming_.IsLocal(slot)) continue;
    result::Change change;
    if (naming_.external(slot) != Naming::External::kNone) {
      if (ExternalChange(slot, before, after, false, &change)) step.changes.push_back(std::move(change));
      continue;
    }
    if (naming_.IsHidden(slot) || before[slot] == after[slot]) continue;
    change.name = naming_.SlotName(slot);
    change.old_value = naming_.Value(slot, before[slot]);
    change.new_value = naming_.Value(slot, after[slot]);
    step.changes.push_back(std::move(change));
  }
  return step;
}

}  // namespace racecheck::explore
