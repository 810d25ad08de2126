#include "checker/explore/ample.h"

#include <algorithm>
#include <string>
#include <utility>

namespace racecheck::explore {

// One step's successors into a buffer; a failing branch is noted, not reported.
class Ample::Buffer final : public StepSink {
 public:
  Buffer(StepSink& outer, size_t width, std::vector<ir::Value>& states, std::vector<int32_t>& statements)
      : outer_(outer), width_(width), states_(states), statements_(statements) {}

  bool Successor(const ir::Value* state, int32_t statement) override {
    states_.insert(states_.end(), state, state + width_);
    statements_.push_back(statement);
    return true;
  }
  bool Failure(const ir::Value*, int32_t, StepFailure) override {
    failed_ = true;
    return true;
  }
  bool Poll() override { return outer_.Poll(); }

  bool failed() const { return failed_; }

 private:
  StepSink& outer_;
  size_t width_;
  std::vector<ir::Value>& states_;
  std::vector<int32_t>& statements_;
  bool failed_ = false;
};

Ample::Ample(const ir::Program& program)
    : program_(program),
      footprints_(program),
      active_(!program.timed && program.replica_crash_bound == 0 && program.instances.size() > 1 &&
              footprints_.AnyMayBeChosen()) {}

bool Ample::EnvironmentMayMove(const ir::Value* state) const {
  bool lease = false;
  ir::ForEachLeasableKey(program_, [&](int32_t, int32_t, int32_t, int32_t slot) { lease = lease || state[slot + 2] != 0; });
  return lease;
}

bool Ample::Independent(const ir::Value* state, int32_t instance) const {
  const ir::Instance& inst = program_.instances[instance];
  int32_t pc = state[inst.base_slot];
  if (pc == ir::kDonePc || !footprints_.MayBeChosen(instance, pc)) return false;
  int32_t words = footprints_.words();
  const uint64_t* reads = footprints_.StepReads(instance, pc);
  const uint64_t* writes = footprints_.StepWrites(instance, pc);
  // MayBeChosen has checked visibility (the step changes nothing an invariant or a cover reads)
  // and the environment (no lease may expire on a key the step touches): those do not depend on
  // the state. What the others may still do does.
  for (size_t q = 0; q < program_.instances.size(); ++q) {
    if (static_cast<int32_t>(q) == instance) continue;
    const ir::Instance& other = program_.instances[q];
    int32_t other_pc = state[other.base_slot];
    if (other_pc == ir::kDonePc) continue;
    if (!ir::Footprints::Disjoint(writes, footprints_.FutureAccesses(static_cast<int32_t>(q), other_pc), words) ||
        !ir::Footprints::Disjoint(reads, footprints_.FutureWrites(static_cast<int32_t>(q), other_pc), words)) {
      return false;
    }
  }
  return true;
}

int32_t Ample::Choose(const ir::Value* state, Stepper& stepper, StepSink& outer,
                      const std::function<bool(const ir::Value*)>& known) {
  successors_.clear();
  statements_.clear();
  // Expiries (and the deadlock victims, which need a waiting instance, whose future touches the
  // database) are moves the independence test covers only while they are not possible yet.
  if (EnvironmentMayMove(state)) return -1;
  // With one instance left, its step is all there is: nothing to gain.
  int32_t unfinished = 0;
  for (const ir::Instance& inst : program_.instances) unfinished += state[inst.base_slot] != ir::kDonePc ? 1 : 0;
  if (unfinished < 2) return -1;
  size_t width = static_cast<size_t>(program_.slot_count);
  for (size_t i = 0; i < program_.instances.size(); ++i) {
    int32_t instance = static_cast<int32_t>(i);
    if (!Independent(state, instance)) continue;
    successors_.clear();
    statements_.clear();
    Buffer buffer(outer, width, successors_, statements_);
    StepResult result = stepper.Step(state, instance, buffer);
    if (stepper.stopped()) return -1;
    if (!result.enabled || buffer.failed() || statements_.empty()) continue;
    bool all_new = true;
    for (size_t k = 0; k < statements_.size() && all_new; ++k) all_new = !known(successors_.data() + k * width);
    if (all_new) return instance;
  }
  successors_.clear();
  statements_.clear();
  return -1;
}

result::Report MergeRecovered(result::Report reduced, result::Report recovered, bool all) {
  result::Report merged = std::move(recovered);
  merged.stats.seconds += reduced.stats.seconds;
  merged.stats.peak_memory_bytes = std::max(merged.stats.peak_memory_bytes, reduced.stats.peak_memory_bytes);
  merged.stats.reduced_expansions = reduced.stats.reduced_expansions;
  if (!all) return merged;
  // The bounded search judges no cover, and nothing that needs every state: the reduced one
  // went through every state.
  merged.warnings = std::move(reduced.warnings);
  for (result::Violation& violation : reduced.violations) {
    if (violation.kind != result::ViolationKind::kCover) continue;
    merged.violations.push_back(std::move(violation));
    merged.verdict = result::Verdict::kViolation;
  }
  for (result::CoverWitness& witness : reduced.covers_reached) {
    bool have = std::any_of(merged.covers_reached.begin(), merged.covers_reached.end(),
                            [&](const result::CoverWitness& w) { return w.property == witness.property; });
    if (!have) merged.covers_reached.push_back(std::move(witness));
  }
  return merged;
}

}  // namespace racecheck::explore
