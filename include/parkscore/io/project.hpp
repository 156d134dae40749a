#pragma once
// The project file (parkscore.json): what an office repeats on every command —
// the framework, the encoding, the id/name/grouping columns, the mapping, the
// percent rule, the pools, the years and their files, the output. Read strictly
// like a framework file (unknown keys are errors naming the JSON path).
// docs/cli.md, "The project file", documents every key.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/io/read_data.hpp"
#include "parkscore/report/report.hpp"

namespace parkscore {

inline constexpr std::string_view project_file_name = "parkscore.json";

struct project_input {
  std::filesystem::path file;   // relative paths are resolved against the project's folder
  std::string year;             // the data year, "" = from the file's year column or name
};

struct project {
  std::filesystem::path source;   // the project file
  std::string framework;          // a preset name, or a framework file (resolved against the folder)
  std::string encoding;           // "" = UTF-8
  data_request data;              // layout, columns, mapping (files already read), percent rule
  std::vector<project_input> inputs;   // one per year, any order
  std::string pool;               // "" = the framework's first pool
  std::string label;              // show only this pool label
  std::string rule;               // delisting rule (built-in name or file)
  report_format format = report_format::table;
  std::string output;             // "" = standard output
  int levels = 1;
  std::size_t top = 0;
  int decimals = 2;
};

/// Parses project JSON; relative paths are resolved against `folder`.
project parse_project(std::string_view json_text, const std::string& source, const std::filesystem::path& folder);
project load_project(const std::filesystem::path& file);

}  // namespace parkscore
