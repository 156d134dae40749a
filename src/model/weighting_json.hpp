#pragma once
// The "weighting" key of a framework node, readable on its own (the Python
// bindings set a node's weighting from a dict with the same keys).

#include <nlohmann/json.hpp>

#include "model/json_cursor.hpp"
#include "parkscore/model/weighting_spec.hpp"

namespace parkscore::detail {

/// Strict reader of one weighting object (errors name the JSON path).
weighting_spec read_weighting_json(const json_cursor& c);
nlohmann::ordered_json write_weighting_json(const weighting_spec& w);

}  // namespace parkscore::detail
