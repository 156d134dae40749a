// parkscore compare YEAR1 YEAR2 [YEAR3 ...]: rank changes of the last year, movers, delisting watch.
#include "common.hpp"

namespace parkscore::cli {

namespace {

struct compare_options {
  std::vector<std::string> files;
  std::string framework;   // set: the files are data files to score; empty: ranking CSVs
  std::string pool;
  std::string rule;        // delisting rule: built-in name or JSON file
  std::size_t movers = 5;
  report_format format = report_format::table;
  std::string output;
  data_options input;
};

int run_compare(const compare_options& o) {
  framework model;
  if (!o.framework.empty()) model = load_framework_or_preset(o.framework);
  const framework* scoring = o.framework.empty() ? nullptr : &model;
  const std::string grouping =
      !o.pool.empty() ? grouping_of(o.pool) : scoring && !model.pools.empty() ? model.pools.front() : "";
  std::vector<std::string> groupings = {grouping};
  std::optional<delisting_rule> rule;
  if (!o.rule.empty()) {
    if (o.format == report_format::csv || o.format == report_format::json) {
      fmt::print(stderr, "parkscore compare: --rule needs --format table or markdown (the watch list is text)\n");
      return exit_code::usage;
    }
    rule = load_rule(o.rule);
    if (!scoring && rule->grouping != grouping)
      throw data_error(fmt::format("--rule {}: the rule ranks by '{}', the ranking CSVs are taken as pooled by '{}' "
                                   "(name their pooling with --pool, or give data files with --framework)",
                                   rule->name, rule->grouping.empty() ? "all" : rule->grouping,
                                   grouping.empty() ? "all" : grouping));
    groupings.push_back(rule->grouping);
  }
  const year_series years = read_years(o.files, scoring, groupings, o.input);
  const int now = years.evaluation_years.back();
  const int before = years.evaluation_years[years.evaluation_years.size() - 2];
  const rank_comparison c = compare_ranks(years.ranks.table(before, grouping), years.ranks.table(now, grouping));
  const std::string title =
      fmt::format("Rank changes: {} against {}", years.files.back(), years.files[years.files.size() - 2]);
  std::string out = o.format == report_format::table      ? title + "\n\n"
                    : o.format == report_format::markdown ? "**" + title + "**\n\n"
                                                          : "";
  out += format_comparison(c, o.format, o.movers);
  if (rule) out += "\n" + format_watch(years.ranks, *rule, now, years.years_used);
  write_output(out, o.output);
  return exit_code::ok;
}

}  // namespace

void add_compare(CLI::App& app, action& run) {
  auto o = std::make_shared<compare_options>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Rank changes of the last of several years, the movers up and down, and the delisting watch");
  cmd->add_option("files", o->files,
                  "Two or more years (sorted by data year): ranking CSVs (score --format csv), or data files with --framework")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--framework", o->framework, "Framework file or preset: the files are data files to score with it");
  cmd->add_option("-p,--pool", o->pool,
                  "Pooling when scoring data files (default: the framework's first pool); "
                  "with ranking CSVs, the pooling they hold (default: all)");
  cmd->add_option("-r,--rule", o->rule,
                  "Delisting rule for the watch list: jiangsu-2021, jiangsu-2013, mofcom-2021, zhejiang-2021, "
                  "or a JSON rule file");
  cmd->add_option("-m,--movers", o->movers, "How many movers up and down to list")->capture_default_str();
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Change = previous rank - current rank: ↑ rose, ↓ fell, – unchanged; 'new' without a rank in the same pool\n"
      "the year before, 'n/a' without a rank now or then. The data year comes from --year (one per file), a year\n"
      "column, or the file name (e.g. 2023); the files are sorted by it.\n"
      "evaluation year = data year + 1.\n"
      "Examples:\n"
      "  parkscore compare ranks-2022.csv ranks-2023.csv\n"
      "  parkscore compare --framework jiangsu-2021 jiangsu-2021.csv jiangsu-2022.csv jiangsu-2023.csv --pool level "
      "--rule jiangsu-2021");
  cmd->callback([o, &run] { run = [o] { return run_compare(*o); }; });
}

}  // namespace parkscore::cli
