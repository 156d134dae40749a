// The run manifest (docs/manifest.md): a re-run from it reproduces every score and rank
// bit for bit; a changed input file is refused, naming it; data built in memory are
// checked by their content; a run that no longer reproduces is an error.
#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "fixtures.hpp"
#include "parkscore/engine/manifest.hpp"
#include "parkscore/error.hpp"
#include "parkscore/version.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "parkscore_test_manifest";
  std::filesystem::create_directories(dir);
  return dir / name;
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

// Every score, every rank (kept or computed now) and every normalised value, bit for bit.
void check_identical(const result& a, const result& b) {
  REQUIRE(a.pools.size() == b.pools.size());
  CHECK(a.unit_ids == b.unit_ids);
  CHECK(a.excluded == b.excluded);
  for (std::size_t p = 0; p < a.pools.size(); ++p) {
    CAPTURE(a.pools[p].grouping);
    CHECK(a.pools[p].labels == b.pools[p].labels);
    CHECK(same_bits(a.pools[p].scores, b.pools[p].scores));
    CHECK(same_bits(a.rank_matrix(a.pools[p]), b.rank_matrix(b.pools[p])));
    CHECK(same_bits(a.pools[p].normalised, b.pools[p].normalised));
  }
}

// Mean imputation, a weight set, two poolings and an excluded unit: every option recorded.
framework method() {
  framework fw = two_category_framework();
  fw.impute.method = imputation_method::mean;
  fw.weight_sets.sets.push_back({"equal", "A and B alike", "", {{"A", 1}, {"B", 1}}});
  return fw;
}

evaluation_options options() {
  evaluation_options o;
  o.pools = {"", "level"};
  o.excluded = {{"u5", "under review"}};
  o.weight_set = "equal";
  return o;
}

const char* data_csv =
    "id,name,level,a1,a2,b1\n"
    "u1,One,national,0,5,2\n"
    "u2,Two,provincial,,1,4\n"
    "u3,Three,national,20,3,6\n"
    "u4,Four,provincial,40,1,8\n"
    "u5,Five,national,30,2,1\n";

// The data written to `<name>.csv`, read, evaluated and recorded in `<name>.json`.
struct recorded_run {
  std::filesystem::path csv, manifest;
  std::string text;   // the manifest
  result evaluated;
};

recorded_run record(const std::string& name) {
  recorded_run run{scratch(name + ".csv"), scratch(name + ".json"), {}, {}};
  write(run.csv, data_csv);
  wide_layout layout;
  layout.group_columns = {"level"};
  const data_source source{run.csv, {}, std::nullopt, layout};
  const dataset data = read_source(source, method());
  run.evaluated = evaluate(method(), data, options());
  run.text = run_manifest(run.evaluated, data, options(), {source, std::nullopt});
  write(run.manifest, run.text);
  return run;
}

}  // namespace

TEST_CASE("SHA-256 of a file: the FIPS 180-2 test vector") {
  const auto file = scratch("abc.txt");
  write(file, "abc");
  CHECK(file_sha256(file) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_THROWS_WITH_AS(file_sha256(scratch("no-such-file")), doctest::Contains("no-such-file: cannot open the file"),
                       error);
}

TEST_CASE("a re-run from the manifest reproduces every score and rank bit for bit") {
  const recorded_run run = record("run");
  const result& r = run.evaluated;
  check_identical(r, rerun(run.manifest));

  // What the manifest records, as docs/manifest.md lists it.
  const nlohmann::json m = nlohmann::json::parse(run.text);
  CHECK(m["format"] == "parkscore-manifest");
  CHECK(m["library_version"] == version);
  CHECK(m["conventions"] == "parkscore");
  CHECK(m["data"]["sha256"] == file_sha256(run.csv));
  CHECK(m["data"]["reader"] == "wide");
  CHECK(m["options"]["weight_set"] == "equal");
  CHECK(m["options"]["excluded"]["u5"] == "under review");
  CHECK(m["options"]["pools"] == nlohmann::json::array({"", "level"}));
  CHECK(m["framework"]["index"]["id"] == "index");
  CHECK(m["seeds"].empty());
  // a1 in the all-units pool: u5 is excluded and u2 imputed with the mean of 0, 20, 40 = 20,
  // so min-max is fitted on 0, 20, 20, 40: min 0, max 40.
  bool found = false;
  for (const auto& row : m["constants"]["normalisation"])
    if (row["grouping"] == "all" && row["indicator"] == "a1") {
      found = true;
      CHECK(row["method"] == "min_max");
      CHECK(row["count"] == 4);
      CHECK(row["min"] == 0.0);
      CHECK(row["max"] == 40.0);
    }
  CHECK(found);
  CHECK(m["result"]["sha256"] == result_sha256(r));
}

TEST_CASE("a re-run refuses a changed data file, naming it, and a run that no longer reproduces") {
  const recorded_run run = record("changed");
  write(run.csv, std::string(data_csv) + "u6,Six,national,1,1,1\n");
  CHECK_THROWS_WITH_AS(rerun(run.manifest),
                       doctest::Contains((run.csv.string() + ": the file changed since the run: its SHA-256 is").c_str()),
                       data_error);
  write(run.csv, data_csv);
  CHECK_NOTHROW(rerun(run.manifest));
  // The recorded result no longer matches (here: its checksum edited): an error, not a silent difference.
  nlohmann::json m = nlohmann::json::parse(run.text);
  m["result"]["sha256"] = std::string(64, '0');
  write(run.manifest, m.dump());
  CHECK_THROWS_WITH_AS(rerun(run.manifest), doctest::Contains("the re-run does not reproduce the recorded result"),
                       error);
}

TEST_CASE("a manifest of data built in memory: the re-run needs the same data, checked by content") {
  const framework fw = method();
  dataset data = four_units();
  data.set_unit_names({"One", "Two", "Three", "Four"});
  evaluation_options o = options();
  o.excluded.clear();
  const result r = evaluate(fw, data, o);
  const auto file = scratch("memory.json");
  write(file, run_manifest(r, data, o));
  CHECK_THROWS_WITH_AS(rerun(file), doctest::Contains("the data was built in memory (no file)"), data_error);
  check_identical(r, rerun(file, {&data, nullptr}));
  Eigen::MatrixXd x = data.values();
  x(1, 0) = std::nextafter(x(1, 0), 100.0);   // one bit of one value
  const dataset other({"u1", "u2", "u3", "u4"}, data.indicator_ids(), x);
  CHECK_THROWS_WITH_AS(rerun(file, {&other, nullptr}), doctest::Contains("the data differ from the run's"), data_error);
  CHECK(dataset_sha256(data) != dataset_sha256(other));
}
