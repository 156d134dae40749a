#include "parkscore/model/shared_strings.hpp"

#include <utility>

namespace parkscore {

namespace {

// One empty list for every default-made value (a result starts empty, so does a dataset).
const std::shared_ptr<const std::vector<std::string>>& empty_list() {
  static const auto& empty =
      *new std::shared_ptr<const std::vector<std::string>>(std::make_shared<const std::vector<std::string>>());
  return empty;
}

}  // namespace

shared_strings::shared_strings() : list_(empty_list()) {}

shared_strings::shared_strings(shared_strings&& other) noexcept : list_(std::exchange(other.list_, empty_list())) {}

shared_strings& shared_strings::operator=(shared_strings&& other) noexcept {
  if (this != &other) list_ = std::exchange(other.list_, empty_list());
  return *this;
}

shared_strings::shared_strings(std::vector<std::string> values)
    : list_(values.empty() ? empty_list() : std::make_shared<const std::vector<std::string>>(std::move(values))) {}

}  // namespace parkscore
