// Files: framework JSON (read, write, presets) and the wide CSV data layout.
// Errors name the file, JSON path, line and column, as in C++.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/read_data.hpp"
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
        "Directories searched for presets: $PARKSCORE_PRESET_DIR, the install tree relative to the library, the "
        "source tree (build-tree binaries only), the configured install prefix.");
  m.def("preset_names", &preset_names, "Names of the bundled presets.");
  m.def("preset_path", &preset_path, "name"_a, "The file of a preset; SchemaError listing the known names.");
  m.def("load_preset", &load_preset, "name"_a, "A bundled preset framework by name.");
  m.def("load_framework_or_preset", &load_framework_or_preset, "name_or_path"_a,
        "A preset name or a path to a framework file.");
  m.def(
      "read_data",
      [](const std::filesystem::path& file, const framework& model, const std::string& encoding,
         const std::string& layout, const std::string& id_column, const std::string& name_column,
         std::vector<std::string> groups, std::map<std::string, std::string> rename,
         std::map<std::string, std::map<std::string, std::string>> labels, const std::string& percent,
         bool ignore_extra, const std::string& year) {
        data_request request;
        if (layout != "wide" && layout != "long")
          throw data_error("layout '" + layout + "': expected 'wide' or 'long'");
        request.layout = layout == "long" ? table_layout::long_ : table_layout::wide;
        request.id_column = id_column;
        request.name_column = name_column;
        request.keep = std::move(groups);
        request.mapping = {std::move(rename), std::move(labels)};
        if (percent == "points") request.percent = percent_rule::points;
        else if (percent == "fraction") request.percent = percent_rule::fraction;
        else if (percent == "reject") request.percent = percent_rule::reject;
        else throw data_error("percent '" + percent + "': expected 'points', 'fraction' or 'reject'");
        request.ignore_extra = ignore_extra;
        request.year = year;
        for (const std::string& pool : model.pools)
          if (!pool.empty()) request.groups.push_back(pool);
        problem_list problems;
        std::vector<std::string> warnings;
        const csv_table table = read_csv(file, {encoding}, problems);
        dataset d = read_dataset(table, model, request, problems, warnings);
        problems.raise_if_any();
        return py::make_tuple(std::move(d), std::move(warnings));
      },
      "file"_a, "framework"_a, "encoding"_a = "", "layout"_a = "wide", "id_column"_a = "", "name_column"_a = "name",
      "groups"_a = std::vector<std::string>{}, "rename"_a = std::map<std::string, std::string>{},
      "labels"_a = std::map<std::string, std::map<std::string, std::string>>{}, "percent"_a = "points",
      "ignore_extra"_a = false, "year"_a = "",
      "Reads a data file for a framework (headers by id or name, declared scales, cleaned ids, mapped labels); "
      "returns (Dataset, warnings). DataError lists every problem.");
  m.def(
      "read_wide",
      [](const std::filesystem::path& file, const std::string& id_column, const std::string& name_column,
         std::vector<std::string> group_columns, std::vector<std::string> indicators,
         std::map<std::string, std::string> rename, const std::string& encoding, int threads) {
        wide_layout layout;
        layout.id_column = id_column;
        layout.name_column = name_column;
        layout.group_columns = std::move(group_columns);
        layout.indicators = std::move(indicators);
        layout.rename = std::move(rename);
        py::gil_scoped_release unlocked;   // a large file takes a while; other Python threads may run
        return read_wide_file(file, layout, {encoding}, wide_file_options{threads});
      },
      "file"_a, "id_column"_a = "id", "name_column"_a = "name", "group_columns"_a = std::vector<std::string>{},
      "indicators"_a = std::vector<std::string>{}, "rename"_a = std::map<std::string, std::string>{},
      "encoding"_a = "", "threads"_a = 0,
      "Reads a wide CSV file (one row per unit) into a Dataset; DataError names file, line and column. "
      "threads: parse parts of the file at once (0 = all cores; the Dataset does not depend on it).");
}

}  // namespace parkscore::python
