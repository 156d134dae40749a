#include "parkscore/model/dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/first_duplicate.hpp"
#include "model/huge_pages.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

void require_unique(const std::vector<std::string>& ids, const char* what) {
  // The first problem in id order, as a loop checking each id and then whether it repeats would find it.
  const auto empty = std::find_if(ids.begin(), ids.end(), [](const std::string& id) { return id.empty(); });
  const auto repeat = detail::first_duplicate(ids);
  const auto empty_at = static_cast<std::size_t>(empty - ids.begin());
  if (empty != ids.end() && (!repeat || empty_at < *repeat))
    throw data_error(fmt::format("{} at position {} has an empty id", what, empty_at + 1));
  if (repeat) throw data_error(fmt::format("duplicate {} id '{}' (position {})", what, ids[*repeat], *repeat + 1));
}

}  // namespace

dataset::dataset(const dataset& other)
    : period(other.period),
      source(other.source),
      unit_ids_(other.unit_ids_),
      unit_names_(other.unit_names_),
      indicator_ids_(other.indicator_ids_),
      groups_(other.groups_) {
  values_.resize(other.values_.rows(), other.values_.cols());
  detail::advise_huge_pages(values_.data(), static_cast<std::size_t>(values_.size()) * sizeof(double));
  values_ = other.values_;
}

dataset& dataset::operator=(const dataset& other) {
  if (this != &other) *this = dataset(other);
  return *this;
}

dataset::dataset(std::vector<std::string> unit_ids, std::vector<std::string> indicator_ids,
                 Eigen::MatrixXd values)
    : unit_ids_(std::move(unit_ids)),
      unit_names_(unit_ids_),
      indicator_ids_(std::move(indicator_ids)),
      values_(std::move(values)) {
  require_unique(*unit_ids_, "unit");
  require_unique(indicator_ids_, "indicator");
  if (static_cast<std::size_t>(values_.rows()) != unit_ids_.size() ||
      static_cast<std::size_t>(values_.cols()) != indicator_ids_.size())
    throw data_error(fmt::format("values are {} x {}, but there are {} units and {} indicators",
                                 values_.rows(), values_.cols(), unit_ids_.size(), indicator_ids_.size()));
  for (Eigen::Index j = 0; j < values_.cols(); ++j)
    for (Eigen::Index i = 0; i < values_.rows(); ++i)
      if (std::isinf(values_(i, j)))
        throw data_error(fmt::format("unit '{}', indicator '{}': value {} is infinite (use NaN for missing)",
                                     unit_ids_[static_cast<std::size_t>(i)],
                                     indicator_ids_[static_cast<std::size_t>(j)], values_(i, j)));
}

void dataset::set_unit_names(std::vector<std::string> names) {
  if (names.size() != unit_ids_.size())
    throw data_error(fmt::format("{} unit names given for {} units", names.size(), unit_ids_.size()));
  unit_names_ = std::move(names);
}

void dataset::set_group(const std::string& column, std::vector<std::string> labels) {
  if (column.empty()) throw data_error("a grouping column needs a name");
  if (labels.size() != unit_ids_.size())
    throw data_error(fmt::format("grouping column '{}' has {} labels for {} units", column, labels.size(),
                                 unit_ids_.size()));
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i].empty())
      throw data_error(fmt::format("grouping column '{}': unit '{}' has no label", column, unit_ids_[i]));
  groups_[column] = std::move(labels);
}

const std::vector<std::string>& dataset::group(const std::string& column) const {
  auto it = groups_.find(column);
  if (it == groups_.end()) {
    std::string known;
    for (const auto& [name, labels] : groups_) known += (known.empty() ? "" : ", ") + name;
    throw data_error(fmt::format("no grouping column '{}' in the data{} (known: {})", column,
                                 source.empty() ? "" : " of " + source, known.empty() ? "none" : known));
  }
  return it->second;
}

std::optional<std::size_t> dataset::find_unit(const std::string& id) const {
  for (std::size_t i = 0; i < unit_ids_.size(); ++i)
    if (unit_ids_[i] == id) return i;
  return std::nullopt;
}

std::optional<std::size_t> dataset::find_indicator(const std::string& id) const {
  for (std::size_t j = 0; j < indicator_ids_.size(); ++j)
    if (indicator_ids_[j] == id) return j;
  return std::nullopt;
}

std::size_t dataset::indicator_index(const std::string& id) const {
  if (auto j = find_indicator(id)) return *j;
  throw data_error(fmt::format("indicator '{}' has no column in the data{}", id,
                               source.empty() ? "" : " of " + source));
}

}  // namespace parkscore
