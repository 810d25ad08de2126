#include "checker/explore/search.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/explore/ample.h"
#include "checker/explore/anomaly.h"
#include "checker/explore/eval.h"
#include "checker/explore/initial.h"
#include "checker/explore/naming.h"
#include "checker/explore/properties.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/explore/symmetry.h"
#include "checker/explore/trace.h"
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

// Runs the search for one program; a StepSink so that successors go straight into the store.
class Explorer final : public StepSink {
 public:
  Explorer(const ir::Program& program, const SearchOptions& options)
      : program_(program),
        options_(options),
        naming_(program),
        store_(program.slot_count),
        stepper_(program),
        symmetry_(program, options.symmetry ? ir::FindSymmetry(program).groups : std::vector<ir::SymmetryGroup>{}),
        eval_(program),
        property_reported_(program.properties.size(), false),
        cover_reached_(program.properties.size(), StateStore::kNoParent),
        pending_states_(kBatch * static_cast<size_t>(program.slot_count)),
        expanding_(program.slot_count),
        normal_(program.slot_count),
        proviso_(program.slot_count),
        ample_(program) {
    pending_.reserve(kBatch);
    stop_at_ = options.deadline.at();
    if (options.max_seconds > 0 && options.max_seconds < kMaxSeconds) {
      stop_at_ = std::min(stop_at_, start_ + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(options.max_seconds)));
    }
    for (size_t k = 0; k < program.properties.size(); ++k) {
      const ir::Property& property = program.properties[k];
      switch (property.kind) {
        case ir::PropertyKind::kInvariant: invariants_.push_back(static_cast<int32_t>(k)); break;
        case ir::PropertyKind::kFinal: finals_.push_back(static_cast<int32_t>(k)); break;
        case ir::PropertyKind::kCover: covers_.push_back(static_cast<int32_t>(k)); break;
      }
      copies_.push_back(PropertyCopies(program, property));
    }
  }

  result::Report Run();
  // The deepest BFS level whose expansion recorded a violation (the recovery's bound).
  int found_depth() const { return found_depth_; }

  bool Successor(const ir::Value* state, int32_t statement) override;
  bool Failure(const ir::Value* state, int32_t statement, StepFailure failure) override;
  // A long step's look at the limits.
  bool Poll() override {
    Tick();
    return !stop_;
  }

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

  // Stores a state reached from `parent` by `mover` and checks it, unless it is known.
  void Reach(const ir::Value* state, uint64_t hash, uint32_t parent, int32_t mover);
  // Looks up the pending successors, in the order they were generated.
  void Flush();
  void Check(uint32_t index, const ir::Value* state);
  // Evaluates property k on every copy; returns the copy where it is false (or faults), or -1.
  int32_t FalseCopy(int32_t k, const ir::Value* state, bool want);
  void PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy);
  void Expand(uint32_t index);
  // Partial-order reduction: expands `state` by one instance's step alone when that is enough.
  bool ExpandAmple(const ir::Value* state);
  void Deadlock(uint32_t index, const ir::Value* state);
  void Record(Found found);
  // Properties that runs ending at a broken invariant kept from being evaluated.
  std::vector<result::EngineWarning> UnevaluatedWarnings(bool complete) const;
  void Limit(std::string reason);
  void Tick();

  const ir::Program& program_;
  SearchOptions options_;
  Naming naming_;
  StateStore store_;
  Stepper stepper_;
  Symmetry symmetry_;
  Evaluator eval_;

  std::vector<int32_t> invariants_, finals_, covers_;
  std::vector<int32_t> copies_;            // per property
  std::vector<bool> property_reported_;    // per property
  int32_t first_broken_invariant_ = -1;
  bool finals_evaluated_ = false;          // some state where every instance is done was checked
  std::vector<uint32_t> cover_reached_;    // per property: first state where a cover holds
  // States where an invariant fails, ascending: runs end there, so they are not expanded.
  std::vector<uint32_t> terminal_;

  // The expansion under way.
  uint32_t current_ = 0;
  int32_t current_mover_ = 0;
  int depth_ = 0;
  std::vector<std::pair<int32_t, int32_t>> waiting_;  // (instance, lock slot) of disabled instances
  std::vector<std::vector<int32_t>> row_holders_;      // per instance: the instances it waits for a row of
  std::vector<int32_t> holders_;                       // a lock's holders, for a deadlock's words
  // Successors waiting for Flush: their slots back to back, and how they were reached.
  struct Pending {
    uint64_t hash;
    uint32_t parent;
    int32_t mover;
  };
  std::vector<ir::Value> pending_states_;
  std::vector<ir::Value> expanding_;  // the state Expand works from
  std::vector<ir::Value> normal_;     // an initial state, normalised (symmetry)
  std::vector<ir::Value> proviso_;    // a successor the proviso looks up, normalised (symmetry)
  std::vector<Pending> pending_;
  // DFS: (state, depth) still to expand.
  std::vector<std::pair<uint32_t, int32_t>> stack_;
  Ample ample_;
  uint64_t reduced_expansions_ = 0;
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
    for (uint64_t i = 0; !stop_; ++i) {
      if (i == level_end) {
        // Level depth_ is expanded; its successors are level depth_ + 1.
        Flush();
        if (stop_ || i == store_.size()) break;
        if (options_.max_depth > 0 && depth_ + 1 >= options_.max_depth) {
          depth_bounded_ = true;
          break;
        }
        ++depth_;
        level_end = store_.size();
      }
      Expand(static_cast<uint32_t>(i));
      if ((++work_ & kTickMask) == 0) Tick();
    }
  } else {
    for (uint64_t i = store_.size(); i-- > 0;) stack_.push_back({static_cast<uint32_t>(i), 0});
    while (!stack_.empty() && !stop_) {
      auto [index, depth] = stack_.back();
      stack_.pop_back();
      depth_ = depth;
      uint64_t before = store_.size();
      Expand(index);
      Flush();
      // Successors go on the stack last first, so the first instance's is expanded next.
      for (uint64_t i = store_.size(); i-- > before;) stack_.push_back({static_cast<uint32_t>(i), depth + 1});
      if ((++work_ & kTickMask) == 0) Tick();
    }
  }

  if (progress_shown_) std::fputs("\r\x1b[K", stderr);  // the report replaces the progress line

  bool complete = !stop_ && !depth_bounded_;
  if (complete) {
    for (int32_t k : covers_) {
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
  for (int32_t k : covers_) {
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
  report.stats.failed_transactions = stepper_.failed_transactions();
  report.stats.reduced_expansions = reduced_expansions_;
  report.stats.depth = max_depth_;
  report.stats.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  report.stats.peak_memory_bytes = PeakMemoryBytes();
  return report;
}

bool Explorer::Successor(const ir::Value* state, int32_t /*statement*/) {
  ++transitions_;
  if (stop_) return false;
  size_t width = static_cast<size_t>(program_.slot_count);
  ir::Value* pending = pending_states_.data() + pending_.size() * width;
  if (symmetry_.active()) {
    symmetry_.Normalise(state, pending);
  } else {
    std::copy(state, state + width, pending);
  }
  uint64_t hash = HashState(pending, program_.slot_count);
  store_.PrefetchEntry(hash);
  pending_.push_back({hash, current_, current_mover_});
  if (pending_.size() == kBatch) Flush();
  return !stop_;
}

void Explorer::Flush() {
  size_t width = static_cast<size_t>(program_.slot_count);
  for (const Pending& pending : pending_) store_.PrefetchRows(pending.hash);
  for (size_t k = 0; k < pending_.size() && !stop_; ++k) {
    Reach(pending_states_.data() + k * width, pending_[k].hash, pending_[k].parent, pending_[k].mover);
  }
  pending_.clear();
}

bool Explorer::Failure(const ir::Value* state, int32_t /*statement*/, StepFailure failure) {
  ++transitions_;
  // Violations are found in the order steps were generated.
  Flush();
  bool is_assert = failure.kind == result::ViolationKind::kAssert;
  const char* what = is_assert ? "assert" : failure.kind == result::ViolationKind::kFailure ? "failure" : "runtime error";
  std::string key = fmt::format("{} at line {}", what, failure.line);
  if (stop_) return false;
  if (reported_.contains(key)) return true;
  Found found;
  found.key = std::move(key);
  found.violation.kind = failure.kind;
  // Runtime errors belong to no property.
  if (is_assert) found.violation.property = found.key;
  found.violation.message = std::move(failure.message);
  found.violation.line = failure.line;
  found.failed_step = true;
  found.failed.parent = current_;
  found.failed.mover = current_mover_;
  found.failed.state.assign(state, state + program_.slot_count);
  Record(std::move(found));
  return !stop_;
}

void Explorer::Reach(const ir::Value* state, uint64_t hash, uint32_t parent, int32_t mover) {
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
  Check(index, state);
  if ((++work_ & kTickMask) == 0) Tick();
}

void Explorer::Check(uint32_t index, const ir::Value* state) {
  // Every invariant, even one already reported: a run ends where any of them fails.
  bool violated = false;
  for (int32_t k : invariants_) {
    int32_t copy = FalseCopy(k, state, true);
    if (copy < 0) continue;
    violated = true;
    if (!property_reported_[k]) {
      PropertyFailed(k, index, state, copy);
      if (stop_) return;
    }
  }
  if (violated) terminal_.push_back(index);
  bool all_done = !finals_.empty() && std::all_of(program_.instances.begin(), program_.instances.end(),
                                                  [&](const ir::Instance& inst) {
                                                    return state[inst.base_slot] == ir::kDonePc;
                                                  });
  if (all_done) {
    finals_evaluated_ = true;
    for (int32_t k : finals_) {
      if (property_reported_[k]) continue;
      int32_t copy = FalseCopy(k, state, true);
      if (copy >= 0) {
        PropertyFailed(k, index, state, copy);
        if (stop_) return;
      }
    }
  }
  for (int32_t k : covers_) {
    if (cover_reached_[k] != StateStore::kNoParent || property_reported_[k]) continue;
    // A cover holds when it is true on some copy.
    int32_t copy = FalseCopy(k, state, false);
    if (eval_.failed()) {
      PropertyFailed(k, index, state, copy);
      if (stop_) return;
    } else if (copy >= 0) {
      cover_reached_[k] = index;
    }
  }
}

int32_t Explorer::FalseCopy(int32_t k, const ir::Value* state, bool want) {
  const ir::Property& property = program_.properties[k];
  eval_.ClearFault();
  for (int32_t copy = 0; copy < copies_[k]; ++copy) {
    EvalContext context{state, nullptr, -1, copy};
    bool value = eval_.Condition(property.expr, context, "a property") != 0;
    if (eval_.failed() || value != want) return copy;
  }
  return -1;
}

void Explorer::PropertyFailed(int32_t k, uint32_t index, const ir::Value* state, int32_t copy) {
  const ir::Property& property = program_.properties[k];
  Found found;
  found.state = index;
  if (eval_.failed()) {
    const char* kind = property.kind == ir::PropertyKind::kInvariant ? "invariant"
                       : property.kind == ir::PropertyKind::kFinal   ? "final"
                                                                     : "cover";
    found.key = "runtime error in " + property.name;
    found.violation.kind = result::ViolationKind::kRuntimeError;
    found.violation.message = fmt::format("{} in {} {}: {}", eval_.fault(), kind, property.name, property.text);
    eval_.ClearFault();
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
  if (property.kind == ir::PropertyKind::kInvariant && first_broken_invariant_ < 0) first_broken_invariant_ = k;
  Record(std::move(found));
}

void Explorer::Expand(uint32_t index) {
  if (!terminal_.empty() && std::binary_search(terminal_.begin(), terminal_.end(), index)) return;
  // A copy: the rows may be widened, and so move, while its successors are stored.
  store_.Load(index, expanding_.data());
  const ir::Value* state = expanding_.data();
  current_ = index;
  if (options_.por && ample_.active() && ExpandAmple(state)) return;
  bool all_done = true;
  bool any_enabled = false;
  waiting_.clear();
  bool row_waits = false;
  row_holders_.resize(program_.instances.size());
  for (std::vector<int32_t>& holders : row_holders_) holders.clear();
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    if (state[program_.instances[i].base_slot] == ir::kDonePc) continue;
    all_done = false;
    current_mover_ = static_cast<int32_t>(i);
    StepResult step = stepper_.Step(state, current_mover_, *this);
    if (step.enabled) {
      any_enabled = true;
    } else {
      waiting_.push_back({current_mover_, step.blocked_lock_slot});
      if (step.blocked_on_row) {
        LockHolders(program_, state, step.blocked_lock_slot, static_cast<int32_t>(i), &row_holders_[i]);
        row_waits = true;
      }
    }
    if (stop_) return;
  }
  // The database's deadlock detector: in a cycle of transactions waiting for each other's
  // rows, any one of them may be the one it aborts (whichever detects the cycle first).
  if (row_waits) {
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      if (row_holders_[i].empty() || !InWaitCycle(row_holders_, static_cast<int32_t>(i))) continue;
      current_mover_ = static_cast<int32_t>(i);
      stepper_.StepDeadlockVictim(state, current_mover_, *this);
      any_enabled = true;
      if (stop_) return;
    }
  }
  // The environment: a Redis lease may run out at any moment, a replica may crash.
  if (!program_.redis.empty() || program_.replica_crash_bound > 0) {
    current_mover_ = stepper_.environment_mover();
    stepper_.StepEnvironment(state, *this);
    if (stop_) return;
  }
  if (!waiting_.empty()) ++blocked_states_;
  if (!all_done && !any_enabled && !program_.allow_deadlock) {
    Flush();
    if (!stop_) Deadlock(index, state);
  }
}

bool Explorer::ExpandAmple(const ir::Value* state) {
  // The proviso asks whether a successor is stored already: it must look the state up exactly as
  // Successor would store it (after any normalisation of the state before lookup).
  int32_t chosen = ample_.Choose(state, stepper_, *this, [this](const ir::Value* successor) {
    if (!symmetry_.active()) return store_.Find(successor).found();
    symmetry_.Normalise(successor, proviso_.data());
    return store_.Find(proviso_.data()).found();
  });
  if (chosen < 0) return stop_;
  ++reduced_expansions_;
  current_mover_ = chosen;
  size_t width = static_cast<size_t>(program_.slot_count);
  for (size_t k = 0; k < ample_.statements().size(); ++k) {
    if (!Successor(ample_.successors().data() + k * width, ample_.statements()[k])) break;
  }
  return true;
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
    for (int32_t k : finals_) {
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
    for (int32_t k : covers_) {
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

void Explorer::Tick() {
  if (base::Interrupted()) Limit("interrupted (Ctrl-C)");
  Clock::time_point now = Clock::now();
  if (now >= stop_at_) {
    // With --engine both the deadline is the whole run's --max-seconds: the reason names it.
    Limit(options_.max_seconds > 0 ? fmt::format("stopped after {:g} seconds (--max-seconds)", options_.max_seconds)
                                   : std::string("stopped at the run's deadline"));
  }
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
