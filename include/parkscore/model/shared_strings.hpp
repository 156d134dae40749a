#pragma once
// A read-only list of strings shared by every value that holds it: a dataset's unit ids and
// names, and the results evaluated from that dataset. Copying one copies a pointer, so a
// result does not copy a million ids, and a reused result need not compare them
// (docs/performance.md, "Unit ids are shared").

#include <memory>
#include <string>
#include <vector>

namespace parkscore {

/// Reads as a `const std::vector<std::string>`: size, [], at, begin/end, front/back, or
/// passed where a `const std::vector<std::string>&` is taken. Assigning a vector replaces the
/// list (copied once, into shared memory); the strings themselves are never edited in place.
class shared_strings {
 public:
  using const_iterator = std::vector<std::string>::const_iterator;
  using value_type = std::string;

  shared_strings();
  shared_strings(std::vector<std::string> values);   // NOLINT(google-explicit-constructor)
  // A moved-from list is empty, not null: a moved-from dataset or result still reads.
  shared_strings(const shared_strings&) = default;
  shared_strings(shared_strings&& other) noexcept;
  shared_strings& operator=(const shared_strings&) = default;
  shared_strings& operator=(shared_strings&& other) noexcept;
  shared_strings(std::initializer_list<std::string> values) : shared_strings(std::vector<std::string>(values)) {}

  const std::vector<std::string>& operator*() const { return *list_; }
  const std::vector<std::string>* operator->() const { return list_.get(); }
  operator const std::vector<std::string>&() const { return *list_; }   // NOLINT(google-explicit-constructor)

  std::size_t size() const { return list_->size(); }
  bool empty() const { return list_->empty(); }
  const std::string& operator[](std::size_t i) const { return (*list_)[i]; }
  const std::string& at(std::size_t i) const { return list_->at(i); }
  const std::string& front() const { return list_->front(); }
  const std::string& back() const { return list_->back(); }
  const_iterator begin() const { return list_->begin(); }
  const_iterator end() const { return list_->end(); }

  /// Whether both hold the very same list (then they are equal without a look at the strings).
  bool shares(const shared_strings& other) const { return list_ == other.list_; }

  friend bool operator==(const shared_strings& a, const shared_strings& b) { return a.shares(b) || *a == *b; }
  friend bool operator==(const shared_strings& a, const std::vector<std::string>& b) { return *a == b; }
  friend bool operator==(const std::vector<std::string>& a, const shared_strings& b) { return a == *b; }
  friend bool operator!=(const shared_strings& a, const shared_strings& b) { return !(a == b); }
  friend bool operator!=(const shared_strings& a, const std::vector<std::string>& b) { return !(a == b); }
  friend bool operator!=(const std::vector<std::string>& a, const shared_strings& b) { return !(a == b); }

 private:
  std::shared_ptr<const std::vector<std::string>> list_;
};

}  // namespace parkscore
