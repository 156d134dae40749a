// Beyond weighted sums: benefit of the doubt, outranking and Condorcet-Kemeny
// on numpy arrays or an evaluation, returned as plain dicts of numpy arrays
// (docs/methods.md, "Beyond weighted sums"). The pandas face is parkscore.benefit_of_the_doubt,
// outranking_matrix, kemeny_ranking and analyse (parkscore/_mcda.py).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <limits>

#include "bindings.hpp"
#include "methods/mcda_names.hpp"
#include "parkscore/methods/mcda.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

py::dict bod_dict(const bod_result& b) {
  py::dict d("variant"_a = to_string(b.variant), "scores"_a = b.scores, "weights"_a = b.weights, "peers"_a = b.peers,
             "lp_solves"_a = b.lp_solves);
  if (b.variant == bod_variant::robust) d["full_scores"] = b.full_scores;
  return d;
}

py::dict kemeny_dict(const kemeny_result& k) {
  return py::dict("order"_a = k.order, "rank"_a = k.rank, "score"_a = k.score, "upper_bound"_a = k.upper_bound,
                  "gap"_a = k.gap, "exact"_a = k.exact, "passes"_a = k.passes);
}

using bound_list = std::vector<std::tuple<std::size_t, double, double>>;
using pair_list = std::vector<std::tuple<std::size_t, std::size_t, double, double>>;

}  // namespace

void bind_mcda(py::module_& m) {
  m.def(
      "benefit_of_the_doubt",
      [](const Eigen::MatrixXd& y, const std::string& variant, const bound_list& weight_bounds,
         const bound_list& share_bounds, double assurance_factor, const pair_list& assurance_pairs,
         const Eigen::VectorXd& nominal, std::size_t peers, std::size_t replicates, std::uint64_t seed,
         const std::vector<std::string>& unit_ids, const std::vector<std::string>& indicator_ids) {
        bod_options o;
        o.variant = parse_enum(detail::bod_variant_names, variant, "BoD variant");
        for (const auto& [j, lo, hi] : weight_bounds) o.restrictions.weights.push_back({j, lo, hi});
        for (const auto& [j, lo, hi] : share_bounds) o.restrictions.shares.push_back({j, lo, hi});
        o.restrictions.assurance_factor = assurance_factor;
        for (const auto& [a, b, lo, hi] : assurance_pairs) o.restrictions.assurance_pairs.push_back({a, b, lo, hi});
        o.nominal = nominal;
        o.peers = peers;
        o.replicates = replicates;
        o.seed = seed;
        bod_result r;
        {
          py::gil_scoped_release release;
          r = benefit_of_the_doubt(y, o, unit_ids, indicator_ids);
        }
        return bod_dict(r);
      },
      "y"_a, "variant"_a = "per_unit", "weight_bounds"_a = bound_list{}, "share_bounds"_a = bound_list{},
      "assurance_factor"_a = 0.0, "assurance_pairs"_a = pair_list{}, "nominal"_a = Eigen::VectorXd(),
      "peers"_a = 20, "replicates"_a = 100, "seed"_a = 1, "unit_ids"_a = std::vector<std::string>{},
      "indicator_ids"_a = std::vector<std::string>{},
      "Benefit-of-the-doubt scores of an N x M matrix (values >= 0). Bounds are (column, lo, hi) tuples, "
      "assurance pairs (a, b, lo, hi) on (w_a/w_b)/(n_a/n_b). Returns a dict: variant, scores, weights (N x M), "
      "peers (per unit, row indices), lp_solves, and full_scores for the robust variant.");
  m.def(
      "outranking_matrix",
      [](const Eigen::MatrixXd& y, const Eigen::VectorXd& weights, double tie_tolerance,
         const std::vector<std::string>& unit_ids, const std::vector<std::string>& indicator_ids) {
        outranking_options o;
        o.tie_tolerance = tie_tolerance;
        return Eigen::MatrixXd(outranking_matrix(y, weights, o, unit_ids, indicator_ids));
      },
      "y"_a, "weights"_a, "tie_tolerance"_a = 0.0, "unit_ids"_a = std::vector<std::string>{},
      "indicator_ids"_a = std::vector<std::string>{},
      "e[j, k] = weight share of the indicators on which unit j beats unit k, ties split half.");
  m.def(
      "kemeny_ranking",
      [](const Eigen::MatrixXd& e, const std::string& solver, std::size_t exact_limit, std::size_t max_passes) {
        kemeny_options o;
        o.solver = parse_enum(detail::kemeny_solver_names, solver, "Kemeny solver");
        o.exact_limit = exact_limit;
        o.max_passes = max_passes;
        kemeny_result r;
        {
          py::gil_scoped_release release;
          r = kemeny_ranking(e, o);
        }
        return kemeny_dict(r);
      },
      "outranking"_a, "solver"_a = "auto", "exact_limit"_a = 20, "max_passes"_a = 1000,
      "The Condorcet-Kemeny ranking of an outranking matrix: dict with order (best first), rank, score, "
      "upper_bound, gap, exact, passes.");
  m.def(
      "run_mcda",
      [](const result& evaluation, const std::string& spec_json, const std::string& source) {
        const mcda_spec spec = parse_mcda_spec(spec_json, evaluation.model, source);
        const mcda_result a = run_mcda(evaluation, spec);
        py::list pools;
        for (const mcda_pool& p : a.pools) {
          std::vector<std::string> ids;
          for (std::size_t u : p.units) ids.push_back(evaluation.unit_ids[u]);
          std::vector<std::string> dropped;
          for (std::size_t u : p.dropped) dropped.push_back(evaluation.unit_ids[u]);
          py::dict d("label"_a = p.label, "units"_a = ids, "dropped"_a = dropped);
          if (p.bod) d["bod"] = bod_dict(*p.bod);
          if (p.kemeny) {
            d["outranking"] = p.outranking;
            d["kemeny"] = kemeny_dict(*p.kemeny);
          }
          pools.append(d);
        }
        return py::dict("method"_a = to_string(a.method), "grouping"_a = a.grouping, "node"_a = a.indicators.node,
                        "indicators"_a = a.indicators.ids, "nominal"_a = a.indicators.nominal, "pools"_a = pools);
      },
      "result"_a, "spec_json"_a, "source"_a = "<spec>",
      "Runs an analysis spec (JSON text; docs/methods.md, Beyond weighted sums) on an evaluation's normalised values.");
}

}  // namespace parkscore::python
