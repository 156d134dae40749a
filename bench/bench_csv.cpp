// Reading a wide CSV file: read_wide_file (streaming) against read_csv +
// read_wide and pandas.read_csv, on the same generated file in the same run.
//   bench_csv [ROWS=1000000] [FILE=/tmp/parkscore_bench_wide.csv] [REPEATS=3]
// The file has an id, a group and 32 numeric columns ("1234.56"), about 280 MB
// for 10^6 rows. Each reader runs in a child process of its own, so its peak
// memory (getrusage of that child) is its own; times are the best of REPEATS
// (wall clock, and the CPU time of the child beside it). See docs/performance.md.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <parkscore/parkscore.hpp>
#include <random>
#include <string>

namespace {

constexpr int numeric_columns = 32;

void write_file(const std::string& path, long rows) {
  std::ofstream out(path, std::ios::binary);
  std::string buffer = "id,group";
  for (int j = 0; j < numeric_columns; ++j) buffer += fmt::format(",x{}", j);
  buffer += "\r\n";
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> value(0.0, 10000.0);
  for (long i = 0; i < rows; ++i) {
    fmt::format_to(std::back_inserter(buffer), "Z{:07},{}", i, i % 3 ? "provincial" : "national");
    for (int j = 0; j < numeric_columns; ++j) fmt::format_to(std::back_inserter(buffer), ",{:.2f}", value(rng));
    buffer += "\r\n";
    if (buffer.size() > (1 << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
}

struct run {
  double wall = 0;        // seconds
  double cpu = 0;         // seconds, user + system of the child
  double peak_mb = 0;     // max resident set of the child
  std::size_t units = 0;  // rows read, as a check
};

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

// Runs `read` in a child process; the child reports the units it read through a pipe.
template <class F>
run in_child(F&& reader) {
  int fds[2];
  if (pipe(fds) != 0) std::exit(2);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::size_t units = 0;
    try {
      units = reader();
    } catch (const std::exception& e) {
      fmt::print(stderr, "{}\n", e.what());
      _exit(1);
    }
    if (write(fds[1], &units, sizeof units) != sizeof units) _exit(1);
    _exit(0);
  }
  close(fds[1]);
  run r;
  if (::read(fds[0], &r.units, sizeof r.units) != sizeof r.units) r.units = 0;
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  r.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  r.peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  if (status != 0) std::exit(1);
  return r;
}

template <class F>
run best_of(int repeats, F&& reader) {
  run best;
  for (int i = 0; i < repeats; ++i) {
    const run r = in_child(reader);
    if (i == 0 || r.wall < best.wall) best = r;
  }
  return best;
}

void print(const char* what, const run& r, double mb) {
  fmt::print("{:<28} {:7.3f} s wall {:6.0f} MB/s   {:7.3f} s CPU {:6.0f} MB/s   peak {:6.0f} MB\n", what, r.wall,
             mb / r.wall, r.cpu, mb / r.cpu, r.peak_mb);
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  const std::string path = argc > 2 ? argv[2] : "/tmp/parkscore_bench_wide.csv";
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
  write_file(path, rows);
  const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  const double matrix_mb = static_cast<double>(rows) * numeric_columns * 8 / 1e6;
  fmt::print("{}: {} rows x {} columns, {:.1f} MB; the numeric matrix is {:.0f} MB\n", path, rows,
             numeric_columns + 2, mb, matrix_mb);

  parkscore::wide_layout layout;
  layout.group_columns = {"group"};
  const run stream = best_of(repeats, [&] { return parkscore::read_wide_file(path, layout).unit_count(); });
  print("read_wide_file", stream, mb);
  const run table = best_of(1, [&] { return parkscore::read_wide(parkscore::read_csv(path), layout).unit_count(); });
  print("read_csv + read_wide", table, mb);
  // pandas.read_csv with its defaults (the C parser) into a DataFrame; Python times
  // the call itself, so starting Python and importing pandas are not counted.
  const std::string python = fmt::format(
      "/usr/bin/python3 -c \"import pandas, resource, sys, time\n"
      "best = None\n"
      "for _ in range({}):\n"
      "    w, c = time.perf_counter(), time.process_time()\n"
      "    f = pandas.read_csv(sys.argv[1])\n"
      "    w, c = time.perf_counter() - w, time.process_time() - c\n"
      "    best = (w, c) if best is None or w < best[0] else best\n"
      "    del f\n"
      "print(len(pandas.read_csv(sys.argv[1], usecols=[0])), best[0], best[1], "
      "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\" {}",
      repeats, path);
  run pandas;
  {
    std::FILE* p = popen(python.c_str(), "r");
    if (!p) return 2;
    double peak_kb = 0;
    const int got = std::fscanf(p, "%zu %lf %lf %lf", &pandas.units, &pandas.wall, &pandas.cpu, &peak_kb);
    if (pclose(p) != 0 || got != 4) {
      fmt::print("pandas.read_csv failed\n");
      return 1;
    }
    pandas.peak_mb = peak_kb / 1024.0;
  }
  print("pandas.read_csv (python)", pandas, mb);
  fmt::print("read_wide_file is {:.1f}x pandas.read_csv (wall), {:.1f}x (CPU); {:.1f}x read_csv + read_wide; "
             "peak {:.2f}x the numeric matrix\n",
             pandas.wall / stream.wall, pandas.cpu / stream.cpu, table.wall / stream.wall, stream.peak_mb / matrix_mb);
  const bool same = stream.units == static_cast<std::size_t>(rows) && table.units == stream.units &&
                    pandas.units == stream.units;
  if (!same) fmt::print("row counts differ: {} {} {}\n", stream.units, table.units, pandas.units);
  return same ? 0 : 1;
}
