#include "parkscore/io/header_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "io/mapping_json.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/clean_text.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "io/text_file.hpp"

namespace parkscore {

namespace detail {

column_mapping read_mapping_object(const json_cursor& c) {
  c.expect_object();
  column_mapping m;
  auto read_columns = [&](const json_cursor& cols) {
    cols.expect_object();
    for (const auto& item : cols.value().items()) {
      const std::string target = cols.at(item.key()).as_string();
      if (target.empty() || item.key().empty()) cols.at(item.key()).fail("expected a header and a non-empty target");
      m.columns[item.key()] = target;
    }
  };
  const bool structured = c.has("columns") || c.has("labels");
  if (!structured) {
    read_columns(c);
    return m;
  }
  c.allow_only({"columns", "labels"});
  if (c.has("columns")) read_columns(c.at("columns"));
  if (c.has("labels")) {
    const json_cursor labels = c.at("labels");
    labels.expect_object();
    for (const auto& group : labels.value().items()) {
      const json_cursor g = labels.at(group.key());
      g.expect_object();
      for (const auto& item : g.value().items()) {
        const std::string label = g.at(item.key()).as_string();
        if (label.empty()) g.at(item.key()).fail("expected a non-empty label");
        m.labels[group.key()][item.key()] = label;
      }
    }
  }
  return m;
}

}  // namespace detail

column_mapping read_mapping(const std::filesystem::path& file) {
  if (file.extension() != ".json") return {read_column_mapping(file), {}};
  const std::string text = detail::read_text_file<data_error>(file);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw data_error(fmt::format("{}: not valid JSON (byte {}): {}", file.string(), e.byte, e.what()));
  }
  try {
    return detail::read_mapping_object(detail::json_cursor(j, file.string()));
  } catch (const schema_error& e) {
    throw data_error(e.what());
  }
}

void merge_mapping(column_mapping& base, const column_mapping& more, const std::string& source) {
  for (const auto& [header, target] : more.columns) {
    auto [it, fresh] = base.columns.emplace(header, target);
    if (!fresh && it->second != target)
      throw data_error(fmt::format("{}: header '{}' is mapped to '{}' and to '{}'", source, header, it->second, target));
  }
  for (const auto& [group, spellings] : more.labels)
    for (const auto& [spelling, label] : spellings) {
      auto [it, fresh] = base.labels[group].emplace(spelling, label);
      if (!fresh && it->second != label)
        throw data_error(fmt::format("{}: label '{}' of '{}' is mapped to '{}' and to '{}'", source, spelling, group,
                                     it->second, label));
    }
}

namespace {

// Splits "地区生产总值（万元）" into the name and the unit in the last parentheses.
std::pair<std::string, std::string> split_unit(std::string_view header) {
  const std::string h = clean_id(header);   // full-width parentheses become ASCII
  if (h.size() < 3 || h.back() != ')') return {h, ""};
  const auto open = h.rfind('(');
  if (open == std::string::npos || open == 0) return {h, ""};
  return {clean_id(h.substr(0, open)), clean_id(h.substr(open + 1, h.size() - open - 2))};
}

// Levenshtein distance on UTF-8 code points.
std::size_t distance(std::string_view a, std::string_view b) {
  auto points = [](std::string_view s) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      out.push_back(s.substr(i, len));
      i += len;
    }
    return out;
  };
  const auto x = points(a), y = points(b);
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[y.size()];
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}

}  // namespace

header_matcher::header_matcher(const framework& model, const column_mapping& mapping,
                               const std::vector<std::string>& extra_groups) {
  auto add = [&](const std::string& spelling, const std::string& target, header_match::kind what,
                 const std::string& shown) {
    if (spelling.empty()) return;
    const std::string key = match_key(spelling);
    by_key_.emplace(key, entry{target, what, shown});
    names_.emplace_back(key, shown);
  };
  const std::vector<std::string> inputs = input_columns(model);
  for (const std::string& id : inputs) {
    std::string name, name_en;
    if (const auto k = model.find(id)) {
      name = model.at(*k).name;
      name_en = model.at(*k).name_en;
    }
    for (const event_column& e : model.rules.events)
      if (e.id == id) name = e.name, name_en = e.name_en;
    const std::string shown = name.empty() ? id : id + " " + name;
    indicator_list_.push_back(shown);
    add(id, id, header_match::kind::indicator, shown);
    add(name, id, header_match::kind::indicator, shown);
    add(name_en, id, header_match::kind::indicator, shown);
  }
  std::set<std::string> groups(extra_groups.begin(), extra_groups.end());
  for (const std::string& p : model.pools)
    if (!p.empty()) groups.insert(p);
  for (const group_column& g : model.groups) {
    groups.insert(g.id);
    const std::string shown = g.name.empty() ? g.id : g.id + " " + g.name;
    add(g.name, g.id, header_match::kind::group, shown);
    add(g.name_en, g.id, header_match::kind::group, shown);
    for (const auto& [label, spellings] : g.labels) {
      labels_[g.id][match_key(label)] = label;
      for (const std::string& s : spellings) labels_[g.id][match_key(s)] = label;
    }
  }
  for (const std::string& g : groups) add(g, g, header_match::kind::group, g);
  // The mapping comes last and wins: it is the office's own word.
  for (const auto& [header, target] : mapping.columns) {
    const bool is_input = std::find(inputs.begin(), inputs.end(), target) != inputs.end();
    if (!is_input && !groups.count(target)) {
      std::string near;
      std::size_t best = 3;
      for (const std::string& id : inputs)
        if (const std::size_t d = distance(target, id); d < best) best = d, near = id;
      unknown_targets_.push_back(fmt::format("'{}' -> '{}'{}", header, target,
                                             near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
      continue;
    }
    by_key_[match_key(header)] = entry{target, is_input ? header_match::kind::indicator : header_match::kind::group,
                                       target};
  }
  for (const auto& [group, spellings] : mapping.labels)
    for (const auto& [spelling, label] : spellings) labels_[group][match_key(spelling)] = label;
}

std::optional<header_match> header_matcher::match(std::string_view header) const {
  const auto [name, unit] = split_unit(header);
  if (const auto it = by_key_.find(match_key(header)); it != by_key_.end()) {
    // A mapped header "增速（%）" still says its unit, if its name without it means the same column.
    const auto base = unit.empty() ? by_key_.end() : by_key_.find(match_key(name));
    const bool same = base != by_key_.end() && base->second.target == it->second.target;
    return header_match{it->second.what, it->second.target, same ? unit : std::string()};
  }
  if (unit.empty()) return std::nullopt;
  if (const auto it = by_key_.find(match_key(name)); it != by_key_.end())
    return header_match{it->second.what, it->second.target, unit};
  return std::nullopt;
}

std::vector<std::string> header_matcher::closest(std::string_view header, std::size_t count) const {
  const std::string key = match_key(split_unit(header).first);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& [name, shown] : names_) {
    const std::size_t d = distance(key, name);
    const std::size_t limit = std::max<std::size_t>(2, std::max(code_points(key), code_points(name)) / 2);
    if (d <= limit) scored.emplace_back(d, shown);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [d, shown] : scored)
    if (out.size() < count && std::find(out.begin(), out.end(), shown) == out.end()) out.push_back(shown);
  return out;
}

std::string header_matcher::indicator_list() const { return fmt::format("{}", fmt::join(indicator_list_, ", ")); }

std::string header_matcher::label(const std::string& group, std::string_view cell) const {
  const std::string cleaned = clean_text(cell);
  if (const auto g = labels_.find(group); g != labels_.end())
    if (const auto it = g->second.find(match_key(cleaned)); it != g->second.end()) return it->second;
  return cleaned;
}

}  // namespace parkscore
