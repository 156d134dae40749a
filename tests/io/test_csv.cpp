#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "io/csv_detail.hpp"
#include "temp_files.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/error.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto path = parkscore::test::temp_path("test_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::vector<std::string> fields_of(const csv_table& t, std::size_t row) {
  std::vector<std::string> out;
  for (std::size_t c = 0; c < t.header.size(); ++c) out.emplace_back(t.cell(row, c));
  return out;
}

}  // namespace

TEST_CASE("RFC 4180: quoted commas, quotes and line breaks; BOM; CRLF") {
  const csv_table t = parse_csv("\xEF\xBB\xBFid,name,x\r\nz1,\"A, \"\"big\"\" one\",1\r\nz2,\"two\nlines\",2\r\n", "t.csv");
  REQUIRE(t.row_count() == 2);
  CHECK(t.header[0] == "id");
  CHECK(t.cell(0, 1) == "A, \"big\" one");
  CHECK(t.cell(1, 1) == "two\nlines");
  CHECK(t.line(1) == 3);
  CHECK(csv_escape("A, \"big\"") == "\"A, \"\"big\"\"\"");
  CHECK(csv_line({"a", "b,c", ""}) == "a,\"b,c\",\r\n");
}

TEST_CASE("RFC 4180 edge cases: empty fields, no final newline, blank lines, lone CR, quoted empty field") {
  const csv_table t = parse_csv("a,b,c\n,,\"\"\n\n1,\"\",3\r4,5,\"x\"", "t.csv");
  // ",," and "1,,3" rows: an all-empty row is skipped like a blank line; the lone CR ends a record.
  REQUIRE(t.row_count() == 2);
  CHECK(fields_of(t, 0) == std::vector<std::string>{"1", "", "3"});
  CHECK(fields_of(t, 1) == std::vector<std::string>{"4", "5", "x"});
  CHECK(t.line(0) == 4);
  CHECK(t.line(1) == 5);
  // A round trip through csv_line gives the same fields back.
  const std::vector<std::string> fields = {"plain", "com,ma", "quo\"te", "line\nbreak", ""};
  const csv_table back = parse_csv(csv_line({"a", "b", "c", "d", "e"}) + csv_line(fields), "rt.csv");
  CHECK(fields_of(back, 0) == fields);
}

TEST_CASE("malformed CSV names file, line and column; every problem is reported") {
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,1,2\n", "t.csv"), "t.csv:2: row has 3 fields, the header has 2", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,\"1\n", "t.csv"), "t.csv:2: column 2: a quoted field is never closed",
                       data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,1\"2\"\n", "t.csv"),
                       doctest::Contains("t.csv:2: column 2: a quote inside an unquoted field"), data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x\nz1,\"1\"2\n", "t.csv"),
                       "t.csv:2: column 2: text after the closing quote of a quoted field", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("", "t.csv"), "t.csv: the file is empty (no header row)", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,x,x\n", "t.csv"), "t.csv:1: duplicate column 'x' (columns 2 and 3)", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id,,x\n", "t.csv"), "t.csv:1: column 2 has an empty header", data_error);

  problem_list problems;
  const csv_table t = parse_csv("id,x\nz1,1,2\nz2,2\nz3\nz4,\"a\"b\nz5,5\n", "t.csv", {}, problems);
  REQUIRE(problems.size() == 3);
  CHECK(problems.messages()[1] == "t.csv:4: row has 1 fields, the header has 2");
  CHECK(problems.messages()[2] == "t.csv:5: column 2: text after the closing quote of a quoted field");
  CHECK(t.row_count() == 2);   // z2 and z5: the parser resynchronises at the next line
  CHECK(t.line(1) == 6);
  CHECK_THROWS_WITH_AS(problems.raise_if_any(), doctest::Contains("3 problems:\n  t.csv:2: row has 3 fields"),
                       data_error);
}

TEST_CASE("encodings: invalid UTF-8 names the encoding to pass; GBK converts") {
  // 中 is D6 D0 in GBK and E4 B8 AD in UTF-8; 国 is B9 FA / E5 9B BD.
  const std::string gbk = "id,name,x\nz1,\xD6\xD0\xB9\xFA,1\n";
  CHECK_THROWS_WITH_AS(parse_csv(gbk, "g.csv"),
                       "g.csv:2: the file is not valid UTF-8 (byte 0xD6 at offset 13); it reads as GB18030/GBK (as "
                       "saved by Excel in Chinese): pass the encoding gb18030 (--encoding gb18030)",
                       data_error);
  for (const char* encoding : {"gbk", "GB18030", "gb2312"}) {
    CAPTURE(encoding);
    const csv_table t = parse_csv(gbk, "g.csv", {encoding});
    CHECK(t.cell(0, 1) == "中国");
  }
  // UTF-8 text with a non-UTF-8 encoding named: refused rather than turned into mojibake.
  CHECK_THROWS_WITH_AS(parse_csv("id,name\nz1,中国\n", "u.csv", {"gbk"}),
                       "u.csv: the file is already UTF-8; do not pass the encoding 'gbk'", data_error);
  CHECK_THROWS_WITH_AS(parse_csv("id\nz1\n", "u.csv", {"klingon-8"}), doctest::Contains("unknown encoding 'klingon-8'"),
                       data_error);
  // 0xFF is not a GBK byte (0x80 is: glibc reads it as the euro sign): the place is named.
  CHECK_THROWS_WITH_AS(parse_csv("id\nz\xFF\n", "b.csv", {"gbk"}), "b.csv:2: byte 0xFF (offset 4) is not valid gbk",
                       data_error);
  // Overlong and out-of-range UTF-8 lead bytes are invalid too.
  CHECK_THROWS_AS(parse_csv("id\n\xC0\xAF\n", "o.csv"), data_error);
  CHECK_THROWS_AS(parse_csv("id\n\xF5\x80\x80\x80\n", "o.csv"), data_error);
}

TEST_CASE("number cells: thousands separators, percentages, missing markers, rejections") {
  CHECK(parse_cell("1,234.5", "c") == 1234.5);
  CHECK(parse_cell(" -12,345,678 ", "c") == -12345678);
  CHECK(parse_cell("+2e3", "c") == 2000);
  CHECK(parse_cell("12.5%", "c") == 12.5);                               // percent points (default)
  CHECK(parse_cell("12.5 ％", "c") == 12.5);                             // fullwidth per-cent sign
  CHECK(parse_cell("12.5%", "c", {percent_rule::fraction}) == approx(0.125));   // 12.5 / 100
  for (const char* m : {"", "NA", "N/A", "-", "—", "/", "  ", "#N/A", "－", "／"}) {
    CAPTURE(m);
    CHECK(std::isnan(parse_cell(m, "c")));
  }
  CHECK_THROWS_WITH_AS(parse_cell("12.5%", "f.csv:3: column 'x' (column 2)", {percent_rule::reject}),
                       "f.csv:3: column 'x' (column 2): '12.5%' is a percentage, and percentages are rejected "
                       "(percent rule 'reject')",
                       data_error);
  for (const char* bad : {"1,23", "12,34,567", ",123", "1,,234", "1.234,5", "abc", "12abc", "inf", "(12)", "1 234",
                          "%", "0x10", "--1"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_cell(bad, "c"), data_error);
  }
  CHECK_THROWS_WITH_AS(parse_cell("1,23", "c"),
                       "c: '1,23' is not a number (thousands separators must separate groups of three digits)", data_error);
}

TEST_CASE("wide layout: ids, names, groups, missing markers, strict numbers") {
  const csv_table t = parse_csv("id,name,level,a,b\nz1,甲,national,1.5,NA\nz2,乙,provincial,-,\"2,000\"\n", "w.csv");
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
                       "w.csv:3: column 'id' (column 1): duplicate unit id 'z1' (first on line 2)", data_error);
}

TEST_CASE("wide layout: Chinese headers mapped, unknown and missing columns, mixed percentages") {
  const csv_table t = parse_csv("编号,名称,地区生产总值,税收收入\nz1,甲,\"1,200\",30%\nz2,乙,800,12.5%\n", "c.csv");
  wide_layout layout;
  layout.id_column = "编号";
  layout.name_column = "名称";
  layout.rename = {{"地区生产总值", "gdp"}, {"税收收入", "tax"}};
  layout.indicators = {"gdp", "tax"};
  layout.extra = extra_columns::error;
  layout.numbers.percent = percent_rule::fraction;
  const dataset d = read_wide(t, layout);
  CHECK(d.indicator_ids() == std::vector<std::string>{"gdp", "tax"});
  CHECK(d.value(0, 0) == 1200);
  CHECK(d.value(1, 1) == approx(0.125));   // 12.5 / 100

  layout.indicators = {"gdp", "fdi"};
  problem_list problems;
  read_wide(t, layout, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems.messages()[0] ==
        "c.csv:1: column '税收收入' (column 4) is not an indicator of the framework (indicators: gdp, fdi); map the "
        "header to an indicator id, declare it a grouping column, or remove the column");
  CHECK(problems.messages()[1] == "c.csv:1: no column for indicator 'fdi' (after applying the column mapping)");

  CHECK_THROWS_WITH_AS(read_wide(parse_csv("id,a\nz1,12%\nz2,0.3\n", "m.csv")),
                       "m.csv: column 'a' (column 2): mixes percentages (line 2: '12%') and plain numbers (line 3: "
                       "'0.3'); write every cell of the column the same way",
                       data_error);
  wide_layout renamed;
  renamed.rename = {{"b", "a"}};
  CHECK_THROWS_WITH_AS(read_wide(parse_csv("id,a,b\nz1,1,2\n", "r.csv"), renamed),
                       "r.csv:1: column 'a' (column 2) and column 'b' (column 3) both hold indicator 'a'", data_error);
}

TEST_CASE("wide layout: every bad cell in a file is reported, good rows still read") {
  problem_list problems;
  wide_layout layout;
  layout.group_columns = {"level"};
  const dataset d = read_wide(parse_csv("id,level,a,b\nz1,x,1,oops\n,x,2,3\nz3,,4,5\nz4,y,6,7\n", "p.csv"), layout,
                              problems);
  REQUIRE(problems.size() == 3);
  CHECK(problems.messages()[0] == "p.csv:2: column 'b' (column 4), unit 'z1': 'oops' is not a number");
  CHECK(problems.messages()[1] == "p.csv:3: column 'id' (column 1): the unit id is empty");
  CHECK(problems.messages()[2] == "p.csv:4: column 'level' (column 2), unit 'z3': the grouping label is empty");
  CHECK(d.unit_ids() == std::vector<std::string>{"z1", "z4"});
}

TEST_CASE("long layout: one dataset per year, NaN where a row is absent") {
  const csv_table t = parse_csv(
      "unit,name,level,year,indicator,value\n"
      "z1,甲,national,2022,gdp,\"1,000\"\n"
      "z1,甲,national,2022,税收,50\n"
      "z2,乙,provincial,2022,gdp,400\n"
      "z1,甲,national,2023,gdp,1100\n"
      "z2,乙,national,2023,gdp,NA\n",
      "l.csv");
  long_layout layout;
  layout.group_columns = {"level"};
  layout.rename = {{"税收", "tax"}};
  const auto years = read_long(t, layout);
  REQUIRE(years.size() == 2);
  const dataset& y22 = years.at("2022");
  CHECK(y22.period == "2022");
  CHECK(y22.unit_ids() == std::vector<std::string>{"z1", "z2"});
  CHECK(y22.indicator_ids() == std::vector<std::string>{"gdp", "tax"});
  CHECK(y22.value(0, 0) == 1000);
  CHECK(y22.value(0, 1) == 50);
  CHECK(std::isnan(y22.value(1, 1)));   // z2 has no tax row in 2022
  CHECK(y22.unit_names()[1] == "乙");
  const dataset& y23 = years.at("2023");
  CHECK(y23.group("level")[1] == "national");   // promoted in 2023
  CHECK(std::isnan(y23.value(1, 0)));

  layout.rename.clear();
  problem_list problems;
  read_long(parse_csv("unit,level,year,indicator,value\n"
                      "z1,national,2022,gdp,1\n"
                      "z1,provincial,2022,tax,2\n"
                      "z1,national,2022,gdp,3\n"
                      "z2,national,2022,gdp,x\n",
                      "l.csv"),
            layout, problems);
  REQUIRE(problems.size() == 3);
  CHECK(problems.messages()[0] ==
        "l.csv:3: column 'level' (column 2), unit 'z1', year 2022: 'provincial' differs from 'national' on line 2");
  CHECK(problems.messages()[1] ==
        "l.csv:4: a second value for unit 'z1', indicator 'gdp', year 2022 (first on line 2)");
  CHECK(problems.messages()[2] ==
        "l.csv:5: column 'value' (column 5), unit 'z2', indicator 'gdp', year 2022: 'x' is not a number");
  CHECK_THROWS_WITH_AS(read_long(parse_csv("unit,year,value\n", "l.csv")),
                       "l.csv:1: no indicator column 'indicator' in the header", data_error);
}

TEST_CASE("column mapping files: JSON object or two-column CSV") {
  const auto json = write_temp("map.json", R"({"地区生产总值": "gdp", "税收收入": "tax"})");
  CHECK(read_column_mapping(json) == std::map<std::string, std::string>{{"地区生产总值", "gdp"}, {"税收收入", "tax"}});
  const auto csv = write_temp("map.csv", "列名,指标\n地区生产总值,gdp\n税收收入,tax\n");
  CHECK(read_column_mapping(csv) == read_column_mapping(json));
  const auto bad_json = write_temp("bad_map.json", R"({"地区生产总值": 3})");
  CHECK_THROWS_WITH_AS(read_column_mapping(bad_json),
                       doctest::Contains("bad_map.json: /地区生产总值: expected a non-empty indicator id"), data_error);
  const auto twice = write_temp("twice.csv", "column,id\na,x\nb,y\na,z\n");
  CHECK_THROWS_WITH_AS(read_column_mapping(twice), doctest::Contains("twice.csv:4: column header 'a' is mapped twice (first on line 2)"),
                       data_error);
  CHECK_THROWS_WITH_AS(read_column_mapping(write_temp("none.csv", "")), doctest::Contains("none.csv: the file is empty"),
                       data_error);
}

TEST_CASE("plain decimal cells read to the same bits as from_chars") {
  auto bits = [](double v) {
    std::uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    return b;
  };
  auto from_chars_value = [](const std::string& s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  };
  auto read = [](const std::string& s) {
    detail::cell_value v;
    CHECK_FALSE(detail::read_number(s, {}, v));
    return v.value;
  };
  // Up to 15 digits with the point anywhere, either sign: the quotient path.
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 15);
    std::string s = rng() % 2 ? "-" : "";
    // The point after digit `point` (none if 0), so at least one digit on each side of it.
    const int point = static_cast<int>(rng() % static_cast<std::uint64_t>(digits));
    for (int d = 0; d < digits; ++d) {
      if (d == point && d > 0) s += '.';
      s += static_cast<char>('0' + rng() % 10);
    }
    CAPTURE(s);
    double fast = 0;
    REQUIRE(detail::read_plain_decimal(s, fast));
    REQUIRE(bits(fast) == bits(from_chars_value(s)));
  }
  // What the quotient path leaves to from_chars: 16 digits or more, no digit before or after the point, exponents.
  for (const std::string s : {"1234567890.123456", "12345678901234567", ".5", "1.", "-.25", "1e3", "0.1", "-0"}) {
    CAPTURE(s);
    CHECK(bits(read(s)) == bits(from_chars_value(s)));
  }
  double v = 0;
  CHECK_FALSE(detail::read_plain_decimal("1234567890.123456", v));
  CHECK_FALSE(detail::read_plain_decimal(".5", v));
  CHECK_FALSE(detail::read_plain_decimal("1.", v));
  CHECK_FALSE(detail::read_plain_decimal("1,234", v));
  CHECK_FALSE(detail::read_plain_decimal("", v));
  CHECK_FALSE(detail::read_plain_decimal("-", v));
  CHECK(detail::read_plain_decimal("-0.0", v));
  CHECK(std::signbit(v));
  CHECK(detail::read_plain_decimal("123456789012.345", v));   // 15 digits: 123456789012345 / 10^3
  CHECK(v == 123456789012.345);
}
