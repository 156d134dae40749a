#include "parkscore/methods/rank.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>

#include "engine/column_kernels.hpp"
#include "engine/parallel.hpp"
#include "engine/scratch.hpp"
#include "methods/small_sort.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

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

// A pool's sort item: the key on a fixed-point scale (22 or 32 bits) in the high half, the
// row in the low half. Sorting the integers sorts by (q, row).
using sort_item = std::uint64_t;
std::uint32_t q_of(sort_item it) { return static_cast<std::uint32_t>(it >> 32); }
std::uint32_t row_of(sort_item it) { return static_cast<std::uint32_t>(it); }
sort_item make_item(std::uint32_t q, std::uint32_t row) { return std::uint64_t{q} << 32 | row; }

// The key a rank is taken on: rounded if the rule says so, negated for descending order,
// so that a smaller key is a better rank.
struct key_rule {
  double scale = 0.0;   // 10^decimals, or 0: no rounding
  bool descending = true;
  explicit key_rule(const ranking& rule)
      : scale(rule.round_decimals >= 0 ? std::pow(10.0, rule.round_decimals) : 0.0),
        descending(rule.order == rank_order::descending) {}
  double operator()(double v) const {
    if (scale > 0) v = std::round(v * scale) / scale;
    return descending ? -v : v;
  }
};

// Digit d (of `digit_bits` bits, from the lowest) of an item's q.
template <int digit_bits>
std::uint32_t digit_of(sort_item it, int d) {
  return (q_of(it) >> (digit_bits * d)) & ((std::uint32_t{1} << digit_bits) - 1);
}

// Counts of digits per chunk, counts[t * buckets + b], turned into where each chunk's first
// item of each bucket goes: bucket by bucket, the chunks in order. One chunk: the plain
// prefix sums of a radix pass.
[[gnu::always_inline]] inline void bucket_offsets(std::uint32_t* counts, std::uint32_t buckets, int chunks) {
  std::uint32_t offset = 0;
  for (std::uint32_t b = 0; b < buckets; ++b)
    for (int t = 0; t < chunks; ++t) {
      std::uint32_t& c = counts[static_cast<std::size_t>(t) * buckets + b];
      const std::uint32_t here = c;
      c = offset;
      offset += here;
    }
}

// Stable LSD radix sort of `items` by q, `digit_bits` a pass; a digit every key shares is
// skipped. `buffer` holds as many items; returns where the sorted items are.
template <int digit_bits, int passes>
sort_item* radix_sort(sort_item* items, sort_item* buffer, std::size_t n) {
  constexpr std::uint32_t buckets = std::uint32_t{1} << digit_bits;
  const auto digit = [](sort_item it, int d) { return digit_of<digit_bits>(it, d); };
  std::uint32_t counts[passes][buckets] = {};   // every pass's, in one read of the items
  for (std::size_t i = 0; i < n; ++i)
    for (int d = 0; d < passes; ++d) ++counts[d][digit(items[i], d)];
  for (int d = 0; d < passes; ++d) {
    std::uint32_t* count = counts[d];
    if (count[digit(items[0], d)] == n) continue;
    bucket_offsets(count, buckets, 1);
    for (std::size_t i = 0; i < n; ++i) buffer[count[digit(items[i], d)]++] = items[i];
    std::swap(items, buffer);
  }
  return items;
}

// radix_sort over contiguous chunks of the items, one per thread: in each pass every chunk
// counts its digits, then moves its items to its own part of each bucket (after the parts of
// the chunks before it), so the order is radix_sort's whatever the number of threads. A
// chunk's counts depend on the order the pass before left, so they are taken pass by pass.
template <int digit_bits, int passes>
sort_item* radix_sort_split(sort_item* items, sort_item* buffer, std::size_t n, int threads) {
  constexpr std::uint32_t buckets = std::uint32_t{1} << digit_bits;
  const auto digit = [](sort_item it, int d) { return digit_of<digit_bits>(it, d); };
  const int chunks = detail::thread_count(threads, n);
  const auto begin = [&](int t) { return n * static_cast<std::size_t>(t) / static_cast<std::size_t>(chunks); };
  std::vector<std::uint32_t> counts(static_cast<std::size_t>(chunks) * buckets);
  for (int d = 0; d < passes; ++d) {
    detail::run_on_workers(chunks, [&](int t) {
      std::uint32_t* count = &counts[static_cast<std::size_t>(t) * buckets];
      std::fill(count, count + buckets, 0u);
      for (std::size_t i = begin(t); i < begin(t + 1); ++i) ++count[digit(items[i], d)];
    });
    std::size_t sharing = 0;   // items with the first item's digit
    for (int t = 0; t < chunks; ++t) sharing += counts[static_cast<std::size_t>(t) * buckets + digit(items[0], d)];
    if (sharing == n) continue;
    bucket_offsets(counts.data(), buckets, chunks);
    detail::run_on_workers(chunks, [&](int t) {
      std::uint32_t* next = &counts[static_cast<std::size_t>(t) * buckets];
      for (std::size_t i = begin(t); i < begin(t + 1); ++i) buffer[next[digit(items[i], d)]++] = items[i];
    });
    std::swap(items, buffer);
  }
  return items;
}

// Ranks from rows in key order (equal keys in row order). Tie rule (docs/methods.md §3):
// keys closer than `tolerance` (1e-12 of the pool's largest |key|) tie, each compared with
// the one before it, so that two scores equal in exact arithmetic tie whatever the order of
// summation that produced their last bits. `apart(p)` may say cheaply that sorted keys p - 1
// and p are certainly further apart than the tolerance; `key(p)` is the p-th sorted key.
// Competition and dense ranks in one pass: a key tied with its predecessor takes its rank,
// any other opens a run. `row(p)` is the row of the p-th sorted key.
template <class Apart, class Key, class Row>
void competition_or_dense(std::size_t count, double tolerance, bool competition, Apart apart, Key key, Row row,
                          double* out) {
  if (count == 0) return;
  double rank = 1.0, dense = 1.0;
  out[row(0)] = 1.0;
  for (std::size_t p = 1; p < count; ++p) {
    if (apart(p) || key(p) - key(p - 1) > tolerance) {
      rank = static_cast<double>(p + 1);
      dense += 1.0;
    }
    out[row(p)] = competition ? rank : dense;
  }
}

// Competition or dense ranks from items sorted by q. A neighbour further away in q than
// `apart_gap` is certainly not tied and opens a run without a look at the scores (the usual
// case). A cluster of closer neighbours is first put in exact key order (items of equal q are
// in row order), then its ties are decided on the exact keys, as competition_or_dense does.
// Which of two equal keys comes first does not change these ranks. The rank is counted in
// whole numbers: a double carried from item to item would make each wait on the one before.
template <bool competition, class Key>
void rank_clusters(sort_item* sorted, std::size_t m, std::uint64_t apart_gap, double tolerance, Key key_of_row,
                   double* out) {
  const auto by_key = [&](sort_item a, sort_item b) { return key_of_row(row_of(a)) < key_of_row(row_of(b)); };
  std::size_t run = 0, dense = 1;   // where the present run starts; dense rank of the run
  out[row_of(sorted[0])] = 1.0;
  std::size_t p = 1;
  while (p < m) {
    // The usual case, in a loop of its own: a neighbour apart opens a run.
    for (; p < m && q_of(sorted[p]) - q_of(sorted[p - 1]) > apart_gap; ++p) {
      run = p;
      ++dense;
      out[row_of(sorted[p])] = static_cast<double>(competition ? p + 1 : dense);
    }
    if (p == m) return;
    const std::size_t first = p - 1;
    std::size_t end = p + 1;
    while (end < m && q_of(sorted[end]) - q_of(sorted[end - 1]) <= apart_gap) ++end;
    if (end - first > 16) {
      std::sort(sorted + first, sorted + end, by_key);
    } else {   // usually two or three: by insertion
      for (std::size_t i = first + 1; i < end; ++i) {
        const sort_item x = sorted[i];
        std::size_t j = i;
        for (; j > first && by_key(x, sorted[j - 1]); --j) sorted[j] = sorted[j - 1];
        sorted[j] = x;
      }
    }
    // `first` opened or joined the present run; its place's rank, perhaps another unit now.
    out[row_of(sorted[first])] = static_cast<double>(competition ? run + 1 : dense);
    for (std::size_t c = first + 1; c < end; ++c) {
      if (key_of_row(row_of(sorted[c])) - key_of_row(row_of(sorted[c - 1])) > tolerance) {
        run = c;
        ++dense;
      }
      out[row_of(sorted[c])] = static_cast<double>(competition ? run + 1 : dense);
    }
    p = end;
  }
}

static_assert(detail::small_sort_capacity <= (std::size_t{1} << detail::small_place_bits), "a place takes 9 bits");

// Competition or dense ranks of a complete pool of at most 512 units (a province's zones), in
// row order and without rounding: the 32-bit keys (q, row) sorted by the network and ranked
// straight from them, each apart from the one before, so that the rank is the place. Near a
// tie, rank_clusters decides on the same items the general path sorts.
template <class Key>
void rank_small_pool(const double* scores, std::size_t n, bool descending, double lo, double scale, bool competition,
                     std::uint64_t apart_gap, double tolerance, Key key_of_row, double* out) {
  constexpr int place_bits = detail::small_place_bits;
  constexpr std::uint32_t place_mask = (1u << place_bits) - 1;
  std::uint32_t keys[detail::small_sort_capacity];
  detail::quantise_small(scores, n, descending, lo, scale, keys);
  detail::sort_small_keys(keys, n);
  // q < 2^22, so a gap beyond 2^32 - 1 is no gap; places and ranks fit 32-bit integers,
  // whose conversion to double is one instruction.
  const auto gap = static_cast<std::uint32_t>(std::min<std::uint64_t>(apart_gap, ~std::uint32_t{0}));
  std::uint32_t near = 0;   // some neighbours within the gap: perhaps a tie (a loop that vectorises)
  for (std::size_t p = 1; p < n; ++p)
    near |= static_cast<std::uint32_t>((keys[p] >> place_bits) - (keys[p - 1] >> place_bits) <= gap);
  if (near == 0) {
    for (std::size_t p = 0; p < n; ++p)
      out[keys[p] & place_mask] = static_cast<double>(static_cast<std::int32_t>(p + 1));
    return;
  }
  sort_item items[detail::small_sort_capacity];
  for (std::size_t i = 0; i < n; ++i) items[i] = make_item(keys[i] >> place_bits, keys[i] & place_mask);
  if (competition)
    rank_clusters<true>(items, n, apart_gap, tolerance, key_of_row, out);
  else
    rank_clusters<false>(items, n, apart_gap, tolerance, key_of_row, out);
}

template <class Apart, class Key>
void assign_ranks(std::uint32_t* order, std::size_t count, double tolerance, const ranking& rule,
                  const std::vector<std::string>* ids, Apart apart, Key key, double* out) {
  if (rule.method == rank_method::competition || rule.method == rank_method::dense)
    return competition_or_dense(count, tolerance, rule.method == rank_method::competition, apart, key,
                                [order](std::size_t p) { return order[p]; }, out);
  std::size_t start = 0;
  double dense = 0.0;
  while (start < count) {
    std::size_t end = start + 1;
    while (end < count && !apart(end) && key(end) - key(end - 1) <= tolerance) ++end;
    if (rule.method == rank_method::ordinal && end - start > 1) {
      if (rule.ties == tie_break::unit_id && ids != nullptr)
        std::stable_sort(order + start, order + end,
                         [&](std::uint32_t a, std::uint32_t b) { return (*ids)[a] < (*ids)[b]; });
      else
        std::sort(order + start, order + end);
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
      out[order[pos]] = r;
    }
    start = end;
  }
}

// Small pools: (key bits, row) pairs by a comparison sort.
void rank_by_sort(const double* scores, const std::uint32_t* rows, std::size_t n, const ranking& rule,
                  const std::vector<std::string>* ids, double* out) {
  const key_rule key_of(rule);
  std::vector<keyed_row> items;
  items.reserve(n);
  double largest = 0.0;
  for (std::size_t r = 0; r < n; ++r) {
    const double v = scores[rows[r]];
    if (std::isnan(v)) continue;
    const double k = key_of(v);
    largest = std::max(largest, std::abs(k));
    items.push_back({ordered_bits(k), rows[r]});
  }
  if (items.empty()) return;
  std::sort(items.begin(), items.end(), [](const keyed_row& a, const keyed_row& b) {
    return a.bits != b.bits ? a.bits < b.bits : a.row < b.row;   // rows ascending: stable
  });
  std::vector<std::uint32_t> order(items.size());
  std::vector<double> keys(items.size());
  for (std::size_t p = 0; p < items.size(); ++p) {
    order[p] = items[p].row;
    keys[p] = from_ordered_bits(items[p].bits);
  }
  assign_ranks(order.data(), order.size(), 1e-12 * largest, rule, ids, [](std::size_t) { return false; },
               [&](std::size_t p) { return keys[p]; }, out);
}

}  // namespace

namespace detail {

// The keys mapped onto fixed point, q = floor((key - min) * q_max / (max - min)) with q_max = 2^22 - 1
// below 2^16 keys and 2^32 - 1 above: a monotone map, so sorting by q orders the keys except
// within runs of equal q, which are then sorted by the exact key. Pools of more than 512 keys
// sort by LSD radix passes over 8-byte (q, row) items, smaller ones by a sorting network of
// (q, place) packed into 32 bits. Consecutive q further apart than the tie tolerance on the q scale
// (plus the map's rounding) are certainly not tied, so the exact keys are looked up only near ties.
void rank_rows(const double* scores, const std::uint32_t* rows, std::size_t n, const ranking& rule,
               const std::vector<std::string>* ids, double* out, std::size_t clear_length, int threads) {
  const key_rule key_of(rule);
  // Rows 0..n-1 (a pool of every unit, the usual case): read the column directly.
  const bool contiguous = n > 0 && rows[0] == 0 && rows[n - 1] == n - 1;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t present = 0;
  if (contiguous) {   // the key is monotone in the score: its range is that of the extremes' keys
    const detail::value_range range = detail::range_of(scores, n);
    present = range.present;
    if (present > 0) {
      lo = std::min(key_of(range.min), key_of(range.max));
      hi = std::max(key_of(range.min), key_of(range.max));
    }
  } else {
    for (std::size_t r = 0; r < n; ++r) {
      const double v = scores[rows[r]];
      if (std::isnan(v)) continue;
      const double k = key_of(v);
      lo = std::min(lo, k);
      hi = std::max(hi, k);
      ++present;
    }
  }
  if (clear_length > 0 && !(contiguous && present == n && n == clear_length))
    std::fill(out, out + clear_length, std::numeric_limits<double>::quiet_NaN());
  // Fewer bits for smaller pools: two radix passes instead of three below 2^16 keys, the
  // collisions this adds being rare and settled by the exact keys.
  const double q_max = present < (std::size_t{1} << 16) ? 4194303.0 : 4294967295.0;   // 2^22 - 1, 2^32 - 1
  const double scale = q_max / (hi - lo);
  if (present == 0 || !(hi > lo) || !std::isfinite(scale) || !(scale > 0))
    return rank_by_sort(scores, rows, n, rule, ids, out);   // all equal, infinite or a degenerate range

  auto exact = [&](std::uint32_t row) { return key_of(scores[row]); };
  const double tolerance = 1e-12 * std::max(std::abs(lo), std::abs(hi));
  // q = floor(x) for x = (key - lo) * scale as computed, within 2^-19 of the exact value (three
  // roundings, each under 2^-21 of a number below 2^32). So x_b - x_a > q_b - q_a - 1 - 2^-18,
  // and keys whose q are more than tolerance * scale + 1 apart are further apart than the
  // tolerance: with half a step to spare, gaps beyond tolerance * scale + 1.5 are apart. The gaps
  // are whole numbers, so comparing with the floor of that is the same test. (At 10^6 skewed
  // scores on 32-bit keys this leaves 3 700 neighbours to compare exactly: 17 000 on 31 bits
  // with the margin of 3 used before.)
  const double apart_q = tolerance * scale + 1.5;
  const std::uint64_t apart_gap = apart_q < 4294967296.0 ? static_cast<std::uint64_t>(apart_q) : ~std::uint64_t{0};
  const bool shared_ranks = rule.method == rank_method::competition || rule.method == rank_method::dense;
  if (shared_ranks && contiguous && present == n && key_of.scale == 0 && n <= detail::small_sort_capacity &&
      q_max == detail::small_q_max)
    return rank_small_pool(scores, n, key_of.descending, lo, scale, rule.method == rank_method::competition,
                           apart_gap, tolerance, exact, out);

  const detail::scratch_lease memory(present * 2 + present / 2 + 1);   // items, buffer, order
  auto* items = reinterpret_cast<sort_item*>(memory.data());
  auto* buffer = items + present;
  auto* order = reinterpret_cast<std::uint32_t*>(buffer + present);
  std::size_t m = 0;
  if (contiguous && present == n && key_of.scale == 0) {   // no gaps, no rounding: a loop that vectorises
    detail::quantise(scores, n, key_of.descending, lo, scale, q_max, items);
    m = n;
  } else {
    for (std::size_t r = 0; r < n; ++r) {
      const double v = scores[rows[r]];
      if (std::isnan(v)) continue;
      const double q = std::min((key_of(v) - lo) * scale, q_max);
      items[m++] = make_item(static_cast<std::uint32_t>(q), rows[r]);
    }
  }
  sort_item* sorted = items;
  if (m > detail::small_sort_capacity) {   // the network's 512 keys take 0.7 µs, radix passes more
    // Below 2^16 keys two passes of 11 bits (2 048 buckets), three up to 3 * 2^18 keys. Beyond,
    // the items (6 MB) no longer stay in the caches between passes, and four passes of 8 bits
    // beat three of 11: 256 buckets, whose lines the cache can hold open while the items are
    // scattered (one column of 10^6 skewed scores: 9.7-10.5 against 10.8-13.3 ms; at 7 * 10^5
    // about even; docs/performance.md).
    // With threads and 2^16 keys or more, each pass over chunks in parallel (the same order).
    const bool split = threads != 1 && m >= (std::size_t{1} << 16);
    if (q_max < 4194304.0)
      sorted = radix_sort<11, 2>(items, buffer, m);
    else if (m < 3 * (std::size_t{1} << 18))
      sorted = split ? radix_sort_split<11, 3>(items, buffer, m, threads) : radix_sort<11, 3>(items, buffer, m);
    else
      sorted = split ? radix_sort_split<8, 4>(items, buffer, m, threads) : radix_sort<8, 4>(items, buffer, m);
  } else {
    // Small pools: (q, place) packed into 32 bits (q below 2^22, the place below 2^9) and
    // sorted by a network (small_sort.cpp); places follow the rows, which increase, so the
    // order is the one (q, row) gives.
    constexpr int place_bits = detail::small_place_bits;
    std::uint32_t keys[detail::small_sort_capacity];
    for (std::size_t p = 0; p < m; ++p) keys[p] = q_of(items[p]) << place_bits | static_cast<std::uint32_t>(p);
    detail::sort_small_keys(keys, m);
    for (std::size_t p = 0; p < m; ++p) buffer[p] = items[keys[p] & ((1u << place_bits) - 1)];
    sorted = buffer;
  }
  if (rule.method == rank_method::competition || rule.method == rank_method::dense)
    return rule.method == rank_method::competition ? rank_clusters<true>(sorted, m, apart_gap, tolerance, exact, out)
                                                   : rank_clusters<false>(sorted, m, apart_gap, tolerance, exact, out);

  // Ordinal and fractional ranks: items of equal q put in exact key order first (rows stay
  // ascending: stable), usually runs of two or three, sorted by insertion.
  auto order_run = [&](std::size_t p, std::size_t e) {
    const auto before = [&](sort_item a, sort_item b) { return exact(row_of(a)) < exact(row_of(b)); };
    if (e - p > 16) {
      std::stable_sort(sorted + p, sorted + e, before);
      return;
    }
    for (std::size_t i = p + 1; i < e; ++i) {
      const sort_item x = sorted[i];
      std::size_t j = i;
      for (; j > p && before(x, sorted[j - 1]); --j) sorted[j] = sorted[j - 1];
      sorted[j] = x;
    }
  };
  for (std::size_t p = 0; p + 1 < m; ++p) {
    if (q_of(sorted[p]) != q_of(sorted[p + 1])) continue;
    std::size_t e = p + 2;
    while (e < m && q_of(sorted[e]) == q_of(sorted[p])) ++e;
    order_run(p, e);
    p = e - 1;
  }
  auto apart = [sorted, apart_gap](std::size_t p) { return q_of(sorted[p]) - q_of(sorted[p - 1]) > apart_gap; };
  for (std::size_t p = 0; p < m; ++p) order[p] = row_of(sorted[p]);
  assign_ranks(order, m, tolerance, rule, ids, apart, [&](std::size_t p) { return exact(order[p]); }, out);
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
