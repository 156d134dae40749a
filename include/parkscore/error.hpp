#pragma once
// One exception hierarchy, thrown at the boundaries. Messages name the place
// (file, JSON path, row, column, unit, indicator) and the offending value.

#include <stdexcept>
#include <string>

namespace parkscore {

/// Base of every exception parkscore throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The framework (indicator tree, method settings) or its file is invalid.
class schema_error : public error {
 public:
  using error::error;
};

/// The data (values, unit ids, grouping columns, data files) are invalid.
class data_error : public error {
 public:
  using error::error;
};

/// A computation cannot be carried out as asked (e.g. a geometric mean of a
/// non-positive value, an inconsistent AHP matrix that was not allowed).
class method_error : public error {
 public:
  using error::error;
};

}  // namespace parkscore
