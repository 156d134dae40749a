#pragma once
// The intermediate tables of a result, one per step of the pipeline, so that an
// auditor can recompute any number: raw, derived, imputed (with flags), treated
// (with the details of each treatment), the normalisation constants, normalised,
// contributions, scores and ranks per pool. The CLI writes them as CSV files
// (`score --tables DIR`), Python as DataFrames (Result.tables()); docs/manifest.md
// lists the tables and their columns.

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"
#include "parkscore/model/dataset.hpp"

namespace parkscore {

/// A table: text key columns (unit, pool label, ...) then numeric columns, one row each.
struct table {
  std::string name;                              // "raw", "derived", ... (the CSV file name)
  std::vector<std::string> key_columns;          // e.g. grouping, label, unit
  std::vector<std::vector<std::string>> keys;    // keys[c][row]
  std::vector<std::string> columns;              // the numeric columns
  Eigen::MatrixXd values;                        // rows x columns, NaN = missing

  Eigen::Index rows() const { return values.rows(); }
  /// The index of a numeric column; throws error naming the table if absent.
  Eigen::Index column(const std::string& column_name) const;
};

struct table_options {
  const dataset* previous = nullptr;   // the previous year's data, if the evaluation had them (lag(), carry_forward)
};

/// Every step's table, in pipeline order. `data` is the dataset `r` was evaluated
/// from (throws data_error if its units differ). Per-pool tables stack the poolings
/// of the result, keyed by grouping ("all" = all units), label and unit. Throws error
/// naming the step if the result did not keep what a table needs (a lean result).
std::vector<table> result_tables(const result& r, const dataset& data, const table_options& options = {});

/// The constants fitted per pool, needing no data: "normalisation" (per grouping, label and
/// indicator: method, count, min, max, mean, sd, goalposts, benchmark, ...), "treatment"
/// (the fitted caps, shift or lambda per indicator and label) and "weights" (each child's
/// weight per aggregate node and label). Part of result_tables and of the run manifest.
std::vector<table> constant_tables(const result& r);

/// A table as CSV: a header row, keys as text (quoted when needed), numbers with 17
/// significant digits so that they read back to the same double, NaN as an empty cell.
std::string table_csv(const table& t);

/// Writes each table to `dir`/<name>.csv, creating `dir`; throws error naming the file.
void write_tables(const std::vector<table>& tables, const std::filesystem::path& dir);

}  // namespace parkscore
