// When a run must end early: the user's Ctrl-C and the deadline of the whole run. Both engines
// look here where they look at their own limits, so one signal or one clock stops either.
#pragma once

#include <chrono>

namespace racecheck::base {

using Clock = std::chrono::steady_clock;

// Set by the SIGINT handler (async-signal-safe: a lock-free atomic store); never cleared.
bool Interrupted();
void RequestInterrupt();

// The run's deadline; Clock::time_point::max() when there is none.
class Deadline {
 public:
  Deadline() = default;
  // seconds <= 0 means no deadline.
  static Deadline After(double seconds);
  bool set() const { return at_ != Clock::time_point::max(); }
  bool passed() const { return set() && Clock::now() >= at_; }
  // Seconds left (never negative); a large number when no deadline is set.
  double seconds_left() const;
  Clock::time_point at() const { return at_; }

 private:
  Clock::time_point at_ = Clock::time_point::max();
};

}  // namespace racecheck::base
