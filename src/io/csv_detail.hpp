#pragma once
// What parse_csv, read_wide and read_wide_file share: the text checks, the
// RFC 4180 state machine, and the per-cell rules. Defined in io/csv.cpp.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/io/csv.hpp"

namespace parkscore::detail {

inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// --- text -------------------------------------------------------------------------

/// The whole file; data_error naming it if it cannot be opened or read.
std::string read_file_text(const std::filesystem::path& file);
/// Byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s);
/// The message for invalid UTF-8 at `bad` in `text` (the whole file, after any BOM).
std::string invalid_utf8_message(std::string_view text, std::size_t bad, const std::string& source);
/// Whether `encoding` names UTF-8 ("" included).
bool is_utf8_name(const std::string& encoding);
/// The text converted from `options.encoding` (not UTF-8) to UTF-8, or nullopt
/// after adding the problem (unknown encoding, invalid byte, text already UTF-8).
std::optional<std::string> converted_to_utf8(std::string_view text, const std::string& source,
                                             const csv_options& options, problem_list& problems);
/// Empty and duplicate header names.
void check_header(const std::vector<std::string>& header, const std::string& source, problem_list& problems);

/// Without leading and trailing spaces, tabs, CR, U+00A0 and U+3000.
std::string_view trim(std::string_view s);
inline bool is_blank(std::string_view s) { return trim(s).empty(); }

// --- cells ------------------------------------------------------------------------

struct cell_value {
  double value = std::numeric_limits<double>::quiet_NaN();
  bool percent = false;
};

/// Reads a number cell by the rules of parse_cell; on failure returns the reason without the place.
std::optional<std::string> read_number_rules(std::string_view cell, const number_format& format, cell_value& out);

/// A cell such as "1234.56" or "-7": an optional minus, digits, and an optional
/// point followed by digits, at most 15 digits in all. Its digits as an integer
/// (below 2^53) and the power of ten (at most 10^15) are both exact doubles, so
/// their quotient is the correctly rounded value of the cell, the one from_chars
/// gives (Clinger's fast path), without from_chars's general machinery.
/// Returns false for any other cell.
inline bool read_plain_decimal(std::string_view cell, double& out) {
  static constexpr double powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char* p = cell.data();
  const char* const end = p + cell.size();
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  std::uint64_t digits = 0;
  const char* const first_digit = p;
  while (p < end && static_cast<unsigned char>(*p - '0') < 10) digits = digits * 10 + static_cast<unsigned char>(*p++ - '0');
  if (p == first_digit) return false;   // ".5", "-", "" and the rest: from_chars or the rules
  const char* const point = p;
  if (p < end && *p == '.') {
    ++p;
    while (p < end && static_cast<unsigned char>(*p - '0') < 10) digits = digits * 10 + static_cast<unsigned char>(*p++ - '0');
    if (p == point + 1) return false;   // "1."
  }
  const auto decimals = p > point ? p - point - 1 : 0;
  if (p != end || (point - first_digit) + decimals > 15) return false;
  const double value = static_cast<double>(digits) / powers_of_ten[decimals];
  out = negative ? -value : value;
  return true;
}

/// read_number_rules with the common case inline: a plain number, read by one
/// from_chars over the cell as it is (which accepts exactly what the rules
/// accept for such a cell: no spaces, separators, signs from_chars refuses, or
/// per-cent signs, and a finite value).
inline std::optional<std::string> read_number(std::string_view cell, const number_format& format, cell_value& out) {
  double value = 0.0;
  if (read_plain_decimal(cell, value)) {
    out = {value, false};
    return std::nullopt;
  }
  const char* last = cell.data() + cell.size();
  if (const auto [ptr, ec] = std::from_chars(cell.data(), last, value);
      ec == std::errc() && ptr == last && !cell.empty() && std::isfinite(value)) {
    out = {value, false};
    return std::nullopt;
  }
  return read_number_rules(cell, format, out);
}

/// Cells of one column must be all per-cent or all plain: a mix means the column
/// holds two different scales, and one of them would be read wrongly.
class percent_tracker {
 public:
  void see(const cell_value& v, std::size_t line, std::string_view cell) {
    if (std::isnan(v.value)) return;
    auto& first = v.percent ? with_ : without_;
    if (!first) first = {line, std::string(cell)};
  }
  /// Takes in what a tracker of the rows after this one's saw (a chunk read apart).
  void merge(const percent_tracker& later) {
    if (!with_) with_ = later.with_;
    if (!without_) without_ = later.without_;
  }
  void report(const std::string& where, problem_list& problems) const {
    if (with_ && without_)
      problems.add(fmt::format("{}: mixes percentages (line {}: '{}') and plain numbers (line {}: '{}'); "
                               "write every cell of the column the same way",
                               where, with_->first, with_->second, without_->first, without_->second));
  }

 private:
  std::optional<std::pair<std::size_t, std::string>> with_, without_;
};

/// "column 'gdp' (column 3)"
std::string column_label(const std::vector<std::string>& header, std::size_t c);

// --- records ----------------------------------------------------------------------

// The characters that end an unquoted field.
inline constexpr std::array<bool, 256> special_chars = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\n')] = t[static_cast<unsigned char>('\r')] = true;
  return t;
}();

// The first byte of [p, end) that ends an unquoted field, eight bytes at a time:
// a byte equal to c is a zero byte of w ^ (c in every byte), and the lowest bit of
// (v - 0x01..) & ~v & 0x80.. marks the first zero byte exactly (little-endian).
inline const char* find_special(const char* p, const char* end) {
  static_assert(std::endian::native == std::endian::little);
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const auto zero_at = [w](unsigned char c) {
      const std::uint64_t v = w ^ (ones * c);
      return (v - ones) & ~v & highs;
    };
    if (const std::uint64_t hit = zero_at(',') | zero_at('"') | zero_at('\n') | zero_at('\r'))
      return p + (std::countr_zero(hit) >> 3);
    p += 8;
  }
  while (p < end && !special_chars[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// The RFC 4180 state machine. It hands each record to `sink` as string_views:
// into the text itself, or, for a field with doubled quotes, into a scratch
// buffer that stays unchanged until the next record. The sink has
//   void header(const std::vector<std::string_view>& fields);
//   void row(const std::vector<std::string_view>& fields, std::size_t line);
//   std::size_t width() const;          // fields in the header
//   void consumed(const char* up_to);   // after each record: the text before is done with
template <class Sink>
class csv_parser {
 public:
  /// `text` starts on line `first_line`; with `header_read`, its first record is a row
  /// (a chunk of the records after the header).
  csv_parser(std::string_view text, const std::string& source, Sink& sink, problem_list& problems,
             std::size_t first_line = 1, bool header_read = false)
      : p_(text.data()),
        end_(text.data() + text.size()),
        source_(source),
        sink_(sink),
        problems_(problems),
        line_(first_line),
        header_read_(header_read) {}

  void run() {
    while (p_ < end_) step();
  }
  /// Reads up to and including the header record (or to the end if there is none).
  void run_until_header() {
    while (p_ < end_ && !header_read_) step();
  }
  /// Where the parser is: the next record starts at position() on line().
  const char* position() const { return p_; }
  std::size_t line() const { return line_; }

 private:
  // A field: `size` bytes from `begin` in the text, or from offset `at` of
  // scratch_ when `escaped` (scratch_ may grow, so no pointer into it yet).
  struct field {
    const char* begin;
    std::size_t at;
    std::size_t size;
    bool escaped;
  };

  void step() {
    const std::size_t record_line = line_;
    fields_.clear();
    scratch_.clear();
    if (read_record(record_line)) finish(record_line);
    sink_.consumed(p_);
  }

  void problem(std::size_t line, std::size_t column, std::string_view what) {
    problems_.add(fmt::format("{}:{}: column {}: {}", source_, line, column, what));
  }

  void skip_line() {
    const void* nl = std::memchr(p_, '\n', static_cast<std::size_t>(end_ - p_));
    p_ = nl ? static_cast<const char*>(nl) + 1 : end_;
    ++line_;
  }

  // Reads one record; false if it had a problem (already reported, rest of the line skipped).
  bool read_record(std::size_t record_line) {
    for (;;) {
      const char* start = p_;
      p_ = find_special(p_, end_);
      if (p_ < end_ && *p_ == '"') {
        if (!is_blank({start, static_cast<std::size_t>(p_ - start)})) {
          problem(line_, fields_.size() + 1,
                  "a quote inside an unquoted field (quote the whole field and double the quote)");
          skip_line();
          return false;
        }
        if (!read_quoted(record_line)) return false;
      } else {
        fields_.push_back({start, 0, static_cast<std::size_t>(p_ - start), false});
      }
      if (p_ >= end_) return true;
      const char delimiter = *p_++;
      if (delimiter == ',') continue;
      if (delimiter == '\r' && p_ < end_ && *p_ == '\n') ++p_;
      ++line_;   // '\n', "\r\n" or a lone '\r'
      return true;
    }
  }

  bool read_quoted(std::size_t record_line) {
    const std::size_t column = fields_.size() + 1;
    ++p_;   // opening quote
    const char* start = p_;
    const std::size_t scratch_begin = scratch_.size();
    bool escaped = false;
    for (;;) {
      const char* close = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
      if (!close) {
        problem(record_line, column, "a quoted field is never closed");
        p_ = end_;
        return false;
      }
      line_ += static_cast<std::size_t>(std::count(p_, close, '\n'));
      if (close + 1 < end_ && close[1] == '"') {   // "" stands for one quote
        scratch_.append(p_, close + 1);
        escaped = true;
        p_ = close + 2;
        continue;
      }
      if (escaped) {
        scratch_.append(p_, close);
        fields_.push_back({nullptr, scratch_begin, scratch_.size() - scratch_begin, true});
      } else {
        fields_.push_back({start, 0, static_cast<std::size_t>(close - start), false});
      }
      p_ = close + 1;
      break;
    }
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t')) ++p_;
    if (p_ < end_ && *p_ != ',' && *p_ != '\n' && *p_ != '\r') {
      problem(line_, column, "text after the closing quote of a quoted field");
      skip_line();
      return false;
    }
    return true;
  }

  void finish(std::size_t record_line) {
    views_.clear();
    for (const field& f : fields_) views_.emplace_back(f.escaped ? scratch_.data() + f.at : f.begin, f.size);
    if (std::all_of(views_.begin(), views_.end(), [](std::string_view f) { return is_blank(f); })) return;
    if (!header_read_) {
      sink_.header(views_);
      header_read_ = true;
      return;
    }
    if (views_.size() != sink_.width()) {
      problems_.add(fmt::format("{}:{}: row has {} fields, the header has {}", source_, record_line, views_.size(),
                                sink_.width()));
      return;
    }
    sink_.row(views_, record_line);
  }

  const char* p_;
  const char* end_;
  const std::string& source_;
  Sink& sink_;
  problem_list& problems_;
  std::size_t line_;
  bool header_read_;
  std::vector<field> fields_;
  std::string scratch_;
  std::vector<std::string_view> views_;
};

}  // namespace parkscore::detail
