// The explicit search's engine room: the Explorer runs one search, expanding states (on every
// thread, breadth-first) and applying the expansions in order. explorer_apply.cpp expands and
// applies (storing successors); search.cpp runs the search, acts on properties and builds the
// report. Internal to the explicit engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/base/stop.h"
#include "checker/explore/expand.h"
#include "checker/explore/naming.h"
#include "checker/explore/property_check.h"
#include "checker/explore/search.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/explore/symmetry.h"
#include "checker/explore/trace.h"
#include "checker/explore/workers.h"
#include "checker/result/report.h"

namespace racecheck::explore {

using Clock = base::Clock;

// "12 MiB", "1.5 GiB": a size as reports and limits say it.
std::string FormatBytes(uint64_t bytes);

// Runs the search for one program. Expanders (one per thread) write each expansion down; the
// search applies what they wrote in the order one thread would have produced it.
class Explorer final : public ExpansionDrain {
 public:
  // Work units (expansions and new states) between looks at the clock; long steps look at it
  // by their own work too (StepSink::Poll).
  static constexpr uint64_t kTickMask = 1023;
  // Past this, --max-seconds means no limit (and the time point cannot overflow).
  static constexpr double kMaxSeconds = 1e9;
  // Successors looked up together, so that their table entries load in parallel.
  static constexpr size_t kBatch = 32;
  // Breadth-first, the states of a level are expanded in batches of this many (all threads
  // expanding, then the successors stored in order), in chunks of kChunk states a thread takes
  // at a time.
  static constexpr uint64_t kBatchStates = 4096;
  static constexpr uint64_t kChunk = 64;

  Explorer(const ir::Program& program, const SearchOptions& options)
      : program_(program),
        options_(options),
        naming_(program),
        store_(program.slot_count),
        symmetry_analysis_(options.symmetry ? ir::FindSymmetry(program) : ir::SymmetryAnalysis{}),
        symmetry_(program, symmetry_analysis_.groups),
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
    // A property's violation: the property and replica copy whose values it shows, to be read
    // again from the run's last state (a token's value names an instance).
    int32_t property = -1;
    int32_t copy = 0;
  };
  // Under symmetry the stored states are normal forms: the words of a violation that name
  // instances are rewritten for the concrete run the trace builder rebuilt.
  void NameConcreteInstances(Found& found, const TraceBuilder& traces);

  // Breadth-first: expands the stored states [begin, end) of the level that ends at level_end,
  // on every thread, then applies their logs in order.
  void ExpandBatch(uint64_t begin, uint64_t end, uint64_t level_end);
  // Applies the logs of the batch [begin, end) (in `chunks` logs) all at once, storing the new
  // states on every thread, when that comes to the same as applying them one by one: nothing in
  // them is a violation, a cover reached, a failed step, a deadlock or a limit. False (and
  // nothing done) otherwise.
  bool StoreBatch(uint64_t begin, uint64_t end, size_t chunks);
  // Applies one expansion as the search would have met it: successors stored and checked in
  // the order generated, failures and deadlocks recorded; false when the search stops.
  bool Apply(const ExpansionLog& log, const ExpansionLog::Parent& parent);
  // Apply in three parts, for expansions applied as they run: before the events, some of the
  // events, and what comes after the last.
  bool Begin(const ExpansionLog::Parent& parent);
  bool ApplyEvents(const ExpansionLog& log, uint32_t begin, uint32_t end);
  bool Finish(const ExpansionLog& log, const ExpansionLog::Parent& parent);
  // The counts of an expansion applied to its end (not at a broken invariant): its failed
  // transactions, and whether some instance could not move.
  void CountFinished(const ExpansionLog::Parent& parent);
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
  ir::SymmetryAnalysis symmetry_analysis_;  // empty with --no-symmetry
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
  std::vector<std::pair<int32_t, int32_t>> waiting_;  // (instance, lock slot) of a deadlock's waiting instances
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
  // StoreBatch's successors that may be new, in the order one thread would meet them: those
  // left from before (pending_new_), then each log's; where each of these units starts in that
  // order, which are new (the first of their state), and the index of each new one.
  NewStates pending_new_;
  std::vector<const NewStates*> units_;
  std::vector<size_t> unit_first_;
  std::vector<uint8_t> first_;
  std::vector<uint32_t> number_;
  std::vector<uint8_t> row_scratch_;  // a pending successor, packed
  // Per thread s: an open-addressing set of share s's successors met so far.
  struct Seen {
    uint64_t hash = 0;
    const uint8_t* slots = nullptr;
    bool taken = false;
  };
  std::vector<std::vector<Seen>> seen_;
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

}  // namespace racecheck::explore
