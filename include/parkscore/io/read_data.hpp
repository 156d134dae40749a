#pragma once
// Reading an office's data file for a framework in one step: headers and labels
// matched (header_match.hpp), text cells and ids cleaned (clean_text.hpp), values
// read on the scales the method declares (value_scale.hpp), the file's data year
// taken from its year column. The CLI, the project file and Python all call this.

#include <string>
#include <vector>

#include "parkscore/io/csv.hpp"
#include "parkscore/io/header_match.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

enum class table_layout { wide, long_ };

struct data_request {
  table_layout layout = table_layout::wide;
  std::string id_column;               // "" = "id" (wide) or "unit" (long)
  std::string name_column = "name";    // optional
  std::string year_column = "year";    // wide: an optional column holding the data year (also 年份, 数据年份)
  std::vector<std::string> groups;     // grouping columns that must be present (the poolings used)
  std::vector<std::string> keep;       // further text columns kept as groups (e.g. city)
  column_mapping mapping;
  percent_rule percent = percent_rule::points;   // indicators that declare no scale
  bool ignore_extra = false;           // columns that match nothing: a warning instead of an error
  std::string year;                    // long layout: the year to use when the file holds several
};

/// Reads `table` for `model`. Problems (file, line, column, with the closest
/// names for unmatched headers) go to `problems`, notes (cleaning, per-cent
/// points in a fraction column, ignored columns) to `warnings`. The dataset's
/// `period` is the year in the file's year column (wide) or the year read (long), else "".
dataset read_dataset(const csv_table& table, const framework& model, const data_request& request,
                     problem_list& problems, std::vector<std::string>& warnings);

}  // namespace parkscore
