#include "parkscore/io/clean_text.hpp"

#include <fmt/format.h>

#include <map>
#include <unordered_map>

namespace parkscore {

namespace {

// Length of the white space or BOM at the front / back of `s` (0 if none).
std::size_t blank_prefix(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.front();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  for (std::string_view mark : {std::string_view("\xC2\xA0"), std::string_view("\xE3\x80\x80"),
                                std::string_view("\xEF\xBB\xBF")})
    if (s.substr(0, mark.size()) == mark) return mark.size();
  return 0;
}

std::size_t blank_suffix(std::string_view s) {
  if (s.empty()) return 0;
  const char c = s.back();
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return 1;
  for (std::string_view mark : {std::string_view("\xC2\xA0"), std::string_view("\xE3\x80\x80"),
                                std::string_view("\xEF\xBB\xBF")})
    if (s.size() >= mark.size() && s.substr(s.size() - mark.size()) == mark) return mark.size();
  return 0;
}

// Full-width forms U+FF01..U+FF5E are EF BC 81..EF BC BF and EF BD 80..EF BD 9E in UTF-8.
std::string half_width(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0xEF && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      unsigned code = 0;
      if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) code = 0xFF00u + (b2 - 0x80u);
      if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) code = 0xFF40u + (b2 - 0x80u);
      if (code) {
        out += static_cast<char>(code - 0xFF00u + 0x20u);
        i += 2;
        continue;
      }
    }
    if (b0 == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") {
      out += ' ';
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

}  // namespace

bool needs_cleaning(std::string_view cell) {
  if (cell.empty()) return false;
  const auto edge = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || (c & 0x80) != 0; };
  if (edge(cell.front()) || edge(cell.back())) return true;
  // Full-width forms and BOMs start with 0xEF, the ideographic space with 0xE3 0x80 0x80.
  return cell.find('\xEF') != std::string_view::npos || cell.find("\xE3\x80\x80") != std::string_view::npos;
}

std::string clean_text(std::string_view cell) {
  while (const std::size_t k = blank_prefix(cell)) cell.remove_prefix(k);
  while (const std::size_t k = blank_suffix(cell)) cell.remove_suffix(k);
  return std::string(cell);
}

std::string clean_id(std::string_view id) { return clean_text(half_width(clean_text(id))); }

std::string match_key(std::string_view text) {
  std::string out;
  for (char ch : clean_id(text)) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    out += (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : ch;
  }
  // Inner no-break spaces and BOMs, which clean_id keeps.
  for (std::string_view mark : {std::string_view("\xC2\xA0"), std::string_view("\xEF\xBB\xBF")})
    for (std::size_t at = out.find(mark); at != std::string::npos; at = out.find(mark)) out.erase(at, mark.size());
  return out;
}

void cleaning_note::see(std::string_view raw, std::string_view cleaned, std::size_t line, std::string_view column) {
  if (raw == cleaned) return;
  if (cells++ == 0) first = fmt::format("line {}, column '{}': '{}' -> '{}'", line, column, raw, cleaned);
}

std::string cleaning_note::message(const std::string& source) const {
  if (cells == 0) return {};
  return fmt::format("{}: {} text cell{} had white space, a byte-order mark or full-width characters, removed or "
                     "normalised (first: {})",
                     source, cells, cells == 1 ? "" : "s", first);
}

void check_ids(const csv_table& table, std::size_t id_column, problem_list& problems,
               std::vector<std::string>& warnings) {
  struct seen { std::size_t line; std::string_view raw; };
  std::unordered_map<std::string, seen> by_clean;
  std::map<std::string, seen> by_folded;
  const std::string& column = table.header[id_column];
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    const std::string_view raw = table.cell(r, id_column);
    const std::string id = needs_cleaning(raw) ? clean_id(raw) : std::string(raw);
    if (id.empty()) continue;   // the readers report empty ids
    const auto [it, fresh] = by_clean.emplace(id, seen{table.line(r), raw});
    if (!fresh) {
      if (it->second.raw != raw)
        problems.add(fmt::format("{}:{}: column '{}': unit id '{}' is the same as '{}' on line {} once white space, "
                                 "byte-order marks and full-width characters are cleaned: write the id the same way",
                                 table.source, table.line(r), column, raw, it->second.raw, it->second.line));
      continue;
    }
    std::string folded = match_key(id);
    const auto [fit, ffresh] = by_folded.emplace(std::move(folded), seen{table.line(r), raw});
    if (!ffresh)
      warnings.push_back(fmt::format("{}:{}: column '{}': unit id '{}' differs from '{}' on line {} only in upper and "
                                     "lower case; they are read as two units",
                                     table.source, table.line(r), column, raw, fit->second.raw, fit->second.line));
  }
}

}  // namespace parkscore
