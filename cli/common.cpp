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
  cmd.add_option("--year", o.years,
                 "Data year of each file, in the order given (repeatable); long layout: the year to use")
      ->allow_extra_args(false);
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

column_mapping mapping_of(const data_options& o) {
  column_mapping mapping = o.mapping;
  if (!o.map_file.empty()) merge_mapping(mapping, read_mapping(o.map_file), o.map_file);
  for (const std::string& pair : o.map_pairs) {
    const auto eq = pair.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
      throw data_error(fmt::format("--map-column '{}': expected HEADER=INDICATOR", pair));
    mapping.columns[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return mapping;
}

std::string slurp(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw data_error(fmt::format("{}: cannot open the file", file));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

data_request request_of(const data_options& o, const std::vector<std::string>& required) {
  data_request r;
  r.layout = o.layout == data_layout::long_ ? table_layout::long_ : table_layout::wide;
  r.id_column = o.id_column;
  r.name_column = o.name_column;
  for (const std::string& g : required)
    if (!g.empty()) r.groups.push_back(g);
  r.keep = o.groups;
  r.mapping = mapping_of(o);
  r.percent = o.percent;
  r.ignore_extra = o.ignore_extra;
  if (o.layout == data_layout::long_ && !o.years.empty()) r.year = o.years.front();
  return r;
}

dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& o, problem_list& problems) {
  const csv_table table = read_csv(file, {o.encoding}, problems);
  if (table.header.empty()) return {};
  std::vector<std::string> warnings;
  dataset d = read_dataset(table, model, request_of(o, required), problems, warnings);
  print_warnings(warnings);
  return d;
}

dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& options) {
  problem_list problems;
  dataset d = read_data(file, model, required, options, problems);
  problems.raise_if_any();
  return d;
}

void check_weight_set(const framework& model, const std::string& name, const std::string& option) {
  const std::vector<std::string> names = weight_set_names(model);
  if (std::find(names.begin(), names.end(), name) == names.end())
    throw schema_error(fmt::format("{} '{}': the framework '{}' has no such weight set; its weight sets are: {}", option,
                                   name, model.id, fmt::join(names, ", ")));
}

evaluation_options evaluation_options_of(const std::vector<std::string>& groupings, const method_inputs& inputs) {
  evaluation_options options;
  for (const std::string& g : groupings)
    if (std::find(options.pools.begin(), options.pools.end(), g) == options.pools.end()) options.pools.push_back(g);
  options.allow_extra_columns = true;   // read_data has already checked the columns
  options.weight_set = inputs.weight_set;
  options.previous = inputs.previous;
  return options;
}

result score(const framework& model, const dataset& data, const std::vector<std::string>& groupings,
             const method_inputs& inputs) {
  return evaluate(model, data, evaluation_options_of(groupings, inputs));
}

year_series read_years(const std::vector<std::string>& files, const framework* model,
                       const std::vector<std::string>& groupings, const data_options& input,
                       const method_inputs& method) {
  if (!input.years.empty() && input.years.size() != files.size() && input.layout == data_layout::wide)
    throw data_error(fmt::format("--year is given {} times for {} files: give one year per file, in the files' order",
                                 input.years.size(), files.size()));
  // Read every file first: its year may be in its year column, and equal files are an error.
  problem_list problems;
  std::vector<year_input> inputs;
  std::vector<dataset> data;
  std::vector<csv_table> tables;
  for (std::size_t i = 0; i < files.size(); ++i) {
    year_input in{files[i], input.years.size() == files.size() ? input.years[i] : "", "", slurp(files[i])};
    if (model) {
      data_options one = input;
      one.years.clear();
      data.push_back(read_data(files[i], *model, groupings, one, problems));
      in.column = data.back().period;
    } else {
      tables.push_back(read_csv(files[i], {input.encoding}, problems));
    }
    inputs.push_back(std::move(in));
  }
  problems.raise_if_any();
  std::vector<std::string> warnings;
  const std::vector<dated_input> years = resolve_years(inputs, problems, warnings);
  problems.raise_if_any();
  print_warnings(warnings);
  const year_convention convention;
  year_series out;
  out.years_used = describe_years(inputs, years);
  for (std::size_t k = 0; k < years.size(); ++k) {
    const std::size_t i = years[k].input;
    const int year = years[k].data_year;
    out.files.push_back(files[i]);
    out.evaluation_years.push_back(convention.evaluation_year(year));
    if (!model) {
      out.ranks.add(read_rank_table(tables[i], {groupings.front(), "", year, convention}));
      continue;
    }
    data[i].period = std::to_string(year);
    result r = score(*model, data[i], groupings, method);
    for (const pool_result& p : r.pools) out.ranks.add(make_rank_table(r, {p.grouping, "", year, convention}));
    if (k + 1 == years.size()) out.latest = std::move(r);
  }
  return out;
}

std::string format_watch(const history& ranks, const delisting_rule& rule, int evaluation_year,
                         const std::string& years_used) {
  check_rule_pools(ranks, rule, evaluation_year);
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
  std::vector<std::string> missing;
  for (int y = evaluation_year - rule.window + 1; y <= evaluation_year; ++y)
    if (!ranks.find(y, rule.grouping)) missing.push_back(std::to_string(y));
  if (!years_used.empty()) out += fmt::format("  Data years used: {}\n", years_used);
  if (!missing.empty())
    out += fmt::format("  No data for the evaluation year{} {}: counted as no hit\n", missing.size() == 1 ? "" : "s",
                       fmt::join(missing, ", "));
  return out;
}

void check_rule_pools(const history& ranks, const delisting_rule& rule, int evaluation_year) {
  if (rule.pools.empty() || !ranks.find(evaluation_year, rule.grouping)) return;
  std::set<std::string> labels;
  for (const rank_entry& e : ranks.table(evaluation_year, rule.grouping).entries) labels.insert(e.pool);
  for (const std::string& p : rule.pools)
    if (labels.count(p)) return;
  throw data_error(fmt::format("delisting rule '{}' watches the pool{} {} of '{}', but no unit has {} label; the labels "
                               "found are: {} (map the labels, e.g. 省级 -> provincial, in the mapping or the project "
                               "file)",
                               rule.name, rule.pools.size() == 1 ? "" : "s", fmt::join(rule.pools, ", "),
                               rule.grouping.empty() ? "all" : rule.grouping, rule.pools.size() == 1 ? "this" : "such a",
                               fmt::join(labels, ", ")));
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
