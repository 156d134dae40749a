#pragma once
// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw,
// "Parallel random numbers: as easy as 1, 2, 3" (SC 2011). A draw is a pure
// function of (key, counter): replicate r's numbers do not depend on which
// thread, block or machine computes them, so results are the same bits for any
// split of the replicate range.

#include <array>
#include <cmath>
#include <cstdint>

namespace parkscore {

using philox_counter = std::array<std::uint32_t, 4>;
using philox_key = std::array<std::uint32_t, 2>;

/// One Philox4x32-10 block: 4 x 32 random bits.
constexpr philox_counter philox4x32_10(philox_counter ctr, philox_key key) {
  constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;   // multipliers (paper, table 2)
  constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;   // Weyl key increments
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += w0;
      key[1] += w1;
    }
    const std::uint64_t p0 = std::uint64_t{m0} * ctr[0];
    const std::uint64_t p1 = std::uint64_t{m1} * ctr[2];
    ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
  }
  return ctr;
}

/// Two Philox4x32-10 blocks at once, the rounds of both in one loop body: each block's
/// rounds are a chain of dependent multiplies, so two chains side by side take little
/// longer than one (same outputs as two philox4x32_10 calls).
constexpr void philox4x32_10_pair(philox_counter& a, philox_counter& b, philox_key key) {
  constexpr std::uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += w0;
      key[1] += w1;
    }
    const std::uint64_t a0 = std::uint64_t{m0} * a[0], a1 = std::uint64_t{m1} * a[2];
    const std::uint64_t b0 = std::uint64_t{m0} * b[0], b1 = std::uint64_t{m1} * b[2];
    a = {static_cast<std::uint32_t>(a1 >> 32) ^ a[1] ^ key[0], static_cast<std::uint32_t>(a1),
         static_cast<std::uint32_t>(a0 >> 32) ^ a[3] ^ key[1], static_cast<std::uint32_t>(a0)};
    b = {static_cast<std::uint32_t>(b1 >> 32) ^ b[1] ^ key[0], static_cast<std::uint32_t>(b1),
         static_cast<std::uint32_t>(b0 >> 32) ^ b[3] ^ key[1], static_cast<std::uint32_t>(b0)};
  }
}

/// A sequential stream over one (seed, stream, substream) triple: the counter is
/// (position, substream, stream low, stream high), the key is the seed. Each
/// block yields two doubles in [0, 1) with 53 random bits; blocks are made two at a time.
class philox_stream {
 public:
  philox_stream(std::uint64_t seed, std::uint64_t stream, std::uint32_t substream)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        stream_(stream), substream_(substream) {}

  /// Uniform on [0, 1).
  double uniform() {
    if (have_ == 0) refill();
    return buffer_[--have_];
  }
  /// Uniform on [0, 1) from one 32-bit word (four per block, against two doubles for uniform()):
  /// for draws that only scale a weight, where a resolution of 2^-32 of the range is plenty and
  /// the generator was a fifth of an analysis. Its words come from blocks of their own.
  double uniform32() {
    if (have_words_ == 0) refill_words();
    return word_to_unit(words_[--have_words_]);
  }
  /// w / 2^32: a word as a uniform on [0, 1).
  static double word_to_unit(std::uint32_t w) { return static_cast<double>(w) * (1.0 / 4294967296.0); }
  /// Uniform on (0, 1]: safe under log().
  double uniform_open0() { return 1.0 - uniform(); }
  /// Standard normal (Box-Muller; both outputs of a pair are not kept, for simplicity of state).
  double normal() {
    const double r = std::sqrt(-2.0 * std::log(uniform_open0()));
    return r * std::cos(6.283185307179586 * uniform());
  }
  /// Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by the u^(1/shape) boost.
  double gamma(double shape) {
    if (shape < 1.0) return gamma(shape + 1.0) * std::pow(uniform_open0(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform_open0();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
  }

 private:
  void refill() {
    const auto low = static_cast<std::uint32_t>(stream_), high = static_cast<std::uint32_t>(stream_ >> 32);
    philox_counter first{position_, substream_, low, high}, second{position_ + 1, substream_, low, high};
    philox4x32_10_pair(first, second, key_);
    position_ += 2;
    // Taken from the back: first block's a, b, then the second block's.
    buffer_[3] = to_unit(first[0], first[1]);
    buffer_[2] = to_unit(first[2], first[3]);
    buffer_[1] = to_unit(second[0], second[1]);
    buffer_[0] = to_unit(second[2], second[3]);
    have_ = 4;
  }

  void refill_words() {
    const auto low = static_cast<std::uint32_t>(stream_), high = static_cast<std::uint32_t>(stream_ >> 32);
    philox_counter first{position_, substream_, low, high}, second{position_ + 1, substream_, low, high};
    philox4x32_10_pair(first, second, key_);
    position_ += 2;
    for (int w = 0; w < 4; ++w) {   // taken from the back: the first block's words in order, then the second's
      words_[7 - w] = first[static_cast<std::size_t>(w)];
      words_[3 - w] = second[static_cast<std::size_t>(w)];
    }
    have_words_ = 8;
  }

  // 53 random bits of two words as a double in [0, 1).
  static double to_unit(std::uint32_t hi, std::uint32_t lo) {
    constexpr double scale = 1.0 / 9007199254740992.0;   // 2^-53
    return static_cast<double>((std::uint64_t{hi} << 32 | lo) >> 11) * scale;
  }

  philox_key key_;
  std::uint64_t stream_;
  std::uint32_t substream_;
  std::uint32_t position_ = 0;
  double buffer_[4] = {0, 0, 0, 0};
  int have_ = 0;
  std::uint32_t words_[8] = {};
  int have_words_ = 0;
};

}  // namespace parkscore
