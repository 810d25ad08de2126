// Applying expansions: breadth-first batches expanded on every thread and applied in order (or
// stored all at once when nothing in them needs the one-by-one order), expansions applied as they
// run, successors looked up and stored. Design: docs/internals-explore.md, "The parallel search".
#include <algorithm>
#include <atomic>
#include <bit>
#include <cstring>
#include <string>

#include "checker/explore/explorer.h"
#include "fmt/format.h"

namespace racecheck::explore {

void Explorer::ExpandBatch(uint64_t begin, uint64_t end, uint64_t level_end) {
  // The proviso counts the states stored before this level's expansion began: which of the
  // next level are stored already depends on the order threads finish in, this does not.
  // The threads evaluate the properties of the successors too: nothing they read (settled_)
  // changes until all of them are done.
  ExpansionContext context{.store = &store_,
                           .terminal = &terminal_,
                           .proviso_bound = level_end,
                           .por = options_.por,
                           .settled = &settled_,
                           .stop = &expansions_stopped_,
                           .stop_at = stop_at_,
                           .shares = expanders_.size()};
  if (!workers_) {
    // One thread: each expansion applied as it runs, with no log to keep (the same outcome).
    for (uint64_t i = begin; i < end; ++i) {
      if (!ExpandDirect(static_cast<uint32_t>(i), level_end)) return;
    }
    return;
  }
  size_t chunks = static_cast<size_t>((end - begin + kChunk - 1) / kChunk);
  if (logs_.size() < chunks) logs_.resize(chunks);
  for (size_t c = 0; c < chunks; ++c) logs_[c].Clear();
  std::atomic<size_t> next{0};
  auto expand = [&](int worker) {
    for (size_t c; (c = next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
      uint64_t from = begin + c * kChunk, to = std::min(end, from + kChunk);
      for (uint64_t i = from; i < to && !expansions_stopped_.load(std::memory_order_relaxed); ++i) {
        expanders_[worker]->Expand(static_cast<uint32_t>(i), context, logs_[c]);
      }
      expanders_[worker]->Resolve(context, logs_[c]);
    }
  };
  workers_->Run(expand);
  if (StoreBatch(begin, end, chunks)) return;
  for (size_t c = 0; c < chunks; ++c) {
    for (const ExpansionLog::Parent& parent : logs_[c].parents) {
      if (!(parent.deferred ? ExpandDirect(parent.index, level_end) : Apply(logs_[c], parent))) return;
    }
    uint64_t from = begin + c * kChunk;
    if (logs_[c].parents.size() < std::min(end - from, kChunk)) return StopExpansions();
  }
}

bool Explorer::StoreBatch(uint64_t begin, uint64_t end, size_t chunks) {
  if (stop_) return false;
  // The successors in the order Flush would have met them: first those left from before that
  // are not stored, then the batch's (listed packed by the threads that resolved each log).
  // Anything that only the one-by-one application does exactly sends the batch there: a
  // successor with a property outcome (or left from before without its outcomes), a failed
  // step, a deadlock, an expansion cut short or deferred, a state that widens the rows, a limit
  // within reach.
  size_t width = static_cast<size_t>(program_.slot_count);
  auto threads = static_cast<size_t>(expanders_.size());
  size_t row = store_.slots_bytes();
  row_scratch_.resize(store_.scratch_bytes());
  pending_new_.Clear(threads);
  for (size_t k = 0; k < pending_.size(); ++k) {
    const Pending& pending = pending_[k];
    if (!pending.checked || pending.check.count != 0) return false;
    const ir::Value* state = pending_states_.data() + k * width;
    StateStore::Probe probe = store_.Find(state, pending.hash, row_scratch_.data());
    if (probe.found()) continue;
    if (probe.row_bytes != store_.row_bytes()) return false;
    pending_new_.Add({pending.hash, pending.parent, pending.mover, pending.check.all_done}, row_scratch_.data(), row,
                     threads);
  }
  units_.assign(1, &pending_new_);
  unit_first_.assign(1, 0);
  uint64_t candidate_count = pending_new_.entries.size();
  uint64_t events = 0;
  for (size_t c = 0; c < chunks; ++c) {
    const ExpansionLog& log = logs_[c];
    if (!log.plain || log.parents.size() < std::min(end - (begin + c * kChunk), kChunk)) return false;
    units_.push_back(&log.new_states);
    unit_first_.push_back(candidate_count);
    candidate_count += log.new_states.entries.size();
    events += log.events.size();
  }
  // Limits, counting every successor as new (an upper bound).
  uint64_t max_states = options_.max_states != 0 ? options_.max_states : StateStore::kMaxStates;
  if (store_.size() + candidate_count > std::min<uint64_t>(max_states, StateStore::kMaxStates) ||
      (options_.max_memory_bytes != 0 && store_.memory_bytes_bound(candidate_count) > options_.max_memory_bytes)) {
    return false;
  }

  // Which are the first of their state: thread s meets share s's successors in order, unit
  // after unit, and compares them packed.
  first_.resize(candidate_count);
  seen_.resize(threads);
  workers_->Run([&](int worker) {
    size_t in_share = 0;
    for (const NewStates* unit : units_) in_share += unit->shares[worker].size();
    std::vector<Seen>& seen = seen_[worker];
    size_t mask = std::bit_ceil(std::max<size_t>(in_share * 2, 16)) - 1;
    seen.assign(mask + 1, Seen{});
    for (size_t u = 0; u < units_.size(); ++u) {
      const NewStates& unit = *units_[u];
      for (uint32_t i : unit.shares[worker]) {
        uint64_t hash = unit.entries[i].hash;
        const uint8_t* slots = unit.rows.data() + i * row;
        uint8_t& first = first_[unit_first_[u] + i];
        for (size_t at = hash & mask;; at = (at + 1) & mask) {
          Seen& other = seen[at];
          if (!other.taken) {
            other = {hash, slots, true};
            first = 1;
            break;
          }
          if (other.hash == hash && std::memcmp(other.slots, slots, row) == 0) {
            first = 0;
            break;
          }
        }
      }
    }
  });
  number_.resize(candidate_count);
  uint32_t count = 0;
  bool all_done = false;
  for (size_t u = 0; u < units_.size(); ++u) {
    const std::vector<NewStates::Entry>& entries = units_[u]->entries;
    for (size_t i = 0, k = unit_first_[u]; i < entries.size(); ++i, ++k) {
      number_[k] = count;
      if (!first_[k]) continue;
      ++count;
      all_done |= entries[i].all_done;
    }
  }

  // Stored on every thread, each at the index it would have had.
  uint64_t first = store_.size();
  store_.Reserve(count, workers_.get());
  std::atomic<size_t> next{0};
  workers_->Run([&](int /*worker*/) {
    constexpr size_t kAhead = 8;
    for (size_t u; (u = next.fetch_add(1, std::memory_order_relaxed)) < units_.size();) {
      const NewStates& unit = *units_[u];
      size_t n = unit.entries.size();
      for (size_t i = 0; i < std::min(n, kAhead); ++i) store_.PrefetchEntry(unit.entries[i].hash);
      for (size_t i = 0; i < n; ++i) {
        if (i + kAhead < n) store_.PrefetchEntry(unit.entries[i + kAhead].hash);
        size_t k = unit_first_[u] + i;
        if (!first_[k]) continue;
        const NewStates::Entry& entry = unit.entries[i];
        store_.StoreAt(static_cast<uint32_t>(first + number_[k]), unit.rows.data() + i * row, entry.hash,
                       entry.parent, entry.mover);
      }
    }
  });
  store_.Commit(count);

  // The counts the one-by-one application keeps.
  for (size_t c = 0; c < chunks; ++c) {
    for (const ExpansionLog::Parent& parent : logs_[c].parents) {
      ++work_;
      if (parent.reduced) ++reduced_expansions_;
      if (!parent.terminal) CountFinished(parent);
    }
  }
  transitions_ += events;
  work_ += count;
  if (count > 0) max_depth_ = std::max(max_depth_, depth_ + 1);
  if (all_done) finals_evaluated_ = true;
  // The successors since the last look-up of 32 (those left over are stored now, before any
  // other state, as Flush would have stored them).
  pending_count_ = (pending_count_ + events) % kBatch;
  pending_.clear();
  pending_outcomes_.clear();
  pending_faults_.clear();
  Tick();
  return true;
}

bool Explorer::Apply(const ExpansionLog& log, const ExpansionLog::Parent& parent) {
  if (!Begin(parent)) return false;
  // A state where an invariant fails ends its runs.
  if (parent.terminal) return true;
  return ApplyEvents(log, parent.events_begin, parent.events_end) && Finish(log, parent);
}

bool Explorer::Begin(const ExpansionLog::Parent& parent) {
  if ((++work_ & kTickMask) == 0) Tick();
  if (stop_) return false;
  current_ = parent.index;
  applied_failed_transactions_ = 0;
  if (parent.reduced) ++reduced_expansions_;
  return true;
}

bool Explorer::ApplyEvents(const ExpansionLog& log, uint32_t begin, uint32_t end) {
  size_t width = static_cast<size_t>(program_.slot_count);
  for (uint32_t e = begin; e < end; ++e) {
    const ExpansionLog::Event& event = log.events[e];
    const ir::Value* state = log.states.data() + static_cast<size_t>(event.state) * width;
    applied_failed_transactions_ = event.failed_transactions;
    switch (event.kind) {
      case ExpansionLog::Event::Kind::kKnown:
        // Stored already: nothing to look up, but it counts towards the batch as it always did,
        // so that a violation stops the search after the same successors on any thread.
        ++transitions_;
        if (++pending_count_ == kBatch) Flush();
        break;
      case ExpansionLog::Event::Kind::kSuccessor: Successor(log, event); break;
      case ExpansionLog::Event::Kind::kFailure: Failure(state, event.mover, log.failures[event.failure]); break;
    }
    if (stop_) return false;
  }
  return true;
}

bool Explorer::Finish(const ExpansionLog& log, const ExpansionLog::Parent& parent) {
  if (parent.cut) {
    StopExpansions();
    return false;
  }
  CountFinished(parent);
  applied_failed_transactions_ = 0;
  if (!parent.deadlock) return true;
  Flush();
  if (stop_) return false;
  waiting_.assign(log.waiting.begin() + parent.waiting_begin, log.waiting.begin() + parent.waiting_end);
  deadlocked_.resize(static_cast<size_t>(program_.slot_count));
  store_.Load(parent.index, deadlocked_.data());
  Deadlock(parent.index, deadlocked_.data());
  return !stop_;
}

void Explorer::CountFinished(const ExpansionLog::Parent& parent) {
  failed_transactions_ += parent.failed_transactions;
  // A state where some instance could not move (an ample set stands for some moves only).
  if (!parent.reduced && parent.waiting_end != parent.waiting_begin) ++blocked_states_;
}

bool Explorer::ExpandDirect(uint32_t index, uint64_t proviso_bound) {
  ExpansionContext context{.store = &store_,
                           .terminal = &terminal_,
                           .proviso_bound = proviso_bound,
                           .por = options_.por,
                           .stop = &expansions_stopped_,
                           .stop_at = stop_at_,
                           .drain = this};
  direct_log_.Clear();
  direct_begun_ = false;
  expanders_[0]->Expand(index, context, direct_log_);
  if (stop_) return false;
  const ExpansionLog::Parent& parent = direct_log_.parents.back();
  // What a drain has not applied yet (all of it when nothing was drained).
  if (direct_begun_) return ApplyEvents(direct_log_, parent.events_begin, parent.events_end) && Finish(direct_log_, parent);
  return Apply(direct_log_, parent);
}

bool Explorer::Drain(ExpansionLog& log) {
  const ExpansionLog::Parent& parent = log.parents.back();
  if (!direct_begun_) {
    direct_begun_ = true;
    if (!Begin(parent)) return false;
  }
  return ApplyEvents(log, parent.events_begin, static_cast<uint32_t>(log.events.size()));
}

void Explorer::StopExpansions() {
  Tick();
  // The clock has passed stop_at_ or Ctrl-C came, as an Expander saw.
  if (!stop_) Limit(base::Interrupted() ? std::string("interrupted (Ctrl-C)") : TimeLimitReason());
}

void Explorer::Successor(const ExpansionLog& log, const ExpansionLog::Event& event) {
  ++transitions_;
  size_t width = static_cast<size_t>(program_.slot_count);
  const ir::Value* state = log.states.data() + static_cast<size_t>(event.state) * width;
  std::copy(state, state + width, pending_states_.data() + pending_.size() * width);
  store_.PrefetchEntry(event.hash);
  Pending pending{event.hash, current_, event.mover, event.checked, {}};
  if (event.checked) {
    // Copied: the log may be cleared before Flush.
    pending.check = {static_cast<uint32_t>(pending_outcomes_.size()), event.outcome_count, event.all_done};
    for (uint32_t k = 0; k < event.outcome_count; ++k) {
      PropertyOutcome outcome = log.outcomes[event.outcomes + k];
      if (outcome.fault >= 0) {
        pending_faults_.push_back(log.faults[outcome.fault]);
        outcome.fault = static_cast<int32_t>(pending_faults_.size() - 1);
      }
      pending_outcomes_.push_back(outcome);
    }
  }
  pending_.push_back(pending);
  if (++pending_count_ == kBatch) Flush();
}

void Explorer::Flush() {
  size_t width = static_cast<size_t>(program_.slot_count);
  for (const Pending& pending : pending_) store_.PrefetchRows(pending.hash);
  for (size_t k = 0; k < pending_.size() && !stop_; ++k) {
    const Pending& pending = pending_[k];
    Reach(pending_states_.data() + k * width, pending.hash, pending.parent, pending.mover,
          pending.checked ? &pending.check : nullptr);
  }
  pending_.clear();
  pending_count_ = 0;
  pending_outcomes_.clear();
  pending_faults_.clear();
}

void Explorer::Failure(const ir::Value* state, int32_t mover, const StepFailure& failure) {
  ++transitions_;
  // Violations are found in the order steps were generated.
  Flush();
  bool is_assert = failure.kind == result::ViolationKind::kAssert;
  const char* what = is_assert ? "assert" : failure.kind == result::ViolationKind::kFailure ? "failure" : "runtime error";
  std::string key = fmt::format("{} at line {}", what, failure.line);
  if (stop_ || reported_.contains(key)) return;
  Found found;
  found.key = std::move(key);
  found.violation.kind = failure.kind;
  // Runtime errors belong to no property.
  if (is_assert) found.violation.property = found.key;
  found.violation.message = failure.message;
  found.violation.line = failure.line;
  found.failed_step = true;
  found.failed.parent = current_;
  found.failed.mover = mover;
  found.failed.state.assign(state, state + program_.slot_count);
  Record(std::move(found));
}

void Explorer::Reach(const ir::Value* state, uint64_t hash, uint32_t parent, int32_t mover, const Checked* checked) {
  StateStore::Probe probe = store_.Find(state, hash);
  if (probe.found()) return;
  if (options_.max_states != 0 && store_.size() >= options_.max_states) {
    return Limit(fmt::format("stopped after {} states (--max-states)", store_.size()));
  }
  if (store_.size() >= StateStore::kMaxStates) {
    return Limit(fmt::format("stopped after {} states (the most one search can store)", store_.size()));
  }
  if (options_.max_memory_bytes != 0 &&
      store_.memory_bytes_after_insert(probe.row_bytes) + stack_.capacity() * sizeof(stack_[0]) >
          options_.max_memory_bytes) {
    return Limit(fmt::format("stopped after {} states at the memory limit of {} (--max-memory)", store_.size(),
                             FormatBytes(options_.max_memory_bytes)));
  }
  uint32_t index = store_.Insert(probe, state, parent, mover);
  if (parent != StateStore::kNoParent) max_depth_ = std::max(max_depth_, depth_ + 1);
  Check(index, state, checked);
  if ((++work_ & kTickMask) == 0) Tick();
}

}  // namespace racecheck::explore
