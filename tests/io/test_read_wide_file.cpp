// read_wide_file (streaming) against read_wide(read_csv(...)): the same dataset
// and the same messages on a corpus of good and bad files.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

using namespace parkscore;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("parkscore_stream_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

void check_same(const dataset& a, const dataset& b) {
  CHECK(a.unit_ids() == b.unit_ids());
  CHECK(a.unit_names() == b.unit_names());
  CHECK(a.indicator_ids() == b.indicator_ids());
  CHECK(a.groups() == b.groups());
  CHECK(a.source == b.source);
  REQUIRE(a.values().rows() == b.values().rows());
  REQUIRE(a.values().cols() == b.values().cols());
  // Bit for bit, NaN included. An empty matrix has no data pointer, and memcmp must not get a null one.
  const auto bytes = static_cast<std::size_t>(a.values().size()) * sizeof(double);
  CHECK((bytes == 0 || std::memcmp(a.values().data(), b.values().data(), bytes) == 0));
}

// What the throwing overloads say: the message, or "" if they do not throw.
template <class F>
std::string message_of(F&& read) {
  try {
    read();
  } catch (const data_error& e) {
    return e.what();
  }
  return "";
}

// Both readers on `text` with `layout` and `options`: same dataset and problems
// when collecting, same message when throwing. Returns the streaming problems.
std::vector<std::string> compare(const std::string& name, const std::string& text, const wide_layout& layout = {},
                                 const csv_options& options = {}) {
  CAPTURE(name);
  const auto path = write_temp(name, text);
  problem_list expected_problems, problems;
  dataset expected, streamed;
  // Collecting can still throw where the rows leave no valid dataset (an empty header name).
  CHECK(message_of([&] { streamed = read_wide_file(path, layout, options, problems); }) ==
        message_of([&] { expected = read_wide(read_csv(path, options, expected_problems), layout, expected_problems); }));
  check_same(streamed, expected);
  CHECK(problems.messages() == expected_problems.messages());
  CHECK(message_of([&] { read_wide_file(path, layout, options); }) ==
        message_of([&] { read_wide(read_csv(path, options), layout); }));
  return problems.messages();
}

}  // namespace

TEST_CASE("read_wide_file reads quoted fields, CRLF, BOM, missing markers and thousands as read_wide does") {
  wide_layout layout;
  layout.group_columns = {"level"};
  const std::string text =
      "\xEF\xBB\xBFid,name,level,a,b\r\n"
      "z1,\"甲, \"\"东\"\" 区\",national,1.5,NA\r\n"
      "z2,\"two\r\nlines\",provincial,-,\"2,000\"\r\n"
      "z3,,national,1e3,-0.25\r\n";
  CHECK(compare("good.csv", text, layout).empty());
  const dataset d = read_wide_file(write_temp("good.csv", text), layout);
  REQUIRE(d.unit_count() == 3);
  CHECK(d.unit_names()[0] == "甲, \"东\" 区");
  CHECK(d.unit_names()[1] == "two\r\nlines");
  CHECK(d.unit_names()[2] == "z3");   // a blank name falls back to the id
  CHECK(d.group("level")[1] == "provincial");
  CHECK(d.value(0, 0) == 1.5);
  CHECK(std::isnan(d.value(0, 1)));
  CHECK(std::isnan(d.value(1, 0)));
  CHECK(d.value(1, 1) == 2000);
  CHECK(d.value(2, 0) == 1000);
  CHECK(d.value(2, 1) == -0.25);
}

TEST_CASE("read_wide_file: line endings, blank lines, a last line without a break, an escaped id") {
  CHECK(compare("cr.csv", "id,a\rz1,1\rz2,2\r\rz3,3").empty());
  CHECK(compare("blank.csv", "id,a\n\nz1,1\n,\n\nz2,2\n\n").empty());
  CHECK(compare("escaped.csv", "id,a\n\"z\"\"1\",3\n\"z2\",\" 4 \"\n").empty());
  CHECK(compare("header-only.csv", "id,a,b\r\n").empty());
  // Lone CRs: the line-feed count says 0 rows, so the matrix grows as rows come.
  std::string many = "id,x\r";
  for (int i = 0; i < 1000; ++i) many += "u" + std::to_string(i) + "," + std::to_string(i * 0.5) + "\r";
  CHECK(compare("many-cr.csv", many).empty());
  const dataset d = read_wide_file(write_temp("many-cr.csv", many));
  REQUIRE(d.unit_count() == 1000);
  CHECK(d.value(999, 0) == 499.5);
}

TEST_CASE("read_wide_file gives every CSV error read_csv gives, with file, line and column") {
  const std::string ragged = "id,x\nz1,1,2\nz2,2\nz3\nz4,\"a\"b\nz5,5\n";
  const auto problems = compare("ragged.csv", ragged);
  const std::string f = write_temp("ragged.csv", ragged).string();
  REQUIRE(problems.size() == 3);
  CHECK(problems[0] == f + ":2: row has 3 fields, the header has 2");
  CHECK(problems[1] == f + ":4: row has 1 fields, the header has 2");
  CHECK(problems[2] == f + ":5: column 2: text after the closing quote of a quoted field");

  CHECK(compare("open-quote.csv", "id,x\nz1,\"1\n").size() == 1);
  CHECK(compare("stray-quote.csv", "id,x\nz1,1\"2\"\n").size() == 1);
  CHECK(compare("empty.csv", "") ==
        std::vector<std::string>{write_temp("empty.csv", "").string() + ": the file is empty (no header row)",
                                 write_temp("empty.csv", "").string() + ":1: no id column 'id' in the header"});
  CHECK(compare("dup-header.csv", "id,x,x\nz1,1,2\n").size() == 2);   // duplicate column, then both hold 'x'
  CHECK(compare("empty-header.csv", "id,,x\nz1,1,2\n").size() == 1);
  // Problems in rows after a CSV error are still reported in the same order.
  // CSV problems come first, as read_csv reports them before read_wide runs.
  const std::string mixed = "id,x\nz1,oops\nz2,1,2\nz2,3\n";
  const std::string m = write_temp("mixed.csv", mixed).string();
  CHECK(compare("mixed.csv", mixed) == std::vector<std::string>{m + ":3: row has 3 fields, the header has 2",
                                                                m + ":2: column 'x' (column 2), unit 'z1': 'oops' is "
                                                                    "not a number"});
}

TEST_CASE("read_wide_file gives every layout and cell error read_wide gives") {
  wide_layout layout;
  layout.group_columns = {"level"};
  const std::string text = "id,level,a,b\nz1,x,1,oops\n,x,2,3\nz3,,4,5\nz4,y,6,7\nz4,y,8,9\nz6,y,12abc,1\n";
  const auto problems = compare("cells.csv", text, layout);
  const std::string f = write_temp("cells.csv", text).string();
  REQUIRE(problems.size() == 5);
  CHECK(problems[0] == f + ":2: column 'b' (column 4), unit 'z1': 'oops' is not a number");
  CHECK(problems[1] == f + ":3: column 'id' (column 1): the unit id is empty");
  CHECK(problems[2] == f + ":4: column 'level' (column 2), unit 'z3': the grouping label is empty");
  CHECK(problems[3] == f + ":6: column 'id' (column 1): duplicate unit id 'z4' (first on line 5)");
  CHECK(problems[4] == f + ":7: column 'a' (column 3), unit 'z6': '12abc' is not a number");

  CHECK(compare("percent-mix.csv", "id,a\nz1,12%\nz2,0.3\n").size() == 1);
  CHECK(compare("no-id.csv", "code,a\nz1,1\n").size() == 1);
  wide_layout missing_group;
  missing_group.group_columns = {"region"};
  CHECK(compare("no-group.csv", "id,a\nz1,1\n", missing_group).size() == 1);

  wide_layout mapped;
  mapped.id_column = "编号";
  mapped.name_column = "名称";
  mapped.rename = {{"地区生产总值", "gdp"}, {"税收收入", "tax"}};
  mapped.indicators = {"gdp", "fdi"};
  mapped.extra = extra_columns::error;
  mapped.numbers.percent = percent_rule::fraction;
  CHECK(compare("mapped.csv", "编号,名称,地区生产总值,税收收入\nz1,甲,\"1,200\",30%\nz2,乙,800,12.5%\n", mapped).size() ==
        2);
  mapped.indicators = {"gdp", "tax"};
  CHECK(compare("mapped-ok.csv", "编号,名称,地区生产总值,税收收入\nz1,甲,\"1,200\",30%\nz2,乙,800,12.5%\n", mapped)
            .empty());
}

TEST_CASE("read_wide_file: encodings as read_csv handles them") {
  const std::string gbk = "id,name,x\nz1,\xD6\xD0\xB9\xFA,1\n";   // 中国 in GBK
  CHECK(compare("gbk-as-utf8.csv", gbk).size() == 2);             // not UTF-8, then no id column
  CHECK(compare("gbk.csv", gbk, {}, {"gbk"}).empty());
  CHECK(read_wide_file(write_temp("gbk.csv", gbk), {}, {"gbk"}).unit_names()[0] == "中国");
  CHECK(compare("utf8-as-gbk.csv", "id,name\nz1,中国\n", {}, {"gbk"}).size() == 2);
  CHECK(compare("bad-gbk.csv", "id\nz\xFF\n", {}, {"gbk"}).size() == 2);
  // Invalid UTF-8 far into a file: found by the block-by-block check, named by line.
  std::string late = "id,x\n";
  for (int i = 0; i < 20000; ++i) late += "u" + std::to_string(i) + ",1\n";
  late += "u\xC0\xAF,2\n";
  const auto problems = compare("late-bad-utf8.csv", late);
  REQUIRE(!problems.empty());
  CHECK(problems[0].find(":20002: the file is not valid UTF-8") != std::string::npos);
}

TEST_CASE("read_wide_file: a file of several blocks, with line breaks in quotes, equals read_wide") {
  // About 12 MB: more than one 8 MB block of the UTF-8 check and of the pages
  // given back while parsing; quoted line breaks make the row estimate too high.
  std::string text = "id,name,level";
  for (int j = 0; j < 12; ++j) text += ",x" + std::to_string(j);
  text += "\r\n";
  for (int i = 0; text.size() < (std::size_t{12} << 20); ++i) {
    text += "Z" + std::to_string(i) + (i % 97 == 0 ? ",\"园区\n" : ",\"园区 ") + std::to_string(i) + "\"," +
            (i % 3 ? "provincial" : "national");
    for (int j = 0; j < 12; ++j) text += "," + std::to_string((i * 37 + j * 11) % 5000) + "." + std::to_string(j);
    text += "\r\n";
  }
  wide_layout layout;
  layout.group_columns = {"level"};
  CHECK(compare("blocks.csv", text, layout).empty());
}

TEST_CASE("read_wide_file: a file that cannot be opened") {
  const auto missing = std::filesystem::temp_directory_path() / "parkscore_stream_no_such_file.csv";
  CHECK(message_of([&] { read_wide_file(missing); }) == message_of([&] { read_csv(missing); }));
  CHECK_THROWS_WITH_AS(read_wide_file(missing), (missing.string() + ": cannot open the file").c_str(), data_error);
}

TEST_CASE("read_csv_header: the header read_csv finds, or none") {
  for (const std::string& text : {std::string("\xEF\xBB\xBFid,\"a,b\",c\r\nz1,1,2\r\n"), std::string("\n\nid,x\n1,2\n"),
                                  std::string(""), std::string("id,x\nz\xC0\xAF,1\n")}) {
    const auto path = write_temp("header.csv", text);
    problem_list ignored;
    CHECK(read_csv_header(path) == read_csv(path, {}, ignored).header);
  }
  CHECK(read_csv_header(write_temp("header.csv", "id,\"a,b\",c\r\nz1,1,2\r\n")) ==
        std::vector<std::string>{"id", "a,b", "c"});
  CHECK(read_csv_header(write_temp("gbk-header.csv", "id,\xD6\xD0\n"), {"gbk"}) == std::vector<std::string>{"id", "中"});
}
