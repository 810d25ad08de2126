#include "checker/symbolic/teardown.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace racecheck::symbolic {
namespace {

struct Queue {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::shared_ptr<void>> objects;
  bool started = false;
};

// Never destroyed: the thread may still be freeing when the process exits, and must not find
// its queue and mutex destroyed under it.
Queue& TheQueue() {
  static Queue* queue = new Queue;
  return *queue;
}

[[noreturn]] void FreeForever(Queue& queue) {
  std::unique_lock<std::mutex> lock(queue.mutex);
  for (;;) {
    queue.ready.wait(lock, [&] { return !queue.objects.empty(); });
    std::shared_ptr<void> object = std::move(queue.objects.front());
    queue.objects.pop_front();
    lock.unlock();
    object.reset();
    lock.lock();
  }
}

}  // namespace

void FreeInBackground(std::shared_ptr<void> object) {
  Queue& queue = TheQueue();
  std::lock_guard<std::mutex> lock(queue.mutex);
  if (!queue.started) {
    std::thread(FreeForever, std::ref(queue)).detach();
    queue.started = true;
  }
  queue.objects.push_back(std::move(object));
  queue.ready.notify_one();
}

}  // namespace racecheck::symbolic
