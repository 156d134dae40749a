#include "parkscore/report/report.hpp"

#include "report/node_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "parkscore/io/csv.hpp"
#include "parkscore/error.hpp"
#include "report/report_json.hpp"
#include "parkscore/methods/stats.hpp"

namespace parkscore {

using detail::depth_first;
using detail::display_name;

namespace {

struct codepoint_range {
  char32_t first, last;
};

// East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt, coarsened to blocks.
constexpr codepoint_range wide_ranges[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x25FD, 0x25FE},
    {0x2614, 0x2615},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// Combining marks and zero-width characters.
constexpr codepoint_range zero_ranges[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D}, {0x3099, 0x309A}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

template <std::size_t N>
bool in_ranges(char32_t c, const codepoint_range (&ranges)[N]) {
  return std::any_of(std::begin(ranges), std::end(ranges), [c](const codepoint_range& r) { return c >= r.first && c <= r.last; });
}

std::string format_number(double x, int decimals) { return std::isnan(x) ? "-" : fmt::format("{:.{}f}", x, decimals); }
std::string format_rank(double rank) { return std::isnan(rank) ? "-" : fmt::format("{:g}", rank); }
std::string csv_number(double x) { return std::isnan(x) ? "" : fmt::format("{}", x); }

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += "\\|";
    else if (ch == '\n' || ch == '\r') out += ' ';
    else out += ch;
  }
  return out;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  const std::size_t w = display_width(s);
  const std::string fill(width > w ? width - w : 0, ' ');
  return right ? fill + s : s + fill;
}




}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : static_cast<char32_t>(c & (0x7F >> len));
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += len;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || in_ranges(cp, zero_ranges)) continue;
    width += in_ranges(cp, wide_ranges) ? 2 : 1;
  }
  return width;
}

namespace detail {

std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& numeric, report_format format) {
  std::string out;
  switch (format) {
    case report_format::csv:
      out += csv_line(header);
      for (const auto& row : rows) out += csv_line(row);
      return out;
    case report_format::markdown: {
      auto line = [&](const std::vector<std::string>& cells) {
        out += "|";
        for (const auto& c : cells) out += " " + markdown_cell(c) + " |";
        out += "\n";
      };
      line(header);
      out += "|";
      for (std::size_t c = 0; c < header.size(); ++c) out += numeric[c] ? "---:|" : "---|";
      out += "\n";
      for (const auto& row : rows) line(row);
      return out;
    }
    case report_format::table: {
      std::vector<std::size_t> width(header.size());
      for (std::size_t c = 0; c < header.size(); ++c) {
        width[c] = display_width(header[c]);
        for (const auto& row : rows) width[c] = std::max(width[c], display_width(row[c]));
      }
      auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) text += (c ? "  " : "") + pad(cells[c], width[c], numeric[c]);
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out += text + "\n";
      };
      line(header);
      std::vector<std::string> rule;
      for (std::size_t w : width) rule.emplace_back(w, '-');
      line(rule);
      for (const auto& row : rows) line(row);
      return out;
    }
    case report_format::json:
      break;
  }
  throw error("render_table: JSON is written by the caller");
}

}  // namespace detail

// --- ranking report ---------------------------------------------------------------

report make_report(const result& r, const report_options& options) {
  const pool_result& pool = r.pool(options.grouping);
  if (options.levels < 0) throw error(fmt::format("levels must be >= 0, got {}", options.levels));
  report rep;
  rep.title = r.model->name.empty() ? r.model->id : r.model->name;
  rep.period = r.period;
  rep.grouping = options.grouping;
  rep.decimals = options.decimals;
  for (const auto& [node, depth] : depth_first(r.model))
    if (depth <= options.levels)
      rep.columns.push_back({r.model->at(node).id, display_name(r.model->at(node)), node, depth});

  // Each shown node's ranks, taken once per column.
  std::vector<Eigen::VectorXd> column_ranks;
  for (const report_column& c : rep.columns) column_ranks.push_back(r.ranks_of(pool, c.node));

  std::vector<std::string> labels;
  for (const std::string& l : pool.labels)
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  for (const std::string& label : labels) {
    std::vector<std::size_t> members = pool.members_of(label);
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      const double ra = pool.index_rank(static_cast<Eigen::Index>(a)), rb = pool.index_rank(static_cast<Eigen::Index>(b));
      if (std::isnan(ra) || std::isnan(rb)) return !std::isnan(ra) && std::isnan(rb);
      return ra < rb;
    });
    for (std::size_t u : members) {
      const auto row = static_cast<Eigen::Index>(u);
      const double rank = pool.index_rank(row);
      if (options.top > 0 && (std::isnan(rank) || rank > static_cast<double>(options.top))) continue;
      report_row out{label, rank, r.unit_ids[u], r.unit_names[u], {}, {}, {}, {}};
      for (std::size_t c = 0; c < rep.columns.size(); ++c) {
        out.scores.push_back(pool.scores(row, rep.columns[c].node));
        out.ranks.push_back(column_ranks[c][row]);
      }
      if (auto it = r.excluded.find(r.unit_ids[u]); it != r.excluded.end()) out.excluded = it->second;
      rep.rows.push_back(std::move(out));
    }
  }
  for (const note& n : r.warnings())
    rep.warnings.push_back(fmt::format("{}{}{}", n.unit.empty() ? "" : "unit " + n.unit + ": ",
                                       n.node.empty() ? "" : n.node + " (" + n.pool + "): ", n.message));
  return rep;
}

namespace {
// A row built by hand may carry no node ranks.
double rank_at(const report_row& row, std::size_t column) {
  return column < row.ranks.size() ? row.ranks[column] : std::numeric_limits<double>::quiet_NaN();
}
}  // namespace

std::string format_report(const report& rep, report_format format) {
  const bool any_excluded =
      std::any_of(rep.rows.begin(), rep.rows.end(), [](const report_row& row) { return !row.excluded.empty(); });
  const bool any_change =
      std::any_of(rep.rows.begin(), rep.rows.end(), [](const report_row& row) { return !row.change.empty(); });
  if (format == report_format::json) {
    nlohmann::ordered_json j;
    j["title"] = rep.title;
    j["period"] = rep.period;
    j["pooling"] = rep.grouping.empty() ? "all" : rep.grouping;
    j["columns"] = nlohmann::ordered_json::array();
    for (const report_column& c : rep.columns) j["columns"].push_back({{"id", c.id}, {"name", c.name}, {"depth", c.depth}});
    j["rows"] = nlohmann::ordered_json::array();
    for (const report_row& row : rep.rows) {
      nlohmann::ordered_json scores = nlohmann::ordered_json::object();
      for (std::size_t c = 0; c < rep.columns.size(); ++c) scores[rep.columns[c].id] = detail::json_number(row.scores[c]);
      nlohmann::ordered_json ranks = nlohmann::ordered_json::object();
      for (std::size_t c = 0; c < rep.columns.size(); ++c) ranks[rep.columns[c].id] = detail::json_number(rank_at(row, c));
      nlohmann::ordered_json out = {{"pool", row.pool},        {"rank", detail::json_number(row.rank)},
                                    {"id", row.unit_id},       {"name", row.unit_name},
                                    {"scores", std::move(scores)}, {"ranks", std::move(ranks)}};
      if (!row.excluded.empty()) out["excluded"] = row.excluded;
      if (!row.change.empty()) out["change"] = row.change;
      j["rows"].push_back(std::move(out));
    }
    j["warnings"] = rep.warnings;
    return j.dump(2) + "\n";
  }

  const bool machine = format == report_format::csv;
  const bool show_pool = machine || !rep.grouping.empty();
  std::vector<std::string> header;
  std::vector<bool> numeric;
  auto add = [&](std::string h, bool is_number) {
    header.push_back(std::move(h));
    numeric.push_back(is_number);
  };
  if (show_pool) add(machine ? "pool" : "Pool", false);
  add(machine ? "rank" : "Rank", true);
  add(machine ? "id" : "ID", false);
  add(machine ? "name" : "Name", false);
  // CSV: each node's score, and its rank below the index (the index's rank is the rank column).
  for (const report_column& c : rep.columns) {
    add(machine ? c.id : c.name, true);
    if (machine && c.depth > 0) add(c.id + "_rank", true);
  }
  if (any_change) add(machine ? "change" : "Change", true);
  if (any_excluded) add(machine ? "excluded" : "Excluded", false);

  std::vector<std::vector<std::string>> rows;
  for (const report_row& row : rep.rows) {
    std::vector<std::string> cells;
    if (show_pool) cells.push_back(row.pool);
    cells.push_back(machine ? csv_number(row.rank) : format_rank(row.rank));
    cells.push_back(row.unit_id);
    cells.push_back(row.unit_name);
    for (std::size_t c = 0; c < row.scores.size(); ++c) {
      cells.push_back(machine ? csv_number(row.scores[c]) : format_number(row.scores[c], rep.decimals));
      if (machine && rep.columns[c].depth > 0) cells.push_back(csv_number(rank_at(row, c)));
    }
    if (any_change) cells.push_back(row.change);
    if (any_excluded) cells.push_back(row.excluded);
    rows.push_back(std::move(cells));
  }
  std::string out;
  const std::string title = rep.title + (rep.period.empty() ? "" : " — " + rep.period) +
                            (rep.grouping.empty() ? "" : " — pooled by " + rep.grouping);
  if (format == report_format::table) out = title + "\n\n";
  if (format == report_format::markdown) out = "**" + markdown_cell(title) + "**\n\n";
  return out + detail::render_table(header, rows, numeric, format);
}

// --- explanation ------------------------------------------------------------------

unit_explanation explain_unit(const result& r, const std::string& unit_id, const std::string& grouping,
                              std::size_t count) {
  const std::size_t u = r.unit_index(unit_id);
  const pool_result& pool = r.pool(grouping);
  const auto row = static_cast<Eigen::Index>(u);
  unit_explanation e;
  e.unit_id = unit_id;
  e.unit_name = r.unit_names[u];
  e.grouping = grouping;
  e.pool = pool.labels[u];
  if (auto it = r.excluded.find(unit_id); it != r.excluded.end()) e.excluded = it->second;
  std::vector<std::size_t> members;   // the pool's ranked units: they define its statistics
  for (std::size_t m : pool.members_of(e.pool))
    if (!r.excluded.count(r.unit_ids[m])) members.push_back(m);
  e.pool_size = members.size();

  for (const auto& [node, depth] : depth_first(r.model))
    e.nodes.push_back({r.model->at(node).id, display_name(r.model->at(node)), depth, pool.scores(row, node),
                       r.ranks_of(pool, node)[row]});

  std::vector<indicator_standing> standings;
  for (std::size_t j = 0; j < r.model->indicators().size(); ++j) {
    const node& ind = r.model->at(r.model->indicators()[j]);
    const auto col = static_cast<Eigen::Index>(j);
    const double x = pool.normalised(row, col);
    if (std::isnan(x)) {
      e.missing.push_back(ind.id);
      continue;
    }
    std::vector<double> values;
    std::size_t better = 0;
    for (std::size_t m : members) {
      const double v = pool.normalised(static_cast<Eigen::Index>(m), col);
      if (std::isnan(v)) continue;
      values.push_back(v);
      if (v > x) ++better;
    }
    indicator_standing s;
    s.id = ind.id;
    s.name = display_name(ind);
    s.normalised = x;
    s.pool_median = nan_median(as_vector(values));
    s.difference = x - s.pool_median;
    s.rank = static_cast<double>(better + 1);
    s.pool_size = values.size();
    standings.push_back(std::move(s));
  }
  std::stable_sort(standings.begin(), standings.end(),
                   [](const indicator_standing& a, const indicator_standing& b) { return a.difference > b.difference; });
  const std::size_t strong = std::min(count, standings.size());
  const std::size_t weak = std::min(count, standings.size() - strong);
  e.strongest.assign(standings.begin(), standings.begin() + static_cast<std::ptrdiff_t>(strong));
  e.weakest.assign(standings.rbegin(), standings.rbegin() + static_cast<std::ptrdiff_t>(weak));
  return e;
}

std::string format_explanation(const unit_explanation& e, report_format format) {
  const std::string pool_text = e.grouping.empty() ? std::string("all units") : e.grouping + "=" + e.pool;
  if (format == report_format::json) {
    nlohmann::ordered_json j;
    j["id"] = e.unit_id;
    j["name"] = e.unit_name;
    j["pooling"] = e.grouping.empty() ? "all" : e.grouping;
    j["pool"] = e.pool;
    j["pool_size"] = e.pool_size;
    if (!e.excluded.empty()) j["excluded"] = e.excluded;
    j["nodes"] = nlohmann::ordered_json::array();
    for (const explanation_line& l : e.nodes)
      j["nodes"].push_back({{"id", l.id}, {"name", l.name}, {"depth", l.depth}, {"score", detail::json_number(l.score)},
                            {"rank", detail::json_number(l.rank)}});
    auto standings = [](const std::vector<indicator_standing>& v) {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const indicator_standing& s : v)
        a.push_back({{"id", s.id}, {"name", s.name}, {"normalised", s.normalised}, {"pool_median", s.pool_median},
                     {"difference", s.difference}, {"rank", s.rank}, {"pool_size", s.pool_size}});
      return a;
    };
    j["strongest"] = standings(e.strongest);
    j["weakest"] = standings(e.weakest);
    j["missing"] = e.missing;
    return j.dump(2) + "\n";
  }
  const bool machine = format == report_format::csv;
  const std::string indent_unit = format == report_format::markdown ? "\u00A0\u00A0" : "  ";
  std::vector<std::vector<std::string>> node_rows;
  for (const explanation_line& l : e.nodes) {
    std::string indent;
    for (int d = 0; d < l.depth && !machine; ++d) indent += indent_unit;
    const std::string rank = std::isnan(l.rank) ? "-" : fmt::format("{:g}/{}", l.rank, e.pool_size);
    node_rows.push_back({l.id, indent + l.name, machine ? csv_number(l.score) : format_number(l.score, 2),
                         machine ? csv_number(l.rank) : rank});
  }
  auto standing_rows = [&](const std::vector<indicator_standing>& v, const std::string& section) {
    std::vector<std::vector<std::string>> rows;
    for (const indicator_standing& s : v) {
      std::vector<std::string> cells;
      if (machine) cells.push_back(section);
      cells.insert(cells.end(), {s.id, s.name, machine ? csv_number(s.normalised) : format_number(s.normalised, 2),
                                 machine ? csv_number(s.pool_median) : format_number(s.pool_median, 2),
                                 machine ? csv_number(s.difference) : fmt::format("{:+.2f}", s.difference),
                                 machine ? csv_number(s.rank) : fmt::format("{:g}/{}", s.rank, s.pool_size)});
      rows.push_back(std::move(cells));
    }
    return rows;
  };
  if (machine) {
    // One CSV table: the indicator standings, strongest then weakest.
    auto rows = standing_rows(e.strongest, "strongest");
    auto weak = standing_rows(e.weakest, "weakest");
    rows.insert(rows.end(), weak.begin(), weak.end());
    for (const std::string& m : e.missing) rows.push_back({"missing", m, "", "", "", "", ""});
    return detail::render_table({"section", "id", "name", "normalised", "pool_median", "difference", "rank"}, rows,
                                {false, false, false, true, true, true, true}, format) +
           "\r\n" +
           detail::render_table({"id", "name", "score", "rank"}, node_rows, {false, false, true, true}, format);
  }
  const bool md = format == report_format::markdown;
  auto heading = [&](const std::string& text) { return md ? "**" + markdown_cell(text) + "**\n\n" : text + "\n"; };
  std::string out = heading(fmt::format("{} {} — {} ({} ranked units){}", e.unit_id, e.unit_name, pool_text,
                                        e.pool_size, e.excluded.empty() ? "" : "; not ranked: " + e.excluded));
  out += md ? "" : "\n";
  out += detail::render_table({"ID", "Node", "Score", "Rank"}, node_rows, {false, false, true, true}, format);
  const std::vector<std::string> header = {"ID", "Indicator", "Normalised", "Pool median", "Difference", "Rank"};
  const std::vector<bool> numeric = {false, false, true, true, true, true};
  out += "\n" + heading("Strongest indicators (normalised value minus the pool median)");
  out += (md ? "" : "\n") + detail::render_table(header, standing_rows(e.strongest, ""), numeric, format);
  out += "\n" + heading("Weakest indicators");
  out += (md ? "" : "\n") + detail::render_table(header, standing_rows(e.weakest, ""), numeric, format);
  if (!e.missing.empty()) out += fmt::format("\nMissing values: {}\n", fmt::join(e.missing, ", "));
  return out;
}

}  // namespace parkscore
