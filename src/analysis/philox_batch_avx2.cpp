// Philox4x32-10 on four blocks per vector, built with -mavx2; only called after a CPU check
// (philox_batch.cpp). Intrinsics and plain loops only, so nothing compiled for AVX2 here can be
// picked by the linker for another translation unit.
//
// Each 64-bit lane holds one block's 32-bit word in its low half: _mm256_mul_epu32 then gives the
// full 64-bit products of four blocks, whose high and low halves are the round's outputs, as in
// the scalar round. Two groups of four run side by side: each round is a chain of dependent
// multiplies.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace parkscore::detail {

namespace {
struct lanes {
  __m256i x0, x1, x2, x3;
};

inline lanes load(const std::uint32_t* in) {   // 4 blocks of 4 words
  auto word = [&](int w) {
    return _mm256_set_epi64x(in[12 + w], in[8 + w], in[4 + w], in[w]);
  };
  return {word(0), word(1), word(2), word(3)};
}

inline void store(const lanes& x, std::uint32_t* out) {
  alignas(32) std::uint64_t w[4][4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[0]), x.x0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[1]), x.x1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[2]), x.x2);
  _mm256_store_si256(reinterpret_cast<__m256i*>(w[3]), x.x3);
  for (int b = 0; b < 4; ++b)
    for (int k = 0; k < 4; ++k) out[4 * b + k] = static_cast<std::uint32_t>(w[k][b]);
}

inline lanes philox_round(const lanes& x, __m256i k0, __m256i k1) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFF);
  const __m256i p0 = _mm256_mul_epu32(x.x0, m0), p1 = _mm256_mul_epu32(x.x2, m1);
  return {_mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x.x1), k0), _mm256_and_si256(p1, low),
          _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x.x3), k1), _mm256_and_si256(p0, low)};
}
}  // namespace

// Blocks [0, 4 * groups) of `in` (4 words each) into `out`, key (k0, k1).
void philox_blocks_avx2(const std::uint32_t* in, std::size_t groups, std::uint32_t k0, std::uint32_t k1,
                        std::uint32_t* out) {
  __m256i key0[10], key1[10];
  for (int r = 0; r < 10; ++r) {   // the key after r Weyl increments
    key0[r] = _mm256_set1_epi64x(static_cast<std::uint32_t>(k0 + static_cast<std::uint32_t>(r) * 0x9E3779B9u));
    key1[r] = _mm256_set1_epi64x(static_cast<std::uint32_t>(k1 + static_cast<std::uint32_t>(r) * 0xBB67AE85u));
  }
  std::size_t g = 0;
  for (; g + 2 <= groups; g += 2) {
    lanes a = load(in + 16 * g), b = load(in + 16 * (g + 1));
    for (int r = 0; r < 10; ++r) {
      a = philox_round(a, key0[r], key1[r]);
      b = philox_round(b, key0[r], key1[r]);
    }
    store(a, out + 16 * g);
    store(b, out + 16 * (g + 1));
  }
  if (g < groups) {
    lanes a = load(in + 16 * g);
    for (int r = 0; r < 10; ++r) a = philox_round(a, key0[r], key1[r]);
    store(a, out + 16 * g);
  }
}

}  // namespace parkscore::detail
