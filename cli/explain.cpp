// parkscore explain UNIT FRAMEWORK DATA: one unit's scores, ranks and standing.
#include "common.hpp"

namespace parkscore::cli {

namespace {

struct explain_options {
  std::string unit;
  std::string framework;
  std::string data;
  std::string pool;
  std::size_t count = 3;
  report_format format = report_format::table;
  std::string output;
  data_options input;
};

int run_explain(const explain_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  const dataset data = read_data(o.data, model, {grouping}, o.input);
  if (!data.find_unit(o.unit))
    throw data_error(fmt::format("{}: no unit with id '{}'", o.data, o.unit));
  const result r = score(model, data, {grouping});
  write_output(format_explanation(explain_unit(r, o.unit, grouping, o.count), o.format), o.output);
  return exit_code::ok;
}

}  // namespace

void add_explain(CLI::App& app, action& run) {
  auto o = std::make_shared<explain_options>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "One unit's scores and ranks at every level, and its strongest and weakest indicators");
  cmd->add_option("unit", o->unit, "Unit id")->required();
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV)")->required();
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("-n,--count", o->count, "How many strongest and weakest indicators to list")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Strength = the indicator's normalised value minus the median of its pool (higher is better).\n"
      "Example:\n"
      "  parkscore explain D04 docs/examples/demo-framework.json examples/data/demo.csv --pool level");
  cmd->callback([o, &run] { run = [o] { return run_explain(*o); }; });
}

}  // namespace parkscore::cli
