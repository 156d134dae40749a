#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "history_fixtures.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/history/history.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
const rank_change& change_of(const std::vector<rank_change>& changes, const std::string& unit) {
  for (const rank_change& c : changes)
    if (c.unit == unit) return c;
  FAIL("no change for unit " << unit);
  return changes.front();
}
}  // namespace

TEST_CASE("year convention: evaluation year = data year + lag") {
  CHECK(year_convention{}.evaluation_year(2021) == 2022);  // MOFCOM: the 2022 round uses 2021 data
  CHECK(year_convention{0}.evaluation_year(2021) == 2021);
  CHECK(year_convention{1}.data_year(2024) == 2023);
}

TEST_CASE("rank changes, hand-computed: moved, unchanged, new entrant, no previous rank, vetoed, pool change") {
  const rank_table before = table(2022, "level", {{"HL", "provincial", 27},
                                                  {"B", "provincial", 1},
                                                  {"C", "provincial", 2},
                                                  {"D", "provincial", NaN, 61.0, "major safety accident"},
                                                  {"G", "provincial", 3},
                                                  {"U", "provincial", 4}});
  const rank_table now = table(2023, "level", {{"HL", "provincial", 15},
                                               {"B", "provincial", 3},
                                               {"C", "provincial", 2},
                                               {"D", "provincial", 4},
                                               {"F", "provincial", 5},
                                               {"G", "provincial", NaN, 70.0, "major environmental incident"},
                                               {"U", "national", 1}});
  const auto changes = rank_changes(before, now);
  REQUIRE(changes.size() == 7);
  // 海陵 as reported: 27 -> 15 = 27 - 15 = +12.
  CHECK(change_of(changes, "HL").status == rank_change_status::moved);
  CHECK(change_of(changes, "HL").change == 12);
  CHECK(format_change(change_of(changes, "HL")) == "↑12");
  // 1 -> 3 = 1 - 3 = -2.
  CHECK(change_of(changes, "B").change == -2);
  CHECK(format_change(change_of(changes, "B")) == "↓2");
  // 2 -> 2 = 0.
  CHECK(change_of(changes, "C").change == 0);
  CHECK(format_change(change_of(changes, "C")) == "–");
  // vetoed last year: no previous rank, no number.
  CHECK(change_of(changes, "D").status == rank_change_status::no_previous_rank);
  CHECK(std::isnan(change_of(changes, "D").change));
  CHECK(format_change(change_of(changes, "D")) == "n/a");
  CHECK(change_of(changes, "F").status == rank_change_status::new_entrant);
  CHECK(format_change(change_of(changes, "F")) == "new");
  CHECK(change_of(changes, "G").status == rank_change_status::vetoed);
  CHECK(change_of(changes, "G").previous == 3);
  CHECK(std::isnan(change_of(changes, "G").current));
  // Upgraded to national: ranks of different pools are not comparable, so the unit is new to its pool.
  CHECK(change_of(changes, "U").status == rank_change_status::new_entrant);
  CHECK(std::isnan(change_of(changes, "U").previous));
}

TEST_CASE("rank changes: fractional ranks, unranked units, groupings must match") {
  const auto changes = rank_changes(table(2022, "", {{"A", "all", 2.5}, {"B", "all", 1}}),
                                    table(2023, "", {{"A", "all", 1}, {"B", "all", NaN}}));
  CHECK(format_change(changes[0]) == "↑1.5");  // 2.5 - 1
  CHECK(changes[1].status == rank_change_status::unranked);
  CHECK(format_change(changes[1]) == "n/a");
  CHECK_THROWS_WITH_AS(rank_changes(table(2022, "level", {}), table(2023, "", {})),
                       doctest::Contains("groupings differ (level in 2022, all units in 2023)"), data_error);
}

TEST_CASE("history: tables by evaluation year and grouping") {
  history h;
  h.add(table(2022, "level", {{"A", "provincial", 2}, {"B", "provincial", 1}}));
  h.add(table(2024, "level", {{"A", "provincial", 1}, {"B", "provincial", 2}}));
  h.add(table(2024, "", {{"A", "all", 1}, {"B", "all", 2}}));
  CHECK(h.evaluation_years() == std::vector<int>{2022, 2024});
  CHECK(h.find(2023, "level") == nullptr);
  CHECK_THROWS_WITH_AS(h.add(table(2022, "level", {})),
                       doctest::Contains("evaluation year 2022 (level) is already present"), data_error);
  CHECK_THROWS_WITH_AS((void)h.table(2023, "region"), doctest::Contains("no evaluation year 2023 (region)"),
                       data_error);
  // 2023 is missing: 2024 has no previous year, so nothing can be said about entry.
  const auto changes = rank_changes(h, 2024, "level");
  CHECK(changes[0].status == rank_change_status::no_previous_rank);
  CHECK(changes[1].status == rank_change_status::no_previous_rank);
}

TEST_CASE("rank table of an evaluation: pool labels, ranks, scores, veto reasons") {
  evaluation_options opt;
  opt.pools = {"", "level"};
  opt.excluded = {{"u1", "major safety accident"}};
  const result r = evaluate(two_category_framework(), four_units(), opt);
  const rank_table t = make_rank_table(r, {"level", "", 2021, {}});
  CHECK(t.data_year == 2021);
  CHECK(t.evaluation_year == 2022);
  REQUIRE(t.entries.size() == 4);
  CHECK(t.entries[0].vetoed());
  CHECK(t.entries[0].veto_reason == "major safety accident");
  CHECK_FALSE(t.entries[0].ranked());
  CHECK(t.entries[0].pool == "national");
  // u1 is left out of the statistics, so u3 is alone in the national pool's ranking.
  CHECK(t.entries[2].rank == 1);
  CHECK(t.entries[2].score == approx(r.score("u3", "index", "level")));

  history h;
  h.add(r, 2021);
  CHECK(h.find(2022, "") != nullptr);
  CHECK(h.find(2022, "level") != nullptr);
  CHECK(h.table(2022, "").find("u2")->pool == "all");
}

TEST_CASE("a long table splits into one dataset per data year") {
  const csv_table long_table = parse_csv(
      "year,id,name,level,x\n"
      "2021,A,Zone A,provincial,1\n"
      "2022,A,Zone A,provincial,2\n"
      "2021,B,Zone B,national,3\n",
      "long.csv");
  wide_layout layout;
  layout.group_columns = {"level"};
  const auto years = split_years(long_table, "year", layout);
  REQUIRE(years.size() == 2);
  const dataset& d2021 = years.at(2021);
  CHECK(d2021.unit_ids() == std::vector<std::string>{"A", "B"});
  CHECK(d2021.indicator_ids() == std::vector<std::string>{"x"});
  CHECK(d2021.value(1, 0) == 3);
  CHECK(d2021.period == "2021");
  CHECK(d2021.group("level")[1] == "national");
  CHECK(years.at(2022).unit_count() == 1);
  CHECK(years.at(2022).value(0, 0) == 2);

  CHECK_THROWS_WITH_AS(split_years(parse_csv("year,id,x\n2021,A,1\n2021.5,B,2\n", "bad.csv"), "year"),
                       doctest::Contains("bad.csv:3: column 'year' (column 1): the year must be a whole number, got '2021.5'"),
                       data_error);
  CHECK_THROWS_WITH_AS(split_years(parse_csv("year,id,x\n,A,1\n", "gap.csv"), "year"),
                       doctest::Contains("gap.csv:2: column 'year'"), data_error);
  CHECK_THROWS_WITH_AS(split_years(parse_csv("id,x\nA,1\n", "none.csv"), "year"),
                       doctest::Contains("none.csv: no column 'year'"), data_error);
  // A duplicate unit within one year is reported with the original line number.
  CHECK_THROWS_WITH_AS(split_years(parse_csv("year,id,x\n2021,A,1\n2022,A,1\n2021,A,2\n", "dup.csv"), "year"),
                       doctest::Contains("dup.csv (year 2021):4: column 'id' (column 1): duplicate unit id 'A' (first on line 2)"), data_error);
}
