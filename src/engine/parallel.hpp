#pragma once
// A fixed split of independent work over threads (src-local). Item i always does the
// same arithmetic whichever thread runs it, so results do not depend on the thread count.

#include <algorithm>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

#include "engine/worker_pool.hpp"

namespace parkscore::detail {

/// Below this many cells (units x columns) threads cost more than they save.
constexpr std::size_t parallel_cells = std::size_t{1} << 17;

inline int thread_count(int requested, std::size_t items) {
  int n = requested > 0 ? requested : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(n), std::max<std::size_t>(items, 1)));
}

/// Calls chunk(begin, end) for contiguous ranges covering [0, count), one per thread (so
/// a chunk can set up its scratch space once). The first exception (by chunk) is rethrown
/// after every thread has finished.
template <class Chunk>
void parallel_chunks(std::size_t count, int threads, Chunk chunk_body) {
  const int n = thread_count(threads, count);
  if (n <= 1) {
    chunk_body(std::size_t{0}, count);
    return;
  }
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(n));
  run_on_workers(n, [&](int t) {
    const std::size_t begin = count * static_cast<std::size_t>(t) / static_cast<std::size_t>(n);
    const std::size_t end = count * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(n);
    try {
      chunk_body(begin, end);
    } catch (...) {
      errors[static_cast<std::size_t>(t)] = std::current_exception();
    }
  });
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

/// Calls body(i) for i in [0, count), in contiguous chunks, one per thread.
template <class Body>
void parallel_for(std::size_t count, int threads, Body body) {
  parallel_chunks(count, threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) body(i);
  });
}

}  // namespace parkscore::detail
