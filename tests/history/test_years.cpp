// Data years as data: given, year column or file name; checked and sorted (issue 11).
#include <doctest/doctest.h>

#include <parkscore/error.hpp>
#include <parkscore/history/years.hpp>

using namespace parkscore;

TEST_CASE("year labels: whole numbers (optionally 年); anything else is an error") {
  CHECK(parse_year_label("2023", "w") == 2023);
  CHECK(parse_year_label("2023年", "w") == 2023);
  for (const char* bad : {"2023.5", "FY23", "23", "1850", "2023-24", ""})
    CHECK_THROWS_WITH_AS(parse_year_label(bad, "f.csv: the year given"), doctest::Contains("is not a year"), data_error);
  CHECK(year_in_file_name("data/jiangsu-2021.csv") == 2021);
  CHECK(year_in_file_name("2019/report-2022-final.csv") == 2022);   // the file name only, last year in it
  CHECK(year_in_file_name("zones-120234.csv") == std::nullopt);     // part of a longer number
  CHECK(year_in_file_name("zones.csv") == std::nullopt);
}

TEST_CASE("files given newest first are sorted, with a warning; a gap is a warning") {
  problem_list problems;
  std::vector<std::string> warnings;
  const std::vector<year_input> in = {{"b-2023.csv", "", "", "x"}, {"a.csv", "", "2020", "y"}, {"c-2021.csv", "", "", "z"}};
  const auto years = resolve_years(in, problems, warnings);
  CHECK(problems.empty());
  REQUIRE(years.size() == 3);
  CHECK(years[0].data_year == 2020);
  CHECK(years[0].how == "year column");
  CHECK(years[1].data_year == 2021);
  CHECK(years[2].data_year == 2023);
  CHECK(years[2].input == 0);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] == "no data for the year 2022 between c-2021.csv and b-2023.csv");
  CHECK(warnings[1].find("not given oldest first") != std::string::npos);
  CHECK(describe_years(in, years) == "2020 (a.csv, year column), 2021 (c-2021.csv, file name), 2023 (b-2023.csv, file name)");
}

TEST_CASE("the same year twice, the same content twice, a mix with and without years are errors") {
  problem_list problems;
  std::vector<std::string> warnings;
  resolve_years({{"x/2023.csv", "", "", "a"}, {"y/zones-2023.csv", "", "", "b"}}, problems, warnings);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0].find("are both data year 2023") != std::string::npos);

  problems = {};
  resolve_years({{"2022.csv", "", "", "same"}, {"2023.csv", "", "", "same"}}, problems, warnings);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0] == "2022.csv and 2023.csv have the same content: the same data would count as two years");

  problems = {};
  resolve_years({{"2022.csv", "", "", "a"}, {"latest.csv", "", "", "b"}}, problems, warnings);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0].find("no data year for latest.csv") != std::string::npos);

  problems = {};
  resolve_years({{"2022.csv", "2021", "", "a"}}, problems, warnings);   // given wins over the file name
  CHECK(problems.empty());
  resolve_years({{"x.csv", "2021", "2022", "a"}}, problems, warnings);
  REQUIRE(problems.size() == 1);
  CHECK(problems.messages()[0] == "x.csv: the year given (2021) differs from the year column (2022)");
}

TEST_CASE("no year anywhere: the order given, with a warning") {
  problem_list problems;
  std::vector<std::string> warnings;
  const auto years = resolve_years({{"before.csv", "", "", "a"}, {"after.csv", "", "", "b"}}, problems, warnings);
  CHECK(problems.empty());
  REQUIRE(years.size() == 2);
  CHECK(years[0].data_year == 1);
  CHECK(years[1].data_year == 2);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("taken in the order given") != std::string::npos);
}
