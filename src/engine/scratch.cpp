#include "engine/scratch.hpp"

#include "engine/fresh_memory.hpp"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace parkscore::detail {

namespace {

// Enough for every thread of a few concurrent evaluations, and for the ranking buffers of
// two threads at 10^6 units (20 MB each): fresh, they cost ~5 000 page faults per column.
// Beyond the budget the smallest buffers are freed on return, and a buffer larger than
// the largest kept (one block of a whole pool of millions) is not kept at all.
constexpr std::size_t kept_buffers = 8;
constexpr std::size_t kept_doubles = std::size_t{4} << 20;     // 32 MB
constexpr std::size_t budget_doubles = std::size_t{8} << 20;   // 64 MB in all
// From this size a fresh buffer asks for huge pages (512 faults become one).
constexpr std::size_t huge_doubles = std::size_t{1} << 18;     // 2 MB

struct scratch_pool {
  std::mutex mutex;
  std::vector<std::pair<std::unique_ptr<double[]>, std::size_t>> free;
};

scratch_pool& scratch_buffers() {
  static scratch_pool p;
  return p;
}

}  // namespace

scratch_lease::scratch_lease(std::size_t doubles) {
  {
    std::lock_guard lock(scratch_buffers().mutex);
    auto& free = scratch_buffers().free;
    auto fits = free.end();   // the smallest that fits: large buffers stay for large requests
    for (auto b = free.begin(); b != free.end(); ++b)
      if (b->second >= doubles && (fits == free.end() || b->second < fits->second)) fits = b;
    if (fits != free.end()) {
      memory_ = std::move(fits->first);
      size_ = fits->second;
      free.erase(fits);
      return;
    }
  }
  memory_.reset(new double[std::max<std::size_t>(doubles, 1)]);   // uninitialised
  size_ = doubles;
  if (doubles >= huge_doubles) prefer_huge_pages(memory_.get(), doubles * sizeof(double));
}

scratch_lease::~scratch_lease() {
  if (size_ > kept_doubles) return;
  std::lock_guard lock(scratch_buffers().mutex);
  auto& free = scratch_buffers().free;
  free.emplace_back(std::move(memory_), size_);
  auto total = [&] {
    std::size_t sum = 0;
    for (const auto& b : free) sum += b.second;
    return sum;
  };
  while (free.size() > kept_buffers || total() > budget_doubles) {   // drop the smallest
    const auto smallest = std::min_element(free.begin(), free.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
    free.erase(smallest);
  }
}

}  // namespace parkscore::detail
