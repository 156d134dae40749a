#include "engine/manifest_json.hpp"

#include <fmt/format.h>

#include "io/mapping_json.hpp"

namespace parkscore::detail {

namespace {

using json = nlohmann::ordered_json;

constexpr std::pair<percent_rule, const char*> percent_names[] = {
    {percent_rule::points, "points"}, {percent_rule::fraction, "fraction"}, {percent_rule::reject, "reject"}};

const char* percent_name(percent_rule p) {
  for (const auto& [rule, name] : percent_names)
    if (rule == p) return name;
  return "points";
}

percent_rule read_percent(const json_cursor& c) {
  const std::string text = c.as_string();
  for (const auto& [rule, name] : percent_names)
    if (text == name) return rule;
  c.fail(fmt::format("unknown value '{}' (expected one of: points, fraction, reject)", text));
}

json mapping_json(const column_mapping& m) {
  return json{{"columns", m.columns}, {"labels", m.labels}};
}

std::vector<std::string> strings(const json_cursor& c) {
  c.expect_array();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < c.value().size(); ++i) out.push_back(c.at(i).as_string());
  return out;
}

std::map<std::string, std::string> string_map(const json_cursor& c) {
  c.expect_object();
  std::map<std::string, std::string> out;
  for (const auto& item : c.value().items()) out[item.key()] = c.at(item.key()).as_string();
  return out;
}

data_request read_request(const json_cursor& c) {
  c.allow_only({"layout", "id_column", "name_column", "year_column", "groups", "keep", "mapping", "percent",
                "ignore_extra", "year"});
  data_request r;
  const std::string layout = c.at("layout").as_string();
  if (layout != "wide" && layout != "long") c.at("layout").fail("expected \"wide\" or \"long\"");
  r.layout = layout == "long" ? table_layout::long_ : table_layout::wide;
  r.id_column = c.at("id_column").as_string();
  r.name_column = c.at("name_column").as_string();
  r.year_column = c.at("year_column").as_string();
  r.groups = strings(c.at("groups"));
  r.keep = strings(c.at("keep"));
  r.mapping = read_mapping_object(c.at("mapping"));
  r.percent = read_percent(c.at("percent"));
  r.ignore_extra = c.at("ignore_extra").as_bool();
  r.year = c.at("year").as_string();
  return r;
}

wide_layout read_layout(const json_cursor& c) {
  c.allow_only({"id_column", "name_column", "group_columns", "indicators", "rename", "extra", "percent", "formats"});
  wide_layout l;
  l.id_column = c.at("id_column").as_string();
  l.name_column = c.at("name_column").as_string();
  l.group_columns = strings(c.at("group_columns"));
  l.indicators = strings(c.at("indicators"));
  l.rename = string_map(c.at("rename"));
  const std::string extra = c.at("extra").as_string();
  if (extra != "ignore" && extra != "error") c.at("extra").fail("expected \"ignore\" or \"error\"");
  l.extra = extra == "error" ? extra_columns::error : extra_columns::ignore;
  l.numbers.percent = read_percent(c.at("percent"));
  const json_cursor formats = c.at("formats");
  formats.expect_object();
  for (const auto& item : formats.value().items()) l.formats[item.key()].percent = read_percent(formats.at(item.key()));
  return l;
}

}  // namespace

json request_json(const data_request& r) {
  return json{{"layout", r.layout == table_layout::long_ ? "long" : "wide"},
              {"id_column", r.id_column},
              {"name_column", r.name_column},
              {"year_column", r.year_column},
              {"groups", r.groups},
              {"keep", r.keep},
              {"mapping", mapping_json(r.mapping)},
              {"percent", percent_name(r.percent)},
              {"ignore_extra", r.ignore_extra},
              {"year", r.year}};
}

json layout_json(const wide_layout& l) {
  json formats = json::object();
  for (const auto& [id, f] : l.formats) formats[id] = percent_name(f.percent);
  return json{{"id_column", l.id_column},
              {"name_column", l.name_column},
              {"group_columns", l.group_columns},
              {"indicators", l.indicators},
              {"rename", l.rename},
              {"extra", l.extra == extra_columns::error ? "error" : "ignore"},
              {"percent", percent_name(l.numbers.percent)},
              {"formats", formats}};
}

data_source read_source_json(const json_cursor& c) {
  data_source s;
  s.file = c.at("file").as_string();
  s.csv.encoding = c.at("encoding").as_string();
  const std::string reader = c.at("reader").as_string();
  if (reader == "office")
    s.request = read_request(c.at("request"));
  else if (reader == "wide")
    s.layout = read_layout(c.at("layout"));
  else
    c.at("reader").fail(fmt::format("unknown reader '{}' (expected office or wide)", reader));
  return s;
}

}  // namespace parkscore::detail
