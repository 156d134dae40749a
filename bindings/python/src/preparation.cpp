// Data preparation (docs/preparation.md): the record an evaluation keeps of
// derived columns, screened-out units, imputed cells and outlier treatment, as
// plain Python objects; and the standalone statistics and treatment of one column.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/methods/stats.hpp"
#include "parkscore/prepare/treat.hpp"
#include "prepare/preparation_names.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

py::list cell_list(const std::vector<imputed_cell>& cells) {
  py::list out;
  for (const imputed_cell& c : cells)
    out.append(py::dict("unit"_a = c.unit, "indicator"_a = c.indicator, "pool"_a = c.pool, "value"_a = c.value,
                        "basis"_a = c.basis));
  return out;
}

treatment treatment_spec(const std::string& method, int max_winsorised, double skew, double kurtosis,
                         double lower_quantile, double upper_quantile, std::optional<double> lambda) {
  treatment t;
  t.method = parse_enum(detail::treatment_names, method, "treatment method");
  t.max_winsorised = max_winsorised;
  t.skew = skew;
  t.kurtosis = kurtosis;
  t.lower_quantile = lower_quantile;
  t.upper_quantile = upper_quantile;
  t.lambda = lambda;
  if (std::string problem = treatment_problem(t); !problem.empty()) throw schema_error(problem);
  return t;
}

}  // namespace

py::dict treatment_record_dict(const treatment_record& r) {
  py::list points;
  for (const treated_point& p : r.points)
    points.append(py::dict("unit"_a = p.unit, "before"_a = p.before, "after"_a = p.after));
  const fitted_treatment& f = r.fitted;
  return py::dict("indicator"_a = r.indicator, "pool"_a = r.pool,
                  "method"_a = detail::name_of(detail::treatment_names, r.spec.method),
                  "applied"_a = detail::name_of(detail::applied_treatment_names, f.applied), "count"_a = r.count,
                  "skew_before"_a = r.skew_before, "kurtosis_before"_a = r.kurtosis_before,
                  "skew_after"_a = r.skew_after, "kurtosis_after"_a = r.kurtosis_after,
                  "failed_before"_a = r.failed_before, "passes_after"_a = r.passes_after,
                  "winsorised"_a = r.winsorised, "lower_cap"_a = f.lower_cap, "upper_cap"_a = f.upper_cap,
                  "min"_a = f.min, "max"_a = f.max, "reflected"_a = f.reflected, "lambda"_a = f.lambda,
                  "points"_a = points);
}

py::dict preparation_dict(const preparation_record& r) {
  py::list warnings, dropped, pools;
  for (const derive_warning& w : r.derive_warnings)
    warnings.append(py::dict("unit"_a = w.unit, "indicator"_a = w.indicator, "message"_a = w.message));
  for (const screened_unit& u : r.screening.dropped)
    dropped.append(py::dict("unit"_a = u.unit, "present"_a = u.present, "total"_a = u.total,
                            "coverage"_a = u.coverage));
  for (const pool_preparation& p : r.pools) {
    py::list treatments;
    for (const treatment_record& t : p.treatments) treatments.append(treatment_record_dict(t));
    pools.append(py::dict("grouping"_a = p.grouping, "imputed"_a = Eigen::Array<bool, -1, -1>(p.imputed),
                          "imputations"_a = cell_list(p.imputations), "unfilled"_a = cell_list(p.unfilled),
                          "treatments"_a = treatments));
  }
  return py::dict("derived"_a = r.derived, "derive_warnings"_a = warnings,
                  "min_coverage"_a = r.screening.min_coverage, "screened_out"_a = dropped, "pools"_a = pools);
}

void bind_preparation(py::module_& m) {
  m.def(
      "skewness", [](const Eigen::VectorXd& x) { return nan_skewness(x); }, "x"_a,
      "Sample skewness of the non-missing values, as Excel's SKEW (NaN for fewer than 3 values or all equal).");
  m.def(
      "kurtosis", [](const Eigen::VectorXd& x) { return nan_kurtosis(x); }, "x"_a,
      "Sample excess kurtosis of the non-missing values, as Excel's KURT (NaN for fewer than 4 values or all "
      "equal).");
  m.def(
      "fails_outlier_rule",
      [](double skewness, double kurtosis, double skew, double kurt) {
        treatment t;
        t.skew = skew;
        t.kurtosis = kurt;
        return fails_outlier_rule(skewness, kurtosis, t);
      },
      "skewness"_a, "kurtosis"_a, "skew"_a = 2.0, "kurtosis_threshold"_a = 3.5,
      "The JRC rule: |skewness| >= skew and kurtosis >= kurtosis_threshold (False when either is NaN).");
  m.def(
      "treat",
      [](const Eigen::VectorXd& x, const std::string& method, int max_winsorised, double skew, double kurtosis,
         double lower_quantile, double upper_quantile, std::optional<double> lambda,
         const std::vector<std::string>& unit_ids, const std::vector<bool>& reference, const std::string& indicator,
         const std::string& pool) {
        treat_options o;
        o.unit_ids = unit_ids;
        o.reference = reference;
        o.indicator = indicator;
        o.pool = pool;
        treated_column t = treat(x, treatment_spec(method, max_winsorised, skew, kurtosis, lower_quantile,
                                                   upper_quantile, lambda), o);
        return py::make_tuple(t.values, treatment_record_dict(t.record));
      },
      "x"_a, "method"_a = "jrc", "max_winsorised"_a = 5, "skew"_a = 2.0, "kurtosis"_a = 3.5,
      "lower_quantile"_a = 0.05, "upper_quantile"_a = 0.95, "lambda_"_a = py::none(),
      "unit_ids"_a = std::vector<std::string>{}, "reference"_a = std::vector<bool>{}, "indicator"_a = "",
      "pool"_a = "all",
      "Outlier treatment of one column (NaN stays missing): returns (treated values, record dict). Methods: "
      "none, jrc, winsorise, log, shifted_log, box_cox (needs lambda_).");
}

}  // namespace parkscore::python
