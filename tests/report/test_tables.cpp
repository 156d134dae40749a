// The tables of every step (docs/manifest.md) on a hand-computed case: a missing value
// imputed with the pool mean, a log-treated indicator, min-max normalisation.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "temp_files.hpp"
#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/report/tables.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

const table& find(const std::vector<table>& tables, const std::string& name) {
  for (const table& t : tables)
    if (t.name == name) return t;
  FAIL("no table " << name);
  throw;
}

}  // namespace

TEST_CASE("the table of every step, from raw values to ranks") {
  framework fw = two_category_framework();
  fw.impute.method = imputation_method::mean;
  fw.at(fw.index_of("b1")).treat.method = treatment_method::log;
  dataset d = four_units();
  Eigen::MatrixXd x = d.values();
  x(1, 0) = NaN;   // u2's a1
  dataset data({"u1", "u2", "u3", "u4"}, d.indicator_ids(), x);
  data.set_group("level", d.group("level"));
  evaluation_options opt;
  opt.pools = {"", "level"};
  const result r = evaluate(fw, data, opt);
  const std::vector<table> tables = result_tables(r, data);

  std::vector<std::string> names;
  for (const table& t : tables) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"raw", "derived", "imputed", "imputed_flags", "treatment", "treated",
                                          "treated_points", "normalisation", "normalised", "weights", "contributions",
                                          "scores", "ranks"});
  const table& raw = find(tables, "raw");
  CHECK(raw.key_columns == std::vector<std::string>{"unit"});
  CHECK(raw.columns == std::vector<std::string>{"a1", "a2", "b1"});
  CHECK(std::isnan(raw.values(1, 0)));
  CHECK(find(tables, "derived").columns.empty());

  // Per-pool tables: the all-units pool (4 rows) then the level pooling (4 rows).
  const table& imputed = find(tables, "imputed");
  REQUIRE(imputed.rows() == 8);
  CHECK(imputed.key_columns == std::vector<std::string>{"grouping", "label", "unit"});
  CHECK(imputed.keys[0][1] == "all");
  CHECK(imputed.keys[0][5] == "level");
  CHECK(imputed.keys[1][5] == "provincial");
  CHECK(imputed.values(1, 0) == approx(20));   // mean of 0, 20, 40
  CHECK(imputed.values(5, 0) == approx(40));   // provincial pool: u2, u4 -> the mean of 40
  const table& flags = find(tables, "imputed_flags");
  CHECK(flags.values.sum() == 2);   // u2's a1 in each pooling
  CHECK(flags.values(1, 0) == 1);

  const table& treatment = find(tables, "treatment");
  REQUIRE(treatment.rows() == 3);   // b1: all, national, provincial
  CHECK(treatment.keys[2][0] == "b1");
  CHECK(treatment.keys[4][0] == "log");
  const table& treated = find(tables, "treated");
  CHECK(treated.values(0, 2) == approx(std::log(2.0)));
  CHECK(treated.values(3, 2) == approx(std::log(8.0)));
  CHECK(treated.values(1, 0) == approx(20));
  CHECK(find(tables, "treated_points").rows() == 0);   // a log moves every point: points are for winsorisation

  const table& norm = find(tables, "normalisation");
  CHECK(norm.keys[2][0] == "a1");
  CHECK(norm.values(0, norm.column("min")) == 0);
  CHECK(norm.values(0, norm.column("max")) == 40);
  const table& normalised = find(tables, "normalised");
  CHECK((normalised.values.topRows(4) == r.pool("").normalised));
  CHECK(normalised.values(1, 0) == approx(50));   // (20 - 0) / (40 - 0) x 100

  const table& weights = find(tables, "weights");
  CHECK(weights.rows() == 5 * 3);   // index: A, B; A: a1, a2; B: b1 — in each of the 3 pool labels
  CHECK(weights.values.col(0).sum() == approx(3 * 3.0));   // each node's weights sum to 1

  const table& scores = find(tables, "scores");
  CHECK((scores.values.topRows(4) == r.pool("").scores));
  CHECK((scores.values.bottomRows(4) == r.pool("level").scores));
  const table& ranks = find(tables, "ranks");
  CHECK((ranks.values.bottomRows(4) == r.rank_matrix(r.pool("level"))));
  // Arithmetic throughout: the index column of the contributions is the index score.
  const table& contributions = find(tables, "contributions");
  for (Eigen::Index u = 0; u < 4; ++u) CHECK(contributions.values(u, 0) == approx(scores.values(u, 0)));

  // CSV: the shortest text that reads back to the same double, missing as an empty cell.
  CHECK(table_csv(raw) == "unit,a1,a2,b1\r\nu1,0,5,2\r\nu2,,1,4\r\nu3,20,3,6\r\nu4,40,1,8\r\n");
  const std::string text = table_csv(normalised);
  CHECK(text.find(fmt::format("{}", normalised.values(2, 1))) != std::string::npos);
  const auto dir = parkscore::test::temp_path("test_tables");
  std::filesystem::remove_all(dir);
  write_tables(tables, dir);
  for (const std::string& name : names) CHECK(std::filesystem::exists(dir / (name + ".csv")));
}

TEST_CASE("the tables need the data the result was evaluated from") {
  const result r = evaluate(two_category_framework(), four_units());
  const dataset other({"u1", "u2"}, {"a1", "a2", "b1"}, Eigen::MatrixXd::Zero(2, 3));
  CHECK_THROWS_WITH_AS(result_tables(r, other), doctest::Contains("the units differ"), data_error);
}
