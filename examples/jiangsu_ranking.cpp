// The Jiangsu main job: scores every data year found in DATA_DIR (files
// jiangsu-<data year>.csv), prints the provincial ranking of the latest
// evaluation year with rank changes, disqualified zones and the delisting
// watch list, and writes the full result of every year to OUT.csv.
//   jiangsu_ranking DATA_DIR OUT.csv [FRAMEWORK]      (FRAMEWORK: preset name or file; default jiangsu-2021)
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <parkscore/parkscore.hpp>
#include <regex>

namespace fs = std::filesystem;
using namespace parkscore;

namespace {

// Left-aligns UTF-8 text in `width` terminal columns (CJK characters count two).
std::string pad(const std::string& s, std::size_t width) {
  const std::size_t w = display_width(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

std::string number(double x, int decimals = 2) { return std::isnan(x) ? "" : fmt::format("{:.{}f}", x, decimals); }

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} DATA_DIR OUT.csv [FRAMEWORK]\n", argv[0]);
    return 2;
  }
  const fs::path data_dir = argv[1];
  const framework model = load_framework_or_preset(argc > 3 ? argv[3] : "jiangsu-2021");

  std::map<int, fs::path> files;  // data year -> file
  const std::regex file_name(R"(jiangsu-(\d{4})\.csv)");
  for (const auto& entry : fs::directory_iterator(data_dir)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, m, file_name)) files[std::stoi(m[1])] = entry.path();
  }
  if (files.empty()) throw data_error(fmt::format("{}: no jiangsu-<year>.csv files", data_dir.string()));

  wide_layout layout;
  layout.group_columns = {"level", "region", "city"};
  history h;
  std::map<int, result> results;  // evaluation year -> result
  const year_convention years;    // evaluation year = data year + 1
  for (const auto& [data_year, file] : files) {
    dataset data = read_wide(read_csv(file), layout);
    data.period = std::to_string(data_year);
    // The preset declares the event columns and applies the veto and deductions itself.
    result r = evaluate(model, data);
    h.add(r, data_year, years);
    results.emplace(years.evaluation_year(data_year), std::move(r));
  }

  const int now = results.rbegin()->first;
  const result& latest = results.at(now);
  // The provincial zones in ranking order (disqualified last), with their change against the year before.
  const rank_comparison comparison = compare_ranks(h, now, "level");
  std::vector<rank_change> provincial;
  for (const rank_change& c : comparison.changes)
    if (c.pool == "provincial") provincial.push_back(c);
  const rank_table& table = h.table(now, "level");

  const auto& categories = model.root().children;
  const pool_result& pool = latest.pool("level");
  fmt::print("{}\n{} evaluation (data year {}): provincial zones, {} in the pool\n\n", model.name, now,
             years.data_year(now), provincial.size());
  fmt::print("{:>4}  {} {:>7}", "rank", pad("zone", 30), "total");
  for (int c : categories) fmt::print(" {:>6}", model.at(c).id);
  fmt::print("  {:>6}\n", "change");
  for (const rank_change& c : provincial) {
    const auto u = static_cast<Eigen::Index>(latest.unit_index(c.unit));
    fmt::print("{:>4}  {} {:>7}", std::isnan(c.current) ? "—" : fmt::format("{:g}", c.current), pad(c.name, 30),
               number(pool.scores(u, 0)));
    for (int k : categories) fmt::print(" {:>6}", number(pool.scores(u, k)));
    fmt::print("  {:>6}\n", c.status == rank_change_status::vetoed ? "" : format_change(c));
  }

  fmt::print("\nDisqualified (一票否决), not ranked:\n");
  for (const rank_change& c : provincial)
    if (c.status == rank_change_status::vetoed) fmt::print("  {} {}: {}\n", c.unit, c.name, table.find(c.unit)->veto_reason);

  const delisting_rule rule = builtin_delisting_rule("jiangsu-2021");
  const auto watch = delisting_watch(h, rule, now);
  fmt::print("\nDelisting watch ({}, {} to {}): {}\n", rule.name, now - rule.window + 1, now,
             watch.empty() ? "none" : "");
  for (const watch_entry& w : watch)
    fmt::print("  {} {}: in the last {} in {}; place {} in {}\n", w.unit, w.name, rule.bottom,
               fmt::join(w.hit_years, ", "), number(w.order_value, 0), now);

  // The full result of every year: one row per zone and year, every node's points in the level pools.
  std::ofstream out(argv[2], std::ios::binary);
  if (!out) throw data_error(fmt::format("{}: cannot write the file", argv[2]));
  out << "evaluation_year,data_year,id,name,level,region,vetoed,rank_all,rank_level,rank_region,change_level";
  for (const node& n : model.nodes()) out << "," << csv_escape(n.id);
  out << "\n";
  for (const auto& [year, r] : results) {
    std::map<std::string, std::string> year_change;
    for (const rank_change& c : rank_changes(h, year, "level")) year_change[c.unit] = format_change(c);
    const pool_result& by_level = r.pool("level");
    for (std::size_t i = 0; i < r.unit_ids.size(); ++i) {
      const auto u = static_cast<Eigen::Index>(i);
      const std::string& id = r.unit_ids[i];
      const auto in = [&](const std::string& g) {  // the zone's entry in a pooling, if evaluated
        const rank_table* t = h.find(year, g);
        return t ? *t->find(id) : rank_entry{};
      };
      const auto veto = r.excluded.find(id);
      out << fmt::format("{},{},{},{},{},{},{},{},{},{},{}", year, years.data_year(year), csv_escape(id),
                         csv_escape(r.unit_names[i]), by_level.labels[i], in("region").pool,
                         csv_escape(veto == r.excluded.end() ? "" : veto->second), number(in("").rank, 0),
                         number(in("level").rank, 0), number(in("region").rank, 0), year_change[id]);
      for (std::size_t k = 0; k < model.nodes().size(); ++k)
        out << "," << number(by_level.scores(u, static_cast<Eigen::Index>(k)), 4);
      out << "\n";
    }
  }
  fmt::print("\nFull result ({} years, every node): {}\n", results.size(), argv[2]);
  return 0;
} catch (const parkscore::error& e) {
  fmt::print(stderr, "error: {}\n", e.what());
  return 1;
}
