#pragma once
// SHA-256 through Nettle (Debian nettle-dev), for the checksums of a run manifest.

#include <string>
#include <string_view>

namespace parkscore::detail {

class sha256 {
 public:
  sha256();
  ~sha256();
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  void update(const void* bytes, std::size_t size);
  void update(std::string_view text) { update(text.data(), text.size()); }
  /// The digest as 64 lowercase hex digits; the object starts afresh after it.
  std::string hex();

 private:
  struct state;
  state* state_;
};

}  // namespace parkscore::detail
