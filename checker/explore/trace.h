// Runs as results: rebuilt from the store's parent links by re-running each step, so the
// search keeps no more than a parent index and the moving instance per state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/explore/naming.h"
#include "checker/explore/state_store.h"
#include "checker/explore/step.h"
#include "checker/ir/program.h"
#include "checker/result/report.h"

namespace racecheck::explore {

// A last step that is not in the store: it failed (an assert or a runtime error) part way.
class Symmetry;

struct FailedStep {
  uint32_t parent = 0;
  int32_t mover = 0;
  std::vector<ir::Value> state;
};

// A violation's explanation when its run was cut short (TraceBuilder::cut()).
std::string CutShortExplanation(const std::vector<result::Step>& trace);

class TraceBuilder {
 public:
  // With an active `symmetry` the store holds normalised states: runs are rebuilt as concrete
  // runs (instances named as the model numbers them) whose states normalise to the stored ones.
  TraceBuilder(const ir::Program& program, const Naming& naming, const StateStore& store,
               Symmetry* symmetry = nullptr);

  // The run from an initial state to stored state `index`; step 0 lists parameter choices.
  std::vector<result::Step> Build(uint32_t index);
  // The run to `failed.parent`, then the failed step.
  std::vector<result::Step> Build(const FailedStep& failed);
  // What the database and Redis did along the run last built, step by step in order.
  const std::vector<DbEvent>& events() const { return events_; }
  // Whether Ctrl-C cut the run last built short: a step that takes long to re-run (a wide
  // choose, a long local loop) stops when base::Interrupted(), and the run ends before it.
  bool cut() const { return cut_; }
  // The last state of the run last built, as the run has it (under symmetry a permutation of
  // the stored one), and which of its instances is instance `stored` of the stored state.
  const std::vector<ir::Value>& last_state() const { return last_; }
  int32_t ConcreteInstance(int32_t stored) const;
  // Under symmetry, the message of the failed step last built, naming its concrete instance.
  const std::string& failure_message() const { return failure_message_; }
  // Who waits is probed with `program` (the same layout, every choice open): a replay's copy
  // narrows each choice to its trace's values (Stepper::set_probe_program).
  void ProbeWaitsWith(const ir::Program& program) {
    probe_program_ = &program;
    stepper_.set_probe_program(&program);
  }

 private:
  std::vector<result::Step> Path(uint32_t index);
  std::vector<ir::Value> ConcreteInitial(const std::vector<ir::Value>& stored);
  // `written` lists the mover's locals the step assigned (a first assignment shows even when
  // it keeps the value).
  result::Step MakeStep(int number, const ir::Value* before, const ir::Value* after, int32_t mover,
                        int32_t statement, const std::vector<int32_t>& written);
  // Re-runs `mover`'s step from `parent` and finds the branch that ends in `target` (a successor,
  // or with `failed` a failure): its statement, and the locals it wrote. Sets cut_ instead
  // when Ctrl-C stopped it.
  // With `orbit` (under symmetry), a branch matches when its normal form is `target`, and
  // kNoMatch is returned when none does.
  int32_t Replay(const ir::Value* parent, int32_t mover, const ir::Value* target, bool failed,
                 std::vector<int32_t>* written, bool orbit = false);
  int32_t ReplayAnyInstance(const ir::Value* parent, int32_t* mover, const ir::Value* target,
                            std::vector<int32_t>* written);
  static constexpr int32_t kNoMatch = -2;
  std::optional<result::Change> MutexWait(const ir::Value* state, int32_t instance) const;
  int32_t StatementAt(int32_t instance, const ir::Value* state) const;
  bool ExternalChange(int32_t slot, const ir::Value* before, const ir::Value* after, bool assigned,
                      result::Change* change) const;
  result::Step EnvironmentStep(int number, const ir::Value* before, const ir::Value* after, int32_t statement) const;
  // For a time step: the requests whose waits let time pass their takes blocks' bounds.
  std::string WaitersNote(const ir::Value* before) const;
  result::Step ReplicaCrashStep(int number, const ir::Value* before, const ir::Value* after, int32_t replica) const;

  const ir::Program& program_;
  const Naming& naming_;
  const StateStore& store_;
  Symmetry* symmetry_;
  Stepper stepper_;
  const ir::Program* probe_program_ = nullptr;  // ProbeWaitsWith's
  // Under symmetry: instance i of the concrete state is instance perm_[i] of the stored one.
  std::vector<int32_t> perm_;
  std::vector<ir::Value> last_;
  std::vector<ir::Value> concrete_;  // the branch Replay matched, under symmetry
  std::string failure_message_;
  // Locals written so far in the run being built; a first write shows no old value.
  std::vector<bool> defined_;
  std::vector<DbEvent> events_;
  // (ghost slot, statement) of each ghost write in the step last replayed.
  std::vector<std::pair<int32_t, int32_t>> ghost_writers_;
  std::vector<Stepper::ReadValue> read_values_;  // the current step's (Stepper::read_values)
  bool step_crashed_ = false;  // whether the last replayed step was its instance's crash
  ir::Value step_failure_ = 0;  // the last replayed step's transaction failure (ir::DbFailure), 0 for none
  std::vector<ir::Value> finished_locals_;  // the last replayed step's, when it finished its instance
  bool cut_ = false;
};

}  // namespace racecheck::explore
