#include "engine/recycled_outputs.hpp"

#include <array>
#include <cstddef>
#include <mutex>
#include <utility>
#include <vector>

#include "engine/fresh_memory.hpp"

namespace parkscore::detail {

namespace {

// Smaller outputs come from malloc's free lists without faults; the budget, shared by every
// kind of output, bounds what a process keeps after its largest evaluation (the full result
// of 10^4 units is ~8 MB).
constexpr std::size_t smallest_bytes = std::size_t{256} << 10;
constexpr std::size_t budget_bytes = std::size_t{64} << 20;

// Bytes of storage an output holds, and whether it can serve a request for `size` elements:
// exactly (Eigen reallocates on any other size).
std::size_t bytes_of(const Eigen::MatrixXd& m) { return static_cast<std::size_t>(m.size()) * sizeof(double); }
std::size_t bytes_of(const Eigen::MatrixXi& m) { return static_cast<std::size_t>(m.size()) * sizeof(int); }
template <class Matrix>
bool serves(const Matrix& m, std::size_t size) { return static_cast<std::size_t>(m.size()) == size; }

// One budget for every kind of output, under one lock (a put or take per output of an
// evaluation: no contention worth a finer lock).
struct cache_budget {
  std::mutex mutex;
  std::size_t held = 0;
};

cache_budget& budget() {
  static cache_budget* b = new cache_budget;   // never destroyed, as the caches below
  return *b;
}

template <class Output>
class output_cache {
 public:
  // The newest output is kept, the oldest of its kind dropped to make room: a loop of
  // evaluations needs the sizes it used last.
  void put(Output& o) {
    const std::size_t bytes = bytes_of(o);
    if (bytes < smallest_bytes || bytes > budget_bytes) return;
    std::lock_guard lock(budget().mutex);
    while (budget().held + bytes > budget_bytes && !kept_.empty()) {
      budget().held -= bytes_of(kept_.front());
      kept_.erase(kept_.begin());
    }
    if (budget().held + bytes > budget_bytes) return;
    budget().held += bytes;
    kept_.emplace_back();
    kept_.back().swap(o);
  }

  bool take(Output& o, std::size_t size) {
    std::lock_guard lock(budget().mutex);
    for (std::size_t i = kept_.size(); i-- > 0;)   // the most recent first: its pages are warm
      if (serves(kept_[i], size)) {
        budget().held -= bytes_of(kept_[i]);
        o.swap(kept_[i]);
        kept_.erase(kept_.begin() + static_cast<std::ptrdiff_t>(i));
        return true;
      }
    return false;
  }

 private:
  std::vector<Output> kept_;   // oldest first
};

// Never destroyed: a result that outlives static destruction (a global, one freed at exit)
// may still hand its outputs back.
template <class Output>
output_cache<Output>& cache() {
  static output_cache<Output>* c = new output_cache<Output>;
  return *c;
}

template <class Matrix>
void resize_from_cache(Matrix& m, Eigen::Index rows, Eigen::Index cols) {
  if (m.rows() == rows && m.cols() == cols) return;
  if (m.size() != rows * cols) {
    recycle(m);
    if (cache<Matrix>().take(m, static_cast<std::size_t>(rows * cols))) {
      m.resize(rows, cols);   // same number of elements: the storage stays
      return;
    }
  }
  resize_fresh(m, rows, cols);
}

// Up to `kept_results` small results' pools and notes: a loop of evaluate() calls, or a few
// results made and dropped together (a comparison of scenarios).
constexpr std::size_t kept_results = 4;

struct small_result_parts {
  std::vector<pool_result> pools;
  std::vector<note> notes;
};

struct small_results {
  std::mutex mutex;
  std::array<small_result_parts, kept_results> kept;   // [0, count) hold parts
  std::size_t count = 0;
};

small_results& spare_results() {
  static small_results* s = new small_results;   // never destroyed, as the caches above
  return *s;
}

bool is_small(const std::vector<pool_result>& pools) {
  for (const pool_result& p : pools)
    if (bytes_of(p.scores) >= smallest_bytes || bytes_of(p.normalised) >= smallest_bytes ||
        bytes_of(p.kept_ranks) >= smallest_bytes || bytes_of(p.coverage) >= smallest_bytes)
      return false;
  return !pools.empty();
}

}  // namespace

void recycle_small(std::vector<pool_result>& pools, std::vector<note>& notes) noexcept {
  if (!is_small(pools)) return;
  for (pool_result& p : pools) p.labels = shared_strings();   // the dataset's grouping column is not held
  small_results& spare = spare_results();
  std::lock_guard lock(spare.mutex);
  if (spare.count == kept_results) return;
  spare.kept[spare.count].pools.swap(pools);
  spare.kept[spare.count].notes.swap(notes);
  ++spare.count;
}

void take_small(std::vector<pool_result>& pools, std::vector<note>& notes) {
  small_results& spare = spare_results();
  std::lock_guard lock(spare.mutex);
  if (spare.count == 0) return;
  --spare.count;
  pools.swap(spare.kept[spare.count].pools);
  notes.swap(spare.kept[spare.count].notes);
}

void recycle(Eigen::MatrixXd& m) { cache<Eigen::MatrixXd>().put(m); }
void recycle(Eigen::MatrixXi& m) { cache<Eigen::MatrixXi>().put(m); }

void resize_recycled(Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols) { resize_from_cache(m, rows, cols); }
void resize_recycled(Eigen::MatrixXi& m, Eigen::Index rows, Eigen::Index cols) { resize_from_cache(m, rows, cols); }

}  // namespace parkscore::detail
