// read_wide_file (streaming) against read_wide(read_csv(...)): the same dataset
// and the same messages on a corpus of good and bad files, read in one part and
// split into parts read by 1, 2 and 4 threads.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "temp_files.hpp"
#include "io/read_wide_file.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

using namespace parkscore;

namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto path = parkscore::test::temp_path("stream_" + name);
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
  const std::string collect_message =
      message_of([&] { expected = read_wide(read_csv(path, options, expected_problems), layout, expected_problems); });
  CHECK(message_of([&] { streamed = read_wide_file(path, layout, options, problems); }) == collect_message);
  check_same(streamed, expected);
  CHECK(problems.messages() == expected_problems.messages());
  const std::string expected_message = message_of([&] { read_wide(read_csv(path, options), layout); });
  CHECK(message_of([&] { read_wide_file(path, layout, options); }) == expected_message);
  // Split into parts of a few bytes each (one per thread, cut after line feeds).
  for (const int threads : {1, 2, 4}) {
    CAPTURE(threads);
    const detail::file_split split{threads, 1, nullptr};
    problem_list split_problems;
    dataset split_read;
    CHECK(message_of([&] { split_read = detail::read_wide_file(path, layout, options, split, &split_problems); }) ==
          collect_message);
    check_same(split_read, expected);
    CHECK(split_problems.messages() == expected_problems.messages());
    CHECK(message_of([&] { detail::read_wide_file(path, layout, options, split, nullptr); }) == expected_message);
  }
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

namespace {

// A wide file of `rows` units with ids u0, u1, ...: values (i * 7919 % 100003) / 100
// and -(i % 13) * 0.001, a group label, and `extra` lines appended as they are.
std::string wide_text(int rows, const std::string& extra = "") {
  std::string text = "id,level,a,b\r\n";
  for (int i = 0; i < rows; ++i)
    text += "u" + std::to_string(i) + "," + (i % 3 ? "provincial" : "national") + "," +
            std::to_string(i * 7919 % 100003 / 100) + "." + std::to_string(i * 7919 % 100) + ",-0.00" +
            std::to_string(i % 13) + "\r\n";
  return text + extra;
}

// The layout of wide_text: `level` is a grouping column.
wide_layout level_layout() {
  wide_layout layout;
  layout.group_columns = {"level"};
  return layout;
}

// The file read with `threads` threads in parts of at least `min_part` bytes;
// `parts` gets the number of parts read in parallel (0: one pass).
dataset read_split(const std::filesystem::path& path, int threads, std::size_t min_part, problem_list& problems,
                   std::size_t& parts) {
  return detail::read_wide_file(path, level_layout(), {}, {threads, min_part, &parts}, &problems);
}

}  // namespace

TEST_CASE("read_wide_file in parts: the same bits with 1 and 2 threads, and the parts are really used") {
  // About 100 KB in parts of at least 16 KB: 2 parts with 2 threads, 1 with 1.
  const auto path = write_temp("parts.csv", wide_text(3000));
  problem_list one_problems, two_problems;
  std::size_t one_parts = 9, two_parts = 9;
  const dataset one = read_split(path, 1, 16 << 10, one_problems, one_parts);
  const dataset two = read_split(path, 2, 16 << 10, two_problems, two_parts);
  CHECK(one_parts == 1);
  CHECK(two_parts == 2);
  CHECK(one_problems.empty());
  CHECK(two_problems.empty());
  check_same(one, two);
  REQUIRE(two.unit_count() == 3000);
  CHECK(two.unit_ids()[2999] == "u2999");
  // Row 2999: 2999 * 7919 = 23749081 = 237 * 100003 + 48370 -> "483.", and % 100 = 81 -> 483.81;
  // b = -0.00(2999 % 13 = 9) = -0.009.
  CHECK(two.value(2999, 0) == 483.81);
  CHECK(two.value(2999, 1) == -0.009);
  CHECK(two.group("level")[2999] == "provincial");
  // Quotes in the header alone leave the records after it to the parts.
  std::string quoted_header = wide_text(3000);
  quoted_header.replace(0, 8, "\"id\",\"level\"");
  REQUIRE(quoted_header.substr(0, 18) == "\"id\",\"level\",a,b\r\n");
  problem_list quoted_problems;
  dataset quoted = read_split(write_temp("parts-quoted-header.csv", quoted_header), 2, 16 << 10, quoted_problems, two_parts);
  quoted.source = two.source;   // only the file name differs
  check_same(quoted, two);
  CHECK(two_parts == 2);
  CHECK(quoted_problems.empty());
}

TEST_CASE("read_wide_file in parts: problems in the second part, blank lines and ragged rows, as in one pass") {
  // Line 2 is u0, so u<i> is on line i + 2; the appended lines are 3002 (blank) onwards.
  const std::string extra = "\r\nu3000,national,12%,1\r\nu3001,national,oops,2\r\nu3002,national,1,2,3\r\n,national,1,2\r\n"
                            "u3004,,1,2\r\n";
  const auto path = write_temp("parts-bad.csv", wide_text(3000, extra));
  const std::string f = path.string();
  problem_list one_problems, two_problems;
  std::size_t one_parts = 9, two_parts = 9;
  const dataset one = read_split(path, 1, 16 << 10, one_problems, one_parts);
  const dataset two = read_split(path, 4, 16 << 10, two_problems, two_parts);
  CHECK(two_parts == 0);   // the row dropped after its id (line 3007) sends the file to one pass
  check_same(one, two);
  CHECK(two_problems.messages() == one_problems.messages());
  CHECK(two_problems.messages() ==
        std::vector<std::string>{f + ":3005: row has 5 fields, the header has 4",
                                 f + ":3004: column 'a' (column 3), unit 'u3001': 'oops' is not a number",
                                 f + ":3006: column 'id' (column 1): the unit id is empty",
                                 f + ":3007: column 'level' (column 2), unit 'u3004': the grouping label is empty",
                                 f + ": column 'a' (column 3): mixes percentages (line 3003: '12%') and plain numbers "
                                     "(line 2: '0.0'); write every cell of the column the same way"});
  CHECK(compare("parts-bad.csv", wide_text(3000, extra), level_layout()) == two_problems.messages());
  // Without that row, the parts stand: a blank line, a ragged row, a bad cell and the per-cent
  // mix (first plain number in the first part, first percentage in the last) are all read in parts.
  const std::string extra_kept = "\r\nu3000,national,12%,1\r\nu3001,national,oops,2\r\nu3002,national,1,2,3\r\n";
  const auto kept_path = write_temp("parts-kept.csv", wide_text(3000, extra_kept));
  const std::string k = kept_path.string();
  problem_list kept_problems;
  const dataset kept = read_split(kept_path, 2, 16 << 10, kept_problems, two_parts);
  CHECK(two_parts == 2);
  CHECK(kept.unit_count() == 3002);
  CHECK(kept_problems.messages() ==
        std::vector<std::string>{k + ":3005: row has 5 fields, the header has 4",
                                 k + ":3004: column 'a' (column 3), unit 'u3001': 'oops' is not a number",
                                 k + ": column 'a' (column 3): mixes percentages (line 3003: '12%') and plain numbers "
                                     "(line 2: '0.0'); write every cell of the column the same way"});
  CHECK(compare("parts-kept.csv", wide_text(3000, extra_kept), level_layout()) == kept_problems.messages());
}

TEST_CASE("read_wide_file in parts: a duplicate id in two parts is named as one pass names it") {
  // u5 (line 7) again after 3000 rows: line 3002, in the second part.
  const auto path = write_temp("parts-dup.csv", wide_text(3000, "u5,national,1,2\r\n"));
  problem_list one_problems, two_problems;
  std::size_t one_parts = 9, two_parts = 9;
  const dataset one = read_split(path, 1, 16 << 10, one_problems, one_parts);
  const dataset two = read_split(path, 2, 16 << 10, two_problems, two_parts);
  CHECK(two_parts == 0);   // the duplicate sends the file to the one-pass reader
  check_same(one, two);
  CHECK(two_problems.messages() == std::vector<std::string>{path.string() +
                                                            ":3002: column 'id' (column 1): duplicate unit id 'u5' "
                                                            "(first on line 7)"});
  CHECK(two_problems.messages() == one_problems.messages());
  CHECK(two.unit_count() == 3000);
  CHECK(compare("parts-dup.csv", wide_text(3000, "u5,national,1,2\r\n"), level_layout()) == two_problems.messages());
}
