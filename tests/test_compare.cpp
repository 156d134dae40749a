#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "fixtures.hpp"
#include "parkscore/compare.hpp"
#include "parkscore/error.hpp"
#include "parkscore/evaluate.hpp"

using namespace parkscore;

namespace {
constexpr double unranked = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("rank changes: previous - current, new entrants, dropped units, movers") {
  const std::vector<ranked_unit> before = {
      {"a", "A", "all", 1}, {"b", "B", "all", 2}, {"c", "C", "all", 3}, {"d", "D", "all", 4}, {"f", "F", "all", 14}};
  const std::vector<ranked_unit> now = {{"f", "F", "all", 1}, {"b", "B", "all", 2}, {"a", "A", "all", 3},
                                        {"e", "E", "all", 4}, {"d", "D", "all", unranked}};
  const rank_comparison c = compare_ranks(before, now);
  REQUIRE(c.changes.size() == 5);
  CHECK(*c.changes[0].change == 13);   // 14 - 1
  CHECK(c.changes[0].label() == "↑13");
  CHECK(c.changes[1].label() == "=");  // 2 - 2
  CHECK(*c.changes[2].change == -2);   // 1 - 3
  CHECK(c.changes[2].label() == "↓2");
  CHECK(c.changes[3].is_new());
  CHECK(!c.changes[3].change);
  CHECK(c.changes[3].label() == "new");
  CHECK(c.changes[4].label() == "unranked");
  REQUIRE(c.dropped.size() == 1);
  CHECK(c.dropped[0].id == "c");
  REQUIRE(c.movers_up(5).size() == 1);
  CHECK(c.movers_up(5)[0].id == "f");
  REQUIRE(c.movers_down(5).size() == 1);
  CHECK(c.movers_down(5)[0].id == "a");
  CHECK(c.movers_up(0).empty());
}

TEST_CASE("rank changes are compared within a pool label: a promoted unit is new in its new pool") {
  const rank_comparison c =
      compare_ranks({{"a", "A", "provincial", 1}}, {{"a", "A", "national", 5}, {"b", "B", "provincial", 1}});
  CHECK(c.changes[0].label() == "new");
  CHECK(c.changes[1].label() == "new");
  REQUIRE(c.dropped.size() == 1);   // a left the provincial ranking
  CHECK_THROWS_AS(compare_ranks({}, {{"a", "A", "all", 1}, {"a", "A", "all", 2}}), data_error);
}

TEST_CASE("ranked units from a result and back from its CSV report") {
  const result r = evaluate(test::two_category_framework(), test::four_units());
  const auto units = ranked_units(r);
  REQUIRE(units.size() == 4);
  CHECK(units[0].id == "u4");   // index 100 (see test_report.cpp)
  CHECK(units[0].rank == 1);
  const auto from_csv =
      ranked_units(parse_csv(format_report(make_report(r, {}), report_format::csv), "ranks.csv"));
  REQUIRE(from_csv.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(from_csv[i].id == units[i].id);
    CHECK(from_csv[i].rank == units[i].rank);
    CHECK(from_csv[i].pool == "all");
  }
  const rank_comparison same = compare_ranks(units, from_csv);
  for (const rank_move& ch : same.changes) CHECK(ch.label() == "=");
  const std::string text = format_comparison(same, report_format::table);
  CHECK(text.find("Movers up: none") != std::string::npos);
}
