#include "model/strict_json.hpp"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "parkscore/error.hpp"

namespace parkscore::detail {

namespace {

using nlohmann::json;

// Forwards every event to nlohmann's DOM builder and watches keys and depth on
// the way. Returning false stops the parse; the reason is kept for the caller.
class strict_handler {
 public:
  explicit strict_handler(json& out) : dom_(out, false) {}

  bool null() { return enter_value() && dom_.null(); }
  bool boolean(bool v) { return enter_value() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return enter_value() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return enter_value() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) { return enter_value() && dom_.number_float(v, s); }
  bool string(json::string_t& v) { return enter_value() && dom_.string(v); }
  bool binary(json::binary_t& v) { return enter_value() && dom_.binary(v); }

  bool start_object(std::size_t n) {
    if (!enter_value() || !push(false)) return false;
    return dom_.start_object(n);
  }
  bool key(json::string_t& k) {
    frame& f = stack_.back();
    f.key = k;
    if (!f.keys.insert(k).second) {
      problem_ = fmt::format("{}: duplicate key '{}' (each key may appear once per object)", path(), k);
      return false;
    }
    return dom_.key(k);
  }
  bool end_object() {
    stack_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) {
    if (!enter_value() || !push(true)) return false;
    return dom_.start_array(n);
  }
  bool end_array() {
    stack_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& e) {
    error_position_ = position;
    error_token_ = last_token;
    error_id_ = e.id;
    syntax_message_ = e.what();
    return false;
  }

  const std::string& problem() const { return problem_; }
  std::size_t error_position() const { return error_position_; }
  const std::string& error_token() const { return error_token_; }
  int error_id() const { return error_id_; }
  const std::string& syntax_message() const { return syntax_message_; }

 private:
  struct frame {
    bool array = false;
    std::size_t next = 0;        // arrays: index of the next element
    std::string key;             // objects: the key being read
    std::set<std::string> keys;  // objects: keys seen so far
  };

  bool enter_value() {
    if (!stack_.empty() && stack_.back().array) ++stack_.back().next;
    return true;
  }
  bool push(bool array) {
    if (stack_.size() >= max_json_depth) {
      problem_ = fmt::format("{}: nested deeper than {} levels of objects and arrays", path(), max_json_depth);
      return false;
    }
    stack_.push_back({array, 0, {}, {}});
    return true;
  }
  std::string path() const {
    std::string out;
    for (const frame& f : stack_) out += "/" + (f.array ? std::to_string(f.next == 0 ? 0 : f.next - 1) : f.key);
    return out.empty() ? "/" : out;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<frame> stack_;
  std::string problem_;
  std::size_t error_position_ = 0;
  std::string error_token_;
  int error_id_ = 0;
  std::string syntax_message_;
};

}  // namespace

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

json parse_json_strictly(std::string_view text, const std::string& source) {
  json doc;
  strict_handler handler(doc);
  const bool ok = json::sax_parse(text.begin(), text.end(), &handler, json::input_format_t::json, true, false);
  if (ok) return doc;
  if (!handler.problem().empty()) throw schema_error(fmt::format("{}: {}", source, handler.problem()));
  // nlohmann reports the offset just past the last character read; a number
  // out of range is located at its first digit.
  const bool overflow = handler.error_id() == 406;   // out_of_range.406: beyond the range of a double
  const std::size_t back = overflow ? handler.error_token().size() : 1;
  const std::size_t at = handler.error_position() >= back ? handler.error_position() - back : 0;
  const auto [line, column] = line_and_column(text, at);
  if (overflow) {
    std::string shown = handler.error_token().substr(0, 60);
    if (handler.error_token().size() > 60) shown += "…";
    throw schema_error(fmt::format("{}:{}:{}: the number {} is outside the range of a double (about ±1.8e308)",
                                   source, line, column, shown));
  }
  throw schema_error(fmt::format("{}:{}:{}: invalid JSON: {}", source, line, column, handler.syntax_message()));
}

}  // namespace parkscore::detail
