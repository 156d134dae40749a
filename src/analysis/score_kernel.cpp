#include "analysis/score_kernel.hpp"

namespace parkscore::detail {

namespace portable {
#define PARKSCORE_KERNEL_NAME weighted_sums_portable
#include "analysis/score_kernel.inc"
#undef PARKSCORE_KERNEL_NAME
}  // namespace portable

#if defined(PARKSCORE_KERNEL_AVX2)
// Defined in score_kernel_avx2.cpp, compiled with -mavx2 -mfma.
void weighted_sums_avx2(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s);
#endif

namespace {
using kernel = void (*)(const double*, std::size_t, std::size_t, const double*, std::size_t, double*);
struct choice {
  kernel fn;
  const char* name;
};
choice pick() {
#if defined(PARKSCORE_KERNEL_AVX2)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {weighted_sums_avx2, "avx2+fma"};
#endif
  return {portable::weighted_sums_portable, "portable"};
}
const choice& chosen() {
  static const choice c = pick();
  return c;
}
}  // namespace

void weighted_sums(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s) {
  chosen().fn(z, n_pad, m, w, r, s);
}
const char* weighted_sums_isa() { return chosen().name; }

}  // namespace parkscore::detail
