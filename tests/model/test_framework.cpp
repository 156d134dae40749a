#include <doctest/doctest.h>

#include <ctime>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

TEST_CASE("nodes are stored parents-first and indicators keep their order") {
  const framework fw = two_category_framework();
  CHECK(fw.nodes().size() == 6);
  CHECK(fw.indicator_ids() == std::vector<std::string>{"a1", "a2", "b1"});
  CHECK(fw.at(fw.index_of("a2")).parent == fw.index_of("A"));
  CHECK(fw.indicator_column(fw.index_of("b1")) == 2);
  CHECK(fw.indicator_column(fw.index_of("A")) == -1);
  fw.validate();
}

TEST_CASE("absolute weights multiply sibling shares down the tree") {
  const framework fw = two_category_framework();
  const auto share = fw.absolute_weights();
  CHECK(share[static_cast<std::size_t>(fw.index_of("A"))] == approx(2.0 / 3));
  CHECK(share[static_cast<std::size_t>(fw.index_of("a1"))] == approx(1.0 / 3));
  CHECK(share[static_cast<std::size_t>(fw.index_of("b1"))] == approx(1.0 / 3));
}

TEST_CASE("building errors name the node") {
  framework fw = two_category_framework();
  CHECK_THROWS_WITH_AS(fw.add_indicator("A", indicator("a1", 1)), "duplicate node id 'a1'", schema_error);
  CHECK_THROWS_WITH_AS(fw.add_indicator("nowhere", indicator("x", 1)), doctest::Contains("no node with id 'nowhere'"),
                       schema_error);
  CHECK_THROWS_WITH_AS(fw.add_indicator("a1", indicator("x", 1)),
                       "node 'x' cannot be a child of indicator 'a1'", schema_error);
}

TEST_CASE("validation rejects bad trees, naming the node") {
  SUBCASE("empty category") {
    framework fw = two_category_framework();
    fw.add_category("index", category("C", 1));
    CHECK_THROWS_WITH_AS(fw.validate(), "node 'C' is a category without children", schema_error);
  }
  SUBCASE("negative weight") {
    framework fw = two_category_framework();
    fw.at(fw.index_of("a2")).weight = -1;
    CHECK_THROWS_WITH_AS(fw.validate(), doctest::Contains("node 'a2': weight must be a finite number >= 0, got -1"),
                         schema_error);
  }
  SUBCASE("all-zero sibling weights") {
    framework fw = two_category_framework();
    fw.at(fw.index_of("a1")).weight = 0;
    fw.at(fw.index_of("a2")).weight = 0;
    CHECK_THROWS_WITH_AS(fw.validate(), "node 'A': the weights of its children are all zero", schema_error);
  }
  SUBCASE("geometric mean over a normaliser that can emit zero: the values present decide, not validation") {
    framework fw = two_category_framework();
    fw.at(fw.index_of("A")).agg.method = aggregation_method::geometric;
    CHECK_NOTHROW(fw.validate());
    fw.at(fw.index_of("A")).agg.zeros = zero_policy::floor;   // a floor must be > 0
    CHECK_THROWS_WITH_AS(fw.validate(), "node 'A': zero_policy floor needs a floor > 0, got 0", schema_error);
    fw.at(fw.index_of("A")).agg.floor = 0.5;
    CHECK_NOTHROW(fw.validate());
  }
  SUBCASE("anchored efficacy with goalposts the wrong way round") {
    framework fw = two_category_framework();
    node& a2 = fw.at(fw.index_of("a2"));
    a2.norm.method = normalisation_method::efficacy_anchored;
    a2.norm.x_s = 1;
    a2.norm.x_h = 5;
    CHECK_THROWS_WITH_AS(fw.validate(), "indicator 'a2': normalisation 'efficacy_anchored': lower is better, so x_h (5) must be below x_s (1)",
                         schema_error);
  }
  SUBCASE("min-max with hi not above lo") {
    framework fw = two_category_framework();
    fw.at(fw.index_of("b1")).norm.hi = 0;
    CHECK_THROWS_WITH_AS(fw.validate(), doctest::Contains("indicator 'b1'"), schema_error);
  }
}

TEST_CASE("100 000 sibling indicators: building, validating and absolute weights take linear time") {
  // Before: add_node searched ids linearly and absolute_weights summed the siblings of every node,
  // O(n^2) (129 s for 100 000). Now each is one pass (about 0.5 s of CPU in a release build); the
  // bound is on CPU time, so a loaded machine does not fail it, and leaves room for a sanitizer build.
  const std::clock_t start = std::clock();
  framework fw("index", "");
  node n;
  n.dir = direction::higher_is_better;
  for (int i = 0; i < 100000; ++i) {
    n.id = "i" + std::to_string(i);
    n.weight = 1.0 + (i % 3);   // weights 1, 2, 3, ... sum = 33 333 x 6 + 1 = 199 999
    fw.add_indicator("index", n);
  }
  fw.validate();
  const std::vector<double> share = fw.absolute_weights();
  const double seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  CHECK(seconds < 10.0);
  CHECK(share[1] == approx(1.0 / 199999.0, 1e-12));
  CHECK(share[2] == approx(2.0 / 199999.0, 1e-12));
  CHECK(fw.index_of("i99999") == 100000);
  CHECK_THROWS_WITH_AS(fw.add_indicator("index", n), "duplicate node id 'i99999'", schema_error);
}

TEST_CASE("the id index follows renames made through at()") {
  framework fw("index", "");
  node n;
  n.id = "a";
  fw.add_indicator("index", n);
  fw.at(1).id = "b";   // a mutable at() marks the index stale
  CHECK(!fw.find("a"));
  CHECK(fw.index_of("b") == 1);
  n.id = "a";
  CHECK(fw.add_indicator("index", n) == 2);   // "a" is free again
  CHECK_THROWS_WITH_AS(fw.add_indicator("index", n), "duplicate node id 'a'", schema_error);
}
