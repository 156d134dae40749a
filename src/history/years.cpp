#include "parkscore/history/years.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "parkscore/error.hpp"

namespace parkscore {

int parse_year_label(std::string_view label, const std::string& where) {
  std::string_view s = label;
  if (s.size() > 3 && s.substr(s.size() - 3) == "\xE5\xB9\xB4" /* 年 */) s.remove_suffix(3);
  const bool digits = s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  const int year = digits ? std::stoi(std::string(s)) : 0;
  if (!digits || year < 1900 || year > 2099)
    throw data_error(fmt::format("{}: '{}' is not a year (a whole number such as 2023)", where, label));
  return year;
}

std::optional<int> year_in_file_name(const std::string& file) {
  const std::string name = std::filesystem::path(file).filename().string();
  std::optional<int> found;
  for (std::size_t i = 0; i + 4 <= name.size(); ++i) {
    const auto digit = [&](std::size_t k) { return name[k] >= '0' && name[k] <= '9'; };
    if (!(digit(i) && digit(i + 1) && digit(i + 2) && digit(i + 3))) continue;
    if (i > 0 && digit(i - 1)) continue;
    if (i + 4 < name.size() && digit(i + 4)) continue;
    const int y = std::stoi(name.substr(i, 4));
    if (y >= 1900 && y <= 2099) found = y;
  }
  return found;
}

std::vector<dated_input> resolve_years(const std::vector<year_input>& inputs, problem_list& problems,
                                       std::vector<std::string>& warnings) {
  std::vector<dated_input> out;
  std::vector<std::size_t> without;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const year_input& in = inputs[i];
    try {
      std::optional<int> given, column;
      if (!in.given.empty()) given = parse_year_label(in.given, fmt::format("{}: the year given", in.file));
      if (!in.column.empty()) column = parse_year_label(in.column, fmt::format("{}: the year column", in.file));
      if (given && column && *given != *column)
        throw data_error(fmt::format("{}: the year given ({}) differs from the year column ({})", in.file, *given,
                                     *column));
      if (given) out.push_back({i, *given, "given"});
      else if (column) out.push_back({i, *column, "year column"});
      else if (const auto named = year_in_file_name(in.file)) out.push_back({i, *named, "file name"});
      else without.push_back(i);
    } catch (const data_error& e) {
      problems.add(e.what());
    }
  }
  if (!without.empty() && !out.empty()) {
    std::vector<std::string> names;
    for (std::size_t i : without) names.push_back(inputs[i].file);
    problems.add(fmt::format("no data year for {} (the other files have one): add a year column, put the year in the "
                             "file name, or give it (--year, one per file in order; or the project's \"years\")",
                             fmt::join(names, ", ")));
    return {};
  }
  if (out.empty() && !without.empty()) {
    if (inputs.size() > 1)
      warnings.push_back(fmt::format("no file has a data year (year column, year in the file name, or --year): the "
                                     "files are taken in the order given, oldest first, as years 1 to {}",
                                     inputs.size()));
    for (std::size_t i : without) out.push_back({i, static_cast<int>(i) + 1, "order given"});
  }
  std::map<std::string_view, std::size_t> same_content;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].content.empty()) continue;
    const auto [it, fresh] = same_content.emplace(inputs[i].content, i);
    if (!fresh)
      problems.add(fmt::format("{} and {} have the same content: the same data would count as two years",
                               inputs[it->second].file, inputs[i].file));
  }
  std::stable_sort(out.begin(), out.end(), [](const dated_input& a, const dated_input& b) { return a.data_year < b.data_year; });
  for (std::size_t k = 1; k < out.size(); ++k) {
    if (out[k].data_year == out[k - 1].data_year)
      problems.add(fmt::format("{} and {} are both data year {} ({}, {}): give each year once",
                               inputs[out[k - 1].input].file, inputs[out[k].input].file, out[k].data_year,
                               out[k - 1].how, out[k].how));
    else if (out[k].data_year > out[k - 1].data_year + 1 && out[k].how != "order given")
      warnings.push_back(fmt::format("no data for the year{} {} between {} and {}",
                                     out[k].data_year - out[k - 1].data_year > 2 ? "s" : "",
                                     out[k].data_year - out[k - 1].data_year > 2
                                         ? fmt::format("{} to {}", out[k - 1].data_year + 1, out[k].data_year - 1)
                                         : std::to_string(out[k - 1].data_year + 1),
                                     inputs[out[k - 1].input].file, inputs[out[k].input].file));
  }
  if (inputs.size() > 1) {
    bool reordered = false;
    for (std::size_t k = 0; k < out.size(); ++k) reordered = reordered || out[k].input != k;
    if (reordered)
      warnings.push_back(fmt::format("the files were not given oldest first; they are taken in year order: {}",
                                     describe_years(inputs, out)));
  }
  return out;
}

std::string describe_years(const std::vector<year_input>& inputs, const std::vector<dated_input>& years) {
  std::vector<std::string> parts;
  for (const dated_input& y : years)
    parts.push_back(fmt::format("{} ({}, {})", y.data_year, std::filesystem::path(inputs[y.input].file).filename().string(), y.how));
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace parkscore
