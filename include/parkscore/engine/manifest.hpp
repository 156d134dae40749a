#pragma once
// The run manifest: what an evaluation was given and what it fitted, as JSON, so
// that the result can be checked and regenerated bit for bit (docs/manifest.md):
// the framework as evaluated (conventions applied), each input file with its
// SHA-256 and the reader settings (in-memory data: a checksum of ids and values),
// every evaluation option, the constants fitted per pool (normalisation, treatment,
// weights), seeds, the library version and the convention set. rerun() reads it back.

#include <filesystem>
#include <optional>
#include <string>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/io/read_data.hpp"

namespace parkscore {

/// How a dataset was read from a file, so that a re-run reads it the same way.
/// Exactly one reader: `request` (read_csv then read_dataset: the CLI's reader of an
/// office file) or `layout` (read_wide_file: a plain wide CSV, as Python reads a path).
struct data_source {
  std::filesystem::path file;
  csv_options csv;                       // the encoding
  std::optional<data_request> request;
  std::optional<wide_layout> layout;
};

/// Where the data of an evaluation came from; absent = built in memory.
struct manifest_sources {
  std::optional<data_source> data;
  std::optional<data_source> previous;
};

/// The manifest of `r`, evaluated from `data` with `options`, as JSON text.
std::string run_manifest(const result& r, const dataset& data, const evaluation_options& options,
                         const manifest_sources& sources = {});

/// Reads a data source as the manifest says (throws data_error listing the problems).
dataset read_source(const data_source& source, const framework& model);

struct rerun_options {
  const dataset* data = nullptr;       // the data of a manifest written for in-memory data (checked)
  const dataset* previous = nullptr;   // the same for the previous year
};

/// What a manifest says to evaluate, its files read and checked.
struct manifest_run {
  framework model;
  dataset data;
  evaluation_options options;   // with the previous year's data, if the run had them
  std::string result_sha256;    // of the recorded result (see result_sha256)
  std::string source;           // the manifest file, for messages
};

/// Reads a manifest file: the framework it holds and the files it names, each file's
/// SHA-256 checked before it is read (data_error naming the file on a mismatch) and
/// the dataset's content checksum after; every evaluation option it records.
manifest_run read_manifest(const std::filesystem::path& manifest_file, const rerun_options& options = {});

/// Evaluates a manifest's run and checks that the result equals the recorded one bit for
/// bit (its result_sha256); throws error naming the manifest if not.
result rerun(const manifest_run& run);
result rerun(const std::filesystem::path& manifest_file, const rerun_options& options = {});

/// SHA-256 over every pooling's labels, scores, kept ranks and normalised values, the unit
/// ids and the exclusions: equal checksums mean results equal bit for bit.
std::string result_sha256(const result& r);
/// SHA-256 of a file's bytes, as 64 lowercase hex digits; throws error naming the file.
std::string file_sha256(const std::filesystem::path& file);
/// SHA-256 of a dataset's content: unit ids and names, indicator ids, grouping columns,
/// and the bits of every value (so that two datasets with this checksum evaluate alike).
std::string dataset_sha256(const dataset& data);

}  // namespace parkscore
