#pragma once
// The preparation record as lines of the evaluation record (result::notes).

#include <vector>

#include "parkscore/prepare/prepare.hpp"
#include "parkscore/engine/result.hpp"

namespace parkscore::detail {

void add_preparation_notes(const preparation_record& record, std::vector<note>& notes);

}  // namespace parkscore::detail
