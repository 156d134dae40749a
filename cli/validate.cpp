// parkscore validate FRAMEWORK DATA...: every problem at once.
#include <fmt/format.h>

#include "common.hpp"

namespace parkscore::cli {

namespace {

struct validate_options {
  std::string framework;
  std::vector<std::string> data;
  data_options input;
};

int run_validate(const validate_options& o) {
  problem_list problems;
  std::optional<framework> model;
  try {
    model = load_framework_or_preset(o.framework);
    model->validate();
  } catch (const error& e) {
    problems.add(e.what());
    model.reset();
  }
  std::vector<std::string> summary;
  for (const std::string& file : o.data) {
    if (!model) {   // the data file can still be checked as CSV
      read_csv(file, {o.input.encoding}, problems);
      continue;
    }
    // Every pool of the framework needs its grouping column.
    const std::size_t before = problems.size();
    const dataset data = read_data(file, *model, model->pools, o.input, problems);
    if (problems.size() != before) continue;
    try {
      evaluation_options options;
      options.allow_extra_columns = true;
      const result r = evaluate(*model, data, options);
      for (const note& n : r.warnings())
        fmt::print(stderr, "warning: {}: {}{}\n", file, n.unit.empty() ? "" : "unit " + n.unit + ": ", n.message);
    } catch (const error& e) {
      problems.add(fmt::format("{}: {}", file, e.what()));
      continue;
    }
    summary.push_back(fmt::format("{}: {} units x {} indicators", file, data.unit_count(), data.indicator_count()));
  }
  if (!problems.empty()) {
    fmt::print(stderr, "{} problem{}:\n", problems.size(), problems.size() == 1 ? "" : "s");
    for (const std::string& p : problems.messages()) fmt::print(stderr, "  {}\n", p);
    return exit_code::bad_input;
  }
  fmt::print("ok: framework '{}' ({} indicators)\n", model->id, model->indicators().size());
  for (const std::string& s : summary) fmt::print("ok: {}\n", s);
  return exit_code::ok;
}

}  // namespace

void add_validate(CLI::App& app, action& run) {
  auto o = std::make_shared<validate_options>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a framework and data files against each other; list every problem");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file(s) (CSV)")->required();
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Exit code 0: no problems; 1: problems (listed on standard error).\n"
      "Example:\n"
      "  parkscore validate docs/examples/demo-framework.json examples/data/demo.csv");
  cmd->callback([o, &run] { run = [o] { return run_validate(*o); }; });
}

}  // namespace parkscore::cli
