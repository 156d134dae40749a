#include "io/wide_reader.hpp"

#include <fmt/format.h>

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

// --- rows ---------------------------------------------------------------------------

wide_plan::wide_plan(std::vector<std::string> header_, std::string source_, const wide_layout& layout,
                     problem_list& problems)
    : header(std::move(header_)), source(std::move(source_)), columns(resolve_wide_columns(header, source, layout, problems)) {
  for (const std::string& id : columns.indicator_ids) {
    const auto f = layout.formats.find(id);
    formats.push_back(f == layout.formats.end() ? layout.numbers : f->second);
  }
}

bool has_unit_id(const wide_plan& plan, const std::vector<std::string_view>& fields, std::size_t line,
                 problem_list& problems) {
  if (!is_blank(fields[*plan.columns.id])) return true;
  problems.add(fmt::format("{}:{}: {}: the unit id is empty", plan.source, line, plan.label(*plan.columns.id)));
  return false;
}

bool fill_row(const wide_plan& plan, const std::vector<std::string_view>& fields, std::size_t line, std::string_view id,
              Eigen::MatrixXd& values, Eigen::Index row, std::vector<percent_tracker>& percent,
              problem_list& problems) {
  const wide_columns& columns = plan.columns;
  bool ok = true;
  for (const std::size_t g : columns.groups) {
    if (is_blank(fields[g])) {
      problems.add(fmt::format("{}:{}: {}, unit '{}': the grouping label is empty", plan.source, line, plan.label(g), id));
      ok = false;
    }
  }
  for (std::size_t j = 0; j < columns.values.size(); ++j) {
    const std::string_view cell = fields[columns.values[j]];
    cell_value v;
    if (auto problem = read_number(cell, plan.formats[j], v))
      problems.add(fmt::format("{}:{}: {}, unit '{}': {}", plan.source, line, plan.label(columns.values[j]), id, *problem));
    percent[j].see(v, line, cell);
    values(row, static_cast<Eigen::Index>(j)) = v.value;
  }
  return ok;
}

namespace {

// The strings of a kept row, at `row` of vectors already that long.
void set_row_strings(const wide_plan& plan, const std::vector<std::string_view>& fields, wide_rows& rows,
                     std::size_t row) {
  const std::string_view id = fields[*plan.columns.id];
  rows.ids[row].assign(id);
  if (plan.columns.name) {
    const std::string_view name = fields[*plan.columns.name];
    rows.names[row].assign(is_blank(name) ? id : name);
  }
  for (std::size_t g = 0; g < plan.columns.groups.size(); ++g) rows.groups[g][row].assign(fields[plan.columns.groups[g]]);
}

}  // namespace

wide_rows allocate_rows(const wide_plan& plan, std::size_t capacity) {
  wide_rows rows;
  if (!plan.columns.id) return rows;
  resize_on_huge_pages(rows.ids, capacity);
  if (plan.columns.name) resize_on_huge_pages(rows.names, capacity);
  rows.groups.resize(plan.columns.groups.size());
  for (auto& labels : rows.groups) resize_on_huge_pages(labels, capacity);
  rows.values.resize(static_cast<Eigen::Index>(capacity), static_cast<Eigen::Index>(plan.columns.values.size()));
  advise_huge_pages(rows.values.data(), static_cast<std::size_t>(rows.values.size()) * sizeof(double));
  return rows;
}

dataset make_dataset(const wide_plan& plan, wide_rows rows, Eigen::Index kept,
                     const std::vector<percent_tracker>& percent, problem_list& problems) {
  if (!plan.columns.id) return {};
  for (std::size_t j = 0; j < plan.columns.values.size(); ++j)
    percent[j].report(fmt::format("{}: {}", plan.source, plan.label(plan.columns.values[j])), problems);
  const auto n = static_cast<std::size_t>(kept);
  rows.ids.resize(n);
  if (plan.columns.name) rows.names.resize(n);
  for (auto& labels : rows.groups) labels.resize(n);
  // Move the matrix when it is full; otherwise copy the rows kept (fewer than
  // expected: blank lines, line breaks inside quotes, rows with problems).
  Eigen::MatrixXd values =
      kept == rows.values.rows() ? std::move(rows.values) : Eigen::MatrixXd(rows.values.topRows(kept));
  rows.values = Eigen::MatrixXd();
  dataset d(std::move(rows.ids), plan.columns.indicator_ids, std::move(values));
  if (plan.columns.name) d.set_unit_names(std::move(rows.names));
  for (std::size_t g = 0; g < plan.columns.groups.size(); ++g)
    d.set_group(plan.columns.group_names[g], std::move(rows.groups[g]));
  d.source = plan.source;
  return d;
}

// --- wide_builder -----------------------------------------------------------------

wide_builder::wide_builder(std::vector<std::string> header, std::string source, const wide_layout& layout,
                           problem_list& problems, std::size_t expected_rows)
    : problems_(problems),
      plan_(std::move(header), std::move(source), layout, problems),
      rows_(allocate_rows(plan_, expected_rows)),
      percent_(plan_.columns.values.size()),
      first_line_(plan_.columns.id ? expected_rows : 0) {}

void wide_builder::add_row(const std::vector<std::string_view>& fields, std::size_t line) {
  if (!plan_.columns.id || !has_unit_id(plan_, fields, line, problems_)) return;
  const std::string_view id = fields[*plan_.columns.id];
  if (const auto first = first_line_.insert(id, line)) {
    problems_.add(fmt::format("{}:{}: {}: duplicate unit id '{}' (first on line {})", plan_.source, line,
                              plan_.label(*plan_.columns.id), id, *first));
    return;
  }
  if (kept_ == rows_.values.rows()) {   // more rows than lines were counted (lone CRs): grow by half
    const Eigen::Index capacity = std::max<Eigen::Index>(16, kept_ + kept_ / 2);
    rows_.values.conservativeResize(capacity, rows_.values.cols());
    advise_huge_pages(rows_.values.data(), static_cast<std::size_t>(rows_.values.size()) * sizeof(double));
    const auto n = static_cast<std::size_t>(capacity);
    rows_.ids.resize(n);
    if (plan_.columns.name) rows_.names.resize(n);
    for (auto& labels : rows_.groups) labels.resize(n);
  }
  if (!fill_row(plan_, fields, line, id, rows_.values, kept_, percent_, problems_)) return;
  set_row_strings(plan_, fields, rows_, static_cast<std::size_t>(kept_));
  ++kept_;
}

dataset wide_builder::finish() {
  first_line_ = id_index();   // before the dataset makes its own check of the ids
  return make_dataset(plan_, std::move(rows_), kept_, percent_, problems_);
}

// --- wide_chunk -------------------------------------------------------------------

wide_chunk::wide_chunk(const wide_plan& plan, wide_rows& rows, std::size_t first, std::size_t capacity)
    : percent(plan.columns.values.size()), plan_(plan), rows_(rows), first_(first), capacity_(capacity) {}

void wide_chunk::add_row(const std::vector<std::string_view>& fields, std::size_t line) {
  if (!has_unit_id(plan_, fields, line, problems)) return;
  if (kept_ == capacity_) {
    overflow_ = true;
    return;
  }
  const auto row = static_cast<Eigen::Index>(first_ + kept_);
  if (!fill_row(plan_, fields, line, fields[*plan_.columns.id], rows_.values, row, percent, problems)) {
    dropped_id_ = true;
    return;
  }
  set_row_strings(plan_, fields, rows_, first_ + kept_);
  ++kept_;
}

Eigen::Index close_gaps(wide_rows& rows, const std::vector<wide_chunk>& chunks) {
  std::size_t to = 0;
  for (const wide_chunk& c : chunks) {
    if (c.first() != to) {   // chunks come in file order, so rows only move up
      for (Eigen::Index j = 0; j < rows.values.cols(); ++j) {
        double* column = rows.values.col(j).data();
        std::copy(column + c.first(), column + c.first() + c.kept(), column + to);
      }
      auto move_up = [&](std::vector<std::string>& v) {
        std::move(v.begin() + static_cast<std::ptrdiff_t>(c.first()),
                  v.begin() + static_cast<std::ptrdiff_t>(c.first() + c.kept()), v.begin() + static_cast<std::ptrdiff_t>(to));
      };
      move_up(rows.ids);
      if (!rows.names.empty()) move_up(rows.names);
      for (auto& labels : rows.groups) move_up(labels);
    }
    to += c.kept();
  }
  return static_cast<Eigen::Index>(to);
}

}  // namespace parkscore::detail
