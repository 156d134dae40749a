// parkscore compare PREVIOUS CURRENT: rank changes between two years.
#include "common.hpp"

namespace parkscore::cli {

namespace {

struct compare_options {
  std::string previous;
  std::string current;
  std::string framework;   // set: the two files are data files to score; empty: ranking CSVs
  std::string pool;
  std::size_t movers = 5;
  report_format format = report_format::table;
  std::string output;
  data_options input;
};

std::vector<ranked_unit> ranks_of(const std::string& file, const compare_options& o, const framework* model) {
  if (!model) return ranked_units(read_csv(file, {o.input.encoding}));
  const std::string grouping =
      o.pool.empty() ? (model->pools.empty() ? "" : model->pools.front()) : grouping_of(o.pool);
  const result r = score(*model, read_data(file, *model, {grouping}, o.input), grouping);
  return ranked_units(r, grouping);
}

int run_compare(const compare_options& o) {
  framework model;
  if (!o.framework.empty()) model = load_framework_or_preset(o.framework);
  const framework* scoring = o.framework.empty() ? nullptr : &model;
  const rank_comparison c = compare_ranks(ranks_of(o.previous, o, scoring), ranks_of(o.current, o, scoring));
  write_output(format_comparison(c, o.format, o.movers), o.output);
  return exit_code::ok;
}

}  // namespace

void add_compare(CLI::App& app, action& run) {
  auto o = std::make_shared<compare_options>();
  CLI::App* cmd = app.add_subcommand("compare", "Rank changes between two years, and the movers up and down");
  cmd->add_option("previous", o->previous, "The earlier year: a ranking CSV (score --format csv), or a data file")
      ->required();
  cmd->add_option("current", o->current, "The later year, in the same form")->required();
  cmd->add_option("--framework", o->framework,
                  "Framework file or preset: the two files are data files to score with it");
  cmd->add_option("-p,--pool", o->pool, "Pooling when scoring data files (default: the framework's first pool)");
  cmd->add_option("-m,--movers", o->movers, "How many movers up and down to list")->capture_default_str();
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Change = previous rank - current rank: ↑ rose, ↓ fell; units without a previous rank in the same pool are 'new'.\n"
      "Examples:\n"
      "  parkscore compare ranks-2022.csv ranks-2023.csv\n"
      "  parkscore compare --framework docs/examples/demo-framework.json data-2022.csv data-2023.csv --pool level");
  cmd->callback([o, &run] { run = [o] { return run_compare(*o); }; });
}

}  // namespace parkscore::cli
