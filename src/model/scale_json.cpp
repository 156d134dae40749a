#include "model/scale_json.hpp"

#include <cmath>
#include <set>

namespace parkscore::detail {

value_scale read_scale(const json_cursor& c) {
  value_scale s;
  if (c.value().is_string()) {
    const std::string kind = c.as_string();
    if (kind == "fraction") s.kind = scale_kind::fraction;
    else if (kind == "percent_points") s.kind = scale_kind::percent_points;
    else c.fail(fmt::format("unknown scale '{}' (expected fraction, percent_points, or {{\"unit\": ...}})", kind));
    return s;
  }
  if (!c.value().is_object())
    c.fail(fmt::format("expected \"fraction\", \"percent_points\" or an object {{\"unit\": ...}}, got {}",
                       c.value().type_name()));
  c.allow_only({"unit", "convert"});
  if (!c.has("unit")) c.fail("a unit scale needs \"unit\", e.g. \"亿元\"");
  s.kind = scale_kind::unit;
  s.unit = c.at("unit").as_string();
  if (s.unit.empty()) c.at("unit").fail("the unit must not be empty");
  if (c.has("convert")) {
    const json_cursor conv = c.at("convert");
    conv.expect_object();
    for (const auto& item : conv.value().items()) {
      const double factor = conv.at(item.key()).as_number();
      if (item.key().empty() || item.key() == s.unit)
        conv.at(item.key()).fail("a conversion needs another, non-empty unit name");
      if (!(factor > 0) || !std::isfinite(factor))
        conv.at(item.key()).fail(fmt::format("the factor must be a positive number, got {}", factor));
      s.convert[item.key()] = factor;
    }
  }
  return s;
}

nlohmann::ordered_json write_scale(const value_scale& s) {
  switch (s.kind) {
    case scale_kind::fraction: return "fraction";
    case scale_kind::percent_points: return "percent_points";
    case scale_kind::unspecified: return nullptr;
    case scale_kind::unit: break;
  }
  nlohmann::ordered_json j;
  j["unit"] = s.unit;
  if (!s.convert.empty()) {
    nlohmann::ordered_json conv = nlohmann::ordered_json::object();
    for (const auto& [unit, factor] : s.convert) conv[unit] = factor;
    j["convert"] = conv;
  }
  return j;
}

std::vector<group_column> read_groups(const json_cursor& c) {
  c.expect_array();
  std::vector<group_column> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.value().size(); ++i) {
    const json_cursor g = c.at(i);
    g.allow_only({"id", "name", "name_en", "labels"});
    group_column col;
    if (!g.has("id")) g.fail("a grouping column needs an \"id\" (the column the pools use, e.g. level)");
    col.id = g.at("id").as_string();
    if (col.id.empty()) g.at("id").fail("the id must not be empty");
    if (!seen.insert(col.id).second) g.at("id").fail(fmt::format("grouping column '{}' is declared twice", col.id));
    g.read("name", col.name);
    g.read("name_en", col.name_en);
    if (g.has("labels")) {
      const json_cursor labels = g.at("labels");
      labels.expect_object();
      std::set<std::string> spellings;
      for (const auto& item : labels.value().items()) {
        const json_cursor list = labels.at(item.key());
        list.expect_array();
        auto& out_list = col.labels[item.key()];
        for (std::size_t k = 0; k < list.value().size(); ++k) {
          const std::string spelling = list.at(k).as_string();
          if (spelling.empty() || !spellings.insert(spelling).second)
            list.at(k).fail(fmt::format("'{}' is empty or given for two labels", spelling));
          out_list.push_back(spelling);
        }
      }
    }
    out.push_back(std::move(col));
  }
  return out;
}

nlohmann::ordered_json write_groups(const std::vector<group_column>& groups) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const group_column& g : groups) {
    nlohmann::ordered_json j;
    j["id"] = g.id;
    if (!g.name.empty()) j["name"] = g.name;
    if (!g.name_en.empty()) j["name_en"] = g.name_en;
    if (!g.labels.empty()) {
      nlohmann::ordered_json labels = nlohmann::ordered_json::object();
      for (const auto& [label, spellings] : g.labels) labels[label] = spellings;
      j["labels"] = labels;
    }
    out.push_back(j);
  }
  return out;
}

}  // namespace parkscore::detail
