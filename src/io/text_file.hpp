#pragma once
// A whole file as a string, for the readers that parse JSON or text in one piece
// (framework, project, analysis spec, column mapping, run manifest).

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace parkscore::detail {

/// The file's bytes. A file that cannot be opened throws `Error` (the caller's error class:
/// schema_error for definitions, data_error for data) saying "<file>: cannot open <what>".
template <class Error>
std::string read_text_file(const std::filesystem::path& file, std::string_view what = "the file") {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot open {}", file.string(), what));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace parkscore::detail
