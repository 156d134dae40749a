#include "engine/scratch.hpp"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

namespace parkscore::detail {

namespace {

// Enough for every thread of a few concurrent evaluations; more are freed on return, and
// so are buffers of whole pools (one block of every unit), which a later call rarely fits.
constexpr std::size_t kept_buffers = 8;
constexpr std::size_t kept_doubles = std::size_t{1} << 20;   // 8 MB

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
    const auto fits = std::find_if(free.begin(), free.end(), [&](const auto& b) { return b.second >= doubles; });
    if (fits != free.end()) {
      memory_ = std::move(fits->first);
      size_ = fits->second;
      free.erase(fits);
      return;
    }
  }
  memory_.reset(new double[std::max<std::size_t>(doubles, 1)]);   // uninitialised
  size_ = doubles;
}

scratch_lease::~scratch_lease() {
  if (size_ > kept_doubles) return;
  std::lock_guard lock(scratch_buffers().mutex);
  auto& free = scratch_buffers().free;
  free.emplace_back(std::move(memory_), size_);
  if (free.size() > kept_buffers) {   // drop the smallest
    const auto smallest = std::min_element(free.begin(), free.end(),
                                           [](const auto& a, const auto& b) { return a.second < b.second; });
    free.erase(smallest);
  }
}

}  // namespace parkscore::detail
