// Runs as results: rebuilt from the store's parent links by re-running each step, so the
// search keeps no more than a parent index and the moving instance per state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/naming.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

// A last step that is not in the store: it failed (an assert or a runtime error) part way.
struct FailedStep {
  uint32_t parent = 0;
  int32_t mover = 0;
  std::vector<ir::Value> state;
};

// A violation's explanation when its run was cut short (TraceBuilder::cut()).
std::string CutShortExplanation(const std::vector<result::Step>& trace);

class TraceBuilder {
 public:
  TraceBuilder(const ir::Program& program, const Naming& naming, const StateStore& store);

  // The run from an initial state to stored state `index`; step 0 lists parameter choices.
  std::vector<result::Step> Build(uint32_t index);
  // The run to `failed.parent`, then the failed step.
  std::vector<result::Step> Build(const FailedStep& failed);
  // What the database and Redis did along the run last built, step by step in order.
  const std::vector<DbEvent>& events() const { return events_; }
  // Whether Ctrl-C cut the run last built short: a step that takes long to re-run (a wide
  // choose, a long local loop) stops when base::Interrupted(), and the run ends before it.
  bool cut() const { return cut_; }

 private:
  std::vector<result::Step> Path(uint32_t index);
  // `written` lists the mover's locals the step assigned (a first assignment shows even when
  // it keeps the value).
  result::Step MakeStep(int number, const ir::Value* before, const ir::Value* after, int32_t mover,
                        int32_t statement, const std::vector<int32_t>& written);
  // Re-runs `mover`'s step from `parent` and finds the branch that ends in `target` (a successor,
  // or with `failed` a failure): its statement, and the locals it wrote. Sets cut_ instead
  // when Ctrl-C stopped it.
  int32_t Replay(const ir::Value* parent, int32_t mover, const ir::Value* target, bool failed,
                 std::vector<int32_t>* written);
  bool ExternalChange(int32_t slot, const ir::Value* before, const ir::Value* after, bool assigned,
                      result::Change* change) const;
  result::Step EnvironmentStep(int number, const ir::Value* before, const ir::Value* after, int32_t statement) const;
  result::Step ReplicaCrashStep(int number, const ir::Value* before, const ir::Value* after, int32_t replica) const;

  const ir::Program& program_;
  const Naming& naming_;
  const StateStore& store_;
  Stepper stepper_;
  // Locals written so far in the run being built; a first write shows no old value.
  std::vector<bool> defined_;
  std::vector<DbEvent> events_;
  // (ghost slot, statement) of each ghost write in the step last replayed.
  std::vector<std::pair<int32_t, int32_t>> ghost_writers_;
  std::vector<ir::Value> finished_locals_;  // the last replayed step's, when it finished its instance
  bool cut_ = false;
};

}  // namespace racecheck::explore
