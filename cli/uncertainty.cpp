// parkscore uncertainty FRAMEWORK DATA --spec FILE: how robust each unit's rank is.
#include <chrono>
#include <cstdio>
#include <sstream>

#include "common.hpp"
#include <parkscore/analysis/sobol.hpp>
#include <parkscore/analysis/uncertainty.hpp>

namespace parkscore::cli {

namespace {

struct uncertainty_cli_options {
  std::string framework;
  std::string data;
  std::string spec;
  std::string pool;
  std::size_t reps = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 1;
  int top = 3;
  int bottom = 3;
  std::string interval = "5,95";
  std::string output = "table";   // table | csv
  std::string file;
  std::size_t sobol = 0;          // base samples; 0 = no Sobol table
  bool quiet = false;
  data_options input;
};

std::pair<double, double> parse_interval(const std::string& text) {
  double lo = 0, hi = 0;
  char comma = 0;
  std::istringstream in(text);
  if (!(in >> lo >> comma >> hi) || comma != ',' || !(0 <= lo && lo <= hi && hi <= 100))
    throw error(fmt::format("--interval '{}': expected LO,HI in percent with 0 <= LO <= HI <= 100, e.g. 5,95", text));
  return {lo / 100, hi / 100};
}

// A progress bar on stderr, redrawn at most every 100 ms.
struct progress_bar {
  std::chrono::steady_clock::time_point last{};
  void operator()(std::size_t done, std::size_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last < std::chrono::milliseconds(100)) return;
    last = now;
    const int width = 40;
    const int filled = total ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total)) : width;
    fmt::print(stderr, "\r[{:=<{}}{: <{}}] {}/{} replicates", "", filled, "", width - filled, done, total);
    if (done == total) fmt::print(stderr, "\n");
    std::fflush(stderr);
  }
};

std::string format_table(const rank_statistics& s, bool csv) {
  std::string out;
  const std::string lo = fmt::format("rank_q{:g}", 100 * s.interval_lo_q), hi = fmt::format("rank_q{:g}", 100 * s.interval_hi_q);
  const std::string top = fmt::format("p_top{}", s.top), bottom = fmt::format("p_bottom{}", s.bottom);
  if (csv)
    out += fmt::format("unit,pool,nominal_score,nominal_rank,median_rank,{},{},mean_rank,{},{},mean_abs_shift\n", lo, hi,
                       top, bottom);
  else
    out += fmt::format("{:<16} {:<12} {:>9} {:>7} {:>7} {:>15} {:>8} {:>8} {:>8} {:>8}\n", "unit", "pool", "score",
                       "nominal", "median", fmt::format("interval {:g}-{:g}%", 100 * s.interval_lo_q, 100 * s.interval_hi_q),
                       "mean", top, bottom, "|shift|");
  for (std::size_t u = 0; u < s.unit_ids.size(); ++u) {
    const auto i = static_cast<Eigen::Index>(u);
    if (csv)
      out += fmt::format("{},{},{:.17g},{:g},{:g},{:g},{:g},{:.17g},{:.17g},{:.17g},{:.17g}\n", s.unit_ids[u],
                         s.pool_labels[u], s.nominal_score[i], s.nominal_rank[i], s.median_rank[i], s.interval_lo[i],
                         s.interval_hi[i], s.mean_rank[i], s.p_top[i], s.p_bottom[i], s.mean_abs_shift[i]);
    else
      out += fmt::format("{:<16} {:<12} {:>9.2f} {:>7g} {:>7g} {:>15} {:>8.2f} {:>8.3f} {:>8.3f} {:>8.2f}\n",
                         s.unit_ids[u], s.pool_labels[u], s.nominal_score[i], s.nominal_rank[i], s.median_rank[i],
                         fmt::format("{:g}-{:g}", s.interval_lo[i], s.interval_hi[i]), s.mean_rank[i], s.p_top[i],
                         s.p_bottom[i], s.mean_abs_shift[i]);
  }
  return out;
}

int run_uncertainty_cli(const uncertainty_cli_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  const dataset data = read_data(o.data, model, {grouping}, o.input);
  const uncertainty_spec spec = load_uncertainty_spec(o.spec, model);
  if (o.output != "table" && o.output != "csv") throw error(fmt::format("--output '{}': expected table or csv", o.output));
  uncertainty_options opt;
  opt.replicates = o.reps;
  opt.seed = o.seed;
  opt.threads = o.threads;
  opt.grouping = grouping;
  opt.top = o.top;
  opt.bottom = o.bottom;
  std::tie(opt.interval_lo, opt.interval_hi) = parse_interval(o.interval);
  opt.evaluation.pools = {grouping};
  progress_bar bar;
  if (!o.quiet) opt.progress = std::ref(bar);
  const uncertainty_engine engine(model, data, spec, opt);
  const uncertainty_result res = engine.run();
  std::string text = format_table(res.stats, o.output == "csv");
  if (o.sobol > 0) {
    sobol_options so;
    so.base_samples = o.sobol;
    so.seed = o.seed;
    if (!o.quiet) so.progress = std::ref(bar);
    const sobol_result s = sobol_indices(engine, so);
    text += o.output == "csv" ? "\ninput,first_order,first_lo,first_hi,total_effect,total_lo,total_hi\n"
                              : fmt::format("\nSobol indices of the mean absolute rank shift ({} evaluations)\n{:<28} "
                                            "{:>8} {:>17} {:>8} {:>17}\n", s.evaluations, "input", "S_i", "95% CI", "ST_i", "95% CI");
    for (std::size_t i = 0; i < s.inputs.size(); ++i) {
      const auto k = static_cast<Eigen::Index>(i);
      text += o.output == "csv" ? fmt::format("{},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g},{:.6g}\n", s.inputs[i], s.first[k],
                                              s.first_lo[k], s.first_hi[k], s.total[k], s.total_lo[k], s.total_hi[k])
                                : fmt::format("{:<28} {:>8.3f} {:>17} {:>8.3f} {:>17}\n", s.inputs[i], s.first[k],
                                              fmt::format("[{:.3f}, {:.3f}]", s.first_lo[k], s.first_hi[k]), s.total[k],
                                              fmt::format("[{:.3f}, {:.3f}]", s.total_lo[k], s.total_hi[k]));
    }
    if (!s.sum_check)
      print_warnings({fmt::format("the first-order Sobol indices sum to {:.3f} (interval {:.3f}-{:.3f}) > 1: "
                                  "increase --sobol", s.first_sum, s.first_sum_lo, s.first_sum_hi)});
  }
  write_output(text, o.file);
  if (!res.fast_path)
    print_warnings({"the weights are applied through evaluate() per replicate (aggregation is not a weighted "
                    "arithmetic mean everywhere): expect about 0.3 ms per replicate"});
  return exit_code::ok;
}

}  // namespace

void add_uncertainty(CLI::App& app, action& run) {
  auto o = std::make_shared<uncertainty_cli_options>();
  CLI::App* cmd = app.add_subcommand("uncertainty", "How robust each unit's rank is to the method's choices");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV)")->required();
  cmd->add_option("--spec", o->spec, "Uncertain inputs (JSON, docs/uncertainty.md)")->required();
  cmd->add_option("-n,--reps", o->reps, "Monte Carlo replicates")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed: the same seed gives the same numbers for any --threads")->capture_default_str();
  cmd->add_option("-j,--threads", o->threads, "Threads (0 = all cores)")->capture_default_str();
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("--top", o->top, "Report P(rank <= K)")->capture_default_str();
  cmd->add_option("--bottom", o->bottom, "Report P(among the last K of the pool)")->capture_default_str();
  cmd->add_option("--interval", o->interval, "Rank interval as percent quantiles LO,HI")->capture_default_str();
  cmd->add_option("--output", o->output, "table or csv")->capture_default_str();
  cmd->add_option("-o,--file", o->file, "Write to this file instead of stdout");
  cmd->add_option("--sobol", o->sobol, "Also Sobol indices of the mean absolute rank shift with N base samples");
  cmd->add_flag("-q,--quiet", o->quiet, "No progress bar");
  add_data_options(*cmd, o->input);
  cmd->footer("Example: parkscore uncertainty jiangsu-2021 zones.csv --spec spec.json --reps 100000 --threads 2");
  cmd->callback([o, &run] { run = [o] { return run_uncertainty_cli(*o); }; });
}

}  // namespace parkscore::cli
