#include "parkscore/analysis/rank_histogram.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "analysis/rank_lists.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

void rank_histogram::rewindow(std::size_t unit, int lo, std::size_t width) {
  slot& w = window_[unit];
  const std::size_t at = counts_.size();
  counts_.resize(at + width, 0);
  if (w.size > 0)   // the old counts, shifted by how far the window now starts below them
    std::copy_n(counts_.begin() + static_cast<std::ptrdiff_t>(w.at), w.size,
                counts_.begin() + static_cast<std::ptrdiff_t>(at + static_cast<std::size_t>(lo_[unit] - lo)));
  w = {at, width, width};
  lo_[unit] = lo;
}

void rank_histogram::reserve_list(std::size_t unit, std::size_t capacity) {
  slot& l = list_[unit];
  if (capacity <= l.capacity) return;
  if (l.at + l.capacity == samples_.size()) {   // last in the array: it grows where it is
    samples_.resize(l.at + capacity);
    l.capacity = capacity;
    return;
  }
  const std::size_t at = samples_.size();
  samples_.resize(at + capacity);
  std::copy_n(samples_.begin() + static_cast<std::ptrdiff_t>(l.at), l.size, samples_.begin() + static_cast<std::ptrdiff_t>(at));
  l.at = at;
  l.capacity = capacity;
}

void rank_histogram::reserve(std::size_t per_unit) {
  samples_.reserve(samples_.size() + per_unit * unit_count());
  for (std::size_t u = 0; u < unit_count(); ++u) reserve_list(u, per_unit);
}

void rank_histogram::grow(std::size_t unit, int rank) {
  const std::size_t width = window_[unit].size;
  // Grow by at least half the current width on the side that is short, so a unit whose
  // ranks wander costs amortised O(1) per new rank rather than a copy of its window each time.
  if (width == 0) {
    const int lo = rank >= 1 ? std::max(1, rank - 4) : rank;
    rewindow(unit, lo, static_cast<std::size_t>(rank - lo + 5));
    return;
  }
  const int pad = std::max(8, static_cast<int>(width) / 2);
  int lo = lo_[unit], hi = lo_[unit] + static_cast<int>(width) - 1;
  if (rank >= lo && rank <= hi) return;
  if (rank < lo) lo = std::max(1, std::min(rank, lo - pad));
  if (rank > hi) hi = std::max(rank, hi + pad);
  if (rank < 1) lo = rank;   // ranks are >= 1; keep any other value exact all the same
  rewindow(unit, lo, static_cast<std::size_t>(hi - lo + 1));
}

void rank_histogram::add(std::size_t unit, int rank, std::uint64_t count) {
  if (count == 0) return;
  if (window_[unit].size == 0) to_window(unit);   // a tally is dense: counts, not a list
  grow(unit, rank);
  counts_[window_[unit].at + static_cast<std::size_t>(rank - lo_[unit])] += count;
}

void rank_histogram::add_sample(std::size_t unit, int rank) {
  if (list_[unit].size == list_[unit].capacity) reserve_list(unit, std::max<std::size_t>(8, 2 * list_[unit].capacity));
  slot& l = list_[unit];
  samples_[l.at + l.size++] = rank;
  sorted_ = false;
  // Switch to counts once the list outgrows the range it covers (checked at powers of two).
  const std::size_t n = l.size;
  if (n >= 32 && (n & (n - 1)) == 0) {
    const auto [lo, hi] = std::minmax_element(list_data(unit), list_data(unit) + n);
    if (n > static_cast<std::size_t>(*hi - *lo + 1)) to_window(unit);
  }
}

void rank_histogram::to_window(std::size_t unit) {
  slot& l = list_[unit];
  if (l.size == 0) return;
  const int* ranks = list_data(unit);
  const auto [lo, hi] = std::minmax_element(ranks, ranks + l.size);
  rewindow(unit, *lo, static_cast<std::size_t>(*hi - *lo + 1));
  std::uint64_t* c = counts_.data() + window_[unit].at;
  for (std::size_t i = 0; i < l.size; ++i) ++c[static_cast<std::size_t>(ranks[i] - lo_[unit])];
  l = slot{};   // its ranks stay behind as a hole in samples_
}

namespace detail {
// Long lists (large pools) span a few thousand ranks at most: an LSD radix sort by bytes of
// (rank - min) is linear, where a comparison sort of every unit's list was a quarter of a
// 10 000-unit analysis.
void sort_rank_list(int* ranks, std::size_t n, std::vector<int>& scratch) {
  int* const end = ranks + n;
  if (std::is_sorted(ranks, end)) return;   // lists built in order
  if (n < 256) {
    std::sort(ranks, end);
    return;
  }
  const auto [lo_it, hi_it] = std::minmax_element(ranks, end);
  const int lo = *lo_it;
  const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(*hi_it) - lo);
  if (span >= (std::uint64_t{1} << 24)) {
    std::sort(ranks, end);
    return;
  }
  scratch.resize(n);
  int* from = ranks;
  int* to = scratch.data();
  for (int shift = 0; shift < 24 && (span >> shift) > 0; shift += 8) {
    std::size_t count[257] = {};
    for (std::size_t i = 0; i < n; ++i) ++count[((static_cast<std::uint32_t>(from[i] - lo) >> shift) & 0xFF) + 1];
    for (std::size_t d = 1; d < 257; ++d) count[d] += count[d - 1];
    for (std::size_t i = 0; i < n; ++i) to[count[(static_cast<std::uint32_t>(from[i] - lo) >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  if (from != ranks) std::copy_n(from, n, ranks);
}
}  // namespace detail

void rank_histogram::normalise() {
  if (sorted_) return;
  sorted_ = true;
  std::vector<int> scratch;
  for (const slot& l : list_) detail::sort_rank_list(samples_.data() + l.at, l.size, scratch);
}

void rank_histogram::merge(const rank_histogram& other) {
  if (unit_count() == 0) {
    *this = other;
    normalise();
    return;
  }
  if (other.unit_count() != unit_count()) throw error("rank histograms of different unit counts cannot be merged");
  for (std::size_t u = 0; u < unit_count(); ++u) {
    const slot ow = other.window_[u], ol = other.list_[u];
    if (ow.size > 0 && window_[u].size == 0) to_window(u);   // stays empty when this unit has no ranks yet
    if (window_[u].size == 0 && ow.size == 0) {   // both lists: concatenate
      if (ol.size == 0) continue;
      reserve_list(u, list_[u].size + ol.size);
      slot& l = list_[u];
      std::copy_n(other.list_data(u), ol.size, samples_.begin() + static_cast<std::ptrdiff_t>(l.at + l.size));
      l.size += ol.size;
      sorted_ = false;
      if (l.size >= 32) {
        const auto [lo, hi] = std::minmax_element(list_data(u), list_data(u) + l.size);
        if (l.size > static_cast<std::size_t>(*hi - *lo + 1)) to_window(u);
      }
      continue;
    }
    for (std::size_t i = 0; i < ol.size; ++i) add(u, other.list_data(u)[i]);
    if (ow.size == 0) continue;
    const int olo = other.lo_[u];
    grow(u, olo);
    grow(u, olo + static_cast<int>(ow.size) - 1);
    std::uint64_t* c = counts_.data() + window_[u].at + static_cast<std::size_t>(olo - lo_[u]);
    const std::uint64_t* oc = other.window_data(u);
    for (std::size_t i = 0; i < ow.size; ++i) c[i] += oc[i];
  }
  normalise();
}

std::uint64_t rank_histogram::total(std::size_t unit) const {
  const slot& w = window_.at(unit);
  if (w.size == 0) return list_[unit].size;
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < w.size; ++i) n += window_data(unit)[i];
  return n;
}

std::uint64_t rank_histogram::count(std::size_t unit, int rank) const {
  const slot& w = window_.at(unit);
  if (w.size == 0) {
    const int* l = list_data(unit);
    const auto range = std::equal_range(l, l + list_[unit].size, rank);
    return static_cast<std::uint64_t>(range.second - range.first);
  }
  const int i = rank - lo_[unit];
  return (i < 0 || i >= static_cast<int>(w.size)) ? 0 : window_data(unit)[i];
}

int rank_histogram::min_rank(std::size_t unit) const {
  const slot& w = window_.at(unit);
  if (w.size == 0) return list_[unit].size == 0 ? 0 : list_data(unit)[0];
  for (std::size_t i = 0; i < w.size; ++i)
    if (window_data(unit)[i]) return lo_[unit] + static_cast<int>(i);
  return 0;
}

int rank_histogram::max_rank(std::size_t unit) const {
  const slot& w = window_.at(unit);
  if (w.size == 0) return list_[unit].size == 0 ? -1 : list_data(unit)[list_[unit].size - 1];
  for (std::size_t i = w.size; i-- > 0;)
    if (window_data(unit)[i]) return lo_[unit] + static_cast<int>(i);
  return -1;
}

int rank_histogram::order_statistic(std::size_t unit, std::uint64_t k) const {
  const slot& w = window_[unit];
  if (w.size == 0) return list_data(unit)[k];
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < w.size; ++i) {
    seen += window_data(unit)[i];
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
  std::uint64_t n = list_.at(unit).size;
  std::int64_t sum = 0;   // exact: integer ranks times counts
  for (std::size_t i = 0; i < n; ++i) sum += list_data(unit)[i];
  for (std::size_t i = 0; i < window_[unit].size; ++i) {
    n += window_data(unit)[i];
    sum += static_cast<std::int64_t>(window_data(unit)[i]) * (lo_[unit] + static_cast<int>(i));
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

std::vector<std::vector<std::uint64_t>> rank_histogram::windows() const {
  std::vector<std::vector<std::uint64_t>> out(unit_count());
  for (std::size_t u = 0; u < unit_count(); ++u) out[u].assign(window_data(u), window_data(u) + window_[u].size);
  return out;
}

std::vector<std::vector<int>> rank_histogram::lists() const {
  std::vector<std::vector<int>> out(unit_count());
  for (std::size_t u = 0; u < unit_count(); ++u) out[u].assign(list_data(u), list_data(u) + list_[u].size);
  return out;
}

rank_histogram rank_histogram::from_storage(std::vector<int> starts, std::vector<std::vector<std::uint64_t>> counts,
                                            std::vector<std::vector<int>> lists) {
  if (starts.size() != counts.size() || lists.size() != counts.size())
    throw error("rank histogram: window starts, counts and lists differ in length");
  std::vector<slot> windows(counts.size()), listed(lists.size());
  std::vector<std::uint64_t> cells;
  rank_samples samples;
  for (std::size_t u = 0; u < counts.size(); ++u) {
    windows[u] = {cells.size(), counts[u].size(), counts[u].size()};
    cells.insert(cells.end(), counts[u].begin(), counts[u].end());
    listed[u] = {samples.size(), lists[u].size(), lists[u].size()};
    samples.insert(samples.end(), lists[u].begin(), lists[u].end());
  }
  return adopt(std::move(starts), std::move(windows), std::move(cells), std::move(listed), std::move(samples));
}

rank_histogram rank_histogram::adopt(std::vector<int> starts, std::vector<slot> windows, std::vector<std::uint64_t> counts,
                                     std::vector<slot> lists, rank_samples samples, bool lists_sorted) {
  if (starts.size() != windows.size() || lists.size() != windows.size())
    throw error("rank histogram: window starts, windows and lists differ in length");
  for (std::size_t u = 0; u < windows.size(); ++u) {
    const slot& w = windows[u];
    const slot& l = lists[u];
    if (w.size > 0 && l.size > 0) throw error(fmt::format("rank histogram: unit {} has both counts and a list", u));
    if (w.size > w.capacity || w.at + w.capacity > counts.size() || l.size > l.capacity || l.at + l.capacity > samples.size())
      throw error(fmt::format("rank histogram: unit {}'s storage lies outside its array", u));
  }
  rank_histogram h;
  h.lo_ = std::move(starts);
  h.window_ = std::move(windows);
  h.counts_ = std::move(counts);
  h.list_ = std::move(lists);
  h.samples_ = std::move(samples);
  h.sorted_ = lists_sorted;
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
