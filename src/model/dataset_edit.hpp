#pragma once
// Copies of a dataset with columns added or units selected, keeping names,
// grouping columns, period and source.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"

namespace parkscore::detail {

inline dataset with_values(const dataset& like, std::vector<std::string> unit_ids, std::vector<std::string> unit_names,
                           std::vector<std::string> indicator_ids, Eigen::MatrixXd values,
                           const std::vector<std::size_t>& rows) {
  dataset out(std::move(unit_ids), std::move(indicator_ids), std::move(values));
  out.set_unit_names(std::move(unit_names));
  for (const auto& [column, labels] : like.groups()) {
    std::vector<std::string> kept;
    kept.reserve(rows.size());
    for (std::size_t r : rows) kept.push_back(labels[r]);
    out.set_group(column, std::move(kept));
  }
  out.period = like.period;
  out.source = like.source;
  return out;
}

/// `data` with `columns` (N x k) appended under `ids`.
inline dataset append_columns(const dataset& data, const std::vector<std::string>& ids, const Eigen::MatrixXd& columns) {
  std::vector<std::string> all = data.indicator_ids();
  all.insert(all.end(), ids.begin(), ids.end());
  Eigen::MatrixXd values(data.values().rows(), data.values().cols() + columns.cols());
  values << data.values(), columns;
  std::vector<std::size_t> rows(data.unit_count());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return with_values(data, data.unit_ids(), data.unit_names(), std::move(all), std::move(values), rows);
}

/// The units at `rows` (in that order).
inline dataset select_units(const dataset& data, const std::vector<std::size_t>& rows) {
  std::vector<std::string> ids, names;
  Eigen::MatrixXd values(static_cast<Eigen::Index>(rows.size()), data.values().cols());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ids.push_back(data.unit_ids()[rows[r]]);
    names.push_back(data.unit_names()[rows[r]]);
    values.row(static_cast<Eigen::Index>(r)) = data.values().row(static_cast<Eigen::Index>(rows[r]));
  }
  return with_values(data, std::move(ids), std::move(names), data.indicator_ids(), std::move(values), rows);
}

}  // namespace parkscore::detail
