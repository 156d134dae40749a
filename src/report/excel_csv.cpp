#include "parkscore/report/excel.hpp"

#include <fmt/format.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <map>

#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

namespace parkscore {

namespace {

std::string from_utf8(const std::string& text, const std::string& encoding) {
  iconv_t cd = iconv_open(encoding.c_str(), "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw error(fmt::format("unknown encoding '{}'", encoding));
  std::string out(text.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(text.data());
  std::size_t in_left = text.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  const std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) {
    const auto at = static_cast<std::size_t>(in - text.data());
    const auto line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
    throw error(fmt::format("line {} of the CSV cannot be written in {}: '{}'", line, encoding,
                            text.substr(at, std::min<std::size_t>(12, text.size() - at))));
  }
  out.resize(out.size() - out_left);
  return out;
}

std::string cell(double x, int decimals) { return std::isnan(x) ? "" : fmt::format("{:.{}f}", x, decimals); }

}  // namespace

std::string excel_csv(const result& r, const std::vector<rank_change>& changes, const excel_csv_options& o) {
  const framework& fw = r.model;
  const pool_result& pool = r.pool(o.grouping);
  const bool zh = o.chinese_headers;
  std::vector<int> shown;
  std::vector<std::pair<int, int>> stack = {{0, 0}};
  while (!stack.empty()) {
    const auto [k, d] = stack.back();
    stack.pop_back();
    if (d > o.levels) continue;
    shown.push_back(k);
    const auto& c = fw.at(k).children;
    for (auto it = c.rbegin(); it != c.rend(); ++it) stack.emplace_back(*it, d + 1);
  }
  std::map<std::string, const rank_change*> change;
  for (const rank_change& c : changes) change[c.unit] = &c;

  std::vector<std::string> header = {zh ? "组别" : "pool", zh ? "排名" : "rank", zh ? "代码" : "id", zh ? "名称" : "name"};
  for (int k : shown) header.push_back(zh && !fw.at(k).name.empty() ? fw.at(k).name : fw.at(k).id);
  if (!changes.empty()) header.push_back(zh ? "较上年排名变化" : "change");
  header.push_back(zh ? "备注" : "note");
  std::string text = csv_line(header);

  std::vector<std::size_t> order(r.unit_ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<std::string> labels;
  for (const std::string& l : pool.labels)
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto la = std::find(labels.begin(), labels.end(), pool.labels[a]) - labels.begin();
    const auto lb = std::find(labels.begin(), labels.end(), pool.labels[b]) - labels.begin();
    if (la != lb) return la < lb;
    const double ra = pool.index_rank(static_cast<Eigen::Index>(a)), rb = pool.index_rank(static_cast<Eigen::Index>(b));
    if (std::isnan(ra) || std::isnan(rb)) return !std::isnan(ra) && std::isnan(rb);
    return ra < rb;
  });
  for (std::size_t u : order) {
    const auto row = static_cast<Eigen::Index>(u);
    std::vector<std::string> cells = {pool.labels[u], cell(pool.index_rank(row), 0), r.unit_ids[u], r.unit_names[u]};
    for (int k : shown) cells.push_back(cell(pool.scores(row, k), o.decimals));
    if (!changes.empty()) {
      const auto it = change.find(r.unit_ids[u]);
      cells.push_back(it == change.end() || std::isnan(it->second->change) ? "" : fmt::format("{:g}", it->second->change));
    }
    const auto ex = r.excluded.find(r.unit_ids[u]);
    cells.push_back(ex == r.excluded.end() ? "" : ex->second);
    text += csv_line(cells);
  }
  std::string enc = o.encoding;
  std::transform(enc.begin(), enc.end(), enc.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (enc.empty() || enc == "utf-8" || enc == "utf8") return "\xEF\xBB\xBF" + text;
  return from_utf8(text, o.encoding);
}

}  // namespace parkscore
