// When a z3 run must stop, and making Z3 stop then: the run's deadline, Ctrl-C
// (base::Interrupted) and the memory the run takes. A thread looks every 10 ms, notes the memory
// and interrupts a solver check under way; the encoding asks Check() between its pieces of work.
#pragma once

#include <z3++.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "checker/base/stop.h"

namespace racecheck::symbolic {

enum class StopReason { kNone, kDeadline, kInterrupted, kMemory };

class Watchdog {
 public:
  // `max_memory_bytes` (0: no limit) bounds what the run adds, from now on, to the memory Z3
  // counts as allocated or to the process's resident memory, whichever grows more.
  Watchdog(z3::context& ctx, base::Deadline deadline, uint64_t max_memory_bytes);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Why the run must stop (kNone: it need not yet). The first reason found stays: once a run
  // must stop it always must. Cheap enough to ask between any two pieces of encoding.
  StopReason Check();
  StopReason reason() const { return static_cast<StopReason>(reason_.load()); }
  uint64_t max_memory_bytes() const { return max_memory_bytes_; }
  const base::Deadline& deadline() const { return deadline_; }

  // Brackets a solver check: only then does the thread interrupt Z3.
  void EnterSolver();
  void LeaveSolver();
  // Ends the thread: no interrupt comes after this returns. Called again, it does nothing.
  void Stop();

 private:
  void Watch();
  // Latches `reason` unless another came first; returns the one that stays.
  StopReason Latch(StopReason reason);
  bool OverMemory() const;

  z3::context& ctx_;
  base::Deadline deadline_;
  uint64_t max_memory_bytes_;
  uint64_t z3_baseline_;
  uint64_t resident_baseline_;
  std::atomic<int> reason_{static_cast<int>(StopReason::kNone)};
  std::mutex mutex_;  // guards in_solver_ and quit_; an interrupt never overlaps LeaveSolver
  std::condition_variable wake_;
  bool in_solver_ = false;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace racecheck::symbolic
