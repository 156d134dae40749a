#include "methods/small_sort.hpp"

#include <algorithm>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define PARKSCORE_SMALL_SORT_AVX2 1
#include <immintrin.h>
#endif

namespace parkscore::detail {

namespace {

// Up to three keys an insertion sort beats the smallest network (32 keys); from four on it does not.
constexpr std::size_t insertion_limit = 3;

void insertion_sort(std::uint32_t* keys, std::size_t n) {
  for (std::size_t i = 1; i < n; ++i) {
    const std::uint32_t key = keys[i];
    std::size_t j = i;
    for (; j > 0 && keys[j - 1] > key; --j) keys[j] = keys[j - 1];
    keys[j] = key;
  }
}

#ifdef PARKSCORE_SMALL_SORT_AVX2

// The library is built without -mavx2: every function touching AVX2 carries the target itself.
#define PARKSCORE_AVX2 __attribute__((target("avx2")))
#define PARKSCORE_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

// The network sorts 8*R keys held in R registers of 8 lanes (R = 4, 8, 16). Lane l of register r holds
// index i = l*R + r, so sorting the low log2(R) index bits needs no shuffle: an odd-even merge sort of
// whole registers sorts every lane's column. Three bitonic merges then take in the lane bits, and a
// transpose at the end puts index i at keys[i]. Each bitonic merge starts with the "flip" step (i against
// the mirror index in its block), so every compare-exchange puts the smaller key at the lower index and
// no direction masks are needed.

// Lane l takes the key of lane l ^ X.
template <int X>
PARKSCORE_AVX2_INLINE __m256i swap_lanes(__m256i v) {
  if constexpr (X == 1) {
    return _mm256_shuffle_epi32(v, 0xB1);
  } else if constexpr (X == 3) {
    return _mm256_shuffle_epi32(v, 0x1B);
  } else {
    static_assert(X == 7);
    return _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0));
  }
}

// upper_lanes[B]: blend mask of the lanes with bit B set, the higher index of a pair differing in bit B.
constexpr int upper_lanes[] = {0xAA, 0xCC, 0xF0};

PARKSCORE_AVX2_INLINE void sort_pair(__m256i& lo, __m256i& hi) {
  const __m256i min = _mm256_min_epu32(lo, hi);
  hi = _mm256_max_epu32(lo, hi);
  lo = min;
}

struct comparator {
  int lo, hi;
};

// Batcher's odd-even merge sort on R inputs (R a power of two): 63 comparators for 16 inputs where
// a bitonic sort needs 80. It sorts every lane across the registers. The comparators are listed depth
// first (each half sorted before the halves are merged), so few registers are live at a time.
template <int R>
struct column_network {
  comparator pairs[R * R] = {};
  int size = 0;
  constexpr column_network() { sort(0, R); }
  constexpr void sort(int lo, int n) {
    if (n == 1) return;
    sort(lo, n / 2);
    sort(lo + n / 2, n / 2);
    merge(lo, n, 1);
  }
  // Merges the sorted halves of [lo, lo + n), looking at every r-th input.
  constexpr void merge(int lo, int n, int r) {
    const int step = 2 * r;
    if (step >= n) {
      pairs[size++] = {lo, lo + r};
      return;
    }
    merge(lo, n, step);
    merge(lo + r, n, step);
    for (int i = lo + r; i + r < lo + n; i += step) pairs[size++] = {i, i + r};
  }
};

template <int R>
PARKSCORE_AVX2_INLINE void sort_columns(__m256i (&v)[R]) {
  static constexpr column_network<R> network;
#pragma GCC unroll 64
  for (int c = 0; c < network.size; ++c) sort_pair(v[network.pairs[c].lo], v[network.pairs[c].hi]);
}

// Half-cleaners on register bits for the 2D registers from Base: registers r and r + D, then each half
// the same way (depth first, so a half stays in registers).
template <int Base, int D, int R>
PARKSCORE_AVX2_INLINE void merge_registers(__m256i (&v)[R]) {
  if constexpr (D >= 1) {
#pragma GCC unroll 8
    for (int r = Base; r < Base + D; ++r) sort_pair(v[r], v[r + D]);
    merge_registers<Base, D / 2>(v);
    merge_registers<Base + D, D / 2>(v);
  }
}

// Flip step of a stage whose blocks span J lane bits: index i against i ^ (block - 1), that is
// register r against R-1-r with lane l against lane l ^ (2^J - 1). Lane bit J-1 marks the upper index.
template <int R, int J>
PARKSCORE_AVX2_INLINE void flip_across_lanes(__m256i (&v)[R]) {
  constexpr int mirror = (1 << J) - 1;
  constexpr int upper = upper_lanes[J - 1];
#pragma GCC unroll 16
  for (int r = 0; r < R / 2; ++r) {
    __m256i& a = v[r];
    __m256i& b = v[R - 1 - r];
    const __m256i partner = swap_lanes<mirror>(b);  // partner of a's lane l, in lane l
    const __m256i min = _mm256_min_epu32(a, partner);
    const __m256i max = _mm256_max_epu32(a, partner);
    a = _mm256_blend_epi32(min, max, upper);
    b = swap_lanes<mirror>(_mm256_blend_epi32(max, min, upper));
  }
}

// Half-cleaner on lane bit B: lanes l and l ^ 2^B in every register. Two registers at a time: their
// lower lanes are gathered in one vector and the upper in another, so no min/max lane is wasted.
template <int R, int B>
PARKSCORE_AVX2_INLINE void merge_lanes(__m256i (&v)[R]) {
#pragma GCC unroll 8
  for (int r = 0; r < R; r += 2) {
    __m256i& a = v[r];
    __m256i& b = v[r + 1];
    if constexpr (B == 0) {
      const __m256 fa = _mm256_castsi256_ps(a);
      const __m256 fb = _mm256_castsi256_ps(b);
      const __m256i even = _mm256_castps_si256(_mm256_shuffle_ps(fa, fb, 0x88));  // a0 a2 b0 b2 | a4 a6 b4 b6
      const __m256i odd = _mm256_castps_si256(_mm256_shuffle_ps(fa, fb, 0xDD));   // a1 a3 b1 b3 | a5 a7 b5 b7
      const __m256i min = _mm256_min_epu32(even, odd);
      const __m256i max = _mm256_max_epu32(even, odd);
      a = _mm256_unpacklo_epi32(min, max);
      b = _mm256_unpackhi_epi32(min, max);
    } else if constexpr (B == 1) {
      const __m256i low = _mm256_unpacklo_epi64(a, b);   // a0 a1 b0 b1 | a4 a5 b4 b5
      const __m256i high = _mm256_unpackhi_epi64(a, b);  // a2 a3 b2 b3 | a6 a7 b6 b7
      const __m256i min = _mm256_min_epu32(low, high);
      const __m256i max = _mm256_max_epu32(low, high);
      a = _mm256_unpacklo_epi64(min, max);
      b = _mm256_unpackhi_epi64(min, max);
    } else {
      static_assert(B == 2);
      const __m256i low = _mm256_permute2x128_si256(a, b, 0x20);   // a0 a1 a2 a3 | b0 b1 b2 b3
      const __m256i high = _mm256_permute2x128_si256(a, b, 0x31);  // a4 a5 a6 a7 | b4 b5 b6 b7
      const __m256i min = _mm256_min_epu32(low, high);
      const __m256i max = _mm256_max_epu32(low, high);
      a = _mm256_permute2x128_si256(min, max, 0x20);
      b = _mm256_permute2x128_si256(min, max, 0x31);
    }
  }
}

// Merges sorted blocks of R * 2^(J-1) indices into blocks of R * 2^J.
template <int R, int J>
PARKSCORE_AVX2_INLINE void merge_stage(__m256i (&v)[R]) {
  flip_across_lanes<R, J>(v);
  if constexpr (J >= 3) merge_lanes<R, 1>(v);
  if constexpr (J >= 2) merge_lanes<R, 0>(v);
  merge_registers<0, R / 2>(v);
}

// Lanes [0, count) set.
PARKSCORE_AVX2_INLINE __m256i first_lanes(std::size_t count) {
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Keys [8r, 8r + 8) into register r; the indices past n get 0xFFFFFFFF, which sorts last. The masked
// load never touches memory past keys + n.
template <int R>
PARKSCORE_AVX2_INLINE void load_keys(__m256i (&v)[R], const std::uint32_t* keys, std::size_t n) {
  const __m256i padding = _mm256_set1_epi32(-1);
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
    const std::size_t begin = 8 * static_cast<std::size_t>(r);
    if (begin + 8 <= n) {
      v[r] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keys + begin));
    } else if (begin < n) {
      const __m256i mask = first_lanes(n - begin);
      const __m256i part = _mm256_maskload_epi32(reinterpret_cast<const int*>(keys + begin), mask);
      v[r] = _mm256_or_si256(part, _mm256_andnot_si256(mask, padding));
    } else {
      v[r] = padding;
    }
  }
}

// w[k] = lane k of rows a..d in its lower half, lane k + 4 in its upper half.
PARKSCORE_AVX2_INLINE void transpose_rows(const __m256i* rows, __m256i* w) {
  const __m256i ab_lo = _mm256_unpacklo_epi32(rows[0], rows[1]);  // a0 b0 a1 b1 | a4 b4 a5 b5
  const __m256i ab_hi = _mm256_unpackhi_epi32(rows[0], rows[1]);  // a2 b2 a3 b3 | a6 b6 a7 b7
  const __m256i cd_lo = _mm256_unpacklo_epi32(rows[2], rows[3]);
  const __m256i cd_hi = _mm256_unpackhi_epi32(rows[2], rows[3]);
  w[0] = _mm256_unpacklo_epi64(ab_lo, cd_lo);
  w[1] = _mm256_unpackhi_epi64(ab_lo, cd_lo);
  w[2] = _mm256_unpacklo_epi64(ab_hi, cd_hi);
  w[3] = _mm256_unpackhi_epi64(ab_hi, cd_hi);
}

// Writes index i = l*R + r (lane l of register r) to keys[i] for i < n.
template <int R>
PARKSCORE_AVX2_INLINE void store_keys(const __m256i (&v)[R], std::uint32_t* keys, std::size_t n) {
  // Four registers transposed give 4-key chunks of one lane each; chunk c = i / 4 of the output is
  // lane l = c / groups of the register group g = c % groups.
  constexpr int groups = R / 4;
  __m256i w[groups][4];
#pragma GCC unroll 4
  for (int g = 0; g < groups; ++g) transpose_rows(v + 4 * g, w[g]);
#pragma GCC unroll 16
  for (int q = 0; q < R; ++q) {
    const int c = 2 * q;  // chunks c and c + 1 make output register q; both are lower or both upper halves
    const int l = c / groups;
    const __m256i first = w[c % groups][l % 4];
    const __m256i second = w[(c + 1) % groups][((c + 1) / groups) % 4];
    const __m256i out =
        l < 4 ? _mm256_permute2x128_si256(first, second, 0x20) : _mm256_permute2x128_si256(first, second, 0x31);
    const std::size_t begin = 8 * static_cast<std::size_t>(q);
    if (begin + 8 <= n) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(keys + begin), out);
    } else if (begin < n) {
      _mm256_maskstore_epi32(reinterpret_cast<int*>(keys + begin), first_lanes(n - begin), out);
    }
  }
}

// The most keys one network sorts (in 16 registers).
constexpr std::size_t network_capacity = 128;

// Sorts keys[0, n) into out[0, n_out), n <= n_out <= 8R; out[n, n_out) gets the padding 0xFFFFFFFF.
// out may be keys.
template <int R>
PARKSCORE_AVX2 void sort_network(const std::uint32_t* keys, std::size_t n, std::uint32_t* out, std::size_t n_out) {
  __m256i v[R];
  load_keys(v, keys, n);
  sort_columns(v);
  merge_stage<R, 1>(v);
  merge_stage<R, 2>(v);
  merge_stage<R, 3>(v);
  store_keys(v, out, n_out);
}

// The smallest network that holds n_out keys (n_out <= network_capacity).
PARKSCORE_AVX2 void sort_block(const std::uint32_t* keys, std::size_t n, std::uint32_t* out, std::size_t n_out) {
  if (n_out <= 32) {
    sort_network<4>(keys, n, out, n_out);
  } else if (n_out <= 64) {
    sort_network<8>(keys, n, out, n_out);
  } else {
    sort_network<16>(keys, n, out, n_out);
  }
}

// Past one network the keys are sorted in blocks of 128 and the blocks merged by bitonic merge networks
// in a buffer: no branch on the keys, and a merge is a pass or two of min/max over whole registers plus
// one in-register pass per key. A merge path (the next 16 or 32 keys from whichever run has the smaller
// head, merged into the pending ones) is a chain of dependent shuffles and passes every key through them
// twice: 512 keys took 1.3 times as long with it, and 5 times with a branchless scalar merge.

PARKSCORE_AVX2_INLINE __m256i load(const std::uint32_t* p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

PARKSCORE_AVX2_INLINE void store(std::uint32_t* p, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }

// First level of the merge of the sorted runs keys[0, 128) and keys[128, 256): key i against key 255 - i,
// the smaller to i. Both halves are bitonic then, and the lower one below the upper.
PARKSCORE_AVX2 void flip_256(std::uint32_t* keys) {
#pragma GCC unroll 4
  for (std::size_t i = 0; i < 128; i += 8) {
    std::uint32_t* mirror = keys + 248 - i;
    const __m256i a = load(keys + i);
    const __m256i b = swap_lanes<7>(load(mirror));
    store(keys + i, _mm256_min_epu32(a, b));
    store(mirror, swap_lanes<7>(_mm256_max_epu32(a, b)));
  }
}

// First two levels of the merge of the sorted runs keys[0, 256) and keys[256, 512), in one pass: the flip
// (key i against 511 - i) and the half-cleaners at distance 128. Without a fourth block, which would be
// all padding and which neither level would move, keys[384, 512) are not touched.
template <bool Four>
PARKSCORE_AVX2 void flip_and_clean_512(std::uint32_t* keys) {
#pragma GCC unroll 2
  for (std::size_t i = 0; i < 128; i += 8) {
    // Lane l of the four registers: keys i + l and 128 + i + l, mirrors of 383 - i - l and 511 - i - l.
    std::uint32_t* first = keys + i;
    std::uint32_t* second = keys + 128 + i;
    std::uint32_t* third = keys + 376 - i;
    std::uint32_t* fourth = keys + 504 - i;
    const __m256i a = load(first);
    const __m256i b = load(second);
    const __m256i c = swap_lanes<7>(load(third));  // mirrored, so that lane l faces lane l of b
    const __m256i b_min = _mm256_min_epu32(b, c);
    const __m256i c_max = _mm256_max_epu32(b, c);
    if constexpr (Four) {
      const __m256i d = swap_lanes<7>(load(fourth));
      const __m256i a_min = _mm256_min_epu32(a, d);
      const __m256i d_max = _mm256_max_epu32(a, d);
      store(first, _mm256_min_epu32(a_min, b_min));
      store(second, _mm256_max_epu32(a_min, b_min));
      store(third, swap_lanes<7>(_mm256_min_epu32(c_max, d_max)));
      store(fourth, swap_lanes<7>(_mm256_max_epu32(c_max, d_max)));
    } else {
      store(first, _mm256_min_epu32(a, b_min));
      store(second, _mm256_max_epu32(a, b_min));
      store(third, swap_lanes<7>(c_max));
    }
  }
}

// The rest of a merge on a bitonic block of 128 keys: half-cleaners at distances 64 to 8 across the
// registers, 4 to 1 within them. Stores its keys [0, n) to out (none if n <= 0); out may be in.
PARKSCORE_AVX2 void finish_block(const std::uint32_t* in, std::uint32_t* out, std::ptrdiff_t n) {
  if (n <= 0) return;
  __m256i v[16];
#pragma GCC unroll 16
  for (int r = 0; r < 16; ++r) v[r] = load(in + 8 * r);
  merge_registers<0, 8>(v);
  merge_lanes<16, 2>(v);
  merge_lanes<16, 1>(v);
  merge_lanes<16, 0>(v);
#pragma GCC unroll 16
  for (int r = 0; r < 16; ++r) {
    const std::ptrdiff_t begin = 8 * r;
    if (begin + 8 <= n) {
      store(out + begin, v[r]);
    } else if (begin < n) {
      _mm256_maskstore_epi32(reinterpret_cast<int*>(out + begin), first_lanes(static_cast<std::size_t>(n - begin)),
                             v[r]);
    }
  }
}

// Merges the sorted runs keys[0, 128) and keys[128, 256) in place.
PARKSCORE_AVX2 void merge_256(std::uint32_t* keys) {
  flip_256(keys);
  finish_block(keys, keys, 128);
  finish_block(keys + 128, keys + 128, 128);
}

// 128 < n <= 512: two to four blocks of 128 sorted into the buffer (the last one padded with 0xFFFFFFFF
// to 128). Two blocks are merged into keys; three or four are merged in pairs in the buffer, then all
// into keys.
PARKSCORE_AVX2 void sort_blocks(std::uint32_t* keys, std::size_t n) {
  constexpr std::size_t B = network_capacity;
  alignas(32) std::uint32_t buffer[4 * B];
  const std::size_t blocks = (n + B - 1) / B;
  const std::size_t last = n - (blocks - 1) * B;
  for (std::size_t k = 0; k + 1 < blocks; ++k) sort_network<16>(keys + k * B, B, buffer + k * B, B);
  std::uint32_t* const tail = buffer + (blocks - 1) * B;
  const std::size_t held = last <= 32 ? 32 : last <= 64 ? 64 : B;  // the smallest network for the last block
  sort_block(keys + (blocks - 1) * B, last, tail, held);
  for (std::size_t i = held; i < B; i += 8) store(tail + i, _mm256_set1_epi32(-1));
  const auto left = static_cast<std::ptrdiff_t>(n);
  if (blocks == 2) {
    flip_256(buffer);
    finish_block(buffer, keys, left);
    finish_block(buffer + B, keys + B, left - B);
    return;
  }
  merge_256(buffer);
  if (blocks == 4) {
    merge_256(buffer + 2 * B);
    flip_and_clean_512<true>(buffer);
  } else {
    flip_and_clean_512<false>(buffer);  // the third block alone is a sorted run of 256 with its padding
  }
  for (std::size_t k = 0; k < blocks; ++k)
    finish_block(buffer + k * B, keys + k * B, left - static_cast<std::ptrdiff_t>(k * B));
}

PARKSCORE_AVX2 void sort_avx2(std::uint32_t* keys, std::size_t n) {
  if (n <= network_capacity) return sort_block(keys, n, keys, n);
  sort_blocks(keys, n);
}

#undef PARKSCORE_AVX2
#undef PARKSCORE_AVX2_INLINE

bool cpu_has_avx2() {
  static const bool has = [] {
    __builtin_cpu_init();  // in case the first call comes from a static initialiser
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}

#endif  // PARKSCORE_SMALL_SORT_AVX2

}  // namespace

void sort_small_keys(std::uint32_t* keys, std::size_t n) {
  if (n <= insertion_limit) return insertion_sort(keys, n);
#ifdef PARKSCORE_SMALL_SORT_AVX2
  if (n <= small_sort_capacity && cpu_has_avx2()) return sort_avx2(keys, n);
#endif
  std::sort(keys, keys + n);
}

}  // namespace parkscore::detail
