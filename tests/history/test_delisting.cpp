#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "history_fixtures.hpp"
#include "parkscore/history/delisting.hpp"
#include "parkscore/error.hpp"
#include "parkscore/history/compare.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

// Six provincial zones P1..P6 and one national zone N1 over evaluation years 2021-2023.
//           2021  2022  2023
//   P1        1     3     1
//   P2        2     4     2
//   P3        3     5     6
//   P4        4     6     3
//   P5        5     2     5
//   P6        6     1     4
history level_history() {
  const std::vector<std::vector<double>> ranks = {{1, 2, 3, 4, 5, 6}, {3, 4, 5, 6, 2, 1}, {1, 2, 6, 3, 5, 4}};
  history h;
  for (int y = 0; y < 3; ++y) {
    std::vector<row> rows;
    for (int p = 0; p < 6; ++p) rows.push_back({"P" + std::to_string(p + 1), "provincial", ranks[y][p]});
    rows.push_back({"N1", "national", 1});
    h.add(table(2021 + y, "level", rows));
  }
  return h;
}

std::vector<std::string> units(const std::vector<watch_entry>& list) {
  std::vector<std::string> out;
  for (const watch_entry& w : list) out.push_back(w.unit);
  return out;
}

}  // namespace

TEST_CASE("Jiangsu 2021: last 3 of the provincial pool in at least 2 of 3 years") {
  // Bottom 3 = ranks 4-6. Hits: 2021 P4 P5 P6; 2022 P2 P3 P4; 2023 P3 P5 P6.
  // Hit counts: P2 1, P3 2, P4 2, P5 2, P6 2. N1 is last of its pool but the rule is provincial only.
  const auto list = delisting_watch(level_history(), builtin_delisting_rule("jiangsu-2021"), 2023);
  // Worst 2023 place first: P3 6, P5 5, P6 4, P4 3.
  CHECK(units(list) == std::vector<std::string>{"P3", "P5", "P6", "P4"});
  CHECK(list[0].hit_years == std::vector<int>{2022, 2023});
  CHECK(list[3].hit_years == std::vector<int>{2021, 2022});
  CHECK(list[0].order_value == 6);
  CHECK(list[0].rule == "jiangsu-2021");
  CHECK(list[0].pool == "provincial");
  // As of 2022 the window is 2020-2022 (2020 absent = no hit): P4 (2021, 2022) only.
  CHECK(units(delisting_watch(level_history(), builtin_delisting_rule("jiangsu-2021"), 2022)) ==
        std::vector<std::string>{"P4"});
}

TEST_CASE("Jiangsu 2013: last 2 in 2 consecutive years") {
  // Bottom 2 = ranks 5-6. 2022: P3 P4; 2023: P3 P5. Only P3 is in both.
  const auto list = delisting_watch(level_history(), builtin_delisting_rule("jiangsu-2013"), 2023);
  CHECK(units(list) == std::vector<std::string>{"P3"});
  CHECK(list[0].hit_years == std::vector<int>{2022, 2023});
  // As of 2022: 2021 P5 P6, 2022 P3 P4: nobody twice.
  CHECK(delisting_watch(level_history(), builtin_delisting_rule("jiangsu-2013"), 2022).empty());
}

TEST_CASE("Zhejiang 2021: bottom 5 of its pool 3 years running") {
  // Bottom 5 of 6 = ranks 2-6. 2021: P2-P6; 2022: P1-P5; 2023: P2-P6. Three in a row: P2 P3 P4 P5.
  // N1 is alone in the national pool, so it is always in its bottom 5.
  const auto list = delisting_watch(level_history(), builtin_delisting_rule("zhejiang-2021"), 2023);
  // Pools in label order, then worst 2023 place first: N1; P3 6, P5 5, P4 3, P2 2.
  CHECK(units(list) == std::vector<std::string>{"N1", "P3", "P5", "P4", "P2"});
  CHECK(list[4].hit_years == std::vector<int>{2021, 2022, 2023});
}

TEST_CASE("MOFCOM 2021: last 5 of its region at least twice in 3 years, ordered by mean score") {
  // Region East, E1..E7; scores 2021: 90 - 4 (rank - 1); 2022: 80 - 3 (rank - 1); 2023: 85 - 5 (rank - 1).
  //           2021 rank/score   2022 rank/score   2023 rank/score
  //   E1        1  90             3  74             1  85
  //   E2        2  86             4  71             2  80
  //   E3        3  82             5  68             3  75
  //   E4        4  78             6  65             4  70
  //   E5        5  74             7  62             5  65
  //   E6        6  70             2  77             6  60
  //   E7        7  66             1  80             7  55
  // Bottom 5 = ranks 3-7. Hits: E1 1, E2 1, E3 3, E4 3, E5 3, E6 2, E7 2.
  // Means over the hit years: E3 (82+68+75)/3 = 75, E4 (78+65+70)/3 = 71, E5 (74+62+65)/3 = 67,
  //   E6 (70+60)/2 = 65, E7 (66+55)/2 = 60.5.
  // West (W1, W2) appears in 2023 only: one hit at most.
  const std::vector<std::vector<double>> ranks = {{1, 2, 3, 4, 5, 6, 7}, {3, 4, 5, 6, 7, 2, 1}, {1, 2, 3, 4, 5, 6, 7}};
  const double top[] = {90, 80, 85}, step[] = {4, 3, 5};
  history h;
  for (int y = 0; y < 3; ++y) {
    std::vector<row> rows;
    for (int e = 0; e < 7; ++e)
      rows.push_back({"E" + std::to_string(e + 1), "East", ranks[y][e], top[y] - step[y] * (ranks[y][e] - 1)});
    if (y == 2) {
      rows.push_back({"W1", "West", 1, 50});
      rows.push_back({"W2", "West", 2, 40});
    }
    h.add(table(2021 + y, "region", rows));
  }
  const auto list = delisting_watch(h, builtin_delisting_rule("mofcom-2021"), 2023);
  CHECK(units(list) == std::vector<std::string>{"E7", "E6", "E5", "E4", "E3"});
  CHECK(list[0].order_value == approx(60.5));
  CHECK(list[1].order_value == approx(65));
  CHECK(list[2].order_value == approx(67));
  CHECK(list[4].order_value == approx(75));
  CHECK(list[1].hit_years == std::vector<int>{2021, 2023});
}

TEST_CASE("a vetoed year counts as last place by default, or as no hit") {
  // Pool of five; bottom 2 in 2 of 2 years. 2022: A1 B2 C3 D4 E5 (hits D, E).
  // 2023: E vetoed, A1 B2 C3 D4.
  history h;
  h.add(table(2022, "", {{"A", "all", 1}, {"B", "all", 2}, {"C", "all", 3}, {"D", "all", 4}, {"E", "all", 5}}));
  h.add(table(2023, "", {{"A", "all", 1}, {"B", "all", 2}, {"C", "all", 3}, {"D", "all", 4},
                         {"E", "all", NaN, 30, "major safety accident"}}));
  delisting_rule rule;
  rule.name = "test";
  rule.bottom = 2, rule.window = 2, rule.min_hits = 2;

  SUBCASE("last_place: E is last (place 4 ranked + 1 = 5); D has one unit behind it (E): 1 < 2, a hit") {
    const auto list = delisting_watch(h, rule, 2023);
    CHECK(units(list) == std::vector<std::string>{"E", "D"});
    CHECK(list[0].order_value == 5);
    CHECK(list[1].order_value == 4);
    CHECK(in_bottom(h.table(2023, ""), h.table(2023, "").entries[3], rule));
    CHECK_FALSE(in_bottom(h.table(2023, ""), h.table(2023, "").entries[2], rule));  // C: D and E behind
  }
  SUBCASE("not_a_hit: E's 2023 is no hit; the bottom 2 of the ranked are C and D; only D was hit in 2022") {
    rule.vetoed = vetoed_year::not_a_hit;
    const auto list = delisting_watch(h, rule, 2023);
    CHECK(units(list) == std::vector<std::string>{"D"});
    CHECK(in_bottom(h.table(2023, ""), h.table(2023, "").entries[2], rule));  // C: only D behind
  }
}

TEST_CASE("delisting rules: built-ins, validation, JSON round trip") {
  CHECK(delisting_rule_names().size() == 4);
  for (const std::string& name : delisting_rule_names()) {
    const delisting_rule r = builtin_delisting_rule(name);
    CHECK_NOTHROW(r.validate());
    const auto back = parse_delisting_rules(to_json(r), name);
    REQUIRE(back.size() == 1);
    CHECK(back[0] == r);
  }
  CHECK_THROWS_WITH_AS(builtin_delisting_rule("anhui"),
                       doctest::Contains("unknown delisting rule 'anhui' (built-in rules: jiangsu-2021"),
                       schema_error);
  delisting_rule bad = builtin_delisting_rule("jiangsu-2021");
  bad.min_hits = 4;
  CHECK_THROWS_WITH_AS(bad.validate(),
                       doctest::Contains("delisting rule 'jiangsu-2021': min_hits: must be between 1 and the window (3), got 4"),
                       schema_error);
  CHECK_THROWS_AS(delisting_watch(level_history(), bad, 2023), schema_error);
}

TEST_CASE("delisting rules from JSON: keys, defaults, errors with paths") {
  const auto rules = parse_delisting_rules(R"([
    {"name": "a", "grouping": "all", "bottom": 2, "window": 2, "min_hits": 2},
    {"name": "b", "grouping": "region", "pools": ["苏北"], "bottom": 3, "window": 4, "min_hits": 3,
     "pattern": "consecutive", "order": "mean_score", "vetoed_year": "not_a_hit"}])",
                                           "rules.json");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].grouping.empty());
  CHECK(rules[0].pattern == hit_pattern::any);
  CHECK(rules[0].vetoed == vetoed_year::last_place);
  CHECK(rules[1].pools == std::vector<std::string>{"苏北"});
  CHECK(rules[1].order == watch_order::mean_score);
  CHECK(rules[1].vetoed == vetoed_year::not_a_hit);

  const auto fails = [](const std::string& text, const std::string& expected) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_delisting_rules(text, "rules.json"), doctest::Contains(expected.c_str()), schema_error);
  };
  const std::string ok = R"("name": "x", "grouping": "level", "bottom": 3, "window": 3, "min_hits": 2)";
  fails("[{" + ok + R"(}, {)" + ok + R"(, "botom": 3}])",
        "rules.json: /1/botom: unknown key 'botom' (allowed here: name, description");
  fails("{" + ok + R"(, "pattern": "often"})",
        "rules.json: /pattern: unknown value 'often' (expected one of: any, consecutive)");
  fails("{" + ok + R"(, "vetoed_year": "ignore"})", "/vetoed_year: unknown value 'ignore' (expected one of: last_place, not_a_hit)");
  fails(R"({"name": "x", "grouping": "level", "bottom": 3, "window": 3, "min_hits": 5})",
        "rules.json: /min_hits: must be between 1 and the window (3), got 5");
  fails(R"({"name": "x", "grouping": "level", "bottom": 0, "window": 3, "min_hits": 2})",
        "rules.json: /bottom: must be at least 1, got 0");
  fails(R"({"name": "x", "grouping": "level", "bottom": 2.5, "window": 3, "min_hits": 2})",
        "rules.json: /bottom: expected an integer, got 2.5");
  fails(R"({"grouping": "level", "bottom": 3, "window": 3, "min_hits": 2})",
        "rules.json: /: missing required key 'name'");
  fails("{" + ok + R"(, "pools": "provincial"})", "rules.json: /pools: expected an array, got string");
  fails("{" + ok + R"(, "pools": [""]})", "rules.json: /pools: a pool label must not be empty");
  fails(R"({"name": "x", "grouping": "", "bottom": 3, "window": 3, "min_hits": 2})",
        "rules.json: /grouping: a grouping column name, or \"all\"");
  fails("[1]", "rules.json: /0: expected an object, got number");
  fails("{", "rules.json:1:2: invalid JSON");
}

TEST_CASE("the delisting watch needs whole rankings: an excerpt in the window is an error naming file, line and bound") {
  // Bottom 1 of pool all in 1 of 2 years. Evaluation 2022 from a file holding ranks 1, 2 and 9 in three
  // rows: the units ranked 3 to 8 are missing, and the file cannot tell whether anyone ranks behind c.
  delisting_rule rule;
  rule.name = "test";
  rule.bottom = 1, rule.window = 2, rule.min_hits = 1;
  history h;
  h.add(read_rank_table(parse_csv("id,rank\na,1\nb,2\nc,9\n", "r2021.csv"), {"", "", 2021, {}}));
  h.add(read_rank_table(parse_csv("id,rank\na,1\nb,2\nc,3\n", "r2022.csv"), {"", "", 2022, {}}));
  CHECK_THROWS_WITH_AS(delisting_watch(h, rule, 2023),
                       "r2021.csv:4: unit 'c': rank 9 is beyond the 3 ranked units of pool 'all' in this file; the "
                       "delisting watch (rule 'test', evaluation year 2022) needs the whole ranking of the pool "
                       "(ranks 1 to 3), not an excerpt",
                       data_error);
  // Whole rankings: evaluation 2022 a1 b2 c3 (c last), 2023 a1 b3 c2 (b last); latest place first.
  history whole;
  whole.add(read_rank_table(parse_csv("id,rank\na,1\nb,2\nc,3\n", "r2021.csv"), {"", "", 2021, {}}));
  whole.add(read_rank_table(parse_csv("id,rank\na,1\nb,3\nc,2\n", "r2022.csv"), {"", "", 2022, {}}));
  const auto list = delisting_watch(whole, rule, 2023);
  REQUIRE(list.size() == 2);
  CHECK(units(list) == std::vector<std::string>{"b", "c"});
}
