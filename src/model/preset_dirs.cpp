// Where presets are found (docs/cli.md, "presets"): $PARKSCORE_PRESET_DIR, then the
// data directory relative to the installed library or program, then — only for
// a binary inside the build tree — the source tree, then the configure-time
// install prefix. An installed copy thus finds its own presets wherever the
// prefix was moved, and never a source tree it happens to have been built from.
#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/model/framework_io.hpp"

namespace parkscore {

namespace {

// The file of the object holding this code: the shared library, or (linked
// statically) the program itself, whose dladdr name may be a bare argv[0].
std::filesystem::path own_file() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&preset_directories), &info) && info.dli_fname &&
      std::string_view(info.dli_fname).find(".so") != std::string_view::npos) {
    std::error_code ec;
    auto p = std::filesystem::canonical(info.dli_fname, ec);
    if (!ec) return p;
  }
  std::error_code ec;
  auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe;
}

bool inside(const std::filesystem::path& file, const std::filesystem::path& dir) {
  const std::string f = file.string(), d = dir.string();
  return !d.empty() && f.size() > d.size() && f.compare(0, d.size(), d) == 0 && f[d.size()] == '/';
}

}  // namespace

std::vector<std::filesystem::path> preset_directories() {
  std::vector<std::filesystem::path> dirs;
  if (const char* env = std::getenv("PARKSCORE_PRESET_DIR"); env && *env) dirs.emplace_back(env);
  const std::filesystem::path self = own_file();
  if (!self.empty()) {
    // <prefix>/lib/libparkscore.so or <prefix>/bin/parkscore -> <prefix>/share/parkscore/presets
    for (const char* relative : {PARKSCORE_PRESET_DIR_FROM_LIB, PARKSCORE_PRESET_DIR_FROM_BIN})
      dirs.push_back((self.parent_path() / relative).lexically_normal());
    std::error_code ec;
    const auto build = std::filesystem::weakly_canonical(PARKSCORE_BINARY_DIR, ec);
    if (!ec && inside(self, build)) dirs.emplace_back(PARKSCORE_PRESET_DIR_BUILD);
  }
  dirs.emplace_back(PARKSCORE_PRESET_DIR_INSTALL);
  std::vector<std::filesystem::path> unique;
  for (auto& d : dirs)
    if (std::find(unique.begin(), unique.end(), d) == unique.end()) unique.push_back(d);
  return unique;
}

}  // namespace parkscore
