// parkscore._core: the run manifest (Result.manifest, parkscore.rerun) and the tables
// of every step (Result.tables); docs/manifest.md.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <tuple>

#include "bindings.hpp"
#include "options.hpp"
#include "parkscore/engine/manifest.hpp"
#include "parkscore/report/tables.hpp"

namespace parkscore::python {

namespace {

using namespace pybind11::literals;

// A CSV path as parkscore.evaluate reads it (read_wide): (file, id_column, name_column, group_columns).
using wide_file = std::optional<std::tuple<std::string, std::string, std::string, std::vector<std::string>>>;

std::optional<data_source> source_of(const wide_file& f) {
  if (!f) return std::nullopt;
  data_source s;
  s.file = std::get<0>(*f);
  wide_layout layout;
  layout.id_column = std::get<1>(*f);
  layout.name_column = std::get<2>(*f);
  layout.group_columns = std::get<3>(*f);
  s.layout = std::move(layout);
  return s;
}

py::list table_list(const std::vector<table>& tables) {
  py::list out;
  for (const table& t : tables)
    out.append(py::dict("name"_a = t.name, "key_columns"_a = t.key_columns, "keys"_a = t.keys,
                        "columns"_a = t.columns, "values"_a = t.values));
  return out;
}

}  // namespace

void bind_manifest(py::module_& m) {
  m.def(
      "run_manifest",
      [](const result& r, const dataset& data, const dataset* previous, std::vector<std::string> pools,
         std::map<std::string, std::string> excluded, bool allow_extra_columns, const std::string& weight_set,
         const group_weights& weights_by_group, const std::string& keep, int threads, const wide_file& data_file,
         const wide_file& previous_file) {
        evaluation_options options =
            make_options(std::move(pools), std::move(excluded), allow_extra_columns, previous, weight_set,
                         weights_by_group);
        options.keep = parse_contents(keep);
        options.threads = threads;
        return run_manifest(r, data, options, {source_of(data_file), source_of(previous_file)});
      },
      "result"_a, "data"_a, "previous"_a, "pools"_a, "excluded"_a, "allow_extra_columns"_a, "weight_set"_a,
      "weights_by_group"_a, "keep"_a, "threads"_a, "data_file"_a, "previous_file"_a,
      "The run manifest as JSON text (docs/manifest.md); *_file: (path, id_column, name_column, group_columns) of a "
      "CSV read by parkscore.evaluate, or None for data built in memory.");
  m.def(
      "rerun",
      [](const std::filesystem::path& manifest, const dataset* data, const dataset* previous) {
        const manifest_run run = read_manifest(manifest, {data, previous});
        result r;
        {
          py::gil_scoped_release release;
          r = rerun(run);
        }
        py::object before = run.options.previous ? py::cast(*run.options.previous) : py::none();
        return py::make_tuple(std::move(r), run.data, before);
      },
      "manifest"_a, "data"_a = py::none(), "previous"_a = py::none(),
      "Evaluates again from a manifest file, checking each file's SHA-256 and the result's checksum: "
      "(Result, Dataset, previous Dataset or None).");
  m.def(
      "tables",
      [](const result& r, const dataset& data, const dataset* previous) {
        return table_list(result_tables(r, data, {previous}));
      },
      "result"_a, "data"_a, "previous"_a = py::none(),
      "The table of every step as dicts: name, key_columns, keys (per key column), columns, values (rows x columns).");
  m.def("file_sha256", &file_sha256, "file"_a, "SHA-256 of a file's bytes (64 hex digits).");
  m.def("dataset_sha256", &dataset_sha256, "data"_a, "SHA-256 of a dataset's ids, names, groups and value bits.");
  m.def("result_sha256", &result_sha256, "result"_a, "SHA-256 of a result's labels, scores, kept ranks and normalised values.");
}

}  // namespace parkscore::python
