// parkscore: score and rank development zones from the command line.
// Exit codes: 0 success, 1 bad input (message on stderr), 2 usage error.
#include <fmt/format.h>

#include "common.hpp"

namespace parkscore::cli {
void add_uncertainty(CLI::App& app, action& run);   // cli/uncertainty.cpp
}

int main(int argc, char** argv) {
  namespace cli = parkscore::cli;
  CLI::App app{"parkscore: composite-indicator scores and rankings of development zones", "parkscore"};
  app.set_version_flag("--version", parkscore::version);
  app.require_subcommand(1);
  app.footer(
      "Run 'parkscore SUBCOMMAND --help' for its options and an example.\n"
      "Exit codes: 0 success, 1 bad input, 2 usage error.");
  cli::action run;
  cli::add_score(app, run);
  cli::add_explain(app, run);
  cli::add_compare(app, run);
  cli::add_validate(app, run);
  cli::add_presets(app, run);
  cli::add_report(app, run);
  cli::add_init(app, run);
  cli::add_analyse(app, run);
  cli::add_rerun(app, run);
  cli::add_uncertainty(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::exit_code::ok : cli::exit_code::usage;
  }
  try {
    return run ? run() : cli::exit_code::usage;
  } catch (const parkscore::error& e) {
    fmt::print(stderr, "parkscore: error: {}\n", e.what());
  } catch (const std::exception& e) {   // e.g. a file system error: still bad input, never a crash
    fmt::print(stderr, "parkscore: error: {}\n", e.what());
  }
  return cli::exit_code::bad_input;
}
