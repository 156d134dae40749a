#pragma once
// The preparation record as lines of the evaluation record (result::notes).

#include <vector>

#include "parkscore/prepare/prepare.hpp"
#include "parkscore/engine/result.hpp"

namespace parkscore::detail {

void add_preparation_notes(const preparation_record& record, std::vector<note>& notes);

/// Checks the preparation specs of a framework; schema_error naming the indicator.
void check_preparation_specs(const framework& model);

}  // namespace parkscore::detail
