// parkscore._core.UncertaintyEngine and UncertaintyPartial: the compiled uncertainty
// analysis. Replicate ranges run without the GIL; both classes pickle, so a Dask
// cluster can ship the engine once and the partial statistics back (the engine
// pickles as its inputs and recompiles on arrival).
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <atomic>

#include "bindings.hpp"
#include "parkscore/analysis/sobol.hpp"
#include "parkscore/analysis/uncertainty.hpp"
#include "parkscore/model/framework_io.hpp"
#include "progress.hpp"

namespace parkscore::python {

namespace {

using namespace pybind11::literals;

// Everything needed to rebuild an engine (its pickled form).
struct engine_box {
  std::string framework_json;
  dataset data;
  std::string spec_json;
  uncertainty_options options;
  std::shared_ptr<uncertainty_engine> engine;
};

std::shared_ptr<engine_box> make_box(const framework& model, const dataset& data, const std::string& spec_json,
                                     std::size_t replicates, std::uint64_t seed, unsigned threads,
                                     const std::string& grouping, double lo, double hi, int top, int bottom,
                                     bool allow_extra_columns) {
  auto box = std::make_shared<engine_box>();
  box->framework_json = to_json(model);
  box->data = data;
  box->spec_json = spec_json;
  box->options.replicates = replicates;
  box->options.seed = seed;
  box->options.threads = threads;
  box->options.grouping = grouping;
  box->options.interval_lo = lo;
  box->options.interval_hi = hi;
  box->options.top = top;
  box->options.bottom = bottom;
  box->options.evaluation.allow_extra_columns = allow_extra_columns;
  if (!grouping.empty()) box->options.evaluation.pools = {grouping};
  py::gil_scoped_release nogil;
  box->engine = std::make_shared<uncertainty_engine>(model, data, parse_uncertainty_spec(spec_json, model, "spec"),
                                                     box->options);
  return box;
}

py::dict statistics_dict(const rank_statistics& s) {
  return py::dict("unit"_a = s.unit_ids, "pool"_a = s.pool_labels, "pool_size"_a = s.pool_size,
                  "nominal_score"_a = s.nominal_score, "nominal_rank"_a = s.nominal_rank, "median"_a = s.median_rank,
                  "lo"_a = s.interval_lo, "hi"_a = s.interval_hi, "mean"_a = s.mean_rank, "p_top"_a = s.p_top,
                  "p_bottom"_a = s.p_bottom, "mean_abs_shift"_a = s.mean_abs_shift, "unranked"_a = s.unranked_share,
                  "interval"_a = py::make_tuple(s.interval_lo_q, s.interval_hi_q), "top"_a = s.top,
                  "bottom"_a = s.bottom);
}

py::tuple partial_state(const uncertainty_partial& p) {
  return py::make_tuple(p.replicates, p.ranks.window_starts(), p.ranks.windows(), p.ranks.lists(), p.abs_shift,
                        p.unranked, p.first_rank_weight_sum, p.first_rank_count);
}

uncertainty_partial partial_from(const py::tuple& t) {
  if (t.size() != 8) throw error("UncertaintyPartial: bad pickled state");
  uncertainty_partial p;
  p.replicates = t[0].cast<std::size_t>();
  p.ranks = rank_histogram::from_storage(t[1].cast<std::vector<int>>(),
                                         t[2].cast<std::vector<std::vector<std::uint64_t>>>(),
                                         t[3].cast<std::vector<std::vector<int>>>());
  p.abs_shift = t[4].cast<std::vector<std::uint64_t>>();
  p.unranked = t[5].cast<std::vector<std::uint64_t>>();
  p.first_rank_weight_sum = t[6].cast<std::vector<std::int64_t>>();
  p.first_rank_count = t[7].cast<std::vector<std::uint64_t>>();
  return p;
}

sobol_output parse_output(const std::string& name) {
  if (name == "mean_abs_rank_shift") return sobol_output::mean_abs_rank_shift;
  if (name == "rank") return sobol_output::unit_rank;
  if (name == "score") return sobol_output::unit_score;
  throw schema_error("unknown Sobol output '" + name + "' (expected one of: mean_abs_rank_shift, rank, score)");
}

}  // namespace

void bind_uncertainty(py::module_& m) {
  py::class_<uncertainty_partial>(m, "UncertaintyPartial", R"doc(
Partial statistics of a replicate range: integer rank histograms and sums, so
merging partials is exact in any order (the same bits as one run).
)doc")
      .def(py::init<>())
      .def_readonly("replicates", &uncertainty_partial::replicates)
      .def("merge", &uncertainty_partial::merge, "other"_a, "Adds another range's counts.")
      .def("rank_counts", [](const uncertainty_partial& p, std::size_t unit) {
        const int lo = p.ranks.min_rank(unit), hi = p.ranks.max_rank(unit);
        py::dict out;
        for (int r = lo; r <= hi; ++r) out[py::int_(r)] = p.ranks.count(unit, r);
        return out;
      }, "unit"_a, "The unit's rank histogram {rank: count}.")
      .def("__eq__", [](const uncertainty_partial& a, const uncertainty_partial& b) {
        return a.replicates == b.replicates && a.ranks == b.ranks && a.abs_shift == b.abs_shift &&
               a.unranked == b.unranked && a.first_rank_weight_sum == b.first_rank_weight_sum &&
               a.first_rank_count == b.first_rank_count;
      }, "other"_a)
      .def(py::pickle([](const uncertainty_partial& p) { return partial_state(p); },
                      [](const py::tuple& t) { return partial_from(t); }));

  py::class_<engine_box, std::shared_ptr<engine_box>>(m, "UncertaintyEngine", R"doc(
The compiled uncertainty analysis (nominal evaluation, sampling plan, data
normalised once per distinct discrete choice). Use parkscore.uncertainty().
)doc")
      .def(py::init(&make_box), "framework"_a, "dataset"_a, "spec_json"_a, "replicates"_a, "seed"_a, "threads"_a,
           "grouping"_a, "interval_lo"_a, "interval_hi"_a, "top"_a, "bottom"_a, "allow_extra_columns"_a = false)
      .def_property_readonly("unit_ids", [](const engine_box& b) { return b.engine->unit_ids(); })
      .def_property_readonly("input_names", [](const engine_box& b) { return b.engine->input_names(); })
      .def_property_readonly("fast_path", [](const engine_box& b) { return b.engine->fast_path(); })
      .def_property_readonly("scenario_count", [](const engine_box& b) { return b.engine->scenario_count(); })
      .def_property_readonly("replicates", [](const engine_box& b) { return b.options.replicates; })
      .def(
          "run_range",
          [](const engine_box& b, std::size_t begin, std::size_t end, py::object progress, unsigned threads) {
            run_control control;
            control.threads = threads;
            if (!progress.is_none()) control.progress = make_progress(progress);
            py::gil_scoped_release nogil;
            return b.engine->run_range(begin, end, control);
          },
          "begin"_a, "end"_a, "progress"_a = py::none(), "threads"_a = 0,
          "Replicates [begin, end) as an UncertaintyPartial, without the GIL (threads 0: the engine's).")
      .def("statistics", [](const engine_box& b, const uncertainty_partial& p) { return statistics_dict(b.engine->statistics(p)); },
           "partial"_a, "Per-unit rank statistics as a dict of arrays.")
      .def(
          "smaa",
          [](const engine_box& b, const uncertainty_partial& p) {
            smaa_result s;
            {
              py::gil_scoped_release nogil;
              s = b.engine->smaa(p);
            }
            return py::dict("node"_a = s.node, "criteria"_a = s.criteria, "acceptability"_a = s.acceptability,
                            "central_weights"_a = s.central_weights, "confidence"_a = s.confidence,
                            "unit"_a = b.engine->unit_ids());
          },
          "partial"_a, "SMAA-2 acceptabilities, central weights and confidence factors.")
      .def(
          "sobol",
          [](const engine_box& b, std::size_t base_samples, const std::string& output, const std::string& unit,
             std::size_t bootstrap, double confidence, std::uint64_t seed, py::object progress) {
            sobol_options o;
            o.base_samples = base_samples;
            o.output = parse_output(output);
            o.unit = unit;
            o.bootstrap = bootstrap;
            o.confidence = confidence;
            o.seed = seed;
            const progress_function report = make_progress(progress);
            if (!progress.is_none()) o.progress = report;
            sobol_result r;
            {
              py::gil_scoped_release nogil;
              r = sobol_indices(*b.engine, o);
            }
            return py::dict("input"_a = r.inputs, "first"_a = r.first, "first_lo"_a = r.first_lo,
                            "first_hi"_a = r.first_hi, "total"_a = r.total, "total_lo"_a = r.total_lo,
                            "total_hi"_a = r.total_hi, "first_sum"_a = r.first_sum, "first_sum_lo"_a = r.first_sum_lo,
                            "first_sum_hi"_a = r.first_sum_hi, "sum_check"_a = r.sum_check, "variance"_a = r.variance,
                            "evaluations"_a = r.evaluations);
          },
          "base_samples"_a, "output"_a = "mean_abs_rank_shift", "unit"_a = "", "bootstrap"_a = 200,
          "confidence"_a = 0.95, "seed"_a = 1, "progress"_a = py::none(),
          "First-order and total-effect Sobol indices of the declared inputs.")
      .def(py::pickle(
          [](const engine_box& b) {
            std::map<std::string, std::vector<std::string>> groups = b.data.groups();
            return py::make_tuple(b.framework_json, b.data.unit_ids(), b.data.indicator_ids(), b.data.values(),
                                  b.data.unit_names(), groups, b.spec_json,
                                  py::make_tuple(b.options.replicates, b.options.seed, b.options.threads,
                                                 b.options.grouping, b.options.interval_lo, b.options.interval_hi,
                                                 b.options.top, b.options.bottom,
                                                 b.options.evaluation.allow_extra_columns));
          },
          [](const py::tuple& t) {
            if (t.size() != 8) throw error("UncertaintyEngine: bad pickled state");
            const framework model = parse_framework(t[0].cast<std::string>(), "pickled engine");
            dataset d(t[1].cast<std::vector<std::string>>(), t[2].cast<std::vector<std::string>>(),
                      t[3].cast<Eigen::MatrixXd>());
            d.set_unit_names(t[4].cast<std::vector<std::string>>());
            for (const auto& [col, labels] : t[5].cast<std::map<std::string, std::vector<std::string>>>())
              d.set_group(col, labels);
            const auto o = t[7].cast<py::tuple>();
            return make_box(model, d, t[6].cast<std::string>(), o[0].cast<std::size_t>(), o[1].cast<std::uint64_t>(),
                            o[2].cast<unsigned>(), o[3].cast<std::string>(), o[4].cast<double>(), o[5].cast<double>(),
                            o[6].cast<int>(), o[7].cast<int>(), o[8].cast<bool>());
          }));
}

}  // namespace parkscore::python
