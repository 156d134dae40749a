// parkscore._core.evaluate, the compiled Plan, and the Result / Pool they return.
// Matrices leave as read-only numpy views into the result (no copies); the
// evaluation runs without the GIL (a small one keeps it and reads its inputs in place).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/engine/plan.hpp"
#include "options.hpp"
#include "progress.hpp"

namespace parkscore::python {

namespace {

using namespace pybind11::literals;

py::list note_list(const std::vector<note>& notes) {
  py::list out;
  for (const note& n : notes)
    out.append(py::dict("level"_a = n.level == severity::warning ? "warning" : "info", "step"_a = n.step,
                        "pool"_a = n.pool, "node"_a = n.node, "unit"_a = n.unit, "message"_a = n.message));
  return out;
}

py::list normalisation_list(const pool_result& p) {
  p.require_records("the normalisation constants");
  py::list out;
  for (const normalisation_record& r : p.normalisation) {
    const fitted_normaliser& f = r.fitted;
    out.append(py::dict("indicator"_a = r.indicator, "pool"_a = r.pool_label,
                        "method"_a = detail::name_of(detail::normalisation_names, f.spec.method),
                        "direction"_a = detail::name_of(detail::direction_names, f.dir), "count"_a = f.count,
                        "min"_a = f.min, "max"_a = f.max, "mean"_a = f.mean, "sd"_a = f.sd,
                        "zero_range"_a = f.zero_range));
  }
  return out;
}

py::list weight_list(const pool_result& p) {
  p.require_records("the weight records");
  py::list out;
  for (const weight_record& r : p.weights) {
    py::dict d = weight_result_dict(r.weights);
    d["node"] = r.node;
    d["pool_label"] = r.pool_label;
    d["children"] = r.children;
    out.append(d);
  }
  return out;
}

py::list rule_list(const result& r) {
  py::list out;
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u) {
    const unit_rule_record& rec = r.rule(u);
    py::list lines;
    for (const adjustment_line& a : rec.adjustments)
      lines.append(py::dict("item"_a = a.item, "events"_a = a.events, "points"_a = a.points));
    out.append(py::dict("unit"_a = r.unit_ids[u],
                        "weight_set"_a = rec.weight_set, "veto"_a = rec.veto, "adjustments"_a = lines,
                        "bonus"_a = rec.bonus, "deduction"_a = rec.deduction));
  }
  return out;
}

// Each node's depth (0 = the index): parents come before their children in storage order.
std::vector<int> node_depths(const framework& model) {
  std::vector<int> depth;
  depth.reserve(model.nodes().size());
  for (const node& n : model.nodes())
    depth.push_back(n.parent < 0 ? 0 : depth[static_cast<std::size_t>(n.parent)] + 1);
  return depth;
}

std::vector<std::string> node_names(const framework& model) {
  std::vector<std::string> names;
  names.reserve(model.nodes().size());
  for (const node& n : model.nodes()) names.push_back(n.name);
  return names;
}

// A compiled plan is immutable: evaluations run without the GIL on the caller's Dataset
// (no copy: at 10^6 units the copy would cost more than the evaluation; do not modify the
// Dataset from another thread meanwhile).
result plan_evaluate(const evaluation_plan& plan, const dataset& data, std::vector<std::string> pools,
                     std::map<std::string, std::string> excluded, bool allow_extra_columns, const dataset* previous,
                     const std::string& weight_set, const group_weights& weights_by_group, const std::string& keep,
                     int threads) {
  evaluation_options options =
      make_options(std::move(pools), std::move(excluded), allow_extra_columns, previous, weight_set, weights_by_group);
  options.keep = parse_contents(keep);
  if (threads < 0) throw schema_error("threads must be >= 0 (0 = the hardware's), got " + std::to_string(threads));
  options.threads = threads;
  py::gil_scoped_release release;
  return plan.evaluate(data, options);
}

// Below this many cells (units x indicators) evaluate() holds the GIL: about 1 ms of work.
constexpr std::size_t gil_held_cells = std::size_t{1} << 17;

result evaluate_without_gil(const framework& model, const dataset& data, std::vector<std::string> pools,
                            std::map<std::string, std::string> excluded, bool allow_extra_columns,
                            const py::object& progress, const dataset* previous, const std::string& weight_set,
                            const group_weights& weights_by_group) {
  const evaluation_options options =
      make_options(std::move(pools), std::move(excluded), allow_extra_columns, previous, weight_set, weights_by_group);
  const progress_function report = make_progress(progress);
  // A small evaluation keeps the GIL, so no other Python thread can change its inputs: it
  // needs no copies, which would cost half of a 91-unit evaluation. A large one releases it,
  // on copies: other Python threads may change the inputs meanwhile.
  std::optional<framework> model_copy;
  std::optional<dataset> data_copy;
  std::optional<py::gil_scoped_release> release;
  if (static_cast<std::size_t>(data.values().size()) >= gil_held_cells) {
    model_copy = model;
    data_copy = data;
    release.emplace();
  }
  // The core has no long loop yet: evaluation is one step. Loops that grow one
  // (uncertainty, weight sweeps) take a progress_function in their options.
  report(0, 1);
  result r = evaluate(model_copy ? *model_copy : model, data_copy ? *data_copy : data, options);
  report(1, 1);
  return r;
}

}  // namespace

evaluation_options make_options(std::vector<std::string> pools, std::map<std::string, std::string> excluded,
                                bool allow_extra_columns, const dataset* previous, const std::string& weight_set,
                                const group_weights& weights_by_group) {
  evaluation_options options;
  options.pools = std::move(pools);
  options.excluded = std::move(excluded);
  options.allow_extra_columns = allow_extra_columns;
  if (previous != nullptr) options.previous = *previous;
  options.weight_set = weight_set;
  if (weights_by_group) options.weights_by_group = weight_set_by_group{weights_by_group->first, weights_by_group->second};
  return options;
}

result_contents parse_contents(const std::string& keep) {
  if (keep == "full") return {};
  if (keep == "lean") return result_contents::lean();
  if (keep == "everything") return result_contents::everything();
  if (keep == "index") return result_contents::index_only();
  throw schema_error("keep must be 'full', 'lean', 'index' or 'everything', got '" + keep + "'");
}


void bind_evaluate(py::module_& m) {
  py::class_<pool_result>(m, "Pool", R"doc(
The results of one pooling: normalisation statistics and ranks are computed
within each label of the grouping column ("" = all units in one pool). The
matrices are read-only numpy views into the result, one row per unit.
)doc")
      .def_readonly("grouping", &pool_result::grouping, "The grouping column; '' = all units.")
      .def_property_readonly(
          "labels", [](const pool_result& p) -> const std::vector<std::string>& { return *p.labels; },
          "Each unit's pool label ('all' for the all-units pool).")
      .def_property_readonly(
          "normalised", [](const pool_result& p) -> const Eigen::MatrixXd& { return p.normalised; },
          py::return_value_policy::reference_internal, "N x M normalised values, columns in indicator_ids() order.")
      .def_property_readonly(
          "scores", [](const pool_result& p) -> const Eigen::MatrixXd& { return p.scores; },
          py::return_value_policy::reference_internal, "N x K scores, columns in node_ids() order.")
      .def_property_readonly(
          "kept_ranks", [](const pool_result& p) -> const Eigen::MatrixXd& { return p.kept_ranks; },
          py::return_value_policy::reference_internal,
          "N x R ranks computed during evaluation (NaN = unranked), column r ranks node rank_nodes[r] (the index "
          "and its categories unless every node was asked for); Result.rank_matrix gives every node.")
      .def_readonly("rank_nodes", &pool_result::rank_nodes, "The node index of each column of kept_ranks.")
      .def_readonly("nodes", &pool_result::nodes,
                    "The node index of each column of scores/coverage in a lean result; empty = every node.")
      .def_property_readonly(
          "coverage", [](const pool_result& p) -> const Eigen::MatrixXi& { return p.coverage; },
          py::return_value_policy::reference_internal, "N x K number of indicators each score rests on.")
      .def_readonly("records", &pool_result::records,
                    "Whether the normalisation and weight records were kept (not with keep='index'); "
                    "reading them from a pool without raises Error.")
      .def_property_readonly("normalisation", &normalisation_list,
                             "The constants each indicator was normalised with in each pool label, as dicts.")
      .def_property_readonly("weights", &weight_list,
           "The weights each aggregate node gave its children in each pool label, as dicts with the diagnostics "
           "(node, pool_label, children, weights, method, ...; see parkscore.ahp_weights).");

  py::class_<result>(m, "Result", "What evaluate() returns (private: parkscore.Result wraps it with DataFrames).")
      .def_property_readonly("framework", [](const result& r) { return *r.model; }, "A copy of the framework.")
      // The framework's headers without the copy `framework` makes: parkscore.Result reads
      // these (and builds nothing else) when it labels a table.
      .def_property_readonly(
          "node_ids",
          [](const result& r) { return node_ids(r.model); },
          "Node ids in storage order (the framework's node_ids), without copying the framework.")
      .def_property_readonly(
          "node_names", [](const result& r) { return node_names(r.model); }, "Node display names, in node_ids order.")
      .def_property_readonly(
          "node_depths", [](const result& r) { return node_depths(r.model); },
          "Each node's depth (0 = the index, 1 = categories, ...), in node_ids order.")
      .def_property_readonly(
          "indicator_ids", [](const result& r) { return r.model->indicator_ids(); },
          "Indicator ids: the columns of normalised matrices.")
      .def_property_readonly(
          "unit_ids", [](const result& r) -> const std::vector<std::string>& { return *r.unit_ids; },
          "Unit ids, one per row of every matrix.")
      .def_property_readonly(
          "unit_names", [](const result& r) -> const std::vector<std::string>& { return *r.unit_names; },
          "Unit display names.")
      .def_readonly("period", &result::period, "The data period label.")
      .def_readonly("excluded", &result::excluded, "Units scored but not ranked: id -> reason.")
      .def_property_readonly(
          "groupings",
          [](const result& r) {
            std::vector<std::string> out;
            for (const pool_result& p : r.pools) out.push_back(p.grouping);
            return out;
          },
          "The groupings evaluated, in order ('' = all units).")
      .def("pool", &result::pool, "grouping"_a = "", py::return_value_policy::reference_internal,
           "The pooling by this grouping column; Error if it was not evaluated.")
      .def("score", &result::score, "unit_id"_a, "node_id"_a, "grouping"_a = "", "One unit's score of one node.")
      .def("rank", &result::rank, "unit_id"_a, "node_id"_a, "grouping"_a = "", "One unit's rank of one node.")
      .def(
          "rank_matrix", [](const result& r, const std::string& grouping) { return r.rank_matrix(r.pool(grouping)); },
          "grouping"_a = "",
          "N x K ranks of every kept node (NaN = unranked), columns in node_ids() order; nodes not ranked during "
          "evaluation are ranked now.")
      .def_property_readonly("notes", [](const result& r) { return note_list(r.notes); }, "The evaluation record, as dicts.")
      .def_property_readonly("rules", &rule_list,
                             "Per unit: the weight set it was scored with, veto reasons, bonus/deduction lines, as dicts.")
      .def_property_readonly(
          "preparation", [](const result& r) { return preparation_dict(r.preparation); },
          "What data preparation did: derived columns, screened-out units, imputed cells (with an N x M mask "
          "per pooling) and treatment records, as dicts.")
      .def_property_readonly("warnings", [](const result& r) { return note_list(r.warnings()); },
                             "The warning notes, as dicts.");

  m.def("evaluate", &evaluate_without_gil, "framework"_a, "data"_a, "pools"_a = std::vector<std::string>{},
        "excluded"_a = std::map<std::string, std::string>{}, "allow_extra_columns"_a = false,
        "progress"_a = py::none(), "previous"_a = py::none(), "weight_set"_a = "", "weights_by_group"_a = py::none(),
        "Scores and ranks every unit (see parkscore.evaluate). Runs without the GIL; `progress(done, total)` "
        "is called with the GIL held. `weights_by_group` is (column, {label: set name}).");

  py::class_<evaluation_plan>(m, "Plan",
                              "A framework compiled once for many evaluations (private: parkscore.Plan wraps it).")
      .def(py::init<const framework&>(), "framework"_a, "Validates and compiles (SchemaError naming the node).")
      .def_property_readonly("framework", [](const evaluation_plan& p) { return p.model(); }, "A copy of the framework.")
      .def("evaluate", &plan_evaluate, "data"_a, "pools"_a = std::vector<std::string>{},
           "excluded"_a = std::map<std::string, std::string>{}, "allow_extra_columns"_a = false,
           "previous"_a = py::none(), "weight_set"_a = "", "weights_by_group"_a = py::none(), "keep"_a = "full",
           "threads"_a = 0,
           "The same result as evaluate(framework, data, ...); keep = 'full' (default), 'lean' (the index and its "
           "categories only), 'index' (lean, only the index ranked now) or 'everything' (every node ranked now); threads: 0 = the hardware's.");
}

}  // namespace parkscore::python
