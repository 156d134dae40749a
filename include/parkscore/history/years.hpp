#pragma once
// The data year of each input, as data (docs/history.md, "Data years"): from a
// year given for the file, its year column, or its file name, checked and sorted.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/io/csv.hpp"

namespace parkscore {

/// What is known about one input file.
struct year_input {
  std::string file;
  std::string given;     // a year given for the file (--year, the project file), "" if none
  std::string column;    // the year in the file's year column, "" if none
  std::string content;   // the file's bytes (or a digest): two equal inputs are an error
};

struct dated_input {
  std::size_t input = 0;   // index into the inputs
  int data_year = 0;
  std::string how;         // "given", "year column", "file name", "order given"
};

/// A year label: a whole number 1900-2099, optionally followed by 年 ("2023年").
/// Anything else ("2023.5", "FY23", "二〇二三") throws data_error naming `where`.
int parse_year_label(std::string_view label, const std::string& where);

/// The last four-digit year 19xx/20xx in a file name (without folders), if any.
std::optional<int> year_in_file_name(const std::string& file);

/// The inputs' data years, sorted oldest first. Errors (all collected): a year that
/// is not a whole number; a given year or year column that disagrees with the
/// other; two inputs with the same year or the same content; some inputs with a
/// year and others without. If no input has a year at all, the inputs are taken
/// in the order given, numbered 1, 2, ... with a warning. A gap between years is a warning.
std::vector<dated_input> resolve_years(const std::vector<year_input>& inputs, problem_list& problems,
                                       std::vector<std::string>& warnings);

/// "2021 (jiangsu-2021.csv, file name), 2022 (...)" — for messages and the delisting watch.
std::string describe_years(const std::vector<year_input>& inputs, const std::vector<dated_input>& years);

}  // namespace parkscore
