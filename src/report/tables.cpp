// The tables of every step (docs/manifest.md). The values come from the functions
// the workbook and explain use (raw_and_used, contributions, rank_matrix) and from
// the records the result keeps; nothing here recomputes a step its own way.
#include "parkscore/report/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>

#include "model/enum_names.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/report/contributions.hpp"
#include "parkscore/report/explain.hpp"
#include "prepare/preparation_names.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

std::string grouping_name(const std::string& grouping) { return grouping.empty() ? "all" : grouping; }

// Builds a table from rows and row blocks: keys per row, numbers in column order.
class table_builder {
 public:
  table_builder(std::string name, std::vector<std::string> key_columns, std::vector<std::string> columns) {
    t_.name = std::move(name);
    t_.key_columns = std::move(key_columns);
    t_.keys.resize(t_.key_columns.size());
    t_.columns = std::move(columns);
  }
  void add(const std::vector<std::string>& keys, const std::vector<double>& values) {
    add_block({keys}, Eigen::Map<const Eigen::RowVectorXd>(values.data(), static_cast<Eigen::Index>(values.size())));
  }
  /// Rows keys[r] with the numbers values.row(r).
  void add_block(const std::vector<std::vector<std::string>>& keys, const Eigen::MatrixXd& values) {
    for (const std::vector<std::string>& row : keys)
      for (std::size_t c = 0; c < row.size(); ++c) t_.keys[c].push_back(row[c]);
    blocks_.push_back(values);
  }
  table done() {
    Eigen::Index rows = 0;
    for (const Eigen::MatrixXd& b : blocks_) rows += b.rows();
    t_.values.resize(rows, static_cast<Eigen::Index>(t_.columns.size()));
    Eigen::Index r = 0;
    for (const Eigen::MatrixXd& b : blocks_) {
      t_.values.middleRows(r, b.rows()) = b;
      r += b.rows();
    }
    return std::move(t_);
  }

 private:
  table t_;
  std::vector<Eigen::MatrixXd> blocks_;
};

// The ids of the nodes a pooling kept (every node unless the result is lean).
std::vector<std::string> node_ids(const framework& fw, const pool_result& p) {
  std::vector<std::string> ids;
  if (p.nodes.empty())
    for (const node& n : fw.nodes()) ids.push_back(n.id);
  else
    for (int k : p.nodes) ids.push_back(fw.at(k).id);
  return ids;
}

// Keys grouping, label, unit of every row of a pooling.
std::vector<std::vector<std::string>> pool_keys(const result& r, const pool_result& p) {
  std::vector<std::vector<std::string>> keys;
  keys.reserve(r.unit_ids.size());
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u) keys.push_back({grouping_name(p.grouping), p.labels[u], r.unit_ids[u]});
  return keys;
}

const std::vector<std::string> pool_key_columns = {"grouping", "label", "unit"};

// The data's columns by id for the result's units (screened-out units are not in the result).
Eigen::MatrixXd columns_for_units(const result& r, const dataset& d, const std::vector<std::string>& ids) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(r.unit_ids.size()), static_cast<Eigen::Index>(ids.size()));
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u) {
    const auto row = d.find_unit(r.unit_ids[u]);
    if (!row) throw data_error(fmt::format("unit '{}' of the result is not in the data: give the dataset the result was "
                                           "evaluated from", r.unit_ids[u]));
    for (std::size_t j = 0; j < ids.size(); ++j)
      out(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j)) = d.value(*row, d.indicator_index(ids[j]));
  }
  return out;
}

table unit_table(const result& r, std::string name, const std::vector<std::string>& ids, const Eigen::MatrixXd& values) {
  table_builder b(std::move(name), {"unit"}, ids);
  std::vector<std::vector<std::string>> keys;
  for (const std::string& u : r.unit_ids) keys.push_back({u});
  b.add_block(keys, values);
  return b.done();
}

const pool_preparation& preparation_of(const result& r, const pool_result& p) {
  for (const pool_preparation& q : r.preparation.pools)
    if (q.grouping == p.grouping) return q;
  throw error(fmt::format("no preparation record for the pooling '{}'", grouping_name(p.grouping)));
}

}  // namespace

Eigen::Index table::column(const std::string& column_name) const {
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (columns[c] == column_name) return static_cast<Eigen::Index>(c);
  throw error(fmt::format("table '{}' has no column '{}'", name, column_name));
}

std::vector<table> constant_tables(const result& r) {
  table_builder norm("normalisation", {"grouping", "pool", "indicator", "method", "direction"},
                     {"count", "min", "max", "mean", "sd", "norm", "stat", "scale", "zero_range", "clipped", "lo", "hi",
                      "goalpost_min", "goalpost_max", "target", "benchmark", "cap"});
  table_builder treat("treatment", {"grouping", "pool", "indicator", "method", "applied"},
                      {"count", "skew_before", "kurtosis_before", "skew_after", "kurtosis_after", "failed_before",
                       "passes_after", "winsorised", "lower_cap", "upper_cap", "min", "max", "reflected", "lambda"});
  table_builder weights("weights", {"grouping", "pool", "node", "child", "method"},
                        {"weight", "rows_used", "rows_incomplete"});
  auto opt = [](const std::optional<double>& x) { return x ? *x : nan; };
  for (const pool_result& p : r.pools) {
    p.require_records("the tables of constants (normalisation, weights)");
    const std::string g = grouping_name(p.grouping);
    for (const normalisation_record& rec : p.normalisation) {
      const fitted_normaliser& f = rec.fitted;
      norm.add({g, rec.pool_label, rec.indicator, detail::name_of(detail::normalisation_names, f.spec.method),
                detail::name_of(detail::direction_names, f.dir)},
               {static_cast<double>(f.count), f.min, f.max, f.mean, f.sd, f.norm, f.stat, f.scale,
                f.zero_range ? 1.0 : 0.0, static_cast<double>(f.clipped), f.spec.lo, f.spec.hi, opt(f.spec.gp_min),
                opt(f.spec.gp_max), opt(f.spec.target), opt(f.spec.benchmark), opt(f.spec.cap)});
    }
    for (const weight_record& rec : p.weights)
      for (std::size_t c = 0; c < rec.children.size(); ++c)
        weights.add({g, rec.pool_label, rec.node, rec.children[c],
                     detail::name_of(detail::weighting_method_names, rec.weights.method)},
                    {rec.weights.weights[static_cast<Eigen::Index>(c)], static_cast<double>(rec.weights.rows_used),
                     static_cast<double>(rec.weights.rows_incomplete)});
  }
  for (const pool_preparation& p : r.preparation.pools)
    for (const treatment_record& rec : p.treatments) {
      const fitted_treatment& f = rec.fitted;
      treat.add({grouping_name(p.grouping), rec.pool, rec.indicator,
                 detail::name_of(detail::treatment_names, rec.spec.method),
                 detail::name_of(detail::applied_treatment_names, f.applied)},
                {static_cast<double>(rec.count), rec.skew_before, rec.kurtosis_before, rec.skew_after,
                 rec.kurtosis_after, rec.failed_before ? 1.0 : 0.0, rec.passes_after ? 1.0 : 0.0,
                 static_cast<double>(rec.winsorised), f.lower_cap, f.upper_cap, f.min, f.max, f.reflected ? 1.0 : 0.0,
                 f.lambda});
    }
  std::vector<table> out;
  out.push_back(treat.done());
  out.push_back(norm.done());
  out.push_back(weights.done());
  return out;
}

std::vector<table> result_tables(const result& r, const dataset& data, const table_options& options) {
  const framework& fw = r.model;
  const std::vector<std::string> indicators = fw.indicator_ids();
  const prepared_units units = prepare_units(fw, data, options.previous);
  if (units.data.unit_ids() != r.unit_ids)
    throw data_error("the dataset is not the one the result was evaluated from (the units differ)");
  std::vector<table> out;

  std::vector<std::string> raw_ids;   // the data columns the framework reads, in the data's order
  const std::vector<std::string> inputs = input_columns(fw);
  for (const std::string& id : data.indicator_ids())
    if (std::find(inputs.begin(), inputs.end(), id) != inputs.end()) raw_ids.push_back(id);
  out.push_back(unit_table(r, "raw", raw_ids, columns_for_units(r, data, raw_ids)));
  out.push_back(unit_table(r, "derived", r.preparation.derived, columns_for_units(r, units.data, r.preparation.derived)));

  table_builder imputed("imputed", pool_key_columns, indicators);
  table_builder flags("imputed_flags", pool_key_columns, indicators);
  table_builder treated("treated", pool_key_columns, indicators);
  table_builder points("treated_points", {"grouping", "pool", "indicator", "unit"}, {"before", "after"});
  table_builder normalised("normalised", pool_key_columns, indicators);
  std::vector<std::string> contribution_columns = node_ids(fw, pool_result{});   // every node
  contribution_columns.insert(contribution_columns.end(), {"rescaling", "adjustment"});
  table_builder contrib("contributions", pool_key_columns, contribution_columns);
  // Scores and ranks: the kept nodes may differ per pooling only in a lean result, where they do not.
  table_builder scores("scores", pool_key_columns, node_ids(fw, r.pools.front()));
  table_builder ranks("ranks", pool_key_columns, node_ids(fw, r.pools.front()));
  const bool global_groups = fw.rank_rule.groups == group_scores::global;
  for (const pool_result& p : r.pools) {
    const auto keys = pool_keys(r, p);
    const pool_preparation& prep = preparation_of(r, p);
    // A group ranked on the global scores was prepared with all units (plan.cpp).
    const detail::value_tables values = detail::raw_and_used(r, units, global_groups ? "" : p.grouping);
    Eigen::MatrixXd filled = values.raw;
    for (const imputed_cell& cell : prep.imputations)
      if (const auto u = std::find(r.unit_ids.begin(), r.unit_ids.end(), cell.unit); u != r.unit_ids.end())
        filled(u - r.unit_ids.begin(), fw.indicator_column(fw.index_of(cell.indicator))) = cell.value;
    imputed.add_block(keys, filled);
    Eigen::MatrixXd mask = Eigen::MatrixXd::Zero(filled.rows(), filled.cols());
    if (prep.imputed.size() == mask.size()) mask = prep.imputed.cast<double>().matrix();
    flags.add_block(keys, mask);
    treated.add_block(keys, values.used);
    for (const treatment_record& rec : prep.treatments)
      for (const treated_point& pt : rec.points) points.add({grouping_name(p.grouping), rec.pool, rec.indicator, pt.unit}, {pt.before, pt.after});
    if (p.normalised.size() == 0)
      throw error("the normalised values were not kept in this result (a lean evaluation): evaluate with the full "
                  "contents for the tables");
    normalised.add_block(keys, p.normalised);
    const contribution_table c = contributions(r, p.grouping);
    Eigen::MatrixXd parts(c.node.rows(), c.node.cols() + 2);
    parts << c.node, c.rescaling, c.adjustment;
    contrib.add_block(keys, parts);
    scores.add_block(keys, p.scores);
    ranks.add_block(keys, r.rank_matrix(p));
  }
  out.push_back(imputed.done());
  out.push_back(flags.done());
  std::vector<table> constants = constant_tables(r);
  out.push_back(std::move(constants[0]));   // treatment
  out.push_back(treated.done());
  out.push_back(points.done());
  out.push_back(std::move(constants[1]));   // normalisation
  out.push_back(normalised.done());
  out.push_back(std::move(constants[2]));   // weights
  out.push_back(contrib.done());
  out.push_back(scores.done());
  out.push_back(ranks.done());
  return out;
}

std::string table_csv(const table& t) {
  std::vector<std::string> fields = t.key_columns;
  fields.insert(fields.end(), t.columns.begin(), t.columns.end());
  std::string out = csv_line(fields);
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    fields.clear();
    for (const auto& column : t.keys) fields.push_back(column[static_cast<std::size_t>(r)]);
    for (Eigen::Index c = 0; c < t.values.cols(); ++c) {
      const double x = t.values(r, c);
      // fmt's shortest form reads back to the same double; NaN is an empty (missing) cell.
      fields.push_back(std::isnan(x) ? std::string() : fmt::format("{}", x));
    }
    out += csv_line(fields);
  }
  return out;
}

void write_tables(const std::vector<table>& tables, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw error(fmt::format("{}: cannot create the folder: {}", dir.string(), ec.message()));
  for (const table& t : tables) {
    const std::filesystem::path file = dir / (t.name + ".csv");
    std::ofstream out(file, std::ios::binary);
    const std::string text = table_csv(t);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) throw error(fmt::format("{}: cannot write the file", file.string()));
  }
}

}  // namespace parkscore
