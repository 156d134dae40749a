#pragma once
// The wide layout's rules, shared by read_wide (over a parsed csv_table) and
// read_wide_file (streaming straight from the file): which header column plays
// which role, and what each row and cell must be. Both readers feed rows to one
// wide_builder, so they give the same dataset and the same messages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_detail.hpp"
#include "model/id_index.hpp"
#include "parkscore/io/csv.hpp"

namespace parkscore::detail {

/// The role of each header column (indices into the header).
struct wide_columns {
  std::optional<std::size_t> id;     // absent: the file cannot be read as wide data
  std::optional<std::size_t> name;
  std::vector<std::size_t> groups;
  std::vector<std::string> group_names;
  std::vector<std::size_t> values;   // indicator columns, in header order
  std::vector<std::string> indicator_ids;
};

/// Matches the header against the layout; problems name the file's line 1.
wide_columns resolve_wide_columns(const std::vector<std::string>& header, const std::string& source,
                                  const wide_layout& layout, problem_list& problems);

/// Builds the dataset row by row; `fields` has one view per header column and
/// need only live for the call.
class wide_builder {
 public:
  wide_builder(std::vector<std::string> header, std::string source, const wide_layout& layout, problem_list& problems,
               std::size_t expected_rows = 0);
  void add_row(const std::vector<std::string_view>& fields, std::size_t line);
  /// The dataset of the rows without problems (empty if the id column is missing).
  dataset finish();

 private:
  std::string label(std::size_t column) const { return column_label(header_, column); }

  std::vector<std::string> header_;
  std::string source_;
  const wide_layout& layout_;
  problem_list& problems_;
  wide_columns columns_;
  std::vector<std::string> ids_, names_;
  std::vector<std::vector<std::string>> groups_;
  Eigen::MatrixXd values_;   // capacity rows; the first `rows_` are the data
  Eigen::Index rows_ = 0;
  std::vector<percent_tracker> percent_;
  std::vector<number_format> formats_;   // per value column: its declared scale, else the layout's
  id_index first_line_;   // unit id -> line
};

/// Hugepage-backed memory for a large matrix that is about to be filled: one
/// page fault per 2 MB rather than per 4 KB (where the kernel allows it).
void advise_huge_pages(void* data, std::size_t bytes);

}  // namespace parkscore::detail
