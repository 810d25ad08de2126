#include "checker/explore/search.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/stop.h"
#include "checker/explore/anomaly.h"
#include "checker/explore/explorer.h"
#include "checker/explore/initial.h"
#include "checker/explore/properties.h"
#include "fmt/format.h"

namespace racecheck::explore {
namespace {

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

}  // namespace

std::string FormatBytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30)) return fmt::format("{:.1f} GiB", bytes / double(uint64_t{1} << 30));
  if (bytes >= (uint64_t{1} << 20)) return fmt::format("{:.0f} MiB", bytes / double(uint64_t{1} << 20));
  return fmt::format("{} KiB", (bytes + 1023) / 1024);
}

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
  report.properties = ir::CountProperties(program_);
  report.deadlock_checked = !program_.allow_deadlock;
  for (const ir::SymmetryGroup& group : symmetry_.groups()) report.symmetry.push_back(group.name);
  for (size_t p = 0; p < symmetry_analysis_.reasons.size(); ++p) {
    if (program_.processes[p].instance_count < 2 || symmetry_analysis_.reasons[p].empty()) continue;
    report.symmetry_refused.push_back(
        {symmetry_analysis_.names[p], symmetry_analysis_.reasons[p], symmetry_analysis_.reason_lines[p]});
  }
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
    } else if (!found.violation.trace.empty() && found.violation.kind != result::ViolationKind::kFailure) {
      // An unhandled failure is the database refusing the run (a 40001 under repeatable read
      // instead of a read skew): the failure says what happened, not an anomaly it prevented.
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
  report.stopped_at_first = !options_.all && !found_.empty() && !complete;
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
    const char* kind = ir::PropertyKindName(property.kind);
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
  found.property = k;
  found.copy = copy;
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
  if (found.property >= 0 && found.state != StateStore::kNoParent) {
    const ir::Property& property = program_.properties[found.property];
    found.violation.values = PropertyValues(program_, naming_, property, traces.last_state().data(), found.copy);
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
  auto warn = [&](int32_t k, std::string message) {
    const base::SourceRange& range = program_.properties[k].range;
    warnings.push_back({range.begin.line, range.begin.column, std::move(message)});
  };
  // Every state was seen, none with every instance done, and no invariant cut a run short: the
  // runs end waiting forever (a deadlock `allow deadlock` accepts) or never end.
  if (complete && first_broken_invariant_ < 0 && !finals_evaluated_) {
    for (int32_t k : check_.finals()) {
      warn(k, result::FinalNeverEvaluated(program_.properties[k].name, program_.allow_deadlock));
    }
  }
  if (first_broken_invariant_ < 0 || (!complete && !stopped_at_violation)) return warnings;
  const std::string& broken = program_.properties[first_broken_invariant_].name;
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
