// read_wide_file: a wide CSV file read straight into a dataset. The file is
// mapped, checked and parsed in one sweep; each record goes to the same
// wide_builder read_wide uses, so no field is kept as a std::string and no
// csv_table is built. Pages already parsed are handed back to the kernel, so the
// memory held is the dataset's, not the file's.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_detail.hpp"
#include "io/wide_reader.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

namespace parkscore {

namespace {

// The bytes of a file: mapped read-only, or read into a string when the file
// cannot be mapped (a pipe, an empty file, a file system without mmap).
class file_text {
 public:
  explicit file_text(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      void* map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (map != MAP_FAILED) {
        map_ = static_cast<const char*>(map);
        size_ = static_cast<std::size_t>(st.st_size);
        released_ = map_;
        ::madvise(map, size_, MADV_SEQUENTIAL);
      }
    }
    if (fd >= 0) ::close(fd);   // a mapping outlives its descriptor
    if (!map_) copy_ = detail::read_file_text(file);   // the reader's own messages when it cannot open or read
  }
  ~file_text() {
    if (map_) ::munmap(const_cast<char*>(map_), size_);
  }
  file_text(const file_text&) = delete;
  file_text& operator=(const file_text&) = delete;

  std::string_view text() const { return map_ ? std::string_view(map_, size_) : std::string_view(copy_); }

  /// Gives back the mapped pages before `p` (a pointer into text()); they are
  /// read again from the page cache if touched later (only an error message does).
  void release_before(const char* p, bool now = false) {
    constexpr std::size_t step = std::size_t{8} << 20;
    if (!map_ || p < released_ || p > map_ + size_ || (!now && static_cast<std::size_t>(p - released_) < step)) return;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto end = reinterpret_cast<const char*>(reinterpret_cast<std::uintptr_t>(p) / page * page);
    if (end <= released_) return;
    ::madvise(const_cast<char*>(released_), static_cast<std::size_t>(end - released_), MADV_DONTNEED);
    released_ = end;
  }
  /// Gives back every page; the next pass releases from the start again.
  void release_all() {
    release_before(map_ + size_, true);
    released_ = map_;
  }

 private:
  const char* map_ = nullptr;
  std::size_t size_ = 0;
  const char* released_ = nullptr;
  std::string copy_;
};

// The offset of the first byte that is not UTF-8 (npos if none), and the number
// of line feeds, checked block by block so that the pages can be given back.
std::size_t check_utf8(std::string_view text, file_text& file, std::size_t& line_feeds) {
  constexpr std::size_t block = std::size_t{8} << 20;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + block);
    if (end < text.size()) {   // end a block after a line feed: no UTF-8 sequence spans two blocks
      const void* nl = std::memchr(text.data() + end, '\n', text.size() - end);
      end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
    }
    const std::string_view part = text.substr(at, end - at);
    if (const std::size_t bad = detail::invalid_utf8_at(part); bad != std::string_view::npos) return at + bad;
    line_feeds += static_cast<std::size_t>(std::count(part.begin(), part.end(), '\n'));
    file.release_before(text.data() + end);
    at = end;
  }
  file.release_all();
  return std::string_view::npos;
}

// Records in, builder out. Header problems (empty and duplicate names) are kept
// apart because parse_csv reports them after every record problem.
struct wide_sink {
  const std::string& source;
  const wide_layout& layout;
  problem_list& row_problems;
  problem_list header_problems;
  std::size_t expected_rows = 0;
  file_text* mapped = nullptr;   // pages to give back as the parser moves on
  std::vector<std::string> names;
  std::optional<detail::wide_builder> builder;

  void header(const std::vector<std::string_view>& fields) {
    names.assign(fields.begin(), fields.end());
    detail::check_header(names, source, header_problems);
    builder.emplace(names, source, layout, row_problems, expected_rows);
  }
  void row(const std::vector<std::string_view>& fields, std::size_t line) { builder->add_row(fields, line); }
  std::size_t width() const { return names.size(); }
  void consumed(const char* p) {
    if (mapped) mapped->release_before(p);
  }
};

// Reads the file. The problems of reading it as CSV (what read_csv reports) come
// before those of the wide layout (what read_wide reports), whatever their
// lines: with `raise`, the first kind alone is thrown if there is any.
dataset read(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
             problem_list& problems, bool raise) {
  const std::string source = file.string();
  file_text bytes(file);
  std::string_view text = bytes.text();
  std::optional<std::string> converted;
  std::size_t line_feeds = 0;
  bool readable = true;
  problem_list parse, wide;
  if (detail::is_utf8_name(options.encoding)) {
    if (text.substr(0, 3) == detail::utf8_bom) text.remove_prefix(3);
    if (const std::size_t bad = check_utf8(text, bytes, line_feeds); bad != std::string_view::npos) {
      parse.add(detail::invalid_utf8_message(text, bad, source));
      readable = false;
    }
  } else {
    converted = detail::converted_to_utf8(text, source, options, parse);
    readable = converted.has_value();
    if (readable) {
      text = *converted;
      line_feeds = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }
  }

  wide_sink sink{source, layout, wide, {}, 0, converted ? nullptr : &bytes, {}, {}};
  if (readable) {
    // Records = lines less the header, when no quoted field holds a line break
    // and no line is blank: then the matrix is allocated once at its final size.
    const std::size_t lines = line_feeds + (text.empty() || text.back() == '\n' ? 0 : 1);
    sink.expected_rows = lines > 0 ? lines - 1 : 0;
    detail::csv_parser<wide_sink>(text, source, sink, parse).run();
    if (sink.names.empty()) parse.add(fmt::format("{}: the file is empty (no header row)", source));
    for (const std::string& m : sink.header_problems.messages()) parse.add(m);
  }
  if (raise) parse.raise_if_any();
  for (const std::string& m : parse.messages()) problems.add(m);
  if (!sink.builder) sink.builder.emplace(std::vector<std::string>{}, source, layout, wide, 0);
  auto pass_on = [&] {
    for (const std::string& m : wide.messages()) problems.add(m);
  };
  try {
    dataset d = sink.builder->finish();
    pass_on();
    return d;
  } catch (const data_error&) {   // the rows read make no valid dataset: as read_wide, after its problems
    if (!raise) pass_on();
    throw;
  }
}

// Stops the parser at the header.
struct header_sink {
  struct done {};
  std::vector<std::string> names;
  void header(const std::vector<std::string_view>& fields) {
    names.assign(fields.begin(), fields.end());
    throw done{};
  }
  void row(const std::vector<std::string_view>&, std::size_t) {}
  std::size_t width() const { return names.size(); }
  void consumed(const char*) {}
};

}  // namespace

std::vector<std::string> read_csv_header(const std::filesystem::path& file, const csv_options& options) {
  const std::string source = file.string();
  file_text bytes(file);
  std::string_view text = bytes.text();
  std::optional<std::string> converted;
  problem_list ignored;
  if (detail::is_utf8_name(options.encoding)) {
    if (text.substr(0, 3) == detail::utf8_bom) text.remove_prefix(3);
    std::size_t line_feeds = 0;
    if (check_utf8(text, bytes, line_feeds) != std::string_view::npos) return {};
  } else {
    converted = detail::converted_to_utf8(text, source, options, ignored);
    if (!converted) return {};
    text = *converted;
  }
  header_sink sink;
  try {
    detail::csv_parser<header_sink>(text, source, sink, ignored).run();
  } catch (const header_sink::done&) {
  }
  return sink.names;
}

dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       problem_list& problems) {
  return read(file, layout, options, problems, false);
}

dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options) {
  problem_list problems;
  dataset d = read(file, layout, options, problems, true);
  problems.raise_if_any();
  return d;
}

}  // namespace parkscore
