// Reading an office's file for a framework: clean ids, headers by name, declared
// scales, mapped labels (issue 11: the silent misreads).
#include <doctest/doctest.h>

#include <parkscore/error.hpp>
#include <parkscore/io/clean_text.hpp>
#include <parkscore/io/header_match.hpp>
#include <parkscore/io/read_data.hpp>
#include <parkscore/io/value_scale.hpp>
#include <parkscore/model/framework_io.hpp>

#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

// Two indicators: a GDP level the method wants in 亿元, and a growth rate as a
// fraction clipped to [-0.2, 0.5]; grouping column level (开发区类别) with Chinese labels.
const char* office_framework = R"({
  "format": "parkscore-framework", "version": 1, "id": "office",
  "pools": ["level"],
  "groups": [{"id": "level", "name": "开发区类别", "labels": {"national": ["国家级"], "provincial": ["省级"]}}],
  "index": {"id": "index", "children": [
    {"id": "gdp", "name": "地区生产总值", "name_en": "GDP", "direction": "higher",
     "scale": {"unit": "亿元", "convert": {"万元": 0.0001}}},
    {"id": "growth", "name": "地区生产总值增速", "name_en": "GDP growth rate", "direction": "higher",
     "scale": "fraction", "normalisation": {"method": "min_max", "clip": [-0.2, 0.5]}}
  ]}
})";

dataset read(const std::string& text, const data_request& request, std::vector<std::string>& warnings,
             problem_list& problems) {
  const framework model = parse_framework(office_framework, "office.json");
  const csv_table table = parse_csv(text, "office.csv");
  return read_dataset(table, model, request, problems, warnings);
}

dataset read_ok(const std::string& text, std::vector<std::string>& warnings, const data_request& request = {}) {
  problem_list problems;
  dataset d = read(text, request, warnings, problems);
  problems.raise_if_any();
  return d;
}

}  // namespace

TEST_CASE("clean_text, clean_id and match_key") {
  CHECK(clean_text("\xEF\xBB\xBF D02\t") == "D02");                    // BOM and spaces
  CHECK(clean_text("\xE3\x80\x80" "D02" "\xC2\xA0") == "D02");          // ideographic and no-break space
  CHECK(clean_id("\xEF\xBC\xA4\xEF\xBC\x90\xEF\xBC\x92") == "D02");     // Ｄ０２
  CHECK(clean_id("d02") == "d02");                                      // case is kept
  CHECK(clean_id("A B") == "A B");                                      // inner spaces are kept
  CHECK(match_key(" GDP growth Rate ") == "gdpgrowthrate");
  // The quick test that lets clean ids skip the work: never false when cleaning would change the cell.
  CHECK_FALSE(needs_cleaning("D02"));
  CHECK_FALSE(needs_cleaning("A B"));
  for (const char* dirty : {" D02", "D02\t", "\xEF\xBB\xBF" "D02", "D\xEF\xBC\x90" "2", "D02\xE3\x80\x80", "A\xE3\x80\x80" "B"})
    CHECK(needs_cleaning(dirty));
  CHECK(match_key("地区生产总值\xEF\xBC\x88万元\xEF\xBC\x89") == "地区生产总值(万元)");   // （万元）
}

TEST_CASE("ids: BOM and spaces are cleaned, and ids equal after cleaning are an error naming both lines") {
  std::vector<std::string> warnings;
  const dataset d = read_ok("id,开发区类别,gdp,growth\n\xEF\xBB\xBF" "D01,省级,1,0.1\n D02 ,国家级,2,0.2\n", warnings);
  CHECK(d.unit_ids() == std::vector<std::string>{"D01", "D02"});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("2 text cells") != std::string::npos);
  CHECK(warnings[0].find("line 2, column 'id'") != std::string::npos);   // said once, with the first example

  problem_list problems;
  read("id,level,gdp,growth\nD02,provincial,1,0.1\n D02,provincial,2,0.2\n", {}, warnings, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0].find("office.csv:3: column 'id': unit id ' D02' is the same as 'D02' on line 2") !=
        std::string::npos);
}

TEST_CASE("headers match by Chinese or English name; grouping column and labels map; a unit converts") {
  std::vector<std::string> warnings;
  // 12,345 万元 = 1.2345 亿元; "12.5%" of a fraction indicator = 0.125; 省级 -> provincial.
  const dataset d = read_ok(
      "id,开发区类别,地区生产总值（万元）,GDP Growth Rate\nD01,省级,\"12,345\",12.5%\nD02,国家级,\"20,000\",-3%\n",
      warnings);
  CHECK(d.indicator_ids() == std::vector<std::string>{"gdp", "growth"});
  CHECK(d.value(0, 0) == approx(1.2345));
  CHECK(d.value(0, 1) == approx(0.125));
  CHECK(d.value(1, 1) == approx(-0.03));
  CHECK(d.group("level") == std::vector<std::string>{"provincial", "national"});
  CHECK(warnings.empty());
}

TEST_CASE("a fraction column holding per-cent points is a warning naming the column; (%) in the header converts") {
  std::vector<std::string> warnings;
  read_ok("id,level,gdp,growth\nD01,provincial,1,12.5\nD02,provincial,2,4.2\nD03,provincial,3,0.1\n", warnings);
  REQUIRE(warnings.size() == 1);   // 2 of 3 values above 1
  CHECK(warnings[0].find("indicator 'growth' is declared a fraction") != std::string::npos);
  CHECK(warnings[0].find("2 of its 3 values are above 1") != std::string::npos);
  CHECK(warnings[0].find("clips it to [-0.2, 0.5]") != std::string::npos);

  warnings.clear();
  data_request mapped;
  mapped.mapping.columns["增速"] = "growth";
  const dataset d = read_ok("id,level,gdp,增速（%）\nD01,provincial,1,12.5\nD02,provincial,2,4.2\n", warnings, mapped);
  CHECK(d.value(0, 1) == approx(0.125));   // 12.5 points x 0.01
  CHECK(d.value(1, 1) == approx(0.042));
  CHECK(warnings.empty());
  // With the sign the cells are points too (not 0.125 x 0.01).
  const dataset e = read_ok("id,level,gdp,增速（%）\nD01,provincial,1,12.5%\nD02,provincial,2,4.2%\n", warnings, mapped);
  CHECK(e.value(0, 1) == approx(0.125));
  CHECK(e.value(1, 1) == approx(0.042));
}

TEST_CASE("unmatched headers are listed once, with the closest names and the indicator list") {
  std::vector<std::string> warnings;
  problem_list problems;
  read("id,level,地区生产总值,地区生产总值增长,税收\nD01,provincial,1,0.1,3\n", {}, warnings, problems);
  REQUIRE(problems.size() == 2);   // and: no column for indicator 'growth'
  const std::string& m = problems.messages()[0];
  CHECK(m.find("2 columns match no indicator") != std::string::npos);
  // One character off the Chinese name of growth, two off gdp's.
  CHECK(m.find("'地区生产总值增长' (closest: growth 地区生产总值增速; gdp 地区生产总值)") != std::string::npos);
  CHECK(m.find("'税收'. The framework's indicators") != std::string::npos);   // no near name: no suggestion
  CHECK(problems.messages()[1].find("no column for indicator 'growth'") != std::string::npos);
  CHECK(m.find("The framework's indicators: gdp 地区生产总值, growth 地区生产总值增速") != std::string::npos);

  data_request ignore;
  ignore.ignore_extra = true;
  problems = {};
  warnings.clear();
  read("id,level,地区生产总值,地区生产总值增速,税收\nD01,provincial,1,0.1,3\n", ignore, warnings, problems);
  CHECK(problems.empty());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "office.csv: ignored 1 column that matches no indicator: 税收");
}

TEST_CASE("a unit the scale does not convert is an error; the year column gives the period") {
  std::vector<std::string> warnings;
  problem_list problems;
  read("id,level,地区生产总值（千元）,growth\nD01,provincial,1,0.1\n", {}, warnings, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0].find("unit '千元', which the method does not convert (it expects 亿元") !=
        std::string::npos);

  const dataset d = read_ok("id,年份,level,gdp,growth\nD01,2023,provincial,1,0.1\nD02,2023,national,1,0.1\n", warnings);
  CHECK(d.period == "2023");
  problems = {};
  read("id,year,level,gdp,growth\nD01,2022,provincial,1,0.1\nD02,2023,national,1,0.1\n", {}, warnings, problems);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0].find("holds several years (2022, 2023)") != std::string::npos);
}

TEST_CASE("scale_for_column: the declared scale decides how 12.5% reads") {
  const number_format points{};
  value_scale fraction{scale_kind::fraction, "", {}};
  CHECK(scale_for_column(fraction, points, "", "w").format.percent == percent_rule::fraction);
  CHECK(parse_cell("12.5%", "w", scale_for_column(fraction, points, "", "w").format) == approx(0.125));
  value_scale pp{scale_kind::percent_points, "", {}};
  CHECK(parse_cell("12.5%", "w", scale_for_column(pp, {percent_rule::fraction}, "", "w").format) == approx(12.5));
  value_scale yuan{scale_kind::unit, "亿元", {{"万元", 1e-4}}};
  CHECK(scale_for_column(yuan, points, "万元", "w").factor == 1e-4);
  CHECK(scale_for_column(yuan, points, "亿元", "w").factor == 1.0);
  CHECK_THROWS_WITH_AS(scale_for_column(yuan, points, "%", "w"), doctest::Contains("unit '%'"), data_error);
}

TEST_CASE("a mapping target that is neither an indicator nor a grouping column is an error") {
  std::vector<std::string> warnings;
  problem_list problems;
  data_request r;
  r.mapping.columns["产值"] = "gpd";
  read("id,level,产值,growth\nD01,provincial,1,0.1\n", r, warnings, problems);
  REQUIRE(!problems.empty());
  CHECK(problems.messages()[0].find("'产值' -> 'gpd' (did you mean 'gdp'?)") != std::string::npos);
}
