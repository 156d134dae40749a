// parkscore score FRAMEWORK DATA: the ranking table.
#include "common.hpp"

namespace parkscore::cli {

namespace {

struct score_options {
  std::string framework;
  std::vector<std::string> data;   // one file, or several years oldest first
  std::string pool;
  std::string label;               // show only this pool label
  std::size_t top = 0;
  int levels = 1;
  int decimals = 2;
  report_format format = report_format::table;
  std::string output;
  data_options input;
};

int run_score(const score_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  std::optional<year_series> years;
  std::optional<result> single;
  if (o.data.size() > 1)
    years = read_years(o.data, &model, {grouping}, o.input);
  else
    single = score(model, read_data(o.data.front(), model, {grouping}, o.input), {grouping});
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
  write_output(format_report(rep, o.format), o.output);
  print_warnings(rep.warnings);
  return exit_code::ok;
}

}  // namespace

void add_score(CLI::App& app, action& run) {
  auto o = std::make_shared<score_options>();
  CLI::App* cmd = app.add_subcommand("score", "Score and rank the units of a data file");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data,
                  "Data file (CSV); several files = several years, oldest first (the data year is read from each "
                  "file name): the last year is ranked, with its rank change")
      ->required()
      ->expected(1, -1);
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("--label", o->label, "Show only the units with this pool label, e.g. provincial");
  cmd->add_option("-k,--top", o->top, "Show the best k units of each pool (ties at k included; 0 = all)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-l,--levels", o->levels, "Levels below the total to show: 0 total, 1 categories, ...")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--decimals", o->decimals, "Decimals in table and Markdown output")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Example:\n"
      "  parkscore score docs/examples/demo-framework.json examples/data/demo.csv --pool level --top 3\n"
      "  parkscore score jiangsu-2021 jiangsu-2021.csv jiangsu-2022.csv jiangsu-2023.csv --pool level "
      "--label provincial --ignore-extra");
  cmd->callback([o, &run] { run = [o] { return run_score(*o); }; });
}

}  // namespace parkscore::cli
