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
  std::vector<std::string> years;       // data years, one per file in order (long layout: the year to use)
  std::string id_column;                // default: "id" (wide), "unit" (long)
  std::string name_column = "name";
  std::string map_file;                 // header -> indicator id (CSV or JSON)
  std::vector<std::string> map_pairs;   // "header=id"
  percent_rule percent = percent_rule::points;
  bool ignore_extra = false;
  std::vector<std::string> groups;      // further text columns to keep (e.g. city)
  column_mapping mapping;               // set by a project file (merged with --map / --map-column)
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

/// What a run adds to the framework's own method (score --weight-set, --previous).
struct method_inputs {
  std::string weight_set;            // "" = the framework's choice (by group, or its default)
  std::optional<dataset> previous;   // the previous year: benchmarks, lag(), carry-forward and growth imputation
  std::optional<data_source> previous_source;   // the file it was read from, for a run manifest
};

/// A schema_error naming `option` and listing the framework's weight sets unless `name` is one of them.
void check_weight_set(const framework& model, const std::string& name, const std::string& option = "--weight-set");

/// The evaluation options of a run for the given poolings.
evaluation_options evaluation_options_of(const std::vector<std::string>& groupings, const method_inputs& inputs);
/// Scores `data` with `model` for the given poolings.
result score(const framework& model, const dataset& data, const std::vector<std::string>& groupings,
             const method_inputs& inputs = {});

/// Several years, one file each, as a history of rank tables.
struct year_series {
  history ranks;                      // a table per file and grouping
  std::vector<std::string> files;     // the files in year order, oldest first
  std::vector<int> evaluation_years;  // one per file, in year order
  std::string years_used;             // "2021 (jiangsu-2021.csv, file name), ..." for messages
  std::optional<result> latest;       // the last year's result (data files only)
};

/// The data year of each file (docs/history.md, "Data years": `--year`, a year
/// column, or the file name; checked and sorted), then, with `model`, each data
/// file scored under `groupings`; without, each file read as a ranking CSV
/// (score --format csv) holding the pooling groupings[0].
year_series read_years(const std::vector<std::string>& files, const framework* model,
                       const std::vector<std::string>& groupings, const data_options& input,
                       const method_inputs& method = {});

/// The delisting watch of the latest year of `ranks`, as text, stating the years used.
/// A rule whose pools match no unit's label is an error listing the labels found.
std::string format_watch(const history& ranks, const delisting_rule& rule, int evaluation_year,
                         const std::string& years_used = "");
/// A rule whose pools match no label of the evaluation year's table: data_error listing the labels found.
void check_rule_pools(const history& ranks, const delisting_rule& rule, int evaluation_year);
/// The library's data request for these options; `required` grouping columns must exist.
data_request request_of(const data_options& options, const std::vector<std::string>& required);
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
void add_report(CLI::App& app, action& run);
void add_init(CLI::App& app, action& run);
void add_analyse(CLI::App& app, action& run);
void add_rerun(CLI::App& app, action& run);

}  // namespace parkscore::cli
