// A run named by its choices instead of its states: which instance moved at each step and what
// it chose. An engine that keeps no states (z3) hands one over; the explicit engine replays it.
#pragma once

#include <cstdint>
#include <vector>

namespace racecheck::result {

// The value a parameter was given before the run: a global `param` (instance -1, `param` its
// index in declaration order) or a range parameter of one instance (`param` its index among
// that process's parameters).
struct ParamChoice {
  int32_t instance = -1;
  int32_t param = 0;
  int32_t value = 0;
};

// A value taken by one `choose`: the instruction (its index in the process's code) and the value.
struct Choice {
  int32_t pc = 0;
  int32_t value = 0;
};

// The environment's move: the lease of key `key` of element `element` of Redis declaration
// `redis` runs out, and Redis deletes the key.
struct Expiry {
  int32_t redis = 0;
  int32_t element = 0;
  int32_t key = 0;
};

struct ScheduleStep {
  int32_t instance = 0;         // index into the program's instances; kEnvironment for an expiry
  std::vector<Choice> choices;  // in the order the step ran them
  // The database's deadlock detector aborts the instance's transaction (40P01) while it waits
  // in a cycle of row locks, and the instance runs on from its failure label.
  bool deadlock_victim = false;
  Expiry expiry{};              // when instance is kEnvironment, in an untimed model
  int32_t time = 0;             // when instance is kEnvironment, in a timed model: the ms that pass
  int32_t replica = -1;         // when instance is kEnvironment: the replica that crashes, or -1
};

// The instance number of a step that is the environment's move, not an instance's.
inline constexpr int32_t kEnvironment = -1;

struct Schedule {
  std::vector<ParamChoice> params;  // every global param, then every range parameter
  std::vector<ScheduleStep> steps;
};

}  // namespace racecheck::result
