#pragma once
// What the subcommands share: data-file options, loading a framework and data
// for it, output formats and files.

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <functional>
#include <optional>
#include <parkscore/parkscore.hpp>
#include <string>
#include <vector>

namespace parkscore::cli {

/// A subcommand's action, run after the command line parsed; returns the exit code.
using action = std::function<int()>;

enum exit_code { ok = 0, bad_input = 1, usage = 2 };

enum class data_layout { wide, long_ };

struct data_options {
  data_layout layout = data_layout::wide;
  std::string encoding;
  std::string year;                     // long layout: the year to use
  std::string id_column;                // default: "id" (wide), "unit" (long)
  std::string name_column = "name";
  std::string map_file;                 // header -> indicator id (CSV or JSON)
  std::vector<std::string> map_pairs;   // "header=id"
  percent_rule percent = percent_rule::points;
  bool ignore_extra = false;
  std::vector<std::string> groups;      // further text columns to keep (e.g. city)
};

void add_data_options(CLI::App& cmd, data_options& options);
void add_format_option(CLI::App& cmd, report_format& format);
void add_output_option(CLI::App& cmd, std::string& file);

/// "all" (or "") means all units in one pool.
std::string grouping_of(const std::string& pool);

/// Reads a data file for `model`, collecting every problem. `required` grouping
/// columns must exist; the framework's other pools are read when present.
dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& options, problem_list& problems);
/// The same, throwing data_error listing every problem.
dataset read_data(const std::string& file, const framework& model, const std::vector<std::string>& required,
                  const data_options& options);

/// Scores `data` with `model` for the given poolings.
result score(const framework& model, const dataset& data, const std::vector<std::string>& groupings);

/// The data years of several files: the last four-digit number (1900-2099) in each
/// file name if every name has one and they are distinct, else 1, 2, ... in order.
std::vector<int> file_years(const std::vector<std::string>& files);

/// Several years, one file each, as a history of rank tables.
struct year_series {
  history ranks;                      // a table per file and grouping
  std::vector<int> evaluation_years;  // one per file, in the files' order
  std::optional<result> latest;       // the last file's result (data files only)
};

/// With `model`: scores each data file under `groupings`; without: reads each
/// file as a ranking CSV (score --format csv) holding the pooling groupings[0].
year_series read_years(const std::vector<std::string>& files, const framework* model,
                       const std::vector<std::string>& groupings, const data_options& input);

/// The delisting watch of the latest year of `ranks`, as text.
std::string format_watch(const history& ranks, const delisting_rule& rule, int evaluation_year);
/// A built-in delisting rule name, or a JSON rules file holding exactly one rule.
delisting_rule load_rule(const std::string& name_or_file);

/// Writes to `file`, or stdout if it is empty.
void write_output(const std::string& text, const std::string& file);
void print_warnings(const std::vector<std::string>& warnings);

void add_score(CLI::App& app, action& run);
void add_explain(CLI::App& app, action& run);
void add_compare(CLI::App& app, action& run);
void add_validate(CLI::App& app, action& run);
void add_presets(CLI::App& app, action& run);

}  // namespace parkscore::cli
