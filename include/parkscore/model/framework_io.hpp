#pragma once
// The framework file format (JSON, documented in docs/schema.md) and the
// bundled presets. Every error names the file and the JSON path.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// The format version this library writes and the newest it reads.
inline constexpr int framework_format_version = 1;

/// Parses framework JSON; `source` names the text in messages (a file name).
framework parse_framework(std::string_view json_text, const std::string& source = "<string>");
framework load_framework(const std::filesystem::path& file);

/// The framework as JSON text (pretty-printed, stable key order).
std::string to_json(const framework& model);
void save_framework(const framework& model, const std::filesystem::path& file);

/// Directories searched for presets: $PARKSCORE_PRESET_DIR, the source tree, the install tree.
std::vector<std::filesystem::path> preset_directories();
/// Names of the bundled presets (file names without .json).
std::vector<std::string> preset_names();
/// The file of a preset; throws schema_error listing the known names.
std::filesystem::path preset_path(const std::string& name);
framework load_preset(const std::string& name);
/// A preset name or a path to a framework file.
framework load_framework_or_preset(const std::string& name_or_path);

}  // namespace parkscore
