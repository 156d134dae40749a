#pragma once
// Shared declarations of the Python bindings: one bind_* function per area,
// each in its own translation unit so that a change recompiles one small file.

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/enum_names.hpp"
#include "parkscore/error.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/methods/weight.hpp"

namespace parkscore::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_framework(py::module_& m);
void bind_dataset(py::module_& m);
void bind_evaluate(py::module_& m);
void bind_io(py::module_& m);
void bind_weighting(py::module_& m);
void bind_preparation(py::module_& m);
void bind_history(py::module_& m);
void bind_mcda(py::module_& m);

/// Node ids in storage order: the columns of score and rank matrices.
std::vector<std::string> node_ids(const framework& model);

// Records shared between areas, as plain dicts.
py::dict weight_result_dict(const weight_result& w);
py::dict preparation_dict(const preparation_record& r);

/// Enum values cross the boundary as the names of the file format ("min_max",
/// "higher"), so Python code and JSON files read the same.
template <class E, std::size_t N>
E parse_enum(const detail::name_table<E, N>& table, std::string_view text, std::string_view what) {
  if (auto e = detail::parse_name(table, text)) return *e;
  throw schema_error("unknown " + std::string(what) + " '" + std::string(text) + "' (expected one of: " +
                     detail::names_list(table) + ")");
}

}  // namespace parkscore::python
