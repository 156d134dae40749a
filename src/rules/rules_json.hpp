#pragma once
// The framework-file sections of the zone-evaluation rules and weight sets
// ("weight_sets", "events", "veto", "adjustments") and the normalisation keys
// they add ("clip", "benchmark_factor", "tiers"). Used by framework_json.cpp.

#include <nlohmann/json.hpp>

#include "model/json_cursor.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

/// Reads "clip", "benchmark_factor" and "tiers" of a normalisation object.
void read_normalisation_extras(const json_cursor& c, normalisation& n);
void write_normalisation_extras(const normalisation& n, nlohmann::ordered_json& j);

/// Reads the rules and weight-set sections of a framework document (the tree
/// must already be read, so node ids can be checked with their JSON path).
void read_rules(const json_cursor& c, framework& fw);
void write_rules(const framework& fw, nlohmann::ordered_json& j);

}  // namespace parkscore::detail
