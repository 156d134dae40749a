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
#include "model/huge_pages.hpp"
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

/// The header read against the layout once: roles of the columns, number
/// formats, and the labels messages use.
struct wide_plan {
  wide_plan(std::vector<std::string> header, std::string source, const wide_layout& layout, problem_list& problems);
  std::string label(std::size_t column) const { return column_label(header, column); }

  std::vector<std::string> header;
  std::string source;
  wide_columns columns;
  std::vector<number_format> formats;   // per value column: its declared scale, else the layout's
};

/// The checks of a row that come before its duplicate check: whether it has an id.
bool has_unit_id(const wide_plan& plan, const std::vector<std::string_view>& fields, std::size_t line,
                 problem_list& problems);
/// The checks of a row after its id: its grouping labels are present (else it
/// is not kept), and its cells, read into `values` row `row` (problems named,
/// per-cent use tracked). Returns whether the row is kept.
bool fill_row(const wide_plan& plan, const std::vector<std::string_view>& fields, std::size_t line, std::string_view id,
              Eigen::MatrixXd& values, Eigen::Index row, std::vector<percent_tracker>& percent,
              problem_list& problems);

/// The kept rows' ids, names and labels, and their values in the first rows of a
/// matrix that may have more; with the per-cent trackers, they make the dataset.
struct wide_rows {
  std::vector<std::string> ids, names;
  std::vector<std::vector<std::string>> groups;
  Eigen::MatrixXd values;
};
dataset make_dataset(const wide_plan& plan, wide_rows rows, Eigen::Index kept,
                     const std::vector<percent_tracker>& percent, problem_list& problems);

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
  problem_list& problems_;
  wide_plan plan_;
  wide_rows rows_;
  Eigen::Index kept_ = 0;
  std::vector<percent_tracker> percent_;
  id_index first_line_;   // unit id -> line
};

/// Rows of a file read in chunks in parallel: each chunk fills its own stretch
/// of rows of one pre-sized wide_rows, without the duplicate check (done over
/// all ids at the end; a file with a duplicate is read again by wide_builder).
class wide_chunk {
 public:
  /// Rows [first, first + capacity) of `rows` (sized by allocate_rows).
  wide_chunk(const wide_plan& plan, wide_rows& rows, std::size_t first, std::size_t capacity);
  void add_row(const std::vector<std::string_view>& fields, std::size_t line);

  std::size_t first() const { return first_; }
  std::size_t kept() const { return kept_; }
  /// More rows than the capacity, or a dropped row whose id the duplicate check
  /// would have seen: the chunked result is not the streaming one.
  bool unusable() const { return overflow_ || dropped_id_; }
  problem_list problems;
  std::vector<percent_tracker> percent;

 private:
  const wide_plan& plan_;
  wide_rows& rows_;
  std::size_t first_, capacity_, kept_ = 0;
  bool overflow_ = false, dropped_id_ = false;
};

/// `capacity` rows of default values for the plan's columns (the matrix on huge pages).
wide_rows allocate_rows(const wide_plan& plan, std::size_t capacity);
/// Moves each chunk's kept rows up behind the previous chunk's; returns the number of rows.
Eigen::Index close_gaps(wide_rows& rows, const std::vector<wide_chunk>& chunks);


}  // namespace parkscore::detail
