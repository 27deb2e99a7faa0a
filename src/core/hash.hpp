// Internal: a stable 64-bit string hash (FNV-1a, Fowler/Noll/Vo) for digests and sample draws:
// the same value on every platform and run, unlike std::hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace hotline::detail {

constexpr std::uint64_t fnv1a(std::string_view s) noexcept {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace hotline::detail
