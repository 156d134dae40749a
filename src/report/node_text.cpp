#include "report/node_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace parkscore::detail {

std::vector<std::pair<int, int>> depth_first(const framework& model) {
  std::vector<std::pair<int, int>> out, stack = {{0, 0}};
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    out.emplace_back(node, depth);
    const auto& children = model.at(node).children;
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
  return out;
}

std::string display_name(const node& n) { return n.name.empty() ? n.id : n.name; }

std::string rank_text(double rank) { return std::isnan(rank) ? "-" : fmt::format("{:g}", rank); }

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace parkscore::detail
