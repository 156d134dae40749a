// parkscore report FRAMEWORK DATA...: the document an office hands over — HTML
// (self-contained, printable to A4), Markdown, an .xlsx workbook and an Excel CSV.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common.hpp"

namespace parkscore::cli {

namespace {

struct report_cli_options {
  std::string framework;
  std::vector<std::string> data;   // one file, or several years oldest first
  std::string pool;
  int levels = 1;
  language lang = language::zh;
  std::string title;
  std::string html, markdown, xlsx, csv;
  std::string csv_encoding;
  std::vector<std::string> zones;
  bool audit = false;
  std::string intervals;   // CSV: unit, nominal, median, lo, hi
  std::string interval_label;
  std::string rule;        // delisting rule for the watch list
  data_options input;
};

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw data_error(fmt::format("{}: cannot read the file", file));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::string& bytes, const std::string& file) {
  std::ofstream out(file, std::ios::binary);
  if (!out || !(out << bytes)) throw error(fmt::format("{}: cannot write the file", file));
}

int run_report(const report_cli_options& o) {
  if (o.html.empty() && o.markdown.empty() && o.xlsx.empty() && o.csv.empty())
    throw data_error("report: give at least one of --html, --markdown, --xlsx, --csv");
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  std::vector<std::string> groupings = {grouping};
  std::optional<delisting_rule> rule;
  if (!o.rule.empty()) {
    rule = load_rule(o.rule);
    if (std::find(groupings.begin(), groupings.end(), rule->grouping) == groupings.end()) groupings.push_back(rule->grouping);
  }
  std::optional<result> single;
  std::optional<year_series> years;
  if (o.data.size() > 1) years = read_years(o.data, &model, groupings, o.input);
  // The latest year's data (files are sorted by data year), read as read_years read it.
  data_options latest_input = o.input;
  if (years) latest_input.years.clear();
  const dataset data = read_data(years ? years->files.back() : o.data.back(), model, groupings, latest_input);
  if (!years) single = score(model, data, groupings);
  const result& r = years ? *years->latest : *single;

  document_options d;
  d.title = o.title;
  d.grouping = grouping;
  d.levels = o.levels;
  d.lang = o.lang;
  d.data = &data;
  d.zones = o.zones;
  if (years) {
    const int now = years->evaluation_years.back();
    d.changes = rank_changes(years->ranks, now, grouping);
    if (rule) d.watch = delisting_watch(years->ranks, *rule, now);
  } else if (rule) {
    history h;
    h.add(r, 0);
    d.watch = delisting_watch(h, *rule, year_convention{}.evaluation_year(0));
  }
  if (o.audit) {
    audit_options a;
    a.grouping = grouping;
    a.evaluation.allow_extra_columns = true;
    d.audit = audit_index(model, data, a);
  }
  if (!o.intervals.empty()) {
    std::string percentiles;
    d.intervals = parse_rank_intervals(read_text(o.intervals), o.intervals, &percentiles);
    d.interval_label = !o.interval_label.empty() || percentiles.empty() ? o.interval_label
                       : o.lang == language::zh ? fmt::format("不确定性分析的{}排名区间（parkscore uncertainty）", percentiles)
                                                : fmt::format("{} rank intervals of the uncertainty analysis", percentiles);
  }
  if (!o.html.empty()) write_bytes(html_document(r, d), o.html);
  if (!o.markdown.empty()) write_bytes(markdown_document(r, d), o.markdown);
  if (!o.csv.empty()) write_bytes(excel_csv(r, d.changes, {grouping, o.levels, 2, o.csv_encoding, true}), o.csv);
  if (!o.xlsx.empty()) write_workbook(r, data, o.xlsx, {grouping, d.changes, d.audit ? &*d.audit : nullptr});
  print_warnings(make_report(r, {grouping, 0, 0, 2}).warnings);
  return exit_code::ok;
}

}  // namespace

void add_report(CLI::App& app, action& run) {
  auto o = std::make_shared<report_cli_options>();
  CLI::App* cmd = app.add_subcommand("report", "Write the report: HTML (printable), Markdown, .xlsx workbook, Excel CSV");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV); several files = several years, oldest first (rank changes)")
      ->required()
      ->expected(1, -1);
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("-l,--levels", o->levels, "Levels below the total in the ranking table")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--lang", o->lang, "Language of the document: zh or en")
      ->transform(CLI::CheckedTransformer(std::map<std::string, language>{{"en", language::en}, {"zh", language::zh}}))
      ->default_str("zh");
  cmd->add_option("--title", o->title, "Title (default: the framework's name)");
  cmd->add_option("--html", o->html, "Write the HTML report here");
  cmd->add_option("--markdown", o->markdown, "Write the Markdown report here");
  cmd->add_option("--xlsx", o->xlsx, "Write the .xlsx workbook here (needs libxlsxwriter at build time)");
  cmd->add_option("--csv", o->csv, "Write the ranking as a CSV for Excel here (UTF-8 with BOM, Chinese headers)");
  cmd->add_option("--csv-encoding", o->csv_encoding, "Encoding of --csv: utf-8 (with BOM, default), gbk or gb18030");
  cmd->add_option("--zone", o->zones, "A unit (id or name) that gets a page of its own (repeatable)");
  cmd->add_flag("--audit", o->audit, "Add the statistical audit (docs/audit.md)");
  cmd->add_option("--intervals", o->intervals,
                  "Rank intervals to show: the CSV of 'parkscore uncertainty --output csv', or unit, nominal, median, lo, hi");
  cmd->add_option("--interval-label", o->interval_label, "A sentence saying how the intervals were made");
  cmd->add_option("--rule", o->rule, "Delisting rule (built-in name or JSON file) for the watch list");
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Example:\n"
      "  parkscore report demo examples/data/demo-2022.csv examples/data/demo.csv --pool level --html demo.html "
      "--markdown demo.md --zone D04 --audit");
  cmd->callback([o, &run] { run = [o] { return run_report(*o); }; });
}

}  // namespace parkscore::cli
