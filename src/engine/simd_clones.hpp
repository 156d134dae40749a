#pragma once
// PARKSCORE_SIMD_CLONES before a function compiles it twice, for AVX2 and for the x86-64
// baseline, and lets the loader pick one for the CPU (GCC's target_clones, an ifunc). AVX2
// without FMA: no multiply-add is contracted, and the loops it marks have no reduction whose
// order depends on the vector width, so both versions give the same bits. Helpers the marked
// function calls must be inlined into it (always_inline) to be compiled for AVX2 too.

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define PARKSCORE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PARKSCORE_SIMD_CLONES
#endif
