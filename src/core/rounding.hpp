// Internal: std::llround (halfway cases away from zero) without the library call, for roundings
// on hot paths (the router's SLA boost and predicted wait, every cycle).
#pragma once

#include <cmath>
#include <cstdint>

namespace hotline::detail {

/// Equal to std::llround(x) for every double: below 2^52 in magnitude the truncation and the
/// fraction x - trunc(x) are exact; larger values (already integers), infinities and NaN go to
/// std::llround itself.
inline std::int64_t round_half_away(double x) noexcept {
  if (!(std::fabs(x) < 0x1p52)) return std::llround(x);
  const auto i = static_cast<std::int64_t>(x);  // toward zero
  const double frac = x - static_cast<double>(i);
  return frac >= 0.5 ? i + 1 : frac <= -0.5 ? i - 1 : i;
}

}  // namespace hotline::detail
