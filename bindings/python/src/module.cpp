// The private compiled module parkscore._core; the public face is the pure-Python
// package next to it (parkscore/__init__.py).
#include "bindings.hpp"
#include "parkscore/version.hpp"

namespace parkscore::python {
void bind_report(py::module_& m);   // report.cpp (declared here so that bindings.hpp stays as it is)
void bind_uncertainty(py::module_& m);   // uncertainty.cpp
void bind_manifest(py::module_& m);      // manifest.cpp
}

PYBIND11_MODULE(_core, m) {
  using namespace parkscore::python;
  m.doc() = "parkscore's compiled core (private: use the parkscore package).";
  m.attr("__version__") = parkscore::version;
  bind_errors(m);
  bind_framework(m);
  bind_dataset(m);
  bind_evaluate(m);
  bind_io(m);
  bind_weighting(m);
  bind_preparation(m);
  bind_history(m);
  bind_report(m);
  bind_mcda(m);
  bind_uncertainty(m);
  bind_manifest(m);
}
