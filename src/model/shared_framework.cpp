#include "parkscore/model/shared_framework.hpp"

#include <utility>

namespace parkscore {

namespace {

// One empty framework for every default-made result (evaluations start from one).
const std::shared_ptr<const framework>& empty_framework() {
  static const auto& empty = *new std::shared_ptr<const framework>(std::make_shared<const framework>());
  return empty;
}

}  // namespace

shared_framework::shared_framework() : model_(empty_framework()) {}

shared_framework::shared_framework(framework model) : model_(std::make_shared<const framework>(std::move(model))) {}

shared_framework::shared_framework(shared_framework&& other) noexcept
    : model_(std::exchange(other.model_, empty_framework())) {}

shared_framework& shared_framework::operator=(shared_framework&& other) noexcept {
  if (this != &other) model_ = std::exchange(other.model_, empty_framework());
  return *this;
}

shared_framework::shared_framework(std::shared_ptr<const framework> model)
    : model_(model ? std::move(model) : empty_framework()) {}

}  // namespace parkscore
