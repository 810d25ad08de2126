#include "checker/base/stop.h"

#include <algorithm>
#include <atomic>

namespace racecheck::base {
namespace {
std::atomic<bool> interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the SIGINT handler needs a lock-free flag");
}  // namespace

bool Interrupted() { return interrupted.load(std::memory_order_relaxed); }
void RequestInterrupt() { interrupted.store(true, std::memory_order_relaxed); }

Deadline Deadline::After(double seconds) {
  Deadline deadline;
  if (seconds > 0) {
    deadline.at_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }
  return deadline;
}

double Deadline::seconds_left() const {
  if (!set()) return 1e18;
  return std::max(0.0, std::chrono::duration<double>(at_ - Clock::now()).count());
}

}  // namespace racecheck::base
