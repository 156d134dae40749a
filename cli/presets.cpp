// parkscore presets [list | export NAME]: the built-in frameworks.
#include <fmt/format.h>

#include "common.hpp"

namespace parkscore::cli {

namespace {

int run_list() {
  const std::vector<std::string> names = preset_names();
  if (names.empty()) {
    fmt::print(stderr, "no presets found (searched $PARKSCORE_PRESET_DIR and the installed presets)\n");
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const std::string& name : names) {
    const framework model = load_preset(name);
    rows.push_back({name, model.name, std::to_string(model.indicators().size())});
  }
  fmt::print("{}", detail::render_table({"Preset", "Name", "Indicators"}, rows, {false, false, true}, report_format::table));
  return exit_code::ok;
}

}  // namespace

void add_presets(CLI::App& app, action& run) {
  CLI::App* cmd = app.add_subcommand("presets", "List the built-in presets, or export one as a framework file");
  cmd->require_subcommand(0, 1);
  cmd->footer(
      "Examples:\n"
      "  parkscore presets\n"
      "  parkscore presets export demo --output my-framework.json");
  CLI::App* list = cmd->add_subcommand("list", "List the presets (the default)");
  list->footer("Example:\n  parkscore presets list");
  auto name = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  CLI::App* exp = cmd->add_subcommand("export", "Write a preset as a framework file, to edit and use with score");
  exp->add_option("name", *name, "Preset name")->required();
  add_output_option(*exp, *output);
  exp->footer("Example:\n  parkscore presets export demo --output my-framework.json");
  cmd->callback([&run, exp, name, output] {
    if (exp->parsed())
      run = [name, output] {
        write_output(to_json(load_preset(*name)), *output);
        return int(exit_code::ok);
      };
    else
      run = run_list;
  });
}

}  // namespace parkscore::cli
