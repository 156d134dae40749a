#include "io/wide_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <cstring>

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

// --- id_lines ---------------------------------------------------------------------

id_lines::id_lines(std::size_t expected) {
  std::size_t capacity = 16;
  while (capacity < 2 * expected) capacity *= 2;
  slots_.assign(capacity, 0);
  entries_.reserve(expected);
}

std::string_view id_lines::keep(std::string_view id) {
  constexpr std::size_t chunk = 1 << 16;
  if (id.size() > arena_left_) {
    const std::size_t size = std::max(chunk, id.size());
    arena_.push_back(std::make_unique<char[]>(size));
    arena_next_ = arena_.back().get();
    arena_left_ = size;
  }
  std::memcpy(arena_next_, id.data(), id.size());
  const std::string_view kept(arena_next_, id.size());
  arena_next_ += id.size();
  arena_left_ -= id.size();
  return kept;
}

void id_lines::grow() {
  std::vector<std::uint32_t> old(slots_.size() * 2, 0);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t e = 0; e < entries_.size(); ++e) {
    std::size_t i = std::hash<std::string_view>{}(entries_[e].id) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = static_cast<std::uint32_t>(e + 1);
  }
}

std::optional<std::size_t> id_lines::insert(std::string_view id, std::size_t line) {
  if (2 * (entries_.size() + 1) > slots_.size()) grow();
  if (entries_.size() >= std::numeric_limits<std::uint32_t>::max() - 1)
    throw data_error("more than 4 billion units in one file");
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = std::hash<std::string_view>{}(id) & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask) {
    const entry& e = entries_[slots_[i] - 1];
    if (e.id == id) return e.line;
  }
  entries_.push_back({keep(id), line});
  slots_[i] = static_cast<std::uint32_t>(entries_.size());
  return std::nullopt;
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
  ids_.reserve(expected_rows);
  if (columns_.name) names_.reserve(expected_rows);
  for (auto& labels : groups_) labels.reserve(expected_rows);
  values_.resize(static_cast<Eigen::Index>(expected_rows), static_cast<Eigen::Index>(columns_.values.size()));
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
  if (rows_ == values_.rows())
    values_.conservativeResize(std::max<Eigen::Index>(16, values_.rows() + values_.rows() / 2), values_.cols());
  for (std::size_t j = 0; j < columns_.values.size(); ++j) {
    const std::string_view cell = fields[columns_.values[j]];
    cell_value v;
    if (auto problem = read_number(cell, layout_.numbers, v))
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
