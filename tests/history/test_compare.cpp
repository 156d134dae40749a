#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "history_fixtures.hpp"
#include "parkscore/history/compare.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

TEST_CASE("rank changes: previous - current, new entrants, dropped units, movers") {
  const rank_table before =
      table(2022, "", {{"a", "all", 1}, {"b", "all", 2}, {"c", "all", 3}, {"d", "all", 4}, {"f", "all", 14}});
  const rank_table now =
      table(2023, "", {{"f", "all", 1}, {"b", "all", 2}, {"a", "all", 3}, {"e", "all", 4}, {"d", "all", NaN}});
  const rank_comparison c = compare_ranks(before, now);
  REQUIRE(c.changes.size() == 5);
  CHECK(c.changes[0].change == 13);   // 14 - 1
  CHECK(format_change(c.changes[0]) == "↑13");
  CHECK(format_change(c.changes[1]) == "–");  // 2 - 2
  CHECK(c.changes[2].change == -2);   // 1 - 3
  CHECK(format_change(c.changes[2]) == "↓2");
  CHECK(c.changes[3].status == rank_change_status::new_entrant);
  CHECK(std::isnan(c.changes[3].change));
  CHECK(format_change(c.changes[3]) == "new");
  CHECK(c.changes[4].unit == "d");   // unranked now: last
  CHECK(c.changes[4].status == rank_change_status::unranked);
  CHECK(format_change(c.changes[4]) == "n/a");
  REQUIRE(c.dropped.size() == 1);
  CHECK(c.dropped[0].unit == "c");
  REQUIRE(c.movers_up(5).size() == 1);
  CHECK(c.movers_up(5)[0].unit == "f");
  REQUIRE(c.movers_down(5).size() == 1);
  CHECK(c.movers_down(5)[0].unit == "a");
  CHECK(c.movers_up(0).empty());
}

TEST_CASE("rank changes are compared within a pool label: a promoted unit is new in its new pool") {
  const rank_comparison c = compare_ranks(table(2022, "level", {{"a", "provincial", 1}}),
                                          table(2023, "level", {{"a", "national", 5}, {"b", "provincial", 1}}));
  CHECK(format_change(c.changes[0]) == "new");
  CHECK(format_change(c.changes[1]) == "new");
  REQUIRE(c.dropped.size() == 1);   // a left the provincial ranking
  CHECK_THROWS_WITH_AS(compare_ranks(table(2022, "", {}), table(2023, "", {{"a", "all", 1}, {"a", "all", 2}})),
                       doctest::Contains("unit 'a' appears twice in the 2023 table (all units)"), data_error);
}

TEST_CASE("rank table from a result and back from its CSV report") {
  evaluation_options opt;
  opt.excluded = {{"u1", "major safety accident"}};
  const result r = evaluate(two_category_framework(), four_units(), opt);
  const rank_table units = make_rank_table(r, {});
  REQUIRE(units.entries.size() == 4);
  CHECK(units.find("u4")->rank == 1);   // index 100 (see test_report.cpp)
  const rank_table from_csv =
      read_rank_table(parse_csv(format_report(make_report(r, {}), report_format::csv), "ranks.csv"));
  REQUIRE(from_csv.entries.size() == 4);
  for (const rank_entry& e : units.entries) {
    const rank_entry* back = from_csv.find(e.unit);
    REQUIRE(back);
    CHECK(back->pool == "all");
    CHECK(back->name == e.name);
    CHECK(back->veto_reason == e.veto_reason);
    CHECK(back->score == approx(e.score));
    if (e.ranked()) CHECK(back->rank == e.rank);
    else CHECK_FALSE(back->ranked());
  }
  const rank_comparison same = compare_ranks(units, from_csv);
  for (const rank_change& ch : same.changes)
    CHECK(format_change(ch) == (ch.unit == "u1" ? "n/a" : "–"));   // u1 is vetoed
  CHECK(same.changes.front().unit == "u4");   // report order: rank 1 first
  const std::string text = format_comparison(same, report_format::table);
  CHECK(text.find("Movers up: none") != std::string::npos);

  CHECK_THROWS_WITH_AS(read_rank_table(parse_csv("id,rank\nu1,first\n", "bad.csv")),
                       doctest::Contains("bad.csv:2: column 'rank' (column 2), unit 'u1'"), data_error);
}

TEST_CASE("a report shows the change column when changes are added") {
  const result r = evaluate(two_category_framework(), four_units());
  report rep = make_report(r, {});
  // u4 was 3rd and is 1st now: 3 - 1 = +2.
  const rank_table before = table(2022, "", {{"u4", "all", 3}});
  add_changes(rep, rank_changes(before, make_rank_table(r, {"", "", 2022, {}})));
  CHECK(rep.rows[0].unit_id == "u4");
  CHECK(rep.rows[0].change == "↑2");
  CHECK(rep.rows[1].change == "new");
  const std::string csv = format_report(rep, report_format::csv);
  CHECK(csv.find(",change") != std::string::npos);
  CHECK(csv.find(",↑2") != std::string::npos);
}

TEST_CASE("a ranking read back must hold whole positive ranks, each unit once") {
  // Whole ranks from 1 are fine, an empty rank is unranked.
  CHECK(read_rank_table(parse_csv("id,rank\nu1,1\nu2,3\nu3,\n", "ok.csv")).entries.size() == 3);
  CHECK(read_rank_table(parse_csv("id,rank\nu1,1\nu2,14\n", "excerpt.csv")).entries[1].rank == 14);   // an excerpt
  for (const char* bad : {"-3", "0", "1.5", "1e308", "1e8"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(read_rank_table(parse_csv(std::string("id,rank\nu1,1\nu2,") + bad + "\nu3,2\n", "r.csv")),
                         doctest::Contains((std::string("r.csv:3: column 'rank' (column 2), unit 'u2': the rank must be "
                                                        "a whole number from 1 to 1e+07 (pool 'all'), got '") +
                                            bad + "'")
                                               .c_str()),
                         data_error);
  }
  CHECK_THROWS_WITH_AS(read_rank_table(parse_csv("id,rank\nu1,1\nu1,2\n", "d.csv")),
                       "d.csv:3: column 'id' (column 1): unit 'u1' appears twice (first on line 2)", data_error);
}

TEST_CASE("a ranking file used as the current year must hold its whole pools; the previous year may be an excerpt") {
  const rank_table_options y2022{"", "", 2021, {}}, y2023{"", "", 2022, {}};
  const rank_table excerpt = read_rank_table(parse_csv("id,rank\nu1,1\nu2,14\n", "excerpt.csv"), y2022);
  const rank_table whole = read_rank_table(parse_csv("id,rank\nu1,2\nu2,1\nu3,3\n", "whole.csv"), y2023);
  // Previous = the excerpt: each unit's own rank is all a change needs. u2: 14 - 1 = +13.
  const rank_comparison c = compare_ranks(excerpt, whole);
  REQUIRE(c.changes.size() == 3);
  CHECK(c.changes[0].unit == "u2");
  CHECK(c.changes[0].change == 13);
  CHECK(c.changes[1].change == -1);   // u1: 1 - 2
  // Current = the excerpt: rank 14 among 2 ranked units would hide what left the ranking.
  const rank_table excerpt_now = read_rank_table(parse_csv("id,rank\nu1,1\nu2,14\n", "excerpt.csv"), y2023);
  CHECK_THROWS_WITH_AS(compare_ranks(read_rank_table(parse_csv("id,rank\nu1,1\n", "before.csv"), y2022), excerpt_now),
                       "excerpt.csv:3: unit 'u2': rank 14 is beyond the 2 ranked units of pool 'all' in this file; "
                       "the current year of a rank comparison needs the whole ranking of the pool (ranks 1 to 2), "
                       "not an excerpt",
                       data_error);
}

TEST_CASE("the whole-pool bound counts the ranked units of each pool; ties fit, unranked units take no place") {
  const auto check = [](const char* text) {
    check_whole_pools(read_rank_table(parse_csv(text, "r.csv")), "the test");
  };
  CHECK_NOTHROW(check("id,rank\nu1,1\nu2,1\nu3,3\n"));   // competition ranking of a tie: 1, 1, 3 <= 3 units
  CHECK_NOTHROW(check("id,rank\nu1,1\nu2,\nu3,2\n"));    // u2 unranked: 2 ranked units, ranks 1 and 2
  CHECK_THROWS_WITH_AS(check("id,rank\nu1,1\nu2,\nu3,3\n"),
                       doctest::Contains("r.csv:4: unit 'u3': rank 3 is beyond the 2 ranked units of pool 'all'"),
                       data_error);
  // Pools count separately: pool b has one ranked unit, so rank 2 there is beyond it.
  CHECK_THROWS_WITH_AS(check("id,pool,rank\nu1,a,1\nu2,a,2\nu3,b,2\n"),
                       doctest::Contains("r.csv:4: unit 'u3': rank 2 is beyond the 1 ranked unit of pool 'b' in this "
                                         "file; the test needs the whole ranking of the pool (ranks 1 to 1)"),
                       data_error);
  // A table built in code (a result's) is the caller's statement and is not checked.
  CHECK_NOTHROW(check_whole_pools(table(2023, "", {{"a", "all", 5}}), "the test"));
}
