#include "checker/explore/search.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/explore/ample.h"
#include "checker/explore/anomaly.h"
#include "checker/explore/eval.h"
#include "checker/explore/expand.h"
#include "checker/explore/initial.h"
#include "checker/explore/naming.h"
#include "checker/explore/properties.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/explore/symmetry.h"
#include "checker/explore/trace.h"
#include "checker/explore/workers.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

using Clock = base::Clock;

// Work units (expansions and new states) between looks at the clock; long steps look at it
// by their own work too (StepSink::Poll).
constexpr uint64_t kTickMask = 1023;
// Past this, --max-seconds means no limit (and the time point cannot overflow).
constexpr double kMaxSeconds = 1e9;
// Successors looked up together, so that their table entries load in parallel.
constexpr size_t kBatch = 32;
// Breadth-first, the states of a level are expanded in batches of this many (all threads
// expanding, then the successors stored in order), in chunks of kChunk states a thread takes
// at a time.
constexpr uint64_t kBatchStates = 4096;
constexpr uint64_t kChunk = 64;

// A /proc/self/status field in bytes ("VmHWM", "VmRSS"), or 0 when unavailable.
uint64_t StatusBytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with(field + ":")) return std::stoull(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

uint64_t PeakMemoryBytes() {
  uint64_t peak = StatusBytes("VmHWM");
  if (peak != 0) return peak;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

std::string FormatBytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", bytes / double(uint64_t{1} << 30));
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.0f} MiB", bytes / double(uint64_t{1} << 20));
  return fmt::format("{} KiB", (bytes + 1023) / 1024);
}

// Runs the search for one program. Expanders (one per thread) write each expansion down; the
// search applies what they wrote in the order one thread would have produced it.
class Explorer final : public ExpansionDrain {
 public:
  Explorer(const ir::Program& program, const SearchOptions& options)
      : program_(program),
        options_(options),
        naming_(program),
        store_(program.slot_count),
        symmetry_(program, options.symmetry ? ir::FindSymmetry(program).groups : std::vector<ir::SymmetryGroup>{}),
        check_(program),
        property_reported_(program.properties.size(), false),
        settled_(program.properties.size(), 0),
        cover_reached_(program.properties.size(), StateStore::kNoParent),
        pending_states_(kBatch * static_cast<size_t>(program.slot_count)),
        normal_(program.slot_count) {
    pending_.reserve(kBatch);
    // Depth-first expands one state at a time: one thread.
    int threads = options.dfs ? 1 : options.threads > 0 ? options.threads : AvailableCores();
    for (int k = 0; k < threads; ++k) expanders_.push_back(std::make_unique<Expander>(program, symmetry_));
    if (threads > 1) workers_ = std::make_unique<Workers>(threads);
    batch_states_ = options.batch_states > 0 ? options.batch_states : kBatchStates;
    stop_at_ = options.deadline.at();
    if (options.max_seconds > 0 && options.max_seconds < kMaxSeconds) {
      stop_at_ = std::min(stop_at_, start_ + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(options.max_seconds)));
    }
  }

  result::Report Run();
  // The deepest BFS level whose expansion recorded a violation (the recovery's bound).
  int found_depth() const { return found_depth_; }


 private:
  // A violation as found; its run is rebuilt once the search is over.
  struct Found {
    result::Violation violation;
    std::string key;  // one violation per key: the property, "deadlock", the assert's or error's line
    uint32_t state = StateStore::kNoParent;  // the violating stored state, if any
    bool failed_step = false;                // the run ends with `failed` instead
    FailedStep failed;
    // A deadlock: (instance, lock slot) of each waiting instance, to be named in the run's terms.
    std::vector<std::pair<int32_t, int32_t>> waiting;
  };
  // Under symmetry the stored states are normal forms: the words of a violation that name
  // instances are rewritten for the concrete run the trace builder rebuilt.
  void NameConcreteInstances(Found& found, const TraceBuilder& traces);

  // Breadth-first: expands the stored states [begin, end) of the level that ends at level_end,
  // on every thread, then applies their logs in order.
  void ExpandBatch(uint64_t begin, uint64_t end, uint64_t level_end);
  // Applies one expansion as the search would have met it: successors stored and checked in
  // the order generated, failures and deadlocks recorded; false when the search stops.
  bool Apply(const ExpansionLog& log, const ExpansionLog::Parent& parent);
  // Apply in three parts, for expansions applied as they run: before the events, some of the
  // events, and what comes after the last.
  bool Begin(const ExpansionLog::Parent& parent);
  bool ApplyEvents(const ExpansionLog& log, uint32_t begin, uint32_t end);
  bool Finish(const ExpansionLog& log, const ExpansionLog::Parent& parent);
  // Expands stored state `index` on this thread, applying its outcomes as they come; false when
  // the search stops.
  bool ExpandDirect(uint32_t index, uint64_t proviso_bound);
  bool Drain(ExpansionLog& log) override;
  bool Poll() override {
    Tick();
    return !stop_;
  }
  // A successor of the expansion under way, queued for Flush.
  void Successor(const ExpansionLog& log, const ExpansionLog::Event& event);
  void Failure(const ir::Value* state, int32_t mover, const StepFailure& failure);
  // An expansion was cut short by the clock or Ctrl-C: the search ends there.
  void StopExpansions();
  // Stores a state reached from `parent` by `mover` and checks it, unless it is known.
  // A successor's properties as an Expander evaluated them: pending_outcomes_[begin, begin + count).
  struct Checked {
    uint32_t begin = 0;
    uint32_t count = 0;
    bool all_done = false;
  };
  void Reach(const ir::Value* state, uint64_t hash, uint32_t parent, int32_t mover, const Checked* checked = nullptr);
  // Looks up the pending successors, in the order they were generated.
  void Flush();
  // Acts on the properties of a newly stored state: evaluates them (or takes `checked`), records
  // violations, ends runs at broken invariants, notes covers reached.
  void Check(uint32_t index, const ir::Value* state, const Checked* checked);
  // A violation of property k at copy `copy`, or its failure to evaluate (`fault`).
  void PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy, const std::string* fault);
  void Deadlock(uint32_t index, const ir::Value* state);
  void Record(Found found);
  // Properties that runs ending at a broken invariant kept from being evaluated.
  std::vector<result::EngineWarning> UnevaluatedWarnings(bool complete) const;
  void Limit(std::string reason);
  // The limit reached when the clock passes stop_at_.
  std::string TimeLimitReason() const;
  void Tick();

  const ir::Program& program_;
  SearchOptions options_;
  Naming naming_;
  StateStore store_;
  Symmetry symmetry_;
  PropertyCheck check_;

  std::vector<bool> property_reported_;    // per property
  // Per property: a final reported, a cover reached or reported; what PropertyCheck skips.
  std::vector<char> settled_;
  int32_t first_broken_invariant_ = -1;
  bool finals_evaluated_ = false;          // some state where every instance is done was checked
  std::vector<uint32_t> cover_reached_;    // per property: first state where a cover holds
  // States where an invariant fails, ascending: runs end there, so they are not expanded.
  std::vector<uint32_t> terminal_;

  // The expansion being applied.
  uint32_t current_ = 0;
  int depth_ = 0;
  std::vector<std::pair<int32_t, int32_t>> waiting_;  // (instance, lock slot) of disabled instances
  std::vector<int32_t> holders_;                       // a lock's holders, for a deadlock's words
  // One per thread; workers_ runs all but the first (absent with one thread).
  std::vector<std::unique_ptr<Expander>> expanders_;
  std::unique_ptr<Workers> workers_;
  uint64_t batch_states_ = kBatchStates;
  std::vector<ExpansionLog> logs_;       // per chunk of the batch under way
  ExpansionLog direct_log_;              // ExpandDirect's
  bool direct_begun_ = false;            // ExpandDirect's expansion has been begun
  std::atomic<bool> expansions_stopped_{false};  // an Expander met a limit
  std::vector<ir::Value> deadlocked_;    // a deadlocked state, loaded for its words
  // Successors waiting for Flush: their slots back to back, and how they were reached.
  struct Pending {
    uint64_t hash;
    uint32_t parent;
    int32_t mover;
    bool checked;  // its properties were evaluated: outcomes are in `check`
    Checked check;
  };
  std::vector<ir::Value> pending_states_;
  // The pending successors' property outcomes, and the problems of those that faulted.
  std::vector<PropertyOutcome> pending_outcomes_;
  std::vector<std::string> pending_faults_;
  // Check's own evaluation.
  std::vector<PropertyOutcome> outcomes_;
  std::vector<std::string> faults_;
  std::vector<ir::Value> normal_;     // an initial state, normalised (symmetry)
  std::vector<Pending> pending_;
  size_t pending_count_ = 0;  // successors generated since the last Flush, stored ones too
  // DFS: (state, depth) still to expand.
  std::vector<std::pair<uint32_t, int32_t>> stack_;
  uint64_t reduced_expansions_ = 0;
  uint64_t failed_transactions_ = 0;          // in the expansions applied whole
  uint64_t applied_failed_transactions_ = 0;  // in the one being applied, up to its last event applied
  bool depth_bounded_ = false;  // SearchOptions::max_depth stopped the search
  int found_depth_ = 0;

  std::vector<Found> found_;
  std::set<std::string> reported_;
  bool stop_ = false;
  bool limit_hit_ = false;
  std::string limit_reason_;
  uint64_t transitions_ = 0;
  uint64_t blocked_states_ = 0;
  int max_depth_ = 0;
  uint64_t work_ = 0;
  Clock::time_point start_ = Clock::now();
  // The earlier of start_ + max_seconds and the run's deadline.
  Clock::time_point stop_at_ = Clock::time_point::max();
  Clock::time_point last_progress_ = start_;
  uint64_t last_progress_states_ = 0;
  bool progress_shown_ = false;
};

result::Report Explorer::Run() {
  std::string problem = EnumerateInitialStates(program_, [this](const ir::Value* state) {
    if (symmetry_.active()) {
      symmetry_.Normalise(state, normal_.data());
      state = normal_.data();
    }
    Reach(state, HashState(state, program_.slot_count), StateStore::kNoParent, StateStore::kNoMover);
    return !stop_;
  });
  if (!problem.empty()) {
    Found found;
    found.key = "runtime error in the initial state";
    found.violation.kind = result::ViolationKind::kRuntimeError;
    found.violation.message = problem;
    Record(std::move(found));
    // Some initial states are missing: whatever follows would be incomplete.
    stop_ = true;
  }

  if (!options_.dfs) {
    // The store is the BFS queue: states are appended level by level.
    uint64_t level_end = store_.size();
    for (uint64_t begin = 0; !stop_;) {
      if (begin == level_end) {
        // Level depth_ is expanded; its successors are level depth_ + 1.
        Flush();
        if (stop_ || begin == store_.size()) break;
        if (options_.max_depth > 0 && depth_ + 1 >= options_.max_depth) {
          depth_bounded_ = true;
          break;
        }
        ++depth_;
        level_end = store_.size();
      }
      uint64_t end = std::min(level_end, begin + batch_states_);
      ExpandBatch(begin, end, level_end);
      begin = end;
    }
  } else {
    for (uint64_t i = store_.size(); i-- > 0;) stack_.push_back({static_cast<uint32_t>(i), 0});
    while (!stack_.empty() && !stop_) {
      auto [index, depth] = stack_.back();
      stack_.pop_back();
      depth_ = depth;
      uint64_t before = store_.size();
      // Depth-first, the cycle proviso looks at every stored state.
      if (!ExpandDirect(index, UINT64_MAX)) break;
      Flush();
      // Successors go on the stack last first, so the first instance's is expanded next.
      for (uint64_t i = store_.size(); i-- > before;) stack_.push_back({static_cast<uint32_t>(i), depth + 1});
      if ((++work_ & kTickMask) == 0) Tick();
    }
  }

  if (progress_shown_) std::fputs("\r\x1b[K", stderr);  // the report replaces the progress line

  bool complete = !stop_ && !depth_bounded_;
  if (complete) {
    for (int32_t k : check_.covers()) {
      if (cover_reached_[k] != StateStore::kNoParent || property_reported_[k]) continue;
      const ir::Property& property = program_.properties[k];
      Found found;
      found.key = property.name;
      found.violation.kind = result::ViolationKind::kCover;
      found.violation.property = property.name;
      found.violation.message = fmt::format("cover {} is never reached", property.name);
      found.violation.line = property.range.begin.line;
      Record(std::move(found));
    }
  }

  result::Report report;
  report.model = program_.name;
  report.file = program_.file;
  report.engine = "explicit";
  report.search = options_.dfs ? "dfs" : "bfs";
  report.properties = CountProperties(program_);
  for (const ir::SymmetryGroup& group : symmetry_.groups()) report.symmetry.push_back(group.name);
  TraceBuilder traces(program_, naming_, store_, &symmetry_);
  bool violation = false;
  bool deadlock = false;
  for (Found& found : found_) {
    bool cut = false;
    if (found.failed_step) {
      found.violation.trace = traces.Build(found.failed);
      cut = traces.cut();
    } else if (found.state != StateStore::kNoParent) {
      found.violation.trace = traces.Build(found.state);
      cut = traces.cut();
    }
    if (symmetry_.active() && !cut) NameConcreteInstances(found, traces);
    if (cut) {
      found.violation.explanation = CutShortExplanation(found.violation.trace);
    } else if (!found.violation.trace.empty()) {
      found.violation.explanation = Explain(program_, traces.events());
    }
    (found.violation.kind == result::ViolationKind::kDeadlock ? deadlock : violation) = true;
    report.violations.push_back(std::move(found.violation));
  }
  for (int32_t k : check_.covers()) {
    if (cover_reached_[k] == StateStore::kNoParent) continue;
    report.covers_reached.push_back({program_.properties[k].name, traces.Build(cover_reached_[k])});
  }
  if (violation) {
    report.verdict = result::Verdict::kViolation;
  } else if (deadlock) {
    report.verdict = result::Verdict::kDeadlock;
  } else if (limit_hit_) {
    report.verdict = result::Verdict::kInconclusive;
  } else {
    report.verdict = result::Verdict::kSafe;
  }
  if (limit_hit_) report.inconclusive_reason = limit_reason_;
  report.warnings = UnevaluatedWarnings(complete);
  report.stats.states = store_.size();
  report.stats.transitions = transitions_;
  report.stats.blocked_states = blocked_states_;
  // With those of the expansion the search stopped in, up to where it stopped.
  report.stats.failed_transactions = failed_transactions_ + applied_failed_transactions_;
  report.stats.reduced_expansions = reduced_expansions_;
  report.stats.threads = static_cast<int>(expanders_.size());
  report.stats.depth = max_depth_;
  report.stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  report.stats.peak_memory_bytes = PeakMemoryBytes();
  return report;
}

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
                           .stop_at = stop_at_};
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
    }
  };
  workers_->Run(expand);
  for (size_t c = 0; c < chunks; ++c) {
    for (const ExpansionLog::Parent& parent : logs_[c].parents) {
      if (!(parent.deferred ? ExpandDirect(parent.index, level_end) : Apply(logs_[c], parent))) return;
    }
    uint64_t from = begin + c * kChunk;
    if (logs_[c].parents.size() < std::min(end - from, kChunk)) return StopExpansions();
  }
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
  failed_transactions_ += parent.failed_transactions;
  applied_failed_transactions_ = 0;
  if (parent.reduced) return true;
  waiting_.assign(log.waiting.begin() + parent.waiting_begin, log.waiting.begin() + parent.waiting_end);
  if (!waiting_.empty()) ++blocked_states_;
  if (parent.deadlock) {
    Flush();
    if (stop_) return false;
    deadlocked_.resize(static_cast<size_t>(program_.slot_count));
    store_.Load(parent.index, deadlocked_.data());
    Deadlock(parent.index, deadlocked_.data());
  }
  return !stop_;
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

void Explorer::Check(uint32_t index, const ir::Value* state, const Checked* checked) {
  const PropertyOutcome* outcomes = nullptr;
  size_t count = 0;
  bool all_done = false;
  const std::vector<std::string>* faults = &faults_;
  if (checked != nullptr) {
    outcomes = pending_outcomes_.data() + checked->begin;
    count = checked->count;
    all_done = checked->all_done;
    faults = &pending_faults_;
  } else {
    outcomes_.clear();
    faults_.clear();
    all_done = check_.Evaluate(state, settled_, outcomes_, faults_);
    outcomes = outcomes_.data();
    count = outcomes_.size();
  }
  // The outcomes come invariants first, then finals, then covers, as PropertyCheck::Evaluate
  // gives them; finals and covers settled since they were evaluated are skipped here.
  auto fault = [&](const PropertyOutcome& o) { return o.fault < 0 ? nullptr : &(*faults)[o.fault]; };
  bool violated = false;
  size_t i = 0;
  for (; i < count && program_.properties[outcomes[i].property].kind == ir::PropertyKind::kInvariant; ++i) {
    const PropertyOutcome& o = outcomes[i];
    violated = true;
    if (!property_reported_[o.property]) {
      PropertyFailed(o.property, index, state, o.copy, fault(o));
      if (stop_) return;
    }
  }
  // A run ends where an invariant fails.
  if (violated) terminal_.push_back(index);
  if (all_done) finals_evaluated_ = true;
  for (; i < count; ++i) {
    const PropertyOutcome& o = outcomes[i];
    if (settled_[o.property]) continue;
    if (program_.properties[o.property].kind == ir::PropertyKind::kCover && o.fault < 0) {
      cover_reached_[o.property] = index;
      settled_[o.property] = 1;
      continue;
    }
    PropertyFailed(o.property, index, state, o.copy, fault(o));
    if (stop_) return;
  }
}

void Explorer::PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy,
                              const std::string* fault) {
  const ir::Property& property = program_.properties[k];
  Found found;
  found.state = index;
  if (fault != nullptr) {
    const char* kind = property.kind == ir::PropertyKind::kInvariant ? "invariant"
                       : property.kind == ir::PropertyKind::kFinal   ? "final"
                                                                     : "cover";
    found.key = "runtime error in " + property.name;
    found.violation.kind = result::ViolationKind::kRuntimeError;
    found.violation.message = fmt::format("{} in {} {}: {}", *fault, kind, property.name, property.text);
  } else {
    found.key = property.name;
    found.violation.kind = property.kind == ir::PropertyKind::kFinal ? result::ViolationKind::kFinal
                                                                      : result::ViolationKind::kInvariant;
    found.violation.property = property.name;
    found.violation.message = property.text + " is false";
  }
  found.violation.values = PropertyValues(program_, naming_, property, state, copy);
  found.violation.line = property.range.begin.line;
  property_reported_[k] = true;
  settled_[k] = 1;
  if (property.kind == ir::PropertyKind::kInvariant && first_broken_invariant_ < 0) first_broken_invariant_ = k;
  Record(std::move(found));
}

void Explorer::Deadlock(uint32_t index, const ir::Value* state) {
  if (reported_.contains("deadlock")) return;
  Found found;
  found.key = "deadlock";
  found.state = index;
  found.violation.kind = result::ViolationKind::kDeadlock;
  found.violation.property = "deadlock";
  found.violation.message = fmt::format("no process can move and {} {} not finished", waiting_.size(),
                                        waiting_.size() == 1 ? "has" : "have");
  for (auto [instance, slot] : waiting_) {
    found.violation.blocked.push_back(WaitText(program_, naming_, state, instance, slot, &holders_));
  }
  found.waiting = waiting_;
  Record(std::move(found));
}

void Explorer::NameConcreteInstances(Found& found, const TraceBuilder& traces) {
  if (found.failed_step) {
    if (!traces.failure_message().empty()) found.violation.message = traces.failure_message();
    return;
  }
  if (found.waiting.empty()) return;
  for (auto& [instance, slot] : found.waiting) instance = traces.ConcreteInstance(instance);
  std::sort(found.waiting.begin(), found.waiting.end());
  found.violation.blocked.clear();
  for (auto [instance, slot] : found.waiting) {
    found.violation.blocked.push_back(WaitText(program_, naming_, traces.last_state().data(), instance, slot, &holders_));
  }
}

void Explorer::Record(Found found) {
  if (!reported_.insert(found.key).second) return;
  // A BFS that ends here gives as its depth the length of the run it reports. Deadlocks and
  // failed steps are seen while a state of depth_ is expanded, when part of the next level
  // may be stored already (or none of it): the deadlock's run is depth_ steps long, the
  // failed step's depth_ + 1. A violating stored state is the deepest one stored.
  if (!options_.all && !options_.dfs) {
    if (found.failed_step) max_depth_ = depth_ + 1;
    if (found.violation.kind == result::ViolationKind::kDeadlock) max_depth_ = depth_;
  }
  if (found.violation.kind != result::ViolationKind::kCover) found_depth_ = std::max(found_depth_, depth_);
  found_.push_back(std::move(found));
  if (!options_.all) stop_ = true;
}

std::vector<result::EngineWarning> Explorer::UnevaluatedWarnings(bool complete) const {
  std::vector<result::EngineWarning> warnings;
  // Stopped at the first violation (no limit): what was not reached yet may still be.
  bool stopped_at_violation = !complete && !limit_hit_ && !found_.empty();
  if (first_broken_invariant_ < 0 || (!complete && !stopped_at_violation)) return warnings;
  const std::string& broken = program_.properties[first_broken_invariant_].name;
  auto warn = [&](int32_t k, std::string message) {
    const base::SourceRange& range = program_.properties[k].range;
    warnings.push_back({range.begin.line, range.begin.column, std::move(message)});
  };
  if (!finals_evaluated_) {
    for (int32_t k : check_.finals()) {
      const std::string& name = program_.properties[k].name;
      if (complete) {
        warn(k, fmt::format("final {} is never evaluated: no run finishes without breaking an invariant first ({} "
                            "does), and a run ends where an invariant breaks",
                            name, broken));
      } else {
        warn(k, fmt::format("final {} was not evaluated: the search stopped at the first violation, of invariant "
                            "{}, before any run finished; --all goes on past it",
                            name, broken));
      }
    }
  }
  if (complete) {
    for (int32_t k : check_.covers()) {
      if (cover_reached_[k] != StateStore::kNoParent || property_reported_[k]) continue;
      warn(k, fmt::format("cover {} may be reachable past a broken invariant: runs end where one breaks ({} does)",
                          program_.properties[k].name, broken));
    }
  }
  return warnings;
}

void Explorer::Limit(std::string reason) {
  stop_ = true;
  // The first limit met is the reason.
  if (limit_hit_) return;
  limit_hit_ = true;
  limit_reason_ = std::move(reason);
}

std::string Explorer::TimeLimitReason() const {
  // With --engine both the deadline is the whole run's --max-seconds: the reason names it.
  return options_.max_seconds > 0 ? fmt::format("stopped after {:g} seconds (--max-seconds)", options_.max_seconds)
                                  : std::string("stopped at the run's deadline");
}

void Explorer::Tick() {
  if (base::Interrupted()) Limit("interrupted (Ctrl-C)");
  Clock::time_point now = Clock::now();
  if (now >= stop_at_) Limit(TimeLimitReason());
  if (options_.progress && now - last_progress_ >= std::chrono::seconds(1)) {
    double interval = std::chrono::duration<double>(now - last_progress_).count();
    double rate = static_cast<double>(store_.size() - last_progress_states_) / interval;
    // One line, rewritten in place ("\r" and erase to the end of the line); the driver asks
    // for progress only when stderr is a terminal.
    std::fprintf(stderr, "\rracecheck: %llu states, %.0f states/s, depth %d, %s\x1b[K",
                 static_cast<unsigned long long>(store_.size()), rate, max_depth_,
                 FormatBytes(StatusBytes("VmRSS")).c_str());
    std::fflush(stderr);
    progress_shown_ = true;
    last_progress_ = now;
    last_progress_states_ = store_.size();
  }
}

}  // namespace

result::Report Search(const ir::Program& program, const SearchOptions& options) {
  RACECHECK_CHECK(program.slot_count >= 0, "negative slot count");
  RACECHECK_CHECK(program.instances.size() < (size_t{1} << 30), "too many instances");
  RACECHECK_CHECK(program.properties.size() < (size_t{1} << 16), "too many properties");
  result::Report report;
  int found_depth = 0;
  {
    Explorer explorer(program, options);
    report = explorer.Run();
    found_depth = explorer.found_depth();
  }
  if (!options.por || report.stats.reduced_expansions == 0 || base::Interrupted()) return report;
  SearchOptions unreduced = options;
  unreduced.por = false;
  if (options.max_seconds > 0) {
    unreduced.max_seconds = options.max_seconds - report.stats.seconds;
    if (unreduced.max_seconds <= 0) return report;
  }
  bool violated = std::any_of(report.violations.begin(), report.violations.end(),
                              [](const result::Violation& v) { return v.kind != result::ViolationKind::kCover; });
  if (violated && !options.dfs) {
    // The reduced graph's runs may be longer than the shortest: search again without reduction,
    // expanding no state deeper than the level where the violations were found
    // (docs/internals-explore.md, "The shortest counterexample").
    unreduced.max_depth = found_depth + 1;
    result::Report recovered = Explorer(program, unreduced).Run();
    // A limit stopped it: the reduced search's runs are all there is.
    if (!recovered.inconclusive_reason.empty() || recovered.violations.empty()) return report;
    return MergeRecovered(std::move(report), std::move(recovered), options.all);
  }
  if (!violated && report.verdict == result::Verdict::kInconclusive) {
    // A limit stopped the reduced search before it found anything. Reduction may put off an
    // instance's steps far past the depth where the full search meets them (while another
    // instance counts up for ever, say): the full search gets its own chance within the limits.
    result::Report full = Explorer(program, unreduced).Run();
    if (full.violations.empty() && full.verdict == result::Verdict::kInconclusive) return report;
    full.stats.seconds += report.stats.seconds;
    full.stats.reduced_expansions = report.stats.reduced_expansions;
    return full;
  }
  return report;
}

}  // namespace racecheck::explore
