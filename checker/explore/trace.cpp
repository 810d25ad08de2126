#include "checker/explore/trace.h"

#include <algorithm>
#include <cstring>

#include "checker/base/diagnostics.h"
#include "checker/explore/initial.h"

namespace racecheck::explore {
namespace {

// Finds which branch of a re-run step produced a known successor.
class MatchSink final : public StepSink {
 public:
  MatchSink(const ir::Value* target, size_t width) : target_(target), bytes_(width * sizeof(ir::Value)) {}

  void Successor(const ir::Value* state, int32_t statement) override {
    if (!found_ && std::memcmp(state, target_, bytes_) == 0) {
      found_ = true;
      statement_ = statement;
    }
  }
  void Failure(const ir::Value*, int32_t, StepFailure) override {}

  bool found() const { return found_; }
  int32_t statement() const { return statement_; }

 private:
  const ir::Value* target_;
  size_t bytes_;
  bool found_ = false;
  int32_t statement_ = -1;
};

}  // namespace

TraceBuilder::TraceBuilder(const ir::Program& program, const Naming& naming, const StateStore& store)
    : program_(program), naming_(naming), store_(store), stepper_(program) {}

std::vector<result::Step> TraceBuilder::Build(uint32_t index) { return Path(index); }

std::vector<result::Step> TraceBuilder::Build(const FailedStep& failed) {
  std::vector<result::Step> steps = Path(failed.parent);
  int number = steps.empty() ? 1 : steps.back().number + 1;
  steps.push_back(MakeStep(number, store_.state(failed.parent), failed.state.data(), failed.mover, failed.statement));
  return steps;
}

std::vector<result::Step> TraceBuilder::Path(uint32_t index) {
  std::vector<uint32_t> chain;
  for (uint32_t i = index; i != StateStore::kNoParent; i = store_.parent(i)) chain.push_back(i);
  std::reverse(chain.begin(), chain.end());

  std::vector<result::Step> steps;
  defined_.assign(program_.slot_count, false);
  const ir::Value* initial = store_.state(chain.front());
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
  for (size_t k = 1; k < chain.size(); ++k) {
    int32_t statement = ReplayStatement(chain[k - 1], chain[k]);
    steps.push_back(MakeStep(static_cast<int>(k), store_.state(chain[k - 1]), store_.state(chain[k]),
                             store_.mover(chain[k]), statement));
  }
  return steps;
}

int32_t TraceBuilder::ReplayStatement(uint32_t parent, uint32_t child) {
  MatchSink sink(store_.state(child), static_cast<size_t>(program_.slot_count));
  stepper_.Step(store_.state(parent), store_.mover(child), sink);
  RACECHECK_CHECK(sink.found(), "a stored step could not be replayed");
  return sink.statement();
}

result::Step TraceBuilder::MakeStep(int number, const ir::Value* before, const ir::Value* after, int32_t mover,
                                    int32_t statement) {
  result::Step step;
  step.number = number;
  step.process = program_.instances[mover].display_name;
  if (statement >= 0) {
    step.line = program_.statements[statement].range.begin.line;
    step.statement = program_.statements[statement].text;
  }
  for (int32_t slot = 0; slot < program_.slot_count; ++slot) {
    if (before[slot] == after[slot] || naming_.IsPc(slot) || naming_.IsHidden(slot)) continue;
    bool own_local = naming_.IsLocal(slot) && naming_.Owner(slot) == mover;
    result::Change change;
    change.name = own_local ? naming_.ShortName(slot) : naming_.SlotName(slot);
    if (!naming_.IsLocal(slot) || defined_[slot]) change.old_value = naming_.Value(slot, before[slot]);
    change.new_value = naming_.Value(slot, after[slot]);
    if (naming_.IsLocal(slot)) defined_[slot] = true;
    step.changes.push_back(std::move(change));
  }
  return step;
}

}  // namespace racecheck::explore
