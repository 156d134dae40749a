// parkscore::error and its subclasses become parkscore.Error, SchemaError,
// DataError and MethodError, with the C++ message unchanged. The three input
// errors also derive from ValueError, so generic handlers catch them.
#include "bindings.hpp"

namespace parkscore::python {

namespace {

py::object new_exception(const char* name, py::handle bases, const char* doc) {
  // PyErr_NewException takes a tuple of bases; the name sets __module__ = "parkscore".
  PyObject* type = PyErr_NewExceptionWithDoc(name, doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(type);
}

}  // namespace

void bind_errors(py::module_& m) {
  // Leaked on purpose: the translator below runs until interpreter exit.
  static auto* base = new py::object(new_exception(
      "parkscore.Error", PyExc_Exception, "Base of every error parkscore raises."));
  const py::tuple input_bases = py::make_tuple(*base, py::handle(PyExc_ValueError));
  static auto* schema = new py::object(new_exception(
      "parkscore.SchemaError", input_bases,
      "The framework (indicator tree, method settings) or its file is invalid."));
  static auto* data = new py::object(new_exception(
      "parkscore.DataError", input_bases, "The data (values, unit ids, grouping columns, files) are invalid."));
  static auto* method = new py::object(new_exception(
      "parkscore.MethodError", input_bases, "A computation cannot be carried out as asked."));
  m.attr("Error") = *base;
  m.attr("SchemaError") = *schema;
  m.attr("DataError") = *data;
  m.attr("MethodError") = *method;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const schema_error& e) {
      PyErr_SetString(schema->ptr(), e.what());
    } catch (const data_error& e) {
      PyErr_SetString(data->ptr(), e.what());
    } catch (const method_error& e) {
      PyErr_SetString(method->ptr(), e.what());
    } catch (const error& e) {
      PyErr_SetString(base->ptr(), e.what());
    }
  });
}

}  // namespace parkscore::python
