#pragma once
// What every report needs of the framework tree (src-local): the nodes depth-first, a
// node's display name, and text made safe inside XML/HTML/SVG.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

/// Nodes depth-first from the index (children in order), each with its depth (index = 0).
std::vector<std::pair<int, int>> depth_first(const framework& model);

/// The node's name, or its id when it has none.
std::string display_name(const node& n);

/// A rank as text: "-" for none (NaN), otherwise as short as it prints ("3", "2.5").
std::string rank_text(double rank);

/// & < > " escaped for XML, HTML and SVG text and attributes.
std::string xml_escape(std::string_view s);

}  // namespace parkscore::detail
