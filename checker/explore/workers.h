// A fixed team of threads that run one job at a time together, the calling thread among them:
// the parallel search's expansion phase (docs/internals-explore.md, "The parallel search").
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace racecheck::explore {

class Workers {
 public:
  // `count` workers in all: the caller and count - 1 threads started here.
  explicit Workers(int count);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  int count() const { return static_cast<int>(threads_.size()) + 1; }
  // Runs job(worker) on every worker (0 is the caller) and returns once all have returned.
  void Run(const std::function<void(int)>& job);

 private:
  void Loop(int worker);

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(int)>* job_ = nullptr;
  uint64_t generation_ = 0;  // counts jobs: a thread runs each one once
  int running_ = 0;          // threads still in the current job
  bool quit_ = false;
};

// The number of threads `--threads 0` means: every core this process may run on.
int AvailableCores();

}  // namespace racecheck::explore
