#include "parkscore/io/read_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "parkscore/error.hpp"
#include "parkscore/io/clean_text.hpp"
#include "parkscore/io/value_scale.hpp"
#include "parkscore/prepare/prepare.hpp"

namespace parkscore {

namespace {

std::optional<std::size_t> find_header(const csv_table& table, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    const std::string key = match_key(name);
    for (std::size_t c = 0; c < table.header.size(); ++c)
      if (match_key(table.header[c]) == key) return c;
  }
  return std::nullopt;
}

std::string unmatched_message(const csv_table& table, const std::vector<std::size_t>& columns,
                              const header_matcher& matcher, bool long_labels,
                              const std::vector<std::string>& labels = {}) {
  std::vector<std::string> items;
  for (std::size_t i = 0; i < (long_labels ? labels.size() : columns.size()); ++i) {
    const std::string name = long_labels ? labels[i] : table.header[columns[i]];
    const auto near = matcher.closest(name);
    items.push_back(near.empty() ? fmt::format("'{}'", name)
                                 : fmt::format("'{}' (closest: {})", name, fmt::join(near, "; ")));
  }
  return fmt::format("{}:1: {} {} no indicator or grouping column of the framework: {}. The framework's indicators: {}",
                     table.source, items.size(),
                     long_labels ? (items.size() == 1 ? "indicator label matches" : "indicator labels match")
                                 : (items.size() == 1 ? "column matches" : "columns match"),
                     fmt::join(items, ", "), matcher.indicator_list());
}

// The reading of each indicator's cells, from its declared scale and a unit in its header.
void add_format(const framework& model, const std::string& id, const std::string& unit, const number_format& fallback,
                const std::string& where, std::map<std::string, number_format>& formats,
                std::map<std::string, double>& factors, problem_list& problems) {
  const auto k = model.find(id);
  const value_scale scale = k ? model.at(*k).scale : value_scale{};
  try {
    const column_scale cs = scale_for_column(scale, fallback, unit, where);
    formats[id] = cs.format;
    if (cs.factor != 1.0) factors[id] = cs.factor;
  } catch (const data_error& e) {
    problems.add(e.what());
  }
}

// Rebuilds a dataset with clean ids, names and labels, grouping columns under the
// method's names, and the unit factors applied.
dataset finish(const dataset& d, const std::map<std::string, std::string>& group_target, const header_matcher& matcher,
               const std::map<std::string, double>& factors) {
  std::vector<std::string> ids, names;
  for (const std::string& id : d.unit_ids()) ids.push_back(needs_cleaning(id) ? clean_id(id) : id);
  for (const std::string& name : d.unit_names()) names.push_back(needs_cleaning(name) ? clean_text(name) : name);
  Eigen::MatrixXd values = d.values();
  for (const auto& [id, factor] : factors)
    if (const auto j = d.find_indicator(id)) values.col(static_cast<Eigen::Index>(*j)) *= factor;
  dataset out(std::move(ids), d.indicator_ids(), std::move(values));
  out.set_unit_names(std::move(names));
  for (const auto& [column, labels] : d.groups()) {
    const auto t = group_target.find(column);
    const std::string target = t == group_target.end() ? column : t->second;
    std::vector<std::string> mapped;
    std::map<std::string_view, std::string> seen;   // a pool column has few distinct labels
    for (const std::string& label : labels) {
      auto it = seen.find(label);
      if (it == seen.end()) it = seen.emplace(label, matcher.label(target, label)).first;
      mapped.push_back(it->second);
    }
    out.set_group(target, std::move(mapped));
  }
  out.period = clean_text(d.period);
  out.source = d.source;
  return out;
}

void note_cleaning(const csv_table& table, const std::vector<std::size_t>& text_columns,
                   std::vector<std::string>& warnings) {
  cleaning_note note;
  for (std::size_t r = 0; r < table.row_count(); ++r)
    for (std::size_t c : text_columns) {
      const std::string_view raw = table.cell(r, c);
      if (needs_cleaning(raw))
        note.see(raw, c == text_columns.front() ? clean_id(raw) : clean_text(raw), table.line(r), table.header[c]);
    }
  if (const std::string m = note.message(table.source); !m.empty()) warnings.push_back(m);
}

void check_scales(const dataset& d, const framework& model, const std::string& source,
                  std::vector<std::string>& warnings) {
  for (std::size_t j = 0; j < d.indicator_count(); ++j)
    if (const auto k = model.find(d.indicator_ids()[j]))
      if (auto w = percent_points_warning(d.values().col(static_cast<Eigen::Index>(j)), model.at(*k), source))
        warnings.push_back(*w);
}

void check_mapping(const header_matcher& matcher, problem_list& problems) {
  if (const auto unknown = matcher.unknown_targets(); !unknown.empty())
    problems.add(fmt::format("the mapping names targets that are neither indicators of the framework nor grouping "
                             "columns: {} (keep a text column with --group)",
                             fmt::join(unknown, ", ")));
}

dataset read_wide_for(const csv_table& table, const framework& model, const data_request& request,
                      problem_list& problems, std::vector<std::string>& warnings) {
  std::vector<std::string> extra = request.groups;
  extra.insert(extra.end(), request.keep.begin(), request.keep.end());
  const header_matcher matcher(model, request.mapping, extra);
  check_mapping(matcher, problems);
  const std::string id_name = request.id_column.empty() ? "id" : request.id_column;
  const auto id_col = find_header(table, {id_name});
  if (!id_col) {
    problems.add(fmt::format("{}:1: no id column '{}' in the header (columns: {})", table.source, id_name,
                             fmt::join(table.header, ", ")));
    return {};
  }
  const auto name_col = find_header(table, {request.name_column});
  const auto year_col = find_header(table, {request.year_column, "年份", "数据年份"});

  wide_layout layout;
  layout.id_column = table.header[*id_col];
  layout.name_column = name_col ? table.header[*name_col] : std::string("\x01none");
  layout.indicators = input_columns(model);
  layout.extra = extra_columns::ignore;   // the columns were classified here
  layout.numbers.percent = request.percent;
  std::map<std::string, std::string> group_target;   // header -> grouping column
  std::map<std::string, double> factors;
  std::map<std::string, std::size_t> indicator_column;
  std::vector<std::size_t> unmatched;
  std::vector<std::size_t> text_columns = {*id_col};
  if (name_col) text_columns.push_back(*name_col);
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    if (c == *id_col || c == name_col || c == year_col) continue;
    const auto m = matcher.match(table.header[c]);
    if (!m) {
      unmatched.push_back(c);
      continue;
    }
    if (m->what == header_match::kind::group) {
      if (std::find_if(group_target.begin(), group_target.end(),
                       [&](const auto& g) { return g.second == m->target; }) != group_target.end()) {
        problems.add(fmt::format("{}:1: two columns hold the grouping column '{}' (the second is '{}')", table.source,
                                 m->target, table.header[c]));
        continue;
      }
      group_target[table.header[c]] = m->target;
      layout.group_columns.push_back(table.header[c]);
      text_columns.push_back(c);
      continue;
    }
    if (const auto [it, fresh] = indicator_column.emplace(m->target, c); !fresh) {
      problems.add(fmt::format("{}:1: columns '{}' (column {}) and '{}' (column {}) both hold indicator '{}'",
                               table.source, table.header[it->second], it->second + 1, table.header[c], c + 1,
                               m->target));
      continue;
    }
    layout.rename[table.header[c]] = m->target;
    add_format(model, m->target, m->unit, layout.numbers,
               fmt::format("{}:1: column '{}' (column {})", table.source, table.header[c], c + 1), layout.formats,
               factors, problems);
  }
  if (!unmatched.empty()) {
    if (request.ignore_extra) {
      std::vector<std::string> names;
      for (std::size_t c : unmatched) names.push_back(table.header[c]);
      warnings.push_back(fmt::format("{}: ignored {} that match{} no indicator: {}", table.source,
                                     names.size() == 1 ? "1 column" : fmt::format("{} columns", names.size()),
                                     names.size() == 1 ? "es" : "", fmt::join(names, ", ")));
    } else {
      problems.add(unmatched_message(table, unmatched, matcher, false) +
                   "; map them (--map-column HEADER=ID, a mapping file, or the project's \"mapping\"), keep them as "
                   "grouping columns (--group), or pass --ignore-extra");
    }
  }
  for (const std::string& g : request.groups)
    if (!g.empty() && std::none_of(group_target.begin(), group_target.end(), [&](const auto& t) { return t.second == g; })) {
      std::string also;
      for (const group_column& gc : model.groups)
        if (gc.id == g && !gc.name.empty()) also = fmt::format(" (or '{}')", gc.name);
      problems.add(fmt::format("{}:1: no grouping column '{}'{} in the header", table.source, g, also));
    }
  const std::size_t before = problems.size();
  check_ids(table, *id_col, problems, warnings);
  note_cleaning(table, text_columns, warnings);
  dataset d = read_wide(table, layout, problems);
  if (year_col) {
    std::set<std::string> years;
    for (std::size_t r = 0; r < table.row_count(); ++r)
      if (std::string y = clean_text(table.cell(r, *year_col)); !y.empty()) years.insert(std::move(y));
    if (years.size() > 1)
      problems.add(fmt::format("{}: column '{}' holds several years ({}); give one file per year, or use the long "
                               "layout", table.source, table.header[*year_col], fmt::join(years, ", ")));
    else if (years.size() == 1)
      d.period = *years.begin();
  }
  if (problems.size() != before || d.unit_count() == 0) return d;
  dataset out = finish(d, group_target, matcher, factors);
  check_scales(out, model, table.source, warnings);
  return out;
}

dataset read_long_for(const csv_table& table, const framework& model, const data_request& request,
                      problem_list& problems, std::vector<std::string>& warnings) {
  std::vector<std::string> extra = request.groups;
  extra.insert(extra.end(), request.keep.begin(), request.keep.end());
  const header_matcher matcher(model, request.mapping, extra);
  check_mapping(matcher, problems);
  long_layout layout;
  if (!request.id_column.empty()) layout.unit_column = request.id_column;
  layout.name_column = request.name_column;
  layout.numbers.percent = request.percent;
  std::map<std::string, std::string> group_target;
  for (std::size_t c = 0; c < table.header.size(); ++c)
    if (const auto m = matcher.match(table.header[c]); m && m->what == header_match::kind::group) {
      group_target[table.header[c]] = m->target;
      layout.group_columns.push_back(table.header[c]);
    }
  std::map<std::string, double> factors;
  std::vector<std::string> unmatched;
  if (const auto ind = table.find_column(layout.indicator_column)) {
    std::set<std::string> seen;
    for (std::size_t r = 0; r < table.row_count(); ++r) {
      const std::string label = clean_text(table.cell(r, *ind));
      if (label.empty() || !seen.insert(label).second) continue;
      const auto m = matcher.match(label);
      if (!m || m->what != header_match::kind::indicator) {
        unmatched.push_back(label);
        continue;
      }
      layout.rename[std::string(table.cell(r, *ind))] = m->target;
      layout.rename[label] = m->target;
      add_format(model, m->target, m->unit, layout.numbers, fmt::format("{}: indicator '{}'", table.source, label),
                 layout.formats, factors, problems);
    }
  }
  if (!unmatched.empty() && !request.ignore_extra)
    problems.add(unmatched_message(table, {}, matcher, true, unmatched) +
                 "; map them (--map-column LABEL=ID or a mapping file), or pass --ignore-extra");
  const std::size_t before = problems.size();
  std::map<std::string, dataset> years = read_long(table, layout, problems);
  if (years.empty()) return {};
  std::string year = request.year;
  if (year.empty()) {
    if (years.size() > 1) {
      std::vector<std::string> names;
      for (const auto& [y, d] : years) names.push_back(y);
      problems.add(fmt::format("{}: the file holds the years {}; choose one with --year", table.source,
                               fmt::join(names, ", ")));
      return {};
    }
    year = years.begin()->first;
  }
  const auto it = years.find(year);
  if (it == years.end()) {
    problems.add(fmt::format("{}: no rows for the year {}", table.source, year));
    return {};
  }
  for (const std::string& id : model.indicator_ids())
    if (!it->second.find_indicator(id))
      problems.add(fmt::format("{}: no rows for indicator '{}' in the year {}", table.source, id, year));
  if (problems.size() != before) return it->second;
  std::set<std::string> ids;
  for (const std::string& id : it->second.unit_ids())
    if (!ids.insert(clean_id(id)).second)
      problems.add(fmt::format("{}: unit id '{}' is written in two ways that are equal once white space, byte-order "
                               "marks and full-width characters are cleaned", table.source, clean_id(id)));
  if (problems.size() != before) return it->second;
  dataset out = finish(it->second, group_target, matcher, factors);
  check_scales(out, model, table.source, warnings);
  return out;
}

}  // namespace

dataset read_dataset(const csv_table& table, const framework& model, const data_request& request,
                     problem_list& problems, std::vector<std::string>& warnings) {
  if (table.header.empty()) return {};
  return request.layout == table_layout::long_ ? read_long_for(table, model, request, problems, warnings)
                                               : read_wide_for(table, model, request, problems, warnings);
}

}  // namespace parkscore
