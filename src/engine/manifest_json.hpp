#pragma once
// The reader settings of a data source as JSON, both ways (src-local, for the manifest).

#include <nlohmann/json.hpp>

#include "model/json_cursor.hpp"
#include "parkscore/engine/manifest.hpp"

namespace parkscore::detail {

nlohmann::ordered_json request_json(const data_request& r);
nlohmann::ordered_json layout_json(const wide_layout& l);
/// The file, encoding and reader of a manifest's "data" or "previous" entry.
data_source read_source_json(const json_cursor& c);

}  // namespace parkscore::detail
