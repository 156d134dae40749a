#pragma once
// JSON text read strictly for the file formats: a key repeated in one object is
// an error naming its JSON path (nlohmann would keep the last one silently), the
// nesting depth is bounded (deeper documents are refused before any recursive
// reader sees them), and every syntax error or out-of-range number names the
// file, line and column.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace parkscore::detail {

/// Objects and arrays may nest this deep; a framework of 60 tree levels fits.
inline constexpr std::size_t max_json_depth = 128;

/// Parses `text`; throws schema_error "<source>:<line>:<column>: ..." for a
/// syntax error or a number outside the range of a double, and
/// "<source>: <json path>: ..." for a duplicate key or too deep nesting.
nlohmann::json parse_json_strictly(std::string_view text, const std::string& source);

/// Line and column (both from 1) of byte `offset` in `text`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset);

}  // namespace parkscore::detail
