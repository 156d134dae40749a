#include "parkscore/analysis/rank_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "parkscore/error.hpp"

namespace parkscore {

void rank_histogram::grow(std::size_t unit, int rank) {
  auto& c = counts_[unit];
  if (c.empty()) {
    lo_[unit] = rank;
    c.assign(1, 0);
    return;
  }
  const int lo = std::min(lo_[unit], rank);
  const int hi = std::max(lo_[unit] + static_cast<int>(c.size()) - 1, rank);
  std::vector<std::uint64_t> wider(static_cast<std::size_t>(hi - lo + 1), 0);
  std::copy(c.begin(), c.end(), wider.begin() + (lo_[unit] - lo));
  c.swap(wider);
  lo_[unit] = lo;
}

void rank_histogram::merge(const rank_histogram& other) {
  if (counts_.empty()) {
    *this = other;
    return;
  }
  if (other.unit_count() != unit_count()) throw error("rank histograms of different unit counts cannot be merged");
  for (std::size_t u = 0; u < counts_.size(); ++u) {
    const auto& oc = other.counts_[u];
    if (oc.empty()) continue;
    const int olo = other.lo_[u];
    grow(u, olo);
    grow(u, olo + static_cast<int>(oc.size()) - 1);
    for (std::size_t i = 0; i < oc.size(); ++i) counts_[u][static_cast<std::size_t>(olo - lo_[u]) + i] += oc[i];
  }
}

std::uint64_t rank_histogram::total(std::size_t unit) const {
  std::uint64_t n = 0;
  for (auto c : counts_.at(unit)) n += c;
  return n;
}

std::uint64_t rank_histogram::count(std::size_t unit, int rank) const {
  const auto& c = counts_.at(unit);
  const int i = rank - lo_[unit];
  return (c.empty() || i < 0 || i >= static_cast<int>(c.size())) ? 0 : c[static_cast<std::size_t>(i)];
}

int rank_histogram::min_rank(std::size_t unit) const {
  const auto& c = counts_.at(unit);
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i]) return lo_[unit] + static_cast<int>(i);
  return 0;
}

int rank_histogram::max_rank(std::size_t unit) const {
  const auto& c = counts_.at(unit);
  for (std::size_t i = c.size(); i-- > 0;)
    if (c[i]) return lo_[unit] + static_cast<int>(i);
  return -1;
}

int rank_histogram::order_statistic(std::size_t unit, std::uint64_t k) const {
  const auto& c = counts_[unit];
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

rank_histogram rank_histogram::from_windows(std::vector<int> starts, std::vector<std::vector<std::uint64_t>> counts) {
  if (starts.size() != counts.size()) throw error("rank histogram: window starts and counts differ in length");
  rank_histogram h;
  h.lo_ = std::move(starts);
  h.counts_ = std::move(counts);
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
