// read_wide_file: a wide CSV file read straight into a dataset. The file is
// mapped and checked, then its records after the header are parsed in parts, one
// per thread, each into its own stretch of rows of one pre-sized matrix. Where
// that cannot give what one pass gives (quotes after the header, lone CRs, a
// duplicate id, a row dropped after its id), the file is read again in one pass
// by the same wide_builder read_wide uses. Either way no field is kept as a
// std::string and no csv_table is built; pages already parsed are handed back
// to the kernel, so the memory held is the dataset's, not the file's.
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

#include "engine/parallel.hpp"
#include "io/csv_detail.hpp"
#include "io/read_wide_file.hpp"
#include "io/wide_reader.hpp"
#include "model/first_duplicate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

namespace parkscore {

namespace {

// The bytes of a file: mapped read-only, or read into a string when the file
// cannot be mapped (a pipe, an empty file, a file system without mmap).
class file_text {
 public:
  static constexpr std::size_t release_step = std::size_t{8} << 20;   // pages given back in runs this long

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
    if (!map_ || p < released_ || p > map_ + size_ || (!now && static_cast<std::size_t>(p - released_) < release_step))
      return;
    released_ = release(released_, p);
  }
  /// Gives back the whole pages in [begin, end) (pointers into text()) and
  /// returns where the last one ends; threads may give back disjoint ranges at once.
  const char* release(const char* begin, const char* end) const {
    if (!map_) return begin;
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto first = (reinterpret_cast<std::uintptr_t>(begin) + page - 1) / page * page;
    const auto last = reinterpret_cast<std::uintptr_t>(end) / page * page;
    if (last <= first) return begin;
    ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
    return reinterpret_cast<const char*>(last);
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

// What a pass over the text finds in each part of it.
struct part_scan {
  std::size_t bad = std::string_view::npos;          // offset of the first byte that is not UTF-8
  std::size_t line_feeds = 0;                        // before any bad byte
  std::size_t last_quote = std::string_view::npos;   // offset of the last '"'
};

// The text cut into parts after line feeds (no UTF-8 sequence or CRLF spans two):
// `parts` about equal ones, fewer if the lines are long. Offsets, from 0 to the size.
std::vector<std::size_t> split_after_line_feeds(std::string_view text, std::size_t parts) {
  std::vector<std::size_t> at{0};
  for (std::size_t k = 1; k < parts; ++k) {
    const std::size_t from = std::max(at.back(), text.size() / parts * k);
    const void* nl = std::memchr(text.data() + from, '\n', text.size() - from);
    if (!nl) break;
    const auto cut = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    if (cut < text.size()) at.push_back(cut);
  }
  at.push_back(text.size());
  return at;
}

// Whether a text is all ASCII, its line feeds, and whether it holds a quote, in
// one pass that the compiler vectorises (runs of 128 bytes count line feeds in
// one byte per lane). Only a text that is not all ASCII needs the UTF-8 check.
struct ascii_summary {
  std::size_t line_feeds = 0;
  bool ascii = true, quote = false;
};

ascii_summary summarise(std::string_view text) {
  ascii_summary out;
  unsigned char high = 0, quote = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  for (; i + 128 <= text.size(); i += 128) {
    unsigned char line_feeds = 0;
    for (std::size_t k = 0; k < 128; ++k) {
      high |= p[i + k];
      line_feeds = static_cast<unsigned char>(line_feeds + (p[i + k] == '\n'));
      quote |= p[i + k] == '"';
    }
    out.line_feeds += line_feeds;
  }
  for (; i < text.size(); ++i) {
    high |= p[i];
    out.line_feeds += p[i] == '\n';
    quote |= p[i] == '"';
  }
  out.ascii = (high & 0x80) == 0;
  out.quote = quote != 0;
  return out;
}

// Checks [begin, end) of `text` as UTF-8 block by block (ending each block after
// a line feed), counting line feeds and finding the last quote, and gives the
// pages (of `file`, if given) back behind it.
part_scan scan_part(std::string_view text, std::size_t begin, std::size_t end, const file_text* file) {
  part_scan out;
  for (std::size_t at = begin; at < end;) {
    std::size_t stop = std::min(end, at + file_text::release_step);
    if (stop < end) {
      const void* nl = std::memchr(text.data() + stop, '\n', end - stop);
      stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : end;
    }
    const std::string_view part = text.substr(at, stop - at);
    const ascii_summary summary = summarise(part);
    if (const std::size_t bad = summary.ascii ? std::string_view::npos : detail::invalid_utf8_at(part);
        bad != std::string_view::npos) {
      out.bad = at + bad;
      return out;
    }
    out.line_feeds += summary.line_feeds;
    if (summary.quote)
      out.last_quote = at + static_cast<std::size_t>(static_cast<const char*>(::memrchr(part.data(), '"', part.size())) -
                                                     part.data());
    if (file) file->release(part.data(), part.data() + part.size());
    at = stop;
  }
  return out;
}

// The text, its parts and what the pass over them found.
struct scanned_text {
  std::vector<std::size_t> at;   // part k is [at[k], at[k + 1])
  std::vector<part_scan> parts;
  std::size_t bad = std::string_view::npos;   // the first byte that is not UTF-8
  std::size_t line_feeds = 0;
  std::size_t last_quote = std::string_view::npos;
};

// `file`: the mapping `text` lies in, whose pages are given back (null for a converted text).
scanned_text scan(std::string_view text, file_text* file, const detail::file_split& split) {
  scanned_text out;
  const std::size_t wanted = std::max<std::size_t>(1, text.size() / std::max<std::size_t>(1, split.min_part_bytes));
  out.at = split_after_line_feeds(text, static_cast<std::size_t>(detail::thread_count(split.threads, wanted)));
  out.parts.resize(out.at.size() - 1);
  detail::parallel_for(out.parts.size(), static_cast<int>(out.parts.size()),
                       [&](std::size_t k) { out.parts[k] = scan_part(text, out.at[k], out.at[k + 1], file); });
  if (file) file->release_all();
  for (const part_scan& p : out.parts) {
    if (out.bad == std::string_view::npos) out.bad = p.bad;
    out.line_feeds += p.line_feeds;
    if (p.last_quote != std::string_view::npos) out.last_quote = p.last_quote;
  }
  return out;
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

// The problems of reading the file as CSV (what read_csv reports) come before
// those of the wide layout (what read_wide reports), whatever their lines: with
// `raise`, the first kind alone is thrown if there is any. `finish` makes the
// dataset (and may add to `wide`).
template <class Finish>
dataset conclude(const problem_list& parse, const problem_list& wide, problem_list& problems, bool raise,
                 Finish&& finish) {
  if (raise) parse.raise_if_any();
  for (const std::string& m : parse.messages()) problems.add(m);
  auto pass_on = [&] {
    for (const std::string& m : wide.messages()) problems.add(m);
  };
  try {
    dataset d = finish();
    pass_on();
    return d;
  } catch (const data_error&) {   // the rows read make no valid dataset: as read_wide, after its problems
    if (!raise) pass_on();
    throw;
  }
}

// Reads the text in one pass, record after record, with wide_builder.
dataset read_in_one_pass(std::string_view text, const std::string& source, const wide_layout& layout,
                         std::size_t line_feeds, file_text* mapped, problem_list& parse, problem_list& problems,
                         bool raise) {
  problem_list wide;
  wide_sink sink{source, layout, wide, {}, 0, mapped, {}, {}};
  // Records = lines less the header, when no quoted field holds a line break
  // and no line is blank: then the matrix is allocated once at its final size.
  const std::size_t lines = line_feeds + (text.empty() || text.back() == '\n' ? 0 : 1);
  sink.expected_rows = lines > 0 ? lines - 1 : 0;
  detail::csv_parser<wide_sink>(text, source, sink, parse).run();
  if (sink.names.empty()) parse.add(fmt::format("{}: the file is empty (no header row)", source));
  for (const std::string& m : sink.header_problems.messages()) parse.add(m);
  return conclude(parse, wide, problems, raise, [&] {
    if (!sink.builder) sink.builder.emplace(std::vector<std::string>{}, source, layout, wide, 0);
    return sink.builder->finish();
  });
}

// A file that cannot be read as text: its problem, then those of a dataset without a header.
dataset read_no_text(const std::string& source, const wide_layout& layout, const problem_list& parse,
                     problem_list& problems, bool raise) {
  problem_list wide;
  return conclude(parse, wide, problems, raise,
                  [&] { return detail::wide_builder(std::vector<std::string>{}, source, layout, wide, 0).finish(); });
}

// The parser up to the header: the header's fields.
struct header_sink {
  std::optional<std::vector<std::string>> names;
  void header(const std::vector<std::string_view>& fields) { names.emplace(fields.begin(), fields.end()); }
  void row(const std::vector<std::string_view>&, std::size_t) {}
  std::size_t width() const { return names ? names->size() : 0; }
  void consumed(const char*) {}
};

// The records of one part of the text after the header, to a wide_chunk.
struct chunk_sink {
  detail::wide_chunk& chunk;
  std::size_t fields;
  const file_text* mapped;   // pages to give back as the parser moves on
  const char* released;

  void header(const std::vector<std::string_view>&) {}
  void row(const std::vector<std::string_view>& fields_, std::size_t line) { chunk.add_row(fields_, line); }
  std::size_t width() const { return fields; }
  void consumed(const char* p) {
    if (mapped && static_cast<std::size_t>(p - released) >= file_text::release_step) released = mapped->release(released, p);
  }
};

// A part of the text after the header: [begin, end), its first line, and the
// rows it can hold (its lines).
struct chunk_span {
  std::size_t begin, end, line, rows;
};

// Reads the records after the header in the parts `scanned` found, in parallel,
// or returns nullopt where one pass would read them differently: a quote after
// the header (a quoted field may hold a line break), a lone CR (a line the line
// feeds do not count), no header or id column, a row dropped after its id was
// seen, or a duplicate id (each changes the messages of the rows after it).
std::optional<dataset> read_in_parts(std::string_view text, const std::string& source, const wide_layout& layout,
                                     const scanned_text& scanned, const file_text* mapped,
                                     const detail::file_split& split, problem_list& problems, bool raise) {
  problem_list parse, header_problems, wide;
  header_sink head;
  detail::csv_parser<header_sink> header_parser(text, source, head, parse);
  header_parser.run_until_header();
  const auto data = static_cast<std::size_t>(header_parser.position() - text.data());
  if (!head.names || (scanned.last_quote != std::string_view::npos && scanned.last_quote >= data)) return std::nullopt;
  detail::check_header(*head.names, source, header_problems);
  const detail::wide_plan plan(*head.names, source, layout, wide);
  if (!plan.columns.id) return std::nullopt;

  std::vector<chunk_span> spans;
  std::size_t line = header_parser.line(), rows = 0;
  for (std::size_t k = 0; k + 1 < scanned.at.size(); ++k) {
    const std::size_t begin = std::max(scanned.at[k], data), end = scanned.at[k + 1];
    if (end <= begin) continue;
    const std::size_t line_feeds =
        scanned.parts[k].line_feeds -
        static_cast<std::size_t>(std::count(text.data() + scanned.at[k], text.data() + begin, '\n'));
    const bool unended = end == text.size() && text.back() != '\n';   // a last line without a line feed
    spans.push_back({begin, end, line, line_feeds + (unended ? 1 : 0)});
    line += line_feeds;
    rows += spans.back().rows;
  }
  detail::wide_rows kept_rows = detail::allocate_rows(plan, rows);
  std::vector<detail::wide_chunk> chunks;
  chunks.reserve(spans.size());
  for (std::size_t k = 0, first = 0; k < spans.size(); first += spans[k].rows, ++k)
    chunks.emplace_back(plan, kept_rows, first, spans[k].rows);
  std::vector<problem_list> chunk_parse(spans.size());
  std::vector<std::size_t> end_line(spans.size());
  detail::parallel_for(spans.size(), detail::thread_count(split.threads, spans.size()), [&](std::size_t k) {
    const chunk_span& span = spans[k];
    chunk_sink sink{chunks[k], plan.header.size(), mapped, text.data() + span.begin};
    detail::csv_parser<chunk_sink> parser(text.substr(span.begin, span.end - span.begin), source, sink,
                                          chunk_parse[k], span.line, true);
    parser.run();
    end_line[k] = parser.line();
  });
  if (mapped) mapped->release(text.data(), text.data() + text.size());
  for (std::size_t k = 0; k < spans.size(); ++k)
    if (chunks[k].unusable() || (k + 1 < spans.size() && end_line[k] != spans[k + 1].line)) return std::nullopt;
  const Eigen::Index kept = detail::close_gaps(kept_rows, chunks);
  kept_rows.ids.resize(static_cast<std::size_t>(kept));
  if (detail::first_duplicate(kept_rows.ids)) return std::nullopt;

  std::vector<detail::percent_tracker> percent(plan.columns.values.size());
  for (std::size_t k = 0; k < spans.size(); ++k) {
    for (const std::string& m : chunk_parse[k].messages()) parse.add(m);
    for (const std::string& m : chunks[k].problems.messages()) wide.add(m);
    for (std::size_t j = 0; j < percent.size(); ++j) percent[j].merge(chunks[k].percent[j]);
  }
  for (const std::string& m : header_problems.messages()) parse.add(m);
  chunks.clear();
  if (split.parts_read) *split.parts_read = spans.size();
  return conclude(parse, wide, problems, raise,
                  [&] { return detail::make_dataset(plan, std::move(kept_rows), kept, percent, wide); });
}

// The text to parse: the file's (after a BOM), or its conversion to UTF-8.
dataset read(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
             const detail::file_split& split, problem_list& problems, bool raise) {
  const std::string source = file.string();
  file_text bytes(file);
  std::string_view text = bytes.text();
  std::optional<std::string> converted;
  problem_list parse;
  if (detail::is_utf8_name(options.encoding)) {
    if (text.substr(0, 3) == detail::utf8_bom) text.remove_prefix(3);
  } else {
    converted = detail::converted_to_utf8(text, source, options, parse);
    if (!converted) return read_no_text(source, layout, parse, problems, raise);
    text = *converted;
  }
  file_text* mapped = converted ? nullptr : &bytes;
  const scanned_text scanned = scan(text, mapped, split);
  if (scanned.bad != std::string_view::npos) {
    parse.add(detail::invalid_utf8_message(text, scanned.bad, source));
    return read_no_text(source, layout, parse, problems, raise);
  }
  if (split.parts_read) *split.parts_read = 0;
  if (auto d = read_in_parts(text, source, layout, scanned, mapped, split, problems, raise)) return std::move(*d);
  return read_in_one_pass(text, source, layout, scanned.line_feeds, mapped, parse, problems, raise);
}

}  // namespace

std::vector<std::string> read_csv_header(const std::filesystem::path& file, const csv_options& options) {
  const std::string source = file.string();
  file_text bytes(file);
  std::string_view text = bytes.text();
  std::optional<std::string> converted;
  problem_list ignored;
  if (detail::is_utf8_name(options.encoding)) {
    if (text.substr(0, 3) == detail::utf8_bom) text.remove_prefix(3);
    if (scan(text, &bytes, {1, text.size() + 1}).bad != std::string_view::npos) return {};
  } else {
    converted = detail::converted_to_utf8(text, source, options, ignored);
    if (!converted) return {};
    text = *converted;
  }
  header_sink sink;
  detail::csv_parser<header_sink>(text, source, sink, ignored).run_until_header();
  return sink.names.value_or(std::vector<std::string>{});
}

namespace detail {

dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       const file_split& split, problem_list* problems) {
  if (problems) return read(file, layout, options, split, *problems, false);
  problem_list collected;
  dataset d = read(file, layout, options, split, collected, true);
  collected.raise_if_any();
  return d;
}

}  // namespace detail

dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       problem_list& problems, const wide_file_options& how) {
  return detail::read_wide_file(file, layout, options, {how.threads}, &problems);
}

dataset read_wide_file(const std::filesystem::path& file, const wide_layout& layout, const csv_options& options,
                       const wide_file_options& how) {
  return detail::read_wide_file(file, layout, options, {how.threads}, nullptr);
}

}  // namespace parkscore
