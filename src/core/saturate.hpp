// Internal: 64-bit addition that saturates at the ends of the range instead of overflowing
// (instants and scores a host may pass near INT64_MIN / MAX).
#pragma once

#include <cstdint>
#include <limits>

namespace hotline::detail {

constexpr std::int64_t sat_add(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) {
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  }
  return r;
}

}  // namespace hotline::detail
