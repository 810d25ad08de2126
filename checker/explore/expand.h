// One expansion of the explicit search, written down instead of acted on: the steps of every
// instance (or of the one an ample set picks) from a stored state, as a log of successors,
// failed branches and waits that the search then applies in order. Several threads expand at
// once, each with its own Expander, while the search applies the logs one after another, so the
// outcome does not depend on the number of threads (docs/internals-explore.md, "The parallel
// search").
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "checker/base/stop.h"
#include "checker/explore/ample.h"
#include "checker/explore/property_check.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/explore/symmetry.h"
#include "checker/ir/program.h"

namespace racecheck::explore {

// Successors that were not stored when looked up, in the order they were generated, ready to be
// stored all at once on every thread (Explorer::StoreBatch).
struct NewStates {
  struct Entry {
    uint64_t hash = 0;
    uint32_t parent = 0;
    int32_t mover = 0;
    bool all_done = false;  // every instance is done there (its finals were evaluated)
  };
  std::vector<Entry> entries;
  std::vector<uint8_t> rows;  // each entry's slots packed as the store's rows, back to back
  // Per share of the hashes (ShareOf): the entries that fall in it, in order. Thread s of a
  // batch deduplicates share s.
  std::vector<std::vector<uint32_t>> shares;

  static size_t ShareOf(uint64_t hash, size_t share_count) {
    // From bits that a share's own set (low bits) and the store's table (tag bits) do not use.
    return static_cast<size_t>((hash >> 24) % share_count);
  }
  void Clear(size_t share_count);
  void Add(const Entry& entry, const uint8_t* row, size_t row_bytes, size_t share_count);
};

// What expanding some stored states gave, parent after parent, in the order the steps produced it.
// Cache-line aligned: threads fill neighbouring logs at once, and a line shared by two logs'
// vectors would move between their cores at every event.
struct alignas(64) ExpansionLog {
  // One outcome of a step.
  struct Event {
    enum class Kind : uint8_t {
      kKnown,      // a successor already stored when the expansion ran (nothing to store)
      kSuccessor,  // a successor to store unless stored meanwhile: states[state * width ...], hash
      kFailure,    // a failed branch: states[state * width ...] as it failed, failures[failure]
    };
    Kind kind = Kind::kKnown;
    // A successor whose properties were evaluated: outcomes[outcomes, outcomes + outcome_count),
    // and whether every instance is done there (its finals were evaluated).
    bool checked = false;
    bool all_done = false;
    // Looked up (Expander::Resolve), a successor that packs into the store's rows as they are
    // (storing it widens no slot).
    bool fits = false;
    // Looked up, a successor equal to an earlier one of the same log (siblings that commute
    // reach one state): it cannot be new when the search meets it, so its properties are not
    // evaluated and new_states does not list it.
    bool repeat = false;
    uint16_t outcome_count = 0;
    int32_t mover = 0;
    uint32_t state = 0;
    uint32_t failure = 0;  // kFailure
    uint32_t outcomes = 0;
    // Transactions that failed in the expansion up to this outcome (the search counts those of
    // the outcomes it applied when it stops part way).
    uint32_t failed_transactions = 0;
    uint64_t hash = 0;
  };
  // One expanded state: its events are events[events_begin, events_end).
  struct Parent {
    uint32_t index = 0;
    uint32_t events_begin = 0, events_end = 0;
    uint32_t waiting_begin = 0, waiting_end = 0;  // (instance, lock slot) of the instances that could not move
    size_t states_begin = 0, failures_begin = 0;  // where its states and failures start
    size_t outcomes_begin = 0, faults_begin = 0;
    uint64_t failed_transactions = 0;             // in this expansion's steps
    bool terminal = false;  // an invariant fails there: its run ends, it is not expanded
    bool reduced = false;   // an ample set stood for all its moves
    bool deadlock = false;  // nobody can move, somebody has not finished, and the model forbids it
    bool cut = false;       // a limit stopped the expansion part way: the events are incomplete
    // Its outcomes would pass the log's budget (a wide choose, say): nothing of it is kept, the
    // search expands it again itself, applying the outcomes as they come.
    bool deferred = false;
  };
  // A log holds at most this many events and state slots: a bound on the memory of a batch.
  static constexpr size_t kMaxEvents = size_t{1} << 14;
  static constexpr size_t kMaxValues = size_t{1} << 18;
  // Applied as they come (ExpansionDrain), events go to the search this many at a time.
  static constexpr size_t kDrainEvents = 32;
  std::vector<Parent> parents;
  std::vector<Event> events;
  std::vector<ir::Value> states;  // successor and failure states, normalised when symmetry is on
  std::vector<StepFailure> failures;
  std::vector<std::pair<int32_t, int32_t>> waiting;
  std::vector<PropertyOutcome> outcomes;  // of checked successors
  std::vector<std::string> faults;        // the problems of outcomes that failed to evaluate
  // Set by Expander::Resolve: whether the log holds nothing but successors that fit the
  // store's rows, with no property outcome (no failed step, no deadlock, no expansion cut short
  // or deferred), which the search may store all at once.
  bool plain = false;
  // Set by Expander::Resolve when the context asks for shares: its successors not stored yet.
  NewStates new_states;

  void Clear();
  // Drops the events of `parent`, the last parent, with their states, failures and outcomes.
  void DropEvents(const Parent& parent);
};

// Takes the outcomes of an expansion as they come: the search applying them at once (depth-first,
// and breadth-first for a deferred state).
class ExpansionDrain {
 public:
  // Applies the events of log.parents.back() so far; the Expander then drops them. False: the
  // search stops, and so does the expansion.
  virtual bool Drain(ExpansionLog& log) = 0;
  // A long step's look at the limits; false: stop.
  virtual bool Poll() = 0;

 protected:
  ~ExpansionDrain() = default;
};

// How an Expander looks at the search's shared, read-only (while it runs) data.
struct ExpansionContext {
  const StateStore* store = nullptr;
  // Stored states that end their runs (a failing invariant), ascending.
  const std::vector<uint32_t>* terminal = nullptr;
  // The cycle proviso refuses an ample set when a successor is stored below this index
  // (breadth-first: the end of the level being expanded; depth-first: every stored state).
  uint64_t proviso_bound = 0;
  bool por = false;
  // Per property: settled (PropertyCheck::Evaluate), when the Expander evaluates the properties
  // of the successors it cannot find; null: it leaves them to the search.
  const std::vector<char>* settled = nullptr;
  // Set by any thread whose expansion a limit stopped (time, Ctrl-C); all of them then stop.
  std::atomic<bool>* stop = nullptr;
  base::Clock::time_point stop_at = base::Clock::time_point::max();
  // Set: events go to it every few events instead of staying in the log, which then has no
  // budget, and the store may change between them (one thread only).
  ExpansionDrain* drain = nullptr;
  // Past 0, Resolve lists the successors it cannot find in ExpansionLog::new_states, in this
  // many shares.
  size_t shares = 0;
};

// Cache-line aligned (and so a whole number of lines long): the threads' Expanders are allocated
// one after the other, and a line holding the end of one and the start of the next moved between
// the cores at every step (two threads took 1.2 to 1.3 times one thread's processor time for it;
// docs/performance.md).
class alignas(64) Expander final : public StepSink {
 public:
  // `symmetry` is copied: each Expander normalises with its own scratch space.
  Expander(const ir::Program& program, const Symmetry& symmetry);

  // Appends the expansion of stored state `index` to `log`. Safe to run on several Expanders
  // (one per thread) together while nothing changes the store or `context`.
  void Expand(uint32_t index, const ExpansionContext& context, ExpansionLog& log);
  // After the Expands of a log (without a drain): looks its successors up, a few together so
  // that their table entries load in parallel; those stored already become kKnown (their slots
  // are not read again), the others have their properties evaluated (ExpansionContext::settled)
  // and, when the context asks, are listed packed in the log's new_states.
  void Resolve(const ExpansionContext& context, ExpansionLog& log);

  bool Successor(const ir::Value* state, int32_t statement) override;
  bool Failure(const ir::Value* state, int32_t statement, StepFailure failure) override;
  bool Poll() override;

 private:
  bool ExpandAmple(const ir::Value* state);
  // Appends `state` to the log's states, normalised when symmetry is on; returns where.
  uint32_t AddState(const ir::Value* state, bool normalise);
  // StateStore::Find's scratch, as long as the store's rows may need.
  uint8_t* scratch_data();
  // Whether successor event e of `log` (not stored, `state` its slots) repeats an earlier
  // successor of the log that Resolve met; if not, Resolve's set notes it.
  bool Repeats(const ExpansionLog& log, size_t e, const ir::Value* state);
  // After an event is logged: drains the log, or defers the expansion when the log is over
  // budget; false when the step must stop.
  bool Logged();

  const ir::Program& program_;
  Stepper stepper_;
  Symmetry symmetry_;
  Ample ample_;
  PropertyCheck check_;
  std::vector<ir::Value> expanding_;  // the state being expanded
  std::vector<ir::Value> proviso_;    // a successor the proviso looks up, normalised
  std::vector<uint8_t> scratch_;      // StateStore::Find's
  // Resolve's set of the log's successors not stored: open addressing by hash, event + 1 (0: free).
  std::vector<uint32_t> resolved_;
  std::vector<std::vector<int32_t>> row_holders_;  // per instance: the instances it waits for a row of
  // The expansion under way.
  const ExpansionContext* context_ = nullptr;
  ExpansionLog* log_ = nullptr;
  int32_t mover_ = 0;
  uint64_t failed_before_ = 0;  // the stepper's count when the expansion began
  bool stopped_ = false;   // the expansion stops (a limit, or deferred_)
  bool deferred_ = false;
};

}  // namespace racecheck::explore
