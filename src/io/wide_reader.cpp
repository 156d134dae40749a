#include "io/wide_reader.hpp"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>

#include "parkscore/error.hpp"

namespace parkscore::detail {

namespace {

std::optional<std::size_t> find(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  return std::nullopt;
}

}  // namespace

wide_columns resolve_wide_columns(const std::vector<std::string>& header, const std::string& source,
                                  const wide_layout& layout, problem_list& problems) {
  wide_columns out;
  out.id = find(header, layout.id_column);
  if (!out.id) {
    problems.add(fmt::format("{}:1: no id column '{}' in the header", source, layout.id_column));
    return out;
  }
  out.name = find(header, layout.name_column);
  for (const std::string& g : layout.group_columns) {
    if (const auto c = find(header, g)) {
      out.groups.push_back(*c);
      out.group_names.push_back(g);
    } else {
      problems.add(fmt::format("{}:1: no grouping column '{}' in the header", source, g));
    }
  }
  auto indicator_id = [&](const std::string& name) {
    auto it = layout.rename.find(name);
    return it == layout.rename.end() ? name : it->second;
  };
  auto is_wanted = [&](const std::string& id) {
    return layout.indicators.empty() ||
           std::find(layout.indicators.begin(), layout.indicators.end(), id) != layout.indicators.end();
  };
  std::map<std::string, std::size_t> column_of;   // indicator id -> column
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c == *out.id || c == out.name || std::find(out.groups.begin(), out.groups.end(), c) != out.groups.end())
      continue;
    const std::string id = indicator_id(header[c]);
    if (!is_wanted(id)) {
      if (layout.extra == extra_columns::error)
        problems.add(fmt::format("{}:1: {} is not an indicator of the framework (indicators: {}); map the header to "
                                 "an indicator id, declare it a grouping column, or remove the column",
                                 source, column_label(header, c), fmt::join(layout.indicators, ", ")));
      continue;
    }
    if (auto [it, fresh] = column_of.emplace(id, c); !fresh) {
      problems.add(fmt::format("{}:1: {} and {} both hold indicator '{}'", source, column_label(header, it->second),
                               column_label(header, c), id));
      continue;
    }
    out.values.push_back(c);
    out.indicator_ids.push_back(id);
  }
  for (const std::string& id : layout.indicators)
    if (!column_of.count(id))
      problems.add(fmt::format("{}:1: no column for indicator '{}'{}", source, id,
                               layout.rename.empty() ? "" : " (after applying the column mapping)"));
  return out;
}

// --- wide_builder -----------------------------------------------------------------

void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t page = 4096;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) / page * page;
  if (bytes >= (std::size_t{4} << 20) && end > begin)
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// --- wide_builder -----------------------------------------------------------------

wide_builder::wide_builder(std::vector<std::string> header, std::string source, const wide_layout& layout,
                           problem_list& problems, std::size_t expected_rows)
    : header_(std::move(header)),
      source_(std::move(source)),
      layout_(layout),
      problems_(problems),
      columns_(resolve_wide_columns(header_, source_, layout_, problems_)),
      first_line_(columns_.id ? expected_rows : 0) {
  if (!columns_.id) return;
  groups_.resize(columns_.groups.size());
  percent_.resize(columns_.values.size());
  for (const std::string& id : columns_.indicator_ids) {
    const auto f = layout.formats.find(id);
    formats_.push_back(f == layout.formats.end() ? layout.numbers : f->second);
  }
  ids_.reserve(expected_rows);
  if (columns_.name) names_.reserve(expected_rows);
  for (auto& labels : groups_) labels.reserve(expected_rows);
  values_.resize(static_cast<Eigen::Index>(expected_rows), static_cast<Eigen::Index>(columns_.values.size()));
  advise_huge_pages(values_.data(), static_cast<std::size_t>(values_.size()) * sizeof(double));
}

void wide_builder::add_row(const std::vector<std::string_view>& fields, std::size_t line) {
  if (!columns_.id) return;
  const std::string_view id = fields[*columns_.id];
  if (is_blank(id)) {
    problems_.add(fmt::format("{}:{}: {}: the unit id is empty", source_, line, label(*columns_.id)));
    return;
  }
  if (const auto first = first_line_.insert(id, line)) {
    problems_.add(fmt::format("{}:{}: {}: duplicate unit id '{}' (first on line {})", source_, line,
                              label(*columns_.id), id, *first));
    return;
  }
  bool ok = true;
  for (std::size_t g = 0; g < columns_.groups.size(); ++g) {
    if (is_blank(fields[columns_.groups[g]])) {
      problems_.add(fmt::format("{}:{}: {}, unit '{}': the grouping label is empty", source_, line,
                                label(columns_.groups[g]), id));
      ok = false;
    }
  }
  if (rows_ == values_.rows()) {
    values_.conservativeResize(std::max<Eigen::Index>(16, values_.rows() + values_.rows() / 2), values_.cols());
    advise_huge_pages(values_.data(), static_cast<std::size_t>(values_.size()) * sizeof(double));
  }
  for (std::size_t j = 0; j < columns_.values.size(); ++j) {
    const std::string_view cell = fields[columns_.values[j]];
    cell_value v;
    if (auto problem = read_number(cell, formats_[j], v))
      problems_.add(fmt::format("{}:{}: {}, unit '{}': {}", source_, line, label(columns_.values[j]), id, *problem));
    percent_[j].see(v, line, cell);
    values_(rows_, static_cast<Eigen::Index>(j)) = v.value;
  }
  if (!ok) return;
  ++rows_;
  ids_.emplace_back(id);
  if (columns_.name) {
    const std::string_view name = fields[*columns_.name];
    names_.emplace_back(is_blank(name) ? id : name);
  }
  for (std::size_t g = 0; g < columns_.groups.size(); ++g) groups_[g].emplace_back(fields[columns_.groups[g]]);
}

dataset wide_builder::finish() {
  if (!columns_.id) return {};
  first_line_ = id_index();   // before the dataset makes its own index of the ids
  for (std::size_t j = 0; j < columns_.values.size(); ++j)
    percent_[j].report(fmt::format("{}: {}", source_, label(columns_.values[j])), problems_);
  // Move the matrix when it is full; otherwise copy the rows read (fewer than
  // expected: blank lines, line breaks inside quotes, rows with problems).
  Eigen::MatrixXd values = rows_ == values_.rows() ? std::move(values_) : Eigen::MatrixXd(values_.topRows(rows_));
  values_ = Eigen::MatrixXd();
  dataset d(std::move(ids_), columns_.indicator_ids, std::move(values));
  if (columns_.name) d.set_unit_names(std::move(names_));
  for (std::size_t g = 0; g < columns_.groups.size(); ++g) d.set_group(columns_.group_names[g], std::move(groups_[g]));
  d.source = source_;
  return d;
}

}  // namespace parkscore::detail
