// Parsing speed of the CSV reader on a generated wide file.
//   bench_csv [MEGABYTES=100] [FILE]   (with FILE: write the generated text there too)
#include <fmt/format.h>

#include <ctime>
#include <cstdlib>
#include <fstream>
#include <parkscore/parkscore.hpp>
#include <random>
#include <string>

int main(int argc, char** argv) {
  const double megabytes = argc > 1 ? std::atof(argv[1]) : 100.0;
  const auto target = static_cast<std::size_t>(megabytes * 1e6);
  // 20 indicator columns of plausible statistics, a quoted Chinese name, a level.
  std::string text = "id,name,level";
  for (int j = 0; j < 20; ++j) text += fmt::format(",x{}", j);
  text += "\r\n";
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> value(0.0, 5000.0);
  for (std::size_t i = 0; text.size() < target; ++i) {
    text += fmt::format("Z{:07},\"示范园区 {}, 甲\",{}", i, i, i % 3 ? "provincial" : "national");
    for (int j = 0; j < 20; ++j) text += fmt::format(",{:.2f}", value(rng));
    text += "\r\n";
  }
  if (argc > 2) std::ofstream(argv[2], std::ios::binary) << text;

  // CPU time of this process: the figure holds on a machine shared with other jobs.
  const auto seconds = [] { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
  const double t0 = seconds();
  const parkscore::csv_table table = parkscore::parse_csv(text, "bench.csv");
  const double t1 = seconds();
  parkscore::wide_layout layout;
  layout.group_columns = {"level"};
  const parkscore::dataset data = parkscore::read_wide(table, layout);
  const double t2 = seconds();
  const double mb = static_cast<double>(text.size()) / 1e6;
  const double parse_s = t1 - t0;
  const double read_s = t2 - t1;
  fmt::print("{:.1f} MB, {} rows x {} columns\n", mb, table.row_count(), table.header.size());
  fmt::print("parse_csv:            {:.3f} s CPU  {:.0f} MB/s\n", parse_s, mb / parse_s);
  fmt::print("parse_csv+read_wide:  {:.3f} s CPU  {:.0f} MB/s\n", parse_s + read_s, mb / (parse_s + read_s));
  return data.unit_count() == table.row_count() ? 0 : 1;
}
