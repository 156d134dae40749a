#pragma once
// Per-unit rank histograms: for each unit, how many replicates gave it each rank.
// Integer counts, so partial histograms from any split of the replicates merge
// exactly; every rank statistic (quantiles, mean, P(top k)) follows from them exactly.
// A unit starts with a list of its ranks and switches to a window of counts once the
// list is longer than the range of ranks it covers: a large pool with few replicates
// costs a rank per replicate (like storing the rank matrix), a small pool with many
// replicates at most a count per rank.

#include <cstdint>
#include <vector>

namespace parkscore {

class rank_histogram {
 public:
  rank_histogram() = default;
  explicit rank_histogram(std::size_t units) : lo_(units, 0), counts_(units), samples_(units) {}

  std::size_t unit_count() const { return counts_.size(); }
  void add(std::size_t unit, int rank) {
    auto& c = counts_[unit];
    if (c.empty()) {
      add_sample(unit, rank);
      return;
    }
    if (rank < lo_[unit] || rank >= lo_[unit] + static_cast<int>(c.size())) grow(unit, rank);
    ++c[static_cast<std::size_t>(rank - lo_[unit])];
  }
  /// Adds `count` replicates at `rank` at once (a block's tally of a small pool).
  void add(std::size_t unit, int rank, std::uint64_t count);
  /// Adds another histogram's counts (any order: the result is the same).
  void merge(const rank_histogram& other);
  /// Room for `per_unit` listed ranks per unit (large pools: saves regrowing every list).
  void reserve(std::size_t per_unit) {
    for (auto& l : samples_) l.reserve(per_unit);
  }
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

  /// Storage (for serialisation): each unit's window start and counts, or its rank list.
  const std::vector<int>& window_starts() const { return lo_; }
  const std::vector<std::vector<std::uint64_t>>& windows() const { return counts_; }
  const std::vector<std::vector<int>>& lists() const { return samples_; }
  static rank_histogram from_storage(std::vector<int> starts, std::vector<std::vector<std::uint64_t>> counts,
                                     std::vector<std::vector<int>> lists);

  friend bool operator==(const rank_histogram& a, const rank_histogram& b);

 private:
  void grow(std::size_t unit, int rank);
  void add_sample(std::size_t unit, int rank);
  void to_window(std::size_t unit);
  // The k-th smallest rank (0-based) of the unit.
  int order_statistic(std::size_t unit, std::uint64_t k) const;
  std::vector<int> lo_;
  std::vector<std::vector<std::uint64_t>> counts_;
  std::vector<std::vector<int>> samples_;   // units still keeping a list (counts_ empty)
};

}  // namespace parkscore
