#pragma once
// Many Philox4x32-10 blocks under one key at once (src-local): a replicate block's weight draws
// are generated together, four blocks per AVX2 vector where the CPU has it. The same words as
// philox4x32_10 block by block.

#include <cstddef>

#include "parkscore/analysis/philox.hpp"

namespace parkscore::detail {

/// out[b] = philox4x32_10(in[b], key) for b < n.
void philox_blocks(const philox_counter* in, std::size_t n, philox_key key, philox_counter* out);

}  // namespace parkscore::detail
