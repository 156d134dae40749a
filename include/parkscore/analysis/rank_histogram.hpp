#pragma once
// Per-unit rank histograms: for each unit, how many replicates gave it each rank.
// Integer counts, so partial histograms from any split of the replicates merge
// exactly; every rank statistic (quantiles, mean, P(top k)) follows from them exactly.
// A unit starts with a list of its ranks and switches to a window of counts once the
// list is longer than the range of ranks it covers: a large pool with few replicates
// costs a rank per replicate (like storing the rank matrix), a small pool with many
// replicates at most a count per rank.
//
// Every unit's window and list live in two shared arrays (one allocation each, not one per
// unit): 10 000 units' lists as 10 000 separate allocations cost more in page faults than
// ranking the replicates did.

#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace parkscore {

namespace detail {
/// std::allocator whose value-less construct leaves the element uninitialised, so resize()
/// does not zero: a large pool's rank lists (40 MB at 10^4 units x 10^3 replicates) are then
/// first written by the threads that fill them, not cleared by one thread beforehand.
template <class T>
struct default_init_allocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = default_init_allocator<U>;
  };
  default_init_allocator() = default;
  template <class U>
  default_init_allocator(const default_init_allocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
}  // namespace detail

/// Every unit's listed ranks, in one array.
using rank_samples = std::vector<int, detail::default_init_allocator<int>>;

class rank_histogram {
 public:
  /// Where one unit's window or list sits in the shared array: [at, at + size), with room
  /// up to at + capacity.
  struct slot {
    std::size_t at = 0, size = 0, capacity = 0;
  };

  rank_histogram() = default;
  explicit rank_histogram(std::size_t units) : lo_(units, 0), window_(units), list_(units) {}

  std::size_t unit_count() const { return lo_.size(); }
  void add(std::size_t unit, int rank) {
    const slot& w = window_[unit];
    if (w.size == 0) {
      add_sample(unit, rank);
      return;
    }
    if (rank < lo_[unit] || rank >= lo_[unit] + static_cast<int>(w.size)) grow(unit, rank);
    ++counts_[window_[unit].at + static_cast<std::size_t>(rank - lo_[unit])];
  }
  /// Adds `count` replicates at `rank` at once (a block's tally of a small pool).
  void add(std::size_t unit, int rank, std::uint64_t count);
  /// Adds another histogram's counts (any order: the result is the same).
  void merge(const rank_histogram& other);
  /// Room for `per_unit` listed ranks per unit (large pools: saves regrowing every list).
  void reserve(std::size_t per_unit);
  /// Sorts the rank lists: call after add() and before the queries below (merge and
  /// from_storage do it; run_range returns normalised partials).
  void normalise();

  /// Replicates in which the unit was ranked.
  std::uint64_t total(std::size_t unit) const;
  std::uint64_t count(std::size_t unit, int rank) const;
  /// Lowest and highest rank seen (0, -1 if never ranked).
  int min_rank(std::size_t unit) const;
  int max_rank(std::size_t unit) const;
  /// The q-quantile of the unit's ranks, numpy's default "linear" rule (R type 7):
  /// h = (n - 1) q, x_(floor h) + (h - floor h)(x_(floor h + 1) - x_(floor h)). NaN if never ranked.
  double quantile(std::size_t unit, double q) const;
  double mean(std::size_t unit) const;
  /// Share of replicates with rank <= k.
  double share_at_most(std::size_t unit, int k) const;
  /// Share of replicates with rank >= k.
  double share_at_least(std::size_t unit, int k) const;

  /// Storage (for serialisation): each unit's window start and counts, or its rank list
  /// (copies, one vector per unit).
  const std::vector<int>& window_starts() const { return lo_; }
  std::vector<std::vector<std::uint64_t>> windows() const;
  std::vector<std::vector<int>> lists() const;
  static rank_histogram from_storage(std::vector<int> starts, std::vector<std::vector<std::uint64_t>> counts,
                                     std::vector<std::vector<int>> lists);
  /// Takes shared arrays as they are (no copy): unit u's counts are counts[windows[u]] from
  /// rank starts[u], its ranks samples[lists[u]]; a unit has a window or a list, not both.
  /// `lists_sorted`: every list is already in ascending order (else they are sorted here).
  static rank_histogram adopt(std::vector<int> starts, std::vector<slot> windows, std::vector<std::uint64_t> counts,
                              std::vector<slot> lists, rank_samples samples, bool lists_sorted = false);

  friend bool operator==(const rank_histogram& a, const rank_histogram& b);

 private:
  const std::uint64_t* window_data(std::size_t unit) const { return counts_.data() + window_[unit].at; }
  const int* list_data(std::size_t unit) const { return samples_.data() + list_[unit].at; }
  void grow(std::size_t unit, int rank);
  void add_sample(std::size_t unit, int rank);
  void to_window(std::size_t unit);
  // Unit u's window moved to the end of counts_ as `width` zeros from rank `lo`, the old counts copied in.
  void rewindow(std::size_t unit, int lo, std::size_t width);
  // Room for `capacity` ranks in unit u's list (moved to the end of samples_ when short).
  void reserve_list(std::size_t unit, std::size_t capacity);
  // The k-th smallest rank (0-based) of the unit.
  int order_statistic(std::size_t unit, std::uint64_t k) const;
  std::vector<int> lo_;        // per unit: the rank its window starts at
  std::vector<slot> window_;   // per unit: its counts in counts_ (size 0: it keeps a list)
  std::vector<slot> list_;     // per unit: its ranks in samples_ (sorted after normalise())
  std::vector<std::uint64_t> counts_;
  rank_samples samples_;
  bool sorted_ = true;         // every list in ascending order
};

}  // namespace parkscore
