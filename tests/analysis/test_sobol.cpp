#include <doctest/doctest.h>

#include <cmath>

#include "analysis/analysis_fixtures.hpp"
#include "parkscore/analysis/sobol.hpp"
#include "parkscore/analysis/uncertainty.hpp"

using namespace parkscore;

TEST_CASE("Sobol indices of the Ishigami function (a = 7, b = 0.1)") {
  // f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi). Analytic values (Ishigami and Homma
  // 1990; Saltelli et al. 2008, sec. 4.6): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.8446;
  // V1 = (1 + b pi^4/5)^2 / 2 = 4.3459 -> S1 = 0.3139; V2 = a^2/8 = 6.125 -> S2 = 0.4424; S3 = 0;
  // V13 = b^2 pi^8 (1/18 - 1/50) = 3.3737 -> ST1 = (V1 + V13)/V = 0.5576, ST2 = S2, ST3 = V13/V = 0.2437.
  const double a = 7, b = 0.1, pi = 3.141592653589793;
  auto ishigami = [&](const Eigen::MatrixXd& u, Eigen::VectorXd& y) {
    y.resize(u.rows());
    for (Eigen::Index r = 0; r < u.rows(); ++r) {
      const double x1 = -pi + 2 * pi * u(r, 0), x2 = -pi + 2 * pi * u(r, 1), x3 = -pi + 2 * pi * u(r, 2);
      y[r] = std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
    }
  };
  sobol_options opt;
  opt.base_samples = 40000;
  opt.bootstrap = 100;
  const sobol_result r = sobol_indices(3, ishigami, opt);
  CHECK(r.variance == doctest::Approx(13.8446).epsilon(0.03));
  CHECK(std::abs(r.first[0] - 0.3139) < 0.03);
  CHECK(std::abs(r.first[1] - 0.4424) < 0.03);
  CHECK(std::abs(r.first[2] - 0.0) < 0.03);
  CHECK(std::abs(r.total[0] - 0.5576) < 0.03);
  CHECK(std::abs(r.total[1] - 0.4424) < 0.03);
  CHECK(std::abs(r.total[2] - 0.2437) < 0.03);
  for (Eigen::Index i = 0; i < 3; ++i) {
    CHECK(r.first_lo[i] <= r.first[i]);
    CHECK(r.first_hi[i] >= r.first[i]);
    CHECK(r.total_lo[i] <= r.total_hi[i]);
  }
  CHECK(r.sum_check);
  CHECK(r.evaluations == 40000u * 5);
}

TEST_CASE("Sobol indices of a linear model: variance shares c_i^2 / sum c^2") {
  // y = 1 x1 + 2 x2 + 3 x3, x_i ~ U(0, 1) independent: V_i = c_i^2 / 12, additive, so
  // S_i = ST_i = c_i^2 / 14 = 1/14, 4/14, 9/14 = 0.0714, 0.2857, 0.6429.
  auto linear = [](const Eigen::MatrixXd& u, Eigen::VectorXd& y) { y = u.col(0) + 2 * u.col(1) + 3 * u.col(2); };
  sobol_options opt;
  opt.base_samples = 20000;
  opt.bootstrap = 0;
  const sobol_result r = sobol_indices(3, linear, opt);
  const double expected[] = {1.0 / 14, 4.0 / 14, 9.0 / 14};
  for (Eigen::Index i = 0; i < 3; ++i) {
    CHECK(std::abs(r.first[i] - expected[i]) < 0.02);
    CHECK(std::abs(r.total[i] - expected[i]) < 0.02);
  }
  CHECK(std::abs(r.first_sum - 1.0) < 0.03);
}

TEST_CASE("Sobol on an uncertainty engine: an input that cannot move ranks has zero indices") {
  // Two inputs: the root's weights (+-50 %) move ranks; C2's weights vary with spread 0, so both
  // of its Sobol indices are exactly 0 (the output never depends on it).
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(25, 4);
  uncertainty_spec spec;
  spec.weights.push_back({"root", "index", weight_draw::uniform_factor, 0.5, 100.0, {}, {}});
  spec.weights.push_back({"c2", "C2", weight_draw::uniform_factor, 0.0, 100.0, {}, {}});
  uncertainty_options uo;
  uo.threads = 2;
  const uncertainty_engine engine(fw, data, spec, uo);
  sobol_options opt;
  opt.base_samples = 2000;
  opt.bootstrap = 50;
  const sobol_result r = sobol_indices(engine, opt);
  CHECK(r.inputs == std::vector<std::string>{"root", "c2"});
  CHECK(r.variance > 0);
  CHECK(r.first[1] == 0.0);
  CHECK(r.total[1] == 0.0);
  CHECK(r.total[0] > 0.9);   // all the variance comes from the root's weights
  // Same bits with one thread.
  uncertainty_options one = uo;
  one.threads = 1;
  const sobol_result r1 = sobol_indices(uncertainty_engine(fw, data, spec, one), opt);
  CHECK(r1.first[0] == r.first[0]);
  CHECK(r1.total[0] == r.total[0]);
  // A unit's score as output.
  opt.output = sobol_output::unit_score;
  opt.unit = "u3";
  const sobol_result s = sobol_indices(engine, opt);
  CHECK(s.total[0] > 0.9);
  opt.unit = "nobody";
  CHECK_THROWS_AS(sobol_indices(engine, opt), error);
}
