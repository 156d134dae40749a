#pragma once
// read_wide_file with its split into parts made explicit, so that tests can
// force many small parts on a small file.

#include <cstddef>
#include <filesystem>

#include "parkscore/io/csv.hpp"

namespace parkscore::detail {

/// How read_wide_file splits a file: into one part per thread (`threads`, 0 =
/// all cores, as wide_file_options::threads), each at least `min_part_bytes` long,
/// split after line feeds.
struct file_split {
  int threads = 0;
  std::size_t min_part_bytes = std::size_t{1} << 20;
  /// If given: set to the number of parts read in parallel (0: the file was read in one pass).
  std::size_t* parts_read = nullptr;
};

/// read_wide_file(file, layout, options, *problems) if `problems` is given, else
/// the throwing read_wide_file(file, layout, options).
dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       const file_split& split, problem_list* problems);

}  // namespace parkscore::detail
