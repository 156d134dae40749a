#pragma once
// Reading values on the scale the method declares (docs/data-files.md, "Scales"):
// "12.5%" becomes 0.125 for a fraction indicator and 12.5 for a per-cent-points
// one, a unit in the header ("地区生产总值（万元）") converts by the declared
// factor, and a fraction column that holds per-cent points is flagged.

#include <Eigen/Core>
#include <optional>
#include <string>

#include "parkscore/io/csv.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

/// How one column is read: the cell format, then a factor into the declared scale.
struct column_scale {
  number_format format;
  double factor = 1.0;
};

/// The reading of a column for an indicator with `scale`. `header_unit` is a unit
/// written in parentheses after the header ("" if none; "%" means the plain
/// numbers are per-cent points). Without a declared scale `fallback` applies.
/// Throws data_error (prefixed by `where`) for a unit the scale cannot convert.
column_scale scale_for_column(const value_scale& scale, const number_format& fallback, const std::string& header_unit,
                              const std::string& where);

/// A fraction indicator whose values look like per-cent points (more than half of
/// the present values above 1 in absolute value): the warning, naming `where`.
std::optional<std::string> percent_points_warning(const Eigen::Ref<const Eigen::VectorXd>& values,
                                                  const node& indicator, const std::string& where);

}  // namespace parkscore
