#pragma once
// A dataset: units (zones) with ids, display names and grouping columns, and an
// N x M matrix of raw indicator values (column-major Eigen, NaN = missing).

#include <Eigen/Core>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/model/shared_strings.hpp"

namespace parkscore {

class dataset {
 public:
  dataset() = default;
  /// Throws data_error for duplicate or empty unit ids, duplicate indicator
  /// ids, a shape mismatch, or an infinite value (naming unit and indicator).
  dataset(std::vector<std::string> unit_ids, std::vector<std::string> indicator_ids,
          Eigen::MatrixXd values);
  /// A copy of a large matrix asks for huge pages before it is written (model/huge_pages.hpp):
  /// on a virtual machine the 4 KB page faults of an 8 MB copy cost ten times the copy itself.
  dataset(const dataset& other);
  dataset& operator=(const dataset& other);
  dataset(dataset&&) noexcept = default;
  dataset& operator=(dataset&&) noexcept = default;
  ~dataset() = default;

  std::size_t unit_count() const { return unit_ids_.size(); }
  std::size_t indicator_count() const { return indicator_ids_.size(); }
  const std::vector<std::string>& unit_ids() const { return *unit_ids_; }
  const std::vector<std::string>& indicator_ids() const { return indicator_ids_; }
  const Eigen::MatrixXd& values() const { return values_; }

  /// Display names; default to the ids.
  const std::vector<std::string>& unit_names() const { return *unit_names_; }
  /// The same lists, shared: a result evaluated from this dataset holds them without a copy.
  const shared_strings& shared_unit_ids() const { return unit_ids_; }
  const shared_strings& shared_unit_names() const { return unit_names_; }
  void set_unit_names(std::vector<std::string> names);

  /// A grouping column (e.g. "level" -> national / provincial). Labels must not be empty.
  void set_group(const std::string& column, std::vector<std::string> labels);
  bool has_group(const std::string& column) const { return groups_.count(column) != 0; }
  /// Throws data_error naming the column if it does not exist.
  const std::vector<std::string>& group(const std::string& column) const;
  const std::map<std::string, std::vector<std::string>>& groups() const { return groups_; }

  std::optional<std::size_t> find_unit(const std::string& id) const;
  std::optional<std::size_t> find_indicator(const std::string& id) const;
  /// Throws data_error naming the indicator if there is no such column.
  std::size_t indicator_index(const std::string& id) const;
  double value(std::size_t unit, std::size_t indicator) const {
    return values_(static_cast<Eigen::Index>(unit), static_cast<Eigen::Index>(indicator));
  }

  /// A label for the data period, e.g. "2023" (data year) — informational.
  std::string period;
  /// Where the data came from (file name), used in messages.
  std::string source;

 private:
  shared_strings unit_ids_;
  shared_strings unit_names_;   // the ids' own list until names are set
  std::vector<std::string> indicator_ids_;
  Eigen::MatrixXd values_;
  std::map<std::string, std::vector<std::string>> groups_;
};

}  // namespace parkscore
