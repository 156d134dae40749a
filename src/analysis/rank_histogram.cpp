#include "parkscore/analysis/rank_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "analysis/rank_lists.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

void rank_histogram::grow(std::size_t unit, int rank) {
  auto& c = counts_[unit];
  // Grow by at least half the current width on the side that is short, so a unit whose
  // ranks wander costs amortised O(1) per new rank rather than a copy of its window each time.
  if (c.empty()) {
    lo_[unit] = rank >= 1 ? std::max(1, rank - 4) : rank;
    c.assign(static_cast<std::size_t>(rank - lo_[unit] + 5), 0);
    return;
  }
  const int width = static_cast<int>(c.size());
  const int pad = std::max(8, width / 2);
  int lo = lo_[unit], hi = lo_[unit] + width - 1;
  if (rank < lo) lo = std::max(1, std::min(rank, lo - pad));
  if (rank > hi) hi = std::max(rank, hi + pad);
  if (rank < 1) lo = rank;   // ranks are >= 1; keep any other value exact all the same
  std::vector<std::uint64_t> wider(static_cast<std::size_t>(hi - lo + 1), 0);
  std::copy(c.begin(), c.end(), wider.begin() + (lo_[unit] - lo));
  c.swap(wider);
  lo_[unit] = lo;
}

void rank_histogram::add(std::size_t unit, int rank, std::uint64_t count) {
  if (count == 0) return;
  auto& c = counts_[unit];
  if (c.empty()) to_window(unit);   // a tally is dense: counts, not a list
  if (c.empty() || rank < lo_[unit] || rank >= lo_[unit] + static_cast<int>(c.size())) grow(unit, rank);
  c[static_cast<std::size_t>(rank - lo_[unit])] += count;
}

void rank_histogram::add_sample(std::size_t unit, int rank) {
  auto& list = samples_[unit];
  list.push_back(rank);
  // Switch to counts once the list outgrows the range it covers (checked at powers of two).
  const std::size_t n = list.size();
  if (n >= 32 && (n & (n - 1)) == 0) {
    const auto [lo, hi] = std::minmax_element(list.begin(), list.end());
    if (n > static_cast<std::size_t>(*hi - *lo + 1)) to_window(unit);
  }
}

void rank_histogram::to_window(std::size_t unit) {
  auto& list = samples_[unit];
  if (list.empty()) return;
  const auto [lo, hi] = std::minmax_element(list.begin(), list.end());
  lo_[unit] = *lo;
  counts_[unit].assign(static_cast<std::size_t>(*hi - *lo + 1), 0);
  for (int r : list) ++counts_[unit][static_cast<std::size_t>(r - lo_[unit])];
  std::vector<int>().swap(list);
}

namespace detail {
// Long lists (large pools) span a few thousand ranks at most: an LSD radix sort by bytes of
// (rank - min) is linear, where a comparison sort of every unit's list was a quarter of a
// 10 000-unit analysis.
void sort_rank_list(std::vector<int>& list, std::vector<int>& scratch) {
  if (std::is_sorted(list.begin(), list.end())) return;   // lists built in order
  if (list.size() < 256) {
    std::sort(list.begin(), list.end());
    return;
  }
  const auto [lo_it, hi_it] = std::minmax_element(list.begin(), list.end());
  const int lo = *lo_it;
  const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(*hi_it) - lo);
  if (span >= (std::uint64_t{1} << 24)) {
    std::sort(list.begin(), list.end());
    return;
  }
  scratch.resize(list.size());
  for (int shift = 0; shift < 24 && (span >> shift) > 0; shift += 8) {
    std::size_t count[257] = {};
    for (int r : list) ++count[((static_cast<std::uint32_t>(r - lo) >> shift) & 0xFF) + 1];
    for (std::size_t d = 1; d < 257; ++d) count[d] += count[d - 1];
    for (int r : list) scratch[count[(static_cast<std::uint32_t>(r - lo) >> shift) & 0xFF]++] = r;
    list.swap(scratch);
  }
}
}  // namespace detail

void rank_histogram::normalise() {
  std::vector<int> scratch;
  for (auto& list : samples_) detail::sort_rank_list(list, scratch);
}

void rank_histogram::merge(const rank_histogram& other) {
  if (counts_.empty()) {
    *this = other;
    normalise();
    return;
  }
  if (other.unit_count() != unit_count()) throw error("rank histograms of different unit counts cannot be merged");
  for (std::size_t u = 0; u < counts_.size(); ++u) {
    const auto& oc = other.counts_[u];
    const auto& ol = other.samples_[u];
    if (!oc.empty() && counts_[u].empty()) to_window(u);   // stays empty when this unit has no ranks yet
    if (counts_[u].empty() && oc.empty()) {   // both lists: concatenate
      samples_[u].insert(samples_[u].end(), ol.begin(), ol.end());
      if (samples_[u].size() >= 32) {
        const auto [lo, hi] = std::minmax_element(samples_[u].begin(), samples_[u].end());
        if (samples_[u].size() > static_cast<std::size_t>(*hi - *lo + 1)) to_window(u);
      }
      continue;
    }
    for (int r : ol) add(u, r);
    if (oc.empty()) continue;
    const int olo = other.lo_[u];
    grow(u, olo);
    grow(u, olo + static_cast<int>(oc.size()) - 1);
    for (std::size_t i = 0; i < oc.size(); ++i) counts_[u][static_cast<std::size_t>(olo - lo_[u]) + i] += oc[i];
  }
  normalise();
}

std::uint64_t rank_histogram::total(std::size_t unit) const {
  if (counts_.at(unit).empty()) return samples_[unit].size();
  std::uint64_t n = 0;
  for (auto c : counts_.at(unit)) n += c;
  return n;
}

std::uint64_t rank_histogram::count(std::size_t unit, int rank) const {
  const auto& c = counts_.at(unit);
  if (c.empty()) {
    const auto& l = samples_[unit];
    const auto range = std::equal_range(l.begin(), l.end(), rank);
    return static_cast<std::uint64_t>(range.second - range.first);
  }
  const int i = rank - lo_[unit];
  return (c.empty() || i < 0 || i >= static_cast<int>(c.size())) ? 0 : c[static_cast<std::size_t>(i)];
}

int rank_histogram::min_rank(std::size_t unit) const {
  const auto& c = counts_.at(unit);
  if (c.empty()) return samples_[unit].empty() ? 0 : samples_[unit].front();
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i]) return lo_[unit] + static_cast<int>(i);
  return 0;
}

int rank_histogram::max_rank(std::size_t unit) const {
  const auto& c = counts_.at(unit);
  if (c.empty()) return samples_[unit].empty() ? -1 : samples_[unit].back();
  for (std::size_t i = c.size(); i-- > 0;)
    if (c[i]) return lo_[unit] + static_cast<int>(i);
  return -1;
}

int rank_histogram::order_statistic(std::size_t unit, std::uint64_t k) const {
  const auto& c = counts_[unit];
  if (c.empty()) return samples_[unit][static_cast<std::size_t>(k)];
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    seen += c[i];
    if (seen > k) return lo_[unit] + static_cast<int>(i);
  }
  return max_rank(unit);
}

double rank_histogram::quantile(std::size_t unit, double q) const {
  const std::uint64_t n = total(unit);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  if (!(q >= 0.0 && q <= 1.0)) throw error("rank quantile: q must be in [0, 1]");
  const double h = static_cast<double>(n - 1) * q;
  const auto below = static_cast<std::uint64_t>(std::floor(h));
  const double lo = order_statistic(unit, below);
  if (below + 1 >= n) return lo;
  const double hi = order_statistic(unit, below + 1);
  return lo + (h - std::floor(h)) * (hi - lo);
}

double rank_histogram::mean(std::size_t unit) const {
  const auto& c = counts_.at(unit);
  std::uint64_t n = 0;
  std::int64_t sum = 0;   // exact: integer ranks times counts
  for (int r : samples_[unit]) {
    ++n;
    sum += r;
  }
  for (std::size_t i = 0; i < c.size(); ++i) {
    n += c[i];
    sum += static_cast<std::int64_t>(c[i]) * (lo_[unit] + static_cast<int>(i));
  }
  return n == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(sum) / static_cast<double>(n);
}

double rank_histogram::share_at_most(std::size_t unit, int k) const {
  const std::uint64_t n = total(unit);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::uint64_t hit = 0;
  for (int r = min_rank(unit); r <= std::min(k, max_rank(unit)); ++r) hit += count(unit, r);
  return static_cast<double>(hit) / static_cast<double>(n);
}

double rank_histogram::share_at_least(std::size_t unit, int k) const {
  const std::uint64_t n = total(unit);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::uint64_t hit = 0;
  for (int r = std::max(k, min_rank(unit)); r <= max_rank(unit); ++r) hit += count(unit, r);
  return static_cast<double>(hit) / static_cast<double>(n);
}

rank_histogram rank_histogram::from_storage(std::vector<int> starts, std::vector<std::vector<std::uint64_t>> counts,
                                            std::vector<std::vector<int>> lists) {
  if (starts.size() != counts.size() || lists.size() != counts.size())
    throw error("rank histogram: window starts, counts and lists differ in length");
  rank_histogram h;
  h.lo_ = std::move(starts);
  h.counts_ = std::move(counts);
  h.samples_ = std::move(lists);
  h.normalise();
  return h;
}

bool operator==(const rank_histogram& a, const rank_histogram& b) {
  if (a.unit_count() != b.unit_count()) return false;
  for (std::size_t u = 0; u < a.unit_count(); ++u) {
    const int lo = std::min(a.min_rank(u), b.min_rank(u)), hi = std::max(a.max_rank(u), b.max_rank(u));
    for (int r = lo; r <= hi; ++r)
      if (a.count(u, r) != b.count(u, r)) return false;
  }
  return true;
}

}  // namespace parkscore
