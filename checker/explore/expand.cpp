#include "checker/explore/expand.h"

#include <algorithm>
#include <bit>

#include "checker/base/stop.h"
#include "checker/explore/db.h"

namespace racecheck::explore {
void ExpansionLog::Clear() {
  parents.clear();
  events.clear();
  states.clear();
  failures.clear();
  waiting.clear();
  outcomes.clear();
  faults.clear();
  plain = false;
  new_states.Clear(new_states.shares.size());
}

void NewStates::Clear(size_t share_count) {
  entries.clear();
  rows.clear();
  shares.resize(share_count);
  for (std::vector<uint32_t>& share : shares) share.clear();
}

void NewStates::Add(const Entry& entry, const uint8_t* row, size_t row_bytes, size_t share_count) {
  shares[ShareOf(entry.hash, share_count)].push_back(static_cast<uint32_t>(entries.size()));
  entries.push_back(entry);
  rows.insert(rows.end(), row, row + row_bytes);
}

void ExpansionLog::DropEvents(const Parent& parent) {
  events.resize(parent.events_begin);
  states.resize(parent.states_begin);
  failures.resize(parent.failures_begin);
  outcomes.resize(parent.outcomes_begin);
  faults.resize(parent.faults_begin);
}

Expander::Expander(const ir::Program& program, const Symmetry& symmetry)
    : program_(program),
      stepper_(program),
      symmetry_(symmetry),
      ample_(program),
      check_(program),
      expanding_(program.slot_count),
      proviso_(program.slot_count),
      row_holders_(program.instances.size()) {}

void Expander::Expand(uint32_t index, const ExpansionContext& context, ExpansionLog& log) {
  context_ = &context;
  log_ = &log;
  stopped_ = deferred_ = false;
  ExpansionLog::Parent& parent = log.parents.emplace_back();
  parent.index = index;
  parent.events_begin = parent.events_end = static_cast<uint32_t>(log.events.size());
  parent.waiting_begin = parent.waiting_end = static_cast<uint32_t>(log.waiting.size());
  parent.states_begin = log.states.size();
  parent.failures_begin = log.failures.size();
  parent.outcomes_begin = log.outcomes.size();
  parent.faults_begin = log.faults.size();
  const std::vector<uint32_t>& terminal = *context.terminal;
  if (!terminal.empty() && std::binary_search(terminal.begin(), terminal.end(), index)) {
    parent.terminal = true;
    return;
  }
  failed_before_ = stepper_.failed_transactions();
  context.store->Load(index, expanding_.data());
  const ir::Value* state = expanding_.data();
  if (symmetry_.active()) symmetry_.SetParent(state);
  // Fills in the parent's counts; `parent` may have moved since (log.parents grows only here).
  auto finish = [&] {
    ExpansionLog::Parent& done = log.parents.back();
    if (deferred_) {
      // Dropped whole: the search expands it again.
      log.DropEvents(done);
      log.waiting.resize(done.waiting_begin);
      done.reduced = false;
    }
    done.events_end = static_cast<uint32_t>(log.events.size());
    done.waiting_end = static_cast<uint32_t>(log.waiting.size());
    done.failed_transactions = stepper_.failed_transactions() - failed_before_;
    done.cut = stopped_ && !deferred_;
    done.deferred = deferred_;
  };
  if (context.por && ample_.active() && ExpandAmple(state)) return finish();
  if (stopped_) return finish();
  bool all_done = true;
  bool any_enabled = false;
  bool row_waits = false;
  for (std::vector<int32_t>& holders : row_holders_) holders.clear();
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (state[program_.instances[i].base_slot] == ir::kDonePc) continue;
    all_done = false;
    mover_ = static_cast<int32_t>(i);
    StepResult step = stepper_.Step(state, mover_, *this);
    if (stopped_) return finish();
    if (step.enabled) {
      any_enabled = true;
    } else {
      log.waiting.push_back({mover_, step.blocked_lock_slot});
      if (step.blocked_on_row) {
        LockHolders(program_, state, step.blocked_lock_slot, mover_, &row_holders_[i]);
        row_waits = true;
      }
    }
  }
  // The database's deadlock detector: in a cycle of transactions waiting for each other's
  // rows, any one of them may be the one it aborts (whichever detects the cycle first).
  if (row_waits) {
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      if (row_holders_[i].empty() || !InWaitCycle(row_holders_, static_cast<int32_t>(i))) continue;
      mover_ = static_cast<int32_t>(i);
      stepper_.StepDeadlockVictim(state, mover_, *this);
      any_enabled = true;
      if (stopped_) return finish();
    }
  }
  // The environment: a Redis lease may run out at any moment, a replica may crash.
  if (!program_.redis.empty() || program_.replica_crash_bound > 0) {
    mover_ = stepper_.environment_mover();
    stepper_.StepEnvironment(state, *this);
    if (stopped_) return finish();
  }
  log.parents.back().deadlock = !all_done && !any_enabled && !program_.allow_deadlock;
  finish();
}

bool Expander::ExpandAmple(const ir::Value* state) {
  // The proviso asks whether a successor is stored already: it looks the state up exactly as
  // it would be stored (normalised under symmetry), and counts only states stored below the
  // bound, which breadth-first are the levels up to the one being expanded, whatever order the
  // threads store the next level in.
  int32_t chosen = ample_.Choose(state, stepper_, *this, [this](const ir::Value* successor) {
    if (symmetry_.active()) {
      symmetry_.Normalise(successor, proviso_.data());
      successor = proviso_.data();
    }
    StateStore::Probe probe =
        context_->store->Find(successor, HashState(successor, program_.slot_count), scratch_data());
    return probe.found() && probe.index < context_->proviso_bound;
  });
  if (chosen < 0) return false;
  // Before its successors, which a drain may apply: the search counts the reduction first.
  log_->parents.back().reduced = true;
  mover_ = chosen;
  size_t width = static_cast<size_t>(program_.slot_count);
  for (size_t k = 0; k < ample_.statements().size(); ++k) {
    if (!Successor(ample_.successors().data() + k * width, ample_.statements()[k])) break;
  }
  return true;
}

uint8_t* Expander::scratch_data() {
  if (scratch_.size() < context_->store->scratch_bytes()) scratch_.resize(context_->store->scratch_bytes());
  return scratch_.data();
}

uint32_t Expander::AddState(const ir::Value* state, bool normalise) {
  size_t width = static_cast<size_t>(program_.slot_count);
  auto at = static_cast<uint32_t>(log_->states.size() / std::max<size_t>(width, 1));
  log_->states.resize(log_->states.size() + width);
  ir::Value* out = log_->states.data() + static_cast<size_t>(at) * width;
  if (normalise && symmetry_.active()) {
    symmetry_.NormaliseSuccessor(state, mover_, out);
  } else {
    std::copy(state, state + width, out);
  }
  return at;
}

bool Expander::Successor(const ir::Value* state, int32_t /*statement*/) {
  if (stopped_) return false;
  size_t width = static_cast<size_t>(program_.slot_count);
  ExpansionLog::Event event;
  event.kind = ExpansionLog::Event::Kind::kSuccessor;
  event.mover = mover_;
  event.failed_transactions = static_cast<uint32_t>(stepper_.failed_transactions() - failed_before_);
  event.state = AddState(state, true);
  event.hash = HashState(log_->states.data() + static_cast<size_t>(event.state) * width, program_.slot_count);
  log_->events.push_back(event);
  return Logged();
}

void Expander::Resolve(const ExpansionContext& context, ExpansionLog& log) {
  // Lookups overlap: the table entry of the successor kAhead events on is requested, and the
  // stored rows its entries point to kAhead / 2 events on, while this one is compared.
  constexpr size_t kAhead = 16;
  const StateStore& store = *context.store;
  context_ = &context;
  size_t width = static_cast<size_t>(program_.slot_count);
  using Kind = ExpansionLog::Event::Kind;
  std::vector<ExpansionLog::Event>& events = log.events;
  for (size_t e = 0; e < std::min(events.size(), kAhead); ++e) {
    if (events[e].kind == Kind::kSuccessor) store.PrefetchEntry(events[e].hash);
  }
  resolved_.assign(std::bit_ceil(std::max<size_t>(events.size() * 2, 16)), 0);
  log.plain = std::none_of(log.parents.begin(), log.parents.end(), [](const ExpansionLog::Parent& parent) {
    return parent.deferred || parent.cut || parent.deadlock;
  });
  if (context.shares > 0) log.new_states.Clear(context.shares);
  size_t parent = 0;  // the parent of event e
  for (size_t e = 0; e < events.size(); ++e) {
    if (e + kAhead < events.size() && events[e + kAhead].kind == Kind::kSuccessor) {
      store.PrefetchEntry(events[e + kAhead].hash);
    }
    if (e + kAhead / 2 < events.size() && events[e + kAhead / 2].kind == Kind::kSuccessor) {
      store.PrefetchRows(events[e + kAhead / 2].hash);
    }
    ExpansionLog::Event& event = events[e];
    if (event.kind == Kind::kKnown) continue;
    if (event.kind == Kind::kFailure) log.plain = false;
    ir::Value* state = log.states.data() + static_cast<size_t>(event.state) * width;
    if (event.kind == Kind::kSuccessor) {
      StateStore::Probe probe = store.Find(state, event.hash, scratch_data());
      if (probe.found()) {
        // Stored before this expansion: the search finds it again, without its slots (which
        // stay where they are: moving the others up would copy every state after it).
        event.kind = Kind::kKnown;
        continue;
      }
      event.fits = probe.row_bytes == store.row_bytes();
      event.repeat = Repeats(log, e, state);
      if (event.repeat) {
        // Kept with its slots: the search looks it up and finds the first one stored.
      } else if (context.settled != nullptr) {
        // Evaluated here, in parallel; acted on by the search if the state turns out new.
        size_t before = log.outcomes.size();
        event.all_done = check_.Evaluate(state, *context.settled, log.outcomes, log.faults);
        event.checked = true;
        event.outcomes = static_cast<uint32_t>(before);
        event.outcome_count = static_cast<uint16_t>(log.outcomes.size() - before);
      }
      if (!event.repeat && (!event.fits || !event.checked || event.outcome_count != 0)) log.plain = false;
      if (context.shares > 0 && log.plain && !event.repeat) {
        // Find left the state packed in the scratch: kept, so that storing it packs nothing.
        while (e >= log.parents[parent].events_end) ++parent;
        log.new_states.Add({event.hash, log.parents[parent].index, event.mover, event.all_done}, scratch_.data(),
                           store.slots_bytes(), context.shares);
      }
    }
  }
}

bool Expander::Repeats(const ExpansionLog& log, size_t e, const ir::Value* state) {
  size_t width = static_cast<size_t>(program_.slot_count);
  uint64_t hash = log.events[e].hash;
  size_t mask = resolved_.size() - 1;
  for (size_t at = hash & mask;; at = (at + 1) & mask) {
    if (resolved_[at] == 0) {
      resolved_[at] = static_cast<uint32_t>(e + 1);
      return false;
    }
    const ExpansionLog::Event& first = log.events[resolved_[at] - 1];
    if (first.hash == hash &&
        std::equal(state, state + width, log.states.data() + static_cast<size_t>(first.state) * width)) {
      return true;
    }
  }
}

bool Expander::Logged() {
  ExpansionLog& log = *log_;
  if (context_->drain != nullptr) {
    // A few at a time, so that a step's successors are stored (and limits met) while it runs.
    ExpansionLog::Parent& parent = log.parents.back();
    if (log.events.size() - parent.events_begin < ExpansionLog::kDrainEvents) return true;
    if (!context_->drain->Drain(log)) stopped_ = true;
    log.DropEvents(parent);
    return !stopped_;
  }
  if (log.events.size() > ExpansionLog::kMaxEvents || log.states.size() > ExpansionLog::kMaxValues) {
    deferred_ = stopped_ = true;
  }
  return !stopped_;
}

bool Expander::Failure(const ir::Value* state, int32_t /*statement*/, StepFailure failure) {
  if (stopped_) return false;
  ExpansionLog::Event event;
  event.kind = ExpansionLog::Event::Kind::kFailure;
  event.mover = mover_;
  event.failed_transactions = static_cast<uint32_t>(stepper_.failed_transactions() - failed_before_);
  // The trace replays the concrete state the branch failed in.
  event.state = AddState(state, false);
  event.failure = static_cast<uint32_t>(log_->failures.size());
  log_->failures.push_back(std::move(failure));
  log_->events.push_back(event);
  return Logged();
}

bool Expander::Poll() {
  if (stopped_) return false;
  if (context_->drain != nullptr) {
    if (!context_->drain->Poll()) stopped_ = true;
  } else if (context_->stop->load(std::memory_order_relaxed)) {
    stopped_ = true;
  } else if (base::Interrupted() || base::Clock::now() >= context_->stop_at) {
    context_->stop->store(true, std::memory_order_relaxed);
    stopped_ = true;
  }
  return !stopped_;
}

}  // namespace racecheck::explore
