#include "parkscore/io/csv.hpp"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "io/csv_detail.hpp"
#include "io/wide_reader.hpp"
#include "parkscore/error.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

using detail::cell_value;
using detail::column_label;
using detail::is_blank;
using detail::percent_tracker;
using detail::read_number;
using detail::trim;

namespace {

std::size_t line_at(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

struct iconv_closer {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

// Converts with iconv; returns the offset of the first byte that is not valid in
// `encoding` (npos on success).
std::size_t convert(std::string_view text, iconv_t cd, std::string& out) {
  out.resize(text.size() * 3 / 2 + 16);
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* dst = out.data() + done;
    std::size_t out_left = out.size() - done;
    const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    return static_cast<std::size_t>(in - text.data());   // EILSEQ or EINVAL (truncated)
  }
  out.resize(done);
  return std::string_view::npos;
}

std::unique_ptr<void, iconv_closer> open_converter(const std::string& encoding) {
  iconv_t cd = iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1))) return nullptr;
  return std::unique_ptr<void, iconv_closer>(cd);
}

// What to tell a user whose file is not UTF-8: GB18030 (a superset of GBK and
// GB2312) is what Chinese Excel writes, so test that first.
std::string encoding_hint(std::string_view text) {
  auto cd = open_converter("GB18030");
  std::string scratch;
  if (cd && convert(text, static_cast<iconv_t>(cd.get()), scratch) == std::string_view::npos)
    return "it reads as GB18030/GBK (as saved by Excel in Chinese): pass the encoding gb18030 "
           "(--encoding gb18030)";
  return "pass the file's encoding (e.g. --encoding gb18030, big5 or latin1) or save it as UTF-8";
}

// Collects the records into a csv_table.
struct table_sink {
  csv_table& table;
  void header(const std::vector<std::string_view>& fields) { table.header.assign(fields.begin(), fields.end()); }
  void row(const std::vector<std::string_view>& fields, std::size_t line) { table.add_row(fields, line); }
  std::size_t width() const { return table.header.size(); }
  void consumed(const char*) {}
};

// --- numbers -----------------------------------------------------------------

bool is_missing_marker(std::string_view s) {
  if (!s.empty() && s.front() >= '0' && s.front() <= '9') return false;   // the common case: a number
  static constexpr std::array<std::string_view, 14> markers = {
      "",  "NA", "N/A", "n/a", "na", "NaN", "nan", "-", "\xE2\x80\x94" /* — */, "\xE2\x80\x93" /* – */,
      "\xEF\xBC\x8D" /* － */, "/", "\xEF\xBC\x8F" /* ／ */, "#N/A"};
  return std::find(markers.begin(), markers.end(), s) != markers.end();
}

// Removes thousands separators; false if they are not in groups of three
// ("1,234.5" is fine, "1,23" or "12,34,567" are not: those are not numbers we can read safely).
bool strip_grouping(std::string_view s, std::string& out) {
  out.clear();
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) out += s[i++];
  const std::size_t int_end = std::min(s.find_first_of(".eE", i), s.size());
  std::size_t group = 0;
  bool first_group = true;
  for (; i < int_end; ++i) {
    if (s[i] == ',') {
      if (group == 0 || group > 3 || (!first_group && group != 3)) return false;
      first_group = false;
      group = 0;
      continue;
    }
    out += s[i];
    ++group;
  }
  if (!first_group && group != 3) return false;
  out.append(s.substr(int_end));
  return out.find(',') == std::string::npos;
}

}  // namespace

// --- shared with the wide readers (io/csv_detail.hpp) -----------------------------

namespace detail {

// Byte offset of the first invalid UTF-8 sequence, or npos. ASCII runs are
// skipped 32 or eight bytes at a time: data files are mostly digits and commas.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    if (i + 32 <= n) {
      std::uint64_t blocks[4];
      std::memcpy(blocks, s.data() + i, 32);
      if (((blocks[0] | blocks[1] | blocks[2] | blocks[3]) & 0x8080808080808080ULL) == 0) {
        i += 32;
        continue;
      }
    }
    if (i + 8 <= n) {
      std::uint64_t block;
      std::memcpy(&block, s.data() + i, 8);
      if ((block & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    // 0xC0, 0xC1 (overlong) and 0xF5.. (beyond U+10FFFF) never start a sequence.
    const std::size_t len = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >> 4) == 0xE ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    if (len == 0 || i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool is_utf8_name(const std::string& encoding) {
  std::string e;
  for (char ch : encoding)
    if (ch != '-' && ch != '_') e += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return e.empty() || e == "utf8";
}

std::string invalid_utf8_message(std::string_view text, std::size_t bad, const std::string& source) {
  return fmt::format("{}:{}: the file is not valid UTF-8 (byte 0x{:02X} at offset {}); {}", source, line_at(text, bad),
                     static_cast<unsigned char>(text[bad]), bad, encoding_hint(text));
}

std::optional<std::string> converted_to_utf8(std::string_view text, const std::string& source,
                                             const csv_options& options, problem_list& problems) {
  // Converting UTF-8 text as if it were GBK would give valid-looking garbage.
  const bool has_bom = text.substr(0, 3) == utf8_bom;
  const bool non_ascii = std::any_of(text.begin(), text.end(), [](char ch) { return (ch & 0x80) != 0; });
  if (has_bom || (non_ascii && invalid_utf8_at(text) == std::string_view::npos)) {
    problems.add(fmt::format("{}: the file is already UTF-8{}; do not pass the encoding '{}'", source,
                             has_bom ? " (it starts with a UTF-8 BOM)" : "", options.encoding));
    return std::nullopt;
  }
  try {
    return to_utf8(text, options.encoding, source);
  } catch (const data_error& e) {
    problems.add(e.what());
    return std::nullopt;
  }
}

void check_header(const std::vector<std::string>& header, const std::string& source, problem_list& problems) {
  std::map<std::string_view, std::size_t> seen;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (is_blank(header[c])) {
      problems.add(fmt::format("{}:1: column {} has an empty header", source, c + 1));
    } else if (auto [it, fresh] = seen.emplace(header[c], c); !fresh) {
      problems.add(fmt::format("{}:1: duplicate column '{}' (columns {} and {})", source, header[c],
                               it->second + 1, c + 1));
    }
  }
}

std::string_view trim(std::string_view s) {
  // Spaces, tabs, CR, no-break space (U+00A0) and ideographic space (U+3000).
  auto lead = [](std::string_view t) -> std::size_t {
    if (t.empty()) return 0;
    const char c = t.front();
    if (c == ' ' || c == '\t' || c == '\r') return 1;
    if (c == '\xC2' && t.substr(0, 2) == "\xC2\xA0") return 2;
    if (c == '\xE3' && t.substr(0, 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  auto trail = [](std::string_view t) -> std::size_t {
    if (t.empty()) return 0;
    const char c = t.back();
    if (c == ' ' || c == '\t' || c == '\r') return 1;
    if (c == '\xA0' && t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xA0") return 2;
    if (c == '\x80' && t.size() >= 3 && t.substr(t.size() - 3) == "\xE3\x80\x80") return 3;
    return 0;
  };
  while (const std::size_t k = lead(s)) s.remove_prefix(k);
  while (const std::size_t k = trail(s)) s.remove_suffix(k);
  return s;
}



// A cell as shown in a message: at most 60 bytes (a 10 MB cell is not echoed whole).
std::string shown(std::string_view cell) {
  constexpr std::size_t keep = 60;
  if (cell.size() <= keep) return std::string(cell);
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(cell[cut]) & 0xC0) == 0x80) --cut;   // not inside a UTF-8 character
  return fmt::format("{}… ({} bytes)", cell.substr(0, cut), cell.size());
}

std::optional<std::string> read_number_rules(std::string_view cell, const number_format& format, cell_value& out) {
  out = {};
  std::string_view s = trim(cell);
  if (is_missing_marker(s)) return std::nullopt;
  for (std::string_view sign : {std::string_view("%"), std::string_view("\xEF\xBC\x85") /* ％ */}) {
    if (s.size() > sign.size() && s.substr(s.size() - sign.size()) == sign) {
      if (format.percent == percent_rule::reject)
        return fmt::format("'{}' is a percentage, and percentages are rejected (percent rule 'reject')", shown(cell));
      out.percent = true;
      s = trim(s.substr(0, s.size() - sign.size()));
      break;
    }
  }
  std::string stripped;
  if (s.find(',') != std::string_view::npos) {
    if (!strip_grouping(s, stripped))
      return fmt::format("'{}' is not a number (thousands separators must separate groups of three digits)", shown(cell));
    s = stripped;
  }
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (!s.empty() && s.front() == '+') ++first;
  if (first != last && first != s.data() && *first == '-') return fmt::format("'{}' is not a number", shown(cell));
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range && ptr == last)
    return fmt::format("'{}' is outside the range of a double (magnitudes from about 2.2e-308 to 1.8e308, or 0)",
                       shown(cell));
  if (ec != std::errc() || ptr != last || first == last || !std::isfinite(value))
    return fmt::format("'{}' is not a number", shown(cell));
  if (out.percent && format.percent == percent_rule::fraction) value /= 100.0;
  out.value = value;
  return std::nullopt;
}

std::string column_label(const std::vector<std::string>& header, std::size_t c) {
  return fmt::format("column '{}' (column {})", header[c], c + 1);
}

}  // namespace detail

// --- problem list --------------------------------------------------------------

void problem_list::raise_if_any() const {
  if (messages_.empty()) return;
  if (messages_.size() == 1) throw data_error(messages_.front());
  constexpr std::size_t shown = 20;
  std::string text = fmt::format("{} problems:", messages_.size());
  for (std::size_t i = 0; i < std::min(shown, messages_.size()); ++i) text += "\n  " + messages_[i];
  if (messages_.size() > shown) text += fmt::format("\n  ... and {} more", messages_.size() - shown);
  throw data_error(text);
}

// --- tables --------------------------------------------------------------------

std::size_t csv_table::column(const std::string& name) const {
  if (const auto c = find_column(name)) return *c;
  throw data_error(fmt::format("{}: no column '{}' in the header", source, name));
}

void csv_table::add_row(const std::vector<std::string_view>& fields, std::size_t line) {
  if (lines_.empty()) width_ = fields.size();
  if (fields.size() != width_)
    throw std::invalid_argument(fmt::format("a CSV row of {} fields added to a table of {} columns", fields.size(), width_));
  const std::size_t start = text_.size();
  row_start_.push_back(start);
  for (std::string_view f : fields) {
    text_.append(f);
    if (text_.size() - start > std::numeric_limits<std::uint32_t>::max())
      throw data_error(fmt::format("{}:{}: a row longer than 4 GB", source, line));
    ends_.push_back(static_cast<std::uint32_t>(text_.size() - start));
  }
  lines_.push_back(line);
}

std::optional<std::size_t> csv_table::find_column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

std::string to_utf8(std::string_view text, const std::string& encoding, const std::string& source) {
  auto cd = open_converter(encoding);
  if (!cd)
    throw data_error(fmt::format("{}: unknown encoding '{}' (try utf-8, gb18030, gbk, big5 or latin1)", source, encoding));
  std::string out;
  if (const std::size_t bad = convert(text, static_cast<iconv_t>(cd.get()), out); bad != std::string_view::npos)
    throw data_error(fmt::format("{}:{}: byte 0x{:02X} (offset {}) is not valid {}", source, line_at(text, bad),
                                 static_cast<unsigned char>(text[bad]), bad, encoding));
  return out;
}

csv_table parse_csv(std::string_view text, const std::string& source, const csv_options& options,
                    problem_list& problems) {
  csv_table table;
  table.source = source;
  std::optional<std::string> converted;
  if (detail::is_utf8_name(options.encoding)) {
    if (text.substr(0, 3) == detail::utf8_bom) text.remove_prefix(3);
    if (const std::size_t bad = detail::invalid_utf8_at(text); bad != std::string_view::npos) {
      problems.add(detail::invalid_utf8_message(text, bad, source));
      return table;
    }
  } else {
    converted = detail::converted_to_utf8(text, source, options, problems);
    if (!converted) return table;
    text = *converted;
  }
  table_sink sink{table};
  detail::csv_parser<table_sink>(text, source, sink, problems).run();
  if (table.header.empty()) problems.add(fmt::format("{}: the file is empty (no header row)", source));
  detail::check_header(table.header, source, problems);
  return table;
}

csv_table parse_csv(std::string_view text, const std::string& source, const csv_options& options) {
  problem_list problems;
  csv_table table = parse_csv(text, source, options, problems);
  problems.raise_if_any();
  return table;
}

namespace detail {
std::string read_file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw data_error(fmt::format("{}: cannot open the file", file.string()));
  std::string text;
  in.seekg(0, std::ios::end);
  text.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0, std::ios::beg);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) throw data_error(fmt::format("{}: cannot read the file", file.string()));
  return text;
}
}  // namespace detail

csv_table read_csv(const std::filesystem::path& file, const csv_options& options, problem_list& problems) {
  return parse_csv(detail::read_file_text(file), file.string(), options, problems);
}

csv_table read_csv(const std::filesystem::path& file, const csv_options& options) {
  return parse_csv(detail::read_file_text(file), file.string(), options);
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += csv_escape(fields[i]);
  }
  return out + "\r\n";
}

double parse_cell(std::string_view cell, const std::string& where, const number_format& format) {
  cell_value v;
  if (auto problem = read_number(cell, format, v)) throw data_error(fmt::format("{}: {}", where, *problem));
  return v.value;
}

// --- wide layout ----------------------------------------------------------------

dataset read_wide(const csv_table& table, const wide_layout& layout, problem_list& problems) {
  detail::wide_builder builder(table.header, table.source, layout, problems, table.row_count());
  std::vector<std::string_view> fields(table.header.size());
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    for (std::size_t c = 0; c < fields.size(); ++c) fields[c] = table.cell(r, c);
    builder.add_row(fields, table.line(r));
  }
  return builder.finish();
}

dataset read_wide(const csv_table& table, const wide_layout& layout) {
  problem_list problems;
  dataset d = read_wide(table, layout, problems);
  problems.raise_if_any();
  return d;
}

// --- long layout ----------------------------------------------------------------

namespace {

struct year_data {
  std::vector<std::string> units, names, indicators;
  std::map<std::string, std::size_t> unit_index, indicator_index;
  std::vector<std::vector<std::string>> groups;    // per unit, per grouping column
  std::vector<std::size_t> unit_line;              // first line of each unit
  std::map<std::pair<std::size_t, std::size_t>, std::pair<double, std::size_t>> cells;   // -> value, line
};

}  // namespace

std::map<std::string, dataset> read_long(const csv_table& table, const long_layout& layout, problem_list& problems) {
  auto required = [&](const std::string& name, const char* role) -> std::optional<std::size_t> {
    const auto c = table.find_column(name);
    if (!c) problems.add(fmt::format("{}:1: no {} column '{}' in the header", table.source, role, name));
    return c;
  };
  const auto unit_col = required(layout.unit_column, "unit");
  const auto year_col = required(layout.year_column, "year");
  const auto ind_col = required(layout.indicator_column, "indicator");
  const auto value_col = required(layout.value_column, "value");
  std::vector<std::size_t> group_cols;
  for (const std::string& g : layout.group_columns)
    if (const auto c = required(g, "grouping")) group_cols.push_back(*c);
  if (!unit_col || !year_col || !ind_col || !value_col || group_cols.size() != layout.group_columns.size()) return {};
  const std::optional<std::size_t> name_col = table.find_column(layout.name_column);

  std::map<std::string, year_data> years;
  std::map<std::string, percent_tracker> percent;   // per indicator
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    const auto row = [&](std::size_t c) { return table.cell(r, c); };
    const std::size_t line = table.line(r);
    const std::string unit(trim(row(*unit_col)));
    const std::string year(trim(row(*year_col)));
    const std::string label(trim(row(*ind_col)));
    bool ok = true;
    for (auto [c, text] : {std::pair{*unit_col, &unit}, std::pair{*year_col, &year}, std::pair{*ind_col, &label}})
      if (text->empty()) {
        problems.add(fmt::format("{}:{}: {} is empty", table.source, line, column_label(table.header, c)));
        ok = false;
      }
    const auto renamed = layout.rename.find(label);
    const std::string indicator = renamed == layout.rename.end() ? label : renamed->second;
    const auto format = layout.formats.find(indicator);
    cell_value v;
    if (auto problem = read_number(row(*value_col), format == layout.formats.end() ? layout.numbers : format->second, v)) {
      problems.add(fmt::format("{}:{}: {}, unit '{}', indicator '{}', year {}: {}", table.source, line,
                               column_label(table.header, *value_col), unit, label, year, *problem));
      ok = false;
    }
    if (!ok) continue;
    percent[indicator].see(v, line, row(*value_col));

    year_data& y = years[year];
    auto [uit, new_unit] = y.unit_index.emplace(unit, y.units.size());
    std::vector<std::string> labels;
    for (std::size_t c : group_cols) labels.emplace_back(trim(row(c)));
    if (new_unit) {
      y.units.push_back(unit);
      y.names.push_back(name_col && !is_blank(row(*name_col)) ? std::string(row(*name_col)) : unit);
      y.groups.push_back(labels);
      y.unit_line.push_back(line);
      for (std::size_t g = 0; g < labels.size(); ++g)
        if (labels[g].empty())
          problems.add(fmt::format("{}:{}: {}, unit '{}': the grouping label is empty", table.source, line,
                                   column_label(table.header, group_cols[g]), unit));
    } else {
      for (std::size_t g = 0; g < labels.size(); ++g)
        if (labels[g] != y.groups[uit->second][g])
          problems.add(fmt::format("{}:{}: {}, unit '{}', year {}: '{}' differs from '{}' on line {}", table.source,
                                   line, column_label(table.header, group_cols[g]), unit, year, labels[g],
                                   y.groups[uit->second][g], y.unit_line[uit->second]));
    }
    auto [iit, new_indicator] = y.indicator_index.emplace(indicator, y.indicators.size());
    if (new_indicator) y.indicators.push_back(indicator);
    if (auto [cit, fresh] = y.cells.emplace(std::pair{uit->second, iit->second}, std::pair{v.value, line}); !fresh)
      problems.add(fmt::format("{}:{}: a second value for unit '{}', indicator '{}', year {} (first on line {})",
                               table.source, line, unit, indicator, year, cit->second.second));
  }
  for (const auto& [indicator, tracker] : percent)
    tracker.report(fmt::format("{}: {}, indicator '{}'", table.source, column_label(table.header, *value_col), indicator),
                   problems);

  std::map<std::string, dataset> out;
  for (auto& [year, y] : years) {
    Eigen::MatrixXd values = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(y.units.size()),
                                                       static_cast<Eigen::Index>(y.indicators.size()), nan);
    for (const auto& [key, cell] : y.cells)
      values(static_cast<Eigen::Index>(key.first), static_cast<Eigen::Index>(key.second)) = cell.first;
    dataset d(y.units, y.indicators, std::move(values));
    d.set_unit_names(y.names);
    for (std::size_t g = 0; g < layout.group_columns.size(); ++g) {
      std::vector<std::string> labels;
      for (const auto& unit_labels : y.groups) labels.push_back(unit_labels[g].empty() ? "?" : unit_labels[g]);
      d.set_group(layout.group_columns[g], std::move(labels));
    }
    d.period = year;
    d.source = table.source;
    out.emplace(year, std::move(d));
  }
  return out;
}

std::map<std::string, dataset> read_long(const csv_table& table, const long_layout& layout) {
  problem_list problems;
  auto out = read_long(table, layout, problems);
  problems.raise_if_any();
  return out;
}

// --- column mapping ---------------------------------------------------------------

std::map<std::string, std::string> read_column_mapping(const std::filesystem::path& file) {
  const std::string source = file.string();
  std::map<std::string, std::string> mapping;
  if (file.extension() == ".json") {
    const std::string text = detail::read_file_text(file);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw data_error(fmt::format("{}: not valid JSON (byte {}): {}", source, e.byte, e.what()));
    }
    if (!j.is_object())
      throw data_error(fmt::format("{}: /: expected an object {{\"column header\": \"indicator id\"}}", source));
    for (const auto& item : j.items()) {
      if (!item.value().is_string() || item.value().get<std::string>().empty())
        throw data_error(fmt::format("{}: /{}: expected a non-empty indicator id (a string)", source, item.key()));
      mapping[item.key()] = item.value().get<std::string>();
    }
    return mapping;
  }
  const csv_table table = read_csv(file);
  if (table.header.size() < 2)
    throw data_error(fmt::format("{}:1: a mapping file needs two columns: column header, indicator id", source));
  std::map<std::string, std::size_t> line_of;
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    const std::string header(trim(table.cell(r, 0)));
    const std::string id(trim(table.cell(r, 1)));
    if (header.empty() || id.empty())
      throw data_error(fmt::format("{}:{}: both the column header and the indicator id are needed", source,
                                   table.line(r)));
    if (auto [it, fresh] = line_of.emplace(header, table.line(r)); !fresh)
      throw data_error(fmt::format("{}:{}: column header '{}' is mapped twice (first on line {})", source,
                                   table.line(r), header, it->second));
    mapping[header] = id;
  }
  return mapping;
}

}  // namespace parkscore
