// Compiles a model from source text for the explore tests, and steps its instances one at a
// time, so that tests can walk a chosen interleaving and look at the state between steps.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "checker/base/diagnostics.h"
#include "checker/base/source.h"
#include "checker/explore/initial.h"
#include "checker/explore/search.h"
#include "checker/explore/step.h"
#include "checker/frontend/analyze.h"
#include "checker/ir/lower.h"
#include "checker/ir/program.h"
#include "checker/result/schedule.h"

namespace racecheck::explore::testing {

// The program of `text`; a test fails (and the program is empty) when the text has errors.
inline ir::Program Compile(const std::string& text) {
  base::SourceFile file("test.cr", text);
  base::DiagnosticEngine diags(file);
  std::unique_ptr<ast::Model> model = frontend::ParseAndCheck(file, {}, diags);
  std::optional<ir::Program> program;
  if (model) program = ir::Lower(*model, file, diags);
  EXPECT_TRUE(program.has_value()) << diags.Render();
  return program ? std::move(*program) : ir::Program{};
}

// The index of the process's local `name`; a test fails (and the index is -1) when it has none.
inline int32_t LocalIndex(const ir::Process& process, const std::string& name) {
  auto it = std::find(process.local_names.begin(), process.local_names.end(), name);
  EXPECT_NE(it, process.local_names.end()) << name;
  return it == process.local_names.end() ? -1 : static_cast<int32_t>(it - process.local_names.begin());
}

// Collects the outcomes of one step.
class Collect final : public StepSink {
 public:
  explicit Collect(size_t width) : width_(width) {}
  bool Successor(const ir::Value* state, int32_t) override {
    successors.emplace_back(state, state + width_);
    return true;
  }
  bool Failure(const ir::Value*, int32_t, StepFailure failure) override {
    failures.push_back(std::move(failure));
    return true;
  }
  bool Poll() override { return true; }

  std::vector<std::vector<ir::Value>> successors;
  std::vector<StepFailure> failures;

 private:
  size_t width_;
};

// A state of a compiled program and the moves tests make on it.
class Walk {
 public:
  explicit Walk(const ir::Program& program) : program_(program), stepper_(program) {
    EnumerateInitialStates(program, [&](const ir::Value* s) {
      if (state_.empty()) state_.assign(s, s + program.slot_count);
      return false;
    });
  }

  // The instance named `name` ("Withdraw[1]").
  int32_t Instance(const std::string& name) const {
    for (size_t i = 0; i < program_.instances.size(); ++i) {
      if (program_.instances[i].display_name == name) return static_cast<int32_t>(i);
    }
    ADD_FAILURE() << "no instance " << name;
    return 0;
  }

  // Steps `name`, which must have exactly one successor; returns the StepResult.
  StepResult Move(const std::string& name) {
    Collect collect(state_.size());
    StepResult result = stepper_.Step(state_.data(), Instance(name), collect);
    last_failures_ = collect.failures;
    EXPECT_EQ(collect.successors.size() + collect.failures.size(), result.enabled ? 1u : 0u) << name;
    if (collect.successors.size() == 1) state_ = collect.successors[0];
    return result;
  }

  // Whether `name` can move now (stepping nothing).
  StepResult Probe(const std::string& name) {
    Collect collect(state_.size());
    return stepper_.Step(state_.data(), Instance(name), collect);
  }

  void DeadlockVictim(const std::string& name) {
    Collect collect(state_.size());
    stepper_.StepDeadlockVictim(state_.data(), Instance(name), collect);
    last_failures_ = collect.failures;
    if (collect.successors.size() == 1) state_ = collect.successors[0];
  }

  // The environment's moves from here (Redis leases expiring).
  std::vector<std::vector<ir::Value>> Environment() {
    Collect collect(state_.size());
    stepper_.StepEnvironment(state_.data(), collect);
    return collect.successors;
  }

  // A local of an instance, by its name.
  ir::Value Local(const std::string& instance, const std::string& local) const {
    const ir::Instance& inst = program_.instances[Instance(instance)];
    const ir::Process& process = program_.processes[inst.process];
    for (size_t l = 0; l < process.local_names.size(); ++l) {
      if (process.local_names[l] == local) return state_[inst.base_slot + 1 + l];
    }
    ADD_FAILURE() << "no local " << local;
    return 0;
  }

  bool Done(const std::string& instance) const {
    return state_[program_.instances[Instance(instance)].base_slot] == ir::kDonePc;
  }

  // The committed value of `column` in the row of `table` with key `key`; nullopt when absent.
  std::optional<ir::Value> Cell(const std::string& table_name, ir::Value key, const std::string& column) const {
    for (const ir::Table& table : program_.tables) {
      if (table.name != table_name) continue;
      for (int32_t r = 0; r < table.capacity; ++r) {
        if (state_[table.ExistsSlot(r)] == 0 || state_[table.ValueSlot(r, table.key_column)] != key) continue;
        for (int32_t c = 0; c < table.column_count(); ++c) {
          if (table.columns[c] == column) return state_[table.ValueSlot(r, c)];
        }
      }
    }
    return std::nullopt;
  }

  // The holder of the row lock of `table`'s row with key `key`: an instance name, or "free".
  std::string RowLock(const std::string& table_name, ir::Value key) const {
    for (const ir::Table& table : program_.tables) {
      if (table.name != table_name) continue;
      for (int32_t r = 0; r < table.capacity; ++r) {
        bool committed = state_[table.ExistsSlot(r)] != 0 && state_[table.ValueSlot(r, table.key_column)] == key;
        if (!committed) continue;
        ir::Value owner = state_[table.OwnerSlot(r)];
        return owner == 0 ? "free" : program_.instances[owner - 1].display_name;
      }
    }
    return "no such row";
  }

  // A Redis key's value, nullopt when absent.
  std::optional<ir::Value> Key(const std::string& redis, int32_t element, const std::string& key) const {
    for (const ir::RedisDecl& decl : program_.redis) {
      if (decl.name != redis) continue;
      for (size_t k = 0; k < decl.keys.size(); ++k) {
        if (decl.keys[k].name != key) continue;
        int32_t slot = decl.KeySlot(element, static_cast<int32_t>(k));
        if (state_[slot + 1] == 0) return std::nullopt;
        return state_[slot];
      }
    }
    ADD_FAILURE() << "no key " << redis << "." << key;
    return std::nullopt;
  }

  const std::vector<StepFailure>& failures() const { return last_failures_; }
  std::vector<ir::Value>& state() { return state_; }

 private:
  const ir::Program& program_;
  Stepper stepper_;
  std::vector<ir::Value> state_;
  std::vector<StepFailure> last_failures_;
};

inline result::Report Check(const ir::Program& program) { return Search(program, SearchOptions{}); }

// The trace as a schedule: the instance that moved at each step, or the ms that passed (a run
// without choices: crashes, range parameters and chosen values are not in it).
inline result::Schedule ScheduleOf(const ir::Program& program, const std::vector<result::Step>& trace) {
  result::Schedule schedule;
  for (const result::Step& step : trace) {
    result::ScheduleStep s;
    if (step.process == "time") {
      s.instance = result::kEnvironment;
      EXPECT_EQ(std::sscanf(step.statement.c_str(), "time passes %d ms", &s.time), 1) << step.statement;
    } else {
      auto it = std::find_if(program.instances.begin(), program.instances.end(),
                             [&](const ir::Instance& inst) { return inst.display_name == step.process; });
      EXPECT_NE(it, program.instances.end()) << step.process;
      s.instance = static_cast<int32_t>(it - program.instances.begin());
    }
    schedule.steps.push_back(s);
  }
  return schedule;
}

}  // namespace racecheck::explore::testing
