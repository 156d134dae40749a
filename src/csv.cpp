#include "parkscore/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "parkscore/error.hpp"

namespace parkscore {

namespace {

// Returns the byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::size_t csv_table::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw data_error(fmt::format("{}: no column '{}' in the header", source, name));
}

csv_table parse_csv(std::string_view text, const std::string& source) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const std::size_t bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
    throw data_error(fmt::format("{}:{}: the file is not valid UTF-8 (byte 0x{:02X}); if it was saved by Excel "
                                 "in Chinese, convert it from GB18030/GBK first",
                                 source, line, static_cast<unsigned char>(text[bad])));
  }
  csv_table table;
  table.source = source;
  std::vector<std::string> record;
  std::string field;
  std::size_t line = 1, record_line = 1;
  bool quoted = false, field_started = false, any_field = false;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    const bool blank = record.size() == 1 && record[0].empty();
    if (!blank) {
      if (table.header.empty() && table.rows.empty() && !any_field) {
        table.header = std::move(record);
        any_field = true;
      } else {
        if (record.size() != table.header.size())
          throw data_error(fmt::format("{}:{}: row has {} fields, the header has {}", source, record_line,
                                       record.size(), table.header.size()));
        table.rows.push_back(std::move(record));
        table.lines.push_back(record_line);
      }
    }
    record.clear();
    record_line = line;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    switch (ch) {
      case '"':
        if (field_started && !trim(field).empty())
          throw data_error(fmt::format("{}:{}: a quote inside an unquoted field (column {})", source, line,
                                       record.size() + 1));
        field.clear();
        quoted = true;
        field_started = true;
        break;
      case ',':
        end_field();
        break;
      case '\r':
        break;
      case '\n':
        ++line;
        end_record();
        break;
      default:
        field += ch;
        field_started = true;
    }
  }
  if (quoted) throw data_error(fmt::format("{}:{}: a quoted field is never closed", source, record_line));
  if (!field.empty() || !record.empty()) end_record();
  if (table.header.empty()) throw data_error(fmt::format("{}: the file is empty (no header row)", source));
  std::set<std::string> seen;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (table.header[c].empty()) throw data_error(fmt::format("{}:1: column {} has an empty header", source, c + 1));
    if (!seen.insert(table.header[c]).second)
      throw data_error(fmt::format("{}:1: duplicate column '{}' (column {})", source, table.header[c], c + 1));
  }
  return table;
}

csv_table read_csv(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw data_error(fmt::format("{}: cannot open the file", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), file.string());
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

double parse_cell(std::string_view cell, const std::string& where) {
  const std::string_view s = trim(cell);
  static const std::set<std::string_view> missing = {"", "NA", "N/A", "n/a", "na", "-", "\xE2\x80\x94", "/", "NaN", "nan"};
  if (missing.count(s)) return std::numeric_limits<double>::quiet_NaN();
  double value = 0.0;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (!s.empty() && s.front() == '+') ++first;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || !std::isfinite(value))
    throw data_error(fmt::format("{}: '{}' is not a number", where, std::string(cell)));
  return value;
}

dataset read_wide(const csv_table& table, const wide_layout& layout) {
  const std::size_t id_col = table.column(layout.id_column);
  std::optional<std::size_t> name_col;
  for (std::size_t c = 0; c < table.header.size(); ++c)
    if (table.header[c] == layout.name_column) name_col = c;
  std::vector<std::size_t> group_cols;
  for (const std::string& g : layout.group_columns) group_cols.push_back(table.column(g));

  std::vector<std::size_t> value_cols;
  std::vector<std::string> indicator_ids;
  auto indicator_id = [&](const std::string& header) {
    auto it = layout.rename.find(header);
    return it == layout.rename.end() ? header : it->second;
  };
  if (layout.indicators.empty()) {
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (c == id_col || (name_col && c == *name_col) ||
          std::find(group_cols.begin(), group_cols.end(), c) != group_cols.end())
        continue;
      value_cols.push_back(c);
      indicator_ids.push_back(indicator_id(table.header[c]));
    }
  } else {
    for (std::size_t c = 0; c < table.header.size(); ++c)
      if (std::find(layout.indicators.begin(), layout.indicators.end(), indicator_id(table.header[c])) !=
          layout.indicators.end()) {
        value_cols.push_back(c);
        indicator_ids.push_back(indicator_id(table.header[c]));
      }
    for (const std::string& id : layout.indicators)
      if (std::find(indicator_ids.begin(), indicator_ids.end(), id) == indicator_ids.end())
        throw data_error(fmt::format("{}: no column for indicator '{}'", table.source, id));
  }

  const auto n = static_cast<Eigen::Index>(table.rows.size());
  Eigen::MatrixXd values(n, static_cast<Eigen::Index>(value_cols.size()));
  std::vector<std::string> ids, names;
  std::vector<std::vector<std::string>> groups(group_cols.size());
  std::map<std::string, std::size_t> first_line;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string& id = row[id_col];
    if (id.empty())
      throw data_error(fmt::format("{}:{}: column '{}' is empty", table.source, table.lines[r], layout.id_column));
    if (auto [it, fresh] = first_line.emplace(id, table.lines[r]); !fresh)
      throw data_error(fmt::format("{}:{}: duplicate unit id '{}' (first on line {})", table.source, table.lines[r], id,
                                   it->second));
    ids.push_back(id);
    names.push_back(name_col ? row[*name_col] : id);
    for (std::size_t g = 0; g < group_cols.size(); ++g) {
      if (row[group_cols[g]].empty())
        throw data_error(fmt::format("{}:{}: unit '{}' has no value in grouping column '{}'", table.source,
                                     table.lines[r], id, layout.group_columns[g]));
      groups[g].push_back(row[group_cols[g]]);
    }
    for (std::size_t j = 0; j < value_cols.size(); ++j)
      values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = parse_cell(
          row[value_cols[j]], fmt::format("{}:{}: column '{}' (column {}), unit '{}'", table.source, table.lines[r],
                                          table.header[value_cols[j]], value_cols[j] + 1, id));
  }
  dataset d(std::move(ids), std::move(indicator_ids), std::move(values));
  d.set_unit_names(std::move(names));
  for (std::size_t g = 0; g < group_cols.size(); ++g) d.set_group(layout.group_columns[g], std::move(groups[g]));
  d.source = table.source;
  return d;
}

}  // namespace parkscore
