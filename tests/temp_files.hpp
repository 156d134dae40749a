#pragma once
// Scratch files of the tests, named per process: two test runs at once (a CI job and a
// developer's, or ctest entries side by side) must not write each other's files; a file
// rewritten while another run has it mapped kills that run with SIGBUS. Every path handed out
// is removed (with what is under it) when the test process ends, so runs leave /tmp as they
// found it.

#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace parkscore::test {

namespace detail {

struct temp_registry {
  std::mutex guard;
  std::vector<std::filesystem::path> paths;
  ~temp_registry() {
    for (const std::filesystem::path& p : paths) {
      std::error_code ignored;   // already gone, or never written
      std::filesystem::remove_all(p, ignored);
    }
  }
};

inline temp_registry& registry() {
  static temp_registry r;
  return r;
}

}  // namespace detail

/// temp_directory_path()/parkscore_<pid>_<name>, removed when the process exits.
inline std::filesystem::path temp_path(const std::string& name) {
  std::filesystem::path p =
      std::filesystem::temp_directory_path() / ("parkscore_" + std::to_string(getpid()) + "_" + name);
  detail::temp_registry& r = detail::registry();
  const std::lock_guard<std::mutex> lock(r.guard);
  r.paths.push_back(p);
  return p;
}

}  // namespace parkscore::test
