#pragma once
// Cleaning of text cells (ids, names, grouping labels, headers) before they are
// compared, so that " D02", "\uFEFFD02" and "Ｄ０２" are the unit D02 in every
// file. The rules are in docs/data-files.md ("Text cells and ids").

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/io/csv.hpp"

namespace parkscore {

/// Whether clean_id could change the cell (a quick byte test: false for the usual
/// ASCII id or name with no white space at its ends and no full-width character or BOM).
bool needs_cleaning(std::string_view cell);

/// Strips byte-order marks (U+FEFF) and white space (space, tab, CR, LF, U+00A0,
/// U+3000) at both ends.
std::string clean_text(std::string_view cell);

/// The id rule: clean_text, then full-width ASCII forms (U+FF01-U+FF5E: ０-９,
/// Ａ-Ｚ, ａ-ｚ, punctuation) become their ASCII characters and an ideographic
/// space a space. Case and inner spaces are kept: "d02" and "D02" stay distinct.
std::string clean_id(std::string_view id);

/// The key headers and labels are matched on: clean_id, full-width parentheses
/// as ASCII, no white space at all, ASCII letters in lower case.
std::string match_key(std::string_view text);

/// What cleaning changed in a file: said once, with the first example.
struct cleaning_note {
  std::size_t cells = 0;   // text cells that changed
  std::string first;       // e.g. "line 3, column 'id': ' D02' -> 'D02'"
  void see(std::string_view raw, std::string_view cleaned, std::size_t line, std::string_view column);
  /// "" if nothing changed, else one warning naming the file.
  std::string message(const std::string& source) const;
};

/// Checks the id column of a table: ids that are equal after cleaning but
/// written differently are an error naming both lines (a real zone would
/// otherwise count as two units); ids equal apart from ASCII case are a warning.
/// Exact duplicates are left to the layout readers.
void check_ids(const csv_table& table, std::size_t id_column, problem_list& problems,
               std::vector<std::string>& warnings);

}  // namespace parkscore
