#include "parkscore/io/project.hpp"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/mapping_json.hpp"
#include "model/json_cursor.hpp"
#include "parkscore/error.hpp"
#include "io/text_file.hpp"

namespace parkscore {

namespace {

using detail::json_cursor;

constexpr const char* format_name = "parkscore-project";

std::string resolve(const std::filesystem::path& folder, const std::string& path) {
  const std::filesystem::path p(path);
  return p.is_absolute() || folder.empty() ? path : (folder / p).lexically_normal().string();
}

std::string string_or_number(const json_cursor& c) {
  if (c.value().is_number_integer()) return std::to_string(c.value().get<long long>());
  return c.as_string();
}

}  // namespace

project parse_project(std::string_view json_text, const std::string& source, const std::filesystem::path& folder) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw schema_error(fmt::format("{}: invalid JSON (byte {}): {}", source, e.byte, e.what()));
  }
  const json_cursor c(j, source);
  c.allow_only({"format", "version", "framework", "encoding", "layout", "id_column", "name_column", "year_column",
                "groups", "mapping", "percent", "ignore_extra", "data", "pool", "label", "rule", "output"});
  if (!c.has("format") || c.at("format").as_string() != format_name)
    c.fail(fmt::format("not a project file: expected \"format\": \"{}\"", format_name));
  if (!c.has("version") || c.at("version").as_int() != 1) c.fail("expected \"version\": 1");
  project p;
  p.source = source;
  if (!c.has("framework")) c.fail("missing \"framework\": a preset name or a framework file");
  p.framework = c.at("framework").as_string();
  if (p.framework.empty()) c.at("framework").fail("must not be empty");
  if (p.framework.find('/') != std::string::npos || p.framework.ends_with(".json"))
    p.framework = resolve(folder, p.framework);
  c.read("encoding", p.encoding);
  if (c.has("layout")) {
    const std::string layout = c.at("layout").as_string();
    if (layout == "wide") p.data.layout = table_layout::wide;
    else if (layout == "long") p.data.layout = table_layout::long_;
    else c.at("layout").fail(fmt::format("unknown value '{}' (expected one of: wide, long)", layout));
  }
  c.read("id_column", p.data.id_column);
  c.read("name_column", p.data.name_column);
  c.read("year_column", p.data.year_column);
  if (c.has("groups")) {
    const json_cursor g = c.at("groups");
    g.expect_array();
    for (std::size_t i = 0; i < g.value().size(); ++i) p.data.keep.push_back(g.at(i).as_string());
  }
  if (c.has("mapping")) {
    const json_cursor m = c.at("mapping");
    if (m.value().is_string()) {
      const std::string file = resolve(folder, m.as_string());
      try {
        p.data.mapping = read_mapping(file);
      } catch (const data_error& e) {
        m.fail(e.what());
      }
    } else {
      p.data.mapping = detail::read_mapping_object(m);
    }
  }
  if (c.has("percent")) {
    const std::string rule = c.at("percent").as_string();
    if (rule == "points") p.data.percent = percent_rule::points;
    else if (rule == "fraction") p.data.percent = percent_rule::fraction;
    else if (rule == "reject") p.data.percent = percent_rule::reject;
    else c.at("percent").fail(fmt::format("unknown value '{}' (expected one of: points, fraction, reject)", rule));
  }
  c.read("ignore_extra", p.data.ignore_extra);
  if (!c.has("data")) c.fail("missing \"data\": the data files, e.g. [{\"year\": 2023, \"file\": \"2023.csv\"}]");
  const json_cursor data = c.at("data");
  data.expect_array();
  if (data.value().empty()) data.fail("needs at least one data file");
  for (std::size_t i = 0; i < data.value().size(); ++i) {
    const json_cursor d = data.at(i);
    project_input in;
    if (d.value().is_string()) {
      in.file = resolve(folder, d.as_string());
    } else {
      d.allow_only({"file", "year"});
      if (!d.has("file")) d.fail("missing \"file\"");
      in.file = resolve(folder, d.at("file").as_string());
      if (d.has("year")) in.year = string_or_number(d.at("year"));
    }
    p.inputs.push_back(std::move(in));
  }
  c.read("pool", p.pool);
  c.read("label", p.label);
  c.read("rule", p.rule);
  if (!p.rule.empty() && (p.rule.find('/') != std::string::npos || p.rule.ends_with(".json")))
    p.rule = resolve(folder, p.rule);
  if (c.has("output")) {
    const json_cursor o = c.at("output");
    o.allow_only({"format", "file", "levels", "top", "decimals"});
    if (o.has("format")) {
      const std::string f = o.at("format").as_string();
      if (f == "table") p.format = report_format::table;
      else if (f == "csv") p.format = report_format::csv;
      else if (f == "json") p.format = report_format::json;
      else if (f == "markdown") p.format = report_format::markdown;
      else o.at("format").fail(fmt::format("unknown value '{}' (expected one of: table, csv, json, markdown)", f));
    }
    if (o.has("file")) p.output = resolve(folder, o.at("file").as_string());
    o.read("levels", p.levels);
    o.read("decimals", p.decimals);
    if (o.has("top")) {
      const int top = o.at("top").as_int();
      if (top < 0) o.at("top").fail("must be >= 0");
      p.top = static_cast<std::size_t>(top);
    }
    if (p.levels < 0) o.at("levels").fail("must be >= 0");
    if (p.decimals < 0 || p.decimals > 10) o.at("decimals").fail("must be 0 to 10");
  }
  return p;
}

project load_project(const std::filesystem::path& file) {
  return parse_project(detail::read_text_file<schema_error>(file, "the project file"), file.string(), file.parent_path());
}

}  // namespace parkscore
