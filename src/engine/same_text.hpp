#pragma once
// Whether two strings hold the same text, faster than operator== for the short ids and labels
// a reused result compares by the million: a string of 4 to 16 bytes is compared as two
// (possibly overlapping) words at its two ends, a shorter one by its first, middle and last byte, without a call into memcmp. Every load stays
// within the strings' characters.
#include <cstdint>
#include <cstring>
#include <string>

namespace parkscore::detail {

inline bool same_text(const std::string& a, const std::string& b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  const auto ends_match = [x, y, n](auto word) {   // first and last sizeof(word) bytes
    decltype(word) u[2], v[2];
    std::memcpy(&u[0], x, sizeof word);
    std::memcpy(&v[0], y, sizeof word);
    std::memcpy(&u[1], x + n - sizeof word, sizeof word);
    std::memcpy(&v[1], y + n - sizeof word, sizeof word);
    return ((u[0] ^ v[0]) | (u[1] ^ v[1])) == 0;
  };
  if (n >= 8 && n <= 16) return ends_match(std::uint64_t{});
  if (n >= 4 && n < 8) return ends_match(std::uint32_t{});
  if (n < 4)   // the first, middle and last byte cover all of 1 to 3 bytes
    return n == 0 || ((x[0] ^ y[0]) | (x[n / 2] ^ y[n / 2]) | (x[n - 1] ^ y[n - 1])) == 0;
  return std::memcmp(x, y, n) == 0;
}

}  // namespace parkscore::detail
