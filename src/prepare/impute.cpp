#include "parkscore/prepare/impute.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

#include "parkscore/error.hpp"
#include "parkscore/methods/stats.hpp"
#include "prepare/preparation_names.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

bool uses_previous(imputation_method m) {
  return m == imputation_method::carry_forward || m == imputation_method::growth;
}

}  // namespace

std::string to_string(imputation_method m) { return detail::name_of(detail::imputation_names, m); }

std::string imputation_problem(const imputation& spec) {
  const bool grouped = spec.method == imputation_method::group_mean || spec.method == imputation_method::group_median;
  if (grouped && spec.group.empty()) return fmt::format("{} needs a \"group\" column", to_string(spec.method));
  if (!grouped && !spec.group.empty())
    return fmt::format("\"group\" applies to group_mean and group_median only, not {}", to_string(spec.method));
  return "";
}

imputed_data impute(const dataset& data, const std::vector<imputation>& specs, const impute_options& options) {
  const std::size_t n = data.unit_count(), m = data.indicator_count();
  if (specs.size() != m)
    throw method_error(fmt::format("{} imputation specs for {} indicators", specs.size(), m));
  const std::vector<std::string> labels =
      options.pool_labels.empty() ? std::vector<std::string>(n, "all") : options.pool_labels;
  if (labels.size() != n || (!options.reference.empty() && options.reference.size() != n))
    throw method_error(fmt::format("imputation: pool labels or reference flags do not match the {} units", n));
  auto is_reference = [&](std::size_t i) { return options.reference.empty() || options.reference[i]; };

  imputed_data out{data.values(), cell_mask::Constant(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(m), false),
                   {}, {}};
  for (std::size_t j = 0; j < m; ++j) {
    const imputation& spec = specs[j];
    const std::string& id = data.indicator_ids()[j];
    if (spec.method == imputation_method::none) continue;
    if (const std::string problem = imputation_problem(spec); !problem.empty())
      throw schema_error(fmt::format("indicator '{}': imputation: {}", id, problem));
    const auto col = static_cast<Eigen::Index>(j);
    const Eigen::VectorXd x = data.values().col(col);
    const std::vector<std::string>* groups = nullptr;
    if (spec.method == imputation_method::group_mean || spec.method == imputation_method::group_median) {
      if (!data.has_group(spec.group))
        throw data_error(fmt::format("indicator '{}': imputation by {} needs the grouping column '{}', which the "
                                     "data do not have",
                                     id, to_string(spec.method), spec.group));
      groups = &data.group(spec.group);
    }
    // The previous year's value of each unit, matched by id.
    std::vector<double> before(n, nan);
    if (uses_previous(spec.method)) {
      if (!options.previous)
        throw data_error(fmt::format("indicator '{}': imputation by {} needs the previous year's data, but none "
                                     "were given",
                                     id, to_string(spec.method)));
      const auto pj = options.previous->find_indicator(id);
      if (!pj)
        throw data_error(fmt::format("indicator '{}': imputation by {} needs the column '{}' in the previous "
                                     "year's data{}",
                                     id, to_string(spec.method), id,
                                     options.previous->source.empty() ? "" : " (" + options.previous->source + ")"));
      for (std::size_t i = 0; i < n; ++i)
        if (const auto pi = options.previous->find_unit(data.unit_ids()[i])) before[i] = options.previous->value(*pi, *pj);
    }

    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isnan(x[static_cast<Eigen::Index>(i)])) continue;
      const std::string where = detail::pool_name(options.grouping, labels[i]);
      // Donors: observed reference values in the same pool (and group).
      std::vector<double> donors, ratios;
      for (std::size_t d = 0; d < n; ++d) {
        const double v = x[static_cast<Eigen::Index>(d)];
        if (labels[d] != labels[i] || !is_reference(d) || std::isnan(v)) continue;
        if (groups && (*groups)[d] != (*groups)[i]) continue;
        donors.push_back(v);
        if (!std::isnan(before[d]) && before[d] != 0.0) ratios.push_back(v / before[d]);
      }
      double value = nan;
      std::string basis;
      switch (spec.method) {
        case imputation_method::mean:
        case imputation_method::group_mean:
        case imputation_method::median:
        case imputation_method::group_median: {
          const bool mean = spec.method == imputation_method::mean || spec.method == imputation_method::group_mean;
          const std::string scope = groups ? fmt::format(" with {} = {}", spec.group, (*groups)[i]) : std::string();
          if (donors.empty()) {
            basis = fmt::format("no observed value in the pool{}", scope);
            break;
          }
          value = mean ? nan_mean(as_vector(donors)) : nan_median(as_vector(donors));
          basis = fmt::format("{} of {} value(s){}", mean ? "mean" : "median", donors.size(), scope);
          break;
        }
        case imputation_method::carry_forward:
          value = before[i];
          basis = std::isnan(value) ? "no previous-year value" : "previous-year value";
          break;
        case imputation_method::growth: {
          if (std::isnan(before[i])) {
            basis = "no previous-year value";
            break;
          }
          if (ratios.empty()) {
            basis = "no unit in the pool has both years (with a non-zero previous value)";
            break;
          }
          const double g = nan_median(as_vector(ratios));
          value = before[i] * g;
          basis = fmt::format("previous year {} x median growth ratio {} (over {} unit(s))", before[i], g, ratios.size());
          break;
        }
        case imputation_method::none:
          break;
      }
      imputed_cell cell{data.unit_ids()[i], id, where, value, std::move(basis)};
      if (std::isnan(value)) {
        out.unfilled.push_back(std::move(cell));
        continue;
      }
      out.values(static_cast<Eigen::Index>(i), col) = value;
      out.imputed(static_cast<Eigen::Index>(i), col) = true;
      out.cells.push_back(std::move(cell));
    }
  }
  return out;
}

}  // namespace parkscore
