#include <doctest/doctest.h>

#include <vector>

#include "analysis/philox_batch.hpp"
#include "parkscore/analysis/philox.hpp"

using namespace parkscore;

// Known-answer vectors of Random123 (Salmon et al. 2011), file kat_vectors,
// "philox4x32 10": counter[4] key[2] -> output[4].
TEST_CASE("philox4x32-10 known answers") {
  CHECK(philox4x32_10({0, 0, 0, 0}, {0, 0}) == philox_counter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
        philox_counter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
        philox_counter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("philox streams: a pure function of (seed, stream, substream), uniform moments") {
  philox_stream a(7, 3, 1), b(7, 3, 1), c(7, 4, 1), d(7, 3, 2);
  const double x = a.uniform();
  CHECK(x == b.uniform());
  CHECK(x != c.uniform());
  CHECK(x != d.uniform());
  // Mean of U(0,1) is 1/2, variance 1/12; with 200000 draws the standard error of the mean is
  // sqrt(1/12/200000) = 6.5e-4, so 0.003 is > 4.5 standard errors.
  philox_stream s(1, 0, 0);
  double sum = 0, sq = 0;
  for (int i = 0; i < 200000; ++i) {
    const double u = s.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    sum += u;
    sq += u * u;
  }
  CHECK(sum / 200000 == doctest::Approx(0.5).epsilon(0.003));
  CHECK(sq / 200000 - (sum / 200000) * (sum / 200000) == doctest::Approx(1.0 / 12).epsilon(0.01));
  // Gamma(k, 1) has mean k and variance k: 2.5 and 0.4 (below 1, the boosted branch).
  for (double k : {2.5, 0.4}) {
    double m = 0, v = 0;
    for (int i = 0; i < 100000; ++i) {
      const double g = s.gamma(k);
      m += g;
      v += g * g;
    }
    m /= 100000;
    v = v / 100000 - m * m;
    CHECK(m == doctest::Approx(k).epsilon(0.02));
    CHECK(v == doctest::Approx(k).epsilon(0.05));
  }
}

TEST_CASE("philox streams: the doubles are the 53 high bits of consecutive blocks, two words each") {
  // A stream over (seed, stream, substream) reads blocks at counters (p, substream, stream low,
  // stream high) for p = 0, 1, 2, ..., each block giving (w0 w1 >> 11) / 2^53 then
  // (w2 w3 >> 11) / 2^53, whether the blocks are made one or two at a time.
  const std::uint64_t seed = 0x0123456789abcdefULL, stream = 0x0000000500000009ULL;
  philox_stream s(seed, stream, 4);
  for (std::uint32_t p = 0; p < 5; ++p) {
    const philox_counter w = philox4x32_10({p, 4, 9, 5}, {0x89abcdef, 0x01234567});
    CHECK(s.uniform() == static_cast<double>((std::uint64_t{w[0]} << 32 | w[1]) >> 11) / 9007199254740992.0);
    CHECK(s.uniform() == static_cast<double>((std::uint64_t{w[2]} << 32 | w[3]) >> 11) / 9007199254740992.0);
  }
  philox_counter a{3, 1, 2, 0}, b{4, 1, 2, 0};
  philox4x32_10_pair(a, b, {11, 12});
  CHECK(a == philox4x32_10({3, 1, 2, 0}, {11, 12}));
  CHECK(b == philox4x32_10({4, 1, 2, 0}, {11, 12}));
}

TEST_CASE("philox streams: 32-bit uniforms are the words of consecutive blocks, in order") {
  // uniform32() reads its own blocks at counters (p, substream, stream low, stream high),
  // p = 0, 1, ..., and returns w0 / 2^32, w1 / 2^32, w2 / 2^32, w3 / 2^32 of each in turn.
  const std::uint64_t seed = 0x0123456789abcdefULL, stream = 0x0000000500000009ULL;
  philox_stream s(seed, stream, 4);
  for (std::uint32_t p = 0; p < 5; ++p) {
    const philox_counter w = philox4x32_10({p, 4, 9, 5}, {0x89abcdef, 0x01234567});
    for (int k = 0; k < 4; ++k) CHECK(s.uniform32() == static_cast<double>(w[static_cast<std::size_t>(k)]) / 4294967296.0);
  }
}

TEST_CASE("philox blocks made in a batch (four per AVX2 vector where the CPU has it) equal one by one") {
  // 13 blocks: three vectors of four (two side by side, then one) and a scalar remainder of one.
  std::vector<philox_counter> in(13), out(13);
  for (std::uint32_t b = 0; b < 13; ++b) in[b] = {7 * b + 1, b ^ 0x55u, 0xdeadbeefu * b, 0xffffffffu - b};
  const philox_key key{0x12345678u, 0x9abcdef0u};
  detail::philox_blocks(in.data(), in.size(), key, out.data());
  for (std::size_t b = 0; b < in.size(); ++b) CHECK(out[b] == philox4x32_10(in[b], key));
  // The first known-answer vector again, through the batch.
  std::vector<philox_counter> zeros(4, philox_counter{0, 0, 0, 0}), z(4);
  detail::philox_blocks(zeros.data(), 4, {0, 0}, z.data());
  CHECK(z[3] == philox_counter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
}
