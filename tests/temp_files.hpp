#pragma once
// Scratch files of the tests, named per process: two test runs at once (a CI job and a
// developer's, or ctest entries side by side) must not write each other's files; a file
// rewritten while another run has it mapped kills that run with SIGBUS.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace parkscore::test {

/// temp_directory_path()/parkscore_<pid>_<name>.
inline std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("parkscore_" + std::to_string(getpid()) + "_" + name);
}

}  // namespace parkscore::test
