// Outranking matrix and Condorcet-Kemeny ranking: exact dynamic programming
// over subsets for small sets, a bounded local search beyond.
#include "parkscore/methods/outranking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "methods/mcda_names.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

std::string label(const std::vector<std::string>& ids, Eigen::Index i, const char* kind) {
  const auto k = static_cast<std::size_t>(i);
  return k < ids.size() ? fmt::format("{} '{}'", kind, ids[k]) : fmt::format("{} {}", kind, i + 1);
}

void check_square(const Eigen::Ref<const Eigen::MatrixXd>& e) {
  if (e.rows() != e.cols()) throw method_error(fmt::format("Kemeny: the outranking matrix is {} x {}, not square",
                                                           e.rows(), e.cols()));
  if (!e.allFinite()) throw method_error("Kemeny: the outranking matrix has a missing or infinite entry");
}

kemeny_result finish(const Eigen::Ref<const Eigen::MatrixXd>& e, std::vector<std::size_t> order, double upper,
                     bool exact) {
  kemeny_result r;
  r.order = std::move(order);
  r.rank.resize(e.rows());
  for (std::size_t p = 0; p < r.order.size(); ++p) r.rank[static_cast<Eigen::Index>(r.order[p])] = static_cast<double>(p + 1);
  r.score = kemeny_score(e, r.order);
  r.upper_bound = exact ? r.score : upper;
  r.gap = std::max(0.0, r.upper_bound - r.score);
  r.exact = exact || r.gap <= 1e-12 * std::max(1.0, upper);
  return r;
}

// f(S) = best score of ranking the units of S in the top |S| places, counting
// pairs inside S; adding v below all of S earns sum_{u in S} e(u, v).
// f(S) = max_{v in S} f(S \ v) + in(S \ v, v), where in(T, v) = sum_{u in T} e(u, v)
// is looked up from two half tables (low and high bits of T), so each state costs O(n).
std::vector<std::size_t> kemeny_exact(const Eigen::Ref<const Eigen::MatrixXd>& e) {
  const auto n = static_cast<std::size_t>(e.rows());
  if (n == 0) return {};
  const std::size_t low_bits = n / 2;
  const std::size_t high_bits = n - low_bits;
  const std::size_t low_size = std::size_t{1} << low_bits;
  const std::size_t high_size = std::size_t{1} << high_bits;
  std::vector<double> low(n * low_size), high(n * high_size);
  for (std::size_t v = 0; v < n; ++v) {
    double* lo = &low[v * low_size];
    double* hi = &high[v * high_size];
    lo[0] = 0.0;
    hi[0] = 0.0;
    for (std::size_t t = 1; t < low_size; ++t) {
      const auto u = static_cast<std::size_t>(std::countr_zero(t));
      lo[t] = lo[t & (t - 1)] + e(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(v));
    }
    for (std::size_t t = 1; t < high_size; ++t) {
      const auto u = static_cast<std::size_t>(std::countr_zero(t)) + low_bits;
      hi[t] = hi[t & (t - 1)] + e(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(v));
    }
  }
  const std::size_t states = std::size_t{1} << n;
  const std::size_t low_mask = low_size - 1;
  std::vector<double> best(states, 0.0);
  std::vector<unsigned char> last(states, 0);   // the unit placed lowest in the best ranking of S
  for (std::size_t s = 1; s < states; ++s) {
    double top = -1.0;
    unsigned char arg = 0;
    for (std::size_t rest = s; rest; rest &= rest - 1) {
      const auto v = static_cast<std::size_t>(std::countr_zero(rest));
      const std::size_t t = s & ~(std::size_t{1} << v);
      const double value = best[t] + low[v * low_size + (t & low_mask)] + high[v * high_size + (t >> low_bits)];
      if (value > top) {
        top = value;
        arg = static_cast<unsigned char>(v);
      }
    }
    best[s] = top;
    last[s] = arg;
  }
  std::vector<std::size_t> order(n);
  std::size_t s = states - 1;
  for (std::size_t p = n; p-- > 0;) {
    order[p] = last[s];
    s &= ~(std::size_t{1} << last[s]);
  }
  return order;
}

// Insertion local search: move one unit to another place while that raises the
// score (adjacent swaps are the moves by one place). Each pass tries every unit
// at every place, O(n^2) with running deltas, and takes the best move.
std::vector<std::size_t> local_search(const Eigen::Ref<const Eigen::MatrixXd>& e, std::vector<std::size_t> order,
                                      std::size_t max_passes, std::size_t& passes) {
  const std::size_t n = order.size();
  auto at = [&](std::size_t a, std::size_t b) {
    return e(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b));
  };
  for (passes = 0; passes < max_passes; ++passes) {
    double best_gain = 1e-12;
    std::size_t from = n, to = n;
    for (std::size_t p = 0; p < n; ++p) {
      const std::size_t v = order[p];
      double gain = 0.0;   // moving v up past order[q]: gains e(v, u) - e(u, v)
      for (std::size_t q = p; q-- > 0;) {
        gain += at(v, order[q]) - at(order[q], v);
        if (gain > best_gain) best_gain = gain, from = p, to = q;
      }
      gain = 0.0;          // moving v down past order[q]: gains e(u, v) - e(v, u)
      for (std::size_t q = p + 1; q < n; ++q) {
        gain += at(order[q], v) - at(v, order[q]);
        if (gain > best_gain) best_gain = gain, from = p, to = q;
      }
    }
    if (from == n) break;
    const std::size_t v = order[from];
    order.erase(order.begin() + static_cast<std::ptrdiff_t>(from));
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(to), v);
  }
  return order;
}

// Units sorted by a score, best first; equal scores keep index order.
std::vector<std::size_t> order_by(const Eigen::VectorXd& key) {
  std::vector<std::size_t> order(static_cast<std::size_t>(key.size()));
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return key[static_cast<Eigen::Index>(a)] > key[static_cast<Eigen::Index>(b)];
  });
  return order;
}

}  // namespace

std::string to_string(kemeny_solver s) { return std::string(detail::name_of(detail::kemeny_solver_names, s)); }

Eigen::MatrixXd outranking_matrix(const Eigen::Ref<const Eigen::MatrixXd>& y,
                                  const Eigen::Ref<const Eigen::VectorXd>& weights, const outranking_options& options,
                                  const std::vector<std::string>& unit_ids,
                                  const std::vector<std::string>& indicator_ids) {
  if (weights.size() != y.cols())
    throw method_error(fmt::format("outranking: {} weights for {} indicators", weights.size(), y.cols()));
  for (Eigen::Index j = 0; j < weights.size(); ++j)
    if (!std::isfinite(weights[j]) || weights[j] < 0.0)
      throw method_error(fmt::format("outranking: {}: weight {} (weights must be finite and >= 0)",
                                     label(indicator_ids, j, "indicator"), weights[j]));
  const double total = weights.sum();
  if (!(total > 0.0)) throw method_error("outranking: the weights sum to 0");
  if (!(options.tie_tolerance >= 0.0))
    throw method_error(fmt::format("outranking: tie tolerance must be >= 0, got {}", options.tie_tolerance));
  if (!y.allFinite())
    for (Eigen::Index i = 0; i < y.rows(); ++i)
      for (Eigen::Index j = 0; j < y.cols(); ++j)
        if (!std::isfinite(y(i, j)))
          throw data_error(fmt::format("outranking: {}, {}: value {} (every value must be present; impute first)",
                                       label(unit_ids, i, "unit"), label(indicator_ids, j, "indicator"), y(i, j)));
  const Eigen::VectorXd w = weights / total;
  const Eigen::Index n = y.rows();
  Eigen::MatrixXd e = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index a = 0; a < n; ++a)
    for (Eigen::Index b = a + 1; b < n; ++b) {
      double wins = 0.0, ties = 0.0;
      for (Eigen::Index j = 0; j < y.cols(); ++j) {
        const double d = y(a, j) - y(b, j);
        if (std::abs(d) <= options.tie_tolerance)
          ties += w[j];
        else if (d > 0.0)
          wins += w[j];
      }
      e(a, b) = wins + 0.5 * ties;
      e(b, a) = 1.0 - e(a, b);
    }
  return e;
}

double kemeny_score(const Eigen::Ref<const Eigen::MatrixXd>& e, const std::vector<std::size_t>& order) {
  double s = 0.0;
  for (std::size_t p = 0; p < order.size(); ++p)
    for (std::size_t q = p + 1; q < order.size(); ++q)
      s += e(static_cast<Eigen::Index>(order[p]), static_cast<Eigen::Index>(order[q]));
  return s;
}

kemeny_result kemeny_ranking(const Eigen::Ref<const Eigen::MatrixXd>& e, const kemeny_options& options) {
  check_square(e);
  const auto n = static_cast<std::size_t>(e.rows());
  constexpr std::size_t hard_limit = 26;   // 2^26 states: 0.6 GB of tables; beyond that exact is not an option
  const bool exact = options.solver == kemeny_solver::exact ||
                     (options.solver == kemeny_solver::automatic && n <= std::min(options.exact_limit, hard_limit));
  if (exact) {
    if (n > hard_limit)
      throw method_error(fmt::format("Kemeny: the exact solver handles at most {} units, got {} (use the heuristic)",
                                     hard_limit, n));
    return finish(e, kemeny_exact(e), 0.0, true);
  }
  // Upper bound: every pair contributes at most the larger of its two entries.
  double upper = 0.0;
  for (Eigen::Index a = 0; a < e.rows(); ++a)
    for (Eigen::Index b = a + 1; b < e.rows(); ++b) upper += std::max(e(a, b), e(b, a));
  // Two starts (Borda: row sums; Copeland: pairwise majorities won, ties half), the better result kept.
  const Eigen::VectorXd borda = e.rowwise().sum();
  Eigen::VectorXd copeland = Eigen::VectorXd::Zero(e.rows());
  for (Eigen::Index a = 0; a < e.rows(); ++a)
    for (Eigen::Index b = 0; b < e.rows(); ++b)
      if (a != b) copeland[a] += e(a, b) > e(b, a) ? 1.0 : (e(a, b) == e(b, a) ? 0.5 : 0.0);
  std::size_t passes_b = 0, passes_c = 0;
  std::vector<std::size_t> from_borda = local_search(e, order_by(borda), options.max_passes, passes_b);
  std::vector<std::size_t> from_copeland = local_search(e, order_by(copeland), options.max_passes, passes_c);
  const bool copeland_better = kemeny_score(e, from_copeland) > kemeny_score(e, from_borda) + 1e-12;
  kemeny_result r = finish(e, copeland_better ? std::move(from_copeland) : std::move(from_borda), upper, false);
  r.passes = passes_b + passes_c;
  return r;
}

}  // namespace parkscore
