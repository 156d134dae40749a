#pragma once
// The first id of a list that repeats an earlier one, for lists of up to
// millions of unit ids. A table probed once per id misses the cache on every
// probe once it outgrows it; here the ids' hashes are bucketed by their top bits
// (two sequential passes) and each bucket is checked in a table that fits in L1.

#include <optional>
#include <string>
#include <vector>

namespace parkscore::detail {

/// The position of the first id equal to an earlier one, or nullopt if all differ.
std::optional<std::size_t> first_duplicate(const std::vector<std::string>& ids);

}  // namespace parkscore::detail
