// Scores a wide CSV with a framework file and prints the ranking of one pooling.
//   score_table FRAMEWORK.json DATA.csv [GROUPING]
#include <fmt/format.h>

#include <cmath>
#include <parkscore/parkscore.hpp>

int main(int argc, char** argv) try {
  if (argc < 3) {
    fmt::print(stderr, "usage: {} FRAMEWORK.json DATA.csv [GROUPING]\n", argv[0]);
    return 2;
  }
  const parkscore::framework model = parkscore::load_framework_or_preset(argv[1]);
  const std::string grouping = argc > 3 ? argv[3] : "";
  parkscore::wide_layout layout;
  if (!grouping.empty()) layout.group_columns = {grouping};
  const parkscore::dataset data = parkscore::read_wide(parkscore::read_csv(argv[2]), layout);

  parkscore::evaluation_options options;
  options.pools = {grouping};
  const parkscore::result r = parkscore::evaluate(model, data, options);
  const parkscore::pool_result& pool = r.pool(grouping);

  const auto& root = model.root();
  fmt::print("{} — {}\n", model.name, grouping.empty() ? "all units" : "pooled by " + grouping);
  fmt::print("{:>5}  {:<8} {:>8}", "rank", "id", "total");
  for (int c : root.children) fmt::print(" {:>8}", model.at(c).id);
  fmt::print("  name\n");
  std::vector<Eigen::Index> order(r.unit_ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) {
    if (pool.labels[a] != pool.labels[b]) return pool.labels[a] < pool.labels[b];
    return pool.index_rank(a) < pool.index_rank(b);
  });
  for (Eigen::Index u : order) {
    fmt::print("{:>5}  {:<8} {:>8.2f}", std::isnan(pool.index_rank(u)) ? std::string("-") : fmt::format("{:g}", pool.index_rank(u)),
               r.unit_ids[static_cast<std::size_t>(u)], pool.scores(u, 0));
    for (int c : root.children) fmt::print(" {:>8.2f}", pool.scores(u, c));
    fmt::print("  {} [{}]\n", r.unit_names[static_cast<std::size_t>(u)], pool.labels[u]);
  }
  for (const parkscore::note& n : r.warnings())
    fmt::print("warning: {}{}{}\n", n.unit.empty() ? "" : "unit " + n.unit + ": ",
               n.node.empty() ? "" : n.node + " (" + n.pool + "): ", n.message);
  return 0;
} catch (const parkscore::error& e) {
  fmt::print(stderr, "error: {}\n", e.what());
  return 1;
}
