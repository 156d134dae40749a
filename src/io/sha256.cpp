#include "io/sha256.hpp"

#include <nettle/sha2.h>

namespace parkscore::detail {

struct sha256::state {
  sha256_ctx ctx;
};

sha256::sha256() : state_(new state) { sha256_init(&state_->ctx); }
sha256::~sha256() { delete state_; }

void sha256::update(const void* bytes, std::size_t size) {
  sha256_update(&state_->ctx, size, static_cast<const std::uint8_t*>(bytes));
}

std::string sha256::hex() {
  std::uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&state_->ctx, SHA256_DIGEST_SIZE, digest);   // also re-initialises the context
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * SHA256_DIGEST_SIZE);
  for (std::uint8_t b : digest) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

}  // namespace parkscore::detail
