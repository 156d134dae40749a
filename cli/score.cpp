// parkscore score FRAMEWORK DATA: the ranking table. Without arguments, the
// project file parkscore.json of the current folder says what to score.
#include <charconv>
#include <filesystem>

#include "common.hpp"

namespace parkscore::cli {

namespace {

struct score_options {
  std::string framework;
  std::vector<std::string> data;   // one file, or several years (sorted by data year)
  std::string project;             // a project file; default: parkscore.json here when no framework is given
  std::string pool;
  std::string label;               // show only this pool label
  std::string rule;                // delisting watch after the table (several years)
  std::size_t top = 0;
  int levels = 1;
  int decimals = 2;
  report_format format = report_format::table;
  std::string output;
  data_options input;
  std::string excel;               // --excel: the .xlsx workbook, or FILE.csv: the ranking as a CSV for Excel
  std::string excel_encoding;      // of an --excel CSV: utf-8 (with BOM), gbk or gb18030
  std::string weight_set;          // --weight-set
  std::string previous;            // --previous: the previous year's data file
  std::string manifest;            // --manifest: the run manifest (JSON), for `parkscore rerun`
  std::string tables;              // --tables: a folder for the CSV table of every step
};

// The options a project file gives; the command line's own options are not mixed in.
score_options from_project(const std::filesystem::path& file) {
  const project p = load_project(file);
  score_options o;
  o.framework = p.framework;
  for (const project_input& in : p.inputs) {
    o.data.push_back(in.file.string());
    o.input.years.push_back(in.year);
  }
  if (std::all_of(o.input.years.begin(), o.input.years.end(), [](const std::string& y) { return y.empty(); }))
    o.input.years.clear();
  o.pool = p.pool;
  o.label = p.label;
  o.rule = p.rule;
  o.top = p.top;
  o.levels = p.levels;
  o.decimals = p.decimals;
  o.format = p.format;
  o.output = p.output;
  o.input.layout = p.data.layout == table_layout::long_ ? data_layout::long_ : data_layout::wide;
  o.input.encoding = p.encoding;
  o.input.id_column = p.data.id_column;
  o.input.name_column = p.data.name_column;
  o.input.groups = p.data.keep;
  o.input.mapping = p.data.mapping;
  o.input.percent = p.data.percent;
  o.input.ignore_extra = p.data.ignore_extra;
  return o;
}

// --excel FILE: for Excel. FILE.csv: the ranking as excel_csv (UTF-8 with BOM, or --excel-encoding
// gbk/gb18030; Chinese headers, rounded, numeric change); any other name: the .xlsx workbook
// (docs/reports.md), the latest file read again as read_years read it. With several years, the rank changes.
void write_for_excel(const score_options& o, const framework& model, const std::string& grouping, const result& r,
                     const year_series* years) {
  const std::vector<rank_change> changes =
      years ? rank_changes(years->ranks, years->evaluation_years.back(), grouping) : std::vector<rank_change>{};
  if (std::filesystem::path(o.excel).extension() == ".csv") {
    write_output(excel_csv(r, changes, {grouping, o.levels, o.decimals, o.excel_encoding, true}), o.excel);
    return;
  }
  data_options input = o.input;
  if (years) input.years.clear();
  const dataset data = read_data(years ? years->files.back() : o.data.front(), model, {grouping}, input);
  write_workbook(r, data, o.excel, {grouping, changes, nullptr});
}

// --weight-set and --previous: checked and read before the data, with the data's reader and mapping.
method_inputs method_inputs_of(const score_options& o, const framework& model, const std::string& grouping) {
  method_inputs in;
  if (!o.weight_set.empty()) check_weight_set(model, o.weight_set);
  in.weight_set = o.weight_set;
  if (o.previous.empty()) return in;
  if (o.data.size() > 1)
    throw data_error(fmt::format("--previous '{}': give one data file with it (several files are several years, "
                                 "ranked against each other)", o.previous));
  data_options before = o.input;
  if (o.input.layout == data_layout::long_ && !o.input.years.empty()) {   // a long file: the year before --year
    const std::string& y = o.input.years.front();
    int year = 0;
    if (std::from_chars(y.data(), y.data() + y.size(), year).ec == std::errc()) before.years = {std::to_string(year - 1)};
  }
  in.previous = read_data(o.previous, model, {grouping}, before);
  in.previous_source = data_source{o.previous, {o.input.encoding}, request_of(before, {grouping}), std::nullopt};
  return in;
}

int run_score(const score_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  std::optional<delisting_rule> rule;
  std::vector<std::string> groupings = {grouping};
  if (!o.rule.empty()) {
    if (o.data.size() < 2 || o.format == report_format::csv || o.format == report_format::json)
      throw data_error(fmt::format("rule '{}': the delisting watch needs several years and the table or markdown "
                                   "format", o.rule));
    rule = load_rule(o.rule);
    groupings.push_back(rule->grouping);
  }
  if ((!o.manifest.empty() || !o.tables.empty()) && o.data.size() > 1)
    throw data_error(fmt::format("--{}: give one data file (a manifest and the step tables describe one evaluation)",
                                 o.manifest.empty() ? "tables" : "manifest"));
  const method_inputs inputs = method_inputs_of(o, model, grouping);
  std::optional<year_series> years;
  std::optional<result> single;
  if (o.data.size() > 1) {
    years = read_years(o.data, &model, groupings, o.input, inputs);
  } else {
    dataset d = read_data(o.data.front(), model, {grouping}, o.input);
    if (!o.input.years.empty() && o.input.layout == data_layout::wide) d.period = o.input.years.front();
    const evaluation_options options = evaluation_options_of({grouping}, inputs);
    single = evaluate(model, d, options);
    if (!o.manifest.empty())
      write_output(run_manifest(*single, d, options,
                                {data_source{o.data.front(), {o.input.encoding}, request_of(o.input, {grouping}),
                                             std::nullopt},
                                 inputs.previous_source}),
                   o.manifest);
    if (!o.tables.empty()) write_tables(result_tables(*single, d, {inputs.previous ? &*inputs.previous : nullptr}), o.tables);
  }
  const result& r = years ? *years->latest : *single;
  report rep = make_report(r, {grouping, o.levels, o.top, o.decimals});
  if (years) {
    const int now = years->evaluation_years.back();
    add_changes(rep, rank_changes(years->ranks, now, grouping));
    rep.period = fmt::format("evaluation year {} (data year {}), change against {}", now,
                             year_convention{}.data_year(now), now - 1);
  }
  if (!o.label.empty()) {
    std::erase_if(rep.rows, [&](const report_row& row) { return row.pool != o.label; });
    if (rep.rows.empty()) throw data_error(fmt::format("--label '{}': no unit has this pool label", o.label));
  }
  std::string out = format_report(rep, o.format);
  if (rule) out += "\n" + format_watch(years->ranks, *rule, years->evaluation_years.back(), years->years_used);
  if (!o.excel.empty()) write_for_excel(o, model, grouping, r, years ? &*years : nullptr);
  write_output(out, o.output);
  print_warnings(rep.warnings);
  return exit_code::ok;
}

}  // namespace

void add_table_options(CLI::App& cmd, int& levels, int& decimals) {
  cmd.add_option("-l,--levels", levels, "Levels below the total to show: 0 total, 1 categories, ...")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd.add_option("--decimals", decimals, "Decimals in table and Markdown output")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
}

void add_score(CLI::App& app, action& run) {
  auto o = std::make_shared<score_options>();
  CLI::App* cmd = app.add_subcommand(
      "score", "Score and rank the units of a data file (no arguments: run the project file parkscore.json here)");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name");
  cmd->add_option("data", o->data,
                  "Data file (CSV); several files = several years (the data year comes from --year, a year column "
                  "or the file name): the last year is ranked, with its rank change")
      ->expected(0, -1);
  cmd->add_option("--project", o->project, "Project file to run (default: parkscore.json in this folder)");
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("--label", o->label, "Show only the units with this pool label, e.g. provincial");
  cmd->add_option("-r,--rule", o->rule, "Several years: add the delisting watch of this rule (e.g. jiangsu-2021)");
  cmd->add_option("-k,--top", o->top, "Show the best k units of each pool (ties at k included; 0 = all)")
      ->check(CLI::NonNegativeNumber);
  add_table_options(*cmd, o->levels, o->decimals);
  cmd->add_option("--weight-set", o->weight_set, "A named weight set of the framework (default: the framework's "
                  "choice); an unknown name lists the known ones");
  cmd->add_option("--previous", o->previous, "The previous year's data file (read like the data file), for "
                  "benchmarks against last year, lag() in derived indicators and carry-forward/growth imputation");
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  cmd->add_option("--manifest", o->manifest, "Also write the run manifest (JSON: framework, file checksums, options, "
                  "fitted constants) that 'parkscore rerun' reproduces bit for bit; docs/manifest.md");
  cmd->add_option("--tables", o->tables, "Also write the table of every step (raw, derived, imputed, treated, "
                  "normalised, contributions, scores, ranks, ...) as CSV files into this folder; docs/manifest.md");
  cmd->add_option("--excel", o->excel, "Also write for Excel: FILE.xlsx the workbook (a sheet per step), FILE.csv the "
                  "ranking as a CSV (UTF-8 with BOM, Chinese headers); docs/reports.md");
  cmd->add_option("--excel-encoding", o->excel_encoding, "Encoding of an --excel CSV: utf-8 (with BOM, default), gbk or gb18030");
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Example:\n"
      "  parkscore score                      (runs ./parkscore.json; see 'parkscore init')\n"
      "  parkscore score docs/examples/demo-framework.json examples/data/demo.csv --pool level --top 3\n"
      "  parkscore score jiangsu-2021 jiangsu-2021.csv jiangsu-2022.csv jiangsu-2023.csv --pool level "
      "--label provincial --ignore-extra");
  cmd->callback([o, cmd, &run] {
    const bool args = !o->framework.empty() || !o->data.empty();
    if (!o->project.empty() || !args) {
      const std::filesystem::path file = o->project.empty() ? std::filesystem::path(project_file_name) : std::filesystem::path(o->project);
      if (args) {
        run = [] {
          fmt::print(stderr, "parkscore score: give either a project file or FRAMEWORK DATA, not both\n");
          return int(exit_code::usage);
        };
        return;
      }
      if (o->project.empty() && !std::filesystem::exists(file)) {
        run = [cmd] {
          fmt::print(stderr, "parkscore score: no {} in this folder: give FRAMEWORK DATA..., or write a project file "
                             "with 'parkscore init PRESET'\n\n{}", project_file_name, cmd->help());
          return int(exit_code::usage);
        };
        return;
      }
      run = [file] { return run_score(from_project(file)); };
      return;
    }
    if (o->data.empty()) {
      run = [] {
        fmt::print(stderr, "parkscore score: a data file is needed after the framework\n");
        return int(exit_code::usage);
      };
      return;
    }
    run = [o] { return run_score(*o); };
  });
}

}  // namespace parkscore::cli
