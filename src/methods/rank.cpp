#include "parkscore/methods/rank.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>

#include "engine/fresh_memory.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

// Below this many units a comparison sort beats the radix passes.
constexpr std::size_t radix_threshold = 512;
constexpr int digit_bits = 11;   // 2048 buckets: the six histograms fit in the L1 cache
constexpr int digit_count = 6;   // 6 x 11 >= 64
constexpr std::size_t buckets = std::size_t{1} << digit_bits;

// The double's bits as an unsigned key with the same order (IEEE 754 total order for
// non-NaN values; -0 sorts just before +0, which the tie rule below then joins).
std::uint64_t ordered_bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
}

double from_ordered_bits(std::uint64_t u) {
  u = (u >> 63) != 0 ? u & ~(std::uint64_t{1} << 63) : ~u;
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

struct keyed_row {
  std::uint64_t bits;
  std::uint32_t row;
};

// Stable LSD radix sort by `bits` in 11-bit digits; a digit every key shares is skipped
// (the high digits of scores in a narrow range).
void radix_sort(std::vector<keyed_row>& items) {
  std::uint32_t counts[digit_count][buckets] = {};
  for (const keyed_row& k : items)
    for (int d = 0; d < digit_count; ++d) ++counts[d][(k.bits >> (digit_bits * d)) & (buckets - 1)];
  std::vector<keyed_row> buffer;
  detail::reserve_fresh(buffer, items.size());
  buffer.resize(items.size());
  for (int d = 0; d < digit_count; ++d) {
    std::uint32_t* count = counts[d];
    const std::uint64_t first = (items.front().bits >> (digit_bits * d)) & (buckets - 1);
    if (count[first] == items.size()) continue;
    std::uint32_t offset = 0;
    for (std::size_t b = 0; b < buckets; ++b) {
      const std::uint32_t c = count[b];
      count[b] = offset;
      offset += c;
    }
    for (const keyed_row& k : items) buffer[count[(k.bits >> (digit_bits * d)) & (buckets - 1)]++] = k;
    items.swap(buffer);
  }
}

}  // namespace

namespace detail {

void rank_rows(const double* scores, const std::uint32_t* rows, std::size_t n, const ranking& rule,
               const std::vector<std::string>* ids, double* out) {
  const double scale = rule.round_decimals >= 0 ? std::pow(10.0, rule.round_decimals) : 0.0;
  // Sort keys: smaller key = better rank; rows in input order, so equal keys keep it.
  std::vector<keyed_row> items;
  detail::reserve_fresh(items, n);
  double largest = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    double v = scores[rows[r]];
    if (std::isnan(v)) continue;
    if (scale > 0) v = std::round(v * scale) / scale;
    v = rule.order == rank_order::descending ? -v : v;
    largest = std::max(largest, std::abs(v));
    items.push_back({ordered_bits(v), rows[r]});
  }
  if (items.empty()) return;
  if (items.size() >= radix_threshold)
    radix_sort(items);
  else
    std::sort(items.begin(), items.end(), [](const keyed_row& a, const keyed_row& b) {
      return a.bits != b.bits ? a.bits < b.bits : a.row < b.row;   // rows ascending: stable
    });

  // Tie rule (docs/methods.md §3): scores closer than 1e-12 of the pool's largest |score|
  // tie, each compared with the one before it, so that two scores equal in exact arithmetic
  // tie whatever the order of summation that produced their last bits.
  const double tolerance = 1e-12 * largest;
  auto value_at = [&](std::size_t p) { return from_ordered_bits(items[p].bits); };   // the key, without a lookup
  std::size_t start = 0;
  double dense = 0.0;
  while (start < items.size()) {
    std::size_t end = start + 1;
    while (end < items.size() && value_at(end) - value_at(end - 1) <= tolerance) ++end;
    if (rule.method == rank_method::ordinal && end - start > 1) {
      const auto first = items.begin() + static_cast<std::ptrdiff_t>(start);
      const auto last = items.begin() + static_cast<std::ptrdiff_t>(end);
      if (rule.ties == tie_break::unit_id && ids != nullptr)
        std::stable_sort(first, last, [&](const keyed_row& a, const keyed_row& b) { return (*ids)[a.row] < (*ids)[b.row]; });
      else
        std::sort(first, last, [](const keyed_row& a, const keyed_row& b) { return a.row < b.row; });
    }
    dense += 1.0;
    for (std::size_t pos = start; pos < end; ++pos) {
      double r = 0.0;
      switch (rule.method) {
        case rank_method::competition: r = static_cast<double>(start + 1); break;
        case rank_method::dense: r = dense; break;
        case rank_method::ordinal: r = static_cast<double>(pos + 1); break;
        case rank_method::fractional: r = 0.5 * static_cast<double>(start + 1 + end); break;
      }
      out[items[pos].row] = r;
    }
    start = end;
  }
}

}  // namespace detail

Eigen::VectorXd rank_scores(const Eigen::Ref<const Eigen::VectorXd>& scores, const ranking& rule,
                            const std::vector<bool>& eligible, const std::vector<std::string>& ids) {
  const Eigen::Index n = scores.size();
  if (rule.ties == tie_break::unit_id && ids.size() != static_cast<std::size_t>(n))
    throw error(fmt::format("ranking by unit id needs {} ids, got {}", n, ids.size()));
  std::vector<std::uint32_t> rows;
  rows.reserve(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    if (eligible.empty() || eligible[static_cast<std::size_t>(i)]) rows.push_back(static_cast<std::uint32_t>(i));
  const Eigen::VectorXd values = scores;   // contiguous, whatever the caller's stride
  Eigen::VectorXd rank = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN());
  detail::rank_rows(values.data(), rows.data(), rows.size(), rule, rule.ties == tie_break::unit_id ? &ids : nullptr,
                    rank.data());
  return rank;
}

}  // namespace parkscore
