#include "parkscore/analysis/sobol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/engine_impl.hpp"
#include "parkscore/analysis/philox.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

// The two estimators on the rows listed in `pick` (all rows: pick empty).
void estimate(const Eigen::VectorXd& ya, const Eigen::VectorXd& yb, const Eigen::MatrixXd& yab,
              const std::vector<Eigen::Index>& pick, Eigen::VectorXd& first, Eigen::VectorXd& total, double* mean_out,
              double* var_out) {
  const Eigen::Index n = pick.empty() ? ya.size() : static_cast<Eigen::Index>(pick.size());
  const Eigen::Index k = yab.cols();
  auto row = [&](Eigen::Index j) { return pick.empty() ? j : pick[static_cast<std::size_t>(j)]; };
  double mean = 0;
  for (Eigen::Index j = 0; j < n; ++j) mean += ya[row(j)] + yb[row(j)];
  mean /= static_cast<double>(2 * n);
  double var = 0;
  for (Eigen::Index j = 0; j < n; ++j) {
    const double a = ya[row(j)] - mean, b = yb[row(j)] - mean;
    var += a * a + b * b;
  }
  var /= static_cast<double>(2 * n - 1);
  first.resize(k);
  total.resize(k);
  for (Eigen::Index i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      const Eigen::Index r = row(j);
      s += (yb[r] - mean) * (yab(r, i) - ya[r]);      // Saltelli et al. 2010, table 2 (b), f_B centred
      const double d = ya[r] - yab(r, i);
      t += d * d;                                     // Jansen 1999
    }
    first[i] = var > 0 ? s / static_cast<double>(n) / var : 0.0;
    total[i] = var > 0 ? t / (2.0 * static_cast<double>(n)) / var : 0.0;
  }
  if (mean_out) *mean_out = mean;
  if (var_out) *var_out = var;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double h = static_cast<double>(v.size() - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - std::floor(h)) * (v[hi] - v[lo]);
}

}  // namespace

sobol_result sobol_estimates(const Eigen::VectorXd& y_a, const Eigen::VectorXd& y_b, const Eigen::MatrixXd& y_ab,
                             std::size_t bootstrap, double confidence, std::uint64_t seed) {
  if (y_a.size() < 2 || y_b.size() != y_a.size() || y_ab.rows() != y_a.size())
    throw error("Sobol estimates: A, B and AB outputs need the same number (>= 2) of rows");
  if (!(confidence > 0 && confidence < 1)) throw error(fmt::format("Sobol: confidence {} must be in (0, 1)", confidence));
  sobol_result r;
  estimate(y_a, y_b, y_ab, {}, r.first, r.total, &r.mean, &r.variance);
  r.first_sum = r.first.sum();
  const Eigen::Index k = y_ab.cols();
  r.first_lo = r.first_hi = r.first;
  r.total_lo = r.total_hi = r.total;
  r.first_sum_lo = r.first_sum_hi = r.first_sum;
  if (bootstrap > 0) {
    const auto n = static_cast<std::size_t>(y_a.size());
    std::vector<std::vector<double>> fs(static_cast<std::size_t>(k)), ts(static_cast<std::size_t>(k));
    std::vector<double> sums;
    std::vector<Eigen::Index> pick(n);
    Eigen::VectorXd f, t;
    for (std::size_t b = 0; b < bootstrap; ++b) {
      philox_stream rng(seed, b, 0xB007u);   // resample b: its own stream
      for (auto& p : pick) p = static_cast<Eigen::Index>(std::min(n - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(n))));
      estimate(y_a, y_b, y_ab, pick, f, t, nullptr, nullptr);
      for (Eigen::Index i = 0; i < k; ++i) {
        fs[static_cast<std::size_t>(i)].push_back(f[i]);
        ts[static_cast<std::size_t>(i)].push_back(t[i]);
      }
      sums.push_back(f.sum());
    }
    const double a = (1 - confidence) / 2;
    for (Eigen::Index i = 0; i < k; ++i) {
      r.first_lo[i] = percentile(fs[static_cast<std::size_t>(i)], a);
      r.first_hi[i] = percentile(fs[static_cast<std::size_t>(i)], 1 - a);
      r.total_lo[i] = percentile(ts[static_cast<std::size_t>(i)], a);
      r.total_hi[i] = percentile(ts[static_cast<std::size_t>(i)], 1 - a);
    }
    r.first_sum_lo = percentile(sums, a);
    r.first_sum_hi = percentile(sums, 1 - a);
  }
  r.sum_check = r.first_sum_lo <= 1.0;
  r.evaluations = static_cast<std::size_t>(y_a.size()) * static_cast<std::size_t>(k + 2);
  return r;
}

sobol_result sobol_indices(std::size_t inputs, const std::function<void(const Eigen::MatrixXd&, Eigen::VectorXd&)>& model,
                           const sobol_options& options) {
  const std::size_t n = options.base_samples, k = inputs;
  if (k == 0 || n < 2) throw error("Sobol: needs at least one input and two base samples");
  Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k)), b(a.rows(), a.cols());
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = 0; i < k; ++i) {
      // Input i of row j in matrix A (stream 2j) or B (stream 2j + 1): one draw per (row, input).
      a(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = philox_stream(options.seed, 2 * j, static_cast<std::uint32_t>(i)).uniform();
      b(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = philox_stream(options.seed, 2 * j + 1, static_cast<std::uint32_t>(i)).uniform();
    }
  Eigen::VectorXd ya(a.rows()), yb(a.rows()), y(a.rows());
  model(a, ya);
  model(b, yb);
  Eigen::MatrixXd yab(a.rows(), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < k; ++i) {
    Eigen::MatrixXd ab = a;
    ab.col(static_cast<Eigen::Index>(i)) = b.col(static_cast<Eigen::Index>(i));
    model(ab, y);
    yab.col(static_cast<Eigen::Index>(i)) = y;
  }
  sobol_result r = sobol_estimates(ya, yb, yab, options.bootstrap, options.confidence, options.seed);
  for (std::size_t i = 0; i < k; ++i) r.inputs.push_back(fmt::format("x{}", i + 1));
  return r;
}

sobol_result sobol_indices(const uncertainty_engine& engine, const sobol_options& options) {
  const auto& m = engine.internals();
  const std::size_t n = options.base_samples, k = m.spec.input_count();
  if (k == 0) throw error("Sobol: the spec declares no uncertain inputs");
  if (n < 2) throw error("Sobol: needs at least two base samples");
  std::size_t unit = 0;
  if (options.output != sobol_output::mean_abs_rank_shift) {
    const auto it = std::find(m.unit_ids.begin(), m.unit_ids.end(), options.unit);
    if (it == m.unit_ids.end()) throw error(fmt::format("Sobol: no unit '{}' in the analysis", options.unit));
    unit = static_cast<std::size_t>(it - m.unit_ids.begin());
  }
  // Design row d in [0, n (k + 2)): block A (d < n), block B, then AB_i. Streams carry a high tag
  // so they never meet the Monte Carlo replicates' streams.
  constexpr std::uint64_t tag = std::uint64_t{1} << 62;
  const std::size_t rows = n * (k + 2);
  auto stream_of = [&](std::size_t d, std::size_t input) -> std::uint64_t {
    const std::size_t block = d / n, j = d % n;
    const bool from_b = block == 1 || (block >= 2 && block - 2 == input);
    return tag | (2 * j + (from_b ? 1 : 0));
  };
  m.prepare(rows, stream_of);
  Eigen::VectorXd y(static_cast<Eigen::Index>(rows));
  const std::size_t units = m.unit_ids.size();
  std::vector<row_results> outs(m.thread_count());
  m.parallel_blocks(rows, m.block_size(), 0, options.progress, options.cancel, [&](std::size_t b, std::size_t e, detail::workspace& ws, std::size_t t) {
    row_results& out = outs[t];
    m.evaluate_rows(e - b, [&](std::size_t r, std::size_t i) { return stream_of(b + r, i); }, ws, out);
    for (std::size_t r = 0; r < e - b; ++r) {
      const int* rank = out.ranks.data() + r * units;
      double v = 0;
      switch (options.output) {
        case sobol_output::mean_abs_rank_shift: {
          std::size_t count = 0;
          for (std::size_t u = 0; u < units; ++u)
            if (rank[u] > 0 && m.nominal_rank[u] > 0) {
              v += std::abs(rank[u] - m.nominal_rank[u]);
              ++count;
            }
          v = count ? v / static_cast<double>(count) : 0.0;
          break;
        }
        case sobol_output::unit_rank: v = rank[unit] > 0 ? rank[unit] : std::numeric_limits<double>::quiet_NaN(); break;
        case sobol_output::unit_score: v = out.scores(static_cast<Eigen::Index>(unit), static_cast<Eigen::Index>(r)); break;
      }
      y[static_cast<Eigen::Index>(b + r)] = v;
    }
  });
  if (!y.allFinite()) throw method_error("Sobol: the output is missing (unranked unit) in some design rows");
  const auto N = static_cast<Eigen::Index>(n);
  Eigen::MatrixXd yab(N, static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < k; ++i) yab.col(static_cast<Eigen::Index>(i)) = y.segment(static_cast<Eigen::Index>((2 + i) * n), N);
  sobol_result r = sobol_estimates(y.head(N), y.segment(N, N), yab, options.bootstrap, options.confidence, options.seed);
  r.inputs = m.spec.input_names();
  return r;
}

}  // namespace parkscore
