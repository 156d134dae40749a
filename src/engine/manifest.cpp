// The run manifest (docs/manifest.md): written from a result and its inputs, read
// back to evaluate again. Files are checked by SHA-256 before they are read, the
// dataset read by its content checksum after, and the re-run result by the checksum
// of its scores and ranks, so a re-run that differs in any bit is an error.
#include "parkscore/engine/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/manifest_json.hpp"
#include "io/sha256.hpp"
#include "model/json_cursor.hpp"
#include "model/strict_json.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/report/tables.hpp"
#include "parkscore/version.hpp"
#include "io/text_file.hpp"

namespace parkscore {

namespace {

using json = nlohmann::ordered_json;
using detail::json_cursor;

constexpr const char* format_name = "parkscore-manifest";
constexpr int format_version = 1;

void hash_strings(detail::sha256& h, const std::vector<std::string>& items) {
  const std::uint64_t n = items.size();
  h.update(&n, sizeof n);
  for (const std::string& s : items) {
    const std::uint64_t size = s.size();
    h.update(&size, sizeof size);   // lengths first: ("ab", "c") and ("a", "bc") differ
    h.update(s);
  }
}

template <class Matrix>
void hash_matrix(detail::sha256& h, const Matrix& m) {
  const std::int64_t shape[2] = {static_cast<std::int64_t>(m.rows()), static_cast<std::int64_t>(m.cols())};
  h.update(shape, sizeof shape);
  h.update(m.data(), static_cast<std::size_t>(m.size()) * sizeof(typename Matrix::Scalar));
}

json source_json(const dataset& data, const std::optional<data_source>& source) {
  json j;
  if (source) {
    j["file"] = std::filesystem::absolute(source->file).lexically_normal().string();
    j["sha256"] = file_sha256(source->file);
    j["encoding"] = source->csv.encoding;
    if (source->request) {
      j["reader"] = "office";
      j["request"] = detail::request_json(*source->request);
    } else {
      j["reader"] = "wide";
      j["layout"] = detail::layout_json(source->layout.value_or(wide_layout{}));
    }
  } else {
    j["file"] = nullptr;
  }
  j["dataset_sha256"] = dataset_sha256(data);
  j["units"] = data.unit_count();
  j["indicators"] = data.indicator_ids();
  json groups = json::array();
  for (const auto& [column, labels] : data.groups()) groups.push_back(column);
  j["groups"] = groups;
  j["period"] = data.period;
  return j;
}

json options_json(const evaluation_options& o) {
  json j;
  j["pools"] = o.pools;
  j["excluded"] = o.excluded;
  j["allow_extra_columns"] = o.allow_extra_columns;
  j["weight_set"] = o.weight_set;
  if (o.weights_by_group)
    j["weights_by_group"] = json{{"column", o.weights_by_group->column}, {"sets", o.weights_by_group->sets}};
  else
    j["weights_by_group"] = nullptr;
  j["keep"] = json{{"all_nodes", o.keep.all_nodes}, {"all_ranks", o.keep.all_ranks}, {"normalised", o.keep.normalised},
                   {"coverage", o.keep.coverage}, {"info_notes", o.keep.info_notes},
                   {"category_ranks", o.keep.category_ranks}, {"records", o.keep.records}};
  j["threads"] = o.threads;
  return j;
}

evaluation_options read_options(const json_cursor& c) {
  c.allow_only({"pools", "excluded", "allow_extra_columns", "weight_set", "weights_by_group", "keep", "threads"});
  evaluation_options o;
  o.pools = c.at("pools").value().get<std::vector<std::string>>();
  o.excluded = c.at("excluded").value().get<std::map<std::string, std::string>>();
  o.allow_extra_columns = c.at("allow_extra_columns").as_bool();
  o.weight_set = c.at("weight_set").as_string();
  if (!c.at("weights_by_group").value().is_null()) {
    const json_cursor g = c.at("weights_by_group");
    o.weights_by_group = weight_set_by_group{g.at("column").as_string(),
                                             g.at("sets").value().get<std::map<std::string, std::string>>()};
  }
  const json_cursor k = c.at("keep");
  o.keep = {k.at("all_nodes").as_bool(), k.at("all_ranks").as_bool(), k.at("normalised").as_bool(),
            k.at("coverage").as_bool(), k.at("info_notes").as_bool()};
  k.read("category_ranks", o.keep.category_ranks);   // absent in manifests before 2026-12-03: true
  k.read("records", o.keep.records);                 // likewise
  o.threads = c.at("threads").as_int();
  return o;
}

// A number for JSON, which has no NaN or infinity: null, "inf", "-inf".
json number_json(double x) {
  if (std::isnan(x)) return nullptr;
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

// The constant tables as arrays of row objects, so that the manifest reads like the tables.
json table_rows(const table& t) {
  json rows = json::array();
  for (Eigen::Index r = 0; r < t.rows(); ++r) {
    json row;
    for (std::size_t c = 0; c < t.key_columns.size(); ++c) row[t.key_columns[c]] = t.keys[c][static_cast<std::size_t>(r)];
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      row[t.columns[c]] = number_json(t.values(r, static_cast<Eigen::Index>(c)));
    rows.push_back(row);
  }
  return rows;
}

// The dataset a source names, checked against the manifest: the file's bytes, then what was read.
dataset checked_source(const json_cursor& c, const framework& model, const dataset* given,
                       const std::string& manifest, const char* what) {
  const std::string expected = c.at("dataset_sha256").as_string();
  dataset d;
  if (c.at("file").value().is_null()) {
    if (!given)
      throw data_error(fmt::format("{}: the {} was built in memory (no file): give the same data to the re-run "
                                   "(Python: parkscore.rerun(path, {}=...))", manifest, what,
                                   std::strcmp(what, "data") == 0 ? "data" : "previous"));
    d = *given;
  } else {
    const data_source source = detail::read_source_json(c);
    if (!std::filesystem::exists(source.file))
      throw data_error(fmt::format("{}: the {} file named by the manifest {} does not exist", source.file.string(),
                                   what, manifest));
    const std::string recorded = c.at("sha256").as_string();
    const std::string actual = file_sha256(source.file);
    if (actual != recorded)
      throw data_error(fmt::format("{}: the file changed since the run: its SHA-256 is {}, the manifest {} records {}",
                                   source.file.string(), actual, manifest, recorded));
    d = read_source(source, model);
    d.period = c.at("period").as_string();
  }
  if (dataset_sha256(d) != expected)
    throw data_error(fmt::format("{}: the {}{} differ from the run's (dataset checksum {} expected {})", manifest,
                                 what, d.source.empty() ? "" : " read from " + d.source, dataset_sha256(d), expected));
  return d;
}

}  // namespace

std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(fmt::format("{}: cannot open the file", file.string()));
  detail::sha256 h;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    h.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw error(fmt::format("{}: the file could not be read", file.string()));
  return h.hex();
}

std::string dataset_sha256(const dataset& data) {
  detail::sha256 h;
  hash_strings(h, data.unit_ids());
  hash_strings(h, data.unit_names());
  hash_strings(h, data.indicator_ids());
  for (const auto& [column, labels] : data.groups()) {
    hash_strings(h, {column});
    hash_strings(h, labels);
  }
  hash_matrix(h, data.values());
  return h.hex();
}

std::string result_sha256(const result& r) {
  detail::sha256 h;
  hash_strings(h, r.unit_ids);
  for (const auto& [unit, reason] : r.excluded) hash_strings(h, {unit, reason});
  for (const pool_result& p : r.pools) {
    hash_strings(h, {p.grouping});
    hash_strings(h, p.labels);
    hash_matrix(h, p.scores);
    hash_matrix(h, p.kept_ranks);
    hash_matrix(h, p.normalised);
  }
  return h.hex();
}

dataset read_source(const data_source& source, const framework& model) {
  problem_list problems;
  dataset d;
  if (source.request) {
    const csv_table t = read_csv(source.file, source.csv, problems);
    std::vector<std::string> warnings;   // the run printed them already
    if (!t.header.empty()) d = read_dataset(t, model, *source.request, problems, warnings);
  } else {
    d = read_wide_file(source.file, source.layout.value_or(wide_layout{}), source.csv, problems);
  }
  problems.raise_if_any();
  return d;
}

std::string run_manifest(const result& r, const dataset& data, const evaluation_options& options,
                         const manifest_sources& sources) {
  json m;
  m["format"] = format_name;
  m["version"] = format_version;
  m["library_version"] = version;
  m["conventions"] = r.model->conventions.empty() ? "parkscore" : r.model->conventions;
  m["framework"] = json::parse(to_json(r.model));
  m["data"] = source_json(data, sources.data);
  if (options.previous)
    m["previous"] = source_json(*options.previous, sources.previous);
  else
    m["previous"] = nullptr;
  m["options"] = options_json(options);
  m["seeds"] = json::object();   // evaluation draws no random numbers; the key is there for the analyses that do
  // A result evaluated without records has no constants to show (null); its hash still checks a rerun.
  const bool records = std::all_of(r.pools.begin(), r.pools.end(), [](const pool_result& p) { return p.records; });
  json constants;
  if (records)
    for (const table& t : constant_tables(r)) constants[t.name] = table_rows(t);
  m["constants"] = constants;
  m["result"] = json{{"units", r.unit_ids.size()}, {"sha256", result_sha256(r)}};
  return m.dump(1) + "\n";
}

manifest_run read_manifest(const std::filesystem::path& file, const rerun_options& given) {
  const std::string name = file.string();
  const nlohmann::json j = detail::parse_json_strictly(detail::read_text_file<error>(file), name);
  const json_cursor c(j, name);
  c.allow_only({"format", "version", "library_version", "conventions", "framework", "data", "previous", "options",
                "seeds", "constants", "result"});
  if (!c.has("format") || c.at("format").as_string() != format_name)
    c.fail(fmt::format("not a run manifest: expected \"format\": \"{}\"", format_name));
  if (c.at("version").as_int() != format_version)
    c.at("version").fail(fmt::format("unsupported manifest version (this library reads {})", format_version));
  manifest_run run{parse_framework(c.at("framework").value().dump(), name + " (framework)"), {}, {}, {}, name};
  run.data = checked_source(c.at("data"), run.model, given.data, name, "data");
  run.options = read_options(c.at("options"));
  if (!c.at("previous").value().is_null())
    run.options.previous = checked_source(c.at("previous"), run.model, given.previous, name, "previous-year data");
  run.result_sha256 = c.at("result").at("sha256").as_string();
  return run;
}

result rerun(const manifest_run& run) {
  result r = evaluate(run.model, run.data, run.options);
  const std::string now = result_sha256(r);
  if (now != run.result_sha256)
    throw error(fmt::format("{}: the re-run does not reproduce the recorded result (scores and ranks checksum {}, "
                            "recorded {}); was it written by another build of parkscore ({})?",
                            run.source, now, run.result_sha256, version));
  return r;
}

result rerun(const std::filesystem::path& manifest_file, const rerun_options& options) {
  return rerun(read_manifest(manifest_file, options));
}

}  // namespace parkscore
