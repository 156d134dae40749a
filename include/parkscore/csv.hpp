#pragma once
// CSV tables (RFC 4180: quoted fields with embedded commas, quotes and line
// breaks; UTF-8 with or without BOM) and the wide data layout built on them.
// Errors name the file, line and column.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/dataset.hpp"

namespace parkscore {

struct csv_table {
  std::string source;                          // file name for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // every row has header.size() fields
  std::vector<std::size_t> lines;              // line number where each row starts

  /// Column index by header name; throws data_error naming the file if absent.
  std::size_t column(const std::string& name) const;
};

/// Parses CSV text. Throws data_error for an unterminated quote, a ragged row,
/// an empty or duplicate header, or text that is not UTF-8.
csv_table parse_csv(std::string_view text, const std::string& source = "<string>");
csv_table read_csv(const std::filesystem::path& file);

/// Writes one field, quoting it when needed.
std::string csv_escape(std::string_view field);

/// Reads a number cell: empty, NA, N/A, -, —, / are missing (NaN); anything
/// else must be a whole finite number, or data_error names the place.
double parse_cell(std::string_view cell, const std::string& where);

/// The wide layout: one row per unit; id, optional name, grouping columns, and
/// one column per indicator (all remaining columns unless `indicators` is set).
struct wide_layout {
  std::string id_column = "id";
  std::string name_column = "name";            // optional: used if present
  std::vector<std::string> group_columns;      // e.g. level, region
  std::vector<std::string> indicators;         // empty = every other column
  std::map<std::string, std::string> rename;   // header -> indicator id (e.g. Chinese headers)
};

dataset read_wide(const csv_table& table, const wide_layout& layout = {});

}  // namespace parkscore
