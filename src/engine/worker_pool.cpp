#include "engine/worker_pool.hpp"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace parkscore::detail {

namespace {

class worker_pool {
 public:
  worker_pool() : owner_(getpid()) {}

  ~worker_pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  // False when the pool cannot take the region (busy, or this is a forked child).
  bool try_run(int count, const std::function<void(int)>& task) {
    if (getpid() != owner_) return false;   // a fork copies the pool but not its threads
    std::unique_lock region(region_mutex_, std::try_to_lock);
    if (!region.owns_lock()) return false;
    const int helpers = count - 1;
    {
      std::lock_guard lock(mutex_);
      while (static_cast<int>(workers_.size()) < helpers) {
        const int id = static_cast<int>(workers_.size()) + 1;
        workers_.emplace_back([this, id] { work(id); });
      }
      task_ = &task;
      active_ = helpers;
      pending_.store(helpers, std::memory_order_release);
      ++generation_;
    }
    wake_.notify_all();
    task(0);
    // Wait briefly by spinning (a region is short), then sleep.
    for (int spin = 0; spin < 2000 && pending_.load(std::memory_order_acquire) > 0; ++spin) std::this_thread::yield();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
    task_ = nullptr;
    return true;
  }

 private:
  void work(int id) {
    unsigned long seen = 0;
    for (;;) {
      const std::function<void(int)>* task = nullptr;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        if (id > active_) continue;   // not needed in this region
        task = task_;
      }
      (*task)(id);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);
        done_.notify_one();
      }
    }
  }

  const pid_t owner_;
  std::mutex region_mutex_;   // one region at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* task_ = nullptr;
  int active_ = 0;
  unsigned long generation_ = 0;
  bool stopping_ = false;
  std::atomic<int> pending_{0};
};

worker_pool& workers() {
  static worker_pool p;
  return p;
}

}  // namespace

void run_on_workers(int count, const std::function<void(int)>& task) {
  if (count <= 1) {
    task(0);
    return;
  }
  if (workers().try_run(count, task)) return;
  std::vector<std::thread> threads;
  for (int t = 1; t < count; ++t) threads.emplace_back(task, t);
  task(0);
  for (std::thread& th : threads) th.join();
}

}  // namespace parkscore::detail
