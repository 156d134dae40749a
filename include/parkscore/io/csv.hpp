#pragma once
// CSV tables (RFC 4180: quoted fields with embedded commas, quotes and line
// breaks; UTF-8 with or without BOM, or any encoding iconv knows, converted to
// UTF-8) and the two data layouts built on them: wide (one row per unit) and
// long (unit, year, indicator, value). Errors name the file, line and column.
// docs/data-files.md states the rules and the decisions behind them.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/model/dataset.hpp"

namespace parkscore {

/// Collects the problems found in a file, so that every problem can be
/// reported at once instead of one per run.
class problem_list {
 public:
  void add(std::string message) { messages_.push_back(std::move(message)); }
  bool empty() const { return messages_.empty(); }
  std::size_t size() const { return messages_.size(); }
  const std::vector<std::string>& messages() const { return messages_; }
  /// Throws data_error listing the problems (the first 20 and a count) if there are any.
  void raise_if_any() const;

 private:
  std::vector<std::string> messages_;
};

struct csv_options {
  /// "" or "utf-8": the file must be UTF-8 (a BOM is skipped); invalid bytes are an
  /// error that names the encoding to pass. Any other name iconv knows ("gbk",
  /// "gb18030", "big5", "latin1", ...) converts the text to UTF-8 first.
  std::string encoding;
};

/// A parsed table. The cells of all rows live in one text buffer with one
/// offset per cell (instead of a std::string per field), so a table costs about
/// the file's size plus 4 bytes a cell.
class csv_table {
 public:
  std::string source;                          // file name for messages
  std::vector<std::string> header;

  std::size_t row_count() const { return lines_.size(); }
  /// Row `row`, column `col` (both from 0); valid while the table lives and is not appended to.
  std::string_view cell(std::size_t row, std::size_t col) const {
    const std::size_t first = row * width_;
    const std::size_t begin = row_start_[row] + (col == 0 ? 0 : ends_[first + col - 1]);
    return {text_.data() + begin, row_start_[row] + ends_[first + col] - begin};
  }
  /// Line number (from 1) where the row starts in the file.
  std::size_t line(std::size_t row) const { return lines_[row]; }

  /// Appends a row of header.size() fields starting on `line`.
  void add_row(const std::vector<std::string_view>& fields, std::size_t line);


  /// Column index by header name; throws data_error naming the file if absent.
  std::size_t column(const std::string& name) const;
  std::optional<std::size_t> find_column(const std::string& name) const;

 private:
  std::size_t width_ = 0;                 // fields per row, fixed by the first row
  std::string text_;                      // every cell's text, row after row
  std::vector<std::size_t> row_start_;    // offset of each row's first cell in text_
  std::vector<std::uint32_t> ends_;       // per cell: end offset relative to its row's start
  std::vector<std::size_t> lines_;
};

/// Parses CSV text. Throws data_error listing every problem: an unterminated
/// quote, a stray quote, ragged rows, an empty or duplicate header, text that is
/// not valid in its encoding. The overload with `problems` collects them instead
/// and returns the rows that could be read.
csv_table parse_csv(std::string_view text, const std::string& source = "<string>", const csv_options& options = {});
csv_table parse_csv(std::string_view text, const std::string& source, const csv_options& options,
                    problem_list& problems);
csv_table read_csv(const std::filesystem::path& file, const csv_options& options = {});
csv_table read_csv(const std::filesystem::path& file, const csv_options& options, problem_list& problems);

/// Converts text from `encoding` (an iconv name) to UTF-8; throws data_error
/// naming the source and byte offset of the first byte that is not valid in it.
std::string to_utf8(std::string_view text, const std::string& encoding, const std::string& source);

/// Writes one field, quoting it when needed (RFC 4180).
std::string csv_escape(std::string_view field);
/// One record: escaped fields joined by commas, ended by CRLF.
std::string csv_line(const std::vector<std::string>& fields);

/// How a cell such as "12.5%" is read.
enum class percent_rule {
  points,    // 12.5% -> 12.5 (the indicator is measured in per cent; the default)
  fraction,  // 12.5% -> 0.125
  reject,    // a per-cent sign is an error
};

struct number_format {
  percent_rule percent = percent_rule::points;
};

/// Reads a number cell. Missing (NaN): empty, NA, N/A, n/a, na, NaN, -, —, –, －, /, ／.
/// Accepted: a finite decimal number with an optional sign and exponent,
/// thousands separators in groups of three ("1,234.5"), and a trailing per-cent
/// sign as `format.percent` says. Anything else throws data_error prefixed by `where`.
double parse_cell(std::string_view cell, const std::string& where, const number_format& format = {});

/// Whether columns that are neither id, name, grouping nor indicator are an error.
enum class extra_columns { ignore, error };

/// The wide layout: one row per unit; id, optional name, grouping columns, and
/// one column per indicator (all remaining columns unless `indicators` is set).
struct wide_layout {
  std::string id_column = "id";
  std::string name_column = "name";            // optional: used if present
  std::vector<std::string> group_columns;      // e.g. level, region
  std::vector<std::string> indicators;         // empty = every other column
  std::map<std::string, std::string> rename;   // header -> indicator id (e.g. Chinese headers)
  extra_columns extra = extra_columns::ignore; // other columns when `indicators` is set
  number_format numbers;
  std::map<std::string, number_format> formats; // indicator id -> its own format (declared scales), else `numbers`
};

/// Throws data_error listing every problem (file, line, column, unit, value).
dataset read_wide(const csv_table& table, const wide_layout& layout = {});
/// Collects the problems instead; bad cells read as NaN.
dataset read_wide(const csv_table& table, const wide_layout& layout, problem_list& problems);

/// How read_wide_file goes about reading, not what the file says: threads that
/// parse parts of the file at once (0 = all cores, 1 = none). The dataset and
/// the messages do not depend on it (docs/performance.md).
struct wide_file_options {
  int threads = 0;
};

/// The wide layout read straight from a file, without a csv_table: fields are
/// parsed where they lie in the (memory-mapped) file into the value matrix and
/// the id, name and grouping columns. The same dataset and the same messages as
/// read_wide(read_csv(file, options), layout), at several times the speed and
/// a fraction of the memory (docs/performance.md).
dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout = {},
                       const csv_options& options = {}, const wide_file_options& how = {});
/// Collects the problems instead: first those read_csv would report, then those of read_wide.
dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       problem_list& problems, const wide_file_options& how = {});

/// The header row of a CSV file, as read_csv(file, options).header; empty where
/// read_csv would find no header (an empty file, text not valid in its encoding).
/// Reads no further than the header, bar the encoding check.
std::vector<std::string> read_csv_header(const std::filesystem::path& file, const csv_options& options = {});

/// The long layout: one row per (unit, year, indicator) with its value; optional
/// name and grouping columns repeat the unit's attributes on each of its rows.
struct long_layout {
  std::string unit_column = "unit";
  std::string name_column = "name";            // optional: used if present
  std::string year_column = "year";
  std::string indicator_column = "indicator";
  std::string value_column = "value";
  std::vector<std::string> group_columns;
  std::map<std::string, std::string> rename;   // indicator label -> indicator id
  number_format numbers;
  std::map<std::string, number_format> formats; // indicator id -> its own format (declared scales), else `numbers`
};

/// One dataset per year (dataset::period = the year label), in year order. Units
/// and indicators keep their order of first appearance within the year; a unit
/// without a row for an indicator has NaN there. Throws data_error listing every problem.
std::map<std::string, dataset> read_long(const csv_table& table, const long_layout& layout = {});
std::map<std::string, dataset> read_long(const csv_table& table, const long_layout& layout, problem_list& problems);

/// A header -> indicator id mapping, from a JSON object {"地区生产总值": "gdp"} or
/// a CSV file whose first two columns are header and id (the file's own header
/// row is skipped). Errors name the file and line or JSON path.
std::map<std::string, std::string> read_column_mapping(const std::filesystem::path& file);

}  // namespace parkscore
