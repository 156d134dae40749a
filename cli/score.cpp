// parkscore score FRAMEWORK DATA: the ranking table.
#include "common.hpp"

namespace parkscore::cli {

namespace {

struct score_options {
  std::string framework;
  std::string data;
  std::string pool;
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
  const dataset data = read_data(o.data, model, {grouping}, o.input);
  const result r = score(model, data, {grouping});
  const report rep = make_report(r, {grouping, o.levels, o.top, o.decimals});
  write_output(format_report(rep, o.format), o.output);
  print_warnings(rep.warnings);
  return exit_code::ok;
}

}  // namespace

void add_score(CLI::App& app, action& run) {
  auto o = std::make_shared<score_options>();
  CLI::App* cmd = app.add_subcommand("score", "Score and rank the units of a data file");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV)")->required();
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
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
      "  parkscore score docs/examples/demo-framework.json examples/data/demo.csv --pool level --top 3");
  cmd->callback([o, &run] { run = [o] { return run_score(*o); }; });
}

}  // namespace parkscore::cli
