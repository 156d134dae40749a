// The evaluation engine against the numpy reference (../shared/peers/reference.py) on the
// same problem, measured in the same run: N units x M log-normal indicators (a quarter
// lower-is-better), M split evenly into 5 categories, equal weights, min-max onto 0-100,
// arithmetic means, competition rank of the index.
//
//   bench_engine [--N 91] [--M 32] [--threads 2] [--reference PATH] [--python /usr/bin/python3]
//
// Variants: evaluate() and plan.evaluate() return a fresh result per call (full: every node's
// scores, coverage and the normalised matrix; lean: index and category scores and ranks;
// index rank: lean, but only the index ranked, the reference's own work, which ranks nothing
// else); plan.evaluate_into() writes over one result, as a loop of evaluations would. Prints, per
// variant, the median wall time per call over seven rounds that sample every variant in turn,
// the reference's median (the median of three runs of reference.py: before, during and after
// the rounds), the ratio, and the peak resident memory of this process (after one lean
// evaluation, and at the end). For large N it also measures the machine's memory bandwidth (two
// reads of the data matrix) and prints the time as a multiple of it. scripts/bench.sh runs it at
// every size in a fresh process (peak memory per size).

#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <parkscore/parkscore.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  std::size_t n = 91;
  std::size_t m = 32;
  int threads = 2;
  std::string reference = "../shared/peers/reference.py";
  std::string python = "/usr/bin/python3";
  bool lean_only = false;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--N") o.n = std::stoul(value);
    else if (key == "--M") o.m = std::stoul(value);
    else if (key == "--threads") o.threads = std::stoi(value);
    else if (key == "--reference") o.reference = value;
    else if (key == "--python") o.python = value;
    else if (key == "--lean-only") o.lean_only = value == "1";
    else throw std::runtime_error("unknown option " + key);
  }
  return o;
}

parkscore::framework make_framework(std::size_t m, std::mt19937& rng) {
  parkscore::framework fw("index", "bench");
  const std::size_t categories = 5;
  std::bernoulli_distribution lower(0.25);
  std::size_t j = 0;
  for (std::size_t c = 0; c < categories; ++c) {
    parkscore::node cat;
    cat.id = fmt::format("C{}", c);
    fw.add_category("index", cat);
    const std::size_t size = m / categories + (c < m % categories ? 1 : 0);   // np.array_split
    for (std::size_t k = 0; k < size; ++k, ++j) {
      parkscore::node ind;
      ind.kind = parkscore::node_kind::indicator;
      ind.id = fmt::format("x{}", j);
      ind.dir = lower(rng) ? parkscore::direction::lower_is_better : parkscore::direction::higher_is_better;
      ind.norm.method = parkscore::normalisation_method::min_max;
      fw.add_indicator(cat.id, ind);
    }
  }
  return fw;
}

parkscore::dataset make_data(const parkscore::framework& fw, std::size_t n, std::mt19937& rng) {
  std::lognormal_distribution<double> value(0.0, 1.0);
  const std::vector<std::string> ids = fw.indicator_ids();
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(ids.size()));
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) = value(rng);
  std::vector<std::string> units(n);
  for (std::size_t i = 0; i < n; ++i) units[i] = fmt::format("U{}", i);
  return parkscore::dataset(std::move(units), ids, std::move(x));
}

// Seconds per call, over enough calls to last ~20 ms.
template <class Fn>
double sample_seconds(Fn& fn, int calls) {
  const auto start = clock_type::now();
  for (int k = 0; k < calls; ++k) fn();
  return std::chrono::duration<double>(clock_type::now() - start).count() / calls;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// CPU seconds of this process for one call (all threads): a figure that holds on a busy machine.
template <class Fn>
double cpu_seconds(Fn fn) {
  auto now = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  };
  const double t0 = now();
  int calls = 0;
  do {
    fn();
    ++calls;
  } while (now() - t0 < 0.05);
  return (now() - t0) / calls;
}

double peak_megabytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The reference's median seconds for score + rank at this size, or a negative number.
double reference_seconds(const options& o) {
  const std::string command = fmt::format("{} {} --N {} --M {} --K 0 --json 2>/dev/null", o.python, o.reference, o.n, o.m);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return -1;
  std::string out;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe.get()) != nullptr) out += buffer;
  const auto at = out.find("\"median_s\":");
  if (at == std::string::npos) return -1;
  return std::atof(out.c_str() + at + 11);
}

std::string format_time(double s) {
  if (s < 1e-3) return fmt::format("{:8.1f} µs", s * 1e6);
  if (s < 1) return fmt::format("{:8.2f} ms", s * 1e3);
  return fmt::format("{:8.3f} s ", s);
}

}  // namespace

int main(int argc, char** argv) try {
  const options o = parse(argc, argv);
  std::mt19937 rng(20261202);
  const parkscore::framework fw = make_framework(o.m, rng);
  const parkscore::dataset data = make_data(fw, o.n, rng);
  const double data_mb = static_cast<double>(o.n * o.m * sizeof(double)) / 1e6;
  // The reference runs three times, before, between and after the variants, and its median is
  // the figure: this virtual machine has slow spells of seconds that one run may fall into.
  std::vector<double> reference_runs;
  auto run_reference = [&] {
    if (const double r = reference_seconds(o); r > 0) reference_runs.push_back(r);
  };
  run_reference();

  const parkscore::evaluation_plan plan = parkscore::compile(fw);
  parkscore::evaluation_options full;
  full.threads = o.threads;
  parkscore::evaluation_options lean = full;
  lean.keep = parkscore::result_contents::lean();
  parkscore::evaluation_options index_rank = full;
  index_rank.keep = parkscore::result_contents::index_only();
  // The memory of one lean evaluation, before the variants' results (kept for the rounds) add theirs.
  {
    const parkscore::result first = plan.evaluate(data, lean);
  }
  const double lean_peak = peak_megabytes();
  struct variant {
    const char* name;
    std::function<void()> run;
    int calls = 1;   // per sample
    std::vector<double> samples;
    double seconds = 0;
    double cpu = 0;
  };
  std::vector<variant> variants;
  auto add = [&](const char* name, std::function<void()> fn) {
    variant v;
    v.name = name;
    v.run = std::move(fn);
    variants.push_back(std::move(v));
  };
  const bool large = o.n > 200000 || o.lean_only;   // the full result of 10^6 units is ~1.5 GB: lean only
  if (!large) {
    add("evaluate(), full result", [&] { (void)parkscore::evaluate(fw, data, full); });
    add("plan.evaluate, full result", [&] { (void)plan.evaluate(data, full); });
  }
  add("plan.evaluate, lean result", [&] { (void)plan.evaluate(data, lean); });
  // A loop of evaluations (years, what-ifs) that writes over one result: no fresh memory per call.
  parkscore::result reused_full, reused_index, reused_lean;
  if (!large) add("evaluate_into, full, reused", [&] { plan.evaluate_into(data, reused_full, full); });
  add("evaluate_into, index rank", [&] { plan.evaluate_into(data, reused_index, index_rank); });
  add("evaluate_into, lean, reused", [&] { plan.evaluate_into(data, reused_lean, lean); });
  for (variant& v : variants) {   // warm-up, and the calls a sample takes
    v.run();
    v.calls = std::max(1, static_cast<int>(0.02 / std::max(sample_seconds(v.run, 1), 1e-7)));
  }
  // Seven rounds, each variant sampled once a round, and the median sample: a slow spell of
  // this virtual machine (seconds long) then falls on a round of every variant, not on every
  // sample of one.
  constexpr int rounds = 7;
  for (int round = 0; round < rounds; ++round) {
    if (round == rounds / 2) run_reference();
    for (variant& v : variants) v.samples.push_back(sample_seconds(v.run, v.calls));
  }
  for (variant& v : variants) {
    v.seconds = median(v.samples);
    v.cpu = cpu_seconds(v.run);
  }
  run_reference();
  const double ref = reference_runs.empty() ? -1 : median(reference_runs);
  std::string runs;
  for (double r : reference_runs) {
    const std::string t = format_time(r);
    runs += (runs.empty() ? "" : ", ") + t.substr(t.find_first_not_of(' '));
  }
  fmt::print("evaluate {} x {} ({:.1f} MB of data), {} thread(s); reference.py: {}\n", o.n, o.m, data_mb, o.threads,
             ref > 0 ? fmt::format("{} (median of {} runs: {})", format_time(ref), reference_runs.size(), runs)
                     : std::string("not run (pass --reference PATH)"));
  for (const variant& v : variants)
    fmt::print("  {:<28} {} (CPU {})   reference/parkscore = {}\n", v.name, format_time(v.seconds),
               format_time(v.cpu), ref > 0 ? fmt::format("{:.1f}x", ref / v.seconds) : std::string("-"));

  if (o.n >= 100000) {
    // Memory bandwidth: two reads of the data matrix, the least any evaluation must do
    // (one pass to fit the pool statistics, one to apply them).
    // Two sums into two volatile sinks: `a.sum() + a.sum()` is one read, the compiler merges
    // the two identical reductions (it did, and the figures before 2026-12-03 08:00 were one read).
    auto two_reads = [&] {
      volatile double first = data.values().sum();
      volatile double second = data.values().sum();
      (void)first;
      (void)second;
    };
    std::vector<double> reads;
    for (int k = 0; k < 5; ++k) reads.push_back(sample_seconds(two_reads, 1));
    const double read = median(reads);
    fmt::print("  two reads of the matrix      {}   lean evaluation = {:.1f} x two reads\n", format_time(read),
               variants.back().seconds / read);
  }
  fmt::print("  peak resident memory {:.0f} MB after one lean evaluation, {:.0f} MB with every variant's result "
             "(data matrix {:.0f} MB)\n", lean_peak, peak_megabytes(), data_mb);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "bench_engine: {}\n", e.what());
  return 1;
}
