#include <doctest/doctest.h>

#include <sstream>

#include "fixtures.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/report/report.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

// two_category_framework on four_units, pool "all" (min-max 0-100):
//   a1 = 0, 25, 50, 100;  a2 (lower) = (5 - x) / 4 * 100 = 0, 100, 50, 100;  b1 = (x - 2) / 6 * 100 = 0, 33.3, 66.7, 100
//   A = (a1 + a2) / 2 = 0, 62.5, 50, 100;  B = b1
//   index = (2 A + B) / 3 = 0, (125 + 33.33) / 3 = 52.78, (100 + 66.67) / 3 = 55.56, 100  -> ranks 4, 3, 2, 1
result demo_result() {
  dataset d = test::four_units();
  d.set_unit_names({"甲园区", "u2", "한국 zone", "ＦＵＬＬ"});
  evaluation_options options;
  options.pools = {"", "level"};
  return evaluate(test::two_category_framework(), d, options);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("display width: CJK, Hangul, fullwidth forms and CJK punctuation are two columns") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("示范园区甲 (demo A)") == 19);   // 5 ideographs x 2 + 9 ASCII
  CHECK(display_width("한국") == 4);
  CHECK(display_width("ＡＢ") == 4);                   // fullwidth forms
  CHECK(display_width("、。「」") == 8);               // CJK punctuation
  CHECK(display_width("e\xCC\x81") == 1);              // e + combining acute
  CHECK(display_width("—") == 1);                      // em dash: ambiguous width, narrow
  CHECK(display_width("𠀀") == 2);                     // CJK extension B (4-byte UTF-8)
}

TEST_CASE("ranking report: order, levels, top-k, hand-computed scores") {
  const result r = demo_result();
  report_options options;
  const report rep = make_report(r, options);
  REQUIRE(rep.columns.size() == 3);   // index, A, B (levels = 1)
  CHECK(rep.columns[1].id == "A");
  REQUIRE(rep.rows.size() == 4);
  CHECK(rep.rows[0].unit_id == "u4");
  CHECK(rep.rows[1].unit_id == "u3");
  CHECK(rep.rows[1].scores[0] == approx(500.0 / 9));    // (100 + 66.667) / 3 = 55.556
  CHECK(rep.rows[2].scores[0] == approx(475.0 / 9));    // (125 + 33.333) / 3 = 52.778
  CHECK(rep.rows[2].scores[1] == approx(62.5));
  CHECK(rep.rows[3].rank == 4);

  options.levels = 2;
  const report deep = make_report(r, options);
  std::vector<std::string> ids;
  for (const auto& c : deep.columns) ids.push_back(c.id);
  CHECK(ids == std::vector<std::string>{"index", "A", "a1", "a2", "B", "b1"});   // depth-first

  options.levels = 1;
  options.top = 2;
  options.grouping = "level";
  // level=national: u1 (0) and u3; level=provincial: u2 and u4. Within national: a1 0, 20 -> 0, 100;
  // a2 5, 3 -> 0, 100; b1 2, 6 -> 0, 100: u3 ranks 1, u1 ranks 2 (both kept by top 2).
  const report pooled = make_report(r, options);
  REQUIRE(pooled.rows.size() == 4);
  CHECK(pooled.rows[0].pool == "national");
  CHECK(pooled.rows[0].unit_id == "u3");
  CHECK(pooled.rows[1].unit_id == "u1");
  CHECK(pooled.rows[2].pool == "provincial");
  options.top = 1;
  CHECK(make_report(r, options).rows.size() == 2);
  CHECK_THROWS_AS(make_report(r, {"region", 1, 0, 2}), error);
}

TEST_CASE("report formats: aligned table with CJK names, CSV round trip, Markdown, JSON") {
  const result r = demo_result();
  const report rep = make_report(r, {});
  const std::string table = format_report(rep, report_format::table);
  const auto lines = lines_of(table);
  REQUIRE(lines.size() == 2 + 2 + 4);   // title, blank, header, rule, 4 units
  // Every column is padded by display width and the last (numeric) column is right-aligned,
  // so header, rule and every row end at the same display column.
  for (std::size_t i = 2; i < lines.size(); ++i) {
    CAPTURE(lines[i]);
    CHECK(display_width(lines[i]) == display_width(lines[3]));
  }
  CHECK(table.find("55.56") != std::string::npos);

  const csv_table back = parse_csv(format_report(rep, report_format::csv), "out.csv");
  // Each node's score and, below the index (whose rank is `rank`), its rank in the pool.
  CHECK(back.header == std::vector<std::string>{"pool", "rank", "id", "name", "index", "A", "A_rank", "B", "B_rank"});
  // A = 100, 50, 62.5, 0 and B = 100, 66.7, 33.3, 0 for the rows u4, u3, u2, u1: A ranks u3 3rd, u2 2nd; B ranks u2 3rd.
  CHECK(back.cell(1, 6) == "3");
  CHECK(back.cell(2, 6) == "2");
  CHECK(back.cell(2, 8) == "3");
  CHECK(rep.rows[1].ranks == std::vector<double>{2, 3, 2});   // u3: index, A, B
  CHECK(back.cell(3, 3) == "甲园区");
  CHECK(std::stod(std::string(back.cell(1, 4))) == approx(500.0 / 9, 1e-12));   // full precision in CSV

  const std::string md = format_report(rep, report_format::markdown);
  CHECK(md.find("| Rank | ID | Name | Demo index | A | B |\n|---:|---|---|---:|---:|---:|\n") != std::string::npos);
  CHECK(md.find("| 1 | u4 | ＦＵＬＬ | 100.00 | 100.00 | 100.00 |") != std::string::npos);

  const std::string json = format_report(rep, report_format::json);
  CHECK(json.find("\"pooling\": \"all\"") != std::string::npos);
  CHECK(json.find("\"id\": \"u3\"") != std::string::npos);
  CHECK(json.find("\"ranks\": {\n        \"index\": 2.0,\n        \"A\": 3.0,\n        \"B\": 2.0\n      }") != std::string::npos);
}

TEST_CASE("explain: scores at every level, strongest and weakest relative to the pool median") {
  const result r = demo_result();
  const unit_explanation e = explain_unit(r, "u2", "", 1);
  // u2 normalised: a1 25, a2 100, b1 33.33. Pool medians: a1 (25 + 50) / 2 = 37.5; a2 of 0, 50, 100, 100 = 75;
  // b1 (33.33 + 66.67) / 2 = 50. Differences: a1 -12.5, a2 +25, b1 -16.67.
  REQUIRE(e.nodes.size() == 6);
  CHECK(e.nodes[0].score == approx(475.0 / 9));
  CHECK(e.nodes[0].rank == 3);
  CHECK(e.pool_size == 4);
  REQUIRE(e.strongest.size() == 1);
  CHECK(e.strongest[0].id == "a2");
  CHECK(e.strongest[0].difference == approx(25));
  CHECK(e.strongest[0].rank == 1);   // nobody is above 100
  REQUIRE(e.weakest.size() == 1);
  CHECK(e.weakest[0].id == "b1");
  CHECK(e.weakest[0].pool_median == approx(50));
  CHECK(e.weakest[0].difference == approx(100.0 / 3 - 50));
  CHECK(e.weakest[0].rank == 3);     // 66.7 and 100 are above 33.3
  // With count 3 the three indicators are split, never listed twice: 3 strongest would use them all.
  const unit_explanation all = explain_unit(r, "u2", "", 3);
  CHECK(all.strongest.size() == 3);
  CHECK(all.weakest.empty());
  CHECK_THROWS_WITH_AS(explain_unit(r, "nope"), "no unit 'nope' in the result", data_error);
  const std::string text = format_explanation(e, report_format::table);
  CHECK(text.find("+25.00") != std::string::npos);
  CHECK(format_explanation(e, report_format::json).find("\"difference\": 25.0") != std::string::npos);
}
