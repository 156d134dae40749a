#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace parkscore::cli {

void add_data_options(CLI::App& cmd, data_options& o) {
  cmd.add_option("--layout", o.layout, "Data layout: wide (one row per unit) or long (unit, year, indicator, value)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, data_layout>{{"wide", data_layout::wide},
                                                                              {"long", data_layout::long_}}))
      ->default_str("wide");
  cmd.add_option("--encoding", o.encoding, "Encoding of the data file (default UTF-8), e.g. gb18030 for Chinese Excel");
  cmd.add_option("--year", o.year, "Long layout: the year to use when the file holds several");
  cmd.add_option("--id-column", o.id_column, "Column with the unit ids (default: id; long layout: unit)");
  cmd.add_option("--name-column", o.name_column, "Column with the unit names (optional)")->capture_default_str();
  cmd.add_option("--map", o.map_file, "Column mapping file (CSV: header,indicator; or a JSON object)");
  cmd.add_option("--map-column", o.map_pairs, "One mapping HEADER=INDICATOR (repeatable), e.g. 地区生产总值=gdp");
  cmd.add_option("--percent", o.percent, "How 12.5% is read: points (12.5), fraction (0.125) or reject")
      ->transform(CLI::CheckedTransformer(std::map<std::string, percent_rule>{{"points", percent_rule::points},
                                                                              {"fraction", percent_rule::fraction},
                                                                              {"reject", percent_rule::reject}}))
      ->default_str("points");
  cmd.add_option("--group", o.groups, "A text column to keep as a grouping column (repeatable), e.g. city");
  cmd.add_flag("--ignore-extra", o.ignore_extra, "Ignore data columns that are not indicators of the framework");
}

void add_format_option(CLI::App& cmd, report_format& format) {
  cmd.add_option("-f,--format", format, "Output format: table, csv, json or markdown")
      ->transform(CLI::CheckedTransformer(std::map<std::string, report_format>{{"table", report_format::table},
                                                                               {"csv", report_format::csv},
                                                                               {"json", report_format::json},
                                                                               {"markdown", report_format::markdown}}))
      ->default_str("table");
}

void add_output_option(CLI::App& cmd, std::string& file) {
  cmd.add_option("-o,--output", file, "Write to this file instead of standard output");
}

std::string grouping_of(const std::string& pool) { return pool == "all" ? std::string() : pool; }

namespace {

std::map<std::string, std::string> mapping_of(const data_options& o, const framework& model, problem_list& problems) {
  std::map<std::string, std::string> mapping;
  if (!o.map_file.empty()) mapping = read_column_mapping(o.map_file);
  for (const std::string& pair : o.map_pairs) {
    const auto eq = pair.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
      throw data_error(fmt::format("--map-column '{}': expected HEADER=INDICATOR", pair));
    mapping[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  // A typo on the right-hand side (gdp=gpd) must be named, not reported as a missing 'gdp'.
  const std::vector<std::string> wanted = input_columns(model);
  std::set<std::string> known(wanted.begin(), wanted.end());
  known.insert(model.pools.begin(), model.pools.end());
  known.insert(o.groups.begin(), o.groups.end());
  known.insert({"id", "name", "unit", o.id_column, o.name_column});
  for (const auto& [header, target] : mapping)
    if (!known.count(target))
      problems.add(fmt::format("column mapping '{}={}': '{}' is not an input of the framework (inputs: {})", header,
                               target, target, fmt::join(wanted, ", ")));
  return mapping;
}

// Long layout: the year's dataset, checked against the framework's indicators.
dataset pick_year(std::map<std::string, dataset> years, const std::string& file, const framework& model,
                  const data_options& o, problem_list& problems) {
  if (years.empty()) return {};
  std::string year = o.year;
  if (year.empty()) {
    if (years.size() > 1) {
      std::vector<std::string> names;
      for (const auto& [y, d] : years) names.push_back(y);
      problems.add(fmt::format("{}: the file holds the years {}; choose one with --year", file, fmt::join(names, ", ")));
      return {};
    }
    year = years.begin()->first;
  }
  const auto it = years.find(year);
  if (it == years.end()) {
    problems.add(fmt::format("{}: no rows for the year {}", file, year));
    return {};
  }
  const dataset& d = it->second;
  const std::vector<std::string> wanted = input_columns(model);
  for (const std::string& id : d.indicator_ids())
    if (std::find(wanted.begin(), wanted.end(), id) == wanted.end() && !o.ignore_extra)
      problems.add(fmt::format("{}: indicator '{}' (year {}) is not an indicator of the framework (indicators: {})",
                               file, id, year, fmt::join(wanted, ", ")));
  for (const std::string& id : model.indicator_ids())
    if (!d.find_indicator(id)) problems.add(fmt::format("{}: no rows for indicator '{}' in the year {}", file, id, year));
  return d;
}

}  // namespace

dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& o, problem_list& problems) {
  const csv_table table = read_csv(file, {o.encoding}, problems);
  if (table.header.empty()) return {};
  std::vector<std::string> groups;
  for (const std::string& g : required)
    if (!g.empty()) groups.push_back(g);
  for (const std::string& g : o.groups)
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  for (const std::string& g : model.pools)
    if (!g.empty() && table.find_column(g) && std::find(groups.begin(), groups.end(), g) == groups.end())
      groups.push_back(g);
  if (o.layout == data_layout::long_) {
    long_layout layout;
    if (!o.id_column.empty()) layout.unit_column = o.id_column;
    layout.name_column = o.name_column;
    layout.group_columns = groups;
    layout.rename = mapping_of(o, model, problems);
    layout.numbers.percent = o.percent;
    return pick_year(read_long(table, layout, problems), file, model, o, problems);
  }
  wide_layout layout;
  if (!o.id_column.empty()) layout.id_column = o.id_column;
  layout.name_column = o.name_column;
  layout.group_columns = groups;
  layout.indicators = input_columns(model);   // indicators, inputs of derived ones, event columns
  layout.rename = mapping_of(o, model, problems);
  layout.extra = o.ignore_extra ? extra_columns::ignore : extra_columns::error;
  layout.numbers.percent = o.percent;
  return read_wide(table, layout, problems);
}

dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& options) {
  problem_list problems;
  dataset d = read_data(file, model, required, options, problems);
  problems.raise_if_any();
  return d;
}

result score(const framework& model, const dataset& data, const std::vector<std::string>& groupings) {
  evaluation_options options;
  for (const std::string& g : groupings)
    if (std::find(options.pools.begin(), options.pools.end(), g) == options.pools.end()) options.pools.push_back(g);
  options.allow_extra_columns = true;   // read_data has already checked the columns
  return evaluate(model, data, options);
}

std::vector<int> file_years(const std::vector<std::string>& files) {
  const std::regex year(R"((19|20)\d\d)");
  std::vector<int> out;
  for (const std::string& f : files) {
    const std::string name = std::filesystem::path(f).filename().string();
    int found = 0;
    for (auto it = std::sregex_iterator(name.begin(), name.end(), year); it != std::sregex_iterator(); ++it)
      found = std::stoi(it->str());
    if (found) out.push_back(found);
  }
  if (out.size() == files.size() && std::set<int>(out.begin(), out.end()).size() == out.size()) return out;
  out.clear();
  for (std::size_t i = 0; i < files.size(); ++i) out.push_back(static_cast<int>(i) + 1);
  return out;
}

year_series read_years(const std::vector<std::string>& files, const framework* model,
                       const std::vector<std::string>& groupings, const data_options& input) {
  const std::vector<int> years = file_years(files);
  const year_convention convention;
  year_series out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    out.evaluation_years.push_back(convention.evaluation_year(years[i]));
    if (!model) {
      out.ranks.add(read_rank_table(read_csv(files[i], {input.encoding}), {groupings.front(), "", years[i], convention}));
      continue;
    }
    result r = score(*model, read_data(files[i], *model, groupings, input), groupings);
    for (const pool_result& p : r.pools) out.ranks.add(make_rank_table(r, {p.grouping, "", years[i], convention}));
    if (i + 1 == files.size()) out.latest = std::move(r);
  }
  return out;
}

std::string format_watch(const history& ranks, const delisting_rule& rule, int evaluation_year) {
  const std::vector<watch_entry> watch = delisting_watch(ranks, rule, evaluation_year);
  std::string out = fmt::format("Delisting watch ({}, evaluation years {} to {}): {}\n", rule.name,
                                evaluation_year - rule.window + 1, evaluation_year, watch.empty() ? "none" : "");
  for (const watch_entry& w : watch) {
    const std::string order = std::isnan(w.order_value) ? std::string("unknown")
                              : rule.order == watch_order::latest_rank
                                  ? fmt::format("place {:g} in {}", w.order_value, evaluation_year)
                                  : fmt::format("mean score {:.2f}", w.order_value);
    out += fmt::format("  {} {} ({}): in the last {} in {}; {}\n", w.unit, w.name, w.pool, rule.bottom,
                       fmt::join(w.hit_years, ", "), order);
  }
  return out;
}

delisting_rule load_rule(const std::string& name_or_file) {
  const auto names = delisting_rule_names();
  if (std::find(names.begin(), names.end(), name_or_file) != names.end()) return builtin_delisting_rule(name_or_file);
  if (!std::filesystem::exists(name_or_file))
    throw schema_error(fmt::format("--rule '{}': neither a built-in rule ({}) nor a file", name_or_file,
                                   fmt::join(names, ", ")));
  std::ifstream in(name_or_file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const std::vector<delisting_rule> rules = parse_delisting_rules(text.str(), name_or_file);
  if (rules.size() != 1)
    throw schema_error(fmt::format("{}: holds {} rules; give a file with exactly one", name_or_file, rules.size()));
  return rules.front();
}

void write_output(const std::string& text, const std::string& file) {
  if (file.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw data_error(fmt::format("{}: cannot write the file", file));
}

void print_warnings(const std::vector<std::string>& warnings) {
  // A long list would bury the table; the JSON output keeps every warning.
  constexpr std::size_t shown = 8;
  for (std::size_t i = 0; i < std::min(shown, warnings.size()); ++i) fmt::print(stderr, "warning: {}\n", warnings[i]);
  if (warnings.size() > shown)
    fmt::print(stderr, "warning: ... and {} more (all of them are in --format json)\n", warnings.size() - shown);
}

}  // namespace parkscore::cli
