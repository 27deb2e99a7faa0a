// src/core/rounding.hpp: round_half_away must equal std::llround (the C library's definition:
// halfway cases away from zero) for every double it can meet, since routing decisions must stay
// bit-identical to the version that called std::llround.
#include "core/rounding.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

namespace {

using hotline::detail::round_half_away;

TEST(Rounding, HalfwayCasesGoAwayFromZero) {
  EXPECT_EQ(round_half_away(0.5), 1);
  EXPECT_EQ(round_half_away(-0.5), -1);
  EXPECT_EQ(round_half_away(1.5), 2);
  EXPECT_EQ(round_half_away(2.5), 3);  // not to even
  EXPECT_EQ(round_half_away(-2.5), -3);
  EXPECT_EQ(round_half_away(0.0), 0);
  EXPECT_EQ(round_half_away(-0.0), 0);
  EXPECT_EQ(round_half_away(2.4999999999999996), 2);
}

TEST(Rounding, EdgesWhereAddingAHalfWouldGoWrong) {
  // The largest double below 0.5: x + 0.5 rounds up to 1.0 in floating point, llround gives 0.
  const double below_half = std::nextafter(0.5, 0.0);
  EXPECT_EQ(round_half_away(below_half), 0);
  EXPECT_EQ(round_half_away(-below_half), 0);
  // Around 2^52, where doubles become integers, and 2^53, where they step by 2.
  for (double base : {0x1p52, 0x1p53, 0x1p62}) {
    for (double x : {std::nextafter(base, 0.0), base, std::nextafter(base, 1e300)}) {
      EXPECT_EQ(round_half_away(x), std::llround(x)) << x;
      EXPECT_EQ(round_half_away(-x), std::llround(-x)) << -x;
    }
  }
  EXPECT_EQ(round_half_away(4503599627370495.5), 4503599627370496);  // 2^52 - 0.5
}

TEST(Rounding, AgreesWithLlroundOnRandomDoubles) {
  std::mt19937_64 rng(20261125);
  std::uniform_real_distribution<double> small(-1e6, 1e6);
  std::uniform_int_distribution<std::int64_t> halves(-(std::int64_t{1} << 40),
                                                     std::int64_t{1} << 40);
  for (int i = 0; i < 200'000; ++i) {
    const double a = small(rng);
    EXPECT_EQ(round_half_away(a), std::llround(a)) << a;
    const double h = static_cast<double>(halves(rng)) + 0.5;  // exact halfway cases
    EXPECT_EQ(round_half_away(h), std::llround(h)) << h;
    // Arbitrary bit patterns of magnitude below 2^62 (the int64 range with room to spare).
    std::uint64_t bits = rng();
    double x = 0;
    std::memcpy(&x, &bits, sizeof x);
    if (std::isfinite(x) && std::fabs(x) < 0x1p62) {
      EXPECT_EQ(round_half_away(x), std::llround(x)) << x;
    }
  }
}

}  // namespace
