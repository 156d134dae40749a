#include <doctest/doctest.h>

#include "parkscore/csv.hpp"
#include "parkscore/error.hpp"
#include "tolerance.hpp"

using namespace parkscore;

TEST_CASE("RFC 4180: quoted commas, quotes and line breaks; BOM; CRLF") {
  const csv_table t = parse_csv("\xEF\xBB\xBFid,name,x\r\nz1,\"A, \"\"big\"\" one\",1\r\nz2,\"two\nlines\",2\r\n", "t.csv");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.header[0] == "id");
  CHECK(t.rows[0][1] == "A, \"big\" one");
  CHECK(t.rows[1][1] == "two\nlines");
  CHECK(t.lines[1] == 3);
  CHECK(csv_escape("A, \"big\"") == "\"A, \"\"big\"\"\"");
}

TEST_CASE("malformed CSV names file and line") {
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,1,2\n", "t.csv"), "t.csv:2: row has 3 fields, the header has 2", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,\"1\n", "t.csv"), "t.csv:2: a quoted field is never closed", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz\xC9\xFA,1\n", "t.csv"), doctest::Contains("t.csv:2: the file is not valid UTF-8"),
                       data_error);
  CHECK_THROWS_WITH_AS(parse_csv("", "t.csv"), "t.csv: the file is empty (no header row)", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x,x\n", "t.csv"), "t.csv:1: duplicate column 'x' (column 3)", data_error);
}

TEST_CASE("wide layout: ids, names, groups, missing markers, strict numbers") {
  const csv_table t = parse_csv("id,name,level,a,b\nz1,甲,national,1.5,NA\nz2,乙,provincial,-,2e3\n", "w.csv");
  wide_layout layout;
  layout.group_columns = {"level"};
  const dataset d = read_wide(t, layout);
  CHECK(d.indicator_ids() == std::vector<std::string>{"a", "b"});
  CHECK(d.unit_names()[1] == "乙");
  CHECK(d.group("level")[0] == "national");
  CHECK(std::isnan(d.value(0, 1)));
  CHECK(std::isnan(d.value(1, 0)));
  CHECK(d.value(1, 1) == 2000);
  CHECK_THROWS_WITH_AS(read_wide(parse_csv("id,a\nz1,12abc\n", "w.csv")),
                       "w.csv:2: column 'a' (column 2), unit 'z1': '12abc' is not a number", data_error);
  CHECK_THROWS_WITH_AS(read_wide(parse_csv("id,a\nz1,1\nz1,2\n", "w.csv")),
                       "w.csv:3: duplicate unit id 'z1' (first on line 2)", data_error);
}
