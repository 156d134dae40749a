#include <doctest/doctest.h>

#include <cstring>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "parkscore/engine/manifest.hpp"
#include "parkscore/engine/plan.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/resolve_weights.hpp"
#include "parkscore/report/contributions.hpp"
#include "parkscore/report/tables.hpp"

using namespace parkscore;
using parkscore::test::NaN;

// result_contents::records: a result evaluated without them (index_only) holds no normalisation
// or weight records, the same scores and ranks, and what would read the records throws.

namespace {

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

// 400 units of lognormal values, 2 % missing, labels "national" and "provincial" in "level".
dataset random_units(unsigned seed) {
  std::mt19937 rng(seed);
  std::lognormal_distribution<double> value(0.0, 1.0);
  std::bernoulli_distribution missing(0.02);
  Eigen::MatrixXd x(400, 3);
  std::vector<std::string> ids(400), level(400);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    ids[static_cast<std::size_t>(i)] = "U" + std::to_string(i);
    level[static_cast<std::size_t>(i)] = i % 3 == 0 ? "national" : "provincial";
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = missing(rng) ? NaN : value(rng);
  }
  dataset d(ids, {"a1", "a2", "b1"}, x);
  d.set_group("level", level);
  return d;
}

evaluation_options keeping(result_contents keep, std::vector<std::string> pools = {""}) {
  evaluation_options o;
  o.keep = keep;
  o.pools = std::move(pools);
  return o;
}

// Category A's weights derived from the data (entropy): a plan that reads its weight records.
framework entropy_framework() {
  framework fw = test::two_category_framework();
  fw.at(fw.index_of("A")).weighting.method = weighting_method::entropy;
  return fw;
}

void check_same_scores(const pool_result& a, const pool_result& b) {
  CHECK(a.nodes == b.nodes);
  CHECK(same_bits(a.scores, b.scores));
  CHECK(same_bits(a.kept_ranks.col(0), b.kept_ranks.col(0)));   // the index
}

}  // namespace

TEST_CASE("a result without records keeps none, with the same scores and ranks") {
  const dataset data = random_units(5);
  for (const framework& fw : {test::two_category_framework(), entropy_framework()}) {
    const evaluation_plan plan = compile(fw);
    for (const std::vector<std::string>& pools : {std::vector<std::string>{""}, std::vector<std::string>{"level"}}) {
      CAPTURE(pools.front());
      const result lean = plan.evaluate(data, keeping(result_contents::lean(), pools));
      const result index = plan.evaluate(data, keeping(result_contents::index_only(), pools));
      const pool_result& lp = lean.pools.front();
      const pool_result& xp = index.pools.front();
      const std::size_t labels = pools.front().empty() ? 1 : 2;
      CHECK(lp.records);
      CHECK(lp.normalisation.size() == 3 * labels);   // a1, a2, b1 in each label
      CHECK(lp.weights.size() == 3 * labels);         // index, A, B in each label
      CHECK_FALSE(xp.records);
      CHECK(xp.normalisation.empty());
      CHECK(xp.weights.empty());
      check_same_scores(xp, lp);
      CHECK(index.warnings().size() == lean.warnings().size());   // the missing values, noted either way
    }
  }
}

TEST_CASE("a reused result gains and loses its records as each evaluation asks") {
  // Without records the normalisers are fitted into the calling thread's own (kept across
  // evaluations); with them, into the result's records. Alternating must not mix the two.
  const framework fw = test::two_category_framework();
  const evaluation_plan plan = compile(fw);
  const dataset first = random_units(6), second = random_units(7);
  const evaluation_options lean = keeping(result_contents::lean(), {"level"});
  const evaluation_options index = keeping(result_contents::index_only(), {"level"});
  result reused;
  plan.evaluate_into(first, reused, index);
  plan.evaluate_into(second, reused, lean);
  const result expected = plan.evaluate(second, lean);
  const pool_result& got = reused.pools.front();
  const pool_result& want = expected.pools.front();
  CHECK(got.normalisation.size() == 6);   // 3 indicators x 2 labels
  // Every field of every record, through the tables that show them (NaN compared as equal).
  const std::vector<table> got_tables = constant_tables(reused), want_tables = constant_tables(expected);
  REQUIRE(got_tables.size() == want_tables.size());
  for (std::size_t t = 0; t < want_tables.size(); ++t) {
    CAPTURE(want_tables[t].name);
    CHECK(got_tables[t].keys == want_tables[t].keys);
    CHECK(got_tables[t].values.rows() == want_tables[t].values.rows());
    CHECK((got_tables[t].values.array() == want_tables[t].values.array() ||
           (got_tables[t].values.array().isNaN() && want_tables[t].values.array().isNaN()))
              .all());
  }
  check_same_scores(got, want);
  plan.evaluate_into(first, reused, index);
  CHECK(reused.pools.front().normalisation.empty());
  CHECK(reused.pools.front().weights.empty());
  check_same_scores(reused.pools.front(), plan.evaluate(first, lean).pools.front());
}

TEST_CASE("a pool with no value of an indicator is noted the same with and without records") {
  // b1 missing in every provincial unit: that label fits no normaliser for it (a warning), and
  // its units' B scores are missing, with records or without.
  dataset data = random_units(8);
  Eigen::MatrixXd x = data.values();
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    if (i % 3 != 0) x(i, 2) = NaN;
  dataset holed(data.unit_ids(), data.indicator_ids(), x);
  holed.set_group("level", data.group("level"));
  const evaluation_plan plan = compile(test::two_category_framework());
  const result lean = plan.evaluate(holed, keeping(result_contents::lean(), {"level"}));
  const result index = plan.evaluate(holed, keeping(result_contents::index_only(), {"level"}));
  CHECK(lean.pools.front().normalisation.size() == 5);   // 3 national, 2 provincial
  check_same_scores(index.pools.front(), lean.pools.front());
  CHECK(index.warnings().size() == lean.warnings().size());
}

TEST_CASE("what reads the records of a result without them says so") {
  const dataset data = random_units(9);
  const framework fw = entropy_framework();
  const evaluation_options index = keeping(result_contents::index_only());
  const result r = evaluate(fw, data, index);
  CHECK_THROWS_WITH_AS(constant_tables(r), doctest::Contains("kept no normalisation or weight records"),
                       parkscore::error);
  // Contributions read every node's score (not kept by a lean result) and, under derived
  // weights, the weights the evaluation used (not kept without records).
  CHECK_THROWS_WITH_AS(contributions(r), doctest::Contains("kept only the index and its categories"),
                       parkscore::error);
  result_contents every_node_no_records;
  every_node_no_records.records = false;
  CHECK_THROWS_WITH_AS(contributions(evaluate(fw, data, keeping(every_node_no_records))),
                       doctest::Contains("the weights node 'A' derived from the data"), parkscore::error);
  CHECK_NOTHROW(contributions(evaluate(fw, data, keeping(result_contents{}))));
  // The manifest records the choice and has no constants to show; the result's hash is there.
  const std::string manifest = run_manifest(r, data, index);
  CHECK(manifest.find("\"records\": false") != std::string::npos);
  CHECK(manifest.find("\"constants\": null") != std::string::npos);
  // resolve_weights reads the records whatever the options ask.
  const resolved_weights from_index = resolve_weights(fw, data, {}, index);
  const resolved_weights from_lean = resolve_weights(fw, data, {}, keeping(result_contents::lean()));
  REQUIRE(from_index.records.size() == from_lean.records.size());
  for (std::size_t k = 0; k < from_lean.records.size(); ++k)
    CHECK(from_index.records[k].weights.weights == from_lean.records[k].weights.weights);
}

TEST_CASE("the thread's own normalisers are refitted for the plan and indicator at hand") {
  // Without records the normalisers live on in the calling thread and keep their spec when
  // refitted for the same indicator of the same plan. Two plans with the same indicators but
  // other methods, alternated, must each score as with records (which copy every spec).
  framework other = test::two_category_framework();
  other.at(other.index_of("a1")).norm.method = normalisation_method::z_score;
  other.at(other.index_of("b1")).norm.hi = 10.0;   // min-max onto 0-10
  const evaluation_plan first = compile(test::two_category_framework()), second = compile(other);
  const dataset data = random_units(10);
  const evaluation_options index = keeping(result_contents::index_only(), {"level"});
  const evaluation_options lean = keeping(result_contents::lean(), {"level"});
  result reused;
  for (const evaluation_plan* plan : {&first, &second, &first, &second}) {
    plan->evaluate_into(data, reused, index);
    check_same_scores(reused.pools.front(), plan->evaluate(data, lean).pools.front());
  }
  // Within one plan, a label whose pool fits no normaliser for b1 shifts the later ones.
  dataset holed = random_units(11);
  Eigen::MatrixXd x = holed.values();
  for (Eigen::Index i = 0; i < x.rows(); i += 3) x(i, 2) = NaN;   // every national unit
  dataset shifted(holed.unit_ids(), holed.indicator_ids(), x);
  shifted.set_group("level", holed.group("level"));
  for (const dataset* d : std::initializer_list<const dataset*>{&data, &shifted, &data}) {
    second.evaluate_into(*d, reused, index);
    check_same_scores(reused.pools.front(), second.evaluate(*d, lean).pools.front());
  }
}
