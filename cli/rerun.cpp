// parkscore rerun MANIFEST: evaluates again from a run manifest (score --manifest),
// checking every input file's SHA-256 and that the result equals the recorded one bit
// for bit, then prints the ranking table as score does (docs/manifest.md).
#include "common.hpp"

namespace parkscore::cli {

void add_table_options(CLI::App& cmd, int& levels, int& decimals);   // cli/score.cpp: --levels, --decimals

namespace {

struct rerun_cli_options {
  std::string manifest;
  int levels = 1;
  int decimals = 2;
  report_format format = report_format::table;
  std::string output;
  std::string tables;
};

int run_rerun(const rerun_cli_options& o) {
  const manifest_run run = read_manifest(o.manifest);
  const result r = rerun(run);   // throws if any bit differs from the recorded result
  const std::string grouping = r.pools.back().grouping;   // the pooling score showed (its last one)
  const report rep = make_report(r, {grouping, o.levels, 0, o.decimals});
  write_output(format_report(rep, o.format), o.output);
  if (!o.tables.empty())
    write_tables(result_tables(r, run.data, {run.options.previous ? &*run.options.previous : nullptr}), o.tables);
  print_warnings(rep.warnings);
  fmt::print(stderr, "parkscore rerun: {} reproduced bit for bit (result SHA-256 {})\n", o.manifest,
             run.result_sha256);
  return exit_code::ok;
}

}  // namespace

void add_rerun(CLI::App& app, action& run) {
  auto o = std::make_shared<rerun_cli_options>();
  CLI::App* cmd = app.add_subcommand(
      "rerun", "Evaluate again from a run manifest (score --manifest): files checked by SHA-256, result checked bit "
               "for bit");
  cmd->add_option("manifest", o->manifest, "The manifest file (JSON)")->required();
  add_table_options(*cmd, o->levels, o->decimals);
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  cmd->add_option("--tables", o->tables, "Also write the table of every step as CSV files into this folder");
  cmd->footer(
      "Example:\n"
      "  parkscore score docs/examples/demo-framework.json examples/data/demo.csv --manifest run.json\n"
      "  parkscore rerun run.json");
  cmd->callback([o, &run] { run = [o] { return run_rerun(*o); }; });
}

}  // namespace parkscore::cli
