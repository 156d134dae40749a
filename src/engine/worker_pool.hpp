#pragma once
// Persistent worker threads for the engine's parallel regions (src-local). Starting a
// thread costs tens of microseconds on the virtual machines the engine is measured on,
// more than a 10^4-unit evaluation's share of work; workers started once and woken per
// region make two threads pay at every size. Which item runs on which thread never
// changes the arithmetic (parallel.hpp), so the pool does not affect the numbers.

#include <functional>

namespace parkscore::detail {

/// Runs task(t) for t in [0, count): t = 0 on the calling thread, the others on pool
/// workers; returns when all have finished. Regions that start while another is running
/// (nested, or from another caller thread) and processes forked after the pool started
/// use threads of their own instead. `task` must not throw (parallel_chunks catches).
void run_on_workers(int count, const std::function<void(int)>& task);

}  // namespace parkscore::detail
