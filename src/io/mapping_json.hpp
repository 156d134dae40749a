#pragma once
// The mapping object, shared by mapping files and the project file.

#include "model/json_cursor.hpp"
#include "parkscore/io/header_match.hpp"

namespace parkscore::detail {

/// {"header": "target", ...} or {"columns": {...}, "labels": {"column": {"spelling": "label"}}}.
column_mapping read_mapping_object(const json_cursor& c);

}  // namespace parkscore::detail
