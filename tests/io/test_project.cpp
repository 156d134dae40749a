// The project file: read strictly, paths relative to its folder (issue 11).
#include <doctest/doctest.h>

#include <parkscore/error.hpp>
#include <parkscore/io/project.hpp>

using namespace parkscore;

TEST_CASE("a project file holds what an office repeats on every command") {
  const project p = parse_project(R"({
    "format": "parkscore-project", "version": 1,
    "framework": "jiangsu-2021", "encoding": "gb18030",
    "id_column": "开发区代码", "name_column": "开发区名称", "groups": ["city"],
    "mapping": {"columns": {"开发区类别": "level"}, "labels": {"level": {"省级开发区": "provincial"}}},
    "percent": "fraction", "ignore_extra": true,
    "data": [{"year": 2022, "file": "data/2022.csv"}, "data/zones-2023.csv"],
    "pool": "level", "label": "provincial", "rule": "jiangsu-2021",
    "output": {"format": "markdown", "file": "out/ranking.md", "levels": 2, "top": 10, "decimals": 1}
  })", "office/parkscore.json", "office");
  CHECK(p.framework == "jiangsu-2021");   // a preset name stays a name
  CHECK(p.encoding == "gb18030");
  CHECK(p.data.id_column == "开发区代码");
  CHECK(p.data.keep == std::vector<std::string>{"city"});
  CHECK(p.data.mapping.columns.at("开发区类别") == "level");
  CHECK(p.data.mapping.labels.at("level").at("省级开发区") == "provincial");
  CHECK(p.data.percent == percent_rule::fraction);
  CHECK(p.data.ignore_extra);
  REQUIRE(p.inputs.size() == 2);
  CHECK(p.inputs[0].file == "office/data/2022.csv");
  CHECK(p.inputs[0].year == "2022");
  CHECK(p.inputs[1].year.empty());
  CHECK(p.format == report_format::markdown);
  CHECK(p.output == "office/out/ranking.md");
  CHECK(p.levels == 2);
  CHECK(p.top == 10);
  CHECK(p.decimals == 1);
}

TEST_CASE("project files are strict: unknown keys and bad values name the JSON path") {
  const std::string head = R"({"format": "parkscore-project", "version": 1, "framework": "x", )";
  CHECK_THROWS_WITH_AS(parse_project(head + R"("data": ["a.csv"], "pools": "level"})", "p.json", ""),
                       doctest::Contains("p.json: /pools: unknown key 'pools' (allowed here:"), schema_error);
  CHECK_THROWS_WITH_AS(parse_project(head + R"("data": []})", "p.json", ""),
                       doctest::Contains("p.json: /data: needs at least one data file"), schema_error);
  CHECK_THROWS_WITH_AS(parse_project(head + R"("data": [{"file": "a.csv", "yaer": 2020}]})", "p.json", ""),
                       doctest::Contains("p.json: /data/0/yaer: unknown key"), schema_error);
  CHECK_THROWS_WITH_AS(parse_project(head + R"("data": ["a.csv"], "percent": "pct"})", "p.json", ""),
                       doctest::Contains("p.json: /percent: unknown value 'pct'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_project(R"({"format": "parkscore-framework", "version": 1})", "p.json", ""),
                       doctest::Contains("not a project file"), schema_error);
}
