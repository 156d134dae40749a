#include "analysis/philox_batch.hpp"

namespace parkscore::detail {

#if defined(PARKSCORE_KERNEL_AVX2)
// Defined in philox_batch_avx2.cpp, compiled with -mavx2.
void philox_blocks_avx2(const std::uint32_t* in, std::size_t groups, std::uint32_t k0, std::uint32_t k1,
                        std::uint32_t* out);
#endif

namespace {
bool have_avx2() {
#if defined(PARKSCORE_KERNEL_AVX2)
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return yes;
#else
  return false;
#endif
}
}  // namespace

void philox_blocks(const philox_counter* in, std::size_t n, philox_key key, philox_counter* out) {
  std::size_t b = 0;
#if defined(PARKSCORE_KERNEL_AVX2)
  static_assert(sizeof(philox_counter) == 4 * sizeof(std::uint32_t), "a block is four packed words");
  if (have_avx2() && n >= 4) {
    philox_blocks_avx2(in[0].data(), n / 4, key[0], key[1], out[0].data());
    b = n / 4 * 4;
  }
#endif
  for (; b < n; ++b) out[b] = philox4x32_10(in[b], key);
}

}  // namespace parkscore::detail
