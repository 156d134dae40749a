#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "parkscore/error.hpp"
#include "parkscore/methods/outranking.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::vec;

namespace {

// A 4-unit example constructed by hand (the OECD/JRC Handbook's own numerical
// example could not be retrieved, so its structure is re-created: a Condorcet
// cycle that the weighted sum and the Kemeny ranking resolve differently).
// Indicators x1, x2, x3 with weights 0.40, 0.35, 0.25; values (ranks 3 > 2 > 1 > 0):
//        x1  x2  x3
//   a     3   1   2
//   b     2   3   1
//   c     1   2   3
//   d     0   0   0
// Outranking e(j,k) = weight of the indicators where j beats k:
//   e(a,b) = .40 + .25 = .65   e(b,a) = .35
//   e(b,c) = .40 + .35 = .75   e(c,b) = .25
//   e(a,c) = .40               e(c,a) = .35 + .25 = .60
//   e(x,d) = 1 for x = a, b, c.
// The majorities cycle: a > b (.65), b > c (.75), c > a (.60). Orders of a, b, c
// (d is last in every optimum and adds 3):
//   abc .65+.40+.75 = 1.80   acb .40+.65+.25 = 1.30   bac .35+.75+.40 = 1.50
//   bca .75+.35+.60 = 1.70   cab .60+.25+.65 = 1.50   cba .25+.60+.35 = 1.20
// Kemeny: a, b, c, d with score 4.80. Upper bound .65 + .75 + .60 + 3 = 5.00 (gap .20).
// The weighted sum ranks b first: a = 1.2+.35+.5 = 2.05, b = .8+1.05+.25 = 2.10, c = .4+.7+.75 = 1.85.
Eigen::MatrixXd cycle_data() {
  Eigen::MatrixXd y(4, 3);
  y << 3, 1, 2,  //
      2, 3, 1,   //
      1, 2, 3,   //
      0, 0, 0;
  return y;
}

Eigen::MatrixXd random_matrix(std::mt19937_64& gen, Eigen::Index n, Eigen::Index m, int levels) {
  std::uniform_int_distribution<int> u(0, levels - 1);   // few levels: ties happen
  Eigen::MatrixXd y(n, m);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < m; ++j) y(i, j) = u(gen);
  return y;
}

double brute_force(const Eigen::MatrixXd& e) {
  std::vector<std::size_t> order(static_cast<std::size_t>(e.rows()));
  std::iota(order.begin(), order.end(), std::size_t{0});
  double best = -1.0;
  do best = std::max(best, kemeny_score(e, order));
  while (std::next_permutation(order.begin(), order.end()));
  return best;
}

}  // namespace

TEST_CASE("outranking matrix of the hand-made cycle") {
  const Eigen::MatrixXd e = outranking_matrix(cycle_data(), vec({0.40, 0.35, 0.25}));
  CHECK(e(0, 1) == approx(0.65));
  CHECK(e(1, 0) == approx(0.35));
  CHECK(e(1, 2) == approx(0.75));
  CHECK(e(0, 2) == approx(0.40));
  CHECK(e(2, 0) == approx(0.60));
  CHECK(e(2, 3) == approx(1.0));
  CHECK(e(3, 3) == 0.0);
  // Weights need not sum to 1: (8, 7, 5) is the same profile.
  CHECK((outranking_matrix(cycle_data(), vec({8, 7, 5})) - e).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("ties give each side half the weight") {
  Eigen::MatrixXd y(2, 2);
  y << 1, 5,  //
      1, 4;
  // x1 tied (0.5 / 2 each), x2 won by the first: e(0,1) = 0.25 + 0.5 = 0.75.
  const Eigen::MatrixXd e = outranking_matrix(y, vec({1, 1}));
  CHECK(e(0, 1) == approx(0.75));
  CHECK(e(1, 0) == approx(0.25));
  // With a tolerance of 1, x2 is a tie too.
  outranking_options o;
  o.tie_tolerance = 1.0;
  CHECK(outranking_matrix(y, vec({1, 1}), o)(0, 1) == approx(0.5));
}

TEST_CASE("Kemeny ranking of the hand-made cycle, exact and heuristic") {
  const Eigen::MatrixXd e = outranking_matrix(cycle_data(), vec({0.40, 0.35, 0.25}));
  const kemeny_result exact = kemeny_ranking(e);
  CHECK(exact.exact);
  CHECK(exact.order == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(exact.score == approx(4.80));
  CHECK(exact.rank[2] == 3.0);
  kemeny_options h;
  h.solver = kemeny_solver::heuristic;
  const kemeny_result heur = kemeny_ranking(e, h);
  CHECK(heur.order == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(heur.score == approx(4.80));
  CHECK(heur.upper_bound == approx(5.00));
  CHECK(heur.gap == approx(0.20));
  CHECK_FALSE(heur.exact);   // the cycle keeps the bound out of reach: optimality is not proven
}

TEST_CASE("Kemeny exact equals brute force over all permutations on random 8-unit cases") {
  std::mt19937_64 gen(20260101);
  std::uniform_real_distribution<double> w(0.1, 1.0);
  for (int trial = 0; trial < 25; ++trial) {
    CAPTURE(trial);
    const Eigen::MatrixXd y = random_matrix(gen, 8, 5, 4);
    const Eigen::VectorXd weights = vec({w(gen), w(gen), w(gen), w(gen), w(gen)});
    const Eigen::MatrixXd e = outranking_matrix(y, weights);
    const kemeny_result r = kemeny_ranking(e);
    CHECK(r.exact);
    const double best = brute_force(e);
    CHECK(r.score == approx(best, 1e-12));
    CHECK(kemeny_score(e, r.order) == approx(r.score, 1e-12));
    // The heuristic never beats the optimum, and its bound holds.
    kemeny_options h;
    h.solver = kemeny_solver::heuristic;
    const kemeny_result heur = kemeny_ranking(e, h);
    CHECK(heur.score <= best + 1e-12);
    CHECK(heur.upper_bound >= best - 1e-12);
    CHECK(heur.gap == approx(heur.upper_bound - heur.score, 1e-12));
  }
}

TEST_CASE("Kemeny heuristic on larger sets: the reported gap bounds the distance to the exact optimum") {
  std::mt19937_64 gen(42);
  for (Eigen::Index n : {14, 16}) {
    const Eigen::MatrixXd y = random_matrix(gen, n, 7, 6);
    const Eigen::MatrixXd e = outranking_matrix(y, Eigen::VectorXd::Ones(7));
    const kemeny_result exact = kemeny_ranking(e);
    kemeny_options h;
    h.solver = kemeny_solver::heuristic;
    const kemeny_result heur = kemeny_ranking(e, h);
    CHECK(heur.score <= exact.score + 1e-9);
    CHECK(exact.score - heur.score <= heur.gap + 1e-9);
    CHECK(exact.score <= heur.upper_bound + 1e-9);
  }
  // 60 units: beyond the exact limit, automatic picks the heuristic; a consistent profile (one
  // indicator) has no cycles, so the local search reaches the bound and proves optimality.
  Eigen::MatrixXd one(60, 1);
  for (Eigen::Index i = 0; i < 60; ++i) one(i, 0) = static_cast<double>((i * 37) % 60);
  const kemeny_result r = kemeny_ranking(outranking_matrix(one, vec({1.0})));
  CHECK(r.exact);
  CHECK(r.gap == approx(0.0));
  CHECK(r.order.front() == 47);   // the unit with value 59: 47 * 37 = 1739 = 28 * 60 + 59
}

TEST_CASE("outranking and Kemeny errors") {
  Eigen::MatrixXd y = cycle_data();
  y(1, 2) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(outranking_matrix(y, vec({1, 1, 1}), {}, {"a", "b", "c", "d"}, {"x1", "x2", "x3"}),
                       doctest::Contains("unit 'b', indicator 'x3'"), data_error);
  CHECK_THROWS_AS(outranking_matrix(cycle_data(), vec({1, 1})), method_error);
  CHECK_THROWS_AS(outranking_matrix(cycle_data(), vec({0, 0, 0})), method_error);
  CHECK_THROWS_AS(kemeny_ranking(Eigen::MatrixXd::Zero(2, 3)), method_error);
  kemeny_options o;
  o.solver = kemeny_solver::exact;
  CHECK_THROWS_AS(kemeny_ranking(Eigen::MatrixXd::Zero(30, 30), o), method_error);
}
