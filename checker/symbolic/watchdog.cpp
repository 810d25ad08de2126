#include "checker/symbolic/watchdog.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace racecheck::symbolic {
namespace {

// How often the thread looks: about the most a limit is overrun before Z3 is told.
constexpr std::chrono::milliseconds kPeriod{10};

// The process's resident memory in bytes, 0 when /proc does not say.
uint64_t ResidentBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  int read = std::fscanf(statm, "%llu %llu", &size, &resident);
  std::fclose(statm);
  long page = sysconf(_SC_PAGESIZE);
  return read == 2 && page > 0 ? resident * static_cast<uint64_t>(page) : 0;
}

uint64_t Growth(uint64_t now, uint64_t baseline) { return now > baseline ? now - baseline : 0; }

}  // namespace

Watchdog::Watchdog(z3::context& ctx, base::Deadline deadline, uint64_t max_memory_bytes)
    : ctx_(ctx),
      deadline_(deadline),
      max_memory_bytes_(max_memory_bytes),
      z3_baseline_(Z3_get_estimated_alloc_size()),
      resident_baseline_(ResidentBytes()),
      thread_(&Watchdog::Watch, this) {}

Watchdog::~Watchdog() { Stop(); }

StopReason Watchdog::Latch(StopReason reason) {
  int none = static_cast<int>(StopReason::kNone);
  reason_.compare_exchange_strong(none, static_cast<int>(reason));
  return this->reason();
}

StopReason Watchdog::Check() {
  StopReason now = reason();
  if (now != StopReason::kNone) return now;
  if (base::Interrupted()) return Latch(StopReason::kInterrupted);
  if (deadline_.passed()) return Latch(StopReason::kDeadline);
  return StopReason::kNone;
}

bool Watchdog::OverMemory() const {
  if (max_memory_bytes_ == 0) return false;
  // Z3's count leads (it counts what is asked for before it is touched); the resident memory
  // also sees what Z3 does not count and what malloc keeps around it.
  return Growth(Z3_get_estimated_alloc_size(), z3_baseline_) > max_memory_bytes_ ||
         Growth(ResidentBytes(), resident_baseline_) > max_memory_bytes_;
}

void Watchdog::EnterSolver() {
  std::lock_guard<std::mutex> lock(mutex_);
  in_solver_ = true;
}

void Watchdog::LeaveSolver() {
  std::lock_guard<std::mutex> lock(mutex_);
  in_solver_ = false;
}

void Watchdog::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!quit_) {
    wake_.wait_for(lock, kPeriod);
    if (quit_) break;
    if (OverMemory()) Latch(StopReason::kMemory);
    // A check clears Z3's interrupt as it begins, so one that comes just before is lost:
    // repeat it every period for as long as the check runs.
    if (in_solver_ && Check() != StopReason::kNone) ctx_.interrupt();
  }
}

}  // namespace racecheck::symbolic
