// Files: framework JSON (read, write, presets) and the wide CSV data layout.
// Errors name the file, JSON path, line and column, as in C++.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/model/framework_io.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

void bind_io(py::module_& m) {
  m.def("load_framework", &load_framework, "file"_a, "Reads a framework JSON file (docs/schema.md).");
  m.def("parse_framework", &parse_framework, "json_text"_a, "source"_a = "<string>",
        "Parses framework JSON text; `source` names it in messages.");
  m.def("to_json", &to_json, "framework"_a, "The framework as JSON text (stable key order).");
  m.def("save_framework", &save_framework, "framework"_a, "file"_a, "Writes the framework as a JSON file.");
  m.def("preset_directories", &preset_directories,
        "Directories searched for presets: $PARKSCORE_PRESET_DIR, the source tree, the install tree.");
  m.def("preset_names", &preset_names, "Names of the bundled presets.");
  m.def("preset_path", &preset_path, "name"_a, "The file of a preset; SchemaError listing the known names.");
  m.def("load_preset", &load_preset, "name"_a, "A bundled preset framework by name.");
  m.def("load_framework_or_preset", &load_framework_or_preset, "name_or_path"_a,
        "A preset name or a path to a framework file.");
  m.def(
      "read_wide",
      [](const std::filesystem::path& file, const std::string& id_column, const std::string& name_column,
         std::vector<std::string> group_columns, std::vector<std::string> indicators,
         std::map<std::string, std::string> rename) {
        wide_layout layout;
        layout.id_column = id_column;
        layout.name_column = name_column;
        layout.group_columns = std::move(group_columns);
        layout.indicators = std::move(indicators);
        layout.rename = std::move(rename);
        py::gil_scoped_release unlocked;   // a large file takes a while; other Python threads may run
        return read_wide_file(file, layout);
      },
      "file"_a, "id_column"_a = "id", "name_column"_a = "name", "group_columns"_a = std::vector<std::string>{},
      "indicators"_a = std::vector<std::string>{}, "rename"_a = std::map<std::string, std::string>{},
      "Reads a wide CSV file (one row per unit) into a Dataset; DataError names file, line and column.");
}

}  // namespace parkscore::python
