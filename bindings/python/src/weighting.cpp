// Weighting: AHP, entropy, CRITIC, coefficient of variation, PCA and combined
// weights on numpy arrays, each returned as a plain dict with its diagnostics
// (docs/weighting.md). The pandas face (DataFrames in, labelled Series out) is
// parkscore.weights in Python.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/methods/ahp.hpp"
#include "parkscore/methods/weight.hpp"
#include "parkscore/methods/weight_data.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

py::dict ahp_dict(const ahp_diagnostics& d) {
  py::list least;
  for (auto [i, j] : d.least_consistent) least.append(py::make_tuple(i, j));
  return py::dict("method"_a = detail::name_of(detail::ahp_method_names, d.method),
                  "ri_table"_a = detail::name_of(detail::ri_table_names, d.table), "lambda_max"_a = d.lambda_max,
                  "ci"_a = d.ci, "ri"_a = d.ri, "cr"_a = d.cr, "consistent"_a = d.consistent,
                  "least_consistent"_a = least);
}

}  // namespace

py::dict weight_result_dict(const weight_result& w) {
  py::dict d("weights"_a = w.weights, "method"_a = to_string(w.method), "pool"_a = w.pool,
             "rows_used"_a = w.rows_used, "rows_incomplete"_a = w.rows_incomplete,
             "constant_columns"_a = w.constant_columns, "note"_a = w.note);
  if (w.ahp) d["ahp"] = ahp_dict(*w.ahp);
  if (w.entropy)
    d["entropy"] = py::dict("policy"_a = detail::name_of(detail::entropy_policy_names, w.entropy->policy),
                            "shift"_a = w.entropy->shift, "entropy"_a = w.entropy->entropy,
                            "divergence"_a = w.entropy->divergence);
  if (w.critic)
    d["critic"] =
        py::dict("correlation"_a = detail::name_of(detail::critic_correlation_names, w.critic->correlation),
                 "sd"_a = w.critic->sd, "r"_a = w.critic->r, "conflict"_a = w.critic->conflict,
                 "information"_a = w.critic->information);
  if (w.variation)
    d["variation"] = py::dict("mean"_a = w.variation->mean, "sd"_a = w.variation->sd, "cv"_a = w.variation->cv);
  if (w.pca) {
    const pca_diagnostics& p = *w.pca;
    d["pca"] = py::dict("eigenvalues"_a = p.eigenvalues, "explained"_a = p.explained, "retained"_a = p.retained,
                        "loadings"_a = p.loadings, "rotated"_a = p.rotated, "factor_variance"_a = p.factor_variance,
                        "squared_scaled"_a = p.squared_scaled, "factor_of"_a = p.factor_of,
                        "varimax_iterations"_a = p.varimax_iterations);
  }
  if (!w.parts.empty()) {
    py::list parts;
    for (const weight_result& part : w.parts) parts.append(weight_result_dict(part));
    d["parts"] = parts;
  }
  return d;
}

void bind_weighting(py::module_& m) {
  m.def(
      "ahp_weights",
      [](const Eigen::MatrixXd& matrix, const std::string& method, const std::string& ri_table, double max_cr,
         bool allow_inconsistent, double reciprocal_tolerance, const std::vector<std::string>& names) {
        ahp_options o;
        o.method = parse_enum(detail::ahp_method_names, method, "AHP method");
        o.ri = parse_enum(detail::ri_table_names, ri_table, "random-index table");
        o.max_cr = max_cr;
        o.allow_inconsistent = allow_inconsistent;
        o.reciprocal_tolerance = reciprocal_tolerance;
        return weight_result_dict(ahp_weights(matrix, o, names));
      },
      "matrix"_a, "method"_a = "eigenvector", "ri_table"_a = "saaty", "max_cr"_a = 0.10,
      "allow_inconsistent"_a = false, "reciprocal_tolerance"_a = 0.01, "names"_a = std::vector<std::string>{},
      "AHP weights of a k x k pairwise comparison matrix (the upper triangle is authoritative), with the dict "
      "'ahp': lambda_max, ci, ri, cr, consistent, least_consistent. MethodError if CR >= max_cr unless "
      "allow_inconsistent.");
  m.def(
      "random_index",
      [](int n, const std::string& table) {
        return random_index(n, parse_enum(detail::ri_table_names, table, "random-index table"));
      },
      "n"_a, "table"_a = "saaty", "Saaty's random index for an n x n matrix (0 for n <= 2).");
  m.def("consistent_matrix", &consistent_matrix, "weights"_a, "The perfectly consistent matrix a_ij = w_i / w_j.");
  m.def(
      "entropy_weights",
      [](const Eigen::MatrixXd& x, const std::string& policy, double shift, const std::vector<std::string>& columns) {
        entropy_options o;
        o.policy = parse_enum(detail::entropy_policy_names, policy, "entropy policy");
        o.shift = shift;
        return weight_result_dict(entropy_weights(x, o, columns));
      },
      "x"_a, "policy"_a = "shift_min", "shift"_a = 0.01, "columns"_a = std::vector<std::string>{},
      "Entropy weights of an N x k matrix (NaN rows left out), with the dict 'entropy': shift, entropy, divergence.");
  m.def(
      "critic_weights",
      [](const Eigen::MatrixXd& x, const std::string& correlation, const std::vector<std::string>& columns) {
        critic_options o;
        o.correlation = parse_enum(detail::critic_correlation_names, correlation, "CRITIC correlation");
        return weight_result_dict(critic_weights(x, o, columns));
      },
      "x"_a, "correlation"_a = "r", "columns"_a = std::vector<std::string>{},
      "CRITIC weights, with the dict 'critic': sd, r, conflict, information.");
  m.def(
      "variation_weights",
      [](const Eigen::MatrixXd& x, const std::vector<std::string>& columns) {
        return weight_result_dict(variation_weights(x, columns));
      },
      "x"_a, "columns"_a = std::vector<std::string>{},
      "Coefficient-of-variation weights, with the dict 'variation': mean, sd, cv.");
  m.def(
      "pca_weights",
      [](const Eigen::MatrixXd& x, double min_eigenvalue, std::optional<double> min_cumulative,
         bool kaiser_normalise, const std::vector<std::string>& columns) {
        pca_options o;
        o.min_eigenvalue = min_eigenvalue;
        o.min_cumulative = min_cumulative;
        o.kaiser_normalise = kaiser_normalise;
        return weight_result_dict(pca_weights(x, o, columns));
      },
      "x"_a, "min_eigenvalue"_a = 1.0, "min_cumulative"_a = py::none(), "kaiser_normalise"_a = true,
      "columns"_a = std::vector<std::string>{},
      "PCA / factor-analysis weights (OECD/JRC handbook 2008 §6.1), with the dict 'pca': eigenvalues, explained, "
      "retained, loadings, rotated, factor_variance, squared_scaled, factor_of, varimax_iterations.");
  m.def(
      "combine_weights",
      [](const Eigen::VectorXd& subjective, const Eigen::VectorXd& objective, const std::string& how, double alpha) {
        return weight_result_dict(combine_weights(fixed_weights(subjective), fixed_weights(objective),
                                                  parse_enum(detail::combination_names, how, "combination"), alpha));
      },
      "subjective"_a, "objective"_a, "how"_a = "linear", "alpha"_a = 0.5,
      "Linear alpha w_s + (1 - alpha) w_o or multiplicative w_s w_o / sum(w_s w_o) of two weight vectors.");
  m.def(
      "fixed_weights", [](const Eigen::VectorXd& values) { return weight_result_dict(fixed_weights(values)); },
      "values"_a, "Weights proportional to `values` (weights, points or multipliers).");
}

}  // namespace parkscore::python
