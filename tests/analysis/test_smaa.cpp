#include <doctest/doctest.h>

#include <cmath>

#include "analysis/analysis_fixtures.hpp"
#include "parkscore/analysis/uncertainty.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {
// A flat index over three indicators, weights uniform on the simplex (SMAA-2).
framework flat3() {
  framework fw("index", "flat");
  for (const char* id : {"x1", "x3", "x5"}) fw.add_indicator("index", test::indicator(id, 1));
  return fw;
}
dataset six_units() {
  const dataset d = test::random_units(6, 17);
  Eigen::MatrixXd x(6, 3);
  x << d.values().col(0), d.values().col(2), d.values().col(4);
  return dataset(d.unit_ids(), {"x1", "x3", "x5"}, x);
}
}  // namespace

TEST_CASE("SMAA-2: acceptabilities sum to 1 per unit and per rank; central weights lie on the simplex") {
  uncertainty_spec spec;
  spec.weights.push_back({"smaa", "index", weight_draw::simplex, 0, 0, {}, {}});
  uncertainty_options opt;
  opt.replicates = 4000;
  const uncertainty_engine engine(flat3(), six_units(), spec, opt);
  const auto res = engine.run();
  const smaa_result s = engine.smaa(res.partial);
  REQUIRE(s.acceptability.rows() == 6);
  REQUIRE(s.acceptability.cols() == 6);
  for (Eigen::Index i = 0; i < 6; ++i) CHECK(s.acceptability.row(i).sum() == approx(1.0));
  for (Eigen::Index r = 0; r < 6; ++r) CHECK(s.acceptability.col(r).sum() == approx(1.0));
  CHECK(s.criteria == std::vector<std::string>{"x1", "x3", "x5"});
  for (Eigen::Index i = 0; i < 6; ++i) {
    if (s.acceptability(i, 0) == 0) {
      CHECK(std::isnan(s.central_weights(i, 0)));
      continue;
    }
    CHECK(s.central_weights.row(i).sum() == approx(1.0, 1e-9));
    // Deterministic data and no other input: confidence is 1 or 0 (is the unit first at its central weights?).
    CHECK((s.confidence[i] == 1.0 || s.confidence[i] == 0.0));
  }
}

TEST_CASE("SMAA-2: bounds that shrink to a point give the weighted-sum ranks") {
  uncertainty_spec spec;
  spec.weights.push_back({"smaa", "index", weight_draw::simplex, 0, 0,
                          {{"x1", {0.2, 0.2}}, {"x3", {0.5, 0.5}}, {"x5", {0.3, 0.3}}}, {}});
  uncertainty_options opt;
  opt.replicates = 500;
  framework fw = flat3();
  fw.at(fw.index_of("x1")).weight = 2;   // the same point as nominal weights 2 : 5 : 3
  fw.at(fw.index_of("x3")).weight = 5;
  fw.at(fw.index_of("x5")).weight = 3;
  const uncertainty_engine engine(fw, six_units(), spec, opt);
  const auto res = engine.run();
  const smaa_result s = engine.smaa(res.partial);
  const result nominal = evaluate(fw, six_units());
  for (Eigen::Index i = 0; i < 6; ++i) {
    const auto r = static_cast<Eigen::Index>(nominal.pools[0].index_rank(i));
    CHECK(s.acceptability(i, r - 1) == 1.0);
    if (r == 1) {
      CHECK(s.central_weights(i, 0) == approx(0.2, 1e-9));
      CHECK(s.central_weights(i, 1) == approx(0.5, 1e-9));
      CHECK(s.confidence[i] == 1.0);
    }
  }
}

TEST_CASE("SMAA-2: a complete order keeps the weights ordered") {
  uncertainty_spec spec;
  spec.weights.push_back({"smaa", "index", weight_draw::simplex, 0, 0, {}, {"x5", "x1", "x3"}});
  uncertainty_options opt;
  opt.replicates = 2000;
  const uncertainty_engine engine(flat3(), six_units(), spec, opt);
  const smaa_result s = engine.smaa(engine.run().partial);
  for (Eigen::Index i = 0; i < 6; ++i) {
    if (std::isnan(s.central_weights(i, 0))) continue;
    CHECK(s.central_weights(i, 2) >= s.central_weights(i, 0));   // x5 >= x1 >= x3 in every draw, so in means
    CHECK(s.central_weights(i, 0) >= s.central_weights(i, 1));
  }
}
