// Speed of benefit of the doubt (300 units x 30 indicators: per unit, with a
// share restriction, common weights, robust) and of the exact Kemeny ranking
// (16-18 units) on random data with a fixed seed.
//   bench_mcda [UNITS=300] [INDICATORS=30]
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdlib>
#include <parkscore/parkscore.hpp>
#include <random>

namespace {

// CPU time of this process: the figure holds on a machine shared with other jobs.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

template <class F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int r = 0; r < runs; ++r) {
    const double t0 = cpu_seconds();
    f();
    best = std::min(best, cpu_seconds() - t0);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace parkscore;
  const Eigen::Index n = argc > 1 ? std::atol(argv[1]) : 300;
  const Eigen::Index m = argc > 2 ? std::atol(argv[2]) : 30;
  std::mt19937_64 gen(42);
  std::uniform_real_distribution<double> u(0.0, 100.0);
  Eigen::MatrixXd y(n, m);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < m; ++j) y(i, j) = u(gen);

  double checksum = 0.0;
  bod_options plain;
  const double t_plain = best_of(3, [&] { checksum += benefit_of_the_doubt(y, plain).scores.sum(); });
  bod_options shares;
  for (Eigen::Index j = 0; j < m; ++j)
    shares.restrictions.shares.push_back({static_cast<std::size_t>(j), 0.01, 0.2});
  const double t_shares = best_of(3, [&] { checksum += benefit_of_the_doubt(y, shares).scores.sum(); });
  bod_options assurance;
  assurance.nominal = Eigen::VectorXd::Ones(m);
  assurance.restrictions.assurance_factor = 3.0;
  const double t_assurance = best_of(3, [&] { checksum += benefit_of_the_doubt(y, assurance).scores.sum(); });
  bod_options common;
  common.variant = bod_variant::common_weights;
  const double t_common = best_of(3, [&] { checksum += benefit_of_the_doubt(y, common).scores.sum(); });
  bod_options robust;
  robust.variant = bod_variant::robust;
  robust.peers = 30;
  robust.replicates = 50;
  const double t_robust = best_of(1, [&] { checksum += benefit_of_the_doubt(y, robust).scores.sum(); });

  fmt::print("benefit of the doubt, {} units x {} indicators (CPU seconds, best of 3):\n", n, m);
  fmt::print("  per unit, no restrictions:              {:.3f} s\n", t_plain);
  fmt::print("  per unit, share bounds on all {:2}:       {:.3f} s\n", m, t_shares);
  fmt::print("  per unit, assurance factor 3:           {:.3f} s\n", t_assurance);
  fmt::print("  common weights:                         {:.3f} s\n", t_common);
  fmt::print("  robust, m = 30, B = 50 ({} LPs):     {:.3f} s\n", n * 51, t_robust);

  fmt::print("Kemeny exact (dynamic programming over subsets), 7 indicators:\n");
  for (Eigen::Index units : {16, 17, 18, 20}) {
    std::uniform_int_distribution<int> level(0, 9);
    Eigen::MatrixXd x(units, 7);
    for (Eigen::Index i = 0; i < units; ++i)
      for (Eigen::Index j = 0; j < 7; ++j) x(i, j) = level(gen);
    const Eigen::MatrixXd e = outranking_matrix(x, Eigen::VectorXd::Ones(7));
    kemeny_options o;
    o.solver = kemeny_solver::exact;
    kemeny_result r;
    const double t = best_of(units <= 18 ? 3 : 1, [&] { r = kemeny_ranking(e, o); });
    kemeny_options h;
    h.solver = kemeny_solver::heuristic;
    kemeny_result hr;
    const double th = best_of(3, [&] { hr = kemeny_ranking(e, h); });
    fmt::print("  {} units: exact {:.3f} s (score {:.4f}); heuristic {:.5f} s (score {:.4f}, bound {:.4f})\n", units,
               t, r.score, th, hr.score, hr.upper_bound);
    checksum += r.score;
  }
  {
    Eigen::MatrixXd x(300, 7);
    std::uniform_int_distribution<int> level(0, 9);
    for (Eigen::Index i = 0; i < 300; ++i)
      for (Eigen::Index j = 0; j < 7; ++j) x(i, j) = level(gen);
    const Eigen::MatrixXd e = outranking_matrix(x, Eigen::VectorXd::Ones(7));
    kemeny_result hr;
    const double th = best_of(1, [&] { hr = kemeny_ranking(e); });
    fmt::print("Kemeny heuristic, 300 units: {:.3f} s, score {:.2f}, upper bound {:.2f}, gap {:.2f} ({:.2f}%)\n", th,
               hr.score, hr.upper_bound, hr.gap, 100.0 * hr.gap / hr.upper_bound);
  }
  return std::isfinite(checksum) ? 0 : 1;
}
