#pragma once
// A position in a parsed JSON document: knows its file and JSON pointer, so
// every error can name both, and rejects keys it was not told about.

#include <fmt/format.h>

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "parkscore/error.hpp"
#include "model/enum_names.hpp"

namespace parkscore::detail {

class json_cursor {
 public:
  json_cursor(const nlohmann::json& value, std::string file, std::string path = "")
      : value_(value), file_(std::move(file)), path_(std::move(path)) {}

  const nlohmann::json& value() const { return value_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  std::string where() const { return fmt::format("{}: {}", file_, path_.empty() ? "/" : path_); }

  [[noreturn]] void fail(const std::string& what) const { throw schema_error(fmt::format("{}: {}", where(), what)); }

  /// A missing key fails here, naming the file and path (never nlohmann's bare message).
  json_cursor at(const std::string& key) const {
    expect_object();
    if (!value_.contains(key)) fail(fmt::format("missing \"{}\"", key));
    return {value_.at(key), file_, path_ + "/" + key};
  }
  json_cursor at(std::size_t i) const { return {value_.at(i), file_, path_ + "/" + std::to_string(i)}; }
  bool has(const std::string& key) const { return value_.is_object() && value_.contains(key); }

  void expect_object() const {
    if (!value_.is_object()) fail(fmt::format("expected an object, got {}", value_.type_name()));
  }
  void expect_array() const {
    if (!value_.is_array()) fail(fmt::format("expected an array, got {}", value_.type_name()));
  }
  /// Unknown keys are errors: a misspelt key must not be silently ignored.
  void allow_only(std::initializer_list<const char*> keys) const {
    expect_object();
    for (const auto& item : value_.items()) {
      bool known = false;
      for (const char* k : keys) known = known || item.key() == k;
      if (!known) {
        std::string list;
        for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
        at(item.key()).fail(fmt::format("unknown key '{}' (allowed here: {})", item.key(), list));
      }
    }
  }

  std::string as_string() const {
    if (!value_.is_string()) fail(fmt::format("expected a string, got {}", value_.type_name()));
    return value_.get<std::string>();
  }
  double as_number() const {
    if (!value_.is_number()) fail(fmt::format("expected a number, got {}", value_.type_name()));
    return value_.get<double>();
  }
  int as_int() const {
    if (!value_.is_number_integer()) fail(fmt::format("expected an integer, got {}", value_.dump()));
    // get<int>() would wrap a large integer silently (4294967297 -> 1).
    if (value_.is_number_unsigned() ? value_.get<std::uint64_t>() > 2147483647u
                                    : (value_.get<std::int64_t>() > 2147483647 || value_.get<std::int64_t>() < -2147483647))
      fail(fmt::format("the integer {} is out of range (at most ±2147483647)", value_.dump()));
    return value_.get<int>();
  }
  bool as_bool() const {
    if (!value_.is_boolean()) fail(fmt::format("expected true or false, got {}", value_.dump()));
    return value_.get<bool>();
  }
  template <class E, std::size_t N>
  E as_enum(const name_table<E, N>& table) const {
    const std::string text = as_string();
    if (auto e = parse_name(table, text)) return *e;
    fail(fmt::format("unknown value '{}' (expected one of: {})", text, names_list(table)));
  }

  // Optional members: keep `current` when the key is absent.
  void read(const std::string& key, std::string& out) const { if (has(key)) out = at(key).as_string(); }
  void read(const std::string& key, double& out) const { if (has(key)) out = at(key).as_number(); }
  void read(const std::string& key, int& out) const { if (has(key)) out = at(key).as_int(); }
  void read(const std::string& key, bool& out) const { if (has(key)) out = at(key).as_bool(); }
  void read(const std::string& key, std::optional<double>& out) const { if (has(key)) out = at(key).as_number(); }
  template <class E, std::size_t N>
  void read(const std::string& key, E& out, const name_table<E, N>& table) const {
    if (has(key)) out = at(key).as_enum(table);
  }

 private:
  const nlohmann::json& value_;
  std::string file_;
  std::string path_;
};

}  // namespace parkscore::detail
