// parkscore.Dataset: unit ids, display names, grouping columns and the N x M
// matrix of raw values (NaN = missing). The pandas conversion lives in Python.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/model/dataset.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

void bind_dataset(py::module_& m) {
  py::class_<dataset>(m, "Dataset", R"doc(
Units with ids, display names and grouping columns, and an N x M matrix of raw
indicator values (float64, NaN = missing). Usually made from a DataFrame by
parkscore.to_dataset() or read by parkscore.read_csv(); evaluate() accepts both.
)doc")
      // `values` is copied once: pybind11's caster allocates the MatrixXd and copies the
      // array into it (one PyArray_CopyInto, a straight block for a column-major float64
      // array, strided otherwise), and the constructor moves it into the Dataset. An
      // Eigen::Ref<const MatrixXd> would map a column-major array without that copy, but a
      // Dataset owns its values, so the constructor would make it instead: the same one copy.
      // The checks run without the GIL.
      .def(py::init<std::vector<std::string>, std::vector<std::string>, Eigen::MatrixXd>(), "unit_ids"_a,
           "indicator_ids"_a, "values"_a, py::call_guard<py::gil_scoped_release>(),
           "Raises DataError for duplicate or empty unit ids, duplicate indicator ids, a shape mismatch or an "
           "infinite value (naming unit and indicator).")
      .def_property_readonly("unit_ids", &dataset::unit_ids, "Unit ids, one per row.")
      .def_property_readonly("indicator_ids", &dataset::indicator_ids, "Indicator ids, one per column.")
      .def_property_readonly("values", &dataset::values, py::return_value_policy::reference_internal,
                             "The N x M values: a read-only view, no copy.")
      .def_property("unit_names", &dataset::unit_names, &dataset::set_unit_names,
                    "Display names (default: the ids).")
      .def("set_group", &dataset::set_group, "column"_a, "labels"_a,
           "Adds a grouping column (one non-empty label per unit), e.g. level -> national / provincial.")
      .def("group", &dataset::group, "column"_a, "The labels of a grouping column; DataError if absent.")
      .def_property_readonly("groups", &dataset::groups, "Every grouping column: name -> labels.")
      .def_readwrite("period", &dataset::period, "A label for the data period, e.g. '2023'.")
      .def_readwrite("source", &dataset::source, "Where the data came from (used in messages).")
      .def("__repr__", [](const dataset& d) {
        return "<parkscore.Dataset " + std::to_string(d.unit_count()) + " units x " +
               std::to_string(d.indicator_count()) + " indicators>";
      });
}

}  // namespace parkscore::python
