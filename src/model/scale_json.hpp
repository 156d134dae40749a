#pragma once
// JSON for the indicator key `scale` and the top-level key `groups` (docs/schema.md).

#include <nlohmann/json.hpp>
#include <vector>

#include "model/json_cursor.hpp"
#include "parkscore/model/value_scale.hpp"

namespace parkscore::detail {

/// "fraction" | "percent_points" | {"unit": "亿元", "convert": {"万元": 0.0001}}
value_scale read_scale(const json_cursor& c);
nlohmann::ordered_json write_scale(const value_scale& s);

/// [{"id": "level", "name": "开发区类别", "name_en": "...", "labels": {"provincial": ["省级"]}}]
std::vector<group_column> read_groups(const json_cursor& c);
nlohmann::ordered_json write_groups(const std::vector<group_column>& groups);

}  // namespace parkscore::detail
