#include "engine/worker_pool.hpp"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace parkscore::detail {

namespace {

using job = std::function<void(int)>;

// How long a worker (and a caller waiting for its helpers) keeps polling before it sleeps.
// An evaluation runs several regions back to back (scan, fit, blocks, rank); a futex wake
// costs 5-30 µs on the virtual machines measured, as much as a region of 10^4 units, so a
// worker that has just finished polls for the next one a little while first.
constexpr auto poll_time = std::chrono::microseconds(200);

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Polls `ready` until it holds or the poll time has passed; true if it holds.
template <class Ready>
bool poll(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + poll_time;
  for (unsigned i = 1;; ++i) {
    if (ready()) return true;
    cpu_relax();
    if (i % 64 == 0 && std::chrono::steady_clock::now() > until) return ready();
  }
}

// Set in a child process after fork(): the pool was copied but its threads were not. Asked on
// every region, so a flag rather than getpid(), a system call of about 1 µs on a virtual machine.
std::atomic<bool> forked_child{false};

class worker_pool {
 public:
  worker_pool() { pthread_atfork(nullptr, nullptr, [] { forked_child.store(true, std::memory_order_relaxed); }); }

  ~worker_pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true);
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // False when the pool cannot take the region (busy, or this is a forked child).
  bool try_run(int count, const job& task) {
    if (forked_child.load(std::memory_order_relaxed)) return false;   // a fork copies the pool but not its threads
    std::unique_lock region(region_mutex_, std::try_to_lock);
    if (!region.owns_lock()) return false;
    const int helpers = count - 1;
    pending_.store(helpers, std::memory_order_relaxed);
    {
      // Slots are filled under the mutex, so a worker going to sleep either sees its job or
      // is counted among the sleepers and woken.
      std::lock_guard lock(mutex_);
      while (static_cast<int>(threads_.size()) < helpers) {
        slots_.push_back(std::make_unique<std::atomic<const job*>>(nullptr));
        std::atomic<const job*>* slot = slots_.back().get();
        const int id = static_cast<int>(threads_.size()) + 1;
        threads_.emplace_back([this, slot, id] { work(*slot, id); });
      }
      for (int h = 0; h < helpers; ++h) slots_[static_cast<std::size_t>(h)]->store(&task, std::memory_order_release);
      if (sleepers_ > 0) wake_.notify_all();
    }
    task(0);
    if (!poll([&] { return pending_.load(std::memory_order_acquire) == 0; })) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [&] { return pending_.load(std::memory_order_acquire) == 0; });
    }
    return true;
  }

 private:
  void work(std::atomic<const job*>& slot, int id) {
    for (;;) {
      if (!poll([&] { return slot.load(std::memory_order_acquire) != nullptr || stopping_.load(); })) {
        std::unique_lock lock(mutex_);
        ++sleepers_;
        wake_.wait(lock, [&] { return slot.load(std::memory_order_acquire) != nullptr || stopping_.load(); });
        --sleepers_;
      }
      if (stopping_.load()) return;
      const job* task = slot.exchange(nullptr, std::memory_order_acq_rel);
      (*task)(id);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);   // the caller may be between its test and its wait
        done_.notify_one();
      }
    }
  }

  std::mutex region_mutex_;   // one region at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<std::atomic<const job*>>> slots_;   // per worker: its job, or null
  int sleepers_ = 0;                                              // under mutex_
  std::atomic<bool> stopping_{false};
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
